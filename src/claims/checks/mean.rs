//! Means: what an interval, SD, p-value and n imply about each other (t intervals).

use super::granularity::check_granularity;
use super::*;

/// SD range implied at sample size(s) by the interval, the reported SD or the p-value.
pub(crate) struct MeanImplied {
    se: Option<Range>,
    sd: Option<Range>,
    p: Option<Range>,
    t: Option<Range>,
}

/// Figures implied by a mean claim at a given n (one-sample: n; two-sample: (na, nb)).
pub(crate) fn mean_implied(
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
    let mut local = Checks {
        problems: Vec::new(),
        passed: Vec::new(),
    };
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
                    local.pass(format!(
                        "the interval implies SD {}, the reported SD is {}",
                        fmt_range(&ci_sd),
                        r
                    ));
                    sd = Some(both);
                    se = Some(Range::new(both.low * se_per_sd, both.high * se_per_sd));
                }
                None => local.fail(format!(
                    "the interval implies SD {} but the reported SD is {}",
                    fmt_range(&ci_sd),
                    r
                )),
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
                    let (a, b) = (a.max(1e-300), b.min(1.0));
                    let t_hi = t_quantile(1.0 - a / 2.0, df);
                    let t_lo = t_quantile(1.0 - b / 2.0, df);
                    sd = Some(Range::new(
                        ma.low / (t_hi * se_per_sd),
                        sd_for_t(t_lo.max(1e-300)),
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
        ck.problems.extend(local.problems);
        ck.passed.extend(local.passed);
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
            ck.pass(format!(
                "the estimate {} lies at the interval's midpoint ({})",
                c.estimate.as_ref().unwrap(),
                fmt_range(&mid)
            ));
        } else {
            ck.fail(format!(
                "the estimate {} is not the midpoint of [{}, {}] (midpoint {}): a t interval is symmetric, so only an asymmetric method (log scale, bootstrap, Fieller) could give it",
                c.estimate.as_ref().unwrap(), lo, hi, fmt_range(&mid)
            ));
        }
    }
    match c.n {
        Some(n) => {
            if two_sample != matches!(n, SampleSize::Two(..)) {
                ck.fail("cannot check: the sample size does not fit the estimand".into());
                return;
            }
            let Some(imp) = mean_implied(c, n, m, Some(ck)) else {
                ck.fail(format!(
                    "cannot check: n = {} is too small for a t interval",
                    n.total()
                ));
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
                ck.pass(format!(
                    "the interval implies SE {} and SD {} (t quantile with {} df)",
                    fmt_range(&se),
                    fmt_range(&sd),
                    match n {
                        SampleSize::One(n) => n - 1,
                        SampleSize::Two(a, b) => a + b - 2,
                    }
                ));
            }
            if let Some(rp) = &c.p {
                match imp.p {
                    Some(pr) => {
                        if rp.admits_range(pr.low, pr.high, c.alpha) {
                            ck.pass(format!(
                                "recomputed p {} agrees with the reported {}",
                                fmt_p_range(&pr),
                                rp.describe()
                            ));
                        } else {
                            let decision = match rp.significant(c.alpha) {
                                Some(true) if pr.low >= c.alpha => {
                                    format!(" — a decision error at alpha = {}", c.alpha)
                                }
                                Some(false) if pr.high < c.alpha => {
                                    format!(" — a decision error at alpha = {}", c.alpha)
                                }
                                _ => String::new(),
                            };
                            ck.fail(format!(
                                "recomputed p is {} but {} is reported{decision}",
                                fmt_p_range(&pr),
                                rp.describe()
                            ));
                        }
                    }
                    None => {
                        if let (Some(sd), false) = (imp.sd, two_sample) {
                            ck.pass(format!(
                                "{} holds at n = {} if the SD is {}",
                                rp.describe(),
                                n.total(),
                                describe_sd_range(&sd)
                            ));
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
                ck.fail(
                    "cannot check: the group sizes n = [n_arm, n_control] are not reported".into(),
                );
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
                    let mut tmp = Checks {
                        problems: Vec::new(),
                        passed: Vec::new(),
                    };
                    mean_implied(c, SampleSize::One(n), Some(m), Some(&mut tmp));
                    holds &= tmp.problems.is_empty();
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
                ck.fail("no n from 3 to 100 makes the reported figures agree".into());
            } else {
                let (a, b) = (holds_at[0], *holds_at.last().unwrap());
                rec.n_range = Some((a, b));
                let sd_at = |n: usize| {
                    by_n.iter()
                        .find(|x| x.n == n)
                        .and_then(|x| x.sd)
                        .map(|s| format!("n = {n}: SD {}", describe_sd_range(&s)))
                };
                let examples: Vec<String> = [a, 6, 12, 30, 100]
                    .into_iter()
                    .filter(|&k| k >= a && k <= b)
                    .collect::<std::collections::BTreeSet<_>>()
                    .into_iter()
                    .filter_map(sd_at)
                    .collect();
                let gaps = holds_at.len() != b - a + 1;
                ck.pass(format!(
                    "n is not reported: the figures hold for n = {a}{}{b}{} ({})",
                    if a == b { "" } else { " to " },
                    if gaps { " (not every n between)" } else { "" },
                    examples.join("; ")
                ));
            }
        }
    }
}

pub(crate) fn describe_sd_range(sd: &Range) -> String {
    if sd.low <= 0.0 && sd.high.is_finite() {
        format!("at most {}", fmt(sd.high))
    } else if !sd.high.is_finite() {
        format!("at least {}", fmt(sd.low))
    } else {
        fmt_range(sd)
    }
}
