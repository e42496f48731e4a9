//! Power and sample size, as R's `power.t.test(strict = TRUE)`, `pwr::pwr.t.test`,
//! `pwr::pwr.t2n.test` and `power.prop.test`, with SAS PROC POWER's designs beside them: t
//! designs through the noncentral t distribution (exact, not a normal approximation), two
//! proportions by the normal approximation (with Fleiss' continuity correction on request) or
//! exactly by enumerating every pair of counts through Fisher's test, and the
//! Wilcoxon–Mann–Whitney test by Noether's (1987) formula or by seeded simulation with its
//! Monte-Carlo standard error. Pure numerics; the command is `cli/power.rs`.

use super::distributions::{norm_cdf, norm_quantile, StudentT};
use super::noncentral_t;

/// Largest n per arm the sample-size search tries.
pub const MAX_N: usize = 10_000_000;

/// A study design whose power is a function of the sample size.
#[derive(Debug, Clone, PartialEq)]
pub enum Design {
    /// One-sample or paired t test of a mean (change or percent change) against 0.
    OneSampleT { delta: f64, sd: f64 },
    /// Two-sample t test, equal variances (Student) or not (Welch–Satterthwaite df); `sd2` is
    /// the control arm's SD (equal to `sd` for Student).
    TwoSampleT {
        delta: f64,
        sd: f64,
        sd2: f64,
        welch: bool,
    },
    /// ANCOVA on the baseline: residual SD σ√(1 − ρ²), df n₁ + n₂ − 3.
    Ancova { delta: f64, sd: f64, rho: f64 },
    /// Two proportions, normal approximation (pooled variance under H0, as power.prop.test);
    /// with Fleiss' continuity correction when `continuity` is set.
    TwoProportions { p1: f64, p2: f64, continuity: bool },
    /// Two proportions, Fisher's exact test, power by enumerating all pairs of counts.
    TwoProportionsExact { p1: f64, p2: f64 },
    /// Wilcoxon–Mann–Whitney by Noether's formula; `p_greater` = P(X > Y).
    WmwNoether { p_greater: f64 },
}

/// The power of `design` with `n1` patients in the (treated or only) arm and `n2` in the
/// control arm (ignored for one-sample designs), two-sided at level `alpha`. None when the
/// sizes are too small for the design (df ≤ 0).
pub fn power(design: &Design, n1: usize, n2: usize, alpha: f64) -> Option<f64> {
    let (n1f, n2f) = (n1 as f64, n2 as f64);
    match *design {
        Design::OneSampleT { delta, sd } => t_power(delta / sd * n1f.sqrt(), n1f - 1.0, alpha),
        Design::TwoSampleT {
            delta,
            sd,
            sd2,
            welch,
        } => {
            let (v1, v2) = (sd * sd / n1f, sd2 * sd2 / n2f);
            let df = if welch {
                (v1 + v2).powi(2) / (v1 * v1 / (n1f - 1.0) + v2 * v2 / (n2f - 1.0))
            } else {
                n1f + n2f - 2.0
            };
            let se = if welch {
                (v1 + v2).sqrt()
            } else {
                sd * (1.0 / n1f + 1.0 / n2f).sqrt()
            };
            t_power(delta / se, df, alpha)
        }
        Design::Ancova { delta, sd, rho } => {
            let se = sd * (1.0 - rho * rho).sqrt() * (1.0 / n1f + 1.0 / n2f).sqrt();
            t_power(delta / se, n1f + n2f - 3.0, alpha)
        }
        Design::TwoProportions { p1, p2, continuity } => {
            let pbar = (n1f * p1 + n2f * p2) / (n1f + n2f);
            let null_se = (pbar * (1.0 - pbar) * (1.0 / n1f + 1.0 / n2f)).sqrt();
            let alt_se = (p1 * (1.0 - p1) / n1f + p2 * (1.0 - p2) / n2f).sqrt();
            let cc = if continuity {
                (1.0 / n1f + 1.0 / n2f) / 2.0
            } else {
                0.0
            };
            let z = norm_quantile(1.0 - alpha / 2.0);
            // As power.prop.test (strict = FALSE): the far tail is left out.
            Some(norm_cdf(((p1 - p2).abs() - cc - z * null_se) / alt_se))
        }
        Design::TwoProportionsExact { p1, p2 } => Some(fisher_power(n1, n2, p1, p2, alpha)),
        Design::WmwNoether { p_greater } => {
            let big_n = n1f + n2f;
            let t = n1f / big_n;
            let z = norm_quantile(1.0 - alpha / 2.0);
            let zb = (12.0 * t * (1.0 - t) * big_n).sqrt() * (p_greater - 0.5).abs() - z;
            Some(norm_cdf(zb))
        }
    }
}

/// Two-sided power of a t test with noncentrality `ncp` on `df` degrees of freedom: both
/// tails (R's `power.t.test(strict = TRUE)`, `pwr.t.test`).
fn t_power(ncp: f64, df: f64, alpha: f64) -> Option<f64> {
    if df.is_nan() || df <= 0.0 || !ncp.is_finite() {
        return None;
    }
    let q = if df > 1e5 {
        // statrs' inverse regularised beta does not converge in reasonable time at such df
        // (minutes at df = 10^7); the Cornish–Fisher expansion of the t quantile in 1/df
        // (Abramowitz & Stegun 26.7.5) is exact to ~1e-15 here (the next term is O(df^-4)).
        let z = norm_quantile(1.0 - alpha / 2.0);
        let (z2, z3) = (z * z, z * z * z);
        let z5 = z3 * z2;
        let z7 = z5 * z2;
        z + (z3 + z) / (4.0 * df)
            + (5.0 * z5 + 16.0 * z3 + 3.0 * z) / (96.0 * df * df)
            + (3.0 * z7 + 19.0 * z5 + 17.0 * z3 - 15.0 * z) / (384.0 * df * df * df)
    } else {
        StudentT::new(df)?.quantile(1.0 - alpha / 2.0)?
    };
    let upper = 1.0 - noncentral_t::cdf(q, df, ncp)?;
    let lower = noncentral_t::cdf(-q, df, ncp)?;
    Some(upper + lower)
}

/// ln C(n, k) table rows: ln k! for k = 0..=n.
fn ln_factorials(n: usize) -> Vec<f64> {
    let mut out = vec![0.0f64; n + 1];
    for k in 1..=n {
        out[k] = out[k - 1] + (k as f64).ln();
    }
    out
}

/// Exact power of Fisher's two-sided test (as `fisher.test`: tables no more likely than the
/// observed one, relative slack 1e-7) by enumerating every pair of counts (x1, x2).
pub fn fisher_power(n1: usize, n2: usize, p1: f64, p2: f64, alpha: f64) -> f64 {
    let big_n = n1 + n2;
    let lf = ln_factorials(big_n);
    let ln_choose = |n: usize, k: usize| lf[n] - lf[k] - lf[n - k];
    let binom = |n: usize, p: f64| -> Vec<f64> {
        (0..=n)
            .map(|k| {
                let (a, b) = (k as f64, (n - k) as f64);
                let lp = if p <= 0.0 {
                    if k == 0 {
                        0.0
                    } else {
                        f64::NEG_INFINITY
                    }
                } else if p >= 1.0 {
                    if k == n {
                        0.0
                    } else {
                        f64::NEG_INFINITY
                    }
                } else {
                    a * p.ln() + b * (1.0 - p).ln()
                };
                (ln_choose(n, k) + lp).exp()
            })
            .collect()
    };
    let (b1, b2) = (binom(n1, p1), binom(n2, p2));
    let mut power = 0.0;
    for total in 0..=big_n {
        let lo = total.saturating_sub(n2);
        let hi = total.min(n1);
        // Hypergeometric of x1 given the total.
        let dens: Vec<f64> = (lo..=hi)
            .map(|x| (ln_choose(n1, x) + ln_choose(n2, total - x) - ln_choose(big_n, total)).exp())
            .collect();
        let mut sorted = dens.clone();
        sorted.sort_unstable_by(f64::total_cmp);
        for (i, x1) in (lo..=hi).enumerate() {
            let limit = dens[i] * (1.0 + 1e-7);
            let p: f64 = sorted.iter().take_while(|d| **d <= limit).sum();
            if p <= alpha {
                power += b1[x1] * b2[total - x1];
            }
        }
    }
    power
}

/// Why a sample size could not be found.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum SampleSizeError {
    /// The power at [`MAX_N`] per arm is still below the target.
    AboveLimit { power_at_limit: f64 },
}

impl std::fmt::Display for SampleSizeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SampleSizeError::AboveLimit { power_at_limit } => write!(
                f,
                "more than {MAX_N} patients per arm would be needed (power at {MAX_N}: {power_at_limit:.4})"
            ),
        }
    }
}

/// The smallest n (per arm for the treated arm; the control arm gets ⌈ratio · n⌉) whose power
/// reaches `target`: doubling, then bisection (power increases with n for every design here
/// except the exact test, whose saw-tooth is searched linearly near the answer).
pub fn sample_size(
    design: &Design,
    target: f64,
    ratio: f64,
    alpha: f64,
    one_sample: bool,
) -> Result<(usize, f64), SampleSizeError> {
    let n2 = |n: usize| {
        if one_sample {
            0
        } else {
            ((ratio * n as f64) - 1e-9).ceil().max(2.0) as usize
        }
    };
    let pw = |n: usize| power(design, n, n2(n), alpha).unwrap_or(0.0);
    let mut hi = 2usize;
    while pw(hi) < target {
        if hi >= MAX_N {
            return Err(SampleSizeError::AboveLimit {
                power_at_limit: pw(MAX_N),
            });
        }
        hi = (hi * 2).min(MAX_N);
    }
    let mut lo = hi / 2;
    if lo < 2 {
        return Ok((hi, pw(hi)));
    }
    // pw(lo) < target ≤ pw(hi)
    while hi - lo > 1 {
        let mid = (lo + hi) / 2;
        if pw(mid) >= target {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    if matches!(design, Design::TwoProportionsExact { .. }) {
        // The exact power is not monotone in n: the first n reaching the target.
        let start = (hi / 2).max(2);
        if let Some(n) = (start..hi).find(|&n| pw(n) >= target) {
            return Ok((n, pw(n)));
        }
    }
    Ok((hi, pw(hi)))
}

/// Simulated power of the two-sided Wilcoxon–Mann–Whitney test (normal approximation with
/// continuity correction, as `wilcox.test(exact = FALSE)`) for normal data with shift
/// `delta` and SD `sd`: (power, Monte-Carlo standard error).
pub fn wmw_power_simulated(
    delta: f64,
    sd: f64,
    n1: usize,
    n2: usize,
    alpha: f64,
    sims: usize,
    seed: u64,
) -> (f64, f64) {
    let mut rng = crate::rng::SplitMix64(seed);
    let mut normal = move || {
        // Box–Muller from two uniforms in (0, 1].
        let u1 = ((rng.next_u64() >> 11) as f64 + 1.0) / (1u64 << 53) as f64;
        let u2 = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    };
    let mut hits = 0usize;
    for _ in 0..sims {
        let mut x: Vec<f64> = (0..n1).map(|_| delta + sd * normal()).collect();
        let mut y: Vec<f64> = (0..n2).map(|_| sd * normal()).collect();
        x.sort_unstable_by(f64::total_cmp);
        y.sort_unstable_by(f64::total_cmp);
        let r = super::mann_whitney::rank_sum(&x, &y, 0.95, "shift");
        if r.p_value.is_some_and(|p| p <= alpha) {
            hits += 1;
        }
    }
    let p = hits as f64 / sims as f64;
    (p, (p * (1.0 - p) / sims as f64).sqrt())
}

/// P(X > Y) for X ~ N(δ, σ²), Y ~ N(0, σ²): Φ(δ / (σ√2)), the input of Noether's formula.
pub fn p_greater_normal(delta: f64, sd: f64) -> f64 {
    norm_cdf(delta / (sd * std::f64::consts::SQRT_2))
}

#[cfg(test)]
mod large_df_tests {
    use super::*;

    /// The Cornish–Fisher t quantile of `t_power` against R's `qt(0.975, df)` (printed with 17
    /// digits); statrs is 1.7e-11 off at df = 1e5 and does not return at 1e7.
    #[test]
    fn t_quantile_expansion_matches_r() {
        for (df, r) in [
            (1e5, 1.959_987_707_534_608_8),
            (1e7, 1.959_964_221_767_204_9),
        ] {
            let z = norm_quantile(0.975);
            let (z2, z3) = (z * z, z * z * z);
            let (z5, z7) = (z3 * z2, z3 * z2 * z2);
            let cf = z
                + (z3 + z) / (4.0 * df)
                + (5.0 * z5 + 16.0 * z3 + 3.0 * z) / (96.0 * df * df)
                + (3.0 * z7 + 19.0 * z5 + 17.0 * z3 - 15.0 * z) / (384.0 * df * df * df);
            assert!((cf - r).abs() < 1e-14 * r, "{df}: {cf} vs R {r}");
        }
    }
}
