//! The one result shape every routine in `stats` returns, modelled on R's `htest`.
//!
//! Fields that do not apply, or cannot be computed for the data at hand, are `None`; the
//! reason is recorded as a [`Diagnostic`]. Numbers are kept at full precision: rounding is the
//! business of `report`.

use serde::Serialize;

/// Direction of the alternative hypothesis.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Alternative {
    TwoSided,
    Less,
    Greater,
}

/// How an interval was computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum IntervalMethod {
    /// mean ± t quantile × SE
    StudentT,
    /// Hodges–Lehmann interval from the exact signed-rank distribution (order statistics of Walsh averages).
    WilcoxonExact,
    /// Hodges–Lehmann interval from inverting the normal approximation, as R's `wilcox.test`.
    WilcoxonNormal,
    /// Inversion of the noncentral t distribution.
    NoncentralT,
    /// Clopper–Pearson exact binomial interval.
    ClopperPearson,
    /// Equal-tailed interval of the Beta(k + ½, n − k + ½) posterior (Jeffreys' prior).
    Jeffreys,
    /// Hodges–Lehmann interval from the exact Mann–Whitney distribution.
    MannWhitneyExact,
    /// Hodges–Lehmann interval from inverting the normal approximation, as R's `wilcox.test(x, y)`.
    MannWhitneyNormal,
    /// Newcombe's hybrid score interval from two Wilson intervals (no continuity correction).
    Newcombe,
    /// Wilson score interval.
    Wilson,
    /// Exact conditional interval of Fisher's odds ratio (inverting the noncentral hypergeometric).
    FisherConditional,
    /// exp(log estimate ± z × SE of the log), Katz et al. 1978.
    LogNormal,
    /// Fieller's interval for a ratio of means.
    Fieller,
    /// Delta-method (first-order) interval.
    DeltaMethod,
    /// t interval on the log scale, back-transformed.
    LogT,
    /// Bias-corrected and accelerated bootstrap percentile interval.
    BcaBootstrap,
    /// Normal interval on Fisher's z = atanh(r) scale, back-transformed.
    FisherZ,
    /// Exact (Garwood) Poisson interval from gamma quantiles, as R's `poisson.test`.
    ExactPoisson,
    /// Miettinen–Nurminen score interval (unstratified, or stratified with fixed weights).
    MiettinenNurminen,
    /// Wald interval of the Mantel–Haenszel common risk difference with Sato's variance.
    MantelHaenszelSato,
    /// exp(log MH odds ratio ± z × Robins–Breslow–Greenland SE).
    RobinsBreslowGreenland,
    /// Exact unconditional interval inverting two one-sided score tests (Chan & Zhang 1999).
    ExactUnconditionalScore,
    /// Moses' asymptotic interval of the Hodges–Lehmann shift (order statistics of the pairwise
    /// differences), as SAS PROC NPAR1WAY `HL`.
    Moses,
    /// Exact Hodges–Lehmann limits from the exact null distribution of the observed (tied)
    /// data, as SAS PROC NPAR1WAY `EXACT HL`.
    HodgesLehmannExactSas,
    /// Kaplan–Meier limits on the log(−log S) scale (R `conf.type = "log-log"`, SAS LIFETEST's
    /// default `CONFTYPE=LOGLOG`), Brookmeyer–Crowley for quantiles.
    LogLog,
    /// Woolf's logit interval of the sample odds ratio, as SAS PROC FREQ's Wald limits.
    Woolf,
}

/// An estimate with the name of what it estimates.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Estimate {
    pub label: &'static str,
    pub value: f64,
}

/// A confidence interval; `level` is the coverage actually achieved where that differs from
/// the level requested (see [`Diagnostic::ConfLevelNotAchievable`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConfidenceInterval {
    pub lower: f64,
    pub upper: f64,
    pub level: f64,
    pub method: IntervalMethod,
}

/// A test statistic and its name (`t`, `V`, …).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Statistic {
    pub name: &'static str,
    pub value: f64,
}

/// How degrees of freedom were obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum DfMethod {
    /// n − 1
    NMinusOne,
    /// Welch–Satterthwaite approximation.
    WelchSatterthwaite,
    /// n₁ + n₂ − 2 (pooled variance).
    Pooled,
    /// Residual degrees of freedom of a linear model.
    Residual,
    /// From the dimensions of a contingency table: 1 for a 2×2×K CMH test, strata − 1 for
    /// Breslow–Day, the rank of the contrast for a generalized CMH statistic.
    TableDimensions,
    /// Kenward–Roger degrees of freedom of a mixed model.
    KenwardRoger,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DegreesOfFreedom {
    pub value: f64,
    pub method: DfMethod,
}

/// Which way the p-value was computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum PValueMethod {
    StudentT,
    /// Fisher's exact test, two-sided by summing tables no more likely than the one observed.
    FisherExact,
    /// Monte-Carlo estimate from random permutations (see [`Diagnostic::MonteCarlo`]).
    MonteCarlo,
    /// Exact permutation distribution.
    Exact,
    /// Normal approximation with tie and continuity correction.
    NormalApproximation,
    /// Upper tail of the chi-square distribution.
    ChiSquare,
}

/// Something the reader of a result must know: a fallback, a degenerate input, a warning.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Diagnostic {
    /// Fewer observations than the method needs; the statistics it cannot give are empty.
    TooFewObservations { n: usize, required: usize },
    /// All values equal: the standard deviation is 0 and t is undefined.
    ZeroVariance,
    /// Differences equal to zero were dropped (Wilcoxon).
    ZerosDropped { count: usize },
    /// Tied absolute values among the ranks.
    Ties { groups: usize },
    /// An exact method was requested or preferred but the normal approximation was used.
    NormalApproximation { reason: &'static str },
    /// The requested confidence level cannot be attained; `achieved` is the level reported.
    ConfLevelNotAchievable { requested: f64, achieved: f64 },
    /// A zero count makes a log-scale interval undefined.
    ZeroCell,
    /// No events in either group: a ratio of proportions is 0/0.
    NoEvents,
    /// The method was not run because the data exceed its size limit.
    TooLarge { what: &'static str, limit: usize },
    /// A Monte-Carlo p-value: how many draws and its standard error.
    MonteCarlo { draws: usize, standard_error: f64 },
    /// A bootstrap: how many resamples, the seed, and how they were drawn.
    Bootstrap {
        resamples: usize,
        seed: u64,
        resampling: &'static str,
    },
    /// The confidence set is not a bounded interval (Fieller with a denominator not clearly
    /// different from 0).
    UnboundedInterval,
    /// Pairs with a zero or negative value have no log ratio and were left out.
    NonPositiveLeftOut { count: usize },
    /// The reference method's estimate does not exist here; another is given instead.
    EstimateFallback { reason: &'static str },
    /// Every non-zero value is the same: the rank statistic cannot vary, so there is no interval.
    AllTied,
    /// An iterative routine did not meet its tolerance.
    NonConvergence { routine: &'static str },
    /// Every bootstrap replicate was undefined (e.g. each resample had zero variance): no
    /// interval.
    NoFiniteReplicate,
    /// These quantities are undefined on the data (0/0) or beyond the range of double precision
    /// (a sum or variance of values near 1e308 that overflows, ∞ − ∞), and are left empty.
    NotFinite { quantities: Vec<&'static str> },
    /// Strata that carry no information for a stratified statistic (one arm only, everyone or
    /// no one responding, a single patient) contribute nothing to it, as in SAS PROC FREQ.
    StrataWithoutInformation { count: usize, reason: &'static str },
    /// The statistic does not exist on these data, for this reason.
    NotComputed { reason: &'static str },
}

impl Diagnostic {
    /// A short sentence for people.
    pub fn describe(&self) -> String {
        match self {
            Diagnostic::TooFewObservations { n, required } => {
                format!("fewer than {required} patients (n = {n}): statistics not computed")
            }
            Diagnostic::ZeroVariance => {
                "zero variance: every value is the same, so t is undefined".to_string()
            }
            Diagnostic::ZerosDropped { count } => format!("{count} zero change(s) dropped"),
            Diagnostic::Ties { groups } => format!("{groups} group(s) of tied ranks"),
            Diagnostic::NormalApproximation { reason } => {
                format!("normal approximation used ({reason})")
            }
Diagnostic::ConfLevelNotAchievable { requested, achieved } => format!(
                "confidence level {requested} not achievable with these data, so the interval has level {:.4} (see conf_level)",
                achieved
            ),
            Diagnostic::ZeroCell => "a zero count: the log interval is undefined".to_string(),
            Diagnostic::NoEvents => "no events in either arm: the ratio is undefined".to_string(),
            Diagnostic::TooLarge { what, limit } => format!("{what} not run above {limit} patients"),
            Diagnostic::MonteCarlo { draws, standard_error } => {
                format!("Monte-Carlo p from {draws} random permutations (standard error {standard_error:.2e})")
            }
            Diagnostic::Bootstrap { resamples, seed, resampling } => {
                format!("{resamples} bootstrap resamples ({resampling}), seed {seed}")
            }
            Diagnostic::UnboundedInterval => "Fieller's confidence set is unbounded: no interval".to_string(),
            Diagnostic::NonPositiveLeftOut { count } => {
                format!("{count} patient(s) with a zero value left out of the log ratio")
            }
            Diagnostic::EstimateFallback { reason } => reason.to_string(),
            Diagnostic::AllTied => {
                "all changes tied: no rank-based interval".to_string()
            }
            Diagnostic::NonConvergence { routine } => format!("{routine} did not converge"),
            Diagnostic::NoFiniteReplicate => {
                "no bootstrap resample gave a finite value: no interval".to_string()
            }
            Diagnostic::NotFinite { quantities } => format!(
                "{} not computable (0/0, or beyond the range of double precision): left empty",
                quantities.join(", ")
            ),
            Diagnostic::NotComputed { reason } => format!("not computed: {reason}"),
            Diagnostic::StrataWithoutInformation { count, reason } => {
                format!("{count} stratum/strata without information ({reason}): they contribute nothing")
            }
        }
    }
}

/// The named result of one statistical routine.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TestResult {
    pub estimate: Option<Estimate>,
    pub interval: Option<ConfidenceInterval>,
    pub statistic: Option<Statistic>,
    pub df: Option<DegreesOfFreedom>,
    pub p_value: Option<f64>,
    pub p_value_method: Option<PValueMethod>,
    pub alternative: Alternative,
    /// Observations the result rests on.
    pub n_used: usize,
    /// Observations given to the routine but not used (e.g. zero differences in Wilcoxon).
    pub n_left_out: usize,
    pub diagnostics: Vec<Diagnostic>,
}

impl TestResult {
    /// An empty result for `n` observations, to be filled in by a routine.
    pub fn empty(n_used: usize, alternative: Alternative) -> Self {
        TestResult {
            estimate: None,
            interval: None,
            statistic: None,
            df: None,
            p_value: None,
            p_value_method: None,
            alternative,
            n_used,
            n_left_out: 0,
            diagnostics: Vec::new(),
        }
    }

    /// The result with every NaN emptied, and [`Diagnostic::NotFinite`] naming what was.
    /// Finite data at the edge of double precision (1e308, 5e-324) can make a sum or variance
    /// overflow and a statistic come out NaN; a NaN must never reach a report as a number.
    /// Infinities are kept: they are meaningful (an odds ratio with a zero cell, a one-sided
    /// interval) or what R gives (a t interval when the variance overflows).
    pub fn without_nan(mut self) -> Self {
        let mut emptied = Vec::new();
        if self.estimate.as_ref().is_some_and(|e| e.value.is_nan()) {
            self.estimate = None;
            emptied.push("estimate");
        }
        if self
            .interval
            .as_ref()
            .is_some_and(|ci| ci.lower.is_nan() || ci.upper.is_nan() || ci.level.is_nan())
        {
            self.interval = None;
            emptied.push("interval");
        }
        if self.statistic.as_ref().is_some_and(|s| s.value.is_nan()) {
            self.statistic = None;
            emptied.push("statistic");
        }
        if self.df.as_ref().is_some_and(|df| df.value.is_nan()) {
            self.df = None;
            emptied.push("df");
        }
        if self.p_value.is_some_and(f64::is_nan) {
            self.p_value = None;
        }
        if self.p_value.is_none() && self.p_value_method.is_some() {
            self.p_value_method = None;
            emptied.push("p-value");
        }
        if emptied.is_empty() {
            return self;
        }
        match self.diagnostics.iter_mut().find_map(|d| match d {
            Diagnostic::NotFinite { quantities } => Some(quantities),
            _ => None,
        }) {
            Some(quantities) => quantities.extend(emptied),
            None => self.diagnostics.push(Diagnostic::NotFinite {
                quantities: emptied,
            }),
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_nan_empties_and_says_so() {
        let mut r = TestResult::empty(3, Alternative::TwoSided);
        r.estimate = Some(Estimate {
            label: "mean",
            value: 1e308,
        });
        r.interval = Some(ConfidenceInterval {
            lower: f64::NEG_INFINITY,
            upper: f64::NAN,
            level: 0.95,
            method: IntervalMethod::StudentT,
        });
        r.statistic = Some(Statistic {
            name: "t",
            value: f64::NAN,
        });
        r.p_value_method = Some(PValueMethod::StudentT);
        let r = r.without_nan();
        assert_eq!(r.estimate.map(|e| e.value), Some(1e308));
        assert!(r.interval.is_none() && r.statistic.is_none() && r.p_value_method.is_none());
        assert_eq!(
            r.diagnostics,
            vec![Diagnostic::NotFinite {
                quantities: vec!["interval", "statistic", "p-value"]
            }]
        );
        let fine = TestResult::empty(0, Alternative::TwoSided);
        assert_eq!(fine.clone().without_nan(), fine);
    }
}
