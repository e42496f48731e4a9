//! What a check found, as data: a check that held ([`Passed`]), one that failed ([`Failed`]),
//! or a reason nothing could be checked ([`Unchecked`]); and what the comparison with a data
//! file found ([`DataReason`]). Each variant carries the numbers its sentence needs, so the
//! verdict follows from the types and the English is written in `report::claims`, not here.
//!
//! Nothing here computes or formats; every number is at full precision.

use super::reported::{Reported, ReportedP};
use super::rounding::Range;

/// A check on a claim that held.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Passed {
    /// The SD implied by the interval at n overlaps the reported SD.
    IntervalSdAgrees { implied: Range, reported: Reported },
    /// The estimate lies at the midpoint of its (symmetric) interval.
    MidpointAgrees { estimate: Reported, midpoint: Range },
    /// The interval at n implies this SE and SD (t quantile with `df`).
    IntervalImpliesSeSd { se: Range, sd: Range, df: usize },
    /// The p recomputed from the figures agrees with the reported one.
    PAgrees {
        recomputed: Range,
        reported: ReportedP,
    },
    /// The reported p holds at n for SDs in this range.
    PHoldsIfSd {
        reported: ReportedP,
        n: usize,
        sd: Range,
    },
    /// n is not reported: the figures agree for n from `first` to `last` (with gaps when not
    /// every n between does), with the SD allowed at some of them.
    SampleSizesFit {
        first: usize,
        last: usize,
        gaps: bool,
        sd_at: Vec<(usize, Range)>,
    },
    /// GRIM: the mean is possible for n values in steps of `step`.
    GrimPossible {
        estimate: Reported,
        n: usize,
        step: f64,
    },
    /// DEBIT: binary data with this mean have an SD in [sd_min, sd_max], which fits the report.
    DebitAgrees {
        sd_min: f64,
        sd_max: f64,
        sd: Reported,
    },
    /// GRIMMER: the SD is possible for this mean and n.
    GrimmerPossible,
    /// CLOSURE: this many distinct samples of n values have the reported mean and SD.
    ClosureSamples { count: usize, n: usize },
    /// A reported SD below the largest n values on [low, high] allow.
    SdBelowBoundedMax {
        n: usize,
        low: f64,
        high: f64,
        max_sd: f64,
    },
    /// statcheck: the statistic gives a p that agrees with the reported one.
    StatcheckAgrees(Statcheck),
    /// statcheck: the reported p is the one-sided p of the statistic.
    StatcheckOneSided(Statcheck),
    /// |t| from the estimate and interval agrees with the reported t.
    TAgrees { implied: Range, reported: Reported },
    /// k/n rounds to the reported share.
    ShareRounds {
        k: usize,
        n: usize,
        share: f64,
        estimate: Reported,
    },
    /// The reported interval of k/n is the exact (Clopper–Pearson) one.
    ExactIntervalAgrees {
        k: usize,
        n: usize,
        low: f64,
        high: f64,
    },
    /// The reported interval of k/n is Wilson's score interval, not the exact one.
    WilsonInterval {
        k: usize,
        n: usize,
        wilson: (f64, f64),
        exact: (f64, f64),
    },
    /// No interval reported: the exact interval of k/n at the claim's level.
    ExactInterval {
        k: usize,
        n: usize,
        share: f64,
        conf_level: f64,
        low: f64,
        high: f64,
    },
    /// GRIM for shares: these k of n round to the reported share.
    SharePossible {
        ks: Vec<usize>,
        n: usize,
        estimate: Reported,
    },
    /// n is not reported: these n ≤ 100 admit a k whose share rounds to the report.
    SharesFitSampleSizes { ns: Vec<usize> },
    /// dz × √n gives a p that agrees with the reported one.
    DzPAgrees { p: Range, reported: ReportedP },
}

/// A check on a claim that failed: the claim is inconsistent.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Failed {
    /// The SD implied by the interval at n does not overlap the reported SD.
    IntervalSdDisagrees { implied: Range, reported: Reported },
    /// The estimate is not the midpoint of its interval.
    MidpointOff {
        estimate: Reported,
        low: Reported,
        high: Reported,
        midpoint: Range,
    },
    /// The recomputed p disagrees with the reported one (a decision error at `alpha` when
    /// they fall on different sides of it).
    PDisagrees {
        recomputed: Range,
        reported: ReportedP,
        decision_error_at: Option<f64>,
    },
    /// n is not reported and no n from 3 to 100 makes the figures agree.
    NoSampleSizeFits,
    /// GRIM: no n values in steps of `step` have a mean that rounds to the estimate.
    GrimImpossible {
        estimate: Reported,
        n: usize,
        step: f64,
    },
    /// DEBIT: binary data with this mean and n cannot have the reported SD.
    DebitDisagrees {
        estimate: Reported,
        n: usize,
        sd_min: f64,
        sd_max: f64,
        sd: Reported,
    },
    /// GRIMMER: no n values in steps of `step` with this mean have an SD rounding to the report.
    GrimmerImpossible {
        n: usize,
        step: f64,
        estimate: Reported,
        sd: Reported,
    },
    /// Values on [low, high] with this mean cannot have an SD above `max_sd`.
    MeanSdAboveBoundedMax {
        low: f64,
        high: f64,
        estimate: Reported,
        max_sd: f64,
        sd: Reported,
    },
    /// CLOSURE: no sample of n values on the scale has the reported mean and SD.
    ClosureNone {
        n: usize,
        low: f64,
        high: f64,
        step: f64,
        estimate: Reported,
        sd: Reported,
    },
    /// A reported SD above the largest n values on [low, high] allow.
    SdAboveBoundedMax {
        n: usize,
        low: f64,
        high: f64,
        max_sd: f64,
        sd: Reported,
    },
    /// statcheck: the statistic's p disagrees with the reported one.
    StatcheckDisagrees {
        statcheck: Statcheck,
        decision_error: Option<DecisionError>,
    },
    /// The t statistic's df is not the Student df that n implies.
    DfDisagrees { reported: f64, implied: f64 },
    /// |t| from the estimate and interval disagrees with the reported t.
    TDisagrees { implied: Range, reported: Reported },
    /// k/n does not round to the reported share.
    ShareDoesNotRound {
        k: usize,
        n: usize,
        share: f64,
        estimate: Reported,
    },
    /// The reported interval of k/n is neither the exact nor Wilson's.
    IntervalNeitherExactNorWilson {
        k: usize,
        n: usize,
        exact: (f64, f64),
        wilson: (f64, f64),
        reported: (Reported, Reported),
    },
    /// GRIM for shares: no k of n rounds to the reported share.
    ShareImpossible { n: usize, estimate: Reported },
    /// n is not reported and no k of n ≤ 100 rounds to the reported share.
    NoShareUpTo100 { estimate: Reported },
    /// dz × √n gives a p that disagrees with the reported one.
    DzPDisagrees { p: Range, reported: ReportedP },
    /// A claim on the same endpoint, arm and visit contradicts this one.
    Conflict { other: String, conflict: Conflict },
}

/// A test statistic as statcheck reads it, and the p it gives.
#[derive(Debug, Clone, PartialEq)]
pub struct Statcheck {
    /// As written in the claims file (t, z, F, chi2, r).
    pub name: String,
    /// The first degrees of freedom (NaN when none apply, as for z).
    pub df: f64,
    pub value: Reported,
    /// Two-sided p over the statistic's rounding.
    pub p: Range,
    pub reported: ReportedP,
}

/// Which way a p-value's significance decision flips.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecisionError {
    ReportedSignificant,
    ReportedNotSignificant,
}

/// k of n patients on one side of a percent-change threshold (from a rate claim).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Split {
    pub k: usize,
    pub n: usize,
    pub side: SplitSide,
}

/// Where a rate claim's patients are.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SplitSide {
    /// Cleared: a 100% reduction.
    Cleared,
    /// A percent change at most this.
    AtMost(f64),
    /// A percent change at least this.
    AtLeast(f64),
}

/// How two claims on the same endpoint, arm and visit contradict each other.
#[derive(Debug, Clone, PartialEq)]
pub enum Conflict {
    /// The rate's split cannot give the mean percent change (`of_other`: the mean is the other
    /// claim's).
    SplitCannotGiveMean {
        split: Split,
        mean: Reported,
        of_other: bool,
    },
    /// The rate's split forces an SD of percent change of at least `sd_min`, above the
    /// `sd_max` this (mean) claim allows; with what that does to its interval when reported.
    SplitForcesSd {
        split: Split,
        sd_min: f64,
        sd_max: f64,
        interval: Option<WiderInterval>,
    },
    /// The same, told on the rate claim about the mean claim.
    SplitForcesOtherSd {
        split: Split,
        sd_min: f64,
        sd_max: f64,
        short_by: f64,
    },
    /// More patients meet a harder responder threshold than an easier one.
    RatesOutOfOrder {
        n: usize,
        harder_k: usize,
        harder: String,
        easier_k: usize,
        easier: String,
    },
}

/// The half-width an interval would need at the smallest SD a split forces, beside the
/// reported half-width.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WiderInterval {
    pub conf_level: f64,
    pub half_width_min: f64,
    pub half_width_reported: f64,
}

/// Why nothing (or one part) of a claim could be checked.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Unchecked {
    /// The estimand is not recomputed from summary figures (only compared with data).
    NotRecomputed { estimand: String },
    /// The figures given leave nothing to recompute.
    NothingToRecomputeFrom { given: Vec<Figure> },
    /// One n for a contrast, or two for a within-arm mean.
    SampleSizeDoesNotFit,
    /// Too few patients for a t interval.
    TooFewForT { n: usize },
    /// A between-arm mean without its group sizes.
    GroupSizesNotReported,
    /// The statistic is outside its distribution's range (a negative F, say).
    StatisticOutOfRange { name: String, value: Reported },
    /// A rate within one arm with two sample sizes.
    RateNeedsOneN,
}

/// A figure a claim can report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Figure {
    Estimate,
    N,
    Interval,
    Sd,
    P,
    K,
}

/// What the comparison of a claim with the analysis of a data file found.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum DataReason {
    /// Every reported figure is reproduced at its precision.
    Reproduced {
        method: String,
        estimate: f64,
        ci: Option<(f64, f64)>,
        p: Option<f64>,
    },
    /// The data have no such endpoint, arm and follow-up visit.
    NoCell {
        endpoint: String,
        arm: String,
        visit: String,
        follow_up_visits: Vec<String>,
    },
    /// The claim names no method and its estimand has no default.
    NoDefaultMethod { estimand: String },
    /// The analysis has no row for the claim.
    NoRow {
        endpoint: String,
        arm: String,
        visit: String,
        comparison: String,
        estimand: String,
        method: String,
    },
    /// The analysis gives no estimate.
    NoEstimate,
    /// The data's SD does not round to the reported one.
    SdDiffers { data: f64, reported: Reported },
    /// The data's p does not agree with the reported one.
    PDiffers { data: f64, reported: ReportedP },
    /// A p-value is reported, the analysis gives none.
    NoPValue,
    /// k of n in the data, another k reported.
    CountDiffers {
        data: usize,
        n: usize,
        reported: usize,
    },
    /// The data's interval (on the reported scale) does not round to the reported one.
    IntervalDiffers {
        low: f64,
        high: f64,
        reported: (Reported, Reported),
    },
    /// The data's estimate (on the reported scale) does not round to the reported one.
    EstimateDiffers { data: f64, reported: Reported },
    /// Another n in the data.
    NDiffers { data: usize, reported: usize },
}
