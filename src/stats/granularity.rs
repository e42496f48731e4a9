//! Consistency checks of reported summary statistics: GRIM, GRIMMER, DEBIT and statcheck-style
//! recomputation of p from a test statistic.
//!
//! Reported numbers are rounded; every check here works with the interval of true values that
//! round to the reported text (`[value − h, value + h]`, rounding up or down at 5 both allowed,
//! as scrutiny's default `"up_or_down"`).
//!
//! - GRIM (Brown & Heathers 2017, *Soc Psychol Personal Sci* 8:363): a mean of n values that are
//!   multiples of a step is a multiple of step/n.
//! - GRIMMER (Anaya 2016; analytic form after Allard 2018): with integer values the sum of
//!   squares is an integer of the same parity as the sum, which restricts the SD.
//! - DEBIT (Heathers & Brown 2019): the SD of binary data is fixed by its mean and n.
//! - statcheck (Epskamp & Nuijten; Nuijten et al. 2016, *Behav Res Methods* 48:1205): p
//!   recomputed from a reported t, z, F, χ² or r and its degrees of freedom.

use super::distributions::{norm_sf, StudentT};
use statrs::distribution::{ChiSquared, ContinuousCDF, FisherSnedecor};

const EPS: f64 = 1e-9;

/// Result of a GRIM test.
#[derive(Debug, Clone, PartialEq)]
pub struct Grim {
    pub consistent: bool,
    /// False when step/n is finer than the reported precision: every mean is possible.
    pub testable: bool,
    /// Sums (in units of the step) whose mean rounds to the reported value.
    pub sums: Vec<i64>,
}

/// GRIM: can n values that are multiples of `step` have a mean in [lo, hi]?
///
/// `lo`/`hi` are the rounding bounds of the reported mean; `half_unit` its half unit (for the
/// testability verdict).
pub fn grim(lo: f64, hi: f64, half_unit: f64, n: usize, step: f64) -> Grim {
    let nf = n as f64;
    let a = lo * nf / step;
    let b = hi * nf / step;
    let first = (a - EPS * a.abs().max(1.0)).ceil() as i64;
    let last = (b + EPS * b.abs().max(1.0)).floor() as i64;
    let sums: Vec<i64> = if last >= first && last - first < 1_000_000 {
        (first..=last).collect()
    } else if last >= first {
        vec![first, last]
    } else {
        Vec::new()
    };
    Grim {
        consistent: !sums.is_empty(),
        testable: step / nf > 2.0 * half_unit,
        sums,
    }
}

/// Result of a GRIMMER test.
#[derive(Debug, Clone, PartialEq)]
pub struct Grimmer {
    pub consistent: bool,
    /// Why not: "GRIM" (no possible sum) or "sum of squares" (no integer sum of squares of
    /// the right parity gives an SD that rounds to the reported one).
    pub reason: Option<&'static str>,
}

/// GRIMMER for n values on a grid of `step`: mean in [m_lo, m_hi], SD (n − 1 denominator) in
/// [sd_lo, sd_hi].
pub fn grimmer(
    m_lo: f64,
    m_hi: f64,
    m_half: f64,
    sd_lo: f64,
    sd_hi: f64,
    n: usize,
    step: f64,
) -> Grimmer {
    let g = grim(m_lo, m_hi, m_half, n, step);
    if !g.consistent {
        return Grimmer {
            consistent: false,
            reason: Some("GRIM"),
        };
    }
    if n < 2 {
        return Grimmer {
            consistent: true,
            reason: None,
        };
    }
    let nf = n as f64;
    let (s_lo, s_hi) = (sd_lo.max(0.0) / step, sd_hi / step);
    let first = *g.sums.first().unwrap();
    let last = *g.sums.last().unwrap();
    if last - first > 100_000 {
        // Too many sums to enumerate: not a granular case in practice.
        return Grimmer {
            consistent: true,
            reason: None,
        };
    }
    for s in first..=last {
        let sf = s as f64;
        let q_lo = (nf - 1.0) * s_lo * s_lo + sf * sf / nf;
        let q_hi = (nf - 1.0) * s_hi * s_hi + sf * sf / nf;
        let tol = EPS * q_hi.abs().max(1.0);
        let mut q = (q_lo - tol).ceil() as i64;
        // Sum of squares has the parity of the sum (x² ≡ x mod 2).
        if (q - s).rem_euclid(2) != 0 {
            q += 1;
        }
        if (q as f64) <= q_hi + tol {
            return Grimmer {
                consistent: true,
                reason: None,
            };
        }
    }
    Grimmer {
        consistent: false,
        reason: Some("sum of squares"),
    }
}

/// The SD of n binary values with mean (share) x: sqrt(x (1 − x) n / (n − 1)).
pub fn binary_sd(x: f64, n: usize) -> f64 {
    let nf = n as f64;
    (x * (1.0 - x) * nf / (nf - 1.0)).max(0.0).sqrt()
}

/// Result of DEBIT: the range of SDs binary data with the reported mean can have.
#[derive(Debug, Clone, PartialEq)]
pub struct Debit {
    pub consistent: bool,
    pub sd_min: f64,
    pub sd_max: f64,
}

/// DEBIT: is an SD in [sd_lo, sd_hi] possible for n binary values with mean in [x_lo, x_hi]?
pub fn debit(x_lo: f64, x_hi: f64, sd_lo: f64, sd_hi: f64, n: usize) -> Debit {
    let (a, b) = (x_lo.clamp(0.0, 1.0), x_hi.clamp(0.0, 1.0));
    let (sa, sb) = (binary_sd(a, n), binary_sd(b, n));
    let sd_min = sa.min(sb);
    let sd_max = if a <= 0.5 && 0.5 <= b {
        binary_sd(0.5, n)
    } else {
        sa.max(sb)
    };
    let tol = EPS;
    Debit {
        consistent: sd_max >= sd_lo - tol && sd_min <= sd_hi + tol,
        sd_min,
        sd_max,
    }
}

/// The largest SD (n − 1 denominator) n values in [min, max] with mean `m` can have.
pub fn max_sd_bounded(m: f64, min: f64, max: f64, n: usize) -> f64 {
    if n < 2 {
        return 0.0;
    }
    let nf = n as f64;
    ((m - min).max(0.0) * (max - m).max(0.0) * nf / (nf - 1.0)).sqrt()
}

/// A test statistic family for statcheck-style recomputation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum StatKind {
    T {
        df: f64,
    },
    Z,
    F {
        df1: f64,
        df2: f64,
    },
    Chi2 {
        df: f64,
    },
    /// Pearson r with df = n − 2, tested as t = r √(df / (1 − r²)).
    R {
        df: f64,
    },
}

/// Two-sided p of a statistic (F and χ²: upper tail), as statcheck computes it.
pub fn p_from_statistic(kind: StatKind, value: f64) -> Option<f64> {
    // statrs' F and χ² functions panic on a NaN argument (and ours would give NaN, which
    // `min` below would turn into 1): a NaN statistic or df has no p-value.
    if value.is_nan() {
        return None;
    }
    let p = match kind {
        StatKind::T { df } => 2.0 * StudentT::new(df)?.sf(value.abs())?,
        StatKind::Z => 2.0 * norm_sf(value.abs()),
        StatKind::F { df1, df2 } => {
            if value < 0.0 {
                return None;
            }
            FisherSnedecor::new(df1, df2).ok()?.sf(value)
        }
        StatKind::Chi2 { df } => {
            if value < 0.0 {
                return None;
            }
            ChiSquared::new(df).ok()?.sf(value)
        }
        StatKind::R { df } => {
            if value.abs() >= 1.0 {
                return Some(0.0);
            }
            let t = value * (df / (1.0 - value * value)).sqrt();
            2.0 * StudentT::new(df)?.sf(t.abs())?
        }
    };
    Some(p.min(1.0))
}

/// The range of two-sided p-values over a statistic's rounding interval [lo, hi].
pub fn p_range_from_statistic(kind: StatKind, lo: f64, hi: f64) -> Option<(f64, f64)> {
    // p decreases in |statistic|.
    let (a, b) = match kind {
        StatKind::F { .. } | StatKind::Chi2 { .. } => (lo.max(0.0), hi.max(0.0)),
        _ => {
            if lo <= 0.0 && hi >= 0.0 {
                (0.0, lo.abs().max(hi.abs()))
            } else {
                (lo.abs().min(hi.abs()), lo.abs().max(hi.abs()))
            }
        }
    };
    let p_small = p_from_statistic(kind, b)?;
    let p_large = p_from_statistic(kind, a)?;
    Some((p_small, p_large))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bounds(x: f64, decimals: i32) -> (f64, f64, f64) {
        let h = 0.5 * 10f64.powi(-decimals);
        (x - h, x + h, h)
    }

    /// scrutiny's README (Jung 2023, <https://github.com/lhdjung/scrutiny>): `grim_map(pigs1)`.
    #[test]
    #[allow(clippy::approx_constant)] // 3.14 is a reported mean, not π
    fn grim_matches_scrutiny_pigs1() {
        let pigs1 = [
            (7.22, 32, true),
            (4.74, 25, false),
            (5.23, 29, false),
            (2.57, 24, false),
            (6.77, 27, false),
            (2.68, 28, true),
            (7.01, 29, false),
            (7.38, 26, true),
            (3.14, 27, false),
            (6.89, 31, false),
            (5.00, 25, true),
            (0.24, 28, false),
        ];
        for (x, n, expected) in pigs1 {
            let (lo, hi, h) = bounds(x, 2);
            assert_eq!(grim(lo, hi, h, n, 1.0).consistent, expected, "{x} n={n}");
        }
    }

    /// scrutiny's README: `grim_map(pigs2, percent = TRUE)` — percentages with one decimal,
    /// n = 150, i.e. shares with three decimals.
    #[test]
    fn grim_matches_scrutiny_pigs2_percentages() {
        let pigs2 = [
            (67.4, false),
            (54.2, false),
            (54.0, true),
            (69.8, false),
            (68.1, false),
            (55.4, false),
        ];
        for (pct, expected) in pigs2 {
            let (lo, hi, h) = bounds(pct / 100.0, 3);
            assert_eq!(grim(lo, hi, h, 150, 1.0).consistent, expected, "{pct}%");
        }
    }

    /// Brown & Heathers (2017): a mean of 5.19 cannot come from 28 integer values
    /// (145/28 = 5.18, 146/28 = 5.21).
    #[test]
    fn grim_brown_heathers_example() {
        let (lo, hi, h) = bounds(5.19, 2);
        assert!(!grim(lo, hi, h, 28, 1.0).consistent);
        assert!(!grim(lo, hi, h, 200, 1.0).testable);
    }

    /// scrutiny's vignettes (`vignette("grim")`, `vignette("grimmer")`): `grim("5.27", 43)` and
    /// `grimmer("7.3", "2.51", 12)` are both FALSE.
    #[test]
    fn scrutiny_vignette_examples() {
        let (lo, hi, h) = bounds(5.27, 2);
        assert!(!grim(lo, hi, h, 43, 1.0).consistent);
        let (ml, mh, mhalf) = bounds(7.3, 1);
        let (sl, sh, _) = bounds(2.51, 2);
        assert!(grim(ml, mh, mhalf, 12, 1.0).consistent);
        let g = grimmer(ml, mh, mhalf, sl, sh, 12, 1.0);
        assert_eq!((g.consistent, g.reason), (false, Some("sum of squares")));
    }

    /// scrutiny's README: `debit_map(pigs3)`, binary data with n = 1683.
    #[test]
    fn debit_matches_scrutiny_pigs3() {
        let pigs3 = [
            (0.53, 0.50, true),
            (0.44, 0.50, true),
            (0.77, 0.42, true),
            (0.19, 0.35, false),
            (0.34, 0.47, true),
            (0.93, 0.25, true),
            (0.12, 0.33, true),
        ];
        for (x, sd, expected) in pigs3 {
            let (xl, xh, _) = bounds(x, 2);
            let (sl, sh, _) = bounds(sd, 2);
            assert_eq!(debit(xl, xh, sl, sh, 1683).consistent, expected, "{x} {sd}");
        }
    }

    /// GRIMMER never rejects what exists: every (mean, SD) pair, rounded to two decimals, of
    /// every multiset of 6 values on a 1–5 scale passes; and a share of the pairs it rejects
    /// are confirmed impossible by the same enumeration.
    #[test]
    fn grimmer_is_sound_by_enumeration() {
        use std::collections::BTreeSet;
        let n = 6;
        let mut seen = BTreeSet::new();
        let mut v = vec![1i64; n];
        loop {
            let s: i64 = v.iter().sum();
            let m = s as f64 / n as f64;
            let ss: f64 = v.iter().map(|&x| (x as f64 - m).powi(2)).sum();
            let sd = (ss / (n as f64 - 1.0)).sqrt();
            let key = ((m * 100.0).round() as i64, (sd * 100.0).round() as i64);
            seen.insert(key);
            // next non-decreasing sequence
            match (0..n).rev().find(|&i| v[i] < 5) {
                None => break,
                Some(i) => {
                    v[i] += 1;
                    let vi = v[i];
                    for x in v.iter_mut().skip(i + 1) {
                        *x = vi;
                    }
                }
            }
        }
        for &(mk, sk) in &seen {
            let (ml, mh, mhalf) = bounds(mk as f64 / 100.0, 2);
            let (sl, sh, _) = bounds(sk as f64 / 100.0, 2);
            assert!(
                grimmer(ml, mh, mhalf, sl, sh, n, 1.0).consistent,
                "{mk} {sk}"
            );
        }
        // Pairs that pass GRIM but fail GRIMMER must not exist in the enumeration.
        let mut rejected = 0;
        for mk in 100..=500 {
            for sk in 0..=220 {
                let (ml, mh, mhalf) = bounds(mk as f64 / 100.0, 2);
                let (sl, sh, _) = bounds(sk as f64 / 100.0, 2);
                let g = grimmer(ml, mh, mhalf, sl, sh, n, 1.0);
                if g.reason == Some("sum of squares") {
                    rejected += 1;
                    assert!(!seen.contains(&(mk, sk)));
                }
            }
        }
        assert!(rejected > 100, "GRIMMER rejected only {rejected} pairs");
    }

    /// statcheck's manual example: "t(100) = 1, p < 0.001" is inconsistent (p = .32).
    #[test]
    fn statcheck_manual_example() {
        let (lo, hi) = p_range_from_statistic(StatKind::T { df: 100.0 }, 0.5, 1.5).unwrap();
        assert!(lo > 0.001 && hi > 0.1);
        let p = p_from_statistic(StatKind::T { df: 100.0 }, 1.0).unwrap();
        assert!((p - 0.3197).abs() < 1e-4);
    }
}
