//! Standardised effect sizes with noncentral-t intervals.

use super::descriptive::{mean, sd};
use super::noncentral_t::ncp_interval;
use super::result::{
    Alternative, ConfidenceInterval, DegreesOfFreedom, DfMethod, Diagnostic, Estimate,
    IntervalMethod, Statistic, TestResult,
};

/// Cohen's d_z for paired data: mean of the changes / SD of the changes, sign kept.
///
/// The interval inverts the noncentral t distribution of t = d_z √n with n − 1 df
/// (Steiger & Fouladi 1997; as `effectsize::cohens_d(x, mu = 0)` / `repeated_measures_d(method = "z")`,
/// which solve the same equations by Nelder–Mead to about 1e-4).
/// The statistic is that t and df its degrees of freedom; no p-value is given (it is the
/// paired t test's).
pub fn cohen_dz(changes: &[f64], conf_level: f64) -> TestResult {
    let n = changes.len();
    let mut out = TestResult::empty(n, Alternative::TwoSided);
    let (Some(m), Some(s)) = (mean(changes), sd(changes)) else {
        out.diagnostics
            .push(Diagnostic::TooFewObservations { n, required: 2 });
        return out;
    };
    if s == 0.0 || s < 10.0 * f64::EPSILON * m.abs() {
        out.diagnostics.push(Diagnostic::ZeroVariance);
        return out;
    }
    let dz = m / s;
    let root_n = (n as f64).sqrt();
    let t = dz * root_n;
    let df = n as f64 - 1.0;
    out.estimate = Some(Estimate {
        label: "cohen_dz",
        value: dz,
    });
    out.statistic = Some(Statistic {
        name: "t",
        value: t,
    });
    out.df = Some(DegreesOfFreedom {
        value: df,
        method: DfMethod::NMinusOne,
    });
    match ncp_interval(t, df, conf_level) {
        Some((lo, hi)) => {
            out.interval = Some(ConfidenceInterval {
                lower: lo / root_n,
                upper: hi / root_n,
                level: conf_level,
                method: IntervalMethod::NoncentralT,
            })
        }
        None => out.diagnostics.push(Diagnostic::NonConvergence {
            routine: "noncentral t inversion",
        }),
    }
    out
}
