//! Covariance structures of the repeated-measures model, parametrised as SAS PROC MIXED names
//! them (the "natural" parameters θ, in the order of SAS's "Covariance Parameter Estimates"),
//! plus an unconstrained parametrisation φ for the optimiser.
//!
//! Source of the definitions: SAS/STAT User's Guide, PROC MIXED, REPEATED statement, TYPE=
//! (table "Covariance Structure Examples"). Kenward–Roger's second-order term depends on the
//! parametrisation, so derivatives are taken with respect to SAS's θ (σ_ij for UN: linear).

use nalgebra::DMatrix;

/// A covariance structure over `T` ordered visits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CovStructure {
    /// Unstructured: UN(i,j), i ≥ j, row-wise.
    Unstructured,
    /// Compound symmetry: CS (common covariance), Residual.
    CompoundSymmetry,
    /// Heterogeneous CS: Var(1..T), CSH (correlation).
    HeteroCompoundSymmetry,
    /// First-order autoregressive: AR(1) (ρ), Residual (σ²).
    Ar1,
    /// Heterogeneous AR(1): Var(1..T), ARH(1).
    HeteroAr1,
    /// Toeplitz: TOEP(2..T) (covariances at lag 1..T-1), Residual (lag-0 variance).
    Toeplitz,
    /// Heterogeneous Toeplitz: Var(1..T), TOEPH(1..T-1) (correlations at lag 1..T-1).
    HeteroToeplitz,
    /// First-order ante-dependence, ANTE(1): Var(1..T), Rho(1..T-1).
    AnteDependence,
}

/// How a natural parameter maps from the optimiser's unconstrained value.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Link {
    Identity,
    Log,
    /// Correlation in (−1, 1): θ = tanh φ.
    Tanh,
}

impl Link {
    fn forward(self, phi: f64) -> f64 {
        match self {
            Link::Identity => phi,
            Link::Log => phi.exp(),
            Link::Tanh => phi.tanh(),
        }
    }
    fn inverse(self, theta: f64) -> f64 {
        match self {
            Link::Identity => theta,
            Link::Log => theta.max(1e-12).ln(),
            Link::Tanh => theta.clamp(-0.999_999, 0.999_999).atanh(),
        }
    }
    fn derivative(self, phi: f64) -> f64 {
        match self {
            Link::Identity => 1.0,
            Link::Log => phi.exp(),
            Link::Tanh => 1.0 - phi.tanh().powi(2),
        }
    }
}

impl CovStructure {
    /// Every structure, for `--cov` parsing and tests.
    pub const ALL: [CovStructure; 8] = [
        CovStructure::Unstructured,
        CovStructure::CompoundSymmetry,
        CovStructure::HeteroCompoundSymmetry,
        CovStructure::Ar1,
        CovStructure::HeteroAr1,
        CovStructure::Toeplitz,
        CovStructure::HeteroToeplitz,
        CovStructure::AnteDependence,
    ];

    /// The short name used on the command line (`us`, `cs`, …).
    pub fn code(self) -> &'static str {
        match self {
            CovStructure::Unstructured => "us",
            CovStructure::CompoundSymmetry => "cs",
            CovStructure::HeteroCompoundSymmetry => "csh",
            CovStructure::Ar1 => "ar1",
            CovStructure::HeteroAr1 => "ar1h",
            CovStructure::Toeplitz => "toep",
            CovStructure::HeteroToeplitz => "toeph",
            CovStructure::AnteDependence => "adh",
        }
    }

    /// SAS's TYPE= name.
    pub fn sas_name(self) -> &'static str {
        match self {
            CovStructure::Unstructured => "UN",
            CovStructure::CompoundSymmetry => "CS",
            CovStructure::HeteroCompoundSymmetry => "CSH",
            CovStructure::Ar1 => "AR(1)",
            CovStructure::HeteroAr1 => "ARH(1)",
            CovStructure::Toeplitz => "TOEP",
            CovStructure::HeteroToeplitz => "TOEPH",
            CovStructure::AnteDependence => "ANTE(1)",
        }
    }

    /// Parse a command-line code (case-insensitive; SAS names accepted too).
    pub fn parse(s: &str) -> Option<CovStructure> {
        let l = s.to_ascii_lowercase();
        let l = l.as_str();
        Some(match l {
            "us" | "un" | "unstructured" => CovStructure::Unstructured,
            "cs" => CovStructure::CompoundSymmetry,
            "csh" => CovStructure::HeteroCompoundSymmetry,
            "ar1" | "ar(1)" => CovStructure::Ar1,
            "ar1h" | "arh1" | "arh(1)" => CovStructure::HeteroAr1,
            "toep" => CovStructure::Toeplitz,
            "toeph" => CovStructure::HeteroToeplitz,
            "adh" | "ante1" | "ante(1)" => CovStructure::AnteDependence,
            _ => return None,
        })
    }

    /// Number of covariance parameters for `t` visits.
    pub fn n_params(self, t: usize) -> usize {
        match self {
            CovStructure::Unstructured => t * (t + 1) / 2,
            CovStructure::CompoundSymmetry | CovStructure::Ar1 => 2,
            CovStructure::HeteroCompoundSymmetry | CovStructure::HeteroAr1 => t + 1,
            CovStructure::Toeplitz => t,
            CovStructure::HeteroToeplitz | CovStructure::AnteDependence => 2 * t - 1,
        }
    }

    /// SAS's names of the parameters, in θ order.
    pub fn param_names(self, t: usize) -> Vec<String> {
        let vars = || (1..=t).map(|i| format!("Var({i})"));
        match self {
            CovStructure::Unstructured => {
                let mut v = Vec::new();
                for i in 1..=t {
                    for j in 1..=i {
                        v.push(format!("UN({i},{j})"));
                    }
                }
                v
            }
            CovStructure::CompoundSymmetry => vec!["CS".into(), "Residual".into()],
            CovStructure::Ar1 => vec!["AR(1)".into(), "Residual".into()],
            CovStructure::HeteroCompoundSymmetry => vars().chain(["CSH".to_string()]).collect(),
            CovStructure::HeteroAr1 => vars().chain(["ARH(1)".to_string()]).collect(),
            CovStructure::Toeplitz => (2..=t)
                .map(|i| format!("TOEP({i})"))
                .chain(["Residual".to_string()])
                .collect(),
            CovStructure::HeteroToeplitz => vars()
                .chain((1..t).map(|i| format!("TOEPH({i})")))
                .collect(),
            CovStructure::AnteDependence => {
                vars().chain((1..t).map(|i| format!("Rho({i})"))).collect()
            }
        }
    }

    /// Whether Σ is linear in θ (then Kenward–Roger equals KR-linear).
    pub fn is_linear(self) -> bool {
        matches!(
            self,
            CovStructure::Unstructured | CovStructure::CompoundSymmetry | CovStructure::Toeplitz
        )
    }

    fn links(self, t: usize) -> Vec<Link> {
        match self {
            CovStructure::Unstructured => unreachable!("UN uses its Cholesky parametrisation"),
            CovStructure::CompoundSymmetry => vec![Link::Identity, Link::Log],
            CovStructure::Ar1 => vec![Link::Tanh, Link::Log],
            CovStructure::HeteroCompoundSymmetry | CovStructure::HeteroAr1 => {
                let mut v = vec![Link::Log; t];
                v.push(Link::Tanh);
                v
            }
            CovStructure::Toeplitz => {
                let mut v = vec![Link::Identity; t - 1];
                v.push(Link::Log);
                v
            }
            CovStructure::HeteroToeplitz | CovStructure::AnteDependence => {
                let mut v = vec![Link::Log; t];
                v.extend(std::iter::repeat_n(Link::Tanh, t - 1));
                v
            }
        }
    }

    /// Σ(θ) for `t` visits.
    pub fn sigma(self, theta: &[f64], t: usize) -> DMatrix<f64> {
        let mut s = DMatrix::zeros(t, t);
        match self {
            CovStructure::Unstructured => {
                let mut k = 0;
                for i in 0..t {
                    for j in 0..=i {
                        s[(i, j)] = theta[k];
                        s[(j, i)] = theta[k];
                        k += 1;
                    }
                }
            }
            CovStructure::CompoundSymmetry => {
                s.fill(theta[0]);
                for i in 0..t {
                    s[(i, i)] += theta[1];
                }
            }
            CovStructure::Toeplitz => {
                for i in 0..t {
                    for j in 0..t {
                        let lag = i.abs_diff(j);
                        s[(i, j)] = if lag == 0 {
                            theta[t - 1]
                        } else {
                            theta[lag - 1]
                        };
                    }
                }
            }
            _ => {
                for i in 0..t {
                    for j in 0..t {
                        s[(i, j)] = self.scale(theta, i, t)
                            * self.scale(theta, j, t)
                            * self.correlation(theta, i, j, t);
                    }
                }
            }
        }
        s
    }

    /// Standard deviation of visit `i` for the multiplicative structures.
    fn scale(self, theta: &[f64], i: usize, t: usize) -> f64 {
        match self {
            CovStructure::Ar1 => theta[1].sqrt(),
            _ => {
                let _ = t;
                theta[i].sqrt()
            }
        }
    }

    /// Correlation between visits `i` and `j` for the multiplicative structures.
    fn correlation(self, theta: &[f64], i: usize, j: usize, t: usize) -> f64 {
        if i == j {
            return 1.0;
        }
        let lag = i.abs_diff(j);
        match self {
            CovStructure::Ar1 => theta[0].powi(lag as i32),
            CovStructure::HeteroAr1 => theta[t].powi(lag as i32),
            CovStructure::HeteroCompoundSymmetry => theta[t],
            CovStructure::HeteroToeplitz => theta[t + lag - 1],
            CovStructure::AnteDependence => {
                let (lo, hi) = (i.min(j), i.max(j));
                (lo..hi).map(|k| theta[t + k]).product()
            }
            _ => unreachable!("linear structures are built directly"),
        }
    }

    /// ∂Σ/∂θ_h for every h (analytic).
    pub fn dsigma(self, theta: &[f64], t: usize) -> Vec<DMatrix<f64>> {
        let k = self.n_params(t);
        let mut out = vec![DMatrix::zeros(t, t); k];
        match self {
            CovStructure::Unstructured => {
                let mut h = 0;
                for i in 0..t {
                    for j in 0..=i {
                        out[h][(i, j)] = 1.0;
                        out[h][(j, i)] = 1.0;
                        h += 1;
                    }
                }
            }
            CovStructure::CompoundSymmetry => {
                out[0].fill(1.0);
                for i in 0..t {
                    out[1][(i, i)] = 1.0;
                }
            }
            CovStructure::Toeplitz => {
                for i in 0..t {
                    for j in 0..t {
                        let lag = i.abs_diff(j);
                        let h = if lag == 0 { t - 1 } else { lag - 1 };
                        out[h][(i, j)] = 1.0;
                    }
                }
            }
            CovStructure::Ar1 => {
                let (rho, s2) = (theta[0], theta[1]);
                for i in 0..t {
                    for j in 0..t {
                        let lag = i.abs_diff(j) as i32;
                        out[1][(i, j)] = rho.powi(lag);
                        if lag > 0 {
                            out[0][(i, j)] = s2 * f64::from(lag) * rho.powi(lag - 1);
                        }
                    }
                }
            }
            _ => {
                // Σ_ij = s_i s_j c_ij with s_i = sqrt(Var(i)).
                let s: Vec<f64> = (0..t).map(|i| theta[i].sqrt()).collect();
                for i in 0..t {
                    for j in 0..t {
                        let c = self.correlation(theta, i, j, t);
                        if i == j {
                            out[i][(i, i)] = 1.0;
                            continue;
                        }
                        out[i][(i, j)] += c * s[j] / (2.0 * s[i]);
                        out[j][(i, j)] += c * s[i] / (2.0 * s[j]);
                        for (h, dc) in self.dcorrelation(theta, i, j, t) {
                            out[h][(i, j)] += s[i] * s[j] * dc;
                        }
                    }
                }
            }
        }
        out
    }

    /// Non-zero ∂c_ij/∂θ_h of the correlation parameters.
    fn dcorrelation(self, theta: &[f64], i: usize, j: usize, t: usize) -> Vec<(usize, f64)> {
        let lag = i.abs_diff(j);
        match self {
            CovStructure::HeteroCompoundSymmetry => vec![(t, 1.0)],
            CovStructure::HeteroAr1 => {
                vec![(t, lag as f64 * theta[t].powi(lag as i32 - 1))]
            }
            CovStructure::HeteroToeplitz => vec![(t + lag - 1, 1.0)],
            CovStructure::AnteDependence => {
                let (lo, hi) = (i.min(j), i.max(j));
                (lo..hi)
                    .map(|k| {
                        let others: f64 =
                            (lo..hi).filter(|&m| m != k).map(|m| theta[t + m]).product();
                        (t + k, others)
                    })
                    .collect()
            }
            _ => Vec::new(),
        }
    }

    /// ∂²Σ/∂θ_h∂θ_j contracted with a symmetric weight `w` (k×k): Σ_hj w_hj ∂²Σ/∂θ_h∂θ_j.
    /// Zero for structures linear in θ; otherwise central differences of the analytic first
    /// derivatives (step 1e-5 relative: error of order 1e-10, far inside the SAS tolerances).
    pub fn d2sigma_contracted(self, theta: &[f64], t: usize, w: &DMatrix<f64>) -> DMatrix<f64> {
        let mut out = DMatrix::zeros(t, t);
        if self.is_linear() {
            return out;
        }
        let k = self.n_params(t);
        for j in 0..k {
            let step = 1e-5 * theta[j].abs().max(1e-2);
            let mut up = theta.to_vec();
            let mut down = theta.to_vec();
            up[j] += step;
            down[j] -= step;
            let du = self.dsigma(&up, t);
            let dd = self.dsigma(&down, t);
            for h in 0..k {
                let coef = w[(h, j)] / (2.0 * step);
                if coef != 0.0 {
                    out += (&du[h] - &dd[h]) * coef;
                }
            }
        }
        // Symmetrise the finite-difference error away.
        (&out + out.transpose()) * 0.5
    }

    /// Number of optimiser parameters (same as θ).
    pub fn n_phi(self, t: usize) -> usize {
        self.n_params(t)
    }

    /// θ from the optimiser's φ. For UN, φ holds the Cholesky factor L of Σ row-wise with the
    /// log of its diagonal.
    pub fn theta_from_phi(self, phi: &[f64], t: usize) -> Vec<f64> {
        match self {
            CovStructure::Unstructured => {
                let l = chol_from_phi(phi, t);
                let s = &l * l.transpose();
                sigma_to_un_theta(&s)
            }
            _ => self
                .links(t)
                .iter()
                .zip(phi)
                .map(|(l, &p)| l.forward(p))
                .collect(),
        }
    }

    /// φ from θ (θ must give a positive-definite Σ for UN).
    pub fn phi_from_theta(self, theta: &[f64], t: usize) -> Option<Vec<f64>> {
        match self {
            CovStructure::Unstructured => {
                let s = self.sigma(theta, t);
                let l = s.cholesky()?.l();
                let mut phi = Vec::with_capacity(self.n_params(t));
                for i in 0..t {
                    for j in 0..=i {
                        phi.push(if i == j { l[(i, i)].ln() } else { l[(i, j)] });
                    }
                }
                Some(phi)
            }
            _ => Some(
                self.links(t)
                    .iter()
                    .zip(theta)
                    .map(|(l, &v)| l.inverse(v))
                    .collect(),
            ),
        }
    }

    /// Σ(φ) and ∂Σ/∂φ_h for the optimiser.
    pub fn sigma_and_dphi(self, phi: &[f64], t: usize) -> (DMatrix<f64>, Vec<DMatrix<f64>>) {
        match self {
            CovStructure::Unstructured => {
                let l = chol_from_phi(phi, t);
                let s = &l * l.transpose();
                let mut d = Vec::with_capacity(phi.len());
                for i in 0..t {
                    for j in 0..=i {
                        // ∂(LLᵀ)/∂L_ij = E_ij Lᵀ + L E_ji
                        let mut e = DMatrix::zeros(t, t);
                        for c in 0..t {
                            e[(i, c)] += l[(c, j)];
                            e[(c, i)] += l[(c, j)];
                        }
                        if i == j {
                            e *= l[(i, i)];
                        }
                        d.push(e);
                    }
                }
                (s, d)
            }
            _ => {
                let theta = self.theta_from_phi(phi, t);
                let links = self.links(t);
                let mut d = self.dsigma(&theta, t);
                for (h, m) in d.iter_mut().enumerate() {
                    *m *= links[h].derivative(phi[h]);
                }
                (self.sigma(&theta, t), d)
            }
        }
    }

    /// Starting θ from per-visit residual variances (correlations zero).
    pub fn start_theta(self, variances: &[f64]) -> Vec<f64> {
        let t = variances.len();
        let mean = variances.iter().sum::<f64>() / t as f64;
        match self {
            CovStructure::Unstructured => {
                sigma_to_un_theta(&DMatrix::from_diagonal(&variances.to_vec().into()))
            }
            CovStructure::CompoundSymmetry => vec![0.0, mean],
            CovStructure::Ar1 => vec![0.0, mean],
            CovStructure::HeteroCompoundSymmetry | CovStructure::HeteroAr1 => {
                variances.iter().copied().chain([0.0]).collect()
            }
            CovStructure::Toeplitz => vec![0.0; t - 1].into_iter().chain([mean]).collect(),
            CovStructure::HeteroToeplitz | CovStructure::AnteDependence => variances
                .iter()
                .copied()
                .chain(std::iter::repeat_n(0.0, t - 1))
                .collect(),
        }
    }
}

fn chol_from_phi(phi: &[f64], t: usize) -> DMatrix<f64> {
    let mut l = DMatrix::zeros(t, t);
    let mut k = 0;
    for i in 0..t {
        for j in 0..=i {
            l[(i, j)] = if i == j { phi[k].exp() } else { phi[k] };
            k += 1;
        }
    }
    l
}

/// UN θ (lower triangle row-wise) of a symmetric matrix.
pub fn sigma_to_un_theta(s: &DMatrix<f64>) -> Vec<f64> {
    let t = s.nrows();
    let mut v = Vec::with_capacity(t * (t + 1) / 2);
    for i in 0..t {
        for j in 0..=i {
            v.push(s[(i, j)]);
        }
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numeric_dsigma(c: CovStructure, theta: &[f64], t: usize) -> Vec<DMatrix<f64>> {
        (0..theta.len())
            .map(|h| {
                let mut u = theta.to_vec();
                let mut d = theta.to_vec();
                u[h] += 1e-6;
                d[h] -= 1e-6;
                (c.sigma(&u, t) - c.sigma(&d, t)) / 2e-6
            })
            .collect()
    }

    #[test]
    fn analytic_derivatives_match_differences() {
        let t = 4;
        for c in CovStructure::ALL {
            let phi: Vec<f64> = (0..c.n_phi(t)).map(|i| 0.1 + 0.05 * i as f64).collect();
            let theta = c.theta_from_phi(&phi, t);
            assert_eq!(theta.len(), c.n_params(t));
            assert_eq!(c.param_names(t).len(), c.n_params(t));
            let a = c.dsigma(&theta, t);
            let n = numeric_dsigma(c, &theta, t);
            for (x, y) in a.iter().zip(&n) {
                assert!((x - y).abs().max() < 1e-6, "{c:?}");
            }
            // φ-derivatives against differences of Σ(φ).
            let (s, dphi) = c.sigma_and_dphi(&phi, t);
            assert!((&s - c.sigma(&theta, t)).abs().max() < 1e-12);
            for h in 0..phi.len() {
                let mut u = phi.clone();
                let mut d = phi.clone();
                u[h] += 1e-6;
                d[h] -= 1e-6;
                let num = (c.sigma_and_dphi(&u, t).0 - c.sigma_and_dphi(&d, t).0) / 2e-6;
                assert!((&num - &dphi[h]).abs().max() < 1e-6, "{c:?} φ{h}");
            }
            let back = c.phi_from_theta(&theta, t).expect("pd");
            for (p, q) in back.iter().zip(&phi) {
                assert!((p - q).abs() < 1e-9, "{c:?}");
            }
        }
    }
}
