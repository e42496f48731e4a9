//! The noncentral t distribution function and its inversion in the noncentrality parameter.
//!
//! statrs has no noncentral t. `cdf` is a port of R's `pnt` (Lenth 1989, AS 243, with R's
//! later corrections: the twin series of Guenther 1978 summed to 1e-12, and the normal
//! approximation of Abramowitz & Stegun 26.7.10 for df > 4e5 or very large ncp).
//! `ncp_interval` inverts it by Brent's method to give the interval for a standardised effect
//! (Steiger & Fouladi 1997), which R's `effectsize` finds by Nelder–Mead instead.

use super::distributions::{norm_cdf, StudentT};
use super::root::zeroin;
use statrs::function::beta::checked_beta_reg;
use statrs::function::gamma::ln_gamma;

const M_SQRT_2DPI: f64 = 0.797_884_560_802_865_4; // sqrt(2/pi)
const M_LN_SQRT_PI: f64 = 0.572_364_942_924_700_1; // log(sqrt(pi))

/// P(T ≤ t) for the noncentral t distribution with `df` degrees of freedom and
/// noncentrality `ncp`. Returns `None` for df ≤ 0 or non-finite parameters.
pub fn cdf(t: f64, df: f64, ncp: f64) -> Option<f64> {
    if df <= 0.0 || df.is_nan() || ncp.is_nan() || t.is_nan() {
        return None;
    }
    if ncp == 0.0 {
        return StudentT::new(df)?.cdf(t);
    }
    // t = ±∞, or |t| so large that t² overflows (x = ∞/∞ below would be NaN): the
    // distribution's tails fall as |t|^-df, far below the smallest double, so the limits.
    if !(t * t).is_finite() {
        return Some(if t < 0.0 { 0.0 } else { 1.0 });
    }
    let (negdel, tt, del) = if t >= 0.0 {
        (false, t, ncp)
    } else {
        if ncp > 40.0 {
            return Some(0.0);
        }
        (true, -t, -ncp)
    };

    // DBL_MIN_EXP = -1021
    if df > 4e5 || del * del > 2.0 * std::f64::consts::LN_2 * 1021.0 {
        let s = 1.0 / (4.0 * df);
        let z = (tt * (1.0 - s) - del) / (1.0 + tt * tt * 2.0 * s).sqrt();
        let lower = norm_cdf(z);
        return Some(if negdel { 1.0 - lower } else { lower });
    }

    let mut x = t * t;
    let mut rxb = df / (x + df);
    x /= x + df;
    let mut tnc;
    if x > 0.0 {
        let lambda = del * del;
        let mut p = 0.5 * (-0.5 * lambda).exp();
        if p == 0.0 {
            return Some(if negdel { 1.0 } else { 0.0 });
        }
        let mut q = M_SQRT_2DPI * p * del;
        let mut s = 0.5 - p;
        if s < 1e-7 {
            s = -0.5 * (-0.5 * lambda).exp_m1();
        }
        let mut a = 0.5;
        let b = 0.5 * df;
        rxb = rxb.powf(b);
        let albeta = M_LN_SQRT_PI + ln_gamma(b) - ln_gamma(0.5 + b);
        // Checked: x is NaN when t² overflows (|t| > 1.3e154), and statrs' `beta_reg` panics.
        let mut xodd = checked_beta_reg(a, b, x).ok()?;
        let mut godd = 2.0 * rxb * (a * x.ln() - albeta).exp();
        tnc = b * x;
        let mut xeven = if tnc < f64::EPSILON { tnc } else { 1.0 - rxb };
        let mut geven = tnc * rxb;
        tnc = p * xodd + q * xeven;
        let mut converged = false;
        for it in 1..=1000 {
            a += 1.0;
            xodd -= godd;
            xeven -= geven;
            godd *= x * (a + b - 1.0) / a;
            geven *= x * (a + b - 0.5) / (a + 0.5);
            p *= lambda / (2.0 * it as f64);
            q *= lambda / (2.0 * it as f64 + 1.0);
            tnc += p * xodd + q * xeven;
            s -= p;
            if s < -1e-10 {
                converged = true; // R: "full precision may not have been achieved"
                break;
            }
            if s <= 0.0 && it > 1 {
                converged = true;
                break;
            }
            let errbd = 2.0 * s * (xodd - godd);
            if errbd.abs() < 1e-12 {
                converged = true;
                break;
            }
        }
        if !converged {
            return None;
        }
    } else {
        tnc = 0.0;
    }
    tnc += norm_cdf(-del);
    let tnc = tnc.min(1.0);
    Some(if negdel { 1.0 - tnc } else { tnc })
}

/// Two-sided `conf_level` interval for the noncentrality parameter given an observed t with
/// `df` degrees of freedom: the ncp values at which `t` is the upper and lower α/2 quantile.
pub fn ncp_interval(t: f64, df: f64, conf_level: f64) -> Option<(f64, f64)> {
    let alpha = 1.0 - conf_level;
    let lower = solve_ncp(t, df, 1.0 - alpha / 2.0)?;
    let upper = solve_ncp(t, df, alpha / 2.0)?;
    Some((lower, upper))
}

/// ncp such that P(T ≤ t; df, ncp) = target. The CDF falls as ncp rises.
fn solve_ncp(t: f64, df: f64, target: f64) -> Option<f64> {
    let f = |ncp: f64| cdf(t, df, ncp).map(|p| p - target).unwrap_or(f64::NAN);
    // Bracket around t, widening until the signs differ.
    let mut width = 1.0 + t.abs() * 0.5;
    let (mut lo, mut hi) = (t - width, t + width);
    let (mut flo, mut fhi) = (f(lo), f(hi));
    let mut tries = 0;
    while !(flo >= 0.0 && fhi <= 0.0) {
        if !flo.is_finite() || !fhi.is_finite() || tries > 60 {
            return None;
        }
        width *= 2.0;
        if flo < 0.0 {
            lo = t - width;
            flo = f(lo);
        }
        if fhi > 0.0 {
            hi = t + width;
            fhi = f(hi);
        }
        tries += 1;
    }
    let r = zeroin(lo, hi, flo, fhi, f, 1e-13, 1000);
    r.converged.then_some(r.root)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_ncp_is_central_t() {
        let central = StudentT::new(7.0).unwrap().cdf(1.3).unwrap();
        assert!((cdf(1.3, 7.0, 0.0).unwrap() - central).abs() < 1e-15);
    }

    #[test]
    fn invalid_df_is_none() {
        assert_eq!(cdf(1.0, 0.0, 1.0), None);
    }

    /// Regression: t² overflowing to ∞ made x = ∞/∞ = NaN, and statrs' `beta_reg` panicked;
    /// the tails at such |t| are below the smallest double, so the answer is the limit.
    #[test]
    fn t_whose_square_overflows_is_the_limit_not_a_panic() {
        assert_eq!(cdf(1e200, 5.0, 1.0), Some(1.0));
        assert_eq!(cdf(-1e200, 5.0, 1.0), Some(0.0));
    }
}
