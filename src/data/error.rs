//! Errors from reading and validating an input file. Each names the file and, where there is
//! one, the line and column, what was found and what was expected.

use std::path::PathBuf;

/// Why an input file could not be turned into a cohort.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DataError {
    /// The file could not be opened or read.
    #[error("{path}: cannot read the file: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The file has no bytes, or only white space.
    #[error("{path}: the file is empty; expected a header line and at least one data row")]
    Empty { path: PathBuf },
    /// A header but no data rows.
    #[error("{path}: the file has a header line but no data rows")]
    NoDataRows { path: PathBuf },
    /// The CSV parser rejected the file.
    #[error("{path}: not a readable CSV file: {message}")]
    Parse { path: PathBuf, message: String },
    /// A column that is needed could not be found.
    #[error("{path}: {what}. Columns found: {found}. Expected: {expected}")]
    MissingColumns {
        path: PathBuf,
        what: String,
        found: String,
        expected: String,
    },
    /// A column named on the command line is not in the file.
    #[error(
        "{path}: column '{name}' (given with {flag}) is not in the file. Columns found: {found}"
    )]
    UnknownColumn {
        path: PathBuf,
        name: String,
        flag: &'static str,
        found: String,
    },
    /// With `--adsl`: a column named on the command line is in neither the file nor ADSL.
    #[error(
        "{path}: column '{name}' (given with {flag}) is in neither this file nor the ADSL file {adsl}. Columns found here: {found}; in ADSL: {found_adsl}",
        adsl = adsl.display()
    )]
    NotInFileOrAdsl {
        path: PathBuf,
        adsl: PathBuf,
        name: String,
        flag: &'static str,
        found: String,
        found_adsl: String,
    },
    /// A value that should be a number is not one.
    #[error("{path}:{line}: column '{column}': found '{found}', expected a number (empty or NA for missing){hint}")]
    NotANumber {
        path: PathBuf,
        line: u64,
        column: String,
        found: String,
        hint: String,
    },
    /// `inf`, `nan` and the like.
    #[error("{path}:{line}: column '{column}': found '{found}', expected a finite number (write NA or leave the cell empty for a missing value)")]
    NotFinite {
        path: PathBuf,
        line: u64,
        column: String,
        found: String,
    },
    /// A patient, visit, arm or endpoint cell is empty.
    #[error("{path}:{line}: column '{column}' is empty; expected a {what} on every row")]
    MissingKey {
        path: PathBuf,
        line: u64,
        column: String,
        what: &'static str,
    },
    /// The same patient × visit × endpoint appears twice.
    #[error("{path}:{line}: patient '{patient}', visit '{visit}', endpoint '{endpoint}' appears again (first at line {first_line}); expected one value per patient, visit and endpoint")]
    Duplicate {
        path: PathBuf,
        line: u64,
        first_line: u64,
        patient: String,
        visit: String,
        endpoint: String,
    },
    /// A patient is listed under two arms.
    #[error("{path}:{line}: patient '{patient}' is in arm '{arm}' here but in arm '{first_arm}' at line {first_line}; expected one arm per patient")]
    PatientInTwoArms {
        path: PathBuf,
        line: u64,
        first_line: u64,
        patient: String,
        arm: String,
        first_arm: String,
    },
    /// One visit with two different week numbers.
    #[error("{path}:{line}: visit '{visit}' has week {week} here but week {first_week} at line {first_line}; expected one week per visit")]
    InconsistentWeek {
        path: PathBuf,
        line: u64,
        first_line: u64,
        visit: String,
        week: f64,
        first_week: f64,
    },
    /// A covariate takes two values for one patient.
    #[error("{path}:{line}: covariate '{column}' is '{value}' for patient '{patient}' here but '{first_value}' at line {first_line}; expected one value per patient")]
    CovariateNotConstant {
        path: PathBuf,
        line: u64,
        first_line: u64,
        column: String,
        patient: String,
        value: String,
        first_value: String,
    },
    /// A `--strata` column takes two values for one patient (a stratum is a patient-level
    /// randomisation factor).
    #[error("{path}:{line}: stratum column '{column}' (given with --strata) is '{value}' for patient '{patient}' here but '{first_value}' at line {first_line}; expected one stratum per patient")]
    StratumNotConstant {
        path: PathBuf,
        line: u64,
        first_line: u64,
        column: String,
        patient: String,
        value: String,
        first_value: String,
    },
    /// A patient has no value in a `--strata` column.
    #[error("{path}:{line}: strata column '{column}' is empty for patient '{patient}' on every row; expected one stratum per patient")]
    EmptyStratum {
        path: PathBuf,
        line: u64,
        column: String,
        patient: String,
    },
    /// A flag column (`--intercurrent`) holds something other than a flag.
    #[error("{path}:{line}: column '{column}': found '{value}', expected a flag: Y/N, 1/0, true/false or empty")]
    BadFlag {
        path: PathBuf,
        line: u64,
        column: String,
        value: String,
    },
    /// No endpoint columns (wide layout) or no endpoint values left after filtering.
    #[error("{path}: no endpoint to analyse: {detail}")]
    NoEndpoints { path: PathBuf, detail: String },
    /// A file that starts like a SAS transport file but cannot be read as one.
    #[error("{path}: not a readable SAS transport (XPT) file: {message}")]
    Xpt { path: PathBuf, message: String },
    /// A file that starts like Parquet (`PAR1`) but cannot be read as one.
    #[error("{path}: not a readable Parquet file: {message}")]
    Parquet { path: PathBuf, message: String },
    /// A file of a format recognised but not read.
    #[error("{path}: {message}")]
    Unsupported { path: PathBuf, message: String },
    /// A file that starts like a SAS data set (sas7bdat) but cannot be read as one.
    #[error("{path}: not a readable SAS data set (sas7bdat): {message}")]
    Sas7bdat { path: PathBuf, message: String },
    /// A transport file's member named with `--member` is not in the file, or the file holds
    /// several and none was named.
    #[error("{path}: {message}")]
    Member { path: PathBuf, message: String },
    /// The ADaM filters (parameters, DTYPE, analysis flag, population) left no record.
    #[error("{path}: no record is left to analyse after the filters ({detail})")]
    NoRecordsLeft { path: PathBuf, detail: String },
    /// An ADaM option that the file cannot satisfy (a missing variable, an ADSL without
    /// USUBJID, …).
    #[error("{path}: {message}")]
    Adam { path: PathBuf, message: String },
    /// An endpoint with no baseline record: change from baseline does not apply.
    #[error("{path}: {message}")]
    NoBaselineRecord { path: PathBuf, message: String },
}
