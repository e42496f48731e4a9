//! Order statistics of the Walsh sums `x_i + x_j` (i ≤ j) without materialising all
//! n(n+1)/2 of them: a bisection over the bit patterns of f64 (at most 64 steps), each step
//! counting sums below a bound in O(n) with two pointers. Total O(n log n + 64 n) time and
//! O(n) memory, so Hodges–Lehmann estimates work for cells of any size.

/// Map a finite f64 to an i64 whose order matches the float order.
fn ordered_bits(x: f64) -> i64 {
    let b = x.to_bits() as i64;
    if b < 0 {
        b ^ i64::MAX
    } else {
        b
    }
}

fn from_ordered_bits(k: i64) -> f64 {
    let b = if k < 0 { k ^ i64::MAX } else { k };
    f64::from_bits(b as u64)
}

/// Number of sums `x_i + x_j`, i ≤ j, that are ≤ `t`; `sorted` ascending.
/// Sorted values as distinct values, their multiplicities and the running count before each:
/// clinical scores are heavily tied, so counting over distinct values is often 1000× cheaper,
/// and exactly the same count.
struct Runs {
    values: Vec<f64>,
    counts: Vec<u64>,
    /// before[k] = number of values in runs 0..k.
    before: Vec<u64>,
}

impl Runs {
    fn new(sorted: &[f64]) -> Runs {
        let mut values: Vec<f64> = Vec::new();
        let mut counts: Vec<u64> = Vec::new();
        for &x in sorted {
            match values.last() {
                Some(&last) if last == x => *counts.last_mut().unwrap() += 1,
                _ => {
                    values.push(x);
                    counts.push(1);
                }
            }
        }
        let mut before = Vec::with_capacity(counts.len() + 1);
        let mut total = 0u64;
        before.push(0);
        for &c in &counts {
            total += c;
            before.push(total);
        }
        Runs {
            values,
            counts,
            before,
        }
    }
}

/// Number of Walsh sums x_i + x_j (i ≤ j) that are ≤ t.
fn count_at_most(runs: &Runs, t: f64) -> u64 {
    let u = &runs.values;
    let d = u.len();
    let mut count: u64 = 0;
    let mut j = d;
    for a in 0..d {
        while j > 0 && u[a] + u[j - 1] > t {
            j -= 1;
        }
        if j <= a {
            break;
        }
        // Pairs with a later run b < j, and pairs within run a.
        let c = runs.counts[a];
        count += c * (runs.before[j] - runs.before[a + 1]) + c * (c + 1) / 2;
    }
    count
}

/// Walsh sums of a sorted sample: the number of them and their k-th smallest (1-based).
pub struct WalshSums<'a> {
    sorted: &'a [f64],
    runs: Runs,
}

impl<'a> WalshSums<'a> {
    /// `sorted` must be ascending and finite.
    pub fn new(sorted: &'a [f64]) -> Self {
        debug_assert!(sorted.windows(2).all(|w| w[0] <= w[1]));
        WalshSums {
            sorted,
            runs: Runs::new(sorted),
        }
    }

    /// n(n+1)/2.
    pub fn len(&self) -> u64 {
        let n = self.sorted.len() as u64;
        n * (n + 1) / 2
    }

    pub fn is_empty(&self) -> bool {
        self.sorted.is_empty()
    }

    /// The k-th smallest sum x_i + x_j (i ≤ j), 1 ≤ k ≤ len(). Exact: the returned value
    /// is one of the sums as computed in floating point.
    pub fn kth_sum(&self, k: u64) -> f64 {
        assert!(k >= 1 && k <= self.len(), "k out of range");
        let n = self.sorted.len();
        let lo_val = self.sorted[0] + self.sorted[0];
        let hi_val = self.sorted[n - 1] + self.sorted[n - 1];
        if count_at_most(&self.runs, lo_val) >= k {
            return lo_val;
        }
        // Invariant: count(lo) < k <= count(hi).
        let mut lo = ordered_bits(lo_val);
        let mut hi = ordered_bits(hi_val);
        while (hi as i128) - (lo as i128) > 1 {
            let mid = ((lo as i128 + hi as i128) / 2) as i64;
            if count_at_most(&self.runs, from_ordered_bits(mid)) >= k {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        // `+ 0.0` turns a -0.0 bound into 0.0.
        from_ordered_bits(hi) + 0.0
    }

    /// The k-th smallest Walsh average (x_i + x_j) / 2.
    pub fn kth_average(&self, k: u64) -> f64 {
        self.kth_sum(k) / 2.0
    }

    /// Median of the Walsh averages: the one-sample Hodges–Lehmann estimate.
    pub fn median_average(&self) -> f64 {
        let m = self.len();
        if m % 2 == 1 {
            self.kth_average(m / 2 + 1)
        } else {
            (self.kth_average(m / 2) + self.kth_average(m / 2 + 1)) / 2.0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn brute(x: &[f64]) -> Vec<f64> {
        let mut v = Vec::new();
        for i in 0..x.len() {
            for j in i..x.len() {
                v.push(x[i] + x[j]);
            }
        }
        v.sort_unstable_by(f64::total_cmp);
        v
    }

    #[test]
    fn matches_brute_force_with_ties_and_negatives() {
        let mut x = vec![
            -3.5, -1.0, -1.0, 0.0, 0.25, 2.0, 2.0, 2.0, 7.1, -0.0, 1e-300, 12.0,
        ];
        x.sort_unstable_by(f64::total_cmp);
        let all = brute(&x);
        let w = WalshSums::new(&x);
        assert_eq!(w.len() as usize, all.len());
        for (k, v) in all.iter().enumerate() {
            assert_eq!(w.kth_sum(k as u64 + 1), *v, "k = {}", k + 1);
        }
    }
}

/// Order statistics of the pairwise differences `x_i − y_j` of two sorted samples, found as
/// for the Walsh sums: bisection over f64 bit patterns with an O(nx + ny) count per step.
pub struct PairwiseDifferences<'a> {
    x: &'a [f64],
    y: &'a [f64],
    x_runs: Runs,
    y_runs: Runs,
}

impl<'a> PairwiseDifferences<'a> {
    /// Both slices ascending, finite and non-empty.
    pub fn new(x: &'a [f64], y: &'a [f64]) -> Self {
        debug_assert!(x.windows(2).all(|w| w[0] <= w[1]) && y.windows(2).all(|w| w[0] <= w[1]));
        PairwiseDifferences {
            x,
            y,
            x_runs: Runs::new(x),
            y_runs: Runs::new(y),
        }
    }

    pub fn len(&self) -> u64 {
        self.x.len() as u64 * self.y.len() as u64
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Number of computed differences `x_i − y_j` that are ≤ t. For fixed i the set of such j
    /// is a suffix of y (rounding is monotone), and its start moves right as x_i grows.
    /// Number of differences x_i − y_j that are ≤ t (over runs of tied values).
    fn count_at_most(&self, t: f64) -> u64 {
        let (xr, yr) = (&self.x_runs, &self.y_runs);
        let dy = yr.values.len();
        let ny = self.y.len() as u64;
        let mut start = 0usize;
        let mut count = 0u64;
        for (a, &xa) in xr.values.iter().enumerate() {
            while start < dy && xa - yr.values[start] > t {
                start += 1;
            }
            count += xr.counts[a] * (ny - yr.before[start]);
        }
        count
    }

    /// The k-th smallest difference (1-based).
    pub fn kth(&self, k: u64) -> f64 {
        assert!(k >= 1 && k <= self.len(), "k out of range");
        let lo_val = self.x[0] - self.y[self.y.len() - 1];
        let hi_val = self.x[self.x.len() - 1] - self.y[0];
        if self.count_at_most(lo_val) >= k {
            return lo_val + 0.0;
        }
        let mut lo = ordered_bits(lo_val);
        let mut hi = ordered_bits(hi_val);
        while (hi as i128) - (lo as i128) > 1 {
            let mid = ((lo as i128 + hi as i128) / 2) as i64;
            if self.count_at_most(from_ordered_bits(mid)) >= k {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        from_ordered_bits(hi) + 0.0
    }

    /// Median of the differences: the two-sample Hodges–Lehmann shift.
    pub fn median(&self) -> f64 {
        let m = self.len();
        if m % 2 == 1 {
            self.kth(m / 2 + 1)
        } else {
            (self.kth(m / 2) + self.kth(m / 2 + 1)) / 2.0
        }
    }
}

#[cfg(test)]
mod pairwise_tests {
    use super::*;

    #[test]
    fn matches_brute_force() {
        let mut x = vec![1.5, -2.0, 0.3, 0.3, 7.0, 2.25];
        let mut y = vec![0.0, 0.3, -1.0, 4.4, 4.4];
        x.sort_unstable_by(f64::total_cmp);
        y.sort_unstable_by(f64::total_cmp);
        let mut all: Vec<f64> = x
            .iter()
            .flat_map(|a| y.iter().map(move |b| a - b))
            .collect();
        all.sort_unstable_by(f64::total_cmp);
        let p = PairwiseDifferences::new(&x, &y);
        for (k, v) in all.iter().enumerate() {
            assert_eq!(p.kth(k as u64 + 1), *v);
        }
    }
}
