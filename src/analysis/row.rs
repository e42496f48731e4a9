//! The identity of a result row as types: [`Estimand`], [`Method`], [`Comparison`] and the
//! [`RowKey`] they make with endpoint, arm and visit. The names they print are the public
//! results table of `docs/results-table.md`; this file is the one place where a row's name is
//! spelled, so that emitting, finding, rendering and plotting a row cannot disagree and a
//! typo is a compile error. Adding an estimand or method is one line in the lists below.
//!
//! Nothing here computes or formats numbers.

use super::ResultRow;
use crate::stats::TestResult;
use serde::{Serialize, Serializer};
use std::fmt;

/// One list of unit variants and their published names: the enum, `name()`, `ALL` and
/// `FromStr` come from it, so a name is written once.
macro_rules! named {
    ($(#[$m:meta])* $ty:ident { $($(#[$vm:meta])* $v:ident => $s:literal,)* }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum $ty { $($(#[$vm])* $v,)* }
        impl $ty {
            /// Every variant, in declaration order.
            pub const ALL: &'static [$ty] = &[$($ty::$v,)*];
            /// The name in the results table.
            pub const fn name(self) -> &'static str {
                match self { $($ty::$v => $s,)* }
            }
        }
        impl std::str::FromStr for $ty {
            type Err = UnknownName;
            fn from_str(s: &str) -> Result<Self, UnknownName> {
                match s {
                    $($s => Ok($ty::$v),)*
                    _ => Err(UnknownName(s.to_string())),
                }
            }
        }
        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.name())
            }
        }
        impl Serialize for $ty {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.name())
            }
        }
    };
}

/// A name that is not in the results table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownName(pub String);

impl fmt::Display for UnknownName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "'{}' is not a name of the results table", self.0)
    }
}

named! {
    /// How a row's numbers were computed (the `method` column).
    Method {
        PairedT => "paired_t",
        OneSampleT => "one_sample_t",
        BcaBootstrap => "bca_bootstrap",
        Permutation => "permutation",
        WilcoxonSignedRank => "wilcoxon_signed_rank",
        WilcoxonExact => "wilcoxon_exact",
        WilcoxonExactPratt => "wilcoxon_exact_pratt",
        /// The signed-rank test from the permutation mean and variance of the midranks, where
        /// the exact distribution costs more than the work limit.
        WilcoxonAsymptotic => "wilcoxon_asymptotic",
        Fieller => "fieller",
        DeltaMethod => "delta_method",
        LogT => "log_t",
        NoncentralT => "noncentral_t",
        PointEstimate => "point_estimate",
        FisherZ => "fisher_z",
        ClopperPearson => "clopper_pearson",
        Jeffreys => "jeffreys",
        WelchT => "welch_t",
        StudentT => "student_t",
        Ancova => "ancova",
        MannWhitney => "mann_whitney",
        MannWhitneyExact => "mann_whitney_exact",
        /// The rank-sum test from the permutation mean and variance, above the exact limit.
        MannWhitneyAsymptotic => "mann_whitney_asymptotic",
        Newcombe => "newcombe",
        FisherExact => "fisher_exact",
        Log => "log",
        Wilson => "wilson",
        MiettinenNurminen => "miettinen_nurminen",
        ExactUnconditional => "exact_unconditional",
        Cmh => "cmh",
        MhSato => "mh_sato",
        MnStratified => "mn_stratified",
        MantelHaenszel => "mantel_haenszel",
        BreslowDay => "breslow_day",
        CmhGeneralAssociation => "cmh_general_association",
        CmhRowMeanScores => "cmh_row_mean_scores",
        CmhCorrelation => "cmh_correlation",
        KaplanMeier => "kaplan_meier",
        LogRank => "log_rank",
        Cox => "cox",
        ExactPoisson => "exact_poisson",
        Mmrm => "mmrm",
        /// `--convention sas`: SAS PROC UNIVARIATE's signed rank test (exact p for n ≤ 20,
        /// else the Student t approximation of S).
        WilcoxonSignedRankSas => "wilcoxon_signed_rank_sas",
        /// `--convention sas`: SAS PROC NPAR1WAY's Wilcoxon Z (continuity correction 0.5) and
        /// the Hodges–Lehmann shift with Moses' asymptotic interval.
        MannWhitneySas => "mann_whitney_sas",
        /// `--convention sas`: SAS PROC NPAR1WAY `EXACT WILCOXON HL`: exact p and exact
        /// Hodges–Lehmann limits from the exact null distribution of the observed (tied) data.
        MannWhitneyExactSas => "mann_whitney_exact_sas",
        /// `--convention sas`: Kaplan–Meier quartiles and survival at times with SAS PROC
        /// LIFETEST's default log-log (`CONFTYPE=LOGLOG`) limits.
        KaplanMeierSas => "kaplan_meier_sas",
        /// `--convention sas`: the sample odds ratio with Woolf's logit interval (SAS PROC FREQ).
        Woolf => "woolf",
    }
}

named! {
    /// Estimands that are not about a binary response (the `estimand` column).
    Measure {
        MeanChange => "mean_change",
        MeanPctChange => "mean_pct_change",
        PseudoMedianChange => "pseudo_median_change",
        RatioOfMeansPctChange => "ratio_of_means_pct_change",
        GeometricMeanPctChange => "geometric_mean_pct_change",
        CohenDz => "cohen_dz",
        HedgesGz => "hedges_gz",
        CohenDav => "cohen_dav",
        HedgesGav => "hedges_gav",
        CohenDrm => "cohen_drm",
        HedgesGrm => "hedges_grm",
        RankBiserialChange => "rank_biserial_change",
        LsMean => "ls_mean",
        MeanChangeDiff => "mean_change_diff",
        MeanPctChangeDiff => "mean_pct_change_diff",
        LocationShiftChange => "location_shift_change",
        GlassDeltaChange => "glass_delta_change",
        CliffsDeltaChange => "cliffs_delta_change",
        HedgesGChange => "hedges_g_change",
        MedianTime => "median_time",
        Q25Time => "q25_time",
        Q75Time => "q75_time",
        SurvivalDiff => "survival_diff",
        HazardRatio => "hazard_ratio",
        AeIncidence => "ae_incidence",
        AeIncidenceDiff => "ae_incidence_diff",
        AeRate => "ae_rate",
        LsMeanChange => "ls_mean_change",
    }
}

named! {
    /// What is estimated about a binary response: `{response}_{suffix}`.
    RateStat {
        Rate => "rate",
        Diff => "diff",
        OddsRatio => "odds_ratio",
        RiskRatio => "risk_ratio",
        /// Cochran–Mantel–Haenszel test over the strata (`--strata`).
        Cmh => "cmh",
        /// Homogeneity of the odds ratios over the strata.
        Homogeneity => "homogeneity",
    }
}

/// A binary response per patient: improvement by at least a share of baseline, or clearance.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Response {
    /// Improvement by at least this many percent of baseline: `responder{P}`.
    Responder(f64),
    /// The follow-up value equals the clear value: `clearance`.
    Clearance,
    /// A response defined with `--response NAME=...`: `{NAME}`. The name is interned
    /// ([`response_name`]) so that `Estimand` stays `Copy` for every reader of rows.
    Named(&'static str),
}

/// The one `&'static str` of a user-defined response name: each distinct name is leaked once
/// per process (a handful of command-line names), so that [`Response`] stays `Copy`.
pub fn response_name(name: &str) -> &'static str {
    use std::sync::Mutex;
    static NAMES: Mutex<Vec<&'static str>> = Mutex::new(Vec::new());
    let mut names = NAMES.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(n) = names.iter().find(|n| **n == name) {
        return n;
    }
    let leaked: &'static str = Box::leak(name.to_string().into_boxed_str());
    names.push(leaked);
    leaked
}

impl fmt::Display for Response {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            // 50 -> "50", 62.5 -> "62.5"
            Response::Responder(p) => write!(f, "responder{p}"),
            Response::Clearance => f.write_str("clearance"),
            Response::Named(name) => f.write_str(name),
        }
    }
}

/// What a row estimates (the `estimand` column).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Estimand {
    Measure(Measure),
    /// `{response}_rate`, `{response}_diff`, …
    Response(Response, RateStat),
    /// `{endpoint}_distribution`: the distribution of an ordinal value at a visit (`--ordinal`);
    /// the endpoint name interned by [`response_name`].
    Distribution(&'static str),
    /// `survival_at_{t}`: Kaplan–Meier survival at time t (`--at`).
    SurvivalAt(f64),
    /// `{quantile}_to_{name}` for a time to an event derived from visits (`analyze --time-to
    /// NAME=...`): `median_time_to_cleared`. The measure is one of the time quantiles; the name
    /// is checked by [`event_name_ok`] and interned ([`intern_event_name`]) so the key stays `Copy`.
    TimeTo(Measure, &'static str),
}

/// A `--time-to` event name: letters, digits and `_`, starting with a letter.
pub fn event_name_ok(name: &str) -> bool {
    name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// A `--time-to` event name with a `'static` lifetime: each distinct name is allocated once
/// for the life of the process (a handful per run), so [`Estimand`] stays `Copy`.
pub fn intern_event_name(name: &str) -> &'static str {
    use std::sync::{Mutex, OnceLock};
    static NAMES: OnceLock<Mutex<Vec<&'static str>>> = OnceLock::new();
    let mut names = NAMES
        .get_or_init(|| Mutex::new(Vec::new()))
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    if let Some(n) = names.iter().find(|n| **n == name) {
        return n;
    }
    let leaked: &'static str = Box::leak(name.to_string().into_boxed_str());
    names.push(leaked);
    leaked
}

impl Estimand {
    /// The method a claim about this estimand is compared with when it names none.
    pub fn default_method(self) -> Option<Method> {
        Some(match self {
            Estimand::Measure(m) => match m {
                Measure::MeanChange => Method::PairedT,
                Measure::MeanPctChange => Method::OneSampleT,
                Measure::PseudoMedianChange => Method::WilcoxonSignedRank,
                Measure::CohenDz => Method::NoncentralT,
                Measure::MeanChangeDiff | Measure::MeanPctChangeDiff => Method::WelchT,
                Measure::LocationShiftChange => Method::MannWhitney,
                _ => return None,
            },
            Estimand::Response(_, RateStat::Rate) => Method::ClopperPearson,
            Estimand::Response(_, RateStat::Diff) => Method::Newcombe,
            Estimand::Response(_, RateStat::OddsRatio) => Method::FisherExact,
            Estimand::Response(_, RateStat::RiskRatio) => Method::Log,
            Estimand::Response(_, RateStat::Cmh) => Method::Cmh,
            Estimand::Response(_, RateStat::Homogeneity) => Method::BreslowDay,
            Estimand::Distribution(_) => Method::CmhGeneralAssociation,
            Estimand::SurvivalAt(_) | Estimand::TimeTo(..) => Method::KaplanMeier,
        })
    }
}

impl fmt::Display for Estimand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Estimand::Measure(m) => f.write_str(m.name()),
            Estimand::Response(r, s) => write!(f, "{r}_{s}"),
            Estimand::Distribution(endpoint) => write!(f, "{endpoint}_distribution"),
            // 12 -> "survival_at_12", 0.5 -> "survival_at_0.5"
            Estimand::SurvivalAt(t) => write!(f, "survival_at_{t}"),
            Estimand::TimeTo(m, name) => write!(f, "{}_to_{name}", m.name()),
        }
    }
}

impl Serialize for Estimand {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl std::str::FromStr for Estimand {
    type Err = UnknownName;
    /// The inverse of `Display`: `mean_change`, `responder62.5_rate`, `clearance_diff`, …
    fn from_str(s: &str) -> Result<Self, UnknownName> {
        if let Ok(m) = s.parse::<Measure>() {
            return Ok(Estimand::Measure(m));
        }
        let unknown = || UnknownName(s.to_string());
        if let Some(t) = s.strip_prefix("survival_at_") {
            return match t.parse::<f64>() {
                Ok(v) if v.is_finite() && v >= 0.0 && format!("{v}") == t => {
                    Ok(Estimand::SurvivalAt(v))
                }
                _ => Err(unknown()),
            };
        }
        for m in [Measure::MedianTime, Measure::Q25Time, Measure::Q75Time] {
            if let Some(name) = s
                .strip_prefix(m.name())
                .and_then(|r| r.strip_prefix("_to_"))
            {
                if !event_name_ok(name) {
                    return Err(unknown());
                }
                return Ok(Estimand::TimeTo(m, intern_event_name(name)));
            }
        }
        for stat in RateStat::ALL {
            let Some(head) = s
                .strip_suffix(stat.name())
                .and_then(|h| h.strip_suffix('_'))
            else {
                continue;
            };
            let response = if head == "clearance" {
                Response::Clearance
            } else {
                let p = head
                    .strip_prefix("responder")
                    .and_then(|p| p.parse::<f64>().ok())
                    .filter(|p| p.is_finite() && *p > 0.0)
                    .ok_or_else(unknown)?;
                // Only the spelling Display gives ("50", not "50.0" or "5e1").
                if format!("{p}") != head["responder".len()..] {
                    return Err(unknown());
                }
                Response::Responder(p)
            };
            return Ok(Estimand::Response(response, *stat));
        }
        Err(unknown())
    }
}

impl From<Measure> for Estimand {
    fn from(m: Measure) -> Self {
        Estimand::Measure(m)
    }
}

/// Change inside one arm, or one arm against the control arm.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Comparison {
    Within,
    /// Against this control arm (the row's arm is the other one).
    Versus(String),
    /// One test over every arm at once (the row's arm is `all arms`).
    AllArms,
}

/// The `arm` and `comparison` cells of a row about every arm at once.
pub const ALL_ARMS: &str = "all arms";

/// Where a row belongs and what it is: the six text columns of the results table.
#[derive(Debug, Clone, PartialEq)]
pub struct RowKey {
    pub endpoint: String,
    pub arm: String,
    pub visit: String,
    pub comparison: Comparison,
    pub estimand: Estimand,
    pub method: Method,
}

impl RowKey {
    pub fn new(
        endpoint: &str,
        arm: &str,
        visit: &str,
        comparison: Comparison,
        estimand: impl Into<Estimand>,
        method: Method,
    ) -> Self {
        RowKey {
            endpoint: endpoint.to_string(),
            arm: arm.to_string(),
            visit: visit.to_string(),
            comparison,
            estimand: estimand.into(),
            method,
        }
    }

    /// The `comparison` column: `within`, `ARM vs CONTROL`, or `all arms`.
    pub fn comparison_label(&self) -> String {
        match &self.comparison {
            Comparison::Within => "within".to_string(),
            Comparison::Versus(control) => format!("{} vs {control}", self.arm),
            Comparison::AllArms => ALL_ARMS.to_string(),
        }
    }

    pub fn is_within(&self) -> bool {
        self.comparison == Comparison::Within
    }
}

impl Serialize for RowKey {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("RowKey", 6)?;
        st.serialize_field("endpoint", &self.endpoint)?;
        st.serialize_field("arm", &self.arm)?;
        st.serialize_field("visit", &self.visit)?;
        st.serialize_field("comparison", &self.comparison_label())?;
        st.serialize_field("estimand", &self.estimand)?;
        st.serialize_field("method", &self.method)?;
        st.end()
    }
}

/// Endpoint, arm, visit and comparison shared by the rows of one cell: makes their keys.
pub(super) struct Place<'a> {
    pub endpoint: &'a str,
    pub arm: &'a str,
    pub visit: &'a str,
    pub comparison: Comparison,
}

impl Place<'_> {
    pub fn key(&self, estimand: impl Into<Estimand>, method: Method) -> RowKey {
        let comparison = self.comparison.clone();
        RowKey::new(
            self.endpoint,
            self.arm,
            self.visit,
            comparison,
            estimand,
            method,
        )
    }

    /// A row: its key, result, patients behind it and left out, and the notes of the cell
    /// (the result's own diagnostics are appended). No NaN gets into a row: a NaN cell is
    /// emptied with a note ([`TestResult::without_nan`]).
    pub fn row(
        &self,
        estimand: impl Into<Estimand>,
        method: Method,
        result: TestResult,
        n: usize,
        n_left_out: usize,
        extra: &[String],
    ) -> ResultRow {
        let result = result.without_nan();
        let mut parts: Vec<String> = extra.to_vec();
        parts.extend(
            result
                .diagnostics
                .iter()
                .map(crate::stats::Diagnostic::describe),
        );
        ResultRow {
            key: self.key(estimand, method),
            note: parts.join("; "),
            result,
            n,
            n_left_out,
            p_adjusted: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_reads_back_to_its_variant() {
        let mut checked = 0;
        for &m in Method::ALL {
            assert_eq!(m.name().parse::<Method>(), Ok(m));
            checked += 1;
        }
        for &m in Measure::ALL {
            let e = Estimand::Measure(m);
            assert_eq!(e.to_string().parse::<Estimand>(), Ok(e));
            checked += 1;
        }
        for r in [
            Response::Responder(50.0),
            Response::Responder(62.5),
            Response::Responder(100.0),
            Response::Clearance,
        ] {
            for &s in RateStat::ALL {
                let e = Estimand::Response(r, s);
                assert_eq!(e.to_string().parse::<Estimand>(), Ok(e));
                checked += 1;
            }
        }
        for e in [
            Estimand::SurvivalAt(12.0),
            Estimand::SurvivalAt(0.5),
            Estimand::TimeTo(Measure::MedianTime, "cleared"),
            Estimand::TimeTo(Measure::Q75Time, "pasi_90"),
        ] {
            assert_eq!(e.to_string().parse::<Estimand>(), Ok(e));
            checked += 1;
        }
        assert_eq!(
            Estimand::TimeTo(Measure::MedianTime, "cleared").to_string(),
            "median_time_to_cleared"
        );
        assert_eq!(Estimand::SurvivalAt(24.0).to_string(), "survival_at_24");
        for bad in [
            "survival_at_",
            "survival_at_12.0",
            "median_time_to_",
            "median_time_to_9x",
        ] {
            assert!(bad.parse::<Estimand>().is_err(), "{bad}");
        }
        assert!(checked >= 16 + 18 + 16, "{checked}");
    }

    #[test]
    fn published_spellings() {
        assert_eq!(
            Estimand::Response(Response::Responder(50.0), RateStat::Rate).to_string(),
            "responder50_rate"
        );
        assert_eq!(
            Estimand::Response(Response::Responder(62.5), RateStat::OddsRatio).to_string(),
            "responder62.5_odds_ratio"
        );
        assert_eq!(
            Estimand::Response(Response::Clearance, RateStat::Diff).to_string(),
            "clearance_diff"
        );
        for bad in [
            "responder50.0_rate",
            "responder_rate",
            "clearance",
            "mean",
            "x_rate",
        ] {
            assert!(bad.parse::<Estimand>().is_err(), "{bad}");
        }
    }
}
