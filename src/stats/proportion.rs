//! Binomial proportions: the Clopper–Pearson exact interval, as R's `binom.test(k, n)$conf.int`;
//! the Jeffreys interval (Brown, Cai & DasGupta, Statistical Science 2001), as SAS PROC FREQ
//! `BINOMIAL(JEFFREYS)`.

use super::distributions::beta_quantile;
use super::result::{
    Alternative, ConfidenceInterval, Diagnostic, Estimate, IntervalMethod, TestResult,
};

/// k of n with its exact two-sided `conf_level` interval. 0/n gives a lower limit of 0 and
/// n/n an upper limit of 1, as in R.
pub fn clopper_pearson(k: usize, n: usize, conf_level: f64, label: &'static str) -> TestResult {
    let (kf, nf) = (k as f64, n as f64);
    let shapes = [(kf, nf - kf + 1.0), (kf + 1.0, nf - kf)];
    beta_interval(
        k,
        n,
        conf_level,
        label,
        shapes,
        IntervalMethod::ClopperPearson,
    )
}

/// k of n with the Jeffreys interval: the equal-tailed `conf_level` interval of the
/// Beta(k + ½, n − k + ½) posterior under Jeffreys' prior, with lower limit 0 at k = 0 and upper
/// limit 1 at k = n (Brown, Cai & DasGupta 2001, section 4.1.2). Checked against R's `qbeta`
/// (tests/reference/jeffreys_reference.R).
pub fn jeffreys(k: usize, n: usize, conf_level: f64, label: &'static str) -> TestResult {
    let (kf, nf) = (k as f64, n as f64);
    let shape = (kf + 0.5, nf - kf + 0.5);
    beta_interval(
        k,
        n,
        conf_level,
        label,
        [shape, shape],
        IntervalMethod::Jeffreys,
    )
}

/// k/n with the interval from the α/2 quantile of Beta(`shapes[0]`) and the 1 − α/2 quantile of
/// Beta(`shapes[1]`); 0 below at k = 0 and 1 above at k = n.
fn beta_interval(
    k: usize,
    n: usize,
    conf_level: f64,
    label: &'static str,
    shapes: [(f64, f64); 2],
    method: IntervalMethod,
) -> TestResult {
    let mut out = TestResult::empty(n, Alternative::TwoSided);
    if n == 0 {
        out.diagnostics
            .push(Diagnostic::TooFewObservations { n, required: 1 });
        return out;
    }
    let alpha = 1.0 - conf_level;
    let [(a1, b1), (a2, b2)] = shapes;
    let lower = if k == 0 {
        Some(0.0)
    } else {
        beta_quantile(alpha / 2.0, a1, b1)
    };
    let upper = if k == n {
        Some(1.0)
    } else {
        beta_quantile(1.0 - alpha / 2.0, a2, b2)
    };
    out.estimate = Some(Estimate {
        label,
        value: k as f64 / n as f64,
    });
    // Both quantiles exist for 0 < k < n ≤ 2^53 and a level in (0, 1); `None` only guards.
    if let (Some(lower), Some(upper)) = (lower, upper) {
        out.interval = Some(ConfidenceInterval {
            lower,
            upper,
            level: conf_level,
            method,
        });
    }
    out
}

fn z_for(conf_level: f64) -> f64 {
    -super::distributions::norm_quantile((1.0 - conf_level) / 2.0)
}

/// Wilson score interval for k of n without continuity correction, as R's
/// `prop.test(k, n, correct = FALSE)$conf.int`. `None` for n = 0.
pub fn wilson(k: usize, n: usize, conf_level: f64) -> Option<(f64, f64)> {
    if n == 0 {
        return None;
    }
    let (kf, nf) = (k as f64, n as f64);
    let p = kf / nf;
    let z = z_for(conf_level);
    let z2 = z * z;
    let centre = p + z2 / (2.0 * nf);
    let half = z * (p * (1.0 - p) / nf + z2 / (4.0 * nf * nf)).sqrt();
    let denom = 1.0 + z2 / nf;
    let lower = if k == 0 {
        0.0
    } else {
        ((centre - half) / denom).max(0.0)
    };
    let upper = if k == n {
        1.0
    } else {
        ((centre + half) / denom).min(1.0)
    };
    Some((lower, upper))
}

/// Difference of proportions k1/n1 − k2/n2 with Newcombe's hybrid score interval (method 10 of
/// Newcombe 1998, from two Wilson intervals, no continuity correction).
pub fn newcombe_difference(
    k1: usize,
    n1: usize,
    k2: usize,
    n2: usize,
    conf_level: f64,
    label: &'static str,
) -> TestResult {
    let mut out = TestResult::empty(n1 + n2, Alternative::TwoSided);
    let (Some((l1, u1)), Some((l2, u2))) = (wilson(k1, n1, conf_level), wilson(k2, n2, conf_level))
    else {
        out.diagnostics.push(Diagnostic::TooFewObservations {
            n: n1.min(n2),
            required: 1,
        });
        return out;
    };
    let p1 = k1 as f64 / n1 as f64;
    let p2 = k2 as f64 / n2 as f64;
    let d = p1 - p2;
    out.estimate = Some(Estimate { label, value: d });
    out.interval = Some(ConfidenceInterval {
        lower: d - ((p1 - l1).powi(2) + (u2 - p2).powi(2)).sqrt(),
        upper: d + ((u1 - p1).powi(2) + (p2 - l2).powi(2)).sqrt(),
        level: conf_level,
        method: IntervalMethod::Newcombe,
    });
    out
}

/// Risk ratio (k1/n1) / (k2/n2) with the log (Katz) interval
/// exp(log RR ± z √(1/k1 − 1/n1 + 1/k2 − 1/n2)). With a zero count the ratio is 0 or ∞ and the
/// log interval does not exist: the estimate is given, the interval is not, and the result says so.
pub fn risk_ratio_log(
    k1: usize,
    n1: usize,
    k2: usize,
    n2: usize,
    conf_level: f64,
    label: &'static str,
) -> TestResult {
    let mut out = TestResult::empty(n1 + n2, Alternative::TwoSided);
    if n1 == 0 || n2 == 0 {
        out.diagnostics.push(Diagnostic::TooFewObservations {
            n: n1.min(n2),
            required: 1,
        });
        return out;
    }
    if k1 == 0 && k2 == 0 {
        out.diagnostics.push(Diagnostic::NoEvents);
        return out;
    }
    let p1 = k1 as f64 / n1 as f64;
    let p2 = k2 as f64 / n2 as f64;
    let rr = if k2 == 0 { f64::INFINITY } else { p1 / p2 };
    out.estimate = Some(Estimate { label, value: rr });
    if k1 == 0 || k2 == 0 {
        out.diagnostics.push(Diagnostic::ZeroCell);
        return out;
    }
    let se = (1.0 / k1 as f64 - 1.0 / n1 as f64 + 1.0 / k2 as f64 - 1.0 / n2 as f64).sqrt();
    let z = z_for(conf_level);
    out.interval = Some(ConfidenceInterval {
        lower: (rr.ln() - z * se).exp(),
        upper: (rr.ln() + z * se).exp(),
        level: conf_level,
        method: IntervalMethod::LogNormal,
    });
    out
}
