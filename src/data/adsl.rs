//! The subject-level file of ADaM (ADSL, `--adsl`): read from a SAS transport file, a SAS data
//! set (sas7bdat), Parquet or CSV into strings, one row per `USUBJID`, for the ADaM preparation
//! (`adam`) to take population flags, treatment, covariates and strata from. It must not filter or join: `adam` does.

// Errors are the cold path and carry the file and what was wrong; boxing them would buy nothing.
#![allow(clippy::result_large_err)]

use super::columns;
use super::csv_text::detect_delimiter;
use super::{parquet, polars_csv, sas7bdat, xpt, DataError};
use polars::prelude::*;
use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};

/// An ADSL: its columns as strings, and the row of each patient.
pub(super) struct Adsl {
    pub path: PathBuf,
    df: DataFrame,
    pub names: Vec<String>,
    row_of: HashMap<String, usize>,
}

fn adam_error(path: &Path, message: String) -> DataError {
    DataError::Adam {
        path: path.to_path_buf(),
        message,
    }
}

/// Read an ADSL file (SAS transport, sas7bdat, Parquet or CSV, recognised by its first bytes).
pub(super) fn read(path: &Path) -> Result<Adsl, DataError> {
    let io = |source| DataError::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut head = Vec::new();
    std::fs::File::open(path)
        .map_err(io)?
        .take(65536)
        .read_to_end(&mut head)
        .map_err(io)?;
    let df = if xpt::is_xpt(&head) {
        let mut file = xpt::read_file(path)?;
        let index = match file.members.len() {
            1 => 0,
            _ => file
                .members
                .iter()
                .position(|m| m.name.eq_ignore_ascii_case("ADSL"))
                .ok_or_else(|| {
                    adam_error(
                        path,
                        "the transport file holds several data sets and none is named ADSL"
                            .to_string(),
                    )
                })?,
        };
        xpt::frame::into_string_frame(file.members.swap_remove(index))
            .map_err(|e| adam_error(path, e.to_string()))?
    } else if parquet::is_parquet(&head) {
        parquet::read_string_frame(path)?
    } else if sas7bdat::is_sas7bdat(&head) {
        sas7bdat::read(path)?.frame
    } else {
        let text = String::from_utf8_lossy(&head);
        let delimiter = detect_delimiter(text.trim_start_matches('\u{feff}'));
        polars_csv::read_strings(path, delimiter).map_err(|e| DataError::Parse {
            path: path.to_path_buf(),
            message: e.to_string(),
        })?
    };
    let names: Vec<String> = df
        .get_column_names()
        .iter()
        .map(|s| s.to_string())
        .collect();
    let id = columns::find(&names, "USUBJID").ok_or_else(|| {
        adam_error(
            path,
            format!(
                "the ADSL file has no USUBJID column, needed to join it by patient. Columns found: {}",
                columns::found(&names)
            ),
        )
    })?;
    let ids = df
        .column(id)
        .and_then(|c| c.str().cloned())
        .map_err(|e| adam_error(path, e.to_string()))?;
    let mut row_of = HashMap::with_capacity(ids.len());
    for (row, id) in ids.iter().enumerate() {
        let Some(id) = id.map(str::trim).filter(|s| !s.is_empty()) else {
            return Err(adam_error(
                path,
                format!("record {}: USUBJID is empty", row + 1),
            ));
        };
        if row_of.insert(id.to_string(), row).is_some() {
            return Err(adam_error(
                path,
                format!(
                    "USUBJID '{id}' appears twice (record {}); ADSL has one record per patient",
                    row + 1
                ),
            ));
        }
    }
    Ok(Adsl {
        path: path.to_path_buf(),
        df,
        names,
        row_of,
    })
}

impl Adsl {
    /// The ADSL row of a patient.
    pub fn row(&self, usubjid: &str) -> Option<usize> {
        self.row_of.get(usubjid.trim()).copied()
    }

    /// The ADSL column `name` (compared normalised), as its name in the file and its values.
    pub fn column(&self, name: &str) -> Option<(String, StringChunked)> {
        let found = columns::find(&self.names, name)?;
        let values = self.df.column(found).ok()?.str().ok()?.clone();
        Some((found.clone(), values))
    }
}
