//! Risk differences p1 − p2 of two binomial proportions: the Miettinen–Nurminen score
//! interval (Miettinen & Nurminen, Stat Med 1985), unstratified and stratified with
//! Mantel–Haenszel weights (the interval consistent with the CMH test), the Mantel–Haenszel
//! common difference with Sato's (1989) variance as SAS PROC FREQ `COMMONRISKDIFF` documents
//! it, and the Wilson interval of one proportion as a result row.
//! References: tests/reference/responders/responders_reference.R (formulas written in R).

use super::distributions::norm_quantile;
use super::proportion::wilson;
use super::root::zeroin;
use super::strata::{one_arm_diagnostic, Stratum};
use super::{Alternative, ConfidenceInterval, Diagnostic, Estimate, IntervalMethod, TestResult};

/// Tolerance of the score-interval root search (absolute, on the difference scale): far below
/// the 1e-6 relative agreement the tests ask for, well above double rounding.
const ROOT_TOL: f64 = 1e-14;

fn z_for(conf_level: f64) -> f64 {
    -norm_quantile((1.0 - conf_level) / 2.0)
}

/// Restricted maximum-likelihood estimates of (p1, p2) under p1 − p2 = δ, in closed form
/// (Miettinen & Nurminen 1985, appendix; the cubic's trigonometric root).
pub fn restricted_mle(s: &Stratum, delta: f64) -> (f64, f64) {
    let (k1, n1, k2, n2) = s.f64s();
    let theta = n2 / n1;
    let a = 1.0 + theta;
    let b = -(1.0 + theta + k1 / n1 + theta * k2 / n2 + delta * (theta + 2.0));
    let c = delta * delta + delta * (2.0 * k1 / n1 + theta + 1.0) + k1 / n1 + theta * k2 / n2;
    let d = -k1 / n1 * delta * (1.0 + delta);
    let v = b.powi(3) / (27.0 * a.powi(3)) - b * c / (6.0 * a * a) + d / (2.0 * a);
    let u = v.signum() * (b * b / (9.0 * a * a) - c / (3.0 * a)).max(0.0).sqrt();
    let r = if u == 0.0 { 0.0 } else { v / u.powi(3) };
    let w = (std::f64::consts::PI + r.clamp(-1.0, 1.0).acos()) / 3.0;
    let p1 = (2.0 * u * w.cos() - b / (3.0 * a)).clamp(0.0, 1.0);
    let p2 = (p1 - delta).clamp(0.0, 1.0);
    (p1, p2)
}

/// Miettinen–Nurminen variance of p̂1 − p̂2 at δ: the restricted-MLE binomial variances times
/// N/(N − 1).
fn mn_variance(s: &Stratum, delta: f64) -> f64 {
    let (p1, p2) = restricted_mle(s, delta);
    let (n1, n2) = (s.n1 as f64, s.n2 as f64);
    let n = n1 + n2;
    (p1 * (1.0 - p1) / n1 + p2 * (1.0 - p2) / n2) * n / (n - 1.0)
}

/// The interval {δ : |stat(δ)| ≤ z} of a score statistic decreasing in δ with stat(est) = 0;
/// a limit is −1 or 1 when the statistic does not reach ±z inside (−1, 1).
fn score_interval<F: Fn(f64) -> f64>(stat: F, est: f64, z: f64) -> Option<(f64, f64)> {
    let eps = 1e-12;
    // At the estimate the statistic is 0 (0/0 when p1 = p2 = 0 or 1).
    let s = |x: f64| if x == est { 0.0 } else { stat(x) };
    let limit = |target: f64, a: f64, b: f64| -> Option<f64> {
        let (fa, fb) = (s(a) - target, s(b) - target);
        if !(fa.is_finite() && fb.is_finite()) {
            return None;
        }
        let r = zeroin(a, b, fa, fb, |x| s(x) - target, ROOT_TOL, 1000);
        r.converged.then_some(r.root)
    };
    let lower = if est <= -1.0 + eps || s(-1.0 + eps) < z {
        -1.0
    } else {
        limit(z, -1.0 + eps, est)?
    };
    let upper = if est >= 1.0 - eps || s(1.0 - eps) > -z {
        1.0
    } else {
        limit(-z, est, 1.0 - eps)?
    };
    Some((lower, upper))
}

fn difference_result(
    n: usize,
    est: f64,
    interval: Option<(f64, f64)>,
    conf_level: f64,
    method: IntervalMethod,
    label: &'static str,
) -> TestResult {
    let mut out = TestResult::empty(n, Alternative::TwoSided);
    out.estimate = Some(Estimate { label, value: est });
    match interval {
        Some((lower, upper)) => {
            out.interval = Some(ConfidenceInterval {
                lower,
                upper,
                level: conf_level,
                method,
            })
        }
        None => out.diagnostics.push(Diagnostic::NonConvergence {
            routine: "score interval root search",
        }),
    }
    out
}

/// k1/n1 − k2/n2 with the Miettinen–Nurminen score interval, as SAS `RISKDIFF(CL=MN)`.
pub fn miettinen_nurminen(s: &Stratum, conf_level: f64, label: &'static str) -> TestResult {
    if !s.both_arms() {
        let mut out = TestResult::empty(s.n(), Alternative::TwoSided);
        out.diagnostics.push(Diagnostic::TooFewObservations {
            n: s.n1.min(s.n2),
            required: 1,
        });
        return out;
    }
    let (k1, n1, k2, n2) = s.f64s();
    let est = k1 / n1 - k2 / n2;
    let stat = |delta: f64| (est - delta) / mn_variance(s, delta).sqrt();
    let ci = score_interval(stat, est, z_for(conf_level));
    difference_result(
        s.n(),
        est,
        ci,
        conf_level,
        IntervalMethod::MiettinenNurminen,
        label,
    )
}

/// Mantel–Haenszel weights n1 n2 / n of the strata with both arms, normalised to sum 1, and
/// those strata.
fn mh_weights(strata: &[Stratum]) -> (Vec<Stratum>, Vec<f64>) {
    let used: Vec<Stratum> = strata.iter().copied().filter(Stratum::both_arms).collect();
    let raw: Vec<f64> = used
        .iter()
        .map(|s| (s.n1 * s.n2) as f64 / s.n() as f64)
        .collect();
    let total: f64 = raw.iter().sum();
    (used, raw.iter().map(|w| w / total).collect())
}

fn no_stratum_with_both_arms(strata: &[Stratum]) -> TestResult {
    let n = strata.iter().map(Stratum::n).sum();
    let mut out = TestResult::empty(n, Alternative::TwoSided);
    out.diagnostics.push(Diagnostic::NotComputed {
        reason: "no stratum with both arms",
    });
    out.diagnostics.extend(one_arm_diagnostic(strata));
    out
}

/// The stratified Miettinen–Nurminen score interval with Mantel–Haenszel weights:
/// {δ : |Σ w_h (d̂_h − δ)| ≤ z √(Σ w_h² Ṽ_h(δ))}, Ṽ_h the MN variance of stratum h at δ.
/// The weights do not depend on δ, so the estimate (the root of the statistic) is the MH
/// common difference. Strata with one arm only have weight 0.
pub fn mn_stratified(strata: &[Stratum], conf_level: f64, label: &'static str) -> TestResult {
    let (used, w) = mh_weights(strata);
    if used.is_empty() {
        return no_stratum_with_both_arms(strata);
    }
    let d: Vec<f64> = used
        .iter()
        .map(|s| s.k1 as f64 / s.n1 as f64 - s.k2 as f64 / s.n2 as f64)
        .collect();
    let est: f64 = w.iter().zip(&d).map(|(w, d)| w * d).sum();
    let stat = |delta: f64| {
        let num: f64 = w.iter().zip(&d).map(|(w, d)| w * (d - delta)).sum();
        let var: f64 = w
            .iter()
            .zip(&used)
            .map(|(w, s)| w * w * mn_variance(s, delta))
            .sum();
        num / var.sqrt()
    };
    let ci = score_interval(stat, est, z_for(conf_level));
    let n = strata.iter().map(Stratum::n).sum();
    let mut out = difference_result(
        n,
        est,
        ci,
        conf_level,
        IntervalMethod::MiettinenNurminen,
        label,
    );
    out.diagnostics.extend(one_arm_diagnostic(strata));
    out
}

/// The Mantel–Haenszel common risk difference Σ w_h d̂_h / Σ w_h (w_h = n1 n2 / n) with
/// Sato's variance and its Wald interval, as SAS `COMMONRISKDIFF` (CL=MH).
pub fn mh_sato(strata: &[Stratum], conf_level: f64, label: &'static str) -> TestResult {
    let used: Vec<Stratum> = strata.iter().copied().filter(Stratum::both_arms).collect();
    if used.is_empty() {
        return no_stratum_with_both_arms(strata);
    }
    let (mut sw, mut swd, mut sp, mut sq) = (0.0, 0.0, 0.0, 0.0);
    for s in &used {
        let (k1, n1, k2, n2) = s.f64s();
        let n = n1 + n2;
        let w = n1 * n2 / n;
        sw += w;
        swd += w * (k1 / n1 - k2 / n2);
        sp += (n1 * n1 * k2 - n2 * n2 * k1 + n1 * n2 * (n2 - n1) / 2.0) / (n * n);
        sq += (k1 * (n2 - k2) + k2 * (n1 - k1)) / (2.0 * n);
    }
    let est = swd / sw;
    let se = ((est * sp + sq) / (sw * sw)).max(0.0).sqrt();
    let z = z_for(conf_level);
    let n = strata.iter().map(Stratum::n).sum();
    let mut out = difference_result(
        n,
        est,
        Some((est - z * se, est + z * se)),
        conf_level,
        IntervalMethod::MantelHaenszelSato,
        label,
    );
    out.diagnostics.extend(one_arm_diagnostic(strata));
    out
}

/// k of n with the Wilson score interval (no continuity correction), as R's
/// `prop.test(k, n, correct = FALSE)$conf.int`.
pub fn wilson_result(k: usize, n: usize, conf_level: f64, label: &'static str) -> TestResult {
    let mut out = TestResult::empty(n, Alternative::TwoSided);
    let Some((lower, upper)) = wilson(k, n, conf_level) else {
        out.diagnostics
            .push(Diagnostic::TooFewObservations { n, required: 1 });
        return out;
    };
    out.estimate = Some(Estimate {
        label,
        value: k as f64 / n as f64,
    });
    out.interval = Some(ConfidenceInterval {
        lower,
        upper,
        level: conf_level,
        method: IntervalMethod::Wilson,
    });
    out
}
