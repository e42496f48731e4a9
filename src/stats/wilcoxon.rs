//! Wilcoxon signed-rank test with the Hodges–Lehmann estimate and interval, as R's
//! `wilcox.test(x, conf.int = TRUE)` (equivalently `wilcox.test(y, x, paired = TRUE)` on
//! x = y − baseline).
//!
//! - Zeros are dropped (Wilcoxon's convention) and counted in the result.
//! - p is exact when fewer than 50 non-zero values remain and there are no ties; otherwise the
//!   normal approximation with tie correction and continuity correction is used, and the result
//!   says so. The asymptotic interval inverts that approximation with R's own root finder and
//!   tolerance (`uniroot(tol = 1e-4)`), so the limits agree with R to the last digit.
//! - The estimate is always the median of the Walsh averages of the non-zero values. R reports
//!   the same number in its exact branch; in its asymptotic branch R reports instead a root of
//!   the standardised statistic found to within 1e-4, which can differ from the median of the
//!   Walsh averages in the fourth decimal.

use super::distributions::{norm_cdf, norm_quantile, norm_sf};
#[cfg(test)]
use super::rank::signed_ranks;
use super::rank::{signed_rank_sum_sorted, signum_r};
use super::result::{
    Alternative, ConfidenceInterval, Diagnostic, Estimate, IntervalMethod, PValueMethod, Statistic,
    TestResult,
};
use super::root::zeroin;
use super::signrank::SignRankDistribution;
use super::walsh::WalshSums;

/// Below this many non-zero values (and with no ties) the exact distribution is used, as R.
pub const EXACT_LIMIT: usize = 50;

/// `W(d)` of [`standardised_statistic`] from the values sorted ascending, in O(n): the ranks of
/// |x − d| come from merging the negative part (reversed) with the positive part instead of a
/// sort, so the root finder costs O(n) per step. Bit-identical to the direct computation (the
/// same tie groups in the same order; rank sums are exact in f64).
fn standardised_statistic_sorted(sorted: &[f64], d: f64, correct: bool) -> f64 {
    // x − d on the fly (no copy per step of the root finder). Negative values form a prefix,
    // positive values a suffix (subtraction is monotone).
    let shifted = |k: usize| sorted[k] - d;
    let neg_end = sorted.partition_point(|v| v - d < 0.0);
    let pos_start = neg_end + sorted[neg_end..].partition_point(|v| v - d == 0.0);
    let nx = (neg_end + sorted.len() - pos_start) as f64;
    if nx == 0.0 {
        return f64::NAN;
    }
    let (mut i, mut j) = (neg_end, pos_start); // i walks the negatives downwards
    let mut rank = 0usize; // ranks assigned so far
    let mut v = 0.0f64;
    let mut tie_term = 0.0f64;
    let abs_at = |i: usize, j: usize| -> f64 {
        let a = if i > 0 {
            -shifted(i - 1)
        } else {
            f64::INFINITY
        };
        let b = if j < sorted.len() {
            shifted(j)
        } else {
            f64::INFINITY
        };
        a.min(b)
    };
    while i > 0 || j < sorted.len() {
        let value = abs_at(i, j);
        let (mut t, mut positives) = (0usize, 0usize);
        while i > 0 && -shifted(i - 1) == value {
            i -= 1;
            t += 1;
        }
        while j < sorted.len() && shifted(j) == value {
            j += 1;
            t += 1;
            positives += 1;
        }
        let avg = (2 * rank + t + 1) as f64 / 2.0;
        v += avg * positives as f64;
        if t > 1 {
            tie_term += (t * t * t - t) as f64;
        }
        rank += t;
    }
    let v = v + 0.0;
    let zd = v - nx * (nx + 1.0) / 4.0;
    let sigma = (nx * (nx + 1.0) * (2.0 * nx + 1.0) / 24.0 - tie_term / 48.0).sqrt();
    let correction = if correct { signum_r(zd) * 0.5 } else { 0.0 };
    (zd - correction) / sigma
}

/// Standardised signed-rank statistic of `x − d` (R's inner function `W(d)`).
#[cfg(test)]
fn standardised_statistic(x: &[f64], d: f64, correct: bool) -> f64 {
    let xd: Vec<f64> = x.iter().map(|v| v - d).filter(|v| *v != 0.0).collect();
    let nx = xd.len() as f64;
    if xd.is_empty() {
        // R (4.2) divides 0 by a zero SIGMA here: NaN, so no interval.
        return f64::NAN;
    }
    let (_, ties, v) = signed_ranks(&xd);
    let zd = v - nx * (nx + 1.0) / 4.0;
    let tie_term: f64 = ties.iter().map(|&t| (t * t * t - t) as f64).sum();
    let sigma = (nx * (nx + 1.0) * (2.0 * nx + 1.0) / 24.0 - tie_term / 48.0).sqrt();
    let correction = if correct { signum_r(zd) * 0.5 } else { 0.0 };
    (zd - correction) / sigma
}

/// Two-sided Wilcoxon signed-rank test of location 0 for `x`, with the Hodges–Lehmann estimate
/// (label `label`) and a `conf_level` interval.
pub fn signed_rank(x: &[f64], conf_level: f64, label: &'static str) -> TestResult {
    let nonzero: Vec<f64> = x.iter().copied().filter(|v| *v != 0.0).collect();
    let zeros = x.len() - nonzero.len();
    let n = nonzero.len();
    let mut out = TestResult::empty(n, Alternative::TwoSided);
    out.n_left_out = zeros;
    if zeros > 0 {
        out.diagnostics
            .push(Diagnostic::ZerosDropped { count: zeros });
    }
    if n == 0 {
        out.diagnostics
            .push(Diagnostic::TooFewObservations { n: 0, required: 1 });
        return out;
    }
    let mut sorted = nonzero.clone();
    sorted.sort_unstable_by(f64::total_cmp);
    let walsh = WalshSums::new(&sorted);
    out.estimate = Some(Estimate {
        label,
        value: walsh.median_average(),
    });

    let (v, ties) = signed_rank_sum_sorted(&sorted);
    out.statistic = Some(Statistic {
        name: "V",
        value: v,
    });
    if !ties.is_empty() {
        out.diagnostics
            .push(Diagnostic::Ties { groups: ties.len() });
    }
    let nf = n as f64;
    let alpha = 1.0 - conf_level;

    if n < EXACT_LIMIT && ties.is_empty() && zeros == 0 {
        let dist = SignRankDistribution::new(n);
        let p = if v > nf * (nf + 1.0) / 4.0 {
            dist.sf(v - 1.0)
        } else {
            dist.cdf(v)
        };
        out.p_value = Some((2.0 * p).min(1.0));
        out.p_value_method = Some(PValueMethod::Exact);
        let mut qu = dist.quantile(alpha / 2.0);
        if qu == 0 {
            qu = 1;
        }
        let ql = n * (n + 1) / 2 - qu;
        let achieved_alpha = 2.0 * dist.cdf(qu as f64 - 1.0);
        let mut level = conf_level;
        if achieved_alpha - alpha > alpha / 2.0 {
            level = 1.0 - signif2(achieved_alpha);
            out.diagnostics.push(Diagnostic::ConfLevelNotAchievable {
                requested: conf_level,
                achieved: level,
            });
        }
        out.interval = Some(ConfidenceInterval {
            lower: walsh.kth_average(qu as u64),
            upper: walsh.kth_average(ql as u64 + 1),
            level,
            method: IntervalMethod::WilcoxonExact,
        });
        return out;
    }

    let reason = if n >= EXACT_LIMIT {
        "50 or more non-zero changes"
    } else if zeros > 0 && !ties.is_empty() {
        "zero changes and ties"
    } else if zeros > 0 {
        "zero changes"
    } else {
        "ties"
    };
    out.diagnostics
        .push(Diagnostic::NormalApproximation { reason });
    let tie_term: f64 = ties.iter().map(|&t| (t * t * t - t) as f64).sum();
    let z0 = v - nf * (nf + 1.0) / 4.0;
    let sigma = (nf * (nf + 1.0) * (2.0 * nf + 1.0) / 24.0 - tie_term / 48.0).sqrt();
    let z = (z0 - signum_r(z0) * 0.5) / sigma;
    out.p_value = Some(2.0 * norm_cdf(z).min(norm_sf(z)));
    out.p_value_method = Some(PValueMethod::NormalApproximation);

    // Asymptotic interval: R's algorithm, step for step.
    let mumin = sorted[0];
    let mumax = sorted[n - 1];
    let w = |d: f64| standardised_statistic_sorted(&sorted, d, true);
    let w_min = w(mumin);
    let w_max = w(mumax);
    if !w_min.is_finite() || !w_max.is_finite() {
        out.diagnostics.push(Diagnostic::AllTied);
        return out;
    }
    let mut a = alpha;
    loop {
        let mindiff = w_min + norm_quantile(a / 2.0);
        let maxdiff = w_max - norm_quantile(a / 2.0);
        if mindiff < 0.0 || maxdiff > 0.0 {
            a *= 2.0;
        } else {
            break;
        }
    }
    let mut level = conf_level;
    if a >= 1.0 || 1.0 - conf_level < a * 0.75 {
        level = 1.0 - a.min(1.0);
        out.diagnostics.push(Diagnostic::ConfLevelNotAchievable {
            requested: conf_level,
            achieved: level,
        });
    }
    let (lower, upper) = if a < 1.0 {
        let mut root = |zq: f64| {
            let r = zeroin(
                mumin,
                mumax,
                w_min - zq,
                w_max - zq,
                |d| w(d) - zq,
                1e-4,
                1000,
            );
            if !r.converged {
                out.diagnostics.push(Diagnostic::NonConvergence {
                    routine: "Wilcoxon interval root finder",
                });
            }
            r.root
        };
        let l = root(-norm_quantile(a / 2.0));
        let u = root(norm_quantile(a / 2.0));
        (l, u)
    } else {
        let m = super::descriptive::median(&nonzero).unwrap_or(0.0);
        (m, m)
    };
    out.interval = Some(ConfidenceInterval {
        lower,
        upper,
        level,
        method: IntervalMethod::WilcoxonNormal,
    });
    out
}

/// R's `signif(x, 2)`.
fn signif2(x: f64) -> f64 {
    if x == 0.0 {
        return 0.0;
    }
    let mag = 10f64.powi(1 - x.abs().log10().floor() as i32);
    (x * mag).round() / mag
}

#[cfg(test)]
mod merge_tests {
    use super::*;

    /// The O(n) merge gives bit-identical W(d) to ranking |x − d| afresh, with ties and zeros.
    #[test]
    fn sorted_statistic_is_bit_identical() {
        let mut lcg = crate::test_rng(7);
        let mut next = || (lcg() % 41) as f64 / 4.0 - 5.0;
        for n in [1usize, 2, 5, 30, 200] {
            let x: Vec<f64> = (0..n).map(|_| next()).filter(|v| *v != 0.0).collect();
            let mut sorted = x.clone();
            sorted.sort_unstable_by(f64::total_cmp);
            for d in [-6.0, -2.5, -0.25, 0.0, 0.1, 1.0, 2.75, 5.5] {
                let a = standardised_statistic(&x, d, true);
                let b = standardised_statistic_sorted(&sorted, d, true);
                assert!(
                    a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan()),
                    "n={n} d={d}: {a} vs {b}"
                );
            }
        }
    }
}
