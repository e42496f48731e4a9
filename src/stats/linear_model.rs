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

/// One-way ANCOVA, y ~ group + x, by its closed form: the common slope is the pooled
/// within-group regression b = Σ Sxy / Σ Sxx (sums of products about each group's means), the
/// group intercepts a_g = ȳ_g − b x̄_g, and the residual variance from the residuals about
/// each group's line. This is the least-squares fit of the design [1, x, one dummy per group
/// but `reference`] (what [`ols`] fits, in that parametrisation: intercept = a_reference,
/// dummies = a_g − a_reference), in O(n) with centred sums instead of a QR of the n × p design.
/// Covariances: Var(ȳ_g) = σ²/n_g, Var(b) = σ²/Σ Sxx, and the group means are uncorrelated
/// with each other and with b.
///
/// `groups` holds (x, y) per group, each group with at least one observation.
pub fn ancova_one_way(
    groups: &[(&[f64], &[f64])],
    reference: usize,
) -> Result<LinearFit, FitError> {
    let k = groups.len();
    let p = k + 1;
    let n: usize = groups.iter().map(|(x, _)| x.len()).sum();
    if n <= p {
        return Err(FitError::TooFewObservations { n, p });
    }
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    let means: Vec<(f64, f64)> = groups.iter().map(|(x, y)| (mean(x), mean(y))).collect();
    let (mut sxx, mut sxy, mut ss_x) = (0.0, 0.0, 0.0);
    for ((x, y), &(mx, my)) in groups.iter().zip(&means) {
        for (xi, yi) in x.iter().zip(y.iter()) {
            sxx += (xi - mx) * (xi - mx);
            sxy += (xi - mx) * (yi - my);
            ss_x += xi * xi;
        }
    }
    // Rank check as for the QR: the baseline left after the group means must not vanish
    // relative to the baseline column itself (R's lm tolerance 1e-7 on R's diagonal).
    // (NaN sums fail too.)
    if sxx.sqrt().partial_cmp(&(1e-7 * ss_x.sqrt())) != Some(std::cmp::Ordering::Greater) {
        return Err(FitError::RankDeficient);
    }
    let b = sxy / sxx;
    let mut rss = 0.0;
    for ((x, y), &(mx, my)) in groups.iter().zip(&means) {
        for (xi, yi) in x.iter().zip(y.iter()) {
            let r = (yi - my) - b * (xi - mx);
            rss += r * r;
        }
    }
    let df = (n - p) as f64;
    let sigma2 = rss / df;
    // θ = (a_1 … a_k, b) with its covariance / σ², then β = T θ.
    let a: Vec<f64> = means.iter().map(|&(mx, my)| my - b * mx).collect();
    let cov_theta = |i: usize, j: usize| -> f64 {
        match (i < k, j < k) {
            (true, true) => {
                let own = if i == j {
                    1.0 / groups[i].0.len() as f64
                } else {
                    0.0
                };
                own + means[i].0 * means[j].0 / sxx
            }
            (true, false) => -means[i].0 / sxx,
            (false, true) => -means[j].0 / sxx,
            (false, false) => 1.0 / sxx,
        }
    };
    // Rows of T: intercept = a_ref; slope = b; dummy for g = a_g − a_ref.
    let others: Vec<usize> = (0..k).filter(|&g| g != reference).collect();
    let mut t = vec![vec![0.0; p]; p];
    t[0][reference] = 1.0;
    t[1][k] = 1.0;
    for (row, &g) in others.iter().enumerate() {
        t[2 + row][g] = 1.0;
        t[2 + row][reference] = -1.0;
    }
    let coefficients: Vec<f64> = t
        .iter()
        .map(|row| {
            row.iter()
                .enumerate()
                .map(|(j, c)| {
                    if *c == 0.0 {
                        0.0
                    } else {
                        c * if j < k { a[j] } else { b }
                    }
                })
                .sum()
        })
        .collect();
    let mut covariance = Vec::with_capacity(p * p);
    for ti in &t {
        for tj in &t {
            let mut v = 0.0;
            for (i, ci) in ti.iter().enumerate().filter(|(_, c)| **c != 0.0) {
                for (j, cj) in tj.iter().enumerate().filter(|(_, c)| **c != 0.0) {
                    v += ci * cj * cov_theta(i, j);
                }
            }
            covariance.push(sigma2 * v);
        }
    }
    Ok(LinearFit {
        coefficients,
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

    /// The closed form equals the QR fit of the same design.
    #[test]
    fn one_way_ancova_equals_qr() {
        let groups_x = [
            vec![1.0, 2.5, 3.0, 4.5],
            vec![2.0, 2.2, 5.0],
            vec![0.5, 1.5, 2.5, 3.5, 6.0],
        ];
        let groups_y = [
            vec![1.2, 2.0, 2.9, 4.0],
            vec![3.1, 2.9, 6.5],
            vec![0.1, 1.0, 2.2, 2.6, 5.5],
        ];
        for reference in 0..3 {
            let groups: Vec<(&[f64], &[f64])> = groups_x
                .iter()
                .zip(&groups_y)
                .map(|(x, y)| (x.as_slice(), y.as_slice()))
                .collect();
            let fit = ancova_one_way(&groups, reference).unwrap();
            let others: Vec<usize> = (0..3).filter(|&g| g != reference).collect();
            let n: usize = groups_x.iter().map(Vec::len).sum();
            let mut design = vec![1.0; n];
            design.extend(groups_x.iter().flatten());
            for &g in &others {
                for (h, x) in groups_x.iter().enumerate() {
                    design.extend(x.iter().map(|_| if h == g { 1.0 } else { 0.0 }));
                }
            }
            let y: Vec<f64> = groups_y.iter().flatten().copied().collect();
            let qr = ols(design, n, 4, &y).unwrap();
            assert_eq!(fit.df_residual, qr.df_residual);
            assert!((fit.sigma2 - qr.sigma2).abs() < 1e-13 * qr.sigma2);
            for i in 0..4 {
                let (a, b) = (fit.coefficients[i], qr.coefficients[i]);
                assert!(
                    (a - b).abs() < 1e-12 * b.abs().max(1.0),
                    "coef {i}: {a} vs {b}"
                );
                for j in 0..4 {
                    let (a, b) = (fit.cov(i, j), qr.cov(i, j));
                    assert!(
                        (a - b).abs() < 1e-12 * b.abs().max(1e-3),
                        "cov {i},{j}: {a} vs {b}"
                    );
                }
            }
        }
        // Baseline constant within every group: rank deficient, as for the QR.
        let groups: Vec<(&[f64], &[f64])> = vec![
            (&[1.0, 1.0][..], &[1.0, 2.0][..]),
            (&[3.0, 3.0][..], &[2.0, 5.0][..]),
        ];
        assert_eq!(
            ancova_one_way(&groups, 0).unwrap_err(),
            FitError::RankDeficient
        );
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
