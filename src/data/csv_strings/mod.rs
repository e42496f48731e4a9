//! The validating CSV reader: every column read as strings, every cell checked, and every
//! problem reported with its file, line and column. It reads every file the typed reader
//! (`csv_typed`) does not take: the wide layout, covariates, a byte-order mark, padded names,
//! and anything malformed, which it is the one to explain.
//!
//! [`Table::build`] runs named steps: resolve the columns ([`Table::plan`]), index the keys,
//! read the covariates and the values (`values`), then the shared `assemble`. It must not
//! import the typed reader, nor call polars' CSV reader but through `polars_csv`.

// Errors are the cold path and carry the file, line and values they report; boxing them
// would buy nothing measurable.
#![allow(clippy::result_large_err)]

mod values;

use super::adam;
use super::assemble::{
    assemble, blank_lines_warning, negative_values_warning, Origin, Parts, Placed,
};
use super::columns::{self, display_name, NotFound, Roles};
use super::csv_text::{explain_parse_error, ragged_rows};
use super::polars_csv;
use super::{Cohort, ColumnMap, DataError, FileDetails, Layout, ReadOptions, ReaderKind};
use polars::prelude::*;
use std::path::Path;
use std::sync::Arc;
use values::Cell;

/// Read, validate and index a CSV file with the string reader.
pub(super) fn read(path: &Path, options: &ReadOptions, delimiter: u8) -> Result<Cohort, DataError> {
    let df = polars_csv::read_strings(path, delimiter).map_err(|e| DataError::Parse {
        path: path.to_path_buf(),
        message: explain_parse_error(path, delimiter).unwrap_or_else(|| e.to_string()),
    })?;
    // polars fills a row with too few fields with missing values: reject it, with its line.
    if let Some(message) = ragged_rows(path, delimiter, df.width()) {
        return Err(DataError::Parse {
            path: path.to_path_buf(),
            message,
        });
    }

    let (df, blank_rows) = drop_blank_rows(df, path);
    let names: Vec<String> = df
        .get_column_names()
        .iter()
        .map(|s| s.to_string())
        .collect();
    if df.height() == 0 {
        return Err(DataError::NoDataRows {
            path: path.to_path_buf(),
        });
    }
    if adam::applies(&names, options) {
        return read_table(
            path,
            df,
            options,
            Origin::csv(delimiter),
            FileDetails::default(),
            blank_rows,
        );
    }
    let table = Table {
        path,
        origin: Origin::csv(delimiter),
        file: FileDetails::default(),
        reader: ReaderKind::CsvStrings,
        df: &df,
        names: &names,
        blank_rows,
    };
    table.build(options)
}

/// Read a table of strings (a CSV file's, or one another format's reader made) with the ADaM
/// semantics when the table is ADaM: the record filters, baseline records, the ADSL join (see
/// `adam`); the rows they remove are accounted for as excluded, with the reason.
pub(super) fn read_table(
    path: &Path,
    df: DataFrame,
    options: &ReadOptions,
    origin: Origin,
    mut file: FileDetails,
    blank_rows: usize,
) -> Result<Cohort, DataError> {
    let n_records = df.height();
    let names: Vec<String> = df
        .get_column_names()
        .iter()
        .map(|s| s.to_string())
        .collect();
    let (df, options, kept, excluded, warnings) = if adam::applies(&names, options) {
        let p = adam::prepare(path, df, &names, options)?;
        file.filters = p.filters;
        file.endpoint_labels = p.endpoint_labels;
        file.adsl = options.adam.adsl.clone();
        file.adsl_columns = p.adsl_columns;
        (p.df, p.options, Some(p.kept), p.excluded, p.warnings)
    } else {
        (df, options.clone(), None, Vec::new(), Vec::new())
    };
    let names: Vec<String> = df
        .get_column_names()
        .iter()
        .map(|s| s.to_string())
        .collect();
    let kept = kept.map(Arc::new);
    let origin = Origin {
        delimiter: origin.delimiter,
        kept: kept.clone(),
    };
    if df.height() == 0 {
        return Err(DataError::NoRecordsLeft {
            path: path.to_path_buf(),
            detail: file
                .filters
                .iter()
                .map(|f| format!("{}: {} removed", f.filter, f.removed))
                .collect::<Vec<_>>()
                .join("; "),
        });
    }
    let table = Table {
        path,
        origin,
        file,
        reader: ReaderKind::StringTable,
        df: &df,
        names: &names,
        blank_rows,
    };
    let mut cohort = table.build(&options)?;
    if let Some(kept) = kept {
        cohort.renumber_rows(&kept, n_records, excluded);
    }
    cohort.warnings.extend(warnings);
    Ok(cohort)
}

/// polars reads a blank line as a row of missing values; like R's `read.csv` and pandas, skip
/// such rows (reported as a warning). Only when their number equals the number of blank lines in
/// the file, so that a row of empty fields (`,,,,`) is still reported as the error it is and row
/// numbers keep matching lines (the csv crate, which names lines, skips blank lines too).
fn drop_blank_rows(df: DataFrame, path: &Path) -> (DataFrame, usize) {
    let mut keep = vec![false; df.height()];
    for column in df.columns() {
        let s = column.as_materialized_series();
        let valid = s.is_not_null();
        for (k, valid) in keep.iter_mut().zip(valid.iter()) {
            *k |= valid == Some(true);
        }
    }
    let empty = keep.iter().filter(|k| !**k).count();
    if empty == 0 || blank_lines(path) != Some(empty) {
        return (df, 0);
    }
    let mask = BooleanChunked::from_slice("keep".into(), &keep);
    match df.filter(&mask) {
        Ok(kept) => (kept, empty),
        Err(_) => (df, 0),
    }
}

/// The number of blank lines in the file (empty, or only a carriage return) after the header.
fn blank_lines(path: &Path) -> Option<usize> {
    let bytes = std::fs::read(path).ok()?;
    let header_end = memchr::memchr(b'\n', &bytes)?;
    Some(
        memchr::memchr_iter(b'\n', &bytes[header_end..])
            .filter(|&p| {
                let rest = &bytes[header_end + p + 1..];
                rest.starts_with(b"\n") || rest.starts_with(b"\r\n")
            })
            .count(),
    )
}

/// A file parsed as strings, with what the checks need to say where a problem is.
struct Table<'a> {
    path: &'a Path,
    origin: Origin,
    file: FileDetails,
    reader: ReaderKind,
    df: &'a DataFrame,
    names: &'a [String],
    /// Blank lines skipped (see [`drop_blank_rows`]).
    blank_rows: usize,
}

/// The strings of one column, nulls as None.
type StrCol<'a> = &'a StringChunked;

/// The columns resolved and checked: which plays what part, and the layout.
struct Plan {
    layout: Layout,
    id: String,
    arm: Option<String>,
    visit: String,
    week: Option<String>,
    /// Long layout: the endpoint and value columns (always there); wide: if the file has them.
    endpoint: Option<String>,
    value: Option<String>,
    covariates: Vec<String>,
    /// Wide layout: one column per endpoint (empty for long).
    endpoint_columns: Vec<String>,
}

impl Plan {
    /// Which file columns were used for what, as reported.
    fn column_map(&self) -> ColumnMap {
        let long = self.layout == Layout::Long;
        ColumnMap {
            patient_id: display_name(&self.id),
            arm: self.arm.as_deref().map(display_name),
            visit: display_name(&self.visit),
            week: self.week.as_deref().map(display_name),
            endpoint: if long {
                self.endpoint.as_deref().map(display_name)
            } else {
                None
            },
            value: if long {
                self.value.as_deref().map(display_name)
            } else {
                None
            },
            endpoint_columns: self
                .endpoint_columns
                .iter()
                .map(|c| display_name(c))
                .collect(),
        }
    }
}

impl<'a> Table<'a> {
    /// Resolve the columns, check the layout has what it needs, then build the cohort: keys,
    /// covariates, values, warnings, and the shared `assemble`.
    fn build(&self, options: &ReadOptions) -> Result<Cohort, DataError> {
        let plan = self.plan(options)?;
        let n_rows = self.df.height();
        if n_rows >= u32::MAX as usize {
            return Err(DataError::Parse {
                path: self.path.to_path_buf(),
                message: format!("{n_rows} rows is more than this version supports (2^32 − 1)"),
            });
        }
        let keys = self.index_keys(&plan, n_rows)?;
        let orders = keys.orders();
        let covariates = self.covariates(&plan.covariates, &keys, &orders.patient_order)?;

        let mut warnings = Vec::new();
        if self.blank_rows > 0 {
            warnings.push(blank_lines_warning(self.blank_rows));
        }
        let values = match plan.layout {
            Layout::Wide => self.wide_values(&plan.endpoint_columns, n_rows)?,
            Layout::Long => self.long_values(&plan, options.endpoints.as_ref(), n_rows)?,
        };
        if let Some((row, column, x)) = &values.negatives.first {
            warnings.push(negative_values_warning(
                values.negatives.count,
                self.line_of(*row),
                column,
                *x,
            ));
        }

        let parts = Parts {
            path: self.path.to_path_buf(),
            origin: self.origin.clone(),
            file: self.file.clone(),
            reader: self.reader,
            layout: plan.layout,
            columns: plan.column_map(),
            endpoint_names: values.endpoint_names,
            rows_excluded: values.rows_excluded,
            warnings,
            covariates,
            n_rows,
        };
        let placed = values.cells.into_iter().map(|Cell { e, row, v }| Placed {
            e,
            patient: keys.row_patient[row as usize],
            visit: keys.row_visit[row as usize],
            row,
            v,
        });
        assemble(parts, &keys, &orders, placed)
    }

    /// The columns of each part (flags first, then aliases), the layout, the covariates and,
    /// for the wide layout, the endpoint columns; an error if one is missing or unknown.
    fn plan(&self, options: &ReadOptions) -> Result<Plan, DataError> {
        let roles = columns::resolve(self.names, options).map_err(|e| self.unknown(e))?;
        let layout = roles.layout(options.layout);
        let missing = roles.missing(layout);
        if !missing.is_empty() {
            return Err(DataError::MissingColumns {
                path: self.path.to_path_buf(),
                what: format!("required column(s) missing: {}", missing.join("; ")),
                found: self.found(),
                expected: columns::EXPECTED.to_string(),
            });
        }
        let Roles {
            id,
            arm,
            visit,
            week,
            endpoint,
            value,
        } = roles;
        let (id, visit) = (id.unwrap(), visit.unwrap());

        let mut covariates = Vec::new();
        for name in &options.covariates {
            if let Some(c) =
                columns::resolve_one(self.names, &Some(name.clone()), "--covariate", &[])
                    .map_err(|e| self.unknown(e))?
            {
                covariates.push(c);
            }
        }
        let endpoint_columns = if layout == Layout::Wide {
            let key_cols: Vec<&String> = [
                Some(&id),
                arm.as_ref(),
                Some(&visit),
                week.as_ref(),
                endpoint.as_ref(),
                value.as_ref(),
            ]
            .into_iter()
            .flatten()
            .chain(covariates.iter())
            .collect();
            self.endpoint_columns(options.endpoints.as_ref(), &key_cols)?
        } else {
            Vec::new()
        };
        Ok(Plan {
            layout,
            id,
            arm,
            visit,
            week,
            endpoint,
            value,
            covariates,
            endpoint_columns,
        })
    }

    /// Wide layout: the endpoint columns chosen with `--endpoints`, or every column that is
    /// not a key or covariate.
    fn endpoint_columns(
        &self,
        chosen: Option<&Vec<String>>,
        key_cols: &[&String],
    ) -> Result<Vec<String>, DataError> {
        let mut endpoint_columns = Vec::new();
        match chosen {
            Some(chosen) => {
                for want in chosen {
                    match columns::find(self.names, want) {
                        Some(n) => endpoint_columns.push(n.clone()),
                        None => {
                            return Err(self.unknown(NotFound {
                                name: want.clone(),
                                flag: "--endpoints",
                            }))
                        }
                    }
                }
            }
            None => {
                endpoint_columns = self
                    .names
                    .iter()
                    .filter(|n| !key_cols.contains(n))
                    .cloned()
                    .collect();
            }
        }
        if endpoint_columns.is_empty() {
            return Err(DataError::NoEndpoints {
                path: self.path.to_path_buf(),
                detail: format!(
                    "the wide layout needs one numeric column per endpoint besides {}; columns found: {}",
                    key_cols.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", "),
                    self.found()
                ),
            });
        }
        Ok(endpoint_columns)
    }

    fn found(&self) -> String {
        columns::found(self.names)
    }

    /// A column named by a flag that is not in the file.
    fn unknown(&self, NotFound { name, flag }: NotFound) -> DataError {
        DataError::UnknownColumn {
            path: self.path.to_path_buf(),
            name,
            flag,
            found: self.found(),
        }
    }

    fn column(&self, name: &str) -> Result<StrCol<'a>, DataError> {
        let col = self
            .df
            .column(name)
            .and_then(|c| c.str())
            .map_err(|e| DataError::Parse {
                path: self.path.to_path_buf(),
                message: e.to_string(),
            })?;
        Ok(col)
    }

    fn line_of(&self, index: usize) -> u64 {
        self.origin.line(self.path, index)
    }

    fn parse_number(
        &self,
        text: &str,
        row: usize,
        column: &str,
        hint: &str,
    ) -> Result<f64, DataError> {
        let t = text.trim();
        match t.parse::<f64>() {
            Ok(v) if v.is_finite() => Ok(v),
            Ok(_) => Err(DataError::NotFinite {
                path: self.path.to_path_buf(),
                line: self.line_of(row),
                column: display_name(column),
                found: text.to_string(),
            }),
            Err(_) => {
                let comma = t.contains(',') && t.replacen(',', ".", 1).parse::<f64>().is_ok();
                Err(DataError::NotANumber {
                    path: self.path.to_path_buf(),
                    line: self.line_of(row),
                    column: display_name(column),
                    found: text.to_string(),
                    hint: if comma {
                        " (a decimal comma? write the number with a decimal point)".to_string()
                    } else {
                        hint.to_string()
                    },
                })
            }
        }
    }

    fn key<'s>(
        &self,
        value: Option<&'s str>,
        row: usize,
        column: &str,
        what: &'static str,
    ) -> Result<&'s str, DataError> {
        match value.map(str::trim) {
            Some(v) if !v.is_empty() => Ok(v),
            _ => Err(DataError::MissingKey {
                path: self.path.to_path_buf(),
                line: self.line_of(row),
                column: display_name(column),
                what,
            }),
        }
    }
}
