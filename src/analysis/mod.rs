//! The analysis plan: which endpoints, arms, visits and estimands; the baseline and the
//! direction of each endpoint; and the accounting of every input row. Calls `stats` for the
//! numbers and hands [`Analysis`] to `report`. Reads no files and formats nothing.

mod ancova;
mod audit;
mod between;
mod cell;
pub mod convention;
mod defined_responses;
mod endpoint;
pub mod mmrm;
mod multiplicity;
mod ordinal;
mod responder_detail;
mod responders;
mod response_expr;
mod row;
pub mod safety;
pub mod survival;
pub mod time_to;
mod within;
pub use response_expr::{ParseError as ResponseParseError, ResponseDefinition};
pub use row::{
    response_name, Comparison, Estimand, Measure, Method, RateStat, Response, RowKey, UnknownName,
};
pub use within::threshold_label;

pub use audit::{Audit, LeftOutReason};
pub use cell::MissingRule;
pub use convention::Convention;
pub use responder_detail::{ResponseCount, StratumDifference};

use crate::data::Cohort;
use crate::stats::TestResult;
use serde::Serialize;

/// Options of `trialstat analyze` that shape the analysis (not the input or the output).
#[derive(Debug, Clone, Serialize)]
pub struct AnalysisOptions {
    /// Baseline visit name; detected when None.
    pub baseline: Option<String>,
    /// Control arm; detected when None.
    pub control: Option<String>,
    /// Endpoints for which an increase is an improvement.
    pub higher_is_better: Vec<String>,
    /// Responder thresholds, percent of baseline.
    pub responder_thresholds: Vec<f64>,
    /// Follow-up value that counts as clearance.
    pub clear_value: f64,
    /// Confidence level of every interval.
    pub conf_level: f64,
    /// Missing follow-up values.
    pub missing: MissingRule,
    /// p-value adjustment within families of rows (`--adjust`); None = no `p_adjusted` column.
    pub adjust: Option<crate::stats::multiplicity::AdjustMethod>,
    /// Endpoints in the prespecified order for fixed-sequence testing of between-arm rows.
    pub hierarchy: Vec<String>,
    /// Bootstrap resamples for the BCa rows (`--bootstrap`); None = no bootstrap rows.
    pub bootstrap: Option<usize>,
    /// Permutation rows (`--permutations N`): exact when the permutations number at most
    /// 2^20, else N seeded Monte-Carlo draws. None = no permutation rows (the default: at
    /// 2 × 1,000 patients they were nearly all of the run time).
    pub permutations: Option<usize>,
    /// Seed of everything random (bootstrap, Monte-Carlo permutations).
    pub seed: u64,
    /// Also the exact signed-rank test with Pratt's handling of zeros (`--pratt`).
    pub pratt: bool,
    /// User-defined responses (`--response NAME="ENDPOINT: EXPR [where EXPR]"`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub responses: Vec<ResponseDefinition>,
    /// Intercurrent events (`--intercurrent COL --strategy S`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub intercurrent: Option<Intercurrent>,
    /// Endpoints analysed as ordinal values at each visit (`--ordinal`): CMH rows.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ordinal: Vec<String>,
    /// `--convention`: R's numbers only (default) or SAS's beside them. Serialised only when
    /// SAS, so that every other output stays as it was.
    #[serde(skip_serializing_if = "Convention::is_r")]
    pub convention: Convention,
    /// Build [`Analysis::patients`] (one row per patient, endpoint and visit, for figures and
    /// claim checks). Off for a results table alone: at registry scale it is most of the memory.
    #[serde(skip)]
    pub patient_table: bool,
}

impl Default for AnalysisOptions {
    fn default() -> Self {
        AnalysisOptions {
            baseline: None,
            control: None,
            higher_is_better: Vec::new(),
            responder_thresholds: vec![50.0, 75.0],
            clear_value: 0.0,
            conf_level: 0.95,
            missing: MissingRule::CompleteCase,
            adjust: None,
            hierarchy: Vec::new(),
            bootstrap: None,
            permutations: None,
            seed: 1,
            pratt: false,
            responses: Vec::new(),
            ordinal: Vec::new(),
            intercurrent: None,
            convention: Convention::R,
            patient_table: true,
        }
    }
}

/// How an intercurrent event (rescue medication, discontinuation) enters the estimand
/// (ICH E9(R1)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Strategy {
    /// The patient is a non-responder from the event on (responder and clearance rows).
    Composite,
    /// The observed values are used whatever happened.
    TreatmentPolicy,
    /// The values from the event on are set to missing; `--missing` then applies.
    Hypothetical,
}

impl Strategy {
    pub fn describe(&self) -> &'static str {
        match self {
            Strategy::Composite => "composite: a patient is a non-responder from the visit of the event on (responder and clearance rows)",
            Strategy::TreatmentPolicy => "treatment policy: the observed values are used whatever happened",
            Strategy::Hypothetical => "hypothetical: values from the visit of the event on are set to missing, then the missing-data rule applies",
        }
    }
}

/// `--intercurrent COL --strategy S`: the flag column, the strategy, each patient's first
/// flagged visit, and what the strategy changed (for the audit).
#[derive(Debug, Clone, Serialize)]
pub struct Intercurrent {
    pub column: String,
    pub strategy: Strategy,
    /// Per patient: the first visit (index into `cohort.visits`) with the flag set.
    #[serde(skip)]
    pub first_event: Vec<Option<usize>>,
    pub patients_with_event: usize,
    /// Values set to missing by the hypothetical strategy.
    pub values_set_missing: usize,
}

/// Whether a fall or a rise is an improvement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    LowerIsBetter,
    HigherIsBetter,
}

/// Why the analysis cannot be run as asked.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AnalysisError {
    /// `--baseline` names a visit that is not in the data.
    #[error(
        "baseline visit '{given}' (from --baseline) is not in the data; visits found: {visits}"
    )]
    UnknownBaseline { given: String, visits: String },
    /// No visit is named like a baseline and there is no week column to find the earliest.
    #[error("cannot tell which visit is the baseline: no visit is named baseline, BL or screening-day-0 and there is no week column; name it with --baseline (visits found: {visits})")]
    NoBaseline { visits: String },
    /// Only one visit: nothing to compare with baseline.
    #[error("only the baseline visit '{baseline}' is in the data; expected at least one follow-up visit")]
    NoFollowUp { baseline: String },
    /// `--control` names an arm that is not in the data.
    #[error("control arm '{given}' (from --control) is not in the data; arms found: {arms}")]
    UnknownControl { given: String, arms: String },
    /// `--higher-is-better` names an endpoint that is not in the data.
    #[error("endpoint '{given}' (from --higher-is-better) is not in the data; endpoints found: {endpoints}")]
    UnknownEndpoint { given: String, endpoints: String },
    /// `--response` names an endpoint that is not in the data.
    #[error(
        "--response {name}: endpoint '{given}' is not in the data; endpoints found: {endpoints}"
    )]
    UnknownResponseEndpoint {
        name: String,
        given: String,
        endpoints: String,
    },
    /// `--ordinal` names an endpoint that is not in the data.
    #[error(
        "endpoint '{given}' (from --ordinal) is not in the data; endpoints found: {endpoints}"
    )]
    UnknownOrdinalEndpoint { given: String, endpoints: String },
    /// A numeric option out of range.
    #[error("{what}: found {found}, expected {expected}")]
    InvalidOption {
        what: &'static str,
        found: String,
        expected: &'static str,
    },
}

/// One row of the results table: a [`TestResult`] and where it belongs.
#[derive(Debug, Clone, Serialize)]
pub struct ResultRow {
    /// Endpoint, arm, visit, comparison, estimand and method.
    #[serde(flatten)]
    pub key: RowKey,
    pub result: TestResult,
    /// Patients behind the row.
    pub n: usize,
    /// Patients of the arm with data on this endpoint who are not behind the row.
    pub n_left_out: usize,
    /// Why statistics are missing, what was dropped, which approximation was used.
    pub note: String,
    /// Multiplicity-adjusted p-value (`--adjust`, `--hierarchy`).
    pub p_adjusted: Option<f64>,
}

/// Descriptive summary of one endpoint × arm × follow-up visit cell, for the human table.
#[derive(Debug, Clone, Serialize)]
pub struct CellSummary {
    pub endpoint: String,
    pub arm: String,
    pub visit: String,
    pub direction: Direction,
    /// Patients with both a baseline and a follow-up value.
    pub n: usize,
    pub baseline_mean: Option<f64>,
    pub baseline_sd: Option<f64>,
    pub follow_up_mean: Option<f64>,
    pub follow_up_sd: Option<f64>,
    /// (threshold, responders, patients with a percent change)
    pub responders: Vec<(f64, usize, usize)>,
    /// (cleared, patients)
    pub cleared: (usize, usize),
    /// Box-plot numbers of the percent changes, for the figures: computed only with
    /// [`AnalysisOptions::patient_table`] (a sort of every cell otherwise spent for nothing).
    pub pct_box: Option<crate::stats::descriptive::BoxStats>,
}

/// A name shared by many rows (endpoint, arm, visit, patient id): compares and prints as a
/// `str` (`&*name`), clones without copying.
pub type Name = std::sync::Arc<str>;

/// One patient's change at one follow-up visit: the tidy data behind the figures.
#[derive(Debug, Clone, Serialize)]
pub struct PatientChange {
    pub endpoint: Name,
    pub arm: Name,
    pub visit: Name,
    /// The visit's week, if the file gives one.
    pub week: Option<f64>,
    pub patient: Name,
    pub baseline: f64,
    pub follow_up: f64,
    pub change: f64,
    /// None when the baseline is 0.
    pub pct_change: Option<f64>,
    /// Follow-up value equals the clear value.
    pub cleared: bool,
}

/// Everything `report` needs.
#[derive(Debug, Clone, Serialize)]
pub struct Analysis {
    pub options: AnalysisOptions,
    pub baseline_visit: String,
    /// The baseline visit's week, if the file gives one.
    pub baseline_week: Option<f64>,
    pub control_arm: Option<String>,
    pub follow_up_visits: Vec<String>,
    pub directions: Vec<(String, Direction)>,
    pub rows: Vec<ResultRow>,
    pub cells: Vec<CellSummary>,
    /// Per-patient changes behind every within-arm cell (for figures and claim checks); empty
    /// unless [`AnalysisOptions::patient_table`].
    pub patients: Vec<PatientChange>,
    pub audit: Audit,
    /// Responders behind each response rate (n/N), for the responder table and figures; empty
    /// unless `--response` or `--strata` is given.
    #[serde(skip)]
    pub response_counts: Vec<ResponseCount>,
    /// Per stratum, each contrast's 2 × 2 table and difference (`--strata` only).
    #[serde(skip)]
    pub stratum_differences: Vec<StratumDifference>,
    /// The `--strata` columns (empty without), for the tables' headers.
    #[serde(skip)]
    pub strata_columns: Vec<String>,
}

/// A visit whose week is earlier than the baseline's (e.g. screening): not a follow-up.
pub(crate) fn before_baseline(cohort: &Cohort, visit: usize, baseline: usize) -> bool {
    matches!(
        (cohort.visits[visit].week, cohort.visits[baseline].week),
        (Some(w), Some(b)) if w < b
    )
}

impl Analysis {
    /// The row with this key, if there is one.
    pub fn row(&self, key: &RowKey) -> Option<&ResultRow> {
        self.rows.iter().find(|r| r.key == *key)
    }
}

const BASELINE_NAMES: &[&str] = &["baseline", "bl", "screening-day-0"];
const CONTROL_NAMES: &[&str] = &["placebo", "control", "vehicle"];

fn check_options(o: &AnalysisOptions) -> Result<(), AnalysisError> {
    if !(o.conf_level > 0.0 && o.conf_level < 1.0) {
        return Err(AnalysisError::InvalidOption {
            what: "--conf-level",
            found: o.conf_level.to_string(),
            expected: "a number strictly between 0 and 1, such as 0.95",
        });
    }
    for &p in &o.responder_thresholds {
        if !(p.is_finite() && p > 0.0) {
            return Err(AnalysisError::InvalidOption {
                what: "--responder",
                found: p.to_string(),
                expected: "positive percentages of baseline, such as 50,75",
            });
        }
    }
    if let Some(b) = o.bootstrap {
        if b < 100 {
            return Err(AnalysisError::InvalidOption {
                what: "--bootstrap",
                found: b.to_string(),
                expected: "at least 100 resamples (10000 is a good choice)",
            });
        }
    }
    if let Some(p) = o.permutations {
        if p < 100 {
            return Err(AnalysisError::InvalidOption {
                what: "--permutations",
                found: p.to_string(),
                expected: "at least 100 Monte-Carlo draws (100000 is a good choice)",
            });
        }
    }
    if !o.clear_value.is_finite() {
        return Err(AnalysisError::InvalidOption {
            what: "--clear-value",
            found: o.clear_value.to_string(),
            expected: "a finite number",
        });
    }
    Ok(())
}

/// The baseline visit: as given, else one named like a baseline, else the earliest week.
pub fn find_baseline(cohort: &Cohort, given: Option<&str>) -> Result<usize, AnalysisError> {
    let visits = || {
        cohort
            .visits
            .iter()
            .map(|v| v.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    if let Some(name) = given {
        return cohort
            .visit_index(name)
            .ok_or_else(|| AnalysisError::UnknownBaseline {
                given: name.to_string(),
                visits: visits(),
            });
    }
    if let Some(i) = cohort.visits.iter().position(|v| {
        BASELINE_NAMES
            .iter()
            .any(|b| v.name.eq_ignore_ascii_case(b))
    }) {
        return Ok(i);
    }
    // Visits are sorted by week, visits with a week first.
    match cohort.visits.first() {
        Some(v) if v.week.is_some() => Ok(0),
        _ => Err(AnalysisError::NoBaseline { visits: visits() }),
    }
}

/// The control arm: as given, else one named placebo/control/vehicle, else none.
pub fn find_control(cohort: &Cohort, given: Option<&str>) -> Result<Option<usize>, AnalysisError> {
    if let Some(name) = given {
        return cohort
            .arm_index(name)
            .map(Some)
            .ok_or_else(|| AnalysisError::UnknownControl {
                given: name.to_string(),
                arms: cohort.arms.join(", "),
            });
    }
    Ok(cohort
        .arms
        .iter()
        .position(|a| CONTROL_NAMES.iter().any(|c| a.eq_ignore_ascii_case(c))))
}

/// Run the analysis: every within-arm row of the results table for every endpoint × arm ×
/// follow-up visit, and the audit.
pub fn analyze(cohort: &Cohort, options: &AnalysisOptions) -> Result<Analysis, AnalysisError> {
    analyze_with_progress(cohort, options, &|_, _| {})
}

/// [`analyze`], calling `progress(done, total)` as each endpoint × visit cell is finished (from
/// any thread; for a progress bar).
pub fn analyze_with_progress(
    cohort: &Cohort,
    options: &AnalysisOptions,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<Analysis, AnalysisError> {
    check_options(options)?;
    let baseline = find_baseline(cohort, options.baseline.as_deref())?;
    let control = find_control(cohort, options.control.as_deref())?;
    for name in &options.higher_is_better {
        if !cohort
            .endpoints
            .iter()
            .any(|e| e == name || e.eq_ignore_ascii_case(name))
        {
            return Err(AnalysisError::UnknownEndpoint {
                given: name.clone(),
                endpoints: cohort.endpoints.join(", "),
            });
        }
    }
    let directions: Vec<Direction> = cohort
        .endpoints
        .iter()
        .map(|e| {
            if options
                .higher_is_better
                .iter()
                .any(|h| h == e || h.eq_ignore_ascii_case(e))
            {
                Direction::HigherIsBetter
            } else {
                Direction::LowerIsBetter
            }
        })
        .collect();
    // Follow-up visits: every other visit, except those timed before the baseline.
    let follow_ups: Vec<usize> = (0..cohort.visits.len())
        .filter(|&v| v != baseline && !before_baseline(cohort, v, baseline))
        .collect();
    if follow_ups.is_empty() {
        return Err(AnalysisError::NoFollowUp {
            baseline: cohort.visits[baseline].name.clone(),
        });
    }
    for d in &options.responses {
        if !cohort.endpoints.contains(&d.endpoint) {
            return Err(AnalysisError::UnknownResponseEndpoint {
                name: d.name.clone(),
                given: d.endpoint.clone(),
                endpoints: cohort.endpoints.join(", "),
            });
        }
    }
    for name in &options.ordinal {
        if !cohort.endpoints.iter().any(|e| e == name) {
            return Err(AnalysisError::UnknownOrdinalEndpoint {
                given: name.clone(),
                endpoints: cohort.endpoints.join(", "),
            });
        }
    }
    for name in &options.hierarchy {
        if !cohort.endpoints.iter().any(|e| e == name) {
            return Err(AnalysisError::UnknownEndpoint {
                given: name.clone(),
                endpoints: cohort.endpoints.join(", "),
            });
        }
    }

    let names = if options.patient_table {
        endpoint::Names::new(cohort)
    } else {
        endpoint::Names::default()
    };
    let plan = endpoint::Plan {
        cohort,
        options,
        directions: &directions,
        baseline,
        control,
        follow_ups: &follow_ups,
        names: &names,
        strata: (!cohort.strata.is_empty()).then(|| {
            let (labels, codes) = crate::data::strata::combined(cohort);
            responders::Strata { labels, codes }
        }),
    };
    let endpoint::Output {
        mut rows,
        cells,
        patients,
        response_counts,
        stratum_differences,
    } = endpoint::run(&plan, progress);
    multiplicity::adjust(&mut rows, options);
    let audit = audit::account(cohort, baseline, options.missing);
    Ok(Analysis {
        options: options.clone(),
        baseline_visit: cohort.visits[baseline].name.clone(),
        baseline_week: cohort.visits[baseline].week,
        control_arm: control.map(|c| cohort.arms[c].clone()),
        follow_up_visits: follow_ups
            .iter()
            .map(|&v| cohort.visits[v].name.clone())
            .collect(),
        directions: cohort.endpoints.iter().cloned().zip(directions).collect(),
        rows,
        cells,
        patients,
        audit,
        response_counts,
        stratum_differences,
        strata_columns: cohort.strata.iter().map(|s| s.name.clone()).collect(),
    })
}
