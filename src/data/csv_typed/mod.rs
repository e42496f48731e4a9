//! The typed CSV reader: the fast path for well-formed long files.
//!
//! First, the chunked parse ([`chunked`]): the file is memory-mapped and cut at newlines into
//! chunks (it must hold no quote character), each parsed in parallel by polars' own chunk
//! parser, only the columns used: the values and weeks as Float64, the keys as strings. Per
//! chunk, the patient ids are indexed by comparing each row with the previous one (a long file
//! keeps a patient's rows together) and a hash map only where the id changes; the arm, visit and
//! endpoint become one-byte codes over the names found in a sample of the file ([`sample`]);
//! the weeks are checked per visit; then the strings are dropped. Every row's field count is
//! checked.
//!
//! If the sample missed a name (or the file has quotes, invalid UTF-8, a blank line), polars
//! parses the whole file: the arm, visit and endpoint as Enums over the sampled names, or, if
//! that fails, all four keys as categoricals (dictionaries built by polars). Patients, arms,
//! visits and endpoints are then indexed by code ([`index`]), with no string column held per
//! row.
//!
//! It accepts only what it can prove well-formed; on anything else (a value that is not a
//! number, an empty key, a patient in two arms, a week that changes, a byte-order mark, …) it
//! returns `None` and the front door (`source`) reads the file again with the validating string
//! reader (`csv_strings`), which finds the problem and says where. A row with more or fewer
//! fields than the header is an error naming its line (polars alone would fill it with missing
//! values). All paths build the same [`Cohort`] through the same `assemble` (tests compare them
//! on every long test file, the typed modes with each other, and chunks from one line to 4 MiB).
//!
//! It must not import the string reader, nor call polars' CSV reader but through `polars_csv`.

// Errors are the cold path and carry the file, line and values they report; boxing them
// would buy nothing measurable.
#![allow(clippy::result_large_err)]

mod chunked;
mod index;
mod key_columns;
mod sample;
#[cfg(test)]
mod tests;

use super::assemble::blank_lines_warning;
use super::csv_text::{explain_parse_error, ragged_rows, CHUNK_BYTES};
use super::polars_csv::{self, ColumnType};
use super::{columns, Cohort, DataError, LayoutChoice, ReadOptions};
use chunked::{key_column, merge_ids, parse_chunked, Chunked, ChunkedParse, Stop};
use index::{build, Context};
use polars::prelude::DataFrame;
use sample::{sample_names, Sampled};
use std::path::Path;

/// The resolved column names the typed reader parses.
struct Columns {
    id: String,
    arm: Option<String>,
    visit: String,
    week: Option<String>,
    endpoint: String,
    value: String,
}

impl Columns {
    /// The columns of a long file, as the one resolver finds them; `None` if a role the long
    /// layout needs is missing or a flag names an absent column (the string reader reports it).
    fn resolve(header: &[String], options: &ReadOptions) -> Option<Columns> {
        let roles = columns::resolve(header, options).ok()?;
        Some(Columns {
            id: roles.id?,
            arm: roles.arm,
            visit: roles.visit?,
            week: roles.week,
            endpoint: roles.endpoint?,
            value: roles.value?,
        })
    }

    /// The columns where `NA` is a missing value: the value and the week. In a key column it
    /// parses as a name and sends the file to the string reader (`key_columns::clean`).
    fn na_columns(&self) -> Vec<&str> {
        [Some(&self.value), self.week.as_ref()]
            .into_iter()
            .flatten()
            .map(String::as_str)
            .collect()
    }
}

/// How the key columns are parsed.
enum Mode<'s> {
    /// Arm, visit and endpoint as Enums over the sampled names; patient ids as strings.
    Enum(&'s Sampled),
    /// All four as categoricals (polars builds the dictionaries).
    Categorical,
}

/// polars' parse of the used columns, or `None` if it fails (for an Enum: possibly a name the
/// sample missed).
fn parse(path: &Path, delimiter: u8, cols: &Columns, mode: &Mode) -> Option<DataFrame> {
    let (id_type, arm_type, visit_type, endpoint_type) = match mode {
        Mode::Enum(sampled) => (
            ColumnType::String,
            ColumnType::Enum(&sampled.arms),
            ColumnType::Enum(&sampled.visits),
            ColumnType::Enum(&sampled.endpoints),
        ),
        Mode::Categorical => (
            ColumnType::Categorical,
            ColumnType::Categorical,
            ColumnType::Categorical,
            ColumnType::Categorical,
        ),
    };
    let columns: Vec<(&str, ColumnType)> = [
        (Some(&cols.id), id_type),
        (cols.arm.as_ref(), arm_type),
        (Some(&cols.visit), visit_type),
        (cols.week.as_ref(), ColumnType::Float64),
        (Some(&cols.endpoint), endpoint_type),
        (Some(&cols.value), ColumnType::Float64),
    ]
    .into_iter()
    .filter_map(|(name, column_type)| Some((name?.as_str(), column_type)))
    .collect();
    polars_csv::read_typed(path, delimiter, &columns, &cols.na_columns())
}

/// Read a long file through the typed reader, or `None` to use the string reader.
pub(super) fn read(
    path: &Path,
    options: &ReadOptions,
    head_text: &str,
    delimiter: u8,
) -> Option<Result<Cohort, DataError>> {
    read_long_typed(path, options, head_text, delimiter, Some(CHUNK_BYTES))
}

/// [`read`]; `try_enum`: the chunk size of the Enum parse, or `None` to go straight to the
/// categorical parse (for tests).
fn read_long_typed(
    path: &Path,
    options: &ReadOptions,
    head_text: &str,
    delimiter: u8,
    try_enum: Option<usize>,
) -> Option<Result<Cohort, DataError>> {
    if !options.covariates.is_empty() || options.layout == LayoutChoice::Wide {
        return None;
    }
    let header = plain_header(head_text, delimiter)?;
    let cols = Columns::resolve(&header, options)?;
    let context = Context {
        path,
        options,
        delimiter,
        cols: &cols,
    };
    if let Some(chunk_bytes) = try_enum {
        if let Some(sampled) = sample_names(path, delimiter, &header, &cols) {
            return read_enum(&context, &header, &sampled, chunk_bytes);
        }
    }
    if let Some(e) = ragged(path, delimiter, header.len()) {
        return Some(Err(e));
    }
    let df = parse(path, delimiter, &cols, &Mode::Categorical)?;
    build(df, &Mode::Categorical, &context, None)
}

/// The header's names, if each is distinct, non-empty and has no padding (else `None`: the
/// string reader normalises them).
fn plain_header(head_text: &str, delimiter: u8) -> Option<Vec<String>> {
    let header: Vec<String> = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .from_reader(head_text.as_bytes())
        .records()
        .next()?
        .ok()?
        .iter()
        .map(String::from)
        .collect();
    let mut sorted = header.clone();
    sorted.sort();
    sorted.dedup();
    if sorted.len() != header.len() || header.iter().any(|h| h.trim() != h || h.is_empty()) {
        return None;
    }
    Some(header)
}

/// With the sampled names: the chunked parse, else the whole-file Enum parse, else the
/// categorical one.
fn read_enum(
    cx: &Context,
    header: &[String],
    sampled: &Sampled,
    chunk_bytes: usize,
) -> Option<Result<Cohort, DataError>> {
    let (path, delimiter, cols) = (cx.path, cx.delimiter, cx.cols);
    let mode = Mode::Enum(sampled);
    let parsed = parse_chunked(path, delimiter, header, cols, sampled, chunk_bytes);
    if let Err(Stop::Ragged) = parsed {
        // A row with too many or too few fields: say where (the csv crate finds it);
        // if it does not (a blank line), the string reader decides.
        let message = explain_parse_error(path, delimiter)?;
        return Some(Err(DataError::Parse {
            path: path.to_path_buf(),
            message,
        }));
    }
    if let Ok(ChunkedParse {
        df,
        mut ids,
        keys,
        week_by_code,
        blank_lines,
    }) = parsed
    {
        let column = |pick, names| key_column(&keys, pick, names);
        let chunked = Chunked {
            ids: merge_ids(&mut ids)?,
            arms: cols.arm.as_ref().map(|_| column(|k| &k.arm, &sampled.arms)),
            visits: column(|k| &k.visit, &sampled.visits),
            endpoints: column(|k| &k.endpoint, &sampled.endpoints),
            week_by_code,
        };
        let mut built = build(df, &mode, cx, Some(chunked));
        if let (Some(Ok(cohort)), true) = (built.as_mut(), blank_lines > 0) {
            cohort.warnings.insert(0, blank_lines_warning(blank_lines));
        }
        return built;
    }
    if let Some(e) = ragged(path, delimiter, header.len()) {
        return Some(Err(e));
    }
    if let Some(df) = parse(path, delimiter, cols, &mode) {
        return build(df, &mode, cx, None);
    }
    let df = parse(path, delimiter, cols, &Mode::Categorical)?;
    build(df, &Mode::Categorical, cx, None)
}

/// [`ragged_rows`] as an error.
fn ragged(path: &Path, delimiter: u8, n_fields: usize) -> Option<DataError> {
    ragged_rows(path, delimiter, n_fields).map(|message| DataError::Parse {
        path: path.to_path_buf(),
        message,
    })
}
