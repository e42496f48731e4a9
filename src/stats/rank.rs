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
}
