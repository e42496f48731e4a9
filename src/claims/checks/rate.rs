//! Rates: k of n against the reported share and interval (exact Clopper–Pearson, or Wilson's),
//! GRIM for shares, and the sample sizes that fit when n is not reported.

use super::{estimate_bounds, AtN, Checks, Recomputed};
use crate::claims::finding::{Failed, Passed, Unchecked};
use crate::claims::rounding::Range;
use crate::claims::schema::{Claim, SampleSize};
use crate::stats::proportion;

pub(crate) fn check_rate(c: &Claim, ck: &mut Checks, rec: &mut Recomputed, by_n: &mut Vec<AtN>) {
    let e = estimate_bounds(c);
    match (c.k, c.n) {
        (Some(k), Some(SampleSize::One(n))) => {
            let share = k as f64 / n as f64;
            rec.estimate = Some(Range::new(share, share));
            if let Some(e) = e {
                if e.intersect(&Range::new(share, share)).is_some() {
                    ck.pass(Passed::ShareRounds {
                        k,
                        n,
                        share,
                        estimate: c.estimate.clone().unwrap(),
                    });
                } else {
                    ck.fail(Failed::ShareDoesNotRound {
                        k,
                        n,
                        share,
                        estimate: c.estimate.clone().unwrap(),
                    });
                }
            }
            let cp = proportion::clopper_pearson(k, n, c.conf_level, "rate");
            let (lo, hi) = cp
                .interval
                .map(|i| (i.lower, i.upper))
                .unwrap_or((0.0, 1.0));
            rec.ci = Some((lo, hi));
            match &c.ci {
                Some((rl, rh)) => {
                    let scale = if rl.percent || rh.percent || rh.value > 1.0 {
                        100.0
                    } else {
                        1.0
                    };
                    if rl.matches(lo * scale) && rh.matches(hi * scale) {
                        ck.pass(Passed::ExactIntervalAgrees {
                            k,
                            n,
                            low: lo,
                            high: hi,
                        });
                    } else if let Some((wl, wh)) = proportion::wilson(k, n, c.conf_level) {
                        if rl.matches(wl * scale) && rh.matches(wh * scale) {
                            ck.pass(Passed::WilsonInterval {
                                k,
                                n,
                                wilson: (wl, wh),
                                exact: (lo, hi),
                            });
                        } else {
                            ck.fail(Failed::IntervalNeitherExactNorWilson {
                                k,
                                n,
                                exact: (lo, hi),
                                wilson: (wl, wh),
                                reported: (rl.clone(), rh.clone()),
                            });
                        }
                    }
                }
                None => ck.pass(Passed::ExactInterval {
                    k,
                    n,
                    share,
                    conf_level: c.conf_level,
                    low: lo,
                    high: hi,
                }),
            }
        }
        (None, Some(SampleSize::One(n))) => {
            if let Some(e) = e {
                let ks: Vec<usize> = (0..=n)
                    .filter(|&k| {
                        e.intersect(&Range::new(k as f64 / n as f64, k as f64 / n as f64))
                            .is_some()
                    })
                    .collect();
                if ks.is_empty() {
                    ck.fail(Failed::ShareImpossible {
                        n,
                        estimate: c.estimate.clone().unwrap(),
                    });
                } else {
                    ck.pass(Passed::SharePossible {
                        ks: ks.clone(),
                        n,
                        estimate: c.estimate.clone().unwrap(),
                    });
                    if ks.len() == 1 {
                        let cp = proportion::clopper_pearson(ks[0], n, c.conf_level, "rate");
                        rec.ci = cp.interval.map(|i| (i.lower, i.upper));
                    }
                }
            }
        }
        (k, None) => {
            let Some(e) = e else { return };
            let mut ns = Vec::new();
            for n in 1..=100usize {
                let ks: Vec<usize> = (0..=n)
                    .filter(|&kk| k.is_none_or(|k| k == kk))
                    .filter(|&kk| {
                        e.intersect(&Range::new(kk as f64 / n as f64, kk as f64 / n as f64))
                            .is_some()
                    })
                    .collect();
                let holds = !ks.is_empty();
                if holds {
                    ns.push(n);
                }
                by_n.push(AtN {
                    n,
                    holds,
                    sd: None,
                    p: None,
                    k: ks,
                });
            }
            if ns.is_empty() {
                ck.fail(Failed::NoShareUpTo100 {
                    estimate: c.estimate.clone().unwrap(),
                });
            } else {
                rec.n_range = Some((ns[0], *ns.last().unwrap()));
                ck.pass(Passed::SharesFitSampleSizes { ns });
            }
        }
        (_, Some(SampleSize::Two(..))) => {
            ck.cannot(Unchecked::RateNeedsOneN);
        }
    }
}
