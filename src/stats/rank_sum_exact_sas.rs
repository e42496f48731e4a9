//! SAS PROC NPAR1WAY's exact Wilcoxon two-sample test with exact Hodges–Lehmann limits
//! (`EXACT WILCOXON HL`, `--convention sas`), as the NPAR1WAY chapter defines and prints them
//! ("Exact Tests", "Hodges-Lehmann Estimation of Location Shift",
//! https://support.sas.com/documentation/cdl/en/statug/67523/HTML/default/statug_npar1way_details18.htm;
//! worked example "Hodges-Lehmann Estimation", React data, 98 % exact limits 0.00 and 1.33,
//! https://support.sas.com/documentation/cdl/en/statug/67523/HTML/default/statug_npar1way_examples04.htm).
//!
//! The null distribution is the exact permutation distribution of the Mann–Whitney count U of
//! ARM (ties as ½, i.e. the midrank sum) **of the observed data, ties included**, computed once
//! (`rank_distribution`: tie groups, or Harding's product without ties). The confidence set is
//! every shift Δ whose statistic U(Δ) = #{D > Δ} + ½ #{D = Δ} over the M = n_x n_y differences
//! D = x_i − y_j (ARM − CONTROL) lies strictly between the two critical values
//! u_l = max{u : P(U ≤ u) ≤ α/2} and u_u = min{u : P(U ≥ u) ≤ α/2}. Since U(Δ) does not
//! increase with Δ, this is the closed interval [D(M + 1 − ⌈u_u⌉), D(M − ⌊u_l⌋)] of ordered
//! differences; with a symmetric null distribution that is D(C), D(M + 1 − C), C = ⌊u_l⌋ + 1,
//! the textbook form (Hollander & Wolfe). `exactRankTests::wilcox.exact` instead re-ranks the
//! shifted data at each candidate, which gives other limits under ties (React: −0.04, 0.82).
//!
//! The estimate is NPAR1WAY's: the median of the M differences. The p-value is NPAR1WAY's
//! two-sided exact "Pr >= |S − Mean|" = P(|U − E U| ≥ |u − E U|), the same as the
//! `mann_whitney_exact` row's. Above the work limit of `rank_distribution` the row carries no
//! numbers and says so (it is never approximated under this name).

use super::mann_whitney::sorted_samples;
use super::rank::pooled_tie_groups_sorted;
use super::rank_distribution::{
    mann_whitney_lower_half, mann_whitney_work, rank_sum_grouped, WORK_BUDGET,
};
use super::result::{
    Alternative, ConfidenceInterval, Diagnostic, Estimate, IntervalMethod, PValueMethod, Statistic,
    TestResult,
};
use super::walsh::PairwiseDifferences;

/// Relative slack when comparing a cumulative probability with α/2, so that a tail equal to
/// α/2 in exact arithmetic is not excluded by rounding in the last bits.
const FUZZ: f64 = 1e-9;

/// The exact null distribution of 2U (U of x, ties as ½) as (2u, probability) for the support
/// points of non-zero probability, ascending, or None above the work limit.
fn null_distribution_twice_u(
    xs: &[f64],
    ys: &[f64],
    groups: &[(f64, usize, usize)],
) -> Option<Vec<(i64, f64)>> {
    let (nx, ny) = (xs.len(), ys.len());
    if groups.iter().all(|g| g.1 == 1) {
        if mann_whitney_work(nx, ny) > WORK_BUDGET {
            return None;
        }
        let half = mann_whitney_lower_half(nx, ny);
        let total = nx * ny;
        let probs = half.probabilities();
        return Some(
            (0..=total)
                .map(|u| (2 * u as i64, probs[u.min(total - u)]))
                .filter(|(_, p)| *p != 0.0)
                .collect(),
        );
    }
    let ranks: Vec<f64> = groups.iter().map(|g| g.0).collect();
    let (scores, fact) = super::exact_rank::integer_scores(&ranks);
    let scored: Vec<(usize, usize)> = scores.iter().zip(groups).map(|(s, g)| (*s, g.1)).collect();
    let support = rank_sum_grouped(&scored, nx, fact, WORK_BUDGET)?;
    let offset = (nx * (nx + 1)) as f64 / 2.0;
    Some(
        support
            .into_iter()
            .map(|(t, p)| (((t - offset) * 2.0).round() as i64, p))
            .collect(),
    )
}

/// Exact two-sided Wilcoxon test of x against y with the Hodges–Lehmann shift x − y and its
/// exact limits, as SAS PROC NPAR1WAY `EXACT WILCOXON HL`.
pub fn rank_sum_exact_sas(
    x: &[f64],
    y: &[f64],
    conf_level: f64,
    label: &'static str,
) -> TestResult {
    let (nx, ny) = (x.len(), y.len());
    let mut out = TestResult::empty(nx + ny, Alternative::TwoSided);
    let Some((xs, ys)) = sorted_samples(x, y, &mut out) else {
        return out;
    };
    let diffs = PairwiseDifferences::new(&xs, &ys);
    out.estimate = Some(Estimate {
        label,
        value: diffs.median(),
    });
    let mut groups = Vec::new();
    pooled_tie_groups_sorted(&xs, &ys, |avg, t, cx| groups.push((avg, t, cx)));
    let rank_sum: f64 = groups.iter().map(|&(avg, _, cx)| avg * cx as f64).sum();
    out.statistic = Some(Statistic {
        name: "S",
        value: rank_sum,
    });
    let ties = groups.iter().filter(|g| g.1 > 1).count();
    if ties > 0 {
        out.diagnostics.push(Diagnostic::Ties { groups: ties });
    }
    if groups.len() == 1 {
        out.diagnostics.push(Diagnostic::AllTied);
        return out;
    }
    let Some(dist) = null_distribution_twice_u(&xs, &ys, &groups) else {
        out.diagnostics.push(Diagnostic::NotComputed {
            reason: "exact distribution above the work limit (no approximation under this name; see mann_whitney_sas)",
        });
        return out;
    };
    let m = nx as i64 * ny as i64;
    let observed = ((rank_sum - (nx * (nx + 1)) as f64 / 2.0) * 2.0).round() as i64;
    // E(2U) = n_x n_y with or without ties.
    let distance = (observed - m).abs();
    let p: f64 = dist
        .iter()
        .filter(|(s, _)| (s - m).abs() >= distance)
        .map(|(_, p)| p)
        .sum();
    out.p_value = Some(p.min(1.0));
    out.p_value_method = Some(PValueMethod::Exact);

    let tail = (1.0 - conf_level) / 2.0 * (1.0 + FUZZ);
    let mut cum = 0.0;
    let mut u_l2: Option<i64> = None;
    for &(s, pr) in &dist {
        cum += pr;
        if cum <= tail {
            u_l2 = Some(s);
        } else {
            break;
        }
    }
    let mut cum = 0.0;
    let mut u_u2: Option<i64> = None;
    for &(s, pr) in dist.iter().rev() {
        cum += pr;
        if cum <= tail {
            u_u2 = Some(s);
        } else {
            break;
        }
    }
    let (Some(u_l2), Some(u_u2)) = (u_l2, u_u2) else {
        out.diagnostics.push(Diagnostic::NotComputed {
            reason: "too few patients for exact Hodges–Lehmann limits at this level",
        });
        return out;
    };
    let m = m as u64;
    // ⌊u_l⌋ and ⌈u_u⌉ from twice the values (both non-negative).
    let floor_l = (u_l2 / 2) as u64;
    let ceil_u = ((u_u2 + 1) / 2) as u64;
    out.interval = Some(ConfidenceInterval {
        lower: diffs.kth(m + 1 - ceil_u),
        upper: diffs.kth(m - floor_l),
        level: conf_level,
        method: IntervalMethod::HodgesLehmannExactSas,
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// SAS/STAT User's Guide, NPAR1WAY Example "Hodges-Lehmann Estimation" (React; class 1 =
    /// Stim 2 against Stim 1, alpha=.02): location shift 0.3500, exact limits 0.0000 and
    /// 1.3300; Example "Exact Wilcoxon Two-Sample Test": S = 79.50, exact two-sided
    /// Pr >= |S − Mean| = 0.1054.
    #[test]
    fn react_worked_example() {
        let stim1 = [
            1.94, 1.94, 2.92, 2.92, 2.92, 2.92, 3.27, 3.27, 3.27, 3.27, 3.70, 3.70, 3.74,
        ];
        let stim2 = [3.27, 3.27, 3.27, 3.70, 3.70, 3.74];
        let r = rank_sum_exact_sas(&stim2, &stim1, 0.98, "shift");
        assert_eq!(r.statistic.unwrap().value, 79.5);
        assert!((r.estimate.unwrap().value - 0.35).abs() < 1e-12);
        let ci = r.interval.unwrap();
        assert!((ci.lower - 0.0).abs() < 1e-12, "{ci:?}");
        assert!((ci.upper - 1.33).abs() < 1e-12, "{ci:?}");
        assert!((r.p_value.unwrap() - 0.1054).abs() < 5e-5);
        // Complete enumeration in R, tests/reference/sas_convention/hl_exact_react.R: 0.1054106.
        assert!((r.p_value.unwrap() - 0.1054106).abs() < 1e-7);
        // The other order gives the mirrored interval.
        let r = rank_sum_exact_sas(&stim1, &stim2, 0.98, "shift");
        let ci = r.interval.unwrap();
        assert!((ci.lower + 1.33).abs() < 1e-12 && (ci.upper - 0.0).abs() < 1e-12);
    }

    /// Brute force: enumerate every split of the pooled sample, build the null distribution of
    /// U, and scan a fine grid of shifts for the confidence set by its definition.
    fn brute_force(x: &[f64], y: &[f64], level: f64) -> (f64, f64, f64) {
        let pooled: Vec<f64> = x.iter().chain(y).copied().collect();
        let (nx, n) = (x.len(), pooled.len());
        let u_of = |xa: &[f64], yb: &[f64], d: f64| -> f64 {
            let mut u = 0.0;
            for a in xa {
                for b in yb {
                    let v = a - d - b;
                    if v > 1e-12 {
                        u += 1.0;
                    } else if v.abs() <= 1e-12 {
                        u += 0.5;
                    }
                }
            }
            u
        };
        let mut null = Vec::new();
        for mask in 0u32..(1 << n) {
            if mask.count_ones() as usize != nx {
                continue;
            }
            let (mut a, mut b) = (Vec::new(), Vec::new());
            for (i, v) in pooled.iter().enumerate() {
                if mask & (1 << i) != 0 {
                    a.push(*v)
                } else {
                    b.push(*v)
                }
            }
            null.push(u_of(&a, &b, 0.0));
        }
        let total = null.len() as f64;
        let obs = u_of(x, y, 0.0);
        let mean = (nx * (n - nx)) as f64 / 2.0;
        let p = null
            .iter()
            .filter(|u| (*u - mean).abs() >= (obs - mean).abs() - 1e-9)
            .count() as f64
            / total;
        let tail = (1.0 - level) / 2.0;
        let cdf = |u: f64| null.iter().filter(|v| **v <= u + 1e-9).count() as f64 / total;
        let sf = |u: f64| null.iter().filter(|v| **v >= u - 1e-9).count() as f64 / total;
        let mut support: Vec<f64> = null.clone();
        support.sort_by(f64::total_cmp);
        support.dedup();
        let u_l = support
            .iter()
            .copied()
            .filter(|u| cdf(*u) <= tail)
            .fold(-1.0, f64::max);
        let u_u = support
            .iter()
            .copied()
            .filter(|u| sf(*u) <= tail)
            .fold(f64::INFINITY, f64::min);
        let mut accepted = Vec::new();
        for k in -4000..=4000 {
            let d = k as f64 / 200.0;
            let u = u_of(x, y, d);
            if u > u_l && u < u_u {
                accepted.push(d);
            }
        }
        // The confidence set's ends are differences (multiples of 0.25 here); an end that is
        // itself rejected (U jumps past the critical value at it) is the closure's end.
        let lo = ((accepted[0] / 0.25) + 1e-9).floor() * 0.25;
        let hi = ((*accepted.last().unwrap() / 0.25) - 1e-9).ceil() * 0.25;
        (lo, hi, p)
    }

    #[test]
    fn equals_brute_force_on_small_tied_and_untied_samples() {
        let cases: [(&[f64], &[f64], f64); 5] = [
            (
                &[1.0, 2.0, 2.0, 3.0, 5.0],
                &[0.0, 1.0, 1.0, 2.0, 4.0, 4.0],
                0.9,
            ),
            (
                &[3.0, 3.0, 4.0, 6.0, 6.0, 7.0],
                &[1.0, 2.0, 3.0, 3.0, 5.0],
                0.8,
            ),
            (
                &[0.5, 1.5, 2.25, 4.0],
                &[0.25, 1.0, 1.75, 3.0, 3.5, 5.0],
                0.8,
            ),
            (
                &[1.0, 1.0, 1.0, 2.0, 2.0, 3.0, 4.0],
                &[0.0, 1.0, 2.0, 2.0, 2.0],
                0.9,
            ),
            (
                &[2.0, 4.0, 4.0, 4.0, 6.0, 9.0],
                &[1.0, 1.0, 3.0, 4.0, 4.0, 5.0, 8.0],
                0.95,
            ),
        ];
        for (x, y, level) in cases {
            let r = rank_sum_exact_sas(x, y, level, "shift");
            let (lo, hi, p) = brute_force(x, y, level);
            let ci = r.interval.expect("interval");
            // The grid has steps of 0.005 and the data are multiples of 0.25.
            assert!((ci.lower - lo).abs() < 1e-9, "{x:?} {y:?}: {ci:?} vs {lo}");
            assert!((ci.upper - hi).abs() < 1e-9, "{x:?} {y:?}: {ci:?} vs {hi}");
            assert!((r.p_value.unwrap() - p).abs() < 1e-12, "{x:?} {y:?}");
        }
    }
}
