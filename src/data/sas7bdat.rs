//! SAS data sets (sas7bdat), recognised by the 32 bytes every one of them starts with, read with
//! the `sas7bdat` crate (pure Rust, MIT) into the same table of strings the SAS transport
//! reader makes, so that they go through the validating reader and the ADaM semantics exactly
//! like a CSV file.
//!
//! What it guarantees, as for transport files: numbers bit for bit (the crate's lossless
//! numeric decoding: every stored double as it is, whatever the column's format — dates stay
//! days since 1960, as in a transport file), every SAS missing value (`.`, `.A`–`.Z`, `._`, all
//! NaN payloads) as missing, character values decoded from the file's declared encoding with
//! trailing blanks removed, blank text as missing, and the data set's and the variables' names
//! and labels kept. A file the crate cannot read — or on which it panics, which is contained
//! here — is an error naming the file, never a crash.
//!
//! Why two scans: the crate's typed decoding turns integral numbers into integers (and with them
//! `-0` into `0` and magnitudes below 2.2e-16 into `0`), its lossless decoding leaves text as
//! raw bytes. Numbers are read losslessly, text typed.
//!
//! It must not interpret columns: `csv_strings::read_table` does.

// Errors are the cold path and carry the file and what was wrong; boxing them would buy nothing.
#![allow(clippy::result_large_err)]

use super::DataError;
use ::sas7bdat::{
    CellValue, Dataset, DecodeMode, MojibakePolicy, OrderingMode, StringDecodeOptions, TrimMode,
    Utf8ValidationMode,
};
use polars::prelude::*;
use std::fmt::Write;
use std::ops::ControlFlow;
use std::path::Path;

/// The first 32 bytes of a SAS data set, the same in every one of them.
const MAGIC: [u8; 32] = [
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xc2, 0xea, 0x81, 0x60, 0xb3, 0x14, 0x11, 0xcf, 0xbd, 0x92,
    0x08, 0x00, 0x09, 0xc7, 0x31, 0x8c, 0x18, 0x1f, 0x10, 0x11,
];

/// Whether a file's first bytes are those of a SAS data set.
pub(crate) fn is_sas7bdat(head: &[u8]) -> bool {
    head.starts_with(&MAGIC)
}

/// One variable's description.
#[derive(Debug, Clone, PartialEq)]
pub struct SasVariable {
    pub name: String,
    /// Empty if none.
    pub label: String,
    /// The SAS format (`DATE9`, `8.2`, …), empty if none.
    pub format: String,
    pub numeric: bool,
}

/// A SAS data set read: its name and label, its variables, and its values as strings (numbers
/// in their shortest decimal form that reads back to the same double, missing values null).
pub struct SasTable {
    /// The data set's name stored in the file (empty if none).
    pub name: String,
    /// The data set's label (empty if none).
    pub label: String,
    pub variables: Vec<SasVariable>,
    pub frame: DataFrame,
}

fn error(path: &Path, message: impl Into<String>) -> DataError {
    DataError::Sas7bdat {
        path: path.to_path_buf(),
        message: message.into(),
    }
}

/// Read a SAS data set.
pub fn read(path: &Path) -> Result<SasTable, DataError> {
    match contained(|| read_uncontained(path)) {
        Some(result) => result,
        None => Err(error(
            path,
            "the sas7bdat reader failed on this file (it is damaged, or uses a layout the \
             reader does not know)",
        )),
    }
}

/// Run `f`, turning a panic into None, with the panic message silenced (the panic hook is
/// process-wide: swaps are serialised, and the previous hook is put back).
fn contained<T>(f: impl FnOnce() -> T) -> Option<T> {
    static HOOK: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _guard = HOOK.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    std::panic::set_hook(previous);
    result.ok()
}

fn read_uncontained(path: &Path) -> Result<SasTable, DataError> {
    let crate_error = |e: ::sas7bdat::Error| error(path, e.to_string());
    // Read into memory, not mapped: a mapped file that shrinks while it is read (rewritten by
    // another program) kills the process with SIGBUS, which no error handling can catch.
    let bytes = std::fs::read(path).map_err(|source| DataError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let ds = Dataset::from_bytes(bytes).map_err(crate_error)?;
    let meta = ds.metadata();
    let text = |s: &Option<String>| s.as_deref().unwrap_or("").trim().to_string();
    let variables: Vec<SasVariable> = ds
        .columns()
        .iter()
        .map(|c| SasVariable {
            name: c.name.trim().to_string(),
            label: text(&c.label),
            format: c.format_spec().unwrap_or_default(),
            numeric: c.logical_type.is_numeric(),
        })
        .collect();
    if variables.is_empty() {
        return Err(error(path, "the data set has no variables"));
    }
    let expected = meta.row_count.saturating_sub(meta.deleted_row_count);
    // The declared count only sizes the buffers: never trust it for more than a page's worth.
    let capacity = usize::try_from(expected.min(1 << 16)).unwrap_or(0);
    // Values go straight into polars' string arrays: no string per cell.
    let mut columns: Vec<StringChunkedBuilder> = variables
        .iter()
        .map(|v| StringChunkedBuilder::new(v.name.as_str().into(), capacity))
        .collect();
    let mut number = String::with_capacity(32);

    let numeric: Vec<usize> = (0..variables.len())
        .filter(|&i| variables[i].numeric)
        .collect();
    let character: Vec<usize> = (0..variables.len())
        .filter(|&i| !variables[i].numeric)
        .collect();
    let mut rows = None;
    for (indices, mode) in [
        (&numeric, DecodeMode::TypedLossless),
        (&character, DecodeMode::Typed),
    ] {
        if indices.is_empty() {
            continue;
        }
        let projection = indices
            .iter()
            .fold(ds.projection(), |p, &i| p.column_idx(i))
            .build()
            .map_err(crate_error)?;
        let strings = StringDecodeOptions::builder()
            .trim_mode(TrimMode::RTrim)
            .utf8_validation(Utf8ValidationMode::Lenient)
            .mojibake_fix(MojibakePolicy::Off)
            .build();
        let mut n = 0usize;
        let mut bad: Option<String> = None;
        ds.scan()
            .with_projection(&projection)
            .with_decode_mode(mode)
            .with_string_options(strings)
            .with_ordering(OrderingMode::Stable)
            .visit_rows(|row| {
                for (k, &i) in indices.iter().enumerate() {
                    match row.get(k) {
                        None | Some(CellValue::Null) => columns[i].append_null(),
                        Some(CellValue::Float64(x)) if x.is_nan() => columns[i].append_null(),
                        Some(CellValue::Float64(x)) => {
                            number.clear();
                            // Writing to a String cannot fail.
                            let _ = write!(number, "{x}");
                            columns[i].append_value(number.as_str());
                        }
                        Some(CellValue::Str("")) => columns[i].append_null(),
                        Some(CellValue::Str(s)) => columns[i].append_value(s),
                        Some(other) => {
                            bad = Some(format!(
                                "variable {}, record {}: unexpected value {other:?}",
                                variables[i].name,
                                n + 1
                            ));
                            return Ok(ControlFlow::Break(()));
                        }
                    }
                }
                n += 1;
                Ok(ControlFlow::Continue(()))
            })
            .map_err(crate_error)?;
        if let Some(message) = bad {
            return Err(error(path, message));
        }
        match rows {
            Some(r) if r != n => {
                return Err(error(
                    path,
                    format!("the numeric variables have {r} records, the character ones {n}"),
                ))
            }
            _ => rows = Some(n),
        }
    }
    let height = rows.unwrap_or(0);
    if height as u64 != expected {
        return Err(error(
            path,
            format!(
                "the header declares {expected} records, the pages hold {height} (truncated or damaged)"
            ),
        ));
    }
    let frame_columns: Vec<Column> = columns
        .into_iter()
        .map(|b| b.finish().into_series().into_column())
        .collect();
    let frame = DataFrame::new(height, frame_columns).map_err(|e| error(path, e.to_string()))?;
    Ok(SasTable {
        name: text(&meta.table_name),
        label: text(&meta.file_label),
        variables,
        frame,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_is_contained_and_the_hook_restored() {
        assert_eq!(contained(|| 1), Some(1));
        assert_eq!(contained(|| -> i32 { panic!("boom") }), None);
        assert_eq!(contained(|| 2), Some(2));
    }

    #[test]
    fn recognised_by_its_first_bytes() {
        let mut head = MAGIC.to_vec();
        head.extend_from_slice(&[0; 100]);
        assert!(is_sas7bdat(&head));
        assert!(!is_sas7bdat(&head[..31]));
        assert!(!is_sas7bdat(b"HEADER RECORD*******LIBRARY"));
    }
}
