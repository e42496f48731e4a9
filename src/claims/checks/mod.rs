//! Checking published claims: what the reported figures imply, whether they hang together,
//! and whether a data set reproduces them.
//!
//! Every reported number stands for an interval of true values (its rounding); every figure
//! recomputed here is therefore a range, obtained by evaluating monotone formulas at the
//! ends of those intervals.

mod effect_size;
mod granularity;
mod mean;
mod rate;
mod statcheck;

pub(crate) use super::compare::DataComparison;
use super::cross::cross_check;
pub(crate) use super::estimand::is_rate_estimand;
pub(crate) use super::reported::ReportedP;
pub(crate) use super::rounding::Range;
pub(crate) use super::schema::{Claim, SampleSize};
pub(crate) use super::verdict::Verdict;
pub(crate) use crate::stats::distributions::{t_quantile, t_sf};
pub(crate) use crate::stats::granularity::StatKind;
pub(crate) use crate::stats::proportion;
use effect_size::check_dz;
use granularity::check_sd;
use mean::check_mean;
use rate::check_rate;
use serde::Serialize;
use statcheck::check_statistic;

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

pub(crate) fn fmt(x: f64) -> String {
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

pub(crate) fn pct(x: f64) -> String {
    format!("{}%", fmt(100.0 * x))
}

pub(crate) fn fmt_range(r: &Range) -> String {
    if (r.high - r.low).abs() <= 1e-12 * r.high.abs().max(1e-300) {
        fmt(r.low)
    } else {
        format!("{} to {}", fmt(r.low), fmt(r.high))
    }
}

pub(crate) fn fmt_p_range(r: &Range) -> String {
    if r.high < 1e-4 {
        format!("below {}", fmt(r.high))
    } else {
        fmt_range(r)
    }
}

pub(crate) struct Checks {
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
pub(crate) fn estimate_bounds(c: &Claim) -> Option<Range> {
    let e = c.estimate.as_ref()?;
    let (a, b) = e.bounds();
    let scale = if is_rate_estimand(&c.estimand) && (e.percent || e.value > 1.0) {
        0.01
    } else {
        1.0
    };
    Some(Range::new(a * scale, b * scale))
}

pub(crate) fn qt(conf_level: f64, df: f64) -> f64 {
    t_quantile(1.0 - (1.0 - conf_level) / 2.0, df)
}

pub(crate) fn two_sided_p_range(t_abs: &Range, df: f64) -> Range {
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

pub(crate) fn verdict_of(c: &ClaimCheck) -> Verdict {
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

pub(crate) fn what_is_given(c: &Claim) -> String {
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
