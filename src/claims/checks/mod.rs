//! The checks on one claim: what its reported figures imply, and whether they agree.
//!
//! Every reported number stands for an interval of true values (its rounding); every figure
//! recomputed here is therefore a [`Range`], obtained by evaluating monotone formulas at the
//! ends of those intervals. One file per family of checks: `mean` (t intervals, p, unknown
//! n), `granularity` (GRIM, GRIMMER, DEBIT, CLOSURE, bounded scales), `statcheck`,
//! `rate` (k of n), `effect_size` (dz). Each records typed findings
//! ([`super::finding`]); none writes a sentence.

mod effect_size;
mod granularity;
mod mean;
mod rate;
mod statcheck;

use super::compare::DataComparison;
use super::cross::cross_check;
use super::estimand::is_rate_estimand;
use super::finding::{Failed, Figure, Passed, Unchecked};
use super::rounding::Range;
use super::schema::Claim;
use super::verdict::{Problem, Verdict};
use crate::stats::distributions::{t_quantile, t_sf};
use serde::Serialize;

/// What the reported figures imply (each a range over the reported rounding).
#[derive(Debug, Clone, Default, PartialEq)]
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
#[derive(Debug, Clone, PartialEq)]
pub struct ClaimCheck {
    pub claim: Claim,
    pub verdict: Verdict,
    /// Failed checks, and why checks could not be made, in the order found.
    pub problems: Vec<Problem>,
    /// Checks that held.
    pub passed: Vec<Passed>,
    pub recomputed: Recomputed,
    /// For claims without n: what follows at each n from 3 to 100.
    pub by_n: Vec<AtN>,
    pub data: Option<DataComparison>,
}

impl ClaimCheck {
    /// The verdict of the claim's own checks (before any comparison with data).
    fn own_verdict(&self) -> Verdict {
        Verdict::of_checks(self.passed.len(), &self.problems)
    }
}

/// The findings of the checks on one claim, in the order they were made.
#[derive(Default)]
pub(crate) struct Checks {
    problems: Vec<Problem>,
    passed: Vec<Passed>,
}

impl Checks {
    fn pass(&mut self, p: Passed) {
        self.passed.push(p);
    }
    fn fail(&mut self, f: Failed) {
        self.problems.push(Problem::Failed(f));
    }
    fn cannot(&mut self, u: Unchecked) {
        self.problems.push(Problem::Unchecked(u));
    }
    fn has_failed(&self) -> bool {
        !self.problems.is_empty()
    }
    fn extend(&mut self, other: Checks) {
        self.problems.extend(other.problems);
        self.passed.extend(other.passed);
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

/// The two-sided t quantile of a confidence level.
pub(crate) fn qt(conf_level: f64, df: f64) -> f64 {
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
        c.verdict = c.own_verdict();
    }
    out
}

/// Check one claim on its own.
pub fn check_claim(c: &Claim) -> ClaimCheck {
    let mut ck = Checks::default();
    let mut rec = Recomputed::default();
    let mut by_n = Vec::new();
    let est = c.estimand.as_str();
    let one_sample_mean = matches!(est, "mean_change" | "mean_pct_change" | "mean");
    let two_sample_mean = matches!(est, "mean_change_diff" | "mean_pct_change_diff");
    if one_sample_mean || two_sample_mean {
        mean::check_mean(c, two_sample_mean, &mut ck, &mut rec, &mut by_n);
    } else if is_rate_estimand(est) {
        rate::check_rate(c, &mut ck, &mut rec, &mut by_n);
    } else if est == "cohen_dz" {
        effect_size::check_dz(c, &mut ck, &mut rec);
    } else if est == "sd" {
        granularity::check_sd(c, &mut ck);
    } else {
        ck.cannot(Unchecked::NotRecomputed {
            estimand: est.to_string(),
        });
    }
    if c.statistic.is_some() && !(one_sample_mean || two_sample_mean || est == "cohen_dz") {
        statcheck::check_statistic(c, None, None, &mut ck, &mut rec);
    }
    if ck.passed.is_empty() && ck.problems.is_empty() {
        ck.cannot(Unchecked::NothingToRecomputeFrom {
            given: figures_given(c),
        });
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
    out.verdict = out.own_verdict();
    out
}

fn figures_given(c: &Claim) -> Vec<Figure> {
    [
        (c.estimate.is_some(), Figure::Estimate),
        (c.n.is_some(), Figure::N),
        (c.ci.is_some(), Figure::Interval),
        (c.sd.is_some(), Figure::Sd),
        (c.p.is_some(), Figure::P),
        (c.k.is_some(), Figure::K),
    ]
    .into_iter()
    .filter_map(|(given, what)| given.then_some(what))
    .collect()
}
