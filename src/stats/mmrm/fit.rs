//! Fitting: quasi-Newton (BFGS with a backtracking Armijo line search) on the unconstrained φ with
//! the analytic gradient, then Newton polishing with a Hessian from central differences of that
//! gradient. Written here rather than with `argmin`: the objective is cheap (pattern statistics),
//! the loop is ~80 lines, and we need the failure modes (non-positive-definite Σ, stalled line
//! search) as typed outcomes for the fallback chain rather than a generic solver error.
//!
//! After convergence the covariance of θ̂ (W, SAS's "asymptotic covariance of the covariance
//! parameters") is 2·H⁻¹ with H the observed Hessian of −2 log L in SAS's θ (differences of the
//! analytic gradient).

use super::covariance::CovStructure;
use super::likelihood::{evaluate, frobenius, EvalError, Evaluation, Method, PatternData};
use nalgebra::{DMatrix, DVector};

/// Fit statistics as SAS prints them ("Fit Statistics").
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FitStatistics {
    /// −2 (restricted) log-likelihood.
    pub neg2ll: f64,
    /// AIC = −2ℓ + 2d.
    pub aic: f64,
    /// AICC = −2ℓ + 2d·n*/(n* − d − 1), n* = N − p (REML) or N (ML).
    pub aicc: f64,
    /// BIC = −2ℓ + d·log(subjects).
    pub bic: f64,
    /// d: covariance parameters (REML) or covariance + fixed parameters (ML).
    pub n_params: usize,
}

/// A fitted model.
#[derive(Debug, Clone)]
pub struct MmrmFit {
    /// Covariance structure.
    pub structure: CovStructure,
    /// Estimation method.
    pub method: Method,
    /// θ̂ in SAS's parametrisation.
    pub theta: Vec<f64>,
    /// Σ̂ (T×T).
    pub sigma: DMatrix<f64>,
    /// β̂.
    pub beta: DVector<f64>,
    /// Φ̂ = (XᵀV̂⁻¹X)⁻¹, the model-based covariance of β̂.
    pub phi: DMatrix<f64>,
    /// W = cov(θ̂) = 2·H⁻¹ (observed), None if H is not invertible.
    pub theta_cov: Option<DMatrix<f64>>,
    /// Fit statistics.
    pub stats: FitStatistics,
    /// Optimiser iterations.
    pub iterations: usize,
    /// Largest |∂(−2ℓ)/∂φ| at the end.
    pub gradient_max: f64,
    /// Σ̂_pat⁻¹ per pattern.
    pub sinv: Vec<DMatrix<f64>>,
}

/// Why a fit failed.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum FitError {
    /// The design matrix is not of full column rank.
    SingularDesign,
    /// No starting covariance was positive definite.
    BadStart,
    /// The optimiser did not reach a stationary point.
    NotConverged {
        /// Iterations used.
        iterations: usize,
        /// Largest gradient component left.
        gradient_max: f64,
    },
    /// The covariance estimate is on the boundary (singular Hessian or Σ).
    Singular,
}

impl std::fmt::Display for FitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FitError::SingularDesign => write!(f, "the fixed-effects design is not of full rank"),
            FitError::BadStart => write!(f, "no positive-definite starting covariance"),
            FitError::NotConverged {
                iterations,
                gradient_max,
            } if gradient_max.is_finite() => write!(
                f,
                "did not converge after {iterations} iterations (largest gradient {gradient_max:.3e})"
            ),
            FitError::NotConverged { iterations, .. } => write!(
                f,
                "did not converge after {iterations} iterations (the likelihood or its gradient \
                 is not finite: values beyond what double precision can square)"
            ),
            FitError::Singular => write!(f, "the covariance estimate is singular"),
        }
    }
}

struct Objective<'a> {
    data: &'a PatternData,
    structure: CovStructure,
    method: Method,
}

impl Objective<'_> {
    fn value_grad(&self, phi: &[f64]) -> Result<(f64, DVector<f64>, Evaluation), EvalError> {
        let t = self.data.n_visits;
        let (sigma, dphi) = self.structure.sigma_and_dphi(phi, t);
        let ev = evaluate(self.data, &sigma, self.method)?;
        let g = DVector::from_iterator(dphi.len(), dphi.iter().map(|d| frobenius(d, &ev.adjoint)));
        Ok((ev.neg2ll, g, ev))
    }
}

/// Starting per-visit variances: OLS residual variances by visit.
fn start_variances(data: &PatternData) -> Result<Vec<f64>, FitError> {
    let t = data.n_visits;
    let eye = DMatrix::identity(t, t);
    let ev = evaluate(data, &eye, Method::Ml).map_err(|e| match e {
        EvalError::SingularDesign => FitError::SingularDesign,
        EvalError::NotPositiveDefinite => FitError::BadStart,
    })?;
    let mut ss = vec![0.0; t];
    let mut n = vec![0usize; t];
    for pat in &data.patterns {
        let m = pat.visits.len();
        for a in 0..m {
            let c = &pat.xx[a * m + a];
            let r = pat.yy[(a, a)] - 2.0 * ev.beta.dot(&pat.xy[a * m + a])
                + ev.beta.dot(&(c * &ev.beta));
            ss[pat.visits[a]] += r;
            n[pat.visits[a]] += pat.n;
        }
    }
    Ok(ss
        .iter()
        .zip(&n)
        .map(|(s, &k)| if k > 0 { (s / k as f64).max(1e-8) } else { 1.0 })
        .collect())
}

/// Fit the model with the given covariance structure.
pub fn fit(
    data: &PatternData,
    structure: CovStructure,
    method: Method,
) -> Result<MmrmFit, FitError> {
    let t = data.n_visits;
    let obj = Objective {
        data,
        structure,
        method,
    };
    let vars = start_variances(data)?;
    let theta0 = structure.start_theta(&vars);
    let mut x = structure
        .phi_from_theta(&theta0, t)
        .ok_or(FitError::BadStart)?;
    let map_err = |e: EvalError| match e {
        EvalError::SingularDesign => FitError::SingularDesign,
        EvalError::NotPositiveDefinite => FitError::BadStart,
    };
    let (mut f, mut g, _) = obj.value_grad(&x).map_err(map_err)?;
    let k = x.len();
    let mut hinv = DMatrix::<f64>::identity(k, k) * (1.0 / g.amax().max(1.0));
    let mut iterations = 0;
    let max_iter = 500;
    while iterations < max_iter {
        iterations += 1;
        if g.amax() < 1e-7 {
            break;
        }
        let mut dir = -(&hinv * &g);
        if dir.dot(&g) >= 0.0 {
            hinv = DMatrix::identity(k, k) * (1.0 / g.amax().max(1.0));
            dir = -(&hinv * &g);
        }
        let slope = dir.dot(&g);
        let mut step = 1.0;
        let mut accepted = None;
        for _ in 0..60 {
            let trial: Vec<f64> = x
                .iter()
                .zip(dir.iter())
                .map(|(a, d)| a + step * d)
                .collect();
            if let Ok((ft, gt, _)) = obj.value_grad(&trial) {
                if ft.is_finite() && ft <= f + 1e-4 * step * slope {
                    accepted = Some((trial, ft, gt));
                    break;
                }
            }
            step *= 0.5;
        }
        let Some((xn, fnew, gn)) = accepted else {
            break;
        };
        let s = DVector::from_iterator(k, xn.iter().zip(&x).map(|(a, b)| a - b));
        let yv = &gn - &g;
        let sy = s.dot(&yv);
        if sy > 1e-12 {
            let rho = 1.0 / sy;
            let i = DMatrix::<f64>::identity(k, k);
            let left = &i - &s * yv.transpose() * rho;
            let right = &i - &yv * s.transpose() * rho;
            hinv = &left * &hinv * &right + &s * s.transpose() * rho;
        }
        let df = f - fnew;
        x = xn;
        f = fnew;
        g = gn;
        if df.abs() < 1e-13 * f.abs().max(1.0) && g.amax() < 1e-4 {
            break;
        }
    }
    // Newton polishing with a differenced Hessian of the analytic gradient.
    for _ in 0..8 {
        if g.amax() < 1e-9 {
            break;
        }
        let Some(h) = hessian_phi(&obj, &x) else {
            break;
        };
        let Some(ch) = h.cholesky() else {
            break;
        };
        let dir = -ch.solve(&g);
        let mut step = 1.0;
        let mut moved = false;
        for _ in 0..30 {
            let trial: Vec<f64> = x
                .iter()
                .zip(dir.iter())
                .map(|(a, d)| a + step * d)
                .collect();
            if let Ok((ft, gt, _)) = obj.value_grad(&trial) {
                if ft <= f + 1e-10 * f.abs().max(1.0) {
                    x = trial;
                    f = ft;
                    g = gt;
                    moved = true;
                    break;
                }
            }
            step *= 0.5;
        }
        if !moved {
            break;
        }
        iterations += 1;
    }
    let gradient_max = g.amax();
    if !gradient_max.is_finite() || gradient_max > 1e-3 {
        return Err(FitError::NotConverged {
            iterations,
            gradient_max,
        });
    }
    let theta = structure.theta_from_phi(&x, t);
    let mut out = fit_at_theta(data, structure, method, &theta)?;
    out.iterations = iterations;
    out.gradient_max = gradient_max;
    Ok(out)
}

/// The fit quantities at a given θ (SAS's parametrisation), e.g. to reproduce another program's
/// reported estimates.
pub fn fit_at_theta(
    data: &PatternData,
    structure: CovStructure,
    method: Method,
    theta: &[f64],
) -> Result<MmrmFit, FitError> {
    let t = data.n_visits;
    let map_err = |e: EvalError| match e {
        EvalError::SingularDesign => FitError::SingularDesign,
        EvalError::NotPositiveDefinite => FitError::Singular,
    };
    let theta = theta.to_vec();
    let sigma = structure.sigma(&theta, t);
    let ev = evaluate(data, &sigma, method).map_err(map_err)?;
    let theta_cov = theta_covariance(data, structure, method, &theta);
    let q = structure.n_params(t);
    let n_params = match method {
        Method::Reml => q,
        Method::Ml => q + data.p,
    };
    let nstar = match method {
        Method::Reml => (data.n_obs - data.p) as f64,
        Method::Ml => data.n_obs as f64,
    };
    let d = n_params as f64;
    let stats = FitStatistics {
        neg2ll: ev.neg2ll,
        aic: ev.neg2ll + 2.0 * d,
        aicc: ev.neg2ll + 2.0 * d * nstar / (nstar - d - 1.0),
        bic: ev.neg2ll + d * (data.n_subjects as f64).ln(),
        n_params,
    };
    Ok(MmrmFit {
        structure,
        method,
        theta,
        sigma,
        beta: ev.beta,
        phi: ev.phi,
        theta_cov,
        stats,
        iterations: 0,
        gradient_max: 0.0,
        sinv: ev.sinv,
    })
}

fn hessian_phi(obj: &Objective, x: &[f64]) -> Option<DMatrix<f64>> {
    let k = x.len();
    let mut h = DMatrix::zeros(k, k);
    for j in 0..k {
        let step = 1e-5 * x[j].abs().max(1.0);
        let mut u = x.to_vec();
        let mut d = x.to_vec();
        u[j] += step;
        d[j] -= step;
        let gu = obj.value_grad(&u).ok()?.1;
        let gd = obj.value_grad(&d).ok()?.1;
        h.set_column(j, &((gu - gd) / (2.0 * step)));
    }
    Some((&h + h.transpose()) * 0.5)
}

/// Gradient of −2 log L with respect to SAS's θ.
pub fn gradient_theta(
    data: &PatternData,
    structure: CovStructure,
    method: Method,
    theta: &[f64],
) -> Option<DVector<f64>> {
    let t = data.n_visits;
    let ev = evaluate(data, &structure.sigma(theta, t), method).ok()?;
    let d = structure.dsigma(theta, t);
    Some(DVector::from_iterator(
        d.len(),
        d.iter().map(|m| frobenius(m, &ev.adjoint)),
    ))
}

/// W = 2·H⁻¹, H the observed Hessian of −2 log L in θ (central differences of the gradient).
pub fn theta_covariance(
    data: &PatternData,
    structure: CovStructure,
    method: Method,
    theta: &[f64],
) -> Option<DMatrix<f64>> {
    let k = theta.len();
    let mut h = DMatrix::zeros(k, k);
    for j in 0..k {
        let step = 1e-5 * theta[j].abs().max(1e-2);
        let mut u = theta.to_vec();
        let mut d = theta.to_vec();
        u[j] += step;
        d[j] -= step;
        let gu = gradient_theta(data, structure, method, &u)?;
        let gd = gradient_theta(data, structure, method, &d)?;
        h.set_column(j, &((gu - gd) / (2.0 * step)));
    }
    let h = (&h + h.transpose()) * 0.5;
    h.try_inverse().map(|hi| hi * 2.0)
}
