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
}
