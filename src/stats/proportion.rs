//! Binomial proportions: the Clopper–Pearson exact interval, as R's `binom.test(k, n)$conf.int`.

use super::distributions::beta_quantile;
use super::result::{
    Alternative, ConfidenceInterval, Diagnostic, Estimate, IntervalMethod, TestResult,
};

/// k of n with its exact two-sided `conf_level` interval. 0/n gives a lower limit of 0 and
/// n/n an upper limit of 1, as in R.
pub fn clopper_pearson(k: usize, n: usize, conf_level: f64, label: &'static str) -> TestResult {
    let mut out = TestResult::empty(n, Alternative::TwoSided);
    if n == 0 {
        out.diagnostics
            .push(Diagnostic::TooFewObservations { n, required: 1 });
        return out;
    }
    let (kf, nf) = (k as f64, n as f64);
    let alpha = 1.0 - conf_level;
    let lower = if k == 0 {
        0.0
    } else {
        beta_quantile(alpha / 2.0, kf, nf - kf + 1.0)
    };
    let upper = if k == n {
        1.0
    } else {
        beta_quantile(1.0 - alpha / 2.0, kf + 1.0, nf - kf)
    };
    out.estimate = Some(Estimate {
        label,
        value: kf / nf,
    });
    out.interval = Some(ConfidenceInterval {
        lower,
        upper,
        level: conf_level,
        method: IntervalMethod::ClopperPearson,
    });
    out
}
