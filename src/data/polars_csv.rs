//! The adapter between trialstat and polars' CSV reader: the one module that knows how polars
//! is asked to parse CSV (the dialect, schema and projection, null values, Enum and categorical
//! types), including the chunk parser of polars' underscore-named `_csv_read_internal`, and
//! how the codes and dictionary of a categorical column are read back. A polars upgrade that
//! changes these touches this file only.
//!
//! It must not validate, index or report: it hands back polars' frames and slices of their
//! buffers (never copies), or `None` or polars' error, and the readers decide. (The readers
//! use polars' ordinary column API themselves: `DataFrame::column`, `str()`, `f64()`, chunks and
//! string views.)

use polars::prelude::_csv_read_internal::{read_chunk, validate_utf8, NullValuesCompiled};
use polars::prelude::*;
use std::path::Path;

/// The CSV dialect both readers give polars: the detected delimiter, `"` quotes, `NA` and empty
/// fields as missing.
fn parse_options(p: CsvParseOptions, delimiter: u8) -> CsvParseOptions {
    p.with_separator(delimiter)
        .with_quote_char(Some(b'"'))
        .with_null_values(Some(NullValues::AllColumns(vec!["NA".into(), "".into()])))
        .with_missing_is_null(true)
}

/// The whole file with a header line, every column as strings (no type inferred), `NA` and
/// empty fields missing; an empty file is not an error here (the reader reports it).
pub(super) fn read_strings(path: &Path, delimiter: u8) -> PolarsResult<DataFrame> {
    CsvReadOptions::default()
        .with_has_header(true)
        .with_infer_schema_length(Some(0))
        .with_raise_if_empty(false)
        .map_parse_options(|p| parse_options(p, delimiter))
        .try_into_reader_with_file_path(Some(path.to_path_buf()))
        .and_then(|r| r.finish())
}

/// How the typed reader has polars parse a column.
#[derive(Debug, Clone, Copy)]
pub(super) enum ColumnType<'n> {
    String,
    Float64,
    /// An Enum over these names: code i is `names[i]` (one-byte codes up to 255 names).
    Enum(&'n [String]),
    /// A categorical with the dictionary polars builds (four-byte codes).
    Categorical,
}

impl ColumnType<'_> {
    /// `None` if polars refuses the Enum's names.
    fn dtype(self) -> Option<DataType> {
        Some(match self {
            ColumnType::String => DataType::String,
            ColumnType::Float64 => DataType::Float64,
            ColumnType::Enum(names) => FrozenCategories::new(names.iter().map(String::as_str))
                .ok()
                .map(DataType::from_frozen_categories)?,
            ColumnType::Categorical => DataType::from_categories(Categories::random(
                "trialstat".into(),
                CategoricalPhysical::U32,
            )),
        })
    }
}

/// `NA` as missing in these columns only.
fn na_in(columns: &[&str]) -> NullValues {
    NullValues::Named(columns.iter().map(|c| ((*c).into(), "NA".into())).collect())
}

/// The whole file with a header line, only the named columns, typed as given. `NA` is missing
/// in `na_columns` only: elsewhere only an empty field is (one comparison per field instead of
/// two). `None` if polars fails (for an Enum: possibly a name it does not list).
pub(super) fn read_typed(
    path: &Path,
    delimiter: u8,
    columns: &[(&str, ColumnType)],
    na_columns: &[&str],
) -> Option<DataFrame> {
    let mut schema = Schema::default();
    let mut wanted: Vec<PlSmallStr> = Vec::new();
    for &(name, column_type) in columns {
        schema.with_column(name.into(), column_type.dtype()?);
        wanted.push(name.into());
    }
    CsvReadOptions::default()
        .with_has_header(true)
        .with_raise_if_empty(false)
        .with_columns(Some(wanted.into()))
        .with_schema_overwrite(Some(Arc::new(schema)))
        .map_parse_options(|p| {
            parse_options(p, delimiter).with_null_values(Some(na_in(na_columns)))
        })
        .try_into_reader_with_file_path(Some(path.to_path_buf()))
        .ok()?
        .finish()
        .ok()
}

/// polars' own chunk parser (`read_chunk`, what `CsvReader` runs on each of its chunks), set
/// up once for a file and then run on chunks of whole lines, in parallel.
pub(super) struct ChunkParser {
    options: CsvParseOptions,
    schema: Schema,
    projection: Vec<usize>,
    null_values: NullValuesCompiled,
}

impl ChunkParser {
    /// For a file with this header: the columns to which `parsed` gives a type are parsed, the
    /// others skipped; `NA` is missing in `na_columns` only. `None` if a name repeats.
    pub(super) fn new(
        header: &[String],
        delimiter: u8,
        parsed: impl Fn(&str) -> Option<ColumnType<'static>>,
        na_columns: &[&str],
    ) -> Option<Self> {
        let mut schema = Schema::default();
        let mut projection = Vec::new();
        for (i, name) in header.iter().enumerate() {
            let Some(column_type) = parsed(name) else {
                schema.with_column(name.as_str().into(), DataType::String);
                continue;
            };
            schema.with_column(name.as_str().into(), column_type.dtype()?);
            projection.push(i);
        }
        if schema.len() != header.len() {
            return None;
        }
        let null_values = na_in(na_columns).compile(&schema).ok()?;
        let options = parse_options(CsvParseOptions::default(), delimiter);
        Some(ChunkParser {
            options,
            schema,
            projection,
            null_values,
        })
    }

    /// The parsed columns of a chunk of `lines` whole lines (no header); `None` if polars fails.
    pub(super) fn parse(&self, chunk: &[u8], lines: usize) -> Option<DataFrame> {
        read_chunk(
            chunk,
            &self.options,
            &self.schema,
            false,
            &self.projection,
            0,
            lines,
            Some(&self.null_values),
            usize::MAX,
            chunk.len(),
            Some(0),
        )
        .ok()
    }
}

/// Whether the bytes are valid UTF-8, checked as polars' reader checks them.
pub(super) fn valid_utf8(bytes: &[u8]) -> bool {
    validate_utf8(bytes)
}

/// The codes of a categorical column (four bytes, per chunk as parsed) and the name of each
/// code up to the largest used; `None` if the column is not categorical or a value is missing.
pub(super) fn categorical_codes<'a>(
    df: &'a DataFrame,
    name: &str,
) -> Option<(Vec<&'a [u32]>, Vec<&'a str>)> {
    let s = df.column(name).ok()?.as_materialized_series();
    let ca = s.cat32().ok()?;
    let phys = ca.physical();
    if phys.null_count() > 0 {
        return None;
    }
    let chunks: Vec<&[u32]> = phys
        .downcast_iter()
        .map(|a| a.values().as_slice())
        .collect();
    let max = phys.max().unwrap_or(0) as usize;
    let mapping = ca.get_mapping();
    let mut names = Vec::with_capacity(max + 1);
    for c in 0..=max as u32 {
        names.push(mapping.cat_to_str(c).unwrap_or(""));
    }
    Some((chunks, names))
}

/// The codes of an Enum column of up to 255 names (one byte, per chunk as parsed); `None` if
/// the column is not one or a value is missing.
pub(super) fn enum_codes<'a>(df: &'a DataFrame, name: &str) -> Option<Vec<&'a [u8]>> {
    let s = df.column(name).ok()?.as_materialized_series();
    let phys = s.cat8().ok()?.physical();
    if phys.null_count() > 0 {
        return None;
    }
    Some(
        phys.downcast_iter()
            .map(|a| a.values().as_slice())
            .collect(),
    )
}
