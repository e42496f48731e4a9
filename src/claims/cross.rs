//! Checks across claims on the same endpoint, arm and visit: a rate (k of n beyond a
//! threshold) bounds the mean and SD of percent change, and counts must fall as responder
//! thresholds rise. Findings are typed ([`Conflict`]); sentences are `report::claims`'s.

use super::checks::{estimate_bounds, qt, ClaimCheck};
use super::estimand::{self, is_rate_estimand};
use super::finding::{Conflict, Failed, Split, SplitSide, WiderInterval};
use super::rounding::{clearly_above, Range};
use super::schema::{Claim, SampleSize};
use super::verdict::Problem;

/// Where a rate claim puts its patients on the percent-change scale.
fn rate_threshold(rate: &Claim) -> Option<(f64, bool)> {
    estimand::rate_threshold(&rate.estimand, rate.higher_is_better)
}

/// Smallest SD of n values with mean in `m`, k of them on one side of c (≤ c if `low_side`),
/// the others strictly on the other side. `None` when impossible.
pub fn min_sd_with_split(m: Range, c: f64, k: usize, n: usize, low_side: bool) -> Option<f64> {
    if n < 2 {
        return Some(0.0);
    }
    let w = k as f64 / n as f64;
    // Mirror a high-side split onto the low side.
    let (m, c) = if low_side {
        (m, c)
    } else {
        (Range::new(-m.high, -m.low), -c)
    };
    let d = if c < m.low {
        m.low - c
    } else if c > m.high {
        c - m.high
    } else {
        0.0
    };
    let mean_below = m.high < c; // every admissible mean is below c
    let mean_above = m.low > c;
    let pop_var = if mean_below {
        if k == 0 {
            return None; // all values above c cannot average below it
        }
        (1.0 - w) / w * d * d
    } else if mean_above {
        if k == n {
            return None;
        }
        w / (1.0 - w) * d * d
    } else {
        0.0
    };
    let nf = n as f64;
    Some((pop_var * nf / (nf - 1.0)).sqrt())
}

pub(crate) fn cross_check(checks: &mut [ClaimCheck]) {
    let len = checks.len();
    let mut conflicts: Vec<(usize, Failed)> = Vec::new();
    let conflict = |other: &Claim, conflict: Conflict| Failed::Conflict {
        other: other.id.clone(),
        conflict,
    };
    for i in 0..len {
        for j in 0..len {
            if i == j {
                continue;
            }
            let (a, b) = (&checks[i].claim, &checks[j].claim);
            if a.endpoint != b.endpoint
                || a.arm != b.arm
                || a.visit != b.visit
                || a.control.is_some()
                || b.control.is_some()
            {
                continue;
            }
            // Mean percent change (i) against a rate (j).
            if a.estimand == "mean_pct_change" && is_rate_estimand(&b.estimand) {
                let (Some(SampleSize::One(n)), Some(SampleSize::One(nb)), Some(k), Some(m)) =
                    (a.n, b.n, b.k, estimate_bounds(a))
                else {
                    continue;
                };
                if n != nb {
                    continue;
                }
                let Some((c, low)) = rate_threshold(b) else {
                    continue;
                };
                let split = Split {
                    k,
                    n,
                    side: if b.estimand == "clearance_rate" {
                        SplitSide::Cleared
                    } else if low {
                        SplitSide::AtMost(c)
                    } else {
                        SplitSide::AtLeast(c)
                    },
                };
                let Some(sd_max) = checks[i].recomputed.sd.map(|s| s.high) else {
                    continue;
                };
                match min_sd_with_split(m, c, k, n, low) {
                    None => {
                        let mean = a.estimate.clone().unwrap();
                        let on_mean = Conflict::SplitCannotGiveMean {
                            split,
                            mean: mean.clone(),
                            of_other: false,
                        };
                        let on_rate = Conflict::SplitCannotGiveMean {
                            split,
                            mean,
                            of_other: true,
                        };
                        conflicts.push((i, conflict(b, on_mean)));
                        conflicts.push((j, conflict(a, on_rate)));
                    }
                    Some(sd_min) if clearly_above(sd_min, sd_max) => {
                        let q = qt(a.conf_level, (n - 1) as f64);
                        let hw_min = q * sd_min / (n as f64).sqrt();
                        let interval = a.ci.as_ref().map(|(l, h)| WiderInterval {
                            conf_level: a.conf_level,
                            half_width_min: hw_min,
                            half_width_reported: (h.value - l.value) / 2.0,
                        });
                        let on_mean = Conflict::SplitForcesSd {
                            split,
                            sd_min,
                            sd_max,
                            interval,
                        };
                        let on_rate = Conflict::SplitForcesOtherSd {
                            split,
                            sd_min,
                            sd_max,
                            short_by: sd_min - sd_max,
                        };
                        conflicts.push((i, conflict(b, on_mean)));
                        conflicts.push((j, conflict(a, on_rate)));
                    }
                    Some(_) => {}
                }
            }
            // Two rates: more patients pass a lower threshold.
            if i < j && is_rate_estimand(&a.estimand) && is_rate_estimand(&b.estimand) {
                let (Some(ka), Some(kb), Some(SampleSize::One(na)), Some(SampleSize::One(nb))) =
                    (a.k, b.k, a.n, b.n)
                else {
                    continue;
                };
                let (Some((ca, la)), Some((cb, lb))) = (rate_threshold(a), rate_threshold(b))
                else {
                    continue;
                };
                if na != nb || la != lb {
                    continue;
                }
                // On the low side, a lower (more negative) threshold is harder.
                let (harder, easier) = if (la && ca < cb) || (!la && ca > cb) {
                    (i, j)
                } else {
                    (j, i)
                };
                let (kh, ke) = if harder == i { (ka, kb) } else { (kb, ka) };
                if kh > ke && ca != cb {
                    let (hc, ec) = (&checks[harder].claim, &checks[easier].claim);
                    let out_of_order = Conflict::RatesOutOfOrder {
                        n: na,
                        harder_k: kh,
                        harder: hc.estimand.clone(),
                        easier_k: ke,
                        easier: ec.estimand.clone(),
                    };
                    conflicts.push((harder, conflict(ec, out_of_order.clone())));
                    conflicts.push((easier, conflict(hc, out_of_order)));
                }
            }
        }
    }
    for (i, failed) in conflicts {
        let problem = Problem::Failed(failed);
        if !checks[i].problems.contains(&problem) {
            checks[i].problems.push(problem);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn min_sd_split_examples() {
        // 4 of 12 at −100 with mean −52: the other 8 at −28, SD = sqrt(k n (m + 100)² / ((n − k)(n − 1))).
        let m = Range::new(-52.0, -52.0);
        let sd = min_sd_with_split(m, -100.0, 4, 12, true).unwrap();
        let expected = (4.0 * 12.0 * 48.0f64.powi(2) / (8.0 * 11.0)).sqrt();
        assert!((sd - expected).abs() < 1e-12);
        // The threshold inside the mean's range: no constraint.
        assert_eq!(
            min_sd_with_split(Range::new(-51.0, -49.0), -50.0, 6, 12, true),
            Some(0.0)
        );
        // No responders but a mean below the threshold: impossible.
        assert_eq!(
            min_sd_with_split(Range::new(-80.0, -79.0), -75.0, 0, 12, true),
            None
        );
    }
}
