//! A CSV file as a table of text cells with their line numbers, for the subject-level readers
//! (`time_to_event`, `adverse_events`): one record per subject or event, columns found by
//! name. Every error names the file, the line and the column, and what was expected.

use std::path::{Path, PathBuf};

/// Why a subject-level file cannot be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RecordsError {
    /// The file cannot be opened or parsed as CSV.
    #[error("{path}: cannot read: {message}")]
    Read { path: PathBuf, message: String },
    /// A header but no rows, or nothing.
    #[error("{path}: no data rows")]
    Empty { path: PathBuf },
    /// A column named with a flag is not in the file.
    #[error(
        "{path}: column '{name}' (given with {flag}) is not in the file. Columns found: {found}"
    )]
    UnknownColumn {
        path: PathBuf,
        name: String,
        flag: &'static str,
        found: String,
    },
    /// No column of the recognised names.
    #[error("{path}: no {what} column. Columns found: {found}. Expected one of: {expected} (or name it with {flag})")]
    MissingColumn {
        path: PathBuf,
        what: &'static str,
        found: String,
        expected: String,
        flag: &'static str,
    },
    /// A cell with a value the column cannot hold.
    #[error("{path}:{line}: column '{column}': found '{found}', expected {expected}")]
    BadValue {
        path: PathBuf,
        line: u64,
        column: String,
        found: String,
        expected: &'static str,
    },
    /// Options that contradict each other or the data.
    #[error("{path}: {message}")]
    Invalid { path: PathBuf, message: String },
}

/// Rows of text cells; `lines[i]` is the file line of row i (header = line 1).
#[derive(Debug, Clone)]
pub struct Records {
    pub path: PathBuf,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
    pub lines: Vec<u64>,
}

impl Records {
    /// Read a comma-, semicolon- or tab-separated file (delimiter from the header line).
    pub fn read(path: &Path) -> Result<Records, RecordsError> {
        let err = |message: String| RecordsError::Read {
            path: path.to_path_buf(),
            message,
        };
        let bytes = std::fs::read(path).map_err(|e| err(e.to_string()))?;
        let first = bytes.split(|&b| b == b'\n').next().unwrap_or(&[]);
        let count = |c: u8| first.iter().filter(|&&b| b == c).count();
        let delimiter = [b',', b';', b'\t']
            .into_iter()
            .max_by_key(|&c| count(c))
            .unwrap_or(b',');
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .flexible(false)
            .from_reader(&bytes[..]);
        let headers: Vec<String> = reader
            .headers()
            .map_err(|e| err(e.to_string()))?
            .iter()
            .map(|h| h.trim().trim_start_matches('\u{feff}').to_string())
            .collect();
        let (mut rows, mut lines) = (Vec::new(), Vec::new());
        for rec in reader.records() {
            let rec = rec.map_err(|e| err(e.to_string()))?;
            lines.push(rec.position().map_or(0, |p| p.line()));
            rows.push(rec.iter().map(|c| c.trim().to_string()).collect());
        }
        if rows.is_empty() {
            return Err(RecordsError::Empty {
                path: path.to_path_buf(),
            });
        }
        Ok(Records {
            path: path.to_path_buf(),
            headers,
            rows,
            lines,
        })
    }

    /// The column named `given` (exactly, else case-insensitively), or the first of `defaults`
    /// present; `Ok(None)` when neither is given nor found.
    pub fn column(
        &self,
        given: Option<&str>,
        flag: &'static str,
        defaults: &[&str],
    ) -> Result<Option<usize>, RecordsError> {
        let find = |name: &str| {
            self.headers.iter().position(|h| h == name).or_else(|| {
                self.headers
                    .iter()
                    .position(|h| h.eq_ignore_ascii_case(name))
            })
        };
        match given {
            Some(name) => find(name)
                .map(Some)
                .ok_or_else(|| RecordsError::UnknownColumn {
                    path: self.path.clone(),
                    name: name.to_string(),
                    flag,
                    found: self.headers.join(", "),
                }),
            None => Ok(defaults.iter().find_map(|d| find(d))),
        }
    }

    /// Like [`Records::column`] but the column must exist.
    pub fn required(
        &self,
        given: Option<&str>,
        flag: &'static str,
        defaults: &[&str],
        what: &'static str,
    ) -> Result<usize, RecordsError> {
        self.column(given, flag, defaults)?
            .ok_or_else(|| RecordsError::MissingColumn {
                path: self.path.clone(),
                what,
                found: self.headers.join(", "),
                expected: defaults.join(", "),
                flag,
            })
    }

    /// A bad cell, as an error naming its line and column.
    pub fn bad(&self, row: usize, col: usize, expected: &'static str) -> RecordsError {
        RecordsError::BadValue {
            path: self.path.clone(),
            line: self.lines[row],
            column: self.headers[col].clone(),
            found: self.rows[row][col].clone(),
            expected,
        }
    }

    pub fn invalid(&self, message: impl Into<String>) -> RecordsError {
        RecordsError::Invalid {
            path: self.path.clone(),
            message: message.into(),
        }
    }
}

/// Empty, `NA`, `.` (SAS) or `NaN`: a missing value.
pub fn is_missing(cell: &str) -> bool {
    matches!(cell, "" | "NA" | "." | "NaN" | "nan")
}

/// The SHA-256 of a file, hex.
pub fn sha256_file(path: &Path) -> Result<String, RecordsError> {
    use sha2::{Digest, Sha256};
    let bytes = std::fs::read(path).map_err(|e| RecordsError::Read {
        path: path.to_path_buf(),
        message: e.to_string(),
    })?;
    Ok(Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}
