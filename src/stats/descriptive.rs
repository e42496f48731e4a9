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
    if x.len() < 2 {
        return None;
    }
    let m = mean(x)?;
    let ss: f64 = x.iter().map(|v| (v - m) * (v - m)).sum();
    Some(ss / (x.len() as f64 - 1.0))
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
    v.sort_by(f64::total_cmp);
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
