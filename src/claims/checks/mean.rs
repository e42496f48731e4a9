//! Means: what an interval, SD, p-value and n imply about each other (t intervals), and the
//! sample sizes that fit when n is not reported.

use super::granularity::check_granularity;
use super::statcheck::check_statistic;
use super::{estimate_bounds, qt, two_sided_p_range, AtN, Checks, Recomputed};
use crate::claims::finding::{Failed, Passed, Unchecked};
use crate::claims::reported::ReportedP;
use crate::claims::rounding::{Range, TINY};
use crate::claims::schema::{Claim, SampleSize};
use crate::stats::distributions::t_quantile;

/// SD range implied at sample size(s) by the interval, the reported SD or the p-value.
struct MeanImplied {
    se: Option<Range>,
    sd: Option<Range>,
    p: Option<Range>,
    t: Option<Range>,
}

/// Figures implied by a mean claim at a given n (one-sample: n; two-sample: (na, nb)).
fn mean_implied(
    c: &Claim,
    n: SampleSize,
    m: Option<Range>,
    ck: Option<&mut Checks>,
) -> Option<MeanImplied> {
    let (df, se_per_sd) = match n {
        SampleSize::One(n) if n >= 2 => ((n - 1) as f64, 1.0 / (n as f64).sqrt()),
        SampleSize::Two(a, b) if a >= 1 && b >= 1 && a + b >= 3 => {
            ((a + b - 2) as f64, (1.0 / a as f64 + 1.0 / b as f64).sqrt())
        }
        _ => return None,
    };
    let q = qt(c.conf_level, df);
    let mut se: Option<Range> = None;
    let mut sd: Option<Range> = None;
    let mut local = Checks::default();
    if let Some((lo, hi)) = &c.ci {
        let (l0, l1) = lo.bounds();
        let (h0, h1) = hi.bounds();
        let hw = Range::new(((h0 - l1) / 2.0).max(0.0), (h1 - l0) / 2.0);
        let s = Range::new(hw.low / q, hw.high / q);
        se = Some(s);
        sd = Some(Range::new(s.low / se_per_sd, s.high / se_per_sd));
    }
    if let Some(r) = &c.sd {
        let (a, b) = r.bounds();
        let rep = Range::new(a.max(0.0), b);
        match sd {
            Some(ci_sd) => match ci_sd.intersect(&rep) {
                Some(both) => {
                    local.pass(Passed::IntervalSdAgrees {
                        implied: ci_sd,
                        reported: r.clone(),
                    });
                    sd = Some(both);
                    se = Some(Range::new(both.low * se_per_sd, both.high * se_per_sd));
                }
                None => local.fail(Failed::IntervalSdDisagrees {
                    implied: ci_sd,
                    reported: r.clone(),
                }),
            },
            None => {
                sd = Some(rep);
                se = Some(Range::new(rep.low * se_per_sd, rep.high * se_per_sd));
            }
        }
    }
    let mut p = None;
    let mut t = None;
    if let (Some(s), Some(m)) = (se, m) {
        if s.low > 0.0 {
            let ma = m.abs();
            let tr = Range::new(ma.low / s.high, ma.high / s.low);
            t = Some(tr);
            p = Some(two_sided_p_range(&tr, df));
        }
    }
    // Without an interval or SD: the SD the p-value allows.
    if sd.is_none() {
        if let (Some(rp), Some(m)) = (&c.p, m) {
            let ma = m.abs();
            let sd_for_t = |t: f64| ma.high / (t * se_per_sd);
            match rp {
                ReportedP::Equal(r) => {
                    let (a, b) = r.bounds();
                    let (a, b) = (a.max(TINY), b.min(1.0));
                    let t_hi = t_quantile(1.0 - a / 2.0, df);
                    let t_lo = t_quantile(1.0 - b / 2.0, df);
                    sd = Some(Range::new(
                        ma.low / (t_hi * se_per_sd),
                        sd_for_t(t_lo.max(TINY)),
                    ));
                }
                ReportedP::Less(r) => {
                    let t_min = t_quantile(1.0 - r.value / 2.0, df);
                    sd = Some(Range::new(0.0, sd_for_t(t_min)));
                }
                ReportedP::Greater(r) => {
                    let t_max = t_quantile(1.0 - r.value / 2.0, df);
                    sd = Some(Range::new(ma.low / (t_max * se_per_sd), f64::INFINITY));
                }
                ReportedP::NotSignificant => {
                    let t_max = t_quantile(1.0 - c.alpha / 2.0, df);
                    sd = Some(Range::new(ma.low / (t_max * se_per_sd), f64::INFINITY));
                }
            }
        }
    }
    if let Some(ck) = ck {
        ck.extend(local);
    }
    Some(MeanImplied { se, sd, p, t })
}

pub(crate) fn check_mean(
    c: &Claim,
    two_sample: bool,
    ck: &mut Checks,
    rec: &mut Recomputed,
    by_n: &mut Vec<AtN>,
) {
    let m = estimate_bounds(c);
    // Midpoint: a t interval is symmetric about the estimate.
    if let (Some((lo, hi)), Some(m)) = (&c.ci, m) {
        let (l0, l1) = lo.bounds();
        let (h0, h1) = hi.bounds();
        let mid = Range::new((l0 + h0) / 2.0, (l1 + h1) / 2.0);
        rec.estimate = Some(mid);
        if mid.intersect(&m).is_some() {
            ck.pass(Passed::MidpointAgrees {
                estimate: c.estimate.clone().unwrap(),
                midpoint: mid,
            });
        } else {
            ck.fail(Failed::MidpointOff {
                estimate: c.estimate.clone().unwrap(),
                low: lo.clone(),
                high: hi.clone(),
                midpoint: mid,
            });
        }
    }
    match c.n {
        Some(n) => {
            if two_sample != matches!(n, SampleSize::Two(..)) {
                ck.cannot(Unchecked::SampleSizeDoesNotFit);
                return;
            }
            let Some(imp) = mean_implied(c, n, m, Some(ck)) else {
                ck.cannot(Unchecked::TooFewForT { n: n.total() });
                return;
            };
            rec.se = imp.se;
            rec.sd = imp.sd;
            rec.p = imp.p;
            rec.statistic = imp.t;
            if let (Some(sd), Some(m), false) = (imp.sd, m, two_sample) {
                if sd.low > 0.0 || sd.high.is_finite() {
                    let ma = m.abs();
                    let sign = if m.low >= 0.0 { 1.0 } else { -1.0 };
                    let lo = if sd.high.is_finite() {
                        ma.low / sd.high
                    } else {
                        0.0
                    };
                    let hi = if sd.low > 0.0 {
                        ma.high / sd.low
                    } else {
                        f64::INFINITY
                    };
                    rec.dz = Some(Range::new(sign * lo, sign * hi));
                }
            }
            if let (Some(se), Some(sd), true) = (imp.se, imp.sd, c.ci.is_some() && c.sd.is_none()) {
                ck.pass(Passed::IntervalImpliesSeSd {
                    se,
                    sd,
                    df: match n {
                        SampleSize::One(n) => n - 1,
                        SampleSize::Two(a, b) => a + b - 2,
                    },
                });
            }
            if let Some(rp) = &c.p {
                match imp.p {
                    Some(pr) => {
                        if rp.admits_range(pr.low, pr.high, c.alpha) {
                            ck.pass(Passed::PAgrees {
                                recomputed: pr,
                                reported: rp.clone(),
                            });
                        } else {
                            let decision_error = match rp.significant(c.alpha) {
                                Some(true) => pr.low >= c.alpha,
                                Some(false) => pr.high < c.alpha,
                                None => false,
                            };
                            ck.fail(Failed::PDisagrees {
                                recomputed: pr,
                                reported: rp.clone(),
                                decision_error_at: decision_error.then_some(c.alpha),
                            });
                        }
                    }
                    None => {
                        if let (Some(sd), false) = (imp.sd, two_sample) {
                            ck.pass(Passed::PHoldsIfSd {
                                reported: rp.clone(),
                                n: n.total(),
                                sd,
                            });
                        }
                    }
                }
            }
            if c.statistic.is_some() {
                let df = match n {
                    SampleSize::One(n) => (n - 1) as f64,
                    SampleSize::Two(a, b) => (a + b - 2) as f64,
                };
                check_statistic(c, imp.t, Some(df), ck, rec);
            }
            if let SampleSize::One(n) = n {
                check_granularity(c, m, n, ck);
            }
        }
        None => {
            if two_sample {
                ck.cannot(Unchecked::GroupSizesNotReported);
                return;
            }
            if c.statistic.is_some() {
                check_statistic(c, None, None, ck, rec);
            }
            let Some(m) = m else {
                return;
            };
            if c.ci.is_none() && c.sd.is_none() && c.p.is_none() {
                return;
            }
            let mut holds_at = Vec::new();
            for n in 3..=100usize {
                let Some(imp) = mean_implied(c, SampleSize::One(n), Some(m), None) else {
                    continue;
                };
                let mut holds = true;
                if let (Some(rp), Some(pr)) = (&c.p, imp.p) {
                    holds = rp.admits_range(pr.low, pr.high, c.alpha);
                }
                if c.ci.is_some() && c.sd.is_some() {
                    // Interval and SD must agree at this n.
                    let mut tmp = Checks::default();
                    mean_implied(c, SampleSize::One(n), Some(m), Some(&mut tmp));
                    holds &= !tmp.has_failed();
                }
                if holds {
                    holds_at.push(n);
                }
                by_n.push(AtN {
                    n,
                    holds,
                    sd: imp.sd,
                    p: imp.p,
                    k: Vec::new(),
                });
            }
            if holds_at.is_empty() {
                ck.fail(Failed::NoSampleSizeFits);
            } else {
                let (a, b) = (holds_at[0], *holds_at.last().unwrap());
                rec.n_range = Some((a, b));
                let sd_at = |n: usize| {
                    by_n.iter()
                        .find(|x| x.n == n)
                        .and_then(|x| x.sd)
                        .map(|s| (n, s))
                };
                let sd_at: Vec<(usize, Range)> = [a, 6, 12, 30, 100]
                    .into_iter()
                    .filter(|&k| k >= a && k <= b)
                    .collect::<std::collections::BTreeSet<_>>()
                    .into_iter()
                    .filter_map(sd_at)
                    .collect();
                ck.pass(Passed::SampleSizesFit {
                    first: a,
                    last: b,
                    gaps: holds_at.len() != b - a + 1,
                    sd_at,
                });
            }
        }
    }
}
