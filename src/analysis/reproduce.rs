//! Checking published claims: what the reported figures imply, whether they hang together,
//! and whether a data set reproduces them.
//!
//! Every reported number stands for an interval of true values (its rounding); every figure
//! recomputed here is therefore a range, obtained by evaluating monotone formulas at the
//! ends of those intervals.

use super::{Analysis, Direction};
use crate::data::claims::{is_rate_estimand, Claim, ReportedP, SampleSize};
use crate::stats::distributions::{t_quantile, t_sf};
use crate::stats::granularity::{self, StatKind};
use crate::stats::proportion;
use serde::Serialize;

/// The verdict on one claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Consistent,
    Inconsistent,
    CannotCheck,
}

impl Verdict {
    pub fn as_str(&self) -> &'static str {
        match self {
            Verdict::Consistent => "consistent",
            Verdict::Inconsistent => "inconsistent",
            Verdict::CannotCheck => "cannot_check",
        }
    }
}

/// A closed range of values a recomputed figure can take, given the reported rounding.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Range {
    pub low: f64,
    pub high: f64,
}

impl Range {
    fn new(a: f64, b: f64) -> Range {
        Range {
            low: a.min(b),
            high: a.max(b),
        }
    }
    fn intersect(&self, o: &Range) -> Option<Range> {
        let (a, b) = (self.low.max(o.low), self.high.min(o.high));
        (a <= b * (1.0 + 1e-12) + 1e-12).then_some(Range {
            low: a,
            high: b.max(a),
        })
    }
    fn contains_zero(&self) -> bool {
        self.low <= 0.0 && self.high >= 0.0
    }
    /// The range of |x|.
    fn abs(&self) -> Range {
        if self.contains_zero() {
            Range::new(0.0, self.low.abs().max(self.high.abs()))
        } else {
            Range::new(self.low.abs(), self.high.abs())
        }
    }
}

/// What the reported figures imply (each a range over the reported rounding).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Recomputed {
    /// The estimate the other figures imply (interval midpoint; k/n for rates).
    pub estimate: Option<Range>,
    /// An interval recomputed from the figures (the exact interval of k of n).
    pub ci: Option<(f64, f64)>,
    pub se: Option<Range>,
    pub sd: Option<Range>,
    pub statistic: Option<Range>,
    pub p: Option<Range>,
    pub dz: Option<Range>,
    /// Sample sizes under which the claim holds (unknown n).
    pub n_range: Option<(usize, usize)>,
}

/// What a claim implies at one sample size (claims whose n is not reported).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AtN {
    pub n: usize,
    pub holds: bool,
    pub sd: Option<Range>,
    pub p: Option<Range>,
    /// Rates: the counts k with k/n rounding to the reported share.
    pub k: Vec<usize>,
}

/// The claim set beside the analysis of a data file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DataComparison {
    pub method: Option<String>,
    pub estimate: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    pub p: Option<f64>,
    pub n: Option<usize>,
    pub verdict: Verdict,
    pub reasons: Vec<String>,
}

/// The outcome of checking one claim.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClaimCheck {
    #[serde(skip)]
    pub claim: Claim,
    pub verdict: Verdict,
    /// Failed checks (inconsistent), or why nothing could be checked.
    pub problems: Vec<String>,
    /// Checks that passed.
    pub passed: Vec<String>,
    pub recomputed: Recomputed,
    /// For claims without n: what follows at each n from 3 to 100.
    pub by_n: Vec<AtN>,
    pub data: Option<DataComparison>,
}

impl ClaimCheck {
    /// One line: the problems of an inconsistent claim, else what was checked.
    pub fn reason(&self) -> String {
        let mut parts: Vec<String> = match self.verdict {
            Verdict::Inconsistent | Verdict::CannotCheck => self.problems.clone(),
            Verdict::Consistent => self.passed.clone(),
        };
        if let Some(d) = &self.data {
            if d.verdict == Verdict::Inconsistent || self.verdict != Verdict::Inconsistent {
                parts.extend(d.reasons.iter().map(|r| format!("data: {r}")));
            }
        }
        parts.join("; ")
    }
}

fn fmt(x: f64) -> String {
    if x == 0.0 {
        return "0".into();
    }
    let a = x.abs();
    if !(1e-4..1e6).contains(&a) {
        return format!("{x:.2e}");
    }
    let digits = (3 - a.log10().floor() as i32).clamp(0, 6) as usize;
    let s = format!("{x:.digits$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

fn pct(x: f64) -> String {
    format!("{}%", fmt(100.0 * x))
}

fn fmt_range(r: &Range) -> String {
    if (r.high - r.low).abs() <= 1e-12 * r.high.abs().max(1e-300) {
        fmt(r.low)
    } else {
        format!("{} to {}", fmt(r.low), fmt(r.high))
    }
}

fn fmt_p_range(r: &Range) -> String {
    if r.high < 1e-4 {
        format!("below {}", fmt(r.high))
    } else {
        fmt_range(r)
    }
}

struct Checks {
    problems: Vec<String>,
    passed: Vec<String>,
}

impl Checks {
    fn pass(&mut self, s: String) {
        self.passed.push(s);
    }
    fn fail(&mut self, s: String) {
        self.problems.push(s);
    }
}

/// Estimate bounds on the results table's scale (rates as shares 0–1).
fn estimate_bounds(c: &Claim) -> Option<Range> {
    let e = c.estimate.as_ref()?;
    let (a, b) = e.bounds();
    let scale = if is_rate_estimand(&c.estimand) && (e.percent || e.value > 1.0) {
        0.01
    } else {
        1.0
    };
    Some(Range::new(a * scale, b * scale))
}

fn qt(conf_level: f64, df: f64) -> f64 {
    t_quantile(1.0 - (1.0 - conf_level) / 2.0, df)
}

fn two_sided_p_range(t_abs: &Range, df: f64) -> Range {
    Range::new(2.0 * t_sf(t_abs.high, df), 2.0 * t_sf(t_abs.low, df))
}

/// Check every claim on its own, then across claims.
pub fn check_claims(claims: &[Claim]) -> Vec<ClaimCheck> {
    let mut out: Vec<ClaimCheck> = claims.iter().map(check_claim).collect();
    cross_check(&mut out);
    for c in &mut out {
        c.verdict = verdict_of(c);
    }
    out
}

fn verdict_of(c: &ClaimCheck) -> Verdict {
    if !c.problems.is_empty() && !c.problems.iter().all(|p| p.starts_with("cannot check")) {
        Verdict::Inconsistent
    } else if !c.passed.is_empty() {
        Verdict::Consistent
    } else {
        Verdict::CannotCheck
    }
}

/// Check one claim on its own.
pub fn check_claim(c: &Claim) -> ClaimCheck {
    let mut ck = Checks {
        problems: Vec::new(),
        passed: Vec::new(),
    };
    let mut rec = Recomputed::default();
    let mut by_n = Vec::new();
    let est = c.estimand.as_str();
    let one_sample_mean = matches!(est, "mean_change" | "mean_pct_change" | "mean");
    let two_sample_mean = matches!(est, "mean_change_diff" | "mean_pct_change_diff");
    if one_sample_mean || two_sample_mean {
        check_mean(c, two_sample_mean, &mut ck, &mut rec, &mut by_n);
    } else if is_rate_estimand(est) {
        check_rate(c, &mut ck, &mut rec, &mut by_n);
    } else if est == "cohen_dz" {
        check_dz(c, &mut ck, &mut rec);
    } else if est == "sd" {
        check_sd(c, &mut ck);
    } else {
        ck.fail(format!(
            "cannot check: trialstat does not recompute {est} from summary figures (it is compared with the data under --data)"
        ));
    }
    if c.statistic.is_some() && !(one_sample_mean || two_sample_mean || est == "cohen_dz") {
        check_statistic(c, None, None, &mut ck, &mut rec);
    }
    if ck.passed.is_empty() && ck.problems.is_empty() {
        ck.fail(format!(
            "cannot check: {} — nothing to recompute from",
            what_is_given(c)
        ));
    }
    let mut out = ClaimCheck {
        claim: c.clone(),
        verdict: Verdict::CannotCheck,
        problems: ck.problems,
        passed: ck.passed,
        recomputed: rec,
        by_n,
        data: None,
    };
    out.verdict = verdict_of(&out);
    out
}

fn what_is_given(c: &Claim) -> String {
    let g: Vec<&str> = [
        (c.estimate.is_some(), "an estimate"),
        (c.n.is_some(), "n"),
        (c.ci.is_some(), "an interval"),
        (c.sd.is_some(), "an SD"),
        (c.p.is_some(), "a p-value"),
        (c.k.is_some(), "k"),
    ]
    .into_iter()
    .filter_map(|(given, what)| given.then_some(what))
    .collect();
    if g.is_empty() {
        "no figures are reported".into()
    } else {
        format!("only {} reported", g.join(", "))
    }
}

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

fn check_mean(
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

fn describe_sd_range(sd: &Range) -> String {
    if sd.low <= 0.0 && sd.high.is_finite() {
        format!("at most {}", fmt(sd.high))
    } else if !sd.high.is_finite() {
        format!("at least {}", fmt(sd.low))
    } else {
        fmt_range(sd)
    }
}

/// GRIM / GRIMMER / DEBIT / bounds for means of granular values.
fn check_granularity(c: &Claim, m: Option<Range>, n: usize, ck: &mut Checks) {
    let Some(scale) = c.scale else { return };
    let Some(m) = m else { return };
    let est = c.estimand.as_str();
    let granular = matches!(est, "mean" | "mean_change");
    let half = c.estimate.as_ref().map(|e| e.half_unit()).unwrap_or(0.0);
    if let (Some(step), true) = (scale.step, granular) {
        let offset = if est == "mean" {
            scale.min.unwrap_or(0.0)
        } else {
            0.0
        };
        // Values are offset + j × step: test the mean of the j's.
        let g = granularity::grim(m.low - offset, m.high - offset, half, n, step);
        if !g.testable {
            // Every mean is possible: nothing to say.
        } else if g.consistent {
            ck.pass(format!(
                "GRIM: a mean of {} is possible for {n} values in steps of {step}",
                c.estimate.as_ref().unwrap()
            ));
        } else {
            ck.fail(format!(
                "GRIM: no {n} values in steps of {step} have a mean that rounds to {}",
                c.estimate.as_ref().unwrap()
            ));
        }
        if let Some(sd) = &c.sd {
            let (s0, s1) = sd.bounds();
            let binary =
                est == "mean" && scale.min == Some(0.0) && scale.max == Some(1.0) && step == 1.0;
            if binary {
                let d = granularity::debit(m.low, m.high, s0, s1, n);
                if d.consistent {
                    ck.pass(format!(
                        "DEBIT: binary data with this mean have SD {}–{}, reported {}",
                        fmt(d.sd_min),
                        fmt(d.sd_max),
                        sd
                    ));
                } else {
                    ck.fail(format!(
                        "DEBIT: binary data with mean {} and n = {n} have SD {}–{}, but {} is reported",
                        c.estimate.as_ref().unwrap(),
                        fmt(d.sd_min),
                        fmt(d.sd_max),
                        sd
                    ));
                }
            } else {
                let gm =
                    granularity::grimmer(m.low - offset, m.high - offset, half, s0, s1, n, step);
                if !gm.consistent && gm.reason == Some("sum of squares") {
                    ck.fail(format!(
                        "GRIMMER: no {n} values in steps of {step} with a mean of {} have an SD that rounds to {}",
                        c.estimate.as_ref().unwrap(),
                        sd
                    ));
                } else if gm.consistent {
                    ck.pass("GRIMMER: the SD is possible for this mean and n".into());
                }
                if let (Some(lo), Some(hi), true) = (scale.min, scale.max, est == "mean") {
                    closure_check(c, m, half, s0, s1, n, lo, hi, step, ck);
                }
            }
        }
    }
    if let (Some(lo), Some(hi), Some(sd), true) = (scale.min, scale.max, &c.sd, est == "mean") {
        // The admissible mean nearest the scale's centre allows the largest SD.
        let best = ((lo + hi) / 2.0).clamp(m.low, m.high);
        let max_sd = granularity::max_sd_bounded(best, lo, hi, n);
        if sd.bounds().0 > max_sd * (1.0 + 1e-9) {
            ck.fail(format!(
                "values between {lo} and {hi} with mean {} cannot have an SD above {}; reported {}",
                c.estimate.as_ref().unwrap(),
                fmt(max_sd),
                sd
            ));
        }
    }
}

/// CLOSURE (closure-core): all samples of n values on an integer scale with the reported mean
/// and SD; none means the pair is impossible. Only run where the search is small.
#[allow(clippy::too_many_arguments)]
fn closure_check(
    c: &Claim,
    m: Range,
    m_half: f64,
    s0: f64,
    s1: f64,
    n: usize,
    lo: f64,
    hi: f64,
    step: f64,
    ck: &mut Checks,
) {
    let levels = ((hi - lo) / step).round();
    if !(2..=16).contains(&n) || levels > 10.0 || ((hi - lo) / step - levels).abs() > 1e-9 {
        return;
    }
    let mean_units = ((m.low + m.high) / 2.0 - lo) / step;
    let sd_units = ((s0 + s1) / 2.0) / step;
    let samples = closure_core::dfs_parallel::<f64, i32>(
        mean_units,
        sd_units,
        n as i32,
        0,
        levels as i32,
        m_half / step + 1e-9,
        (s1 - s0) / 2.0 / step + 1e-9,
    );
    if samples.is_empty() {
        ck.fail(format!(
            "CLOSURE: no sample of {n} values on the scale {lo}–{hi} (step {step}) has mean {} and SD {}",
            c.estimate.as_ref().unwrap(),
            c.sd.as_ref().unwrap()
        ));
    } else {
        ck.pass(format!(
            "CLOSURE: {} distinct samples of {n} values on the scale have this mean and SD",
            samples.len()
        ));
    }
}

/// statcheck: p recomputed from the reported statistic and df.
fn check_statistic(
    c: &Claim,
    t_from_figures: Option<Range>,
    df_expected: Option<f64>,
    ck: &mut Checks,
    rec: &mut Recomputed,
) {
    let Some(st) = &c.statistic else { return };
    let name = st.name.to_ascii_lowercase();
    let df = st.df.unwrap_or(f64::NAN);
    let kind = match name.as_str() {
        "t" => StatKind::T { df },
        "z" => StatKind::Z,
        "f" => StatKind::F {
            df1: df,
            df2: st.df2.unwrap_or(f64::NAN),
        },
        "chi2" => StatKind::Chi2 { df },
        _ => StatKind::R { df },
    };
    let (s0, s1) = st.value.bounds();
    let Some((p_lo, p_hi)) = granularity::p_range_from_statistic(kind, s0, s1) else {
        ck.fail(format!(
            "cannot check: the {} statistic {} is out of range",
            st.name, st.value
        ));
        return;
    };
    let pr = Range::new(p_lo, p_hi);
    if rec.p.is_none() {
        rec.p = Some(pr);
    }
    if let (Some(rp), true) = (&c.p, true) {
        if rp.admits_range(pr.low, pr.high, c.alpha) {
            ck.pass(format!(
                "statcheck: {}({}) = {} gives p {}, as reported ({})",
                st.name,
                fmt(df),
                st.value,
                fmt_p_range(&pr),
                rp.describe()
            ));
        } else {
            let one_sided = Range::new(pr.low / 2.0, pr.high / 2.0);
            let one_ok = matches!(kind, StatKind::T { .. } | StatKind::Z)
                && rp.admits_range(one_sided.low, one_sided.high, c.alpha);
            if one_ok {
                ck.pass(format!(
                    "statcheck: {}({}) = {} gives two-sided p {}; the reported {} is the one-sided p",
                    st.name,
                    fmt(df),
                    st.value,
                    fmt_p_range(&pr),
                    rp.describe()
                ));
            } else {
                let decision = match rp.significant(c.alpha) {
                    Some(true) if pr.low >= c.alpha => {
                        " — a decision error: reported significant, recomputed not"
                    }
                    Some(false) if pr.high < c.alpha => {
                        " — a decision error: reported not significant, recomputed significant"
                    }
                    _ => "",
                };
                ck.fail(format!(
                    "statcheck: {}({}) = {} gives p {}, but {} is reported{decision}",
                    st.name,
                    fmt(df),
                    st.value,
                    fmt_p_range(&pr),
                    rp.describe()
                ));
            }
        }
    }
    if let (Some(expected), "t", Some(d)) = (df_expected, name.as_str(), st.df) {
        if (expected - d).abs() > 1e-9 {
            ck.fail(format!(
                "the t statistic has df = {} but n implies {} (Student df; a Welch df would be fractional)",
                fmt(d),
                fmt(expected)
            ));
        }
    }
    if let (Some(tf), "t") = (t_from_figures, name.as_str()) {
        let rep = Range::new(s0.abs().min(s1.abs()), s0.abs().max(s1.abs()));
        if tf.intersect(&rep).is_some() {
            ck.pass(format!(
                "the estimate and interval give |t| {}, reported {}",
                fmt_range(&tf),
                st.value
            ));
        } else {
            ck.fail(format!(
                "the estimate and interval give |t| {}, but t = {} is reported",
                fmt_range(&tf),
                st.value
            ));
        }
    }
}

fn check_rate(c: &Claim, ck: &mut Checks, rec: &mut Recomputed, by_n: &mut Vec<AtN>) {
    let e = estimate_bounds(c);
    match (c.k, c.n) {
        (Some(k), Some(SampleSize::One(n))) => {
            let share = k as f64 / n as f64;
            rec.estimate = Some(Range::new(share, share));
            if let Some(e) = e {
                if e.intersect(&Range::new(share, share)).is_some() {
                    ck.pass(format!(
                        "{k}/{n} = {} rounds to the reported {}",
                        pct(share),
                        c.estimate.as_ref().unwrap()
                    ));
                } else {
                    ck.fail(format!(
                        "{k}/{n} = {} does not round to the reported {}",
                        pct(share),
                        c.estimate.as_ref().unwrap()
                    ));
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
                        ck.pass(format!(
                            "{k}/{n}: the exact (Clopper–Pearson) interval {}–{} rounds to the reported one",
                            fmt(lo),
                            fmt(hi)
                        ));
                    } else if let Some((wl, wh)) = proportion::wilson(k, n, c.conf_level) {
                        if rl.matches(wl * scale) && rh.matches(wh * scale) {
                            ck.pass(format!(
                                "{k}/{n}: the reported interval is Wilson's score interval ({}–{}), not the exact one ({}–{})",
                                fmt(wl), fmt(wh), fmt(lo), fmt(hi)
                            ));
                        } else {
                            ck.fail(format!(
                                "{k}/{n}: the exact interval is {}–{} (Wilson {}–{}), but [{rl}, {rh}] is reported",
                                fmt(lo), fmt(hi), fmt(wl), fmt(wh)
                            ));
                        }
                    }
                }
                None => ck.pass(format!(
                    "{k}/{n} = {}: exact (Clopper–Pearson) {}% interval {} to {}",
                    pct(share),
                    fmt(c.conf_level * 100.0),
                    pct(lo),
                    pct(hi)
                )),
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
                    ck.fail(format!(
                        "GRIM: no k of n = {n} gives a share that rounds to {}",
                        c.estimate.as_ref().unwrap()
                    ));
                } else {
                    ck.pass(format!(
                        "GRIM: {} of {n} round to {}",
                        ks.iter()
                            .map(|k| k.to_string())
                            .collect::<Vec<_>>()
                            .join(" or "),
                        c.estimate.as_ref().unwrap()
                    ));
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
                ck.fail(format!(
                    "no k of n ≤ 100 gives a share that rounds to {}",
                    c.estimate.as_ref().unwrap()
                ));
            } else {
                rec.n_range = Some((ns[0], *ns.last().unwrap()));
                let shown: Vec<String> = ns.iter().take(8).map(|n| n.to_string()).collect();
                ck.pass(format!(
                    "n is not reported: {} of n ≤ 100 give the reported share (n = {}{})",
                    ns.len(),
                    shown.join(", "),
                    if ns.len() > 8 { ", …" } else { "" }
                ));
            }
        }
        (_, Some(SampleSize::Two(..))) => {
            ck.fail("cannot check: a rate within one arm has one n".into());
        }
    }
}

fn check_dz(c: &Claim, ck: &mut Checks, rec: &mut Recomputed) {
    let (Some(e), Some(SampleSize::One(n))) = (estimate_bounds(c), c.n) else {
        return;
    };
    if n < 2 {
        return;
    }
    let sq = (n as f64).sqrt();
    let t = Range::new(e.low * sq, e.high * sq);
    rec.statistic = Some(t);
    let pr = two_sided_p_range(&t.abs(), (n - 1) as f64);
    rec.p = Some(pr);
    if let Some(rp) = &c.p {
        if rp.admits_range(pr.low, pr.high, c.alpha) {
            ck.pass(format!(
                "dz × √n gives p {}, as reported ({})",
                fmt_p_range(&pr),
                rp.describe()
            ));
        } else {
            ck.fail(format!(
                "dz × √n gives p {}, but {} is reported",
                fmt_p_range(&pr),
                rp.describe()
            ));
        }
    }
    check_statistic(c, Some(t.abs()), Some((n - 1) as f64), ck, rec);
}

fn check_sd(c: &Claim, ck: &mut Checks) {
    let (Some(e), Some(SampleSize::One(n)), Some(scale)) = (&c.estimate, c.n, c.scale) else {
        return;
    };
    if let (Some(lo), Some(hi)) = (scale.min, scale.max) {
        let max_sd = granularity::max_sd_bounded((lo + hi) / 2.0, lo, hi, n);
        if e.bounds().0 > max_sd * (1.0 + 1e-9) {
            ck.fail(format!(
                "{n} values between {lo} and {hi} cannot have an SD above {}; reported {e}",
                fmt(max_sd)
            ));
        } else {
            ck.pass(format!(
                "the SD is below the most {n} values between {lo} and {hi} allow ({})",
                fmt(max_sd)
            ));
        }
    }
}

/// Where a rate claim puts its patients on the percent-change scale: responders have a percent
/// change ≤ `threshold` (`low_side`) or ≥ it.
fn rate_threshold(rate: &Claim) -> Option<(f64, bool)> {
    if rate.estimand == "clearance_rate" {
        return Some((-100.0, true));
    }
    let p: f64 = rate
        .estimand
        .strip_prefix("responder")?
        .strip_suffix("_rate")?
        .parse()
        .ok()?;
    if rate.higher_is_better {
        Some((p, false))
    } else {
        Some((-p, true))
    }
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

fn cross_check(checks: &mut [ClaimCheck]) {
    let len = checks.len();
    let mut conflicts: Vec<(usize, String)> = Vec::new();
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
                let what = if b.estimand == "clearance_rate" {
                    format!("{k} of {n} cleared (a 100% reduction)")
                } else if low {
                    format!("{k} of {n} with a change ≤ {}%", fmt(c))
                } else {
                    format!("{k} of {n} with a change ≥ {}%", fmt(c))
                };
                let Some(sd_max) = checks[i].recomputed.sd.map(|s| s.high) else {
                    continue;
                };
                match min_sd_with_split(m, c, k, n, low) {
                    None => {
                        let msg = format!(
                            "conflicts with claim {:?}: {what} cannot give a mean percent change of {}",
                            b.id,
                            a.estimate.as_ref().unwrap()
                        );
                        conflicts.push((i, msg));
                        conflicts.push((j, format!(
                            "conflicts with claim {:?}: {what} cannot give its mean percent change of {}",
                            a.id,
                            a.estimate.as_ref().unwrap()
                        )));
                    }
                    Some(sd_min) if sd_min > sd_max * (1.0 + 1e-9) => {
                        let q = qt(a.conf_level, (n - 1) as f64);
                        let hw_min = q * sd_min / (n as f64).sqrt();
                        let hw_rep = a.ci.as_ref().map(|(l, h)| (h.value - l.value) / 2.0);
                        let ci_part = match hw_rep {
                            Some(h) => format!(
                                "; its {}% interval would be at least ±{} wide, reported ±{}",
                                fmt(a.conf_level * 100.0),
                                fmt(hw_min),
                                fmt(h)
                            ),
                            None => String::new(),
                        };
                        conflicts.push((i, format!(
                            "conflicts with claim {:?}: {what} force an SD of percent change of at least {}, but this claim allows at most {}{ci_part}",
                            b.id, fmt(sd_min), fmt(sd_max)
                        )));
                        conflicts.push((j, format!(
                            "conflicts with claim {:?}: {what} force an SD of percent change of at least {}, but that claim allows at most {} (short by {})",
                            a.id, fmt(sd_min), fmt(sd_max), fmt(sd_min - sd_max)
                        )));
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
                    let msg = |other: &Claim| {
                        format!(
                        "conflicts with claim {:?}: {kh} of {na} meet {} but only {ke} meet the less demanding {}",
                        other.id, hc.estimand, ec.estimand
                    )
                    };
                    conflicts.push((harder, msg(ec)));
                    conflicts.push((easier, msg(hc)));
                }
            }
        }
    }
    for (i, msg) in conflicts {
        if !checks[i].problems.contains(&msg) {
            checks[i].problems.push(msg);
        }
    }
}

/// The default method of an estimand in the results table.
pub fn default_method(estimand: &str) -> Option<&'static str> {
    Some(match estimand {
        "mean_change" => "paired_t",
        "mean_pct_change" => "one_sample_t",
        "pseudo_median_change" => "wilcoxon_signed_rank",
        "cohen_dz" | "hedges_g_change" | "hedges_gz" => "noncentral_t",
        "mean_change_diff" | "mean_pct_change_diff" => "welch_t",
        "location_shift_change" => "mann_whitney",
        "clearance_diff" => "newcombe",
        "clearance_odds_ratio" => "fisher_exact",
        e if is_rate_estimand(e) => "clopper_pearson",
        e if e.starts_with("responder") && e.ends_with("_diff") => "newcombe",
        e if e.starts_with("responder") && e.ends_with("_odds_ratio") => "fisher_exact",
        _ => return None,
    })
}

/// Set every claim beside the analysis of a data set (one analysis per confidence level used).
pub fn compare_with_data(checks: &mut [ClaimCheck], analyses: &[(f64, Analysis)]) {
    for ck in checks.iter_mut() {
        let c = &ck.claim;
        let Some((_, analysis)) = analyses
            .iter()
            .find(|(l, _)| (l - c.conf_level).abs() < 1e-12)
        else {
            continue;
        };
        let cmp = compare_one(c, analysis);
        ck.data = Some(cmp);
        // The overall verdict: the data reproduce the claim (or not); an internal
        // inconsistency stays an inconsistency.
        let d = ck.data.as_ref().unwrap().verdict;
        ck.verdict = match (ck.verdict, d) {
            (Verdict::Inconsistent, _) | (_, Verdict::Inconsistent) => Verdict::Inconsistent,
            (_, Verdict::Consistent) => Verdict::Consistent,
            (v, Verdict::CannotCheck) => v,
        };
    }
}

fn compare_one(c: &Claim, a: &Analysis) -> DataComparison {
    let mut reasons = Vec::new();
    let mut out = DataComparison {
        method: None,
        estimate: None,
        ci_low: None,
        ci_high: None,
        p: None,
        n: None,
        verdict: Verdict::CannotCheck,
        reasons: Vec::new(),
    };
    let missing = |what: &str| -> DataComparison {
        DataComparison {
            method: None,
            estimate: None,
            ci_low: None,
            ci_high: None,
            p: None,
            n: None,
            verdict: Verdict::CannotCheck,
            reasons: vec![what.to_string()],
        }
    };
    if matches!(c.estimand.as_str(), "mean" | "sd") {
        let Some(cell) = a
            .cells
            .iter()
            .find(|x| x.endpoint == c.endpoint && x.arm == c.arm && x.visit == c.visit)
        else {
            return missing(&format!(
                "no {} / {} / {} in the data (follow-up visits: {})",
                c.endpoint,
                c.arm,
                c.visit,
                a.follow_up_visits.join(", ")
            ));
        };
        let value = if c.estimand == "mean" {
            cell.follow_up_mean
        } else {
            cell.follow_up_sd
        };
        out.estimate = value;
        out.n = Some(cell.n);
        out.method = Some("descriptive".into());
        if c.estimand == "mean" {
            if let (Some(sd), Some(v)) = (&c.sd, cell.follow_up_sd) {
                if !sd.matches(v) {
                    reasons.push(format!("SD {} does not round to the reported {sd}", fmt(v)));
                }
            }
        }
    } else {
        let method = c
            .method
            .clone()
            .or_else(|| default_method(&c.estimand).map(String::from));
        let Some(method) = method else {
            return missing(&format!(
                "no default method for {}: name one with method = …",
                c.estimand
            ));
        };
        let comparison = c.comparison();
        let Some(row) = a.find(
            &c.endpoint,
            &c.arm,
            &c.visit,
            &comparison,
            &c.estimand,
            &method,
        ) else {
            return missing(&format!(
                "the analysis has no row {} / {} / {} / {} / {} / {method}",
                c.endpoint, c.arm, c.visit, comparison, c.estimand
            ));
        };
        out.method = Some(method);
        out.estimate = row.result.estimate.as_ref().map(|e| e.value);
        out.ci_low = row.result.interval.as_ref().map(|i| i.lower);
        out.ci_high = row.result.interval.as_ref().map(|i| i.upper);
        out.p = row.result.p_value;
        out.n = Some(row.n);
        if let Some(rp) = &c.p {
            match row.result.p_value {
                Some(p) if rp.admits(p, c.alpha) => {}
                Some(p) => reasons.push(format!(
                    "p = {} does not agree with the reported {}",
                    fmt(p),
                    rp.describe()
                )),
                None => reasons.push("the analysis gives no p-value".into()),
            }
        }
        if let (Some(k), Some(est)) = (c.k, out.estimate) {
            let got = (est * row.n as f64).round() as usize;
            if got != k {
                reasons.push(format!("{got} of {} in the data, {k} reported", row.n));
            }
        }
        if let Some(sd) = &c.sd {
            if c.estimand == "mean_pct_change" || c.estimand == "mean_change" {
                let cell_sd = a
                    .patients
                    .iter()
                    .filter(|p| p.endpoint == c.endpoint && p.arm == c.arm && p.visit == c.visit)
                    .map(|p| {
                        if c.estimand == "mean_pct_change" {
                            p.pct_change
                        } else {
                            Some(p.change)
                        }
                    })
                    .collect::<Option<Vec<f64>>>()
                    .and_then(|v| crate::stats::descriptive::sd(&v));
                if let Some(s) = cell_sd {
                    if !sd.matches(s) {
                        reasons.push(format!("SD {} does not round to the reported {sd}", fmt(s)));
                    }
                }
            }
        }
        if let (Some((lo, hi)), Some(l), Some(h)) = (&c.ci, out.ci_low, out.ci_high) {
            let scale =
                if is_rate_estimand(&c.estimand) && (lo.percent || hi.percent || hi.value > 1.0) {
                    100.0
                } else {
                    1.0
                };
            if !lo.matches(l * scale) || !hi.matches(h * scale) {
                reasons.push(format!(
                    "interval {} to {} does not round to the reported [{lo}, {hi}]",
                    fmt(l * scale),
                    fmt(h * scale)
                ));
            }
        }
    }
    if let (Some(e), Some(v)) = (&c.estimate, out.estimate) {
        let scale = if is_rate_estimand(&c.estimand) && (e.percent || e.value > 1.0) {
            100.0
        } else {
            1.0
        };
        if !e.matches(v * scale) {
            reasons.push(format!(
                "estimate {} does not round to the reported {e}",
                fmt(v * scale)
            ));
        }
    }
    if let (Some(SampleSize::One(n)), Some(got)) = (c.n, out.n) {
        if n != got {
            reasons.push(format!("n = {got} in the data, {n} reported"));
        }
    }
    if let (Some(SampleSize::Two(x, y)), Some(got)) = (c.n, out.n) {
        if x + y != got {
            reasons.push(format!("n = {got} in the data, {} reported", x + y));
        }
    }
    out.verdict = if reasons.is_empty() {
        if out.estimate.is_some() {
            reasons.push(format!(
                "reproduced at the reported precision ({} = {}{}{})",
                out.method.as_deref().unwrap_or(""),
                out.estimate.map(fmt).unwrap_or_default(),
                match (out.ci_low, out.ci_high) {
                    (Some(l), Some(h)) => format!(", CI {} to {}", fmt(l), fmt(h)),
                    _ => String::new(),
                },
                out.p
                    .map(|p| format!(", p = {}", fmt(p)))
                    .unwrap_or_default()
            ));
            Verdict::Consistent
        } else {
            reasons.push("the analysis gives no estimate".into());
            Verdict::CannotCheck
        }
    } else {
        Verdict::Inconsistent
    };
    out.reasons = reasons;
    out
}

/// The analysis options a claim set asks for: responder thresholds 50, 75 and those the claims
/// name; the endpoints the claims call higher-is-better; the given baseline and clear value.
pub fn options_for_claims(
    claims: &[Claim],
    baseline: Option<String>,
    clear_value: f64,
) -> super::AnalysisOptions {
    let mut thresholds = vec![50.0, 75.0];
    thresholds.extend(responder_thresholds(claims));
    thresholds.sort_by(|a, b| a.total_cmp(b));
    thresholds.dedup();
    let mut higher: Vec<String> = claims
        .iter()
        .filter(|c| c.higher_is_better)
        .map(|c| c.endpoint.clone())
        .collect();
    higher.sort();
    higher.dedup();
    super::AnalysisOptions {
        baseline,
        higher_is_better: higher,
        responder_thresholds: thresholds,
        clear_value,
        ..super::AnalysisOptions::default()
    }
}

/// The analyses a claim set is compared with: one per confidence level the claims use.
pub fn analyses_for_claims(
    cohort: &crate::data::Cohort,
    claims: &[Claim],
    options: &super::AnalysisOptions,
) -> Result<Vec<(f64, Analysis)>, super::AnalysisError> {
    let mut levels: Vec<f64> = claims.iter().map(|c| c.conf_level).collect();
    levels.sort_by(|a, b| a.total_cmp(b));
    levels.dedup();
    levels
        .into_iter()
        .map(|level| {
            let options = super::AnalysisOptions {
                conf_level: level,
                ..options.clone()
            };
            super::analyze(cohort, &options).map(|a| (level, a))
        })
        .collect()
}

/// The responder thresholds named by rate claims (responder50_rate → 50).
pub fn responder_thresholds(claims: &[Claim]) -> Vec<f64> {
    let mut v: Vec<f64> = claims
        .iter()
        .filter_map(|c| {
            c.estimand
                .strip_prefix("responder")
                .and_then(|r| r.split('_').next())
                .and_then(|p| p.parse::<f64>().ok())
        })
        .collect();
    v.sort_by(|a, b| a.total_cmp(b));
    v.dedup();
    v
}

/// Direction of an endpoint as the claims give it.
pub fn direction_of(claims: &[Claim], endpoint: &str) -> Direction {
    if claims
        .iter()
        .any(|c| c.endpoint == endpoint && c.higher_is_better)
    {
        Direction::HigherIsBetter
    } else {
        Direction::LowerIsBetter
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
