//! Wilcoxon rank-sum (Mann–Whitney) test with the Hodges–Lehmann shift and interval, as R's
//! `wilcox.test(x, y, conf.int = TRUE)`: W is the statistic of x; p is exact when both samples
//! have fewer than 50 values and there are no ties, otherwise the normal approximation with tie
//! and continuity correction; the asymptotic interval uses R's root finder and tolerance.
//! The estimate is always the median of the pairwise differences x_i − y_j (R's exact-branch
//! estimate; its asymptotic branch reports a root within 1e-4 of the same zone).

use super::distributions::{norm_cdf, norm_quantile, norm_sf};
#[cfg(test)]
use super::rank::average_ranks;
use super::rank::{pooled_rank_sum_sorted, pooled_tie_groups_shifted, signum_r};
use super::result::{
    Alternative, ConfidenceInterval, Diagnostic, Estimate, IntervalMethod, PValueMethod, Statistic,
    TestResult,
};
use super::root::zeroin;
use super::walsh::PairwiseDifferences;

/// Exact null distribution of W = U for samples of sizes m and n without ties.
struct RankSumDistribution {
    m: usize,
    n: usize,
    counts: Vec<f64>,
    total: f64,
}

impl RankSumDistribution {
    fn new(m: usize, n: usize) -> Self {
        let big_n = m + n;
        let max_sum = m * (2 * big_n - m + 1) / 2;
        // ways[s][t]: subsets of size s of {1..j} with rank sum t.
        let mut ways = vec![vec![0.0f64; max_sum + 1]; m + 1];
        ways[0][0] = 1.0;
        for j in 1..=big_n {
            for s in (1..=m.min(j)).rev() {
                let (prev, cur) = ways.split_at_mut(s);
                let prev = &prev[s - 1];
                let cur = &mut cur[0];
                for t in (j..=max_sum).rev() {
                    cur[t] += prev[t - j];
                }
            }
        }
        let offset = m * (m + 1) / 2;
        let counts: Vec<f64> = (0..=m * n).map(|w| ways[m][w + offset]).collect();
        RankSumDistribution {
            m,
            n,
            counts,
            total: choose(big_n, n),
        }
    }

    fn max(&self) -> usize {
        self.m * self.n
    }

    /// P(W ≤ q) (upper = false) or P(W > q) (upper = true), as R's pwilcox.
    fn p(&self, q: f64, upper: bool) -> f64 {
        let q = (q + 1e-7).floor();
        if q < 0.0 {
            return if upper { 1.0 } else { 0.0 };
        }
        if q >= self.max() as f64 {
            return if upper { 0.0 } else { 1.0 };
        }
        let q = q as usize;
        if q as f64 <= self.max() as f64 / 2.0 {
            let p: f64 = self.counts[..=q].iter().map(|c| c / self.total).sum();
            if upper {
                1.0 - p
            } else {
                p
            }
        } else {
            let q2 = self.max() - q;
            let p: f64 = self.counts[..q2].iter().map(|c| c / self.total).sum();
            if upper {
                p
            } else {
                1.0 - p
            }
        }
    }

    /// R's qwilcox(p, m, n).
    fn quantile(&self, x: f64) -> usize {
        let mut p = 0.0;
        let mut q = 0usize;
        if x <= 0.5 {
            let x = x - 10.0 * f64::EPSILON;
            loop {
                p += self.counts[q] / self.total;
                if p >= x {
                    return q;
                }
                q += 1;
            }
        } else {
            let x = 1.0 - x + 10.0 * f64::EPSILON;
            loop {
                p += self.counts[q] / self.total;
                if p > x {
                    return self.max() - q;
                }
                q += 1;
            }
        }
    }
}

/// Binomial coefficient as a double.
fn choose(n: usize, k: usize) -> f64 {
    let k = k.min(n - k);
    let mut c = 1.0;
    for i in 0..k {
        c = c * (n - i) as f64 / (i + 1) as f64;
    }
    c.round()
}

/// [`standardised`] from x and y sorted ascending, in O(n): the ranks of the pooled (x − d, y)
/// come from a merge instead of a sort. Bit-identical to the direct computation (same tie groups
/// in the same order; rank sums are exact in f64).
fn standardised_sorted(xs: &[f64], ys: &[f64], d: f64, correct: bool) -> f64 {
    let (nx, ny) = (xs.len() as f64, ys.len() as f64);
    let mut rank_sum_x = 0.0f64;
    let mut tie_term = 0.0f64;
    pooled_tie_groups_shifted(xs, d, ys, |avg, t, cx| {
        rank_sum_x += avg * cx as f64;
        if t > 1 {
            tie_term += (t * t * t - t) as f64;
        }
    });
    let dz = rank_sum_x - nx * (nx + 1.0) / 2.0 - nx * ny / 2.0;
    let sigma =
        ((nx * ny / 12.0) * ((nx + ny + 1.0) - tie_term / ((nx + ny) * (nx + ny - 1.0)))).sqrt();
    let correction = if correct { signum_r(dz) * 0.5 } else { 0.0 };
    (dz - correction) / sigma
}

/// Standardised W of (x − d, y), R's inner `W(d)`.
#[cfg(test)]
fn standardised(x: &[f64], y: &[f64], d: f64, correct: bool) -> f64 {
    let (nx, ny) = (x.len() as f64, y.len() as f64);
    let all: Vec<f64> = x.iter().map(|v| v - d).chain(y.iter().copied()).collect();
    let (ranks, ties) = average_ranks(&all);
    let dz = ranks[..x.len()].iter().sum::<f64>() - nx * (nx + 1.0) / 2.0 - nx * ny / 2.0;
    let tie_term: f64 = ties.iter().map(|&t| (t * t * t - t) as f64).sum();
    let sigma =
        ((nx * ny / 12.0) * ((nx + ny + 1.0) - tie_term / ((nx + ny) * (nx + ny - 1.0)))).sqrt();
    let correction = if correct { signum_r(dz) * 0.5 } else { 0.0 };
    (dz - correction) / sigma
}

/// Exact branch is used below this size of each sample (and without ties), as R.
pub const EXACT_LIMIT: usize = 50;

/// The common start of the two-sample rank tests (R's and SAS's): both samples sorted, or `None`
/// with the diagnostic in `out` when one is empty.
pub(super) fn sorted_samples(
    x: &[f64],
    y: &[f64],
    out: &mut TestResult,
) -> Option<(Vec<f64>, Vec<f64>)> {
    if x.is_empty() || y.is_empty() {
        out.diagnostics.push(Diagnostic::TooFewObservations {
            n: x.len().min(y.len()),
            required: 1,
        });
        return None;
    }
    let mut xs = x.to_vec();
    let mut ys = y.to_vec();
    xs.sort_unstable_by(f64::total_cmp);
    ys.sort_unstable_by(f64::total_cmp);
    Some((xs, ys))
}

/// Two-sided rank-sum test of x against y with the Hodges–Lehmann shift x − y.
pub fn rank_sum(x: &[f64], y: &[f64], conf_level: f64, label: &'static str) -> TestResult {
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

    let (nxf, nyf) = (nx as f64, ny as f64);
    let (rank_sum_x, ties) = pooled_rank_sum_sorted(&xs, &ys);
    let w = rank_sum_x - nxf * (nxf + 1.0) / 2.0 + 0.0;
    out.statistic = Some(Statistic {
        name: "W",
        value: w,
    });
    if !ties.is_empty() {
        out.diagnostics
            .push(Diagnostic::Ties { groups: ties.len() });
    }
    let alpha = 1.0 - conf_level;

    if nx < EXACT_LIMIT && ny < EXACT_LIMIT && ties.is_empty() {
        let dist = RankSumDistribution::new(nx, ny);
        let p = if w > nxf * nyf / 2.0 {
            dist.p(w - 1.0, true)
        } else {
            dist.p(w, false)
        };
        out.p_value = Some((2.0 * p).min(1.0));
        out.p_value_method = Some(PValueMethod::Exact);
        let mut qu = dist.quantile(alpha / 2.0);
        if qu == 0 {
            qu = 1;
        }
        let ql = nx * ny - qu;
        let achieved = 2.0 * dist.p(qu as f64 - 1.0, false);
        let mut level = conf_level;
        if achieved - alpha > alpha / 2.0 {
            level = 1.0 - achieved;
            out.diagnostics.push(Diagnostic::ConfLevelNotAchievable {
                requested: conf_level,
                achieved: level,
            });
        }
        out.interval = Some(ConfidenceInterval {
            lower: diffs.kth(qu as u64),
            upper: diffs.kth(ql as u64 + 1),
            level,
            method: IntervalMethod::MannWhitneyExact,
        });
        return out;
    }

    out.diagnostics.push(Diagnostic::NormalApproximation {
        reason: if ties.is_empty() {
            "50 or more patients in an arm"
        } else {
            "ties"
        },
    });
    let tie_term: f64 = ties.iter().map(|&t| (t * t * t - t) as f64).sum();
    let z0 = w - nxf * nyf / 2.0;
    let sigma = ((nxf * nyf / 12.0)
        * ((nxf + nyf + 1.0) - tie_term / ((nxf + nyf) * (nxf + nyf - 1.0))))
        .sqrt();
    let z = (z0 - signum_r(z0) * 0.5) / sigma;
    out.p_value = Some(2.0 * norm_cdf(z).min(norm_sf(z)));
    out.p_value_method = Some(PValueMethod::NormalApproximation);

    let mumin = xs[0] - ys[ny - 1];
    let mumax = xs[nx - 1] - ys[0];
    let wfun = |d: f64| standardised_sorted(&xs, &ys, d, true);
    let w_min = wfun(mumin);
    let w_max = wfun(mumax);
    if !w_min.is_finite() || !w_max.is_finite() {
        out.diagnostics.push(Diagnostic::AllTied);
        return out;
    }
    let mut nonconverged = false;
    let mut root = |zq: f64| -> f64 {
        let f_lower = w_min - zq;
        if f_lower <= 0.0 {
            return mumin;
        }
        let f_upper = w_max - zq;
        if f_upper >= 0.0 {
            return mumax;
        }
        let r = zeroin(mumin, mumax, f_lower, f_upper, |d| wfun(d) - zq, 1e-4, 1000);
        nonconverged |= !r.converged;
        r.root
    };
    let lower = root(-norm_quantile(alpha / 2.0));
    let upper = root(norm_quantile(alpha / 2.0));
    if nonconverged {
        out.diagnostics.push(Diagnostic::NonConvergence {
            routine: "Mann–Whitney interval root finder",
        });
    }
    out.interval = Some(ConfidenceInterval {
        lower,
        upper,
        level: conf_level,
        method: IntervalMethod::MannWhitneyNormal,
    });
    out
}

#[cfg(test)]
mod merge_tests {
    use super::*;

    /// The O(n) merge gives bit-identical W(d) to ranking the pooled sample afresh.
    #[test]
    fn sorted_statistic_is_bit_identical() {
        let mut lcg = crate::test_rng(11);
        let mut next = || (lcg() % 31) as f64 / 2.0;
        for (nx, ny) in [(1usize, 1usize), (3, 7), (40, 25), (150, 160)] {
            let x: Vec<f64> = (0..nx).map(|_| next()).collect();
            let y: Vec<f64> = (0..ny).map(|_| next()).collect();
            let (mut xs, mut ys) = (x.clone(), y.clone());
            xs.sort_unstable_by(f64::total_cmp);
            ys.sort_unstable_by(f64::total_cmp);
            for d in [-20.0, -3.5, -0.5, 0.0, 0.5, 2.0, 7.25, 16.0] {
                let a = standardised(&x, &y, d, true);
                let b = standardised_sorted(&xs, &ys, d, true);
                assert!(
                    a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan()),
                    "{nx},{ny} d={d}: {a} vs {b}"
                );
            }
        }
    }
}
