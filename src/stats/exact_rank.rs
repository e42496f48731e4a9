//! Exact Wilcoxon signed-rank and rank-sum tests that stay exact with ties and zeros, with their
//! Hodges–Lehmann estimates and intervals, following `exactRankTests::wilcox.exact(exact = TRUE,
//! conf.int = TRUE)` (Hothorn & Hornik): the permutation distribution of the statistic given the
//! observed midranks (Streitberg & Röhmel's shift algorithm, here as a subset-sum recursion over
//! the integer scores 2 × midrank), zeros dropped as Wilcoxon did.
//!
//! Costs: the one-sample distribution is O(n · n²) and the interval evaluates the statistic at
//! each of the n(n+1)/2 Walsh averages (O(n³ log n)); the two-sample distribution is
//! O(nx · N · N²/…) and its interval evaluates nx·ny differences. Above [`ONE_SAMPLE_LIMIT`] /
//! [`TWO_SAMPLE_LIMIT`] the routines return only the p-value (no interval) and say so.
//!
//! The limits bound the cost (about 0.06 s per cell at the limit on one core), so that time
//! grows smoothly with the data: above them the permutation-moment normal approximation takes
//! over, as `exactRankTests` does for large samples, with no cliff.

use super::rank::{abs_tie_groups_sorted, average_ranks, pooled_tie_groups_sorted, signed_ranks};
use super::result::{
    Alternative, ConfidenceInterval, Diagnostic, Estimate, IntervalMethod, PValueMethod, Statistic,
    TestResult,
};

/// Largest number of non-zero values for which the one-sample interval is computed.
pub const ONE_SAMPLE_LIMIT: usize = 200;
/// Largest number of non-zero values for which the one-sample distribution is computed; above
/// it the p-value is exactRankTests' asymptotic one (normal, no continuity correction).
pub const ONE_SAMPLE_DISTRIBUTION_LIMIT: usize = 200;
/// Largest nx + ny for which the two-sample test is computed exactly.
pub const TWO_SAMPLE_LIMIT: usize = 100;

/// Midranks as integer scores: ×2 when some are halves (as exactRankTests' `equiscores`).
pub(super) fn integer_scores(ranks: &[f64]) -> (Vec<usize>, f64) {
    let fact = if ranks.iter().any(|r| r.fract() != 0.0) {
        2.0
    } else {
        1.0
    };
    (
        ranks.iter().map(|r| (r * fact).round() as usize).collect(),
        fact,
    )
}

/// A discrete distribution on T = t / fact, t = 0, 1, …, kept as (T, probability) for the
/// support points of non-zero probability, ascending.
pub(super) struct Discrete {
    pub(super) support: Vec<(f64, f64)>,
}

impl Discrete {
    fn cdf(&self, q: f64) -> f64 {
        self.support
            .iter()
            .filter(|(t, _)| *t <= q)
            .map(|(_, p)| p)
            .sum()
    }
    fn sf_from(&self, q: f64) -> f64 {
        self.support
            .iter()
            .filter(|(t, _)| *t >= q)
            .map(|(_, p)| p)
            .sum()
    }
    /// exactRankTests' two-sided p of the signed-rank statistic: twice the smaller tail.
    fn two_sided(&self, v: f64) -> f64 {
        let lower_tail = self.cdf(v);
        if 2.0 * lower_tail <= 1.0 {
            2.0 * lower_tail
        } else {
            2.0 * self.sf_from(v)
        }
    }
    /// exactRankTests' `qperm`: the first support point whose cumulative probability is ≥ p.
    pub(super) fn quantile(&self, p: f64) -> f64 {
        let mut cum = 0.0;
        let mut last_below = None;
        for (i, (_, pr)) in self.support.iter().enumerate() {
            cum += pr;
            if cum < p {
                last_below = Some(i);
            }
        }
        let idx = last_below
            .map(|i| i + 1)
            .unwrap_or(0)
            .min(self.support.len() - 1);
        self.support[idx].0
    }
}

/// Sum of the scores carrying a positive sign, all 2^n sign patterns equally likely.
fn signed_distribution(scores: &[usize], fact: f64) -> Discrete {
    let total: usize = scores.iter().sum();
    let mut counts = vec![0.0f64; total + 1];
    counts[0] = 1.0;
    let mut top = 0;
    for &s in scores {
        top += s;
        for t in (s..=top).rev() {
            counts[t] += counts[t - s];
        }
    }
    let scale = 0.5f64.powi(scores.len() as i32);
    Discrete {
        support: counts
            .iter()
            .enumerate()
            .filter(|(_, c)| **c != 0.0)
            .map(|(t, c)| (t as f64 / fact, c * scale))
            .collect(),
    }
}

/// Sum of the scores of m units drawn without replacement from all N, all subsets equally likely.
fn subset_distribution(scores: &[usize], m: usize, fact: f64) -> Discrete {
    let total: usize = scores.iter().sum();
    // ways[s][t] as probabilities of choosing s of the first j units with score sum t,
    // scaled by 1 / C(N, m) at the end.
    let mut ways = vec![vec![0.0f64; total + 1]; m + 1];
    ways[0][0] = 1.0;
    let mut top = 0;
    for (j, &s) in scores.iter().enumerate() {
        top += s;
        for k in (1..=m.min(j + 1)).rev() {
            let (prev, cur) = ways.split_at_mut(k);
            let (prev, cur) = (&prev[k - 1], &mut cur[0]);
            for t in (s..=top).rev() {
                cur[t] += prev[t - s];
            }
        }
    }
    let n = scores.len();
    let mut choose = 1.0f64;
    for i in 0..m {
        choose = choose * (n - i) as f64 / (i + 1) as f64;
    }
    Discrete {
        support: ways[m]
            .iter()
            .enumerate()
            .filter(|(_, c)| **c != 0.0)
            .map(|(t, c)| (t as f64 / fact, c / choose))
            .collect(),
    }
}

pub(super) fn signed_rank_statistic(x: &[f64], d: f64) -> f64 {
    let xd: Vec<f64> = x.iter().map(|v| v - d).collect();
    signed_ranks(&xd).2
}

/// Interval and estimate from the statistic evaluated at each sorted candidate shift, as
/// exactRankTests: lower = max(d: w > ql), upper = min(d: w ≤ qu), estimate = mean of
/// min(d: w ≤ ⌈wmean⌉) and max(d: w > wmean).
fn invert(diffs: &[f64], w: &[f64], qu: f64, ql: f64, wmean: f64) -> (f64, f64, Option<f64>) {
    let min_w = w.iter().cloned().fold(f64::INFINITY, f64::min);
    let max_w = w.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    let max_diff = diffs[diffs.len() - 1];
    let min_diff = diffs[0];
    let upper = if qu <= min_w {
        max_diff
    } else {
        diffs
            .iter()
            .zip(w)
            .filter(|(_, w)| **w <= qu)
            .map(|(d, _)| *d)
            .fold(f64::INFINITY, f64::min)
    };
    let lower = if ql >= max_w {
        min_diff
    } else {
        diffs
            .iter()
            .zip(w)
            .filter(|(_, w)| **w > ql)
            .map(|(d, _)| *d)
            .fold(f64::NEG_INFINITY, f64::max)
    };
    let a = diffs
        .iter()
        .zip(w)
        .filter(|(_, w)| **w <= wmean.ceil())
        .map(|(d, _)| *d)
        .fold(f64::INFINITY, f64::min);
    let b = diffs
        .iter()
        .zip(w)
        .filter(|(_, w)| **w > wmean)
        .map(|(d, _)| *d)
        .fold(f64::NEG_INFINITY, f64::max);
    // exactRankTests' estimate is the mean of these two; when one side is empty it reports ±Inf.
    let estimate = (a.is_finite() && b.is_finite()).then_some((a + b) / 2.0);
    (lower, upper, estimate)
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

/// Exact signed-rank test of location 0 with ties and zeros (zeros dropped), two-sided.
pub fn signed_rank_exact(x: &[f64], conf_level: f64, label: &'static str) -> TestResult {
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
    if n > ONE_SAMPLE_DISTRIBUTION_LIMIT {
        if let Some(r) =
            super::exact_rank_large::signed_rank(&nonzero, out.clone(), conf_level, label)
        {
            return r;
        }
        // exactRankTests' asymptotic branch: V standardised by its permutation mean and
        // variance, Σr/2 and Σr²/4, from the tie groups of |x| (a merge of the sorted values;
        // Σr = n(n + 1)/2 exactly).
        let mut sorted = nonzero;
        sorted.sort_unstable_by(f64::total_cmp);
        let (mut v, mut sum_r, mut sum_r2, mut ties) = (0.0f64, 0.0f64, 0.0f64, 0usize);
        abs_tie_groups_sorted(&sorted, |avg, t, positives| {
            v += avg * positives as f64;
            sum_r += avg * t as f64;
            sum_r2 += avg * avg * t as f64;
            ties += usize::from(t > 1);
        });
        let v = v + 0.0;
        if ties > 0 {
            out.diagnostics.push(Diagnostic::Ties { groups: ties });
        }
        out.statistic = Some(Statistic {
            name: "V",
            value: v,
        });
        let wmean = sum_r / 2.0;
        let wvar = sum_r2 / 4.0;
        let z = (v - wmean) / wvar.sqrt();
        out.p_value =
            Some(2.0 * super::distributions::norm_cdf(z).min(super::distributions::norm_sf(z)));
        out.p_value_method = Some(PValueMethod::NormalApproximation);
        out.diagnostics.push(Diagnostic::NormalApproximation {
            reason: "exact distribution above the work limit: permutation mean and variance, no interval",
        });
        return out;
    }
    let (ranks, ties, v) = signed_ranks(&nonzero);
    if !ties.is_empty() {
        out.diagnostics
            .push(Diagnostic::Ties { groups: ties.len() });
    }
    out.statistic = Some(Statistic {
        name: "V",
        value: v,
    });
    let (scores, fact) = integer_scores(&ranks);
    let dist = signed_distribution(&scores, fact);
    let p = dist.two_sided(v);
    out.p_value = Some(p.min(1.0));
    out.p_value_method = Some(PValueMethod::Exact);
    if n > ONE_SAMPLE_LIMIT {
        out.diagnostics.push(Diagnostic::NormalApproximation {
            reason: "interval not computed above 200 non-zero changes",
        });
        return out;
    }
    let mut walsh = Vec::with_capacity(n * (n + 1) / 2);
    for i in 0..n {
        for j in i..n {
            walsh.push((nonzero[i] + nonzero[j]) / 2.0);
        }
    }
    walsh.sort_unstable_by(f64::total_cmp);
    let w: Vec<f64> = if ties.is_empty() {
        let total = walsh.len();
        (0..total).map(|i| (total - i) as f64).collect()
    } else {
        walsh
            .iter()
            .map(|&d| signed_rank_statistic(&nonzero, d))
            .collect()
    };
    let alpha = 1.0 - conf_level;
    let qu = dist.quantile(alpha / 2.0);
    let ql = dist.quantile(1.0 - alpha / 2.0);
    let wmean = ranks.iter().sum::<f64>() / 2.0;
    let (lower, upper, estimate) = invert(&walsh, &w, qu, ql, wmean);
    let estimate = estimate.unwrap_or_else(|| {
        out.diagnostics.push(Diagnostic::EstimateFallback {
            reason: "exactRankTests' estimate is infinite here; median of the Walsh averages given",
        });
        sorted_median(&walsh)
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
    out
}

/// Exact signed-rank test with Pratt's (1959) handling of zeros: |x| is ranked with the zeros
/// included, then the zeros are dropped, so the remaining ranks start above 1 and the test is
/// conditional on those ranks. Two-sided p only (no interval: the Walsh-average inversion is
/// defined for Wilcoxon's handling).
pub fn signed_rank_exact_pratt(x: &[f64]) -> TestResult {
    let n_all = x.len();
    let abs: Vec<f64> = x.iter().map(|v| v.abs()).collect();
    let (ranks_all, ties) = average_ranks(&abs);
    let kept: Vec<(f64, f64)> = x
        .iter()
        .zip(&ranks_all)
        .filter(|(v, _)| **v != 0.0)
        .map(|(v, r)| (*v, *r))
        .collect();
    let n = kept.len();
    let mut out = TestResult::empty(n, Alternative::TwoSided);
    out.n_left_out = n_all - n;
    if n == 0 {
        out.diagnostics
            .push(Diagnostic::TooFewObservations { n: 0, required: 1 });
        return out;
    }
    if !ties.is_empty() {
        out.diagnostics
            .push(Diagnostic::Ties { groups: ties.len() });
    }
    let ranks: Vec<f64> = kept.iter().map(|(_, r)| *r).collect();
    let v: f64 = kept
        .iter()
        .filter(|(x, _)| *x > 0.0)
        .map(|(_, r)| r)
        .sum::<f64>()
        + 0.0;
    out.statistic = Some(Statistic {
        name: "V",
        value: v,
    });
    if n > ONE_SAMPLE_DISTRIBUTION_LIMIT {
        out.diagnostics.push(Diagnostic::TooLarge {
            what: "exact Pratt signed-rank test",
            limit: ONE_SAMPLE_DISTRIBUTION_LIMIT,
        });
        return out;
    }
    let (scores, fact) = integer_scores(&ranks);
    let dist = signed_distribution(&scores, fact);
    let p = dist.two_sided(v);
    out.p_value = Some(p.min(1.0));
    out.p_value_method = Some(PValueMethod::Exact);
    out
}

/// Exact rank-sum test of x against y with ties, two-sided, with the Hodges–Lehmann shift x − y.
pub fn rank_sum_exact(x: &[f64], y: &[f64], conf_level: f64, label: &'static str) -> TestResult {
    let (nx, ny) = (x.len(), y.len());
    let mut out = TestResult::empty(nx + ny, Alternative::TwoSided);
    if nx == 0 || ny == 0 {
        out.diagnostics.push(Diagnostic::TooFewObservations {
            n: nx.min(ny),
            required: 1,
        });
        return out;
    }
    if nx + ny > TWO_SAMPLE_LIMIT {
        if let Some(r) = super::exact_rank_large::rank_sum(x, y, out.clone(), conf_level, label) {
            return r;
        }
        // exactRankTests' asymptotic branch: the rank sum standardised by its permutation
        // mean and variance (no continuity correction), no interval; from the tie groups of
        // the pooled sample (a merge of the sorted samples; Σr = N(N + 1)/2 exactly).
        let big_n = (nx + ny) as f64;
        let (mut xs, mut ys) = (x.to_vec(), y.to_vec());
        xs.sort_unstable_by(f64::total_cmp);
        ys.sort_unstable_by(f64::total_cmp);
        let mut groups = Vec::new();
        pooled_tie_groups_sorted(&xs, &ys, |avg, t, cx| groups.push((avg, t, cx)));
        let rank_sum: f64 = groups.iter().map(|&(avg, _, cx)| avg * cx as f64).sum();
        let total: f64 = groups.iter().map(|&(avg, t, _)| avg * t as f64).sum();
        let wmean = nx as f64 / big_n * total;
        let centre = wmean / nx as f64;
        let wvar = nx as f64 * ny as f64 / (big_n * (big_n - 1.0))
            * groups
                .iter()
                .map(|&(avg, t, _)| t as f64 * (avg - centre).powi(2))
                .sum::<f64>();
        let z = (rank_sum - wmean) / wvar.sqrt();
        out.statistic = Some(Statistic {
            name: "W",
            value: rank_sum - nx as f64 * (nx as f64 + 1.0) / 2.0 + 0.0,
        });
        out.p_value =
            Some(2.0 * super::distributions::norm_cdf(z).min(super::distributions::norm_sf(z)));
        out.p_value_method = Some(PValueMethod::NormalApproximation);
        out.diagnostics.push(Diagnostic::NormalApproximation {
            reason: "exact distribution above the work limit: permutation mean and variance, no interval",
        });
        return out;
    }
    let all: Vec<f64> = x.iter().chain(y).copied().collect();
    let (ranks, ties) = average_ranks(&all);
    if !ties.is_empty() {
        out.diagnostics
            .push(Diagnostic::Ties { groups: ties.len() });
    }
    let (nxf, nyf) = (nx as f64, ny as f64);
    let offset = nxf * (nxf + 1.0) / 2.0;
    let rank_sum: f64 = ranks[..nx].iter().sum();
    let w_stat = rank_sum - offset;
    out.statistic = Some(Statistic {
        name: "W",
        value: w_stat + 0.0,
    });
    let (scores, fact) = integer_scores(&ranks);
    let dist = subset_distribution(&scores, nx, fact);
    let total: f64 = ranks.iter().sum();
    let expect = nxf / (nx + ny) as f64 * total;
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
    out.p_value = Some(p.min(1.0));
    out.p_value_method = Some(PValueMethod::Exact);
    let mut diffs: Vec<f64> = x
        .iter()
        .flat_map(|a| y.iter().map(move |b| a - b))
        .collect();
    diffs.sort_unstable_by(f64::total_cmp);
    let w: Vec<f64> = if ties.is_empty() {
        let total = diffs.len();
        (0..total).map(|i| (total - i) as f64).collect()
    } else {
        diffs
            .iter()
            .map(|&d| {
                let shifted: Vec<f64> = x.iter().map(|v| v - d).chain(y.iter().copied()).collect();
                let (r, _) = average_ranks(&shifted);
                r[..nx].iter().sum::<f64>() - offset
            })
            .collect()
    };
    let alpha = 1.0 - conf_level;
    let qu = dist.quantile(alpha / 2.0) - offset;
    let ql = dist.quantile(1.0 - alpha / 2.0) - offset;
    let wmean = nxf / (nxf + nyf) * total - offset;
    let (lower, upper, estimate) = invert(&diffs, &w, qu, ql, wmean);
    let estimate = estimate.unwrap_or_else(|| {
        out.diagnostics.push(Diagnostic::EstimateFallback { reason: "exactRankTests' estimate is infinite here; median of the pairwise differences given" });
        sorted_median(&diffs)
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
    out
}
