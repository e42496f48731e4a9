//! Average ranks with ties, as R's `rank(x, ties.method = "average")`.

/// Ranks (1-based, ties averaged) of `values` in their original order, plus the sizes of the
/// tie groups larger than one.
pub fn average_ranks(values: &[f64]) -> (Vec<f64>, Vec<usize>) {
    let n = values.len();
    // (value, position) pairs sorted by value: contiguous, so the sort does not chase indices;
    // unstable is fine because tied values all get the same average rank.
    let mut order: Vec<(f64, usize)> = values.iter().copied().zip(0..n).collect();
    order.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
    let mut ranks = vec![0.0; n];
    let mut ties = Vec::new();
    let mut i = 0;
    while i < n {
        let mut j = i + 1;
        // `==` rather than total_cmp so that -0.0 and 0.0 tie, as in R.
        while j < n && order[j].0 == order[i].0 {
            j += 1;
        }
        // Positions i..j (0-based) share the average of ranks i+1..=j.
        let avg = (i + 1 + j) as f64 / 2.0;
        for &(_, k) in &order[i..j] {
            ranks[k] = avg;
        }
        if j - i > 1 {
            ties.push(j - i);
        }
        i = j;
    }
    (ranks, ties)
}

/// Ranks of |x| (ties averaged), the tie-group sizes, and V = the sum of the ranks of the
/// positive values (R's signed-rank statistic; zeros are ranked but never counted).
pub fn signed_ranks(x: &[f64]) -> (Vec<f64>, Vec<usize>, f64) {
    let abs: Vec<f64> = x.iter().map(|v| v.abs()).collect();
    let (ranks, ties) = average_ranks(&abs);
    // `+ 0.0`: an empty f64 sum is -0.0.
    let v = ranks
        .iter()
        .zip(x)
        .filter(|(_, x)| **x > 0.0)
        .map(|(r, _)| r)
        .sum::<f64>()
        + 0.0;
    (ranks, ties, v)
}

/// Visit the tie groups of the pooled sample x ++ y in ascending order of value, from x and y
/// each sorted ascending (one merge, no sort): `f(average rank, group size, members from x)`.
/// Ties are by `==`, as [`average_ranks`]: -0.0 and 0.0 tie.
pub fn pooled_tie_groups_sorted(xs: &[f64], ys: &[f64], f: impl FnMut(f64, usize, usize)) {
    pooled_tie_groups_shifted(xs, 0.0, ys, f)
}

/// [`pooled_tie_groups_sorted`] of (x − d, y), with x − d computed on the fly (subtraction is
/// monotone, so x − d stays sorted): the rank-sum statistic at shift d, for the interval's root
/// finder, in O(n) per step.
pub fn pooled_tie_groups_shifted(
    xs: &[f64],
    d: f64,
    ys: &[f64],
    mut f: impl FnMut(f64, usize, usize),
) {
    let x = |k: usize| xs[k] - d;
    let (mut i, mut j) = (0usize, 0usize);
    let mut rank = 0usize;
    while i < xs.len() || j < ys.len() {
        let a = if i < xs.len() { x(i) } else { f64::INFINITY };
        let b = if j < ys.len() { ys[j] } else { f64::INFINITY };
        let value = a.min(b);
        let (mut cx, mut cy) = (0usize, 0usize);
        while i < xs.len() && x(i) == value {
            i += 1;
            cx += 1;
        }
        while j < ys.len() && ys[j] == value {
            j += 1;
            cy += 1;
        }
        let t = cx + cy;
        f((2 * rank + t + 1) as f64 / 2.0, t, cx);
        rank += t;
    }
}

/// The rank sum of x in the pooled sample x ++ y (ties averaged) and the tie-group sizes in
/// ascending order of value, from x and y each sorted ascending. Equal to summing
/// [`average_ranks`] of the pooled sample over x, bit for bit: every rank is a multiple of 1/2
/// and the sums stay far below 2^52, so they are exact in any order.
pub fn pooled_rank_sum_sorted(xs: &[f64], ys: &[f64]) -> (f64, Vec<usize>) {
    let mut rank_sum_x = 0.0f64;
    let mut ties = Vec::new();
    pooled_tie_groups_sorted(xs, ys, |avg, t, cx| {
        rank_sum_x += avg * cx as f64;
        if t > 1 {
            ties.push(t);
        }
    });
    (rank_sum_x + 0.0, ties)
}

/// Visit the tie groups of |x| in ascending order, from x sorted ascending (the order of |x|
/// is a merge of the negatives read backwards and the non-negatives, so no sort is needed):
/// `f(average rank, group size, members > 0)`.
pub fn abs_tie_groups_sorted(sorted: &[f64], mut f: impl FnMut(f64, usize, usize)) {
    // Negatives (and -0.0) first, by total order; |x| ascending walks them backwards.
    let split = sorted.partition_point(|v| v.is_sign_negative());
    let (mut i, mut j) = (split, split);
    let mut rank = 0usize;
    while i > 0 || j < sorted.len() {
        let a = if i > 0 { -sorted[i - 1] } else { f64::INFINITY };
        let b = if j < sorted.len() {
            sorted[j]
        } else {
            f64::INFINITY
        };
        let value = a.min(b);
        let (mut t, mut positives) = (0usize, 0usize);
        while i > 0 && -sorted[i - 1] == value {
            i -= 1;
            t += 1;
        }
        while j < sorted.len() && sorted[j] == value {
            if sorted[j] > 0.0 {
                positives += 1;
            }
            j += 1;
            t += 1;
        }
        f((2 * rank + t + 1) as f64 / 2.0, t, positives);
        rank += t;
    }
}

/// V (the sum of the ranks of |x| over the positive values, ties averaged) and the tie-group
/// sizes of |x| in ascending order, from x sorted ascending. Equal to [`signed_ranks`] bit for
/// bit (exact half-integer sums, the same tie groups in the same order).
pub fn signed_rank_sum_sorted(sorted: &[f64]) -> (f64, Vec<usize>) {
    let mut v = 0.0f64;
    let mut ties = Vec::new();
    abs_tie_groups_sorted(sorted, |avg, t, positives| {
        v += avg * positives as f64;
        if t > 1 {
            ties.push(t);
        }
    });
    (v + 0.0, ties)
}

/// R's `sign()`: −1, 0 or 1 (0 for 0, unlike `f64::signum`).
pub fn signum_r(x: f64) -> f64 {
    if x > 0.0 {
        1.0
    } else if x < 0.0 {
        -1.0
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ties_are_averaged() {
        let (r, t) = average_ranks(&[3.0, 1.0, 3.0, 2.0, 3.0]);
        assert_eq!(r, vec![4.0, 1.0, 4.0, 2.0, 4.0]);
        assert_eq!(t, vec![3]);
    }

    /// The merges give exactly what ranking the pooled or absolute values gives.
    #[test]
    fn merges_are_bit_identical_to_ranking() {
        let mut lcg = crate::test_rng(7);
        let mut next = || (lcg() % 41) as f64 / 4.0 - 5.0;
        for (nx, ny) in [(1usize, 1usize), (2, 9), (30, 25), (200, 170)] {
            let mut x: Vec<f64> = (0..nx).map(|_| next()).collect();
            let mut y: Vec<f64> = (0..ny).map(|_| next()).collect();
            x.push(-0.0);
            y.push(0.0);
            let all: Vec<f64> = x.iter().chain(&y).copied().collect();
            let (ranks, ties) = average_ranks(&all);
            let expected = ranks[..x.len()].iter().sum::<f64>() + 0.0;
            let (mut xs, mut ys) = (x.clone(), y.clone());
            xs.sort_unstable_by(f64::total_cmp);
            ys.sort_unstable_by(f64::total_cmp);
            let (got, got_ties) = pooled_rank_sum_sorted(&xs, &ys);
            assert_eq!(got.to_bits(), expected.to_bits());
            assert_eq!(got_ties, ties);

            let (_, ties, v) = signed_ranks(&x);
            let (got, got_ties) = signed_rank_sum_sorted(&xs);
            assert_eq!(got.to_bits(), v.to_bits(), "{x:?}");
            assert_eq!(got_ties, ties);
        }
    }
}
