//! What the caller asks of a reader ([`ReadOptions`]) and what it is told about the file
//! ([`SourceInfo`]): the public vocabulary of reading, shared by every reader and format.
//! Plain data only: it must not read files or know any format.

use serde::Serialize;
use std::path::PathBuf;

/// Long or wide layout, as detected or as forced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Layout {
    /// One row per patient × visit × endpoint: `endpoint` and `value` columns.
    Long,
    /// One row per patient × visit, one numeric column per endpoint.
    Wide,
}

/// `--layout`: detect, or force one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LayoutChoice {
    #[default]
    Auto,
    Long,
    Wide,
}

/// How to read a file. Column names are matched case-insensitively.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ReadOptions {
    pub layout: LayoutChoice,
    pub id_col: Option<String>,
    pub arm_col: Option<String>,
    pub visit_col: Option<String>,
    pub week_col: Option<String>,
    pub endpoint_col: Option<String>,
    pub value_col: Option<String>,
    /// Endpoints to analyse (wide: columns; long: values of the endpoint column). All if None.
    pub endpoints: Option<Vec<String>>,
    /// Patient-level covariate columns (constant within a patient), numeric or categorical.
    pub covariates: Vec<String>,
    /// The data set of a SAS transport file with several (`--member`).
    pub member: Option<String>,
    /// CDISC ADaM semantics (`--param`, `--dtype`, `--anl-flag`, `--treatment`, `--adsl`,
    /// `--population`); see `adam`.
    pub adam: AdamOptions,
}

/// `--treatment`: the planned or the actual treatment of ADaM.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Treatment {
    /// `TRTP`, else `TRT01P` (the default).
    #[default]
    Planned,
    /// `TRTA`, else `TRT01A`.
    Actual,
}

/// What to do with the ADaM variables of a basic data structure (BDS) file and its ADSL.
#[derive(Debug, Clone, Default, Serialize)]
pub struct AdamOptions {
    /// `--param`: the `PARAMCD` values to analyse (all if None).
    pub params: Option<Vec<String>>,
    /// `--dtype`: use the sponsor's derived records of this `DTYPE` (e.g. LOCF) in place of the
    /// observed ones at their visits; None = observed records only.
    pub dtype: Option<String>,
    /// `--anl-flag`: keep only records with this flag = "Y" (e.g. ANL01FL).
    pub anl_flag: Option<String>,
    /// `--treatment`: None = planned (when the file is ADaM and no --arm-col is given).
    pub treatment: Option<Treatment>,
    /// `--adsl`: the subject-level file joined by USUBJID.
    pub adsl: Option<PathBuf>,
    /// `--population`: the ADSL flag (ITTFL, EFFFL, SAFFL, …) whose "Y" patients are kept.
    pub population: Option<String>,
    /// The baseline visit given to the analysis (`--baseline`): then a parameter without a
    /// baseline record is not refused.
    pub baseline: Option<String>,
}

impl AdamOptions {
    /// Whether any ADaM option was given.
    pub fn any(&self) -> bool {
        self.params.is_some()
            || self.dtype.is_some()
            || self.anl_flag.is_some()
            || self.treatment.is_some()
            || self.adsl.is_some()
            || self.population.is_some()
    }
}

/// Which file columns were used for what.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ColumnMap {
    pub patient_id: String,
    pub arm: Option<String>,
    pub visit: String,
    pub week: Option<String>,
    pub endpoint: Option<String>,
    pub value: Option<String>,
    pub endpoint_columns: Vec<String>,
}

/// Where the data came from and how it was read.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SourceInfo {
    pub path: PathBuf,
    pub sha256: String,
    pub delimiter: String,
    pub layout: Layout,
    pub columns: ColumnMap,
    /// The file's format, data set and label, and the record filters applied.
    pub file: FileDetails,
    /// Which reader built the cohort. Not in the JSON meta (skipped), so that the output does
    /// not depend on the path taken; tests assert on it.
    #[serde(skip)]
    pub reader: ReaderKind,
}

/// The reader that built a cohort. One variant per reader: the next input formats add theirs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ReaderKind {
    /// The typed CSV reader: well-formed long files, keys parsed as codes (`csv_typed`).
    CsvTyped,
    /// The validating CSV reader: every other file, and the one that names what is wrong
    /// (`csv_strings`).
    CsvStrings,
    /// The validating reader on a table read from another format (SAS transport), or on a
    /// CSV file's rows after the ADaM record filters.
    StringTable,
}

/// The kind of input file, as recognised by its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FileFormat {
    #[default]
    Csv,
    /// SAS transport, version 5.
    XptV5,
    /// SAS transport, version 8.
    XptV8,
    /// Apache Parquet.
    Parquet,
    /// A SAS data set.
    Sas7bdat,
}

/// A record filter and how many records it removed (the ADaM filters and the population).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FilterCount {
    /// What the filter keeps, e.g. `DTYPE empty (observed records)` or `EFFFL = "Y"`.
    pub filter: String,
    /// Records it removed (each record is counted under the first filter that removed it).
    pub removed: u64,
}

/// What the file is, beyond its columns: for the audit and the JSON meta.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct FileDetails {
    pub format: FileFormat,
    /// The data set read from a transport file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub member: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dataset_label: Option<String>,
    /// ADaM: the filters applied, in order, with the records each removed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub filters: Vec<FilterCount>,
    /// ADaM: endpoint (PARAMCD) → label (PARAM).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub endpoint_labels: Vec<(String, String)>,
    /// ADaM: the subject-level file joined.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub adsl: Option<PathBuf>,
    /// ADaM: the columns taken from it (treatment, `--covariate`, `--strata`), as named there.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub adsl_columns: Vec<String>,
}

impl FileDetails {
    /// Whether there is anything to report beyond a plain CSV file.
    pub fn is_plain_csv(&self) -> bool {
        self.format == FileFormat::Csv && self.filters.is_empty() && self.adsl.is_none()
    }
}
