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

/// Hedges' g for two independent samples: (mean(x) − mean(y)) / pooled SD, times the exact
/// small-sample correction J = Γ(df/2) / (√(df/2) Γ((df − 1)/2)), df = nx + ny − 2. The
/// interval inverts the noncentral t of t = d / √(1/nx + 1/ny) and is scaled by J, as
/// `effectsize::hedges_g(x, y)`.
pub fn hedges_g(x: &[f64], y: &[f64], conf_level: f64) -> TestResult {
    let (nx, ny) = (x.len(), y.len());
    let mut out = TestResult::empty(nx + ny, Alternative::TwoSided);
    let (Some(mx), Some(my), Some(sx), Some(sy)) = (mean(x), mean(y), sd(x), sd(y)) else {
        out.diagnostics.push(Diagnostic::TooFewObservations {
            n: nx.min(ny),
            required: 2,
        });
        return out;
    };
    let (nxf, nyf) = (nx as f64, ny as f64);
    let df = nxf + nyf - 2.0;
    let pooled = (((nxf - 1.0) * sx * sx + (nyf - 1.0) * sy * sy) / df).sqrt();
    if pooled == 0.0 || pooled < 10.0 * f64::EPSILON * mx.abs().max(my.abs()) {
        out.diagnostics.push(Diagnostic::ZeroVariance);
        return out;
    }
    let d = (mx - my) / pooled;
    let hn = (1.0 / nxf + 1.0 / nyf).sqrt();
    let t = d / hn;
    let j = (statrs::function::gamma::ln_gamma(df / 2.0)
        - (df / 2.0).sqrt().ln()
        - statrs::function::gamma::ln_gamma((df - 1.0) / 2.0))
    .exp();
    out.estimate = Some(Estimate {
        label: "hedges_g",
        value: d * j,
    });
    out.statistic = Some(Statistic {
        name: "t",
        value: t,
    });
    out.df = Some(DegreesOfFreedom {
        value: df,
        method: DfMethod::Pooled,
    });
    match ncp_interval(t, df, conf_level) {
        Some((lo, hi)) => {
            out.interval = Some(ConfidenceInterval {
                lower: lo * hn * j,
                upper: hi * hn * j,
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
