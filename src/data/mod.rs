//! Reading and validating patient-level data into a typed [`Cohort`].
//!
//! This module knows about files, CSV dialects and column names; it knows nothing of
//! baselines, estimands or statistics (that is `analysis`). Every input row is kept track of
//! (`Cohort::source_row`) so that `analysis` can account for each one: used, or left out with
//! a reason.
//!
//! The front door is [`read_cohort`] (`source`): it recognises the file's format and picks the
//! reader. Modules, from the bottom up:
//! - `options` (what is asked and told), `columns` (the one column resolver), `csv_text` (CSV
//!   lines and fields without polars), `polars_csv` (the only door to polars' CSV reader),
//!   `assemble` (the parts every reader produces, turned into a [`Cohort`]), `hash`;
//! - the readers: `csv_typed` (fast, well-formed long files) and `csv_strings` (everything
//!   else, and the one that explains what is wrong); neither imports the other;
//! - `source`, the front door, which alone knows both.

mod adam;
mod adsl;
pub mod adverse_events;
mod assemble;
mod columns;
mod csv_strings;
mod csv_text;
mod csv_typed;
mod error;
pub mod flags;
mod hash;
pub mod natural;
mod options;
mod parquet;
mod polars_csv;
pub mod records;
pub mod sas7bdat;
mod source;
pub mod strata;
pub mod time_to_event;
pub mod xpt;

pub use error::DataError;
pub use hash::PendingHash;
pub use options::{
    AdamOptions, ColumnMap, FileDetails, FileFormat, FilterCount, Layout, LayoutChoice,
    ReadOptions, ReaderKind, SourceInfo, Treatment,
};
#[doc(hidden)]
pub use source::read_cohort_string_reader_only;
pub use source::{read_cohort, read_cohort_hash_pending};

use serde::Serialize;

/// A visit and, where the file gives one, its time in weeks (or the visit number for ADaM's
/// AVISITN), which orders the visits.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Visit {
    pub name: String,
    pub week: Option<f64>,
}

/// A patient and the index of their arm in [`Cohort::arms`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Patient {
    pub id: String,
    pub arm: usize,
}

/// A patient-level covariate: numeric if every value is a number, else categorical.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Covariate {
    pub name: String,
    pub values: CovariateValues,
}

/// Values of a covariate, one per patient (None = missing).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CovariateValues {
    Numeric(Vec<Option<f64>>),
    /// Levels in natural order; codes index `levels`.
    Categorical {
        levels: Vec<String>,
        codes: Vec<Option<u32>>,
    },
}

/// Why an input row was not read into the cohort at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ReadExclusion {
    /// Long layout: the row's endpoint was not among those chosen with `--endpoints`.
    EndpointNotSelected,
    /// ADaM: the record's PARAMCD was not chosen with `--param`.
    ParameterNotSelected,
    /// ADaM: the patient is not in the ADSL file.
    NotInAdsl,
    /// ADaM: the patient's population flag (`--population`) is missing.
    PopulationFlagMissing,
    /// ADaM: the patient's population flag is not "Y".
    OutsidePopulation,
    /// ADaM: a record derived by the sponsor (DTYPE not empty) that was not asked for (`--dtype`).
    DerivedRecord,
    /// ADaM: an observed record replaced by the derived record asked for with `--dtype`.
    ReplacedByDerived,
    /// ADaM: the analysis flag (`--anl-flag`) is not "Y".
    NotAnalysisFlagged,
    /// ADaM: a record at the baseline visit that is not the one flagged ABLFL = "Y".
    NotBaselineRecord,
}

impl ReadExclusion {
    /// The key under which the audit counts it.
    pub fn key(&self) -> &'static str {
        match self {
            ReadExclusion::EndpointNotSelected => "endpoint_not_selected",
            ReadExclusion::ParameterNotSelected => "parameter_not_selected",
            ReadExclusion::NotInAdsl => "not_in_adsl",
            ReadExclusion::PopulationFlagMissing => "population_flag_missing",
            ReadExclusion::OutsidePopulation => "outside_population",
            ReadExclusion::DerivedRecord => "derived_record",
            ReadExclusion::ReplacedByDerived => "replaced_by_derived",
            ReadExclusion::NotAnalysisFlagged => "not_analysis_flagged",
            ReadExclusion::NotBaselineRecord => "not_baseline_record",
        }
    }

    /// For people.
    pub fn describe(&self) -> &'static str {
        match self {
            ReadExclusion::EndpointNotSelected => "endpoint not selected (--endpoints)",
            ReadExclusion::ParameterNotSelected => "parameter not selected (--param)",
            ReadExclusion::NotInAdsl => "patient not in the ADSL file",
            ReadExclusion::PopulationFlagMissing => "population flag missing in ADSL",
            ReadExclusion::OutsidePopulation => "outside the analysis population",
            ReadExclusion::DerivedRecord => "derived record (DTYPE) not used",
            ReadExclusion::ReplacedByDerived => {
                "observed record replaced by the derived one (--dtype)"
            }
            ReadExclusion::NotAnalysisFlagged => "analysis flag not Y (--anl-flag)",
            ReadExclusion::NotBaselineRecord => {
                "record at the baseline visit not flagged ABLFL = Y"
            }
        }
    }
}

/// Validated data: arms, visits, endpoints and patients in a fixed order, and a dense
/// endpoint × patient × visit table of values.
///
/// Orders do not depend on the order of rows in the file: arms and patients are sorted
/// naturally, visits by week and then by name, endpoints by column order (wide) or by name (long).
#[derive(Debug, Clone)]
pub struct Cohort {
    pub source: SourceInfo,
    pub arms: Vec<String>,
    pub visits: Vec<Visit>,
    pub endpoints: Vec<String>,
    pub patients: Vec<Patient>,
    /// Rows of the file (data rows, header excluded).
    pub rows_read: u64,
    /// Rows not read into the cohort, with the reason.
    pub rows_excluded: Vec<(u32, ReadExclusion)>,
    /// Things the user should know that are not errors (negative values, …).
    pub warnings: Vec<String>,
    /// Patient-level covariates (`--covariate`), in patient order.
    pub covariates: Vec<Covariate>,
    /// Patient-level stratification columns (`--strata`), in patient order; see
    /// [`strata::take_strata`].
    pub strata: Vec<Covariate>,
    /// NaN = missing; index [(endpoint * n_patients + patient) * n_visits + visit].
    values: Vec<f64>,
    /// 0-based data row each cell came from; `u32::MAX` if no row gave it.
    rows: Vec<u32>,
}

impl Cohort {
    /// After the ADaM filters: give cells and exclusions the file's record numbers (`kept`
    /// maps row → record), count every record read, and add the records the filters removed.
    pub(crate) fn renumber_rows(
        &mut self,
        kept: &[u32],
        n_records: usize,
        removed: Vec<(u32, ReadExclusion)>,
    ) {
        for r in self.rows.iter_mut().filter(|r| **r != u32::MAX) {
            *r = kept[*r as usize];
        }
        for (r, _) in self.rows_excluded.iter_mut() {
            *r = kept[*r as usize];
        }
        self.rows_excluded.extend(removed);
        self.rows_excluded.sort_unstable();
        self.rows_read = n_records as u64;
    }

    fn slot(&self, endpoint: usize, patient: usize, visit: usize) -> usize {
        (endpoint * self.patients.len() + patient) * self.visits.len() + visit
    }

    /// The value of an endpoint for a patient at a visit, if present.
    pub fn value(&self, endpoint: usize, patient: usize, visit: usize) -> Option<f64> {
        let v = self.values[self.slot(endpoint, patient, visit)];
        (!v.is_nan()).then_some(v)
    }

    /// Set a value to missing (the hypothetical strategy of `--intercurrent`).
    pub fn clear_value(&mut self, endpoint: usize, patient: usize, visit: usize) {
        let slot = self.slot(endpoint, patient, visit);
        self.values[slot] = f64::NAN;
    }

    /// The 0-based data row that held this cell (value or explicit missing), if any.
    pub fn source_row(&self, endpoint: usize, patient: usize, visit: usize) -> Option<u32> {
        let r = self.rows[self.slot(endpoint, patient, visit)];
        (r != u32::MAX).then_some(r)
    }

    /// Index of a visit by name (exact match first, then case-insensitive).
    pub fn visit_index(&self, name: &str) -> Option<usize> {
        self.visits.iter().position(|v| v.name == name).or_else(|| {
            self.visits
                .iter()
                .position(|v| v.name.eq_ignore_ascii_case(name))
        })
    }

    /// Index of an arm by name (exact match first, then case-insensitive).
    pub fn arm_index(&self, name: &str) -> Option<usize> {
        self.arms
            .iter()
            .position(|a| a == name)
            .or_else(|| self.arms.iter().position(|a| a.eq_ignore_ascii_case(name)))
    }
}
