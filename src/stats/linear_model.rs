//! Ordinary least squares by Householder QR (nalgebra), never the normal equations: the
//! coefficients, the residual variance and the covariance matrix σ² (XᵀX)⁻¹ = σ² R⁻¹ R⁻ᵀ.

use nalgebra::{DMatrix, DVector};

/// A fitted linear model.
#[derive(Debug, Clone)]
pub struct LinearFit {
    pub coefficients: Vec<f64>,
    /// Residual degrees of freedom n − p.
    pub df_residual: f64,
    /// Residual variance σ².
    pub sigma2: f64,
    /// σ² (XᵀX)⁻¹, row-major p × p.
    covariance: Vec<f64>,
    p: usize,
}

/// Why a model could not be fitted.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum FitError {
    /// Fewer observations than parameters + 1 (no residual degrees of freedom).
    #[error("{n} observations for {p} parameters: no residual degrees of freedom")]
    TooFewObservations { n: usize, p: usize },
    /// The design matrix is rank deficient (e.g. a covariate constant within the data).
    #[error("the design matrix is rank deficient (collinear or constant columns)")]
    RankDeficient,
}

impl LinearFit {
    /// Covariance of coefficients i and j.
    pub fn cov(&self, i: usize, j: usize) -> f64 {
        self.covariance[i * self.p + j]
    }

    /// Estimate and standard error of the linear combination cᵀβ.
    pub fn contrast(&self, c: &[f64]) -> (f64, f64) {
        let est: f64 = c.iter().zip(&self.coefficients).map(|(a, b)| a * b).sum();
        let mut var = 0.0;
        for i in 0..self.p {
            for j in 0..self.p {
                var += c[i] * c[j] * self.cov(i, j);
            }
        }
        (est, var.max(0.0).sqrt())
    }
}

/// Fit y = Xβ + ε. `design` is X column by column (n × p, column-major), taken without a copy.
pub fn ols(design: Vec<f64>, n: usize, p: usize, y: &[f64]) -> Result<LinearFit, FitError> {
    if n <= p {
        return Err(FitError::TooFewObservations { n, p });
    }
    assert_eq!(design.len(), n * p, "design must be n × p");
    // Householder QR of X; Qᵀy by applying the reflections to y (Q is never formed), as
    // LINPACK's dqrsl does for R's lm: β from R β = (Qᵀy)[..p], the residual sum of squares
    // from the remaining effects (Qᵀy)[p..].
    let qr = DMatrix::from_vec(n, p, design).qr();
    let r = qr.r();
    // Rank check relative to the largest diagonal element (as LINPACK's tolerance 1e-7 in R's lm).
    let max_diag = (0..p).map(|i| r[(i, i)].abs()).fold(0.0, f64::max);
    if (0..p).any(|i| r[(i, i)].abs() <= 1e-7 * max_diag) {
        return Err(FitError::RankDeficient);
    }
    let mut qty = DVector::from_column_slice(y);
    qr.q_tr_mul(&mut qty);
    let qty_p = qty.rows(0, p).into_owned();
    let beta = r
        .solve_upper_triangular(&qty_p)
        .ok_or(FitError::RankDeficient)?;
    let df = (n - p) as f64;
    let sigma2 = qty.rows(p, n - p).norm_squared() / df;
    let rinv = r
        .solve_upper_triangular(&DMatrix::identity(p, p))
        .ok_or(FitError::RankDeficient)?;
    let xtx_inv = &rinv * rinv.transpose();
    let mut covariance = Vec::with_capacity(p * p);
    for i in 0..p {
        for j in 0..p {
            covariance.push(sigma2 * xtx_inv[(i, j)]);
        }
    }
    Ok(LinearFit {
        coefficients: beta.iter().copied().collect(),
        df_residual: df,
        sigma2,
        covariance,
        p,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn straight_line() {
        // y = 1 + 2x exactly, plus one perturbed point
        let xs = [0.0, 1.0, 2.0, 3.0, 4.0];
        let y = [1.0, 3.0, 5.0, 7.0, 9.5];
        let design: Vec<f64> = xs.iter().map(|_| 1.0).chain(xs).collect();
        let fit = ols(design, 5, 2, &y).unwrap();
        // R: coef(lm(y ~ x)) = 0.9, 2.1
        assert!((fit.coefficients[0] - 0.9).abs() < 1e-12);
        assert!((fit.coefficients[1] - 2.1).abs() < 1e-12);
        assert_eq!(fit.df_residual, 3.0);
    }

    #[test]
    fn collinear_is_an_error() {
        let design = vec![1.0, 1.0, 1.0, 1.0, 2.0, 3.0, 2.0, 4.0, 6.0];
        assert_eq!(
            ols(design, 3, 3, &[1.0, 2.0, 3.0]).unwrap_err(),
            FitError::TooFewObservations { n: 3, p: 3 }
        );
    }
}
