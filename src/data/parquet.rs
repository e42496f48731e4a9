//! Parquet input (recognised by the magic bytes `PAR1` at its start; the end must carry them
//! too, else the file is truncated), read with polars' Parquet reader into the same table of
//! strings the SAS transport reader makes, so that it goes through the validating reader and the
//! ADaM semantics exactly like a CSV file: numbers in their shortest decimal form that reads
//! back to the same double, integers as written, null, NaN and empty text as missing.
//!
//! It must not interpret columns: `csv_strings::read_table` does.

// Errors are the cold path and carry the file and what was wrong; boxing them would buy nothing.
#![allow(clippy::result_large_err)]

use super::DataError;
use polars::prelude::*;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

/// The magic bytes at both ends of a Parquet file.
const MAGIC: &[u8; 4] = b"PAR1";

/// Whether a file's first bytes are those of a Parquet file.
pub(crate) fn is_parquet(head: &[u8]) -> bool {
    head.starts_with(MAGIC)
}

fn error(path: &Path, message: impl Into<String>) -> DataError {
    DataError::Parquet {
        path: path.to_path_buf(),
        message: message.into(),
    }
}

/// The file as a DataFrame of string columns, in file order.
pub(crate) fn read_string_frame(path: &Path) -> Result<DataFrame, DataError> {
    let io = |source| DataError::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut file = std::fs::File::open(path).map_err(io)?;
    let len = file.metadata().map_err(io)?.len();
    let mut tail = [0u8; 4];
    if len < 12 {
        return Err(error(
            path,
            format!(
                "the file is {len} bytes long, too short to hold a Parquet footer (truncated?)"
            ),
        ));
    }
    file.seek(SeekFrom::End(-4)).map_err(io)?;
    file.read_exact(&mut tail).map_err(io)?;
    if &tail != MAGIC {
        return Err(error(
            path,
            "the file starts like Parquet (PAR1) but does not end with PAR1: it is truncated or not a Parquet file",
        ));
    }
    file.seek(SeekFrom::Start(0)).map_err(io)?;
    // polars' reader may panic on a corrupt footer or page: turn that into an error too.
    let read = std::panic::catch_unwind(move || ParquetReader::new(file).finish());
    let df = match read {
        Ok(Ok(df)) => df,
        Ok(Err(e)) => return Err(error(path, e.to_string())),
        Err(_) => return Err(error(path, "the Parquet reader failed on a corrupt file")),
    };
    let height = df.height();
    let columns = df
        .columns()
        .iter()
        .map(|c| to_strings(c.as_materialized_series()).map(Column::from))
        .collect::<PolarsResult<Vec<Column>>>()
        .map_err(|e| error(path, e.to_string()))?;
    DataFrame::new(height, columns).map_err(|e| error(path, e.to_string()))
}

/// One column as strings: floats in Rust's shortest round-trip form (`2`, not `2.0`, as the
/// transport reader writes them), NaN and empty text as missing.
fn to_strings(s: &Series) -> PolarsResult<Series> {
    let name = s.name().clone();
    let values: Vec<Option<String>> = match s.dtype() {
        DataType::Float64 | DataType::Float32 => {
            let f = s.cast(&DataType::Float64)?;
            f.f64()?
                .iter()
                .map(|x| x.filter(|x| !x.is_nan()).map(|x| format!("{x}")))
                .collect()
        }
        DataType::String => s
            .str()?
            .iter()
            .map(|v| v.filter(|v| !v.is_empty()).map(str::to_string))
            .collect(),
        _ => {
            let t = s.cast(&DataType::String)?;
            t.str()?
                .iter()
                .map(|v| v.filter(|v| !v.is_empty()).map(str::to_string))
                .collect()
        }
    };
    Ok(Series::new(name, values))
}
