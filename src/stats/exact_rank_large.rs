//! The exact signed-rank and rank-sum tests of `exact_rank` above the sizes its unit-by-unit
//! recursion handles (200 non-zero values, 100 patients in two samples): the same statistic,
//! p-value, Hodges–Lehmann estimate and interval as `exactRankTests::wilcox.exact(exact =
//! TRUE, conf.int = TRUE)`, from the cheaper distributions of `rank_distribution` and an
//! interval found by bisection over the distinct candidate shifts (the statistic does not
//! increase with the shift) instead of evaluating it at every Walsh average or difference.
//!
//! Each function returns None when the exact distribution would cost more than
//! [`WORK_BUDGET`]; the caller then gives the asymptotic test under its own method name.

use super::exact_rank::{integer_scores, signed_rank_statistic, Discrete};
use super::rank::{pooled_tie_groups_shifted, pooled_tie_groups_sorted, signed_ranks};
use super::rank_distribution::{
    invert_monotone, mann_whitney_lower_half, mann_whitney_work, rank_sum_grouped,
    signed_rank_lower_half, signed_rank_work, SIGNED_WORK_BUDGET, WORK_BUDGET,
};
use super::result::{
    ConfidenceInterval, Diagnostic, Estimate, IntervalMethod, PValueMethod, Statistic, TestResult,
};

/// Sorted distinct values.
fn distinct(values: &[f64]) -> Vec<f64> {
    let mut v = values.to_vec();
    v.sort_unstable_by(f64::total_cmp);
    v.dedup_by(|a, b| a == b);
    v
}

/// A sorted copy.
fn distinct_keep(values: &[f64]) -> Vec<f64> {
    let mut v = values.to_vec();
    v.sort_unstable_by(f64::total_cmp);
    v
}

/// Median of a sorted slice.
fn sorted_median(v: &[f64]) -> f64 {
    let m = v.len();
    if m % 2 == 1 {
        v[m / 2]
    } else {
        (v[m / 2 - 1] + v[m / 2]) / 2.0
    }
}

/// Exact signed-rank test of `nonzero` (zeros already dropped and counted in `out`), or None
/// above the work budget. `out` carries n, the zero count and its diagnostics.
pub(super) fn signed_rank(
    nonzero: &[f64],
    mut out: TestResult,
    conf_level: f64,
    label: &'static str,
) -> Option<TestResult> {
    let (ranks, ties, v) = signed_ranks(nonzero);
    let (scores, fact) = integer_scores(&ranks);
    if signed_rank_work(&scores) > SIGNED_WORK_BUDGET {
        return None;
    }
    if !ties.is_empty() {
        out.diagnostics
            .push(Diagnostic::Ties { groups: ties.len() });
    }
    out.statistic = Some(Statistic {
        name: "V",
        value: v,
    });
    let dist = signed_rank_lower_half(&scores, fact);
    out.p_value = Some(dist.two_sided((v * fact).round() as usize));
    out.p_value_method = Some(PValueMethod::Exact);
    let alpha = 1.0 - conf_level;
    let (qu, ql) = (
        dist.lower_quantile(alpha / 2.0),
        dist.upper_quantile(alpha / 2.0),
    );
    let wmean = ranks.iter().sum::<f64>() / 2.0;
    let (lower, upper, estimate, median) = if ties.is_empty() {
        // Every Walsh average, sorted; the statistic at the i-th is (count − i), as the
        // unit-by-unit routine.
        let n = nonzero.len();
        let mut walsh = Vec::with_capacity(n * (n + 1) / 2);
        for i in 0..n {
            for j in i..n {
                walsh.push((nonzero[i] + nonzero[j]) / 2.0);
            }
        }
        walsh.sort_unstable_by(f64::total_cmp);
        let count = walsh.len();
        let (l, u, e) = invert_monotone(&walsh, |i| (count - i) as f64, qu, ql, wmean);
        (l, u, e, sorted_median(&walsh))
    } else {
        // The distinct Walsh averages of the distinct values are every candidate shift.
        let values = distinct(nonzero);
        let mut walsh = Vec::with_capacity(values.len() * (values.len() + 1) / 2);
        for i in 0..values.len() {
            for j in i..values.len() {
                walsh.push((values[i] + values[j]) / 2.0);
            }
        }
        let walsh = distinct(&walsh);
        let (l, u, e) = invert_monotone(
            &walsh,
            |i| signed_rank_statistic(nonzero, walsh[i]),
            qu,
            ql,
            wmean,
        );
        (l, u, e, f64::NAN)
    };
    let estimate = estimate.unwrap_or_else(|| {
        out.diagnostics.push(Diagnostic::EstimateFallback {
            reason: "exactRankTests' estimate is infinite here; median of the Walsh averages given",
        });
        if median.is_nan() {
            let sorted = distinct_keep(nonzero);
            super::walsh::WalshSums::new(&sorted).median_average()
        } else {
            median
        }
    });
    out.estimate = Some(Estimate {
        label,
        value: estimate,
    });
    out.interval = Some(ConfidenceInterval {
        lower,
        upper,
        level: conf_level,
        method: IntervalMethod::WilcoxonExact,
    });
    Some(out)
}

/// Exact rank-sum test of x against y with the Hodges–Lehmann shift x − y, or None above the
/// work budget. `out` carries n.
pub(super) fn rank_sum(
    x: &[f64],
    y: &[f64],
    mut out: TestResult,
    conf_level: f64,
    label: &'static str,
) -> Option<TestResult> {
    let (nx, ny) = (x.len(), y.len());
    let (nxf, nyf) = (nx as f64, ny as f64);
    let offset = nxf * (nxf + 1.0) / 2.0;
    let (mut xs, mut ys) = (x.to_vec(), y.to_vec());
    xs.sort_unstable_by(f64::total_cmp);
    ys.sort_unstable_by(f64::total_cmp);
    let mut groups = Vec::new();
    pooled_tie_groups_sorted(&xs, &ys, |avg, t, cx| groups.push((avg, t, cx)));
    let tied = groups.iter().any(|g| g.1 > 1);
    let rank_sum: f64 = groups.iter().map(|&(avg, _, cx)| avg * cx as f64).sum();
    let total: f64 = groups.iter().map(|&(avg, t, _)| avg * t as f64).sum();
    let expect = nxf / (nxf + nyf) * total;
    let alpha = 1.0 - conf_level;
    let w_stat = rank_sum - offset + 0.0;
    let wmean = expect - offset;
    let (p, qu, ql) = if !tied {
        if mann_whitney_work(nx, ny) > WORK_BUDGET {
            return None;
        }
        let dist = mann_whitney_lower_half(nx, ny);
        let p = if rank_sum != expect {
            dist.two_sided(w_stat.round() as usize)
        } else {
            1.0
        };
        (
            p,
            dist.lower_quantile(alpha / 2.0),
            dist.upper_quantile(alpha / 2.0),
        )
    } else {
        let ranks: Vec<f64> = groups.iter().map(|g| g.0).collect();
        let (scores, fact) = integer_scores(&ranks);
        let scored: Vec<(usize, usize)> =
            scores.iter().zip(&groups).map(|(s, g)| (*s, g.1)).collect();
        let dist = Discrete {
            support: rank_sum_grouped(&scored, nx, fact, WORK_BUDGET)?,
        };
        let ih = rank_sum - expect;
        let p = if ih != 0.0 {
            dist.support
                .iter()
                .filter(|(t, _)| t - expect <= -ih.abs())
                .map(|(_, p)| p)
                .sum::<f64>()
                + dist
                    .support
                    .iter()
                    .filter(|(t, _)| t - expect >= ih.abs())
                    .map(|(_, p)| p)
                    .sum::<f64>()
        } else {
            1.0
        };
        (
            p,
            dist.quantile(alpha / 2.0) - offset,
            dist.quantile(1.0 - alpha / 2.0) - offset,
        )
    };
    let ties: Vec<usize> = groups.iter().map(|g| g.1).filter(|t| *t > 1).collect();
    if !ties.is_empty() {
        out.diagnostics
            .push(Diagnostic::Ties { groups: ties.len() });
    }
    out.statistic = Some(Statistic {
        name: "W",
        value: w_stat,
    });
    out.p_value = Some(p.min(1.0));
    out.p_value_method = Some(PValueMethod::Exact);
    let (lower, upper, estimate, median) = if !tied {
        let mut diffs: Vec<f64> = x
            .iter()
            .flat_map(|a| y.iter().map(move |b| a - b))
            .collect();
        diffs.sort_unstable_by(f64::total_cmp);
        let count = diffs.len();
        let (l, u, e) = invert_monotone(&diffs, |i| (count - i) as f64, qu, ql, wmean);
        (l, u, e, sorted_median(&diffs))
    } else {
        let (vx, vy) = (distinct(x), distinct(y));
        let diffs = distinct(
            &vx.iter()
                .flat_map(|a| vy.iter().map(move |b| a - b))
                .collect::<Vec<f64>>(),
        );
        let w = |i: usize| {
            let mut s = 0.0f64;
            pooled_tie_groups_shifted(&xs, diffs[i], &ys, |avg, _, cx| s += avg * cx as f64);
            s - offset
        };
        let (l, u, e) = invert_monotone(&diffs, w, qu, ql, wmean);
        (l, u, e, f64::NAN)
    };
    let estimate = estimate.unwrap_or_else(|| {
        out.diagnostics.push(Diagnostic::EstimateFallback {
            reason: "exactRankTests' estimate is infinite here; median of the pairwise differences given",
        });
        if median.is_nan() {
            super::walsh::PairwiseDifferences::new(&xs, &ys).median()
        } else {
            median
        }
    });
    out.estimate = Some(Estimate {
        label,
        value: estimate,
    });
    out.interval = Some(ConfidenceInterval {
        lower,
        upper,
        level: conf_level,
        method: IntervalMethod::MannWhitneyExact,
    });
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::super::exact_rank::{rank_sum_exact, signed_rank_exact};
    use super::super::result::{Alternative, TestResult};
    use super::*;

    fn same(tag: &str, a: &TestResult, b: &TestResult) {
        let close = |x: f64, y: f64| (x - y).abs() <= 1e-12 * x.abs().max(1e-300) || x == y;
        assert_eq!(a.statistic, b.statistic, "{tag}");
        let (pa, pb) = (a.p_value.unwrap(), b.p_value.unwrap());
        assert!(close(pa, pb), "{tag}: p {pa} {pb}");
        let (ia, ib) = (a.interval.as_ref().unwrap(), b.interval.as_ref().unwrap());
        assert_eq!((ia.lower, ia.upper), (ib.lower, ib.upper), "{tag}");
        assert_eq!(
            a.estimate.as_ref().map(|e| e.value),
            b.estimate.as_ref().map(|e| e.value),
            "{tag}"
        );
    }

    /// The fast routines give what the unit-by-unit recursion gives (itself checked against
    /// complete enumeration and `wilcox.exact`) where both run: tied, untied, with zeros.
    #[test]
    fn large_routines_equal_the_unit_by_unit_recursion() {
        let mut lcg = crate::test_rng(18);
        let mut checked = 0;
        for (n, levels) in [(15usize, 7u64), (40, 11), (60, 0), (90, 21), (120, 5)] {
            let x: Vec<f64> = (0..n)
                .map(|_| {
                    let u = lcg();
                    if levels == 0 {
                        (u % 1_000_003) as f64 / 1000.0 - 400.0
                    } else {
                        (u % levels) as f64 - (levels / 3) as f64
                    }
                })
                .collect();
            for cl in [0.95, 0.8] {
                let old = signed_rank_exact(&x, cl, "hl");
                let nonzero: Vec<f64> = x.iter().copied().filter(|v| *v != 0.0).collect();
                if nonzero.len() <= 200 {
                    let mut out = TestResult::empty(nonzero.len(), Alternative::TwoSided);
                    out.n_left_out = x.len() - nonzero.len();
                    let new = signed_rank(&nonzero, out, cl, "hl").unwrap();
                    same(&format!("signed n={n} levels={levels} {cl}"), &new, &old);
                    checked += 1;
                }
                let (a, b) = x.split_at(n * 2 / 5);
                if a.len() + b.len() <= 100 {
                    let old = rank_sum_exact(a, b, cl, "shift");
                    let out = TestResult::empty(n, Alternative::TwoSided);
                    let new = rank_sum(a, b, out, cl, "shift").unwrap();
                    same(&format!("two n={n} levels={levels} {cl}"), &new, &old);
                    checked += 1;
                }
            }
        }
        assert!(checked >= 16, "{checked}");
    }
}

#[cfg(test)]
mod sizes {
    use super::super::exact_rank::{rank_sum_exact, signed_rank_exact};
    use super::super::result::PValueMethod;
    use std::time::Instant;

    /// Which sizes stay exact and how long they take (run with `--ignored --nocapture`).
    #[test]
    #[ignore]
    fn print_sizes_and_times() {
        let mut lcg = crate::test_rng(5);
        for (n, levels) in [
            (1000usize, 11u64),
            (1000, 21),
            (1000, 0),
            (500, 0),
            (450, 0),
            (200, 0),
            (146, 5),
            (200, 5),
            (350, 3),
            (400, 3),
        ] {
            let mut draw = |shift: u64| -> Vec<f64> {
                (0..n)
                    .map(|_| {
                        let u = lcg();
                        if levels == 0 {
                            (u % 1_000_003) as f64 / 1000.0 + shift as f64
                        } else {
                            ((u % levels + shift) % levels) as f64 - (levels / 2) as f64
                        }
                    })
                    .collect()
            };
            let (x, y) = (draw(0), draw(1));
            let t = Instant::now();
            let s = signed_rank_exact(&x, 0.95, "hl");
            let ts = t.elapsed().as_secs_f64();
            let t = Instant::now();
            let r = rank_sum_exact(&x, &y, 0.95, "shift");
            let tr = t.elapsed().as_secs_f64();
            eprintln!(
                "n={n} levels={levels}: signed {} {:.4}s p={:?}; two-sample {} {:.4}s p={:?}",
                s.p_value_method == Some(PValueMethod::Exact),
                ts,
                s.p_value,
                r.p_value_method == Some(PValueMethod::Exact),
                tr,
                r.p_value
            );
        }
    }
}
