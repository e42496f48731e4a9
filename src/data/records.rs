//! A CSV file as a table of text cells with their line numbers, for the subject-level readers
//! (`time_to_event`, `adverse_events`): one record per subject or event, columns found by
//! name. Every error names the file, the line and the column, and what was expected.
//!
//! A SAS transport file (XPT v5/v8, one data set), a SAS data set (sas7bdat) or a Parquet file,
//! recognised by its first bytes, is read into the same table: numbers as their shortest round-trip text (so they parse
//! back bit for bit), SAS missing values and nulls as empty cells, character values trimmed;
//! the "line" of a row is then its record number (1 = first record).

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

/// The format of a subject-level file, from its first bytes, when it is not delimited text
/// (for the JSON meta's `input.format`); None for CSV or a file that cannot be opened.
pub fn non_csv_format(path: &Path) -> Option<super::FileFormat> {
    use std::io::Read;
    let mut head = Vec::with_capacity(32);
    std::fs::File::open(path)
        .ok()?
        .take(32)
        .read_to_end(&mut head)
        .ok()?;
    if head.starts_with(b"HEADER RECORD*******LIBV8") {
        Some(super::FileFormat::XptV8)
    } else if super::xpt::is_xpt(&head) {
        Some(super::FileFormat::XptV5)
    } else if super::parquet::is_parquet(&head) {
        Some(super::FileFormat::Parquet)
    } else if super::sas7bdat::is_sas7bdat(&head) {
        Some(super::FileFormat::Sas7bdat)
    } else {
        None
    }
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
        if super::xpt::is_xpt(&bytes) {
            return Self::from_xpt(path, &bytes);
        }
        // The readers' messages start with the path, which this error adds itself.
        let prefix = format!("{}: ", path.display());
        let reader_err = |e: super::DataError| {
            let text = e.to_string();
            err(text.strip_prefix(&prefix).unwrap_or(&text).to_string())
        };
        if super::parquet::is_parquet(&bytes) {
            let df = super::parquet::read_string_frame(path).map_err(reader_err)?;
            return Self::from_frame(path, &df);
        }
        if super::sas7bdat::is_sas7bdat(&bytes) {
            let table = super::sas7bdat::read(path).map_err(reader_err)?;
            return Self::from_frame(path, &table.frame);
        }
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

    /// The only data set of a SAS transport file.
    fn from_xpt(path: &Path, bytes: &[u8]) -> Result<Records, RecordsError> {
        let err = |message: String| RecordsError::Read {
            path: path.to_path_buf(),
            message,
        };
        let file = super::xpt::parse(bytes).map_err(|e| err(format!("SAS transport file: {e}")))?;
        if file.members.len() != 1 {
            return Err(err(format!(
                "the transport file holds {} data sets ({}); this command reads a file with one",
                file.members.len(),
                file.members
                    .iter()
                    .map(|m| m.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
        let Some(member) = file.members.into_iter().next() else {
            return Err(err("the transport file holds no data set".into()));
        };
        let df = super::xpt::frame::into_string_frame(member).map_err(|e| err(e.to_string()))?;
        Self::from_frame(path, &df)
    }

    /// A frame of string columns (nulls as empty cells), rows numbered from 1.
    fn from_frame(path: &Path, df: &polars::prelude::DataFrame) -> Result<Records, RecordsError> {
        let err = |message: String| RecordsError::Read {
            path: path.to_path_buf(),
            message,
        };
        let headers: Vec<String> = df
            .get_column_names()
            .iter()
            .map(|h| h.trim().to_string())
            .collect();
        let height = df.height();
        if height == 0 {
            return Err(RecordsError::Empty {
                path: path.to_path_buf(),
            });
        }
        let mut rows = vec![Vec::with_capacity(headers.len()); height];
        for column in df.columns() {
            let values = column.str().map_err(|e| err(e.to_string()))?;
            for (row, value) in rows.iter_mut().zip(values.iter()) {
                row.push(value.map_or_else(String::new, |v| v.trim().to_string()));
            }
        }
        Ok(Records {
            path: path.to_path_buf(),
            headers,
            rows,
            lines: (1..=height as u64).collect(),
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
