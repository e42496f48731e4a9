//! The exact null distribution of the Wilcoxon signed-rank statistic V for n untied,
//! non-zero observations, ported from R's `signrank.c` (`csignrank`, `psignrank`, `qsignrank`).

/// Counts c(v) of subsets of {1..n} whose sum is v, v = 0..n(n+1)/2.
/// Stored as f64 like R: exact while counts stay below 2^53 (n ≤ 50 is far inside that).
pub struct SignRankDistribution {
    n: usize,
    counts: Vec<f64>,
}

impl SignRankDistribution {
    pub fn new(n: usize) -> Self {
        let max = n * (n + 1) / 2;
        let mut counts = vec![0.0; max + 1];
        counts[0] = 1.0;
        // Add ranks one at a time: c_k(v) = c_{k-1}(v) + c_{k-1}(v - k).
        let mut top = 0;
        for k in 1..=n {
            top += k;
            for v in (k..=top).rev() {
                counts[v] += counts[v - k];
            }
        }
        SignRankDistribution { n, counts }
    }

    pub fn n(&self) -> usize {
        self.n
    }

    fn max_statistic(&self) -> usize {
        self.n * (self.n + 1) / 2
    }

    /// P(V ≤ q).
    pub fn cdf(&self, q: f64) -> f64 {
        let q = (q + 1e-7).round_ties_even();
        if q < 0.0 {
            return 0.0;
        }
        if q >= self.max_statistic() as f64 {
            return 1.0;
        }
        let f = (-(self.n as f64) * std::f64::consts::LN_2).exp();
        let q = q as usize;
        // R sums the shorter tail for accuracy.
        if q as f64 <= self.max_statistic() as f64 / 2.0 {
            self.counts[..=q].iter().map(|c| c * f).sum::<f64>()
        } else {
            let q = self.max_statistic() - q;
            1.0 - self.counts[..q].iter().map(|c| c * f).sum::<f64>()
        }
    }

    /// P(V > q), summed directly so that it is accurate in the upper tail.
    pub fn sf(&self, q: f64) -> f64 {
        let q = (q + 1e-7).round_ties_even();
        if q < 0.0 {
            return 1.0;
        }
        if q >= self.max_statistic() as f64 {
            return 0.0;
        }
        let f = (-(self.n as f64) * std::f64::consts::LN_2).exp();
        let q = q as usize;
        if q as f64 <= self.max_statistic() as f64 / 2.0 {
            1.0 - self.counts[..=q].iter().map(|c| c * f).sum::<f64>()
        } else {
            let q = self.max_statistic() - q;
            self.counts[..q].iter().map(|c| c * f).sum::<f64>()
        }
    }

    /// Lower-tail quantile, exactly as R's `qsignrank(p, n)`.
    pub fn quantile(&self, p: f64) -> usize {
        let f = (-(self.n as f64) * std::f64::consts::LN_2).exp();
        let mut cum = 0.0;
        let mut q = 0usize;
        if p <= 0.5 {
            let x = p - 10.0 * f64::EPSILON;
            loop {
                cum += self.counts[q] * f;
                if cum >= x {
                    break;
                }
                q += 1;
            }
            q
        } else {
            let x = 1.0 - p + 10.0 * f64::EPSILON;
            loop {
                cum += self.counts[q] * f;
                if cum > x {
                    return self.max_statistic() - q;
                }
                q += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_n_counts() {
        // n = 3: sums 0,1,2,3,3,4,5,6 → counts 1,1,1,2,1,1,1
        let d = SignRankDistribution::new(3);
        assert_eq!(d.counts, vec![1.0, 1.0, 1.0, 2.0, 1.0, 1.0, 1.0]);
        // f = exp(-n log 2) is not exactly 1/8, as in R.
        assert!((d.cdf(3.0) - 5.0 / 8.0).abs() < 1e-15);
        assert!((d.sf(3.0) - 3.0 / 8.0).abs() < 1e-15);
        assert_eq!(d.quantile(0.025), 0);
    }
}
