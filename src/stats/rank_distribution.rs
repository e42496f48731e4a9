//! Exact permutation distributions of the signed-rank and rank-sum statistics at sizes where
//! the unit-by-unit recursion of `exact_rank` is too slow: the same distributions (given the
//! observed midranks), computed with less work. Pure numerics, no rows, no formatting.
//!
//! - Signed rank: the sum of the integer scores (2 × midrank when some are halves) carrying a
//!   positive sign is symmetric about half the total, and every step of the subset-sum
//!   recursion only reads smaller sums, so only the lower half is computed (exactly; nothing
//!   is dropped) with a vectorised in-place update, kept as probabilities (each unit halves
//!   them) so that nothing overflows at 1,000 units.
//! - Rank sum without ties: the Mann–Whitney U distribution from Harding's (1984) product of
//!   q-binomial factors, ∏ (1 − q^{n+i}) / (1 − q^i), again over the lower half only:
//!   O(min(m, n) · mn) instead of O(N · m · N²).
//! - Rank sum with ties: the network of tie groups (Mehta, Patel & Tsiatis 1984; the 2 × c
//!   ordered table): after each group, for each number k of x units among the units so far,
//!   the conditional distribution of their score sum, updated with the hypergeometric weights
//!   of the group; only k that can still reach m are kept. Ordinal data (few groups) stay
//!   cheap; the work is estimated first and the caller falls back when it exceeds
//!   [`WORK_BUDGET`].
//!
//! Every routine first estimates its work (inner-loop updates) so that the caller can say
//! "above the exact limit" instead of running for minutes: the limit is a cost, not a sample
//! size, because 1,000 patients on a 0–10 scale are cheap and 400 continuous values are not.

/// Inner-loop updates allowed for one exact signed-rank distribution (vectorised halving
/// adds, about 0.4 ns each: ≤ 0.15 s on one core); above it the caller uses the asymptotic
/// test under its own method name. 1,000 tied non-zero values need about 2.6 × 10⁸.
pub const SIGNED_WORK_BUDGET: f64 = 3.0e8;
/// Inner-loop updates allowed for one exact rank-sum distribution (about 1 ns each: ≤ 0.2 s).
pub const WORK_BUDGET: f64 = 2.0e8;

/// A distribution of integer scores 0..=total symmetric about total / 2, kept as the
/// probabilities of the lower half; T = score / fact.
pub struct SymmetricLowerHalf {
    lower: Vec<f64>,
    total: usize,
    fact: f64,
}

impl SymmetricLowerHalf {
    /// P(score ≤ t) for t ≤ total / 2.
    fn cdf_lower(&self, t: usize) -> f64 {
        self.lower[..=t.min(self.lower.len() - 1)].iter().sum()
    }

    /// Two-sided p of an observed score sum: twice the smaller tail (as exactRankTests), at
    /// most 1.
    pub fn two_sided(&self, score: usize) -> f64 {
        let tail = score.min(self.total - score);
        (2.0 * self.cdf_lower(tail)).min(1.0)
    }

    /// exactRankTests' `qperm(p)` for p < 1/2: the first support point whose cumulative
    /// probability is ≥ p, as T.
    pub fn lower_quantile(&self, p: f64) -> f64 {
        let mut cum = 0.0;
        for (t, pr) in self.lower.iter().enumerate() {
            cum += pr;
            if *pr != 0.0 && cum >= p {
                return t as f64 / self.fact;
            }
        }
        (self.lower.len() - 1) as f64 / self.fact
    }

    /// `qperm(1 − p)` for p < 1/2 by symmetry: the first t with P(T > t) ≤ p, i.e. t = total
    /// − 1 − u for the largest u with P(score ≤ u) ≤ p.
    pub fn upper_quantile(&self, p: f64) -> f64 {
        let mut cum = 0.0;
        let mut largest: Option<usize> = None;
        for (u, pr) in self.lower.iter().enumerate() {
            cum += pr;
            if cum <= p {
                largest = Some(u);
            } else {
                break;
            }
        }
        let t = match largest {
            Some(u) => self.total - 1 - u,
            None => self.total,
        };
        t as f64 / self.fact
    }

    /// P(score = t) for t = 0..=total / 2 (the upper half is its mirror image).
    pub fn probabilities(&self) -> &[f64] {
        &self.lower
    }

    /// The mean, total / 2, as T.
    pub fn mean(&self) -> f64 {
        self.total as f64 / 2.0 / self.fact
    }
}

/// Work of [`signed_rank_lower_half`] for these scores (inner-loop updates).
pub fn signed_rank_work(scores: &[usize]) -> f64 {
    let half = scores.iter().sum::<usize>() / 2;
    let mut sorted = scores.to_vec();
    sorted.sort_unstable();
    let mut top = 0usize;
    let mut work = 0.0;
    for s in sorted {
        top = (top + s).min(half);
        work += (top + 1) as f64;
    }
    work
}

/// `p[t] = (p[t] + p[t − s]) / 2` for t ≥ s and `p[t] / 2` below, in place: blocks of at most
/// s values read only values below the block, so each block is one vectorisable loop.
fn add_shifted_halved(p: &mut [f64], s: usize) {
    let len = p.len();
    let mut end = len;
    while end > s {
        let chunk = (end - s).min(s);
        let start = end - chunk;
        let (lo, hi) = p.split_at_mut(start);
        for (h, l) in hi[..chunk].iter_mut().zip(&lo[start - s..end - s]) {
            *h = 0.5 * (*h + *l);
        }
        end = start;
    }
    for v in &mut p[..s.min(len)] {
        *v *= 0.5;
    }
}

/// `p ← p · ((1 + q^s)/2)^k` for k = 2 or 4 in one pass (binomial weights 1 2 1 / 4 or
/// 1 4 6 4 1 / 16, exact in binary), in place from the top: as [`add_shifted_halved`] k times,
/// with one read of each lower value per shift instead of k passes (tie groups of ordinal
/// scores repeat the same score hundreds of times).
fn add_shifted_power(p: &mut [f64], s: usize, k: usize) {
    let len = p.len();
    // Index u becomes Σ_c w_c p[u − c s] over the c with u ≥ c s; blocks of at most s values
    // read only values below the block.
    let mut end = len;
    while end > 0 {
        let chunk = end.min(s);
        let start = end - chunk;
        let (lo, hi) = p.split_at_mut(start);
        let hi = &mut hi[..chunk];
        if start >= k * s {
            // Every shift lands inside the array: straight loops over aligned slices.
            let at = |c: usize| &lo[start - c * s..end - c * s];
            if k == 2 {
                let (a, b) = (at(1), at(2));
                for ((h, x), y) in hi.iter_mut().zip(a).zip(b) {
                    *h = 0.25 * (*h + y) + 0.5 * x;
                }
            } else {
                let (a, b, c, d) = (at(1), at(2), at(3), at(4));
                for ((((h, x1), x2), x3), x4) in hi.iter_mut().zip(a).zip(b).zip(c).zip(d) {
                    *h = 0.0625 * (*h + x4) + 0.25 * (x1 + x3) + 0.375 * x2;
                }
            }
        } else {
            let weights: &[f64] = if k == 2 {
                &[0.25, 0.5, 0.25]
            } else {
                &[0.0625, 0.25, 0.375, 0.25, 0.0625]
            };
            for (i, h) in hi.iter_mut().enumerate() {
                let u = start + i;
                let mut acc = weights[0] * *h;
                for (c, w) in weights.iter().enumerate().skip(1) {
                    if u >= c * s {
                        acc += w * lo[u - c * s];
                    }
                }
                *h = acc;
            }
        }
        end = start;
    }
}

/// The distribution of the sum of the scores carrying a positive sign, all 2^n sign patterns
/// equally likely (Wilcoxon signed rank with midrank scores, `fact` = 2 when they are halves).
pub fn signed_rank_lower_half(scores: &[usize], fact: f64) -> SymmetricLowerHalf {
    let total: usize = scores.iter().sum();
    let half = total / 2;
    let mut p = vec![0.0f64; half + 1];
    p[0] = 1.0;
    let mut sorted = scores.to_vec();
    sorted.sort_unstable();
    let mut top = 0usize;
    let mut i = 0;
    while i < sorted.len() {
        let s = sorted[i];
        // Tied scores four or two at a time.
        let run = sorted[i..].iter().take_while(|&&x| x == s).count();
        let k = if run >= 4 {
            4
        } else if run >= 2 {
            2
        } else {
            1
        };
        top = (top + k * s).min(half);
        if k == 1 || s == 0 {
            for _ in 0..k {
                add_shifted_halved(&mut p[..=top], s);
            }
        } else {
            add_shifted_power(&mut p[..=top], s, k);
        }
        i += k;
    }
    SymmetricLowerHalf {
        lower: p,
        total,
        fact,
    }
}

/// Work of [`mann_whitney_lower_half`] (three passes per factor).
pub fn mann_whitney_work(m: usize, n: usize) -> f64 {
    3.0 * m.min(n) as f64 * ((m * n / 2) + 1) as f64
}

/// The Mann–Whitney U distribution (no ties) for samples of m and n, as probabilities of the
/// lower half: Harding's product ∏_{i=1}^{min} (1 − q^{max+i}) / (1 − q^i), each factor
/// divided out first (prefix sums with stride i) and then multiplied in, then scaled by
/// i / (max + i) so that the coefficients stay the probabilities of the partial product.
pub fn mann_whitney_lower_half(m: usize, n: usize) -> SymmetricLowerHalf {
    let (a, b) = (m.min(n), m.max(n));
    let total = a * b;
    let half = total / 2;
    let mut f = vec![0.0f64; half + 1];
    f[0] = 1.0;
    for i in 1..=a {
        for u in i..=half {
            f[u] += f[u - i];
        }
        let s = b + i;
        if s <= half {
            for u in (s..=half).rev() {
                f[u] -= f[u - s];
            }
        }
        let c = i as f64 / (b + i) as f64;
        for v in &mut f {
            *v *= c;
        }
    }
    SymmetricLowerHalf {
        lower: f,
        total,
        fact: 1.0,
    }
}

/// ln k! for k = 0..=n.
fn ln_factorials(n: usize) -> Vec<f64> {
    let mut out = Vec::with_capacity(n + 1);
    let mut acc = 0.0f64;
    out.push(0.0);
    for k in 1..=n {
        acc += (k as f64).ln();
        out.push(acc);
    }
    out
}

/// For each k, the range of score sums k units from the groups so far can have.
#[derive(Clone)]
struct Band {
    lo: usize,
    hi: usize,
}

/// The score-sum bands after each group and the work of the network (see the module doc).
/// `groups` are (score, size) in any order; returns None when the work exceeds `budget`.
fn grouped_bands(groups: &[(usize, usize)], m: usize, budget: f64) -> Option<Vec<Vec<Band>>> {
    let n_all: usize = groups.iter().map(|g| g.1).sum();
    let mut bands = vec![vec![Band { lo: 0, hi: 0 }]];
    let (mut seen, mut work) = (0usize, 0.0f64);
    for &(s, t) in groups {
        let prev = &bands[bands.len() - 1];
        let after = seen + t;
        let remaining = n_all - after;
        let k_min = m.saturating_sub(remaining);
        let k_max = m.min(after);
        let mut next = vec![
            Band {
                lo: usize::MAX,
                hi: 0
            };
            k_max + 1
        ];
        for (k, band) in next.iter_mut().enumerate().skip(k_min) {
            let x_lo = k.saturating_sub(seen);
            let x_hi = t.min(k);
            // Every visit counts, so that the estimate itself stops early on huge inputs.
            work += (x_hi + 1).saturating_sub(x_lo) as f64;
            if work > budget {
                return None;
            }
            for x in x_lo..=x_hi {
                let b = &prev[k - x];
                if b.lo > b.hi {
                    continue;
                }
                band.lo = band.lo.min(b.lo + x * s);
                band.hi = band.hi.max(b.hi + x * s);
                work += (b.hi - b.lo + 1) as f64;
            }
        }
        if work > budget {
            return None;
        }
        bands.push(next);
        seen = after;
    }
    Some(bands)
}

/// The distribution of the sum of the scores of m units drawn without replacement from the
/// tie groups `groups` = (integer score, size), all subsets equally likely: (T = score / fact,
/// probability) for the support points, ascending. None when the work exceeds `budget`.
pub fn rank_sum_grouped(
    groups: &[(usize, usize)],
    m: usize,
    fact: f64,
    budget: f64,
) -> Option<Vec<(f64, f64)>> {
    let bands = grouped_bands(groups, m, budget)?;
    let n_all: usize = groups.iter().map(|g| g.1).sum();
    let lf = ln_factorials(n_all);
    let ln_choose = |n: usize, k: usize| lf[n] - lf[k] - lf[n - k];
    // cond[k][S - lo_k] = P(score sum S | k of the units so far are x units).
    let mut cond: Vec<Vec<f64>> = vec![vec![1.0]];
    let mut seen = 0usize;
    for (g, &(s, t)) in groups.iter().enumerate() {
        let (prev_b, next_b) = (&bands[g], &bands[g + 1]);
        let after = seen + t;
        let mut next: Vec<Vec<f64>> = next_b
            .iter()
            .map(|b| {
                if b.lo > b.hi {
                    Vec::new()
                } else {
                    vec![0.0; b.hi - b.lo + 1]
                }
            })
            .collect();
        for (k, out) in next.iter_mut().enumerate() {
            if out.is_empty() {
                continue;
            }
            let lo = next_b[k].lo;
            let denom = ln_choose(after, k);
            let x_lo = k.saturating_sub(seen);
            for x in x_lo..=t.min(k) {
                let pb = &prev_b[k - x];
                if pb.lo > pb.hi || cond[k - x].is_empty() {
                    continue;
                }
                // Hypergeometric weight: x of the k from this group.
                let w = (ln_choose(t, x) + ln_choose(seen, k - x) - denom).exp();
                let from = pb.lo + x * s - lo;
                for (o, c) in out[from..from + cond[k - x].len()]
                    .iter_mut()
                    .zip(&cond[k - x])
                {
                    *o += w * c;
                }
            }
        }
        cond = next;
        seen = after;
    }
    let lo = bands[groups.len()][m].lo;
    Some(
        cond[m]
            .iter()
            .enumerate()
            .filter(|(_, p)| **p != 0.0)
            .map(|(i, p)| ((lo + i) as f64 / fact, *p))
            .collect(),
    )
}

/// The interval and estimate from a statistic that does not increase with the shift d,
/// evaluated at O(log K) of the K sorted candidates (`w(i)` is the statistic at
/// `candidates[i]`): the same as evaluating it at every candidate (exactRankTests'
/// `min(d: w ≤ qu)`, `max(d: w > ql)` and the estimate's two ends), since each set is a
/// prefix or suffix.
pub fn invert_monotone(
    candidates: &[f64],
    w: impl Fn(usize) -> f64,
    qu: f64,
    ql: f64,
    wmean: f64,
) -> (f64, f64, Option<f64>) {
    let k = candidates.len();
    // First index whose statistic is ≤ q (k if none).
    let first_at_most = |q: f64| {
        let (mut lo, mut hi) = (0usize, k);
        while lo < hi {
            let mid = (lo + hi) / 2;
            if w(mid) <= q {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        lo
    };
    let (min_d, max_d) = (candidates[0], candidates[k - 1]);
    // As exactRankTests: the whole range when the quantile is beyond the statistic's range.
    let upper = if qu <= w(k - 1) {
        max_d
    } else {
        candidates[first_at_most(qu)]
    };
    // Last index with w > ql = (first index with w ≤ ql) − 1.
    let lower = if ql >= w(0) {
        min_d
    } else {
        candidates[first_at_most(ql) - 1]
    };
    let ia = first_at_most(wmean.ceil());
    let ib = first_at_most(wmean);
    let estimate = (ia < k && ib > 0).then(|| (candidates[ia] + candidates[ib - 1]) / 2.0);
    (lower, upper, estimate)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// All 2^n sign patterns, counted.
    fn enumerate_signed(scores: &[usize]) -> Vec<f64> {
        let total: usize = scores.iter().sum();
        let mut counts = vec![0.0; total + 1];
        for mask in 0u32..(1 << scores.len()) {
            let t: usize = (0..scores.len())
                .filter(|i| mask >> i & 1 == 1)
                .map(|i| scores[i])
                .sum();
            counts[t] += 1.0;
        }
        let all = (1u64 << scores.len()) as f64;
        counts.iter().map(|c| c / all).collect()
    }

    /// All C(N, m) subsets, counted.
    fn enumerate_subsets(scores: &[usize], m: usize) -> Vec<f64> {
        let total: usize = scores.iter().sum();
        let mut counts = vec![0.0; total + 1];
        let mut all = 0.0;
        for mask in 0u32..(1 << scores.len()) {
            if mask.count_ones() as usize != m {
                continue;
            }
            let t: usize = (0..scores.len())
                .filter(|i| mask >> i & 1 == 1)
                .map(|i| scores[i])
                .sum();
            counts[t] += 1.0;
            all += 1.0;
        }
        counts.iter().map(|c| c / all).collect()
    }

    #[test]
    fn signed_rank_lower_half_equals_enumeration() {
        let mut checked = 0;
        // Untied ranks, midranks ×2 with ties, and ranks with a gap (zeros dropped).
        for scores in [
            vec![1usize, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13],
            vec![3, 3, 3, 7, 7, 10, 13, 13, 13, 17, 17, 21, 24, 24, 24, 28],
            vec![2, 2, 5, 5, 5, 9, 9, 11, 12, 12],
            // Runs of 4 and more (one-pass kernels 1 4 6 4 1 and 1 2 1), as on ordinal scales.
            vec![
                5, 5, 5, 5, 5, 14, 14, 14, 14, 14, 14, 14, 23, 23, 23, 23, 30, 31,
            ],
        ] {
            let d = signed_rank_lower_half(&scores, 1.0);
            let full = enumerate_signed(&scores);
            for (t, p) in d.lower.iter().enumerate() {
                assert!((p - full[t]).abs() <= 1e-15, "{scores:?} {t}");
                checked += 1;
            }
        }
        assert!(checked > 100, "{checked}");
    }

    #[test]
    fn mann_whitney_lower_half_equals_enumeration() {
        let mut checked = 0;
        for (m, n) in [(1usize, 1usize), (3, 5), (6, 6), (7, 9), (2, 14)] {
            let scores: Vec<usize> = (0..m + n).collect();
            let d = mann_whitney_lower_half(m, n);
            let full = enumerate_subsets(&scores, m);
            // Score sum of the m chosen = U + m(m − 1)/2 with scores 0..N−1.
            let off = m * (m - 1) / 2;
            for (u, p) in d.lower.iter().enumerate() {
                assert!((p - full[u + off]).abs() <= 1e-14, "{m} {n} {u}");
                checked += 1;
            }
        }
        assert!(checked > 40, "{checked}");
    }

    #[test]
    fn grouped_rank_sum_equals_enumeration() {
        let mut checked = 0;
        // (score, size) groups: untied, ordinal ties, one big group.
        for (groups, m) in [
            (
                vec![(1usize, 1usize), (2, 1), (3, 1), (4, 1), (5, 1), (6, 1)],
                3usize,
            ),
            (vec![(3, 3), (9, 3), (14, 2), (18, 2), (23, 3), (28, 2)], 7),
            (vec![(2, 1), (9, 6), (16, 1), (18, 1), (20, 1)], 4),
            (vec![(6, 11)], 5),
        ] {
            let scores: Vec<usize> = groups
                .iter()
                .flat_map(|&(s, t)| std::iter::repeat_n(s, t))
                .collect();
            let full = enumerate_subsets(&scores, m);
            let d = rank_sum_grouped(&groups, m, 1.0, 1e12).unwrap();
            let total: f64 = d.iter().map(|x| x.1).sum();
            assert!((total - 1.0).abs() < 1e-14);
            for (t, p) in full.iter().enumerate() {
                let got = d
                    .iter()
                    .find(|x| x.0 == t as f64)
                    .map(|x| x.1)
                    .unwrap_or(0.0);
                assert!((got - p).abs() <= 1e-14, "{groups:?} {t}: {got} {p}");
                checked += 1;
            }
        }
        assert!(checked > 100, "{checked}");
    }

    #[test]
    fn budget_stops_the_network() {
        let groups: Vec<(usize, usize)> = (1..=400).map(|i| (i, 1)).collect();
        assert!(rank_sum_grouped(&groups, 200, 1.0, 1e6).is_none());
    }

    #[test]
    fn invert_monotone_equals_scanning_every_candidate() {
        let cands: Vec<f64> = (0..50).map(|i| i as f64 / 2.0).collect();
        let w = |d: f64| (60.0 - 2.0 * d).max(3.0).floor();
        let mut checked = 0;
        for (qu, ql, wmean) in [
            (10.0, 40.0, 25.0f64),
            (2.0, 70.0, 30.5),
            (3.0, 59.0, 31.0),
            (11.0, 60.0, 2.0),
            (30.0, 12.0, 70.0),
        ] {
            let ws: Vec<f64> = cands.iter().map(|&d| w(d)).collect();
            let min_w = ws.iter().cloned().fold(f64::INFINITY, f64::min);
            let max_w = ws.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
            let upper = if qu <= min_w {
                24.5
            } else {
                cands
                    .iter()
                    .zip(&ws)
                    .filter(|(_, w)| **w <= qu)
                    .map(|(d, _)| *d)
                    .fold(f64::INFINITY, f64::min)
            };
            let lower = if ql >= max_w {
                0.0
            } else {
                cands
                    .iter()
                    .zip(&ws)
                    .filter(|(_, w)| **w > ql)
                    .map(|(d, _)| *d)
                    .fold(f64::NEG_INFINITY, f64::max)
            };
            let a = cands
                .iter()
                .zip(&ws)
                .filter(|(_, w)| **w <= wmean.ceil())
                .map(|(d, _)| *d)
                .fold(f64::INFINITY, f64::min);
            let b = cands
                .iter()
                .zip(&ws)
                .filter(|(_, w)| **w > wmean)
                .map(|(d, _)| *d)
                .fold(f64::NEG_INFINITY, f64::max);
            let est = (a.is_finite() && b.is_finite()).then_some((a + b) / 2.0);
            let (l, u, e) = invert_monotone(&cands, |i| ws[i], qu, ql, wmean);
            assert_eq!((l, u, e), (lower, upper, est), "{qu} {ql}");
            checked += 1;
        }
        assert_eq!(checked, 5);
    }
}
