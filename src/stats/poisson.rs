//! Exact Poisson interval for a rate, as R's `poisson.test(x, T)$conf.int`: the
//! Garwood interval from gamma quantiles, `qgamma(α/2, x) / T` and `qgamma(1 − α/2, x + 1) / T`
//! (lower limit 0 when x = 0). Quantiles from statrs, polished by Newton steps.

use statrs::distribution::{Continuous, ContinuousCDF, Gamma};

/// A rate `count / exposure` with its exact two-sided interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PoissonRate {
    pub rate: f64,
    pub lower: f64,
    pub upper: f64,
}

/// `count` events over `exposure` (> 0); `None` for a non-positive or non-finite exposure.
pub fn poisson_exact(count: u64, exposure: f64, conf_level: f64) -> Option<PoissonRate> {
    if !(exposure.is_finite() && exposure > 0.0) {
        return None;
    }
    let alpha = 1.0 - conf_level;
    let x = count as f64;
    let lower = if count == 0 {
        0.0
    } else {
        gamma_quantile(alpha / 2.0, x)?
    };
    let upper = gamma_quantile(1.0 - alpha / 2.0, x + 1.0)?;
    Some(PoissonRate {
        rate: x / exposure,
        lower: lower / exposure,
        upper: upper / exposure,
    })
}

/// Quantile of Gamma(shape, rate 1), refined by Newton steps.
fn gamma_quantile(p: f64, shape: f64) -> Option<f64> {
    let dist = Gamma::new(shape, 1.0).ok()?;
    let mut x = dist.inverse_cdf(p);
    for _ in 0..8 {
        let f = dist.cdf(x) - p;
        let d = dist.pdf(x);
        if !(d > 0.0 && d.is_finite()) {
            break;
        }
        let next = (x - f / d).max(x / 10.0);
        let done = (next - x).abs() <= 1e-15 * x.abs();
        x = next;
        if done {
            break;
        }
    }
    x.is_finite().then_some(x)
}
