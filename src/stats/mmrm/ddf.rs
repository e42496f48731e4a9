//! Inference on contrasts Lβ of a fitted MMRM: denominator degrees of freedom as SAS PROC MIXED
//! computes them (DDFM=SATTERTHWAITE, KENWARDROGER, KENWARDROGER(LINEAR), BETWITHIN, RESIDUAL)
//! and the Kenward–Roger adjusted covariance of β̂.
//!
//! Formulas: SAS/STAT User's Guide, PROC MIXED, "Satterthwaite Degrees of Freedom" (the
//! spectral decomposition for multi-row L) and "Kenward-Roger Degrees of Freedom"; Kenward &
//! Roger (1997), Biometrics 53:983; the mmrm package's vignette "Kenward-Roger" (openpharma/mmrm,
//! Apache-2.0) for the per-subject sums. Notation: P_h = XᵀV⁻¹(∂V/∂θ_h)V⁻¹X, so ∂Φ/∂θ_h = ΦP_hΦ;
//! W = cov(θ̂).

use super::fit::MmrmFit;
use super::likelihood::{add_scaled, PatternData};
use crate::stats::distributions::t_sf;
use nalgebra::{DMatrix, DVector};
use statrs::distribution::{ContinuousCDF, FisherSnedecor};

/// Denominator degrees-of-freedom method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum DdfMethod {
    /// Satterthwaite (SAS DDFM=SATTERTHWAITE).
    Satterthwaite,
    /// Kenward–Roger with second derivatives of Σ in SAS's parametrisation (DDFM=KR).
    KenwardRoger,
    /// Kenward–Roger without the second-derivative term (DDFM=KR(LINEAR)).
    KenwardRogerLinear,
    /// Between-within (DDFM=BETWITHIN).
    BetweenWithin,
    /// Residual N − p (DDFM=RESIDUAL).
    Residual,
}

impl DdfMethod {
    /// Command-line spelling.
    pub fn parse(s: &str) -> Option<DdfMethod> {
        Some(match s.to_ascii_lowercase().as_str() {
            "satterthwaite" | "satterth" | "sat" => DdfMethod::Satterthwaite,
            "kenward-roger" | "kr" | "kenwardroger" => DdfMethod::KenwardRoger,
            "kenward-roger-linear" | "kr-linear" | "kr(linear)" => DdfMethod::KenwardRogerLinear,
            "between-within" | "betwithin" | "bw" => DdfMethod::BetweenWithin,
            "residual" | "resid" => DdfMethod::Residual,
            _ => return None,
        })
    }
    /// Human name.
    pub fn label(self) -> &'static str {
        match self {
            DdfMethod::Satterthwaite => "Satterthwaite",
            DdfMethod::KenwardRoger => "Kenward-Roger",
            DdfMethod::KenwardRogerLinear => "Kenward-Roger (linear)",
            DdfMethod::BetweenWithin => "between-within",
            DdfMethod::Residual => "residual",
        }
    }
    fn is_kr(self) -> bool {
        matches!(
            self,
            DdfMethod::KenwardRoger | DdfMethod::KenwardRogerLinear
        )
    }
}

/// A one-row contrast: estimate, SE, df, t and two-sided p.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ContrastResult {
    /// lᵀβ̂.
    pub estimate: f64,
    /// Standard error (KR-adjusted under Kenward–Roger).
    pub se: f64,
    /// Denominator degrees of freedom.
    pub df: f64,
    /// t statistic.
    pub t: f64,
    /// Two-sided p-value.
    pub p: f64,
}

impl ContrastResult {
    /// Confidence limits at `level` (e.g. 0.95).
    pub fn ci(&self, level: f64) -> (f64, f64) {
        let q = crate::stats::distributions::t_quantile(1.0 - (1.0 - level) / 2.0, self.df);
        (self.estimate - q * self.se, self.estimate + q * self.se)
    }
}

/// An F test of Lβ = 0.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FTestResult {
    /// Numerator df (rank of L).
    pub num_df: usize,
    /// Denominator df.
    pub den_df: f64,
    /// F value (KR: the scaled F*).
    pub f: f64,
    /// p-value.
    pub p: f64,
}

/// Inference machinery for one fit.
#[derive(Debug, Clone)]
pub struct Inference {
    method: DdfMethod,
    beta: DVector<f64>,
    /// Φ (model-based).
    phi: DMatrix<f64>,
    /// Covariance used for SEs: Φ, or Φ_A under Kenward–Roger.
    cov_beta: DMatrix<f64>,
    p_mats: Vec<DMatrix<f64>>,
    w: Option<DMatrix<f64>>,
    residual_df: f64,
    between_df: f64,
    within_df: f64,
    within_cols: Vec<bool>,
}

impl Inference {
    /// Prepare inference for a fit. Satterthwaite and KR need W; without it (a boundary fit)
    /// their df are unavailable (NaN) and the caller must say so.
    pub fn new(data: &PatternData, fit: &MmrmFit, method: DdfMethod) -> Inference {
        let t = data.n_visits;
        let dsig = fit.structure.dsigma(&fit.theta, t);
        let mut p_mats = Vec::new();
        let needs = matches!(
            method,
            DdfMethod::Satterthwaite | DdfMethod::KenwardRoger | DdfMethod::KenwardRogerLinear
        );
        if needs {
            for d in &dsig {
                let weights: Vec<DMatrix<f64>> = data
                    .patterns
                    .iter()
                    .zip(&fit.sinv)
                    .map(|(pat, s)| s * submatrix(d, &pat.visits) * s)
                    .collect();
                p_mats.push(data.contract_xx(&weights));
            }
        }
        let mut cov_beta = fit.phi.clone();
        if method.is_kr() {
            if let Some(w) = &fit.theta_cov {
                cov_beta = kr_adjusted(data, fit, &dsig, &p_mats, w, method);
            }
        }
        let n_subj = data.n_subjects as f64;
        let p_within = data.within_cols.iter().filter(|&&w| w).count() as f64;
        let p_between = data.p as f64 - p_within;
        Inference {
            method,
            beta: fit.beta.clone(),
            phi: fit.phi.clone(),
            cov_beta,
            p_mats,
            w: fit.theta_cov.clone(),
            residual_df: (data.n_obs - data.p) as f64,
            between_df: n_subj - p_between,
            within_df: data.n_obs as f64 - n_subj - p_within,
            within_cols: data.within_cols.clone(),
        }
    }

    /// The covariance of β̂ used for standard errors.
    pub fn cov_beta(&self) -> &DMatrix<f64> {
        &self.cov_beta
    }

    /// The df method.
    pub fn method(&self) -> DdfMethod {
        self.method
    }

    /// Satterthwaite-type df of lᵀβ with the unadjusted Φ: 2(lᵀΦl)² / (gᵀWg), g_h = lᵀΦP_hΦl.
    fn satterthwaite_1d(&self, l: &DVector<f64>) -> f64 {
        let Some(w) = &self.w else {
            return f64::NAN;
        };
        let u = &self.phi * l;
        let v = l.dot(&u);
        let g = DVector::from_iterator(
            self.p_mats.len(),
            self.p_mats.iter().map(|p| u.dot(&(p * &u))),
        );
        2.0 * v * v / g.dot(&(w * &g))
    }

    fn fixed_df(&self, l: &DVector<f64>) -> f64 {
        match self.method {
            DdfMethod::Residual => self.residual_df,
            _ => {
                let within = l
                    .iter()
                    .zip(&self.within_cols)
                    .any(|(c, &w)| *c != 0.0 && w);
                if within {
                    self.within_df
                } else {
                    self.between_df
                }
            }
        }
    }

    /// One-row contrast lᵀβ.
    pub fn contrast(&self, l: &[f64]) -> ContrastResult {
        let l = DVector::from_column_slice(l);
        let estimate = l.dot(&self.beta);
        let se = l.dot(&(&self.cov_beta * &l)).sqrt();
        let df = match self.method {
            DdfMethod::Satterthwaite | DdfMethod::KenwardRoger | DdfMethod::KenwardRogerLinear => {
                self.satterthwaite_1d(&l)
            }
            _ => self.fixed_df(&l),
        };
        let t = estimate / se;
        let p = if df.is_finite() && df > 0.0 {
            (2.0 * t_sf(t.abs(), df)).min(1.0)
        } else {
            f64::NAN
        };
        ContrastResult {
            estimate,
            se,
            df,
            t,
            p,
        }
    }

    /// F test of Lβ = 0, L given as rows (each of length p, linearly independent).
    pub fn f_test(&self, rows: &[Vec<f64>]) -> FTestResult {
        let c = rows.len();
        if c == 1 {
            let r = self.contrast(&rows[0]);
            return FTestResult {
                num_df: 1,
                den_df: r.df,
                f: r.t * r.t,
                p: r.p,
            };
        }
        let p = self.beta.len();
        let l = DMatrix::from_fn(c, p, |i, j| rows[i][j]);
        let lb = &l * &self.beta;
        let lcl = &l * &self.cov_beta * l.transpose();
        let Some(inv) = lcl.clone().try_inverse() else {
            return FTestResult {
                num_df: c,
                den_df: f64::NAN,
                f: f64::NAN,
                p: f64::NAN,
            };
        };
        let f = lb.dot(&(&inv * &lb)) / c as f64;
        let (scale, den_df) = match self.method {
            DdfMethod::Satterthwaite => (1.0, self.satterthwaite_multi(&l)),
            DdfMethod::KenwardRoger | DdfMethod::KenwardRogerLinear => self.kr_multi(&l),
            _ => {
                let df = (0..c)
                    .map(|i| self.fixed_df(&DVector::from_column_slice(&rows[i])))
                    .fold(f64::INFINITY, f64::min);
                (1.0, df)
            }
        };
        let fstar = f * scale;
        let pval = if den_df.is_finite() && den_df > 0.0 {
            FisherSnedecor::new(c as f64, den_df)
                .map(|d| d.sf(fstar))
                .unwrap_or(f64::NAN)
        } else {
            f64::NAN
        };
        FTestResult {
            num_df: c,
            den_df,
            f: fstar,
            p: pval,
        }
    }

    /// SAS's multi-row Satterthwaite: eigen-decompose LΦLᵀ, ν_m per direction,
    /// E = Σ ν_m/(ν_m − 2) over ν_m > 2, df = 2E/(E − q).
    fn satterthwaite_multi(&self, l: &DMatrix<f64>) -> f64 {
        let c = l.nrows();
        let lcl = l * &self.phi * l.transpose();
        let eig = lcl.symmetric_eigen();
        let mut e = 0.0;
        for m in 0..c {
            let dir = eig.eigenvectors.column(m);
            let lm = l.transpose() * dir;
            let nu = self.satterthwaite_1d(&lm);
            if nu > 2.0 {
                e += nu / (nu - 2.0);
            }
        }
        if e > c as f64 {
            2.0 * e / (e - c as f64)
        } else {
            f64::NAN
        }
    }

    /// Kenward–Roger scale λ and df m for a multi-row L (Kenward & Roger 1997, eqs. as in SAS).
    fn kr_multi(&self, l: &DMatrix<f64>) -> (f64, f64) {
        let Some(w) = &self.w else {
            return (1.0, f64::NAN);
        };
        let c = l.nrows() as f64;
        let lpl = l * &self.phi * l.transpose();
        let Some(lpl_inv) = lpl.try_inverse() else {
            return (1.0, f64::NAN);
        };
        let m_mat = l.transpose() * lpl_inv * l;
        let mats: Vec<DMatrix<f64>> = self
            .p_mats
            .iter()
            .map(|p| &m_mat * &self.phi * p * &self.phi)
            .collect();
        let k = mats.len();
        let traces: Vec<f64> = mats.iter().map(|m| m.trace()).collect();
        let mut a1 = 0.0;
        let mut a2 = 0.0;
        for h in 0..k {
            for j in 0..k {
                a1 += w[(h, j)] * traces[h] * traces[j];
                a2 += w[(h, j)] * (&mats[h] * &mats[j]).trace();
            }
        }
        let b = (a1 + 6.0 * a2) / (2.0 * c);
        let g = ((c + 1.0) * a1 - (c + 4.0) * a2) / ((c + 2.0) * a2);
        let denom = 3.0 * c + 2.0 * (1.0 - g);
        let c1 = g / denom;
        let c2 = (c - g) / denom;
        let c3 = (c + 2.0 - g) / denom;
        let e_star = 1.0 / (1.0 - a2 / c);
        let v_star = 2.0 / c * (1.0 + c1 * b) / ((1.0 - c2 * b).powi(2) * (1.0 - c3 * b));
        let rho = v_star / (2.0 * e_star * e_star);
        let m = 4.0 + (c + 2.0) / (c * rho - 1.0);
        let lambda = m / (e_star * (m - 2.0));
        (lambda, m)
    }
}

/// Σ restricted to the visits of a pattern.
pub(crate) fn submatrix(s: &DMatrix<f64>, visits: &[usize]) -> DMatrix<f64> {
    let m = visits.len();
    DMatrix::from_fn(m, m, |a, b| s[(visits[a], visits[b])])
}

/// Φ_A = Φ + 2Φ{Σ_hj W_hj (Q_hj − P_hΦP_j − ¼R_hj)}Φ.
fn kr_adjusted(
    data: &PatternData,
    fit: &MmrmFit,
    dsig: &[DMatrix<f64>],
    p_mats: &[DMatrix<f64>],
    w: &DMatrix<f64>,
    method: DdfMethod,
) -> DMatrix<f64> {
    let k = dsig.len();
    let t = data.n_visits;
    let psi = if method == DdfMethod::KenwardRoger {
        Some(fit.structure.d2sigma_contracted(&fit.theta, t, w))
    } else {
        None
    };
    // Q: per pattern S (Σ_h Σ_h S Z_h) S with Z_h = Σ_j W_hj Σ_j; R: S Ψ S.
    let mut weights = Vec::with_capacity(data.patterns.len());
    for (pat, s) in data.patterns.iter().zip(&fit.sinv) {
        let subs: Vec<DMatrix<f64>> = dsig.iter().map(|d| submatrix(d, &pat.visits)).collect();
        let m = pat.visits.len();
        let mut inner = DMatrix::zeros(m, m);
        for h in 0..k {
            let mut z = DMatrix::zeros(m, m);
            for j in 0..k {
                let c = w[(h, j)];
                if c != 0.0 {
                    add_scaled(&mut z, c, &subs[j]);
                }
            }
            inner += &subs[h] * s * z;
        }
        if let Some(psi) = &psi {
            inner -= submatrix(psi, &pat.visits) * 0.25;
        }
        weights.push(s * inner * s);
    }
    let mut total = data.contract_xx(&weights);
    for h in 0..k {
        let left = &p_mats[h] * &fit.phi;
        for j in 0..k {
            let c = w[(h, j)];
            if c != 0.0 {
                total -= &left * &p_mats[j] * c;
            }
        }
    }
    let adj = &fit.phi + &fit.phi * total * &fit.phi * 2.0;
    (&adj + adj.transpose()) * 0.5
}
