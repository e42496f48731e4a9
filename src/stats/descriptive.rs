//! Descriptive summaries: mean and standard deviation, computed in two passes with a
//! correction term (as R's `mean` and `var`) so that large offsets do not cost precision.

/// Arithmetic mean; `None` for an empty slice.
pub fn mean(x: &[f64]) -> Option<f64> {
    if x.is_empty() {
        return None;
    }
    let n = x.len() as f64;
    let first = x.iter().sum::<f64>() / n;
    // Second pass: the mean of the residuals corrects the rounding of the first.
    let correction = x.iter().map(|v| v - first).sum::<f64>() / n;
    Some(first + correction)
}

/// Sample variance (denominator n − 1); `None` when n < 2.
pub fn variance(x: &[f64]) -> Option<f64> {
    variance_about(x, mean(x)?)
}

/// [`variance`] given the sample's [`mean`] `m` (the same number, one pass fewer).
fn variance_about(x: &[f64], m: f64) -> Option<f64> {
    if x.len() < 2 {
        return None;
    }
    let ss: f64 = x.iter().map(|v| (v - m) * (v - m)).sum();
    Some(ss / (x.len() as f64 - 1.0))
}

/// Size, [`mean`] and [`variance`] of a sample, computed once for every statistic that needs
/// them (bit for bit the numbers the functions give).
#[derive(Debug, Clone, Copy, Default)]
pub struct SampleMoments {
    pub n: usize,
    pub mean: Option<f64>,
    pub variance: Option<f64>,
}

impl SampleMoments {
    pub fn of(x: &[f64]) -> Self {
        let mean = mean(x);
        SampleMoments {
            n: x.len(),
            mean,
            variance: mean.and_then(|m| variance_about(x, m)),
        }
    }

    /// [`sd`]: the square root of the variance.
    pub fn sd(&self) -> Option<f64> {
        self.variance.map(f64::sqrt)
    }
}

/// Sample covariance (denominator n − 1) of paired samples with means `mx`, `my`; `None` when
/// n < 2.
pub fn covariance_about(x: &[f64], y: &[f64], mx: f64, my: f64) -> Option<f64> {
    if x.len() < 2 {
        return None;
    }
    Some(
        x.iter()
            .zip(y)
            .map(|(a, b)| (a - mx) * (b - my))
            .sum::<f64>()
            / (x.len() as f64 - 1.0),
    )
}

/// Sample standard deviation (denominator n − 1); `None` when n < 2.
pub fn sd(x: &[f64]) -> Option<f64> {
    variance(x).map(f64::sqrt)
}

/// Median; `None` for an empty slice. Does not require sorted input.
pub fn median(x: &[f64]) -> Option<f64> {
    if x.is_empty() {
        return None;
    }
    let mut v = x.to_vec();
    v.sort_unstable_by(f64::total_cmp);
    let n = v.len();
    Some(if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mean_and_sd_of_small_sample() {
        let x = [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0];
        assert_eq!(mean(&x), Some(5.0));
        // R: sd(c(2,4,4,4,5,5,7,9)) = 2.138089935299395
        assert!((sd(&x).unwrap() - 2.138089935299395).abs() < 1e-15);
        assert_eq!(median(&x), Some(4.5));
        assert_eq!(sd(&[1.0]), None);
        assert_eq!(mean(&[]), None);
    }

    #[test]
    fn large_offset_keeps_precision() {
        let x = [1e9 + 1.0, 1e9 + 2.0, 1e9 + 3.0];
        assert_eq!(sd(&x), Some(1.0));
    }
}

/// Sample quantile by R's default definition (type 7): linear interpolation between order
/// statistics at h = (n − 1) p. `sorted` ascending; `None` when empty.
pub fn quantile_sorted(sorted: &[f64], p: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let h = (sorted.len() - 1) as f64 * p;
    let lo = h.floor() as usize;
    let hi = h.ceil() as usize;
    Some(sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo]))
}

/// The numbers behind a Tukey box plot.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct BoxStats {
    pub q1: f64,
    pub median: f64,
    pub q3: f64,
    /// Most extreme values within 1.5 IQR of the box.
    pub whisker_low: f64,
    pub whisker_high: f64,
}

/// Quartiles (type 7, as R's `quantile` and `boxplot.stats` up to its hinge definition) and
/// Tukey whiskers; `None` for an empty slice.
pub fn box_stats(x: &[f64]) -> Option<BoxStats> {
    let mut v = x.to_vec();
    v.sort_unstable_by(f64::total_cmp);
    let q1 = quantile_sorted(&v, 0.25)?;
    let median = quantile_sorted(&v, 0.5)?;
    let q3 = quantile_sorted(&v, 0.75)?;
    let iqr = q3 - q1;
    let whisker_low = v
        .iter()
        .copied()
        .find(|&y| y >= q1 - 1.5 * iqr)
        .unwrap_or(q1);
    let whisker_high = v
        .iter()
        .rev()
        .copied()
        .find(|&y| y <= q3 + 1.5 * iqr)
        .unwrap_or(q3);
    Some(BoxStats {
        q1,
        median,
        q3,
        whisker_low,
        whisker_high,
    })
}

#[cfg(test)]
mod quantile_tests {
    use super::*;

    #[test]
    fn type7_quantiles() {
        // R: quantile(c(1, 2, 4, 7, 11), c(.25, .5, .75)) = 2, 4, 7
        let b = box_stats(&[7.0, 1.0, 11.0, 2.0, 4.0]).unwrap();
        assert_eq!((b.q1, b.median, b.q3), (2.0, 4.0, 7.0));
        // R: quantile(c(1, 2, 3, 4), .25) = 1.75
        assert_eq!(quantile_sorted(&[1.0, 2.0, 3.0, 4.0], 0.25), Some(1.75));
        // 100 lies beyond q3 + 1.5 IQR
        let b = box_stats(&[1.0, 2.0, 3.0, 4.0, 100.0]).unwrap();
        assert_eq!(b.whisker_high, 4.0);
    }
}
