//! The fast path for well-formed long files.
//!
//! First, the chunked parse ([`parse_chunked`]): the file is memory-mapped and cut at newlines
//! into chunks (it must hold no quote character), each parsed in parallel by polars' own chunk
//! parser, only the columns used: the values and weeks as Float64, the keys as strings. Per
//! chunk, the patient ids are indexed by comparing each row with the previous one (a long file
//! keeps a patient's rows together) and a hash map only where the id changes; the arm, visit and
//! endpoint become one-byte codes over the names found in a sample of the file; the weeks are
//! checked per visit; then the strings are dropped. Every row's field count is checked.
//!
//! If the sample missed a name (or the file has quotes, invalid UTF-8, a blank line), polars
//! parses the whole file: the arm, visit and endpoint as Enums over the sampled names, or, if
//! that fails, all four keys as categoricals (dictionaries built by polars). Patients, arms,
//! visits and endpoints are then indexed by code, with no string column held per row.
//!
//! It accepts only what it can prove well-formed; on anything else (a value that is not a
//! number, an empty key, a patient in two arms, a week that changes, a byte-order mark, …) it
//! returns `None` and [`super::read_cohort`] reads the file again with the validating string
//! reader, which finds the problem and says where. A row with more or fewer fields than the
//! header is an error naming its line (polars alone would fill it with missing values). All
//! paths build the same [`Cohort`] through the same `assemble` (tests compare them on every long
//! test file, the typed modes with each other, and chunks from one line to 4 MiB).

use super::read::{assemble, line_of, parse_options, Keys, Parts, Placed};
use super::{Cohort, ColumnMap, DataError, Layout, LayoutChoice, ReadExclusion, ReadOptions};
use polars::prelude::*;
use std::path::Path;

/// Codes of a key column (as parsed, not copied, or computed here) and the name of each code.
struct CatColumn<'a, T> {
    owned: Vec<T>,
    chunks: Vec<&'a [T]>,
    /// Borrowed from the parsed columns (or the sampled names): nothing is copied per key.
    names: Vec<&'a str>,
}

impl<T: Copy + Into<u32>> CatColumn<'_, T> {
    fn codes(&self) -> impl Iterator<Item = u32> + '_ {
        self.owned
            .iter()
            .chain(self.chunks.iter().flat_map(|c| c.iter()))
            .map(|&x| x.into())
    }
}

/// Keys must already be trimmed, non-empty and not `NA` (else the string reader reports them:
/// the typed parse takes `NA` as missing only in the value and week columns).
fn clean(name: &str) -> bool {
    !name.is_empty() && name.trim() == name && name != "NA"
}

/// A categorical column: u32 codes and the dictionary polars built.
fn categorical<'a>(df: &'a DataFrame, name: &str) -> Option<CatColumn<'a, u32>> {
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
    if names.iter().any(|n| n.trim() != *n || *n == "NA") {
        return None;
    }
    Some(CatColumn {
        owned: Vec::new(),
        chunks,
        names,
    })
}

/// An Enum column parsed over `names` (code i is `names[i]`): u8 codes.
fn enumerated<'a>(df: &'a DataFrame, name: &str, names: &'a [String]) -> Option<CatColumn<'a, u8>> {
    let s = df.column(name).ok()?.as_materialized_series();
    let phys = s.cat8().ok()?.physical();
    if phys.null_count() > 0 {
        return None;
    }
    Some(CatColumn {
        owned: Vec::new(),
        chunks: phys
            .downcast_iter()
            .map(|a| a.values().as_slice())
            .collect(),
        names: names.iter().map(String::as_str).collect(),
    })
}

/// The arrays of a String column.
type StrArray = <StringType as PolarsDataType>::Array;

/// Index string views in order of first appearance: each row is compared with the row before
/// (equal views are equal strings: inline up to 12 bytes, else the same bytes), and a hash map
/// is consulted only where the view changes. `new_id` sees each new id; `None` if one is not
/// [`clean`]. The map (id to code) and each row's code.
fn first_seen_codes<'s>(
    arrays: &[&'s StrArray],
    mut new_id: impl FnMut(&'s str),
) -> Option<(PlHashMap<&'s str, u32>, Vec<u32>)> {
    let rows: usize = arrays.iter().map(|a| a.len()).sum();
    let mut index: PlHashMap<&str, u32> = PlHashMap::with_capacity(rows / 8);
    let mut codes = Vec::with_capacity(rows);
    let (mut previous_view, mut code) = (None::<u128>, 0u32);
    for array in arrays {
        for (i, view) in array.views().iter().enumerate() {
            let bits = view.as_u128();
            if previous_view != Some(bits) {
                previous_view = Some(bits);
                let id = array.value(i);
                code = match index.get(id) {
                    Some(&c) => c,
                    None => {
                        if !clean(id) {
                            return None;
                        }
                        let c = index.len() as u32;
                        index.insert(id, c);
                        new_id(id);
                        c
                    }
                };
            }
            codes.push(code);
        }
    }
    Some((index, codes))
}

/// A String column indexed in order of first appearance: each row is compared with the row
/// before (cheap: a long file keeps a patient's rows together), and a hash map is consulted
/// only where the id changes. Codes are the first-seen indices. The rows are split in as many
/// parts as threads, indexed in parallel, and the parts' ids then merged in order.
fn first_seen_strings<'a>(df: &'a DataFrame, name: &str) -> Option<CatColumn<'a, u32>> {
    use rayon::prelude::*;
    let ca = df.column(name).ok()?.as_materialized_series().str().ok()?;
    if ca.null_count() > 0 {
        return None;
    }
    // Parts: consecutive chunks with about equal numbers of rows.
    let arrays: Vec<_> = ca.downcast_iter().collect();
    let n_parts = rayon::current_num_threads().clamp(1, arrays.len().max(1));
    let per_part = ca.len().div_ceil(n_parts).max(1);
    let mut parts: Vec<Vec<_>> = vec![Vec::new()];
    let mut rows_in_part = 0;
    for array in arrays {
        if rows_in_part >= per_part {
            parts.push(Vec::new());
            rows_in_part = 0;
        }
        rows_in_part += array.len();
        parts.last_mut()?.push(array);
    }
    // Each part: its distinct ids in order of first appearance and its rows' local codes.
    type Part<'s> = (PlHashMap<&'s str, u32>, Vec<&'s str>, Vec<u32>);
    let indexed: Vec<Option<Part<'a>>> = parts
        .par_iter()
        .map(|arrays| {
            let mut names: Vec<&str> = Vec::new();
            let (index, codes) = first_seen_codes(arrays, |id| names.push(id))?;
            Some((index, names, codes))
        })
        .collect();
    let mut indexed = indexed.into_iter().collect::<Option<Vec<_>>>()?.into_iter();
    // The first part's map becomes the global one; later parts' ids are looked up in it.
    let (mut index, mut names, mut codes) = indexed.next()?;
    for (_, part_names, part_codes) in indexed {
        let global: Vec<u32> = part_names
            .iter()
            .map(|id| {
                let next = names.len() as u32;
                *index.entry(id).or_insert_with(|| {
                    names.push(id);
                    next
                })
            })
            .collect();
        codes.extend(part_codes.iter().map(|&c| global[c as usize]));
    }
    Some(CatColumn {
        owned: codes,
        chunks: Vec::new(),
        names,
    })
}

/// A Float64 column's chunks as parsed (not copied); `None` if any value is not finite.
struct FloatColumn<'a> {
    ca: &'a Float64Chunked,
}

impl FloatColumn<'_> {
    fn iter(&self) -> impl Iterator<Item = Option<f64>> + '_ {
        self.ca
            .downcast_iter()
            .flat_map(|a| a.iter().map(|v| v.copied()))
    }
}

fn float<'a>(df: &'a DataFrame, name: &str) -> Option<FloatColumn<'a>> {
    let ca = df.column(name).ok()?.as_materialized_series().f64().ok()?;
    for a in ca.downcast_iter() {
        // Slots under nulls hold an arbitrary number: look at them only if one is not finite.
        if !a.values().iter().all(|x| x.is_finite()) && a.iter().flatten().any(|x| !x.is_finite()) {
            return None;
        }
    }
    Some(FloatColumn { ca })
}

/// Index a categorical key column in order of first appearance; `index_of[code]`.
struct FirstSeen {
    index_of: Vec<u32>,
    order: Vec<u32>, // codes by index
}

impl FirstSeen {
    fn new(dictionary_len: usize) -> Self {
        FirstSeen {
            index_of: vec![u32::MAX; dictionary_len],
            order: Vec::new(),
        }
    }
    fn index(&mut self, code: u32) -> u32 {
        let slot = &mut self.index_of[code as usize];
        if *slot == u32::MAX {
            *slot = self.order.len() as u32;
            self.order.push(code);
        }
        *slot
    }
}

/// The id, arm, visit, week, endpoint and value columns, as far as present.
pub(super) type Resolved = [Option<String>; 6];

/// The resolved column names the typed reader parses.
struct Columns {
    id: String,
    arm: Option<String>,
    visit: String,
    week: Option<String>,
    endpoint: String,
    value: String,
}

/// The arm, visit and endpoint names found in a sample of the file, in order of first sight.
#[derive(Debug, Clone, Default)]
struct Sampled {
    arms: Vec<String>,
    visits: Vec<String>,
    endpoints: Vec<String>,
}

/// How the key columns are parsed.
enum Mode<'s> {
    /// Arm, visit and endpoint as Enums over the sampled names; patient ids as strings.
    Enum(&'s Sampled),
    /// All four as categoricals (polars builds the dictionaries).
    Categorical,
}

/// Files up to this size are sampled whole; larger ones in `SAMPLE_WINDOWS` windows.
const SAMPLE_WHOLE: u64 = 4 << 20;
const SAMPLE_WINDOWS: u64 = 64;
const SAMPLE_WINDOW: u64 = 64 << 10;

/// The distinct arm, visit and endpoint names in a sample of the file: all of it when small,
/// else 64 windows of 64 KiB spread evenly (complete lines only). `None` if a column has more
/// than 255 names (no one-byte Enum). A name the sample misses makes the Enum parse fail, and
/// the categorical parse is used instead: slower, never wrong.
fn sample_names(path: &Path, delimiter: u8, header: &[String], cols: &Columns) -> Option<Sampled> {
    use std::io::{Read, Seek, SeekFrom};
    let position = |name: &Option<String>| {
        name.as_ref()
            .and_then(|n| header.iter().position(|h| h == n))
    };
    let arm = position(&cols.arm);
    let visit = position(&Some(cols.visit.clone()))?;
    let endpoint = position(&Some(cols.endpoint.clone()))?;
    let mut file = std::fs::File::open(path).ok()?;
    let len = file.metadata().ok()?.len();
    let windows: Vec<(u64, u64)> = if len <= SAMPLE_WHOLE {
        vec![(0, len)]
    } else {
        (0..SAMPLE_WINDOWS)
            .map(|k| {
                (
                    k * (len - SAMPLE_WINDOW) / (SAMPLE_WINDOWS - 1),
                    SAMPLE_WINDOW,
                )
            })
            .collect()
    };
    let mut sampled = Sampled::default();
    let mut buf = Vec::new();
    for (start, size) in windows {
        buf.resize(size as usize, 0);
        file.seek(SeekFrom::Start(start)).ok()?;
        file.read_exact(&mut buf).ok()?;
        // Complete lines only: after the first newline (the header, or a partial line) up to
        // the last one (the whole tail when the window reaches the end of the file).
        let from = buf
            .iter()
            .position(|&b| b == b'\n')
            .map_or(buf.len(), |p| p + 1);
        let to = if start + size >= len {
            buf.len()
        } else {
            buf.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1)
        };
        if from >= to {
            continue;
        }
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(&buf[from..to]);
        let mut record = csv::StringRecord::new();
        while let Ok(true) = reader.read_record(&mut record) {
            for (index, names) in [
                (arm, &mut sampled.arms),
                (Some(visit), &mut sampled.visits),
                (Some(endpoint), &mut sampled.endpoints),
            ] {
                if let Some(name) = index.and_then(|i| record.get(i)) {
                    if clean(name) && !names.iter().any(|n| n == name) {
                        names.push(name.to_string());
                    }
                }
            }
        }
    }
    [&sampled.arms, &sampled.visits, &sampled.endpoints]
        .iter()
        .all(|names| names.len() <= u8::MAX as usize)
        .then_some(sampled)
}

/// polars' parse of the used columns, or `None` if it fails (for an Enum: possibly a name the
/// sample missed).
fn parse(path: &Path, delimiter: u8, cols: &Columns, mode: &Mode) -> Option<DataFrame> {
    let enumeration = |names: &[String]| {
        FrozenCategories::new(names.iter().map(String::as_str))
            .ok()
            .map(DataType::from_frozen_categories)
    };
    let categorical = || {
        DataType::from_categories(Categories::random(
            "trialstat".into(),
            CategoricalPhysical::U32,
        ))
    };
    let (id_type, arm_type, visit_type, endpoint_type) = match mode {
        Mode::Enum(sampled) => (
            DataType::String,
            enumeration(&sampled.arms)?,
            enumeration(&sampled.visits)?,
            enumeration(&sampled.endpoints)?,
        ),
        Mode::Categorical => (categorical(), categorical(), categorical(), categorical()),
    };
    let mut schema = Schema::default();
    let mut wanted: Vec<PlSmallStr> = Vec::new();
    for (name, dtype) in [
        (Some(&cols.id), id_type),
        (cols.arm.as_ref(), arm_type),
        (Some(&cols.visit), visit_type),
        (cols.week.as_ref(), DataType::Float64),
        (Some(&cols.endpoint), endpoint_type),
        (Some(&cols.value), DataType::Float64),
    ] {
        if let Some(n) = name {
            schema.with_column(n.as_str().into(), dtype);
            wanted.push(n.as_str().into());
        }
    }
    CsvReadOptions::default()
        .with_has_header(true)
        .with_raise_if_empty(false)
        .with_columns(Some(wanted.into()))
        .with_schema_overwrite(Some(Arc::new(schema)))
        .map_parse_options(|p| {
            // `NA` is missing in the numeric columns; in a key column it parses as a name and
            // sends the file to the string reader (`clean`). One comparison per field instead
            // of two (empty fields are missing through `missing_is_null`).
            let na = [Some(&cols.value), cols.week.as_ref()]
                .into_iter()
                .flatten()
                .map(|c| (c.as_str().into(), "NA".into()))
                .collect();
            parse_options(p, delimiter).with_null_values(Some(NullValues::Named(na)))
        })
        .try_into_reader_with_file_path(Some(path.to_path_buf()))
        .ok()?
        .finish()
        .ok()
}

/// Read a long file through the typed fast path, or `None` to use the string reader.
pub(super) fn read_long_fast(
    path: &Path,
    options: &ReadOptions,
    sha256: &str,
    head_text: &str,
    delimiter: u8,
    resolve: &dyn Fn(&[String]) -> Option<Resolved>,
) -> Option<Result<Cohort, DataError>> {
    read_long_typed(
        path,
        options,
        sha256,
        head_text,
        delimiter,
        resolve,
        Some(CHUNK_BYTES),
    )
}

/// [`read_long_fast`]; `try_enum`: the chunk size of the Enum parse, or `None` to go straight to
/// the categorical parse (for tests).
fn read_long_typed(
    path: &Path,
    options: &ReadOptions,
    sha256: &str,
    head_text: &str,
    delimiter: u8,
    resolve: &dyn Fn(&[String]) -> Option<Resolved>,
    try_enum: Option<usize>,
) -> Option<Result<Cohort, DataError>> {
    if !options.covariates.is_empty() || options.layout == LayoutChoice::Wide {
        return None;
    }
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
    let [id, arm, visit, week, endpoint, value] = resolve(&header)?;
    let cols = Columns {
        id: id?,
        arm,
        visit: visit?,
        week,
        endpoint: endpoint?,
        value: value?,
    };
    let context = Context {
        path,
        options,
        sha256,
        delimiter,
        cols: &cols,
    };
    if let Some(chunk_bytes) = try_enum {
        if let Some(sampled) = sample_names(path, delimiter, &header, &cols) {
            let mode = Mode::Enum(&sampled);
            let parsed = parse_chunked(path, delimiter, &header, &cols, &sampled, chunk_bytes);
            if let Err(Stop::Ragged) = parsed {
                // A row with too many or too few fields: say where (the csv crate finds it);
                // if it does not (a blank line), the string reader decides.
                let message = super::read::explain_parse_error(path, delimiter)?;
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
                let mut built = build(df, &mode, &context, Some(chunked));
                if let (Some(Ok(cohort)), true) = (built.as_mut(), blank_lines > 0) {
                    let warning = super::read::blank_lines_warning(blank_lines);
                    cohort.warnings.insert(0, warning);
                }
                return built;
            }
            if let Some(e) = ragged(path, delimiter, header.len()) {
                return Some(Err(e));
            }
            if let Some(df) = parse(path, delimiter, &cols, &mode) {
                return build(df, &mode, &context, None);
            }
            let df = parse(path, delimiter, &cols, &Mode::Categorical)?;
            return build(df, &Mode::Categorical, &context, None);
        }
    }
    if let Some(e) = ragged(path, delimiter, header.len()) {
        return Some(Err(e));
    }
    let df = parse(path, delimiter, &cols, &Mode::Categorical)?;
    build(df, &Mode::Categorical, &context, None)
}

/// [`ragged_rows`] as an error.
fn ragged(path: &Path, delimiter: u8, n_fields: usize) -> Option<DataError> {
    ragged_rows(path, delimiter, n_fields).map(|message| DataError::Parse {
        path: path.to_path_buf(),
        message,
    })
}

/// What the chunked parse gives: the value column, the ids indexed per chunk, the other keys
/// as codes over the sampled names per chunk, and each visit code's week.
struct ChunkedParse {
    df: DataFrame,
    ids: Vec<ChunkIds>,
    keys: Vec<ChunkKeys>,
    /// By visit code: the first week given and its row (`None` without a week column).
    week_by_code: Option<WeekByCode>,
    /// Blank lines skipped at the end of the file.
    blank_lines: usize,
}

/// By visit code: the first week given and the row giving it.
type WeekByCode = Vec<Option<(f64, u32)>>;

/// One chunk's arm (empty without an arm column), visit and endpoint codes: indices into the
/// sampled names.
struct ChunkKeys {
    arm: Vec<u8>,
    visit: Vec<u8>,
    endpoint: Vec<u8>,
}

/// One key column over all chunks.
fn key_column<'a>(
    keys: &'a [ChunkKeys],
    pick: fn(&ChunkKeys) -> &[u8],
    names: &'a [String],
) -> CatColumn<'a, u8> {
    CatColumn {
        owned: Vec::new(),
        chunks: keys.iter().map(pick).collect(),
        names: names.iter().map(String::as_str).collect(),
    }
}

/// The key columns of a chunked parse, over the whole file.
struct Chunked<'a> {
    ids: CatColumn<'a, u32>,
    arms: Option<CatColumn<'a, u8>>,
    visits: CatColumn<'a, u8>,
    endpoints: CatColumn<'a, u8>,
    week_by_code: Option<WeekByCode>,
}

/// Bytes of the file per chunk of the chunked parse: small enough that the chunks' transient
/// buffers (the patient-id strings above all) are reused from chunk to chunk instead of
/// touching fresh memory, large enough that per-chunk overhead does not show.
const CHUNK_BYTES: usize = 4 << 20;

/// The Enum parse, chunk by chunk: the file is memory-mapped and cut at line ends (it must
/// hold no quote character, so every newline ends a row), each chunk is parsed by polars'
/// own chunk parser (`read_chunk`, what `CsvReader` runs on each of its chunks) in parallel,
/// and its patient ids are indexed and dropped at once. This replaces polars' serial
/// line-counting pass (byte by byte on stable Rust) with `memchr`, and keeps the 16-byte
/// string view per row out of the resident set. `None` (nothing read) if the file has a quote,
/// invalid UTF-8, a row polars parses differently from the line count (blank lines, say), or a
/// name the sample missed: the whole-file parse then decides.
fn parse_chunked(
    path: &Path,
    delimiter: u8,
    header: &[String],
    cols: &Columns,
    sampled: &Sampled,
    chunk_bytes: usize,
) -> Result<ChunkedParse, Stop> {
    use std::sync::atomic::{AtomicBool, Ordering};
    let ragged = AtomicBool::new(false);
    let parsed = parse_chunks(path, delimiter, header, cols, sampled, chunk_bytes, &ragged);
    match parsed {
        _ if ragged.load(Ordering::Relaxed) => Err(Stop::Ragged),
        Some(parsed) => Ok(parsed),
        None => Err(Stop::Fallback),
    }
}

/// Why the chunked parse stopped.
#[derive(Debug)]
enum Stop {
    /// A row has more or fewer fields than the header.
    Ragged,
    /// Anything else it does not take (see [`parse_chunked`]).
    Fallback,
}

/// [`parse_chunked`]; sets `ragged` if a row has more or fewer fields than the header.
fn parse_chunks(
    path: &Path,
    delimiter: u8,
    header: &[String],
    cols: &Columns,
    sampled: &Sampled,
    chunk_bytes: usize,
    ragged: &std::sync::atomic::AtomicBool,
) -> Option<ChunkedParse> {
    use polars::prelude::_csv_read_internal::{read_chunk, validate_utf8};
    use rayon::prelude::*;
    let file = std::fs::File::open(path).ok()?;
    // SAFETY: the map is read-only and private to this function; as for polars' own reader,
    // a file truncated by another process while it is read is outside what is defended.
    let map = unsafe { memmap2::Mmap::map(&file) }.ok()?;
    let bytes: &[u8] = &map;
    let body_start = memchr::memchr(b'\n', bytes)? + 1;
    if memchr::memchr(b'"', &bytes[..body_start]).is_some() {
        return None;
    }
    // Blank lines at the end of the file (an editor's extra newline) are skipped, as the
    // string reader skips blank lines, with the same warning; elsewhere they stop this parse.
    let mut blank_lines = 0;
    let mut end = bytes.len();
    while end > body_start {
        if bytes[..end].ends_with(b"\n\n") {
            end -= 1;
        } else if bytes[..end].ends_with(b"\n\r\n") {
            end -= 2;
        } else {
            break;
        }
        blank_lines += 1;
    }
    let bytes = &bytes[..end];
    let delimiters = u32::try_from(header.len() - 1).ok()?;
    let mut schema = Schema::default();
    let mut projection = Vec::new();
    for (i, name) in header.iter().enumerate() {
        let is = |c: Option<&String>| c.is_some_and(|c| c == name);
        let dtype = if is(Some(&cols.id))
            || is(cols.arm.as_ref())
            || is(Some(&cols.visit))
            || is(Some(&cols.endpoint))
        {
            DataType::String
        } else if is(Some(&cols.value)) || is(cols.week.as_ref()) {
            DataType::Float64
        } else {
            schema.with_column(name.as_str().into(), DataType::String);
            continue;
        };
        schema.with_column(name.as_str().into(), dtype);
        projection.push(i);
    }
    if schema.len() != header.len() {
        return None;
    }
    let null_values = NullValues::Named(
        [Some(&cols.value), cols.week.as_ref()]
            .into_iter()
            .flatten()
            .map(|c| (c.as_str().into(), "NA".into()))
            .collect(),
    )
    .compile(&schema)
    .ok()?;
    let options = parse_options(CsvParseOptions::default(), delimiter);
    let chunks = line_chunks(bytes, body_start, chunk_bytes);
    let id_name = cols.id.as_str();
    let n_visits = sampled.visits.len();
    let strings = |df: &DataFrame, name: &str| -> Option<StringChunked> {
        Some(
            df.column(name)
                .ok()?
                .as_materialized_series()
                .str()
                .ok()?
                .clone(),
        )
    };
    let parsed: Vec<(DataFrame, ChunkIds, ChunkKeys, Option<WeekByCode>)> = chunks
        .into_par_iter()
        .map(|range| {
            let chunk = &bytes[range];
            if memchr::memchr(b'"', chunk).is_some() || !validate_utf8(chunk) {
                return None;
            }
            // polars fills a short row with missing values and, reading only some columns,
            // ignores extra fields: count the fields of every row (no quotes, so every
            // delimiter separates two fields).
            if !fields_even(chunk, delimiter, delimiters) {
                ragged.store(true, std::sync::atomic::Ordering::Relaxed);
                return None;
            }
            let lines =
                memchr::memchr_iter(b'\n', chunk).count() + usize::from(!chunk.ends_with(b"\n"));
            let mut df = read_chunk(
                chunk,
                &options,
                &schema,
                false,
                &projection,
                0,
                lines,
                Some(&null_values),
                usize::MAX,
                chunk.len(),
                Some(0),
            )
            .ok()?;
            if df.height() != lines {
                return None;
            }
            let ids = chunk_ids(
                df.column(id_name)
                    .ok()?
                    .as_materialized_series()
                    .str()
                    .ok()?,
            )?;
            drop(df.drop_in_place(id_name).ok()?);
            let keys = ChunkKeys {
                arm: match &cols.arm {
                    Some(a) => chunk_codes(&strings(&df, a)?, &sampled.arms)?,
                    None => Vec::new(),
                },
                visit: chunk_codes(&strings(&df, &cols.visit)?, &sampled.visits)?,
                endpoint: chunk_codes(&strings(&df, &cols.endpoint)?, &sampled.endpoints)?,
            };
            for name in [cols.arm.as_ref(), Some(&cols.visit), Some(&cols.endpoint)]
                .into_iter()
                .flatten()
            {
                drop(df.drop_in_place(name).ok()?);
            }
            let weeks = match &cols.week {
                Some(w) => {
                    let weeks = chunk_weeks(&keys.visit, &df, w, n_visits)?;
                    drop(df.drop_in_place(w).ok()?);
                    Some(weeks)
                }
                None => None,
            };
            Some((df, ids, keys, weeks))
        })
        .collect::<Option<Vec<_>>>()?;
    let mut parsed = parsed.into_iter();
    let (mut df, first, first_keys, mut week_by_code) = parsed.next()?;
    let mut ids = vec![first];
    let mut keys = vec![first_keys];
    let mut offset = df.height() as u32;
    for (part, part_ids, part_keys, part_weeks) in parsed {
        if let (Some(weeks), Some(part_weeks)) = (week_by_code.as_mut(), part_weeks) {
            for (week, part_week) in weeks.iter_mut().zip(part_weeks) {
                match (*week, part_week) {
                    (None, Some((w, row))) => *week = Some((w, offset + row)),
                    (Some((w0, _)), Some((w, _))) if w0 != w => return None,
                    _ => {}
                }
            }
        }
        offset += part.height() as u32;
        df.vstack_mut_owned(part).ok()?;
        ids.push(part_ids);
        keys.push(part_keys);
    }
    Some(ChunkedParse {
        df,
        ids,
        keys,
        week_by_code,
        blank_lines,
    })
}

/// For the string reader, whose polars parse fills a short row with missing values: the
/// error message if some row has more or fewer fields than the header (`n_fields`). A file
/// without quotes is scanned with [`fields_even`] in parallel; one with quotes (a quoted field
/// may hold delimiters and newlines) is read by the csv crate.
pub(super) fn ragged_rows(path: &Path, delimiter: u8, n_fields: usize) -> Option<String> {
    use rayon::prelude::*;
    let explain = || super::read::explain_parse_error(path, delimiter);
    let file = std::fs::File::open(path).ok()?;
    // SAFETY: as in `parse_chunks`.
    let map = unsafe { memmap2::Mmap::map(&file) }.ok()?;
    let bytes: &[u8] = &map;
    if memchr::memchr(b'"', bytes).is_some() {
        return explain();
    }
    let body_start = memchr::memchr(b'\n', bytes).map_or(bytes.len(), |p| p + 1);
    let delimiters = u32::try_from(n_fields.checked_sub(1)?).ok()?;
    let even = line_chunks(bytes, body_start, CHUNK_BYTES)
        .into_par_iter()
        .all(|range| fields_even(&bytes[range], delimiter, delimiters));
    if even {
        None
    } else {
        explain()
    }
}

/// `bytes[start..]` cut into ranges of about `chunk_bytes`, each ending just after a newline
/// (the last at the end of the bytes).
fn line_chunks(bytes: &[u8], start: usize, chunk_bytes: usize) -> Vec<std::ops::Range<usize>> {
    let mut chunks = Vec::new();
    let mut start = start;
    while start < bytes.len() {
        let from = (start + chunk_bytes).min(bytes.len());
        let end = memchr::memchr(b'\n', &bytes[from..]).map_or(bytes.len(), |at| from + at + 1);
        chunks.push(start..end);
        start = end;
    }
    chunks
}

/// Bit masks of the delimiters and newlines in a block of 64 bytes (bit i: byte i).
#[cfg(target_arch = "x86_64")]
fn masks(block: &[u8], delimiter: u8) -> (u64, u64) {
    use std::arch::x86_64::{
        __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_set1_epi8,
    };
    assert_eq!(block.len(), 64);
    let (mut delims, mut newlines) = (0u64, 0u64);
    // SAFETY: SSE2 is part of every x86_64 target; each load reads 16 bytes inside the block
    // (length checked above), unaligned loads allowed.
    unsafe {
        let (d, n) = (_mm_set1_epi8(delimiter as i8), _mm_set1_epi8(b'\n' as i8));
        for k in 0..4 {
            let v = _mm_loadu_si128(block.as_ptr().add(16 * k) as *const __m128i);
            delims |= u64::from(_mm_movemask_epi8(_mm_cmpeq_epi8(v, d)) as u16) << (16 * k);
            newlines |= u64::from(_mm_movemask_epi8(_mm_cmpeq_epi8(v, n)) as u16) << (16 * k);
        }
    }
    (delims, newlines)
}

/// Bit masks of the delimiters and newlines in a block of 64 bytes (bit i: byte i).
#[cfg(not(target_arch = "x86_64"))]
fn masks(block: &[u8], delimiter: u8) -> (u64, u64) {
    masks_scalar(block, delimiter)
}

/// [`masks`] a byte at a time: the reference the vector version is tested against, and the
/// version used off x86_64.
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
fn masks_scalar(block: &[u8], delimiter: u8) -> (u64, u64) {
    let (mut delims, mut newlines) = (0u64, 0u64);
    for (i, &b) in block.iter().enumerate() {
        delims |= u64::from(b == delimiter) << i;
        newlines |= u64::from(b == b'\n') << i;
    }
    (delims, newlines)
}

/// Whether every line of `chunk` (which holds no quote character) has exactly `expected`
/// delimiters; an unterminated last line counts, an empty one is a line with none. 64 bytes
/// at a time, as bit masks.
fn fields_even(chunk: &[u8], delimiter: u8, expected: u32) -> bool {
    let mut count = 0u32; // delimiters since the start of the line
    let mut blocks = chunk.chunks_exact(64);
    for block in &mut blocks {
        let (mut delims, mut newlines) = masks(block, delimiter);
        while newlines != 0 {
            let at = newlines.trailing_zeros();
            let before = delims & ((1u64 << at) - 1);
            if count + before.count_ones() != expected {
                return false;
            }
            count = 0;
            // Drop the delimiters up to this newline.
            delims &= !((1u64 << at) - 1);
            newlines &= newlines - 1;
        }
        count += delims.count_ones();
    }
    let rest = blocks.remainder();
    for &b in rest {
        if b == b'\n' {
            if count != expected {
                return false;
            }
            count = 0;
        } else if b == delimiter {
            count += 1;
        }
    }
    chunk.ends_with(b"\n") || chunk.is_empty() || count == expected
}

/// A key column of a chunk as codes over the sampled names; `None` if a value is missing or not
/// among them (the whole-file parse then decides). Each row is compared with the row before;
/// a view of a string of up to 12 bytes holds the string itself, so such views are looked up
/// among the views seen before, and only other strings are compared with the names.
fn chunk_codes(ca: &StringChunked, names: &[String]) -> Option<Vec<u8>> {
    if ca.null_count() > 0 || names.len() > u8::MAX as usize {
        return None;
    }
    let mut codes = Vec::with_capacity(ca.len());
    let mut inline: Vec<(u128, u8)> = Vec::new();
    let (mut previous_view, mut code) = (None::<u128>, 0u8);
    for array in ca.downcast_iter() {
        for (i, view) in array.views().iter().enumerate() {
            let bits = view.as_u128();
            if previous_view != Some(bits) {
                previous_view = Some(bits);
                code = match inline.iter().find(|(b, _)| *b == bits) {
                    Some(&(_, c)) => c,
                    None => {
                        let s = array.value(i);
                        let c = names.iter().position(|n| n == s)? as u8;
                        if view.length <= 12 {
                            inline.push((bits, c));
                        }
                        c
                    }
                };
            }
            codes.push(code);
        }
    }
    Some(codes)
}

/// A chunk's week of each visit code (the first given, with its row); `None` if a visit has
/// two weeks or a week is not finite (the string reader says where).
fn chunk_weeks(
    visits: &[u8],
    df: &DataFrame,
    week: &str,
    n_visits: usize,
) -> Option<Vec<Option<(f64, u32)>>> {
    let weeks = df.column(week).ok()?.as_materialized_series().f64().ok()?;
    let mut by_code: Vec<Option<(f64, u32)>> = vec![None; n_visits];
    let codes = visits.iter();
    let weeks = weeks.downcast_iter().flat_map(|a| a.iter());
    for (row, (&code, w)) in codes.zip(weeks).enumerate() {
        let Some(&w) = w else { continue };
        if !w.is_finite() {
            return None;
        }
        match by_code.get_mut(code as usize)? {
            slot @ None => *slot = Some((w, row as u32)),
            Some((w0, _)) if *w0 != w => return None,
            _ => {}
        }
    }
    Some(by_code)
}

/// One chunk's patient ids: the distinct ids in order of first appearance (in one buffer) and
/// each row's code among them.
struct ChunkIds {
    text: String,
    ends: Vec<usize>,
    codes: Vec<u32>,
}

impl ChunkIds {
    fn name(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.text[start..self.ends[i]]
    }
}

/// Index a chunk's ids as [`first_seen_strings`] does a part: compare with the row before,
/// consult a hash map only where the id changes.
fn chunk_ids(ca: &StringChunked) -> Option<ChunkIds> {
    if ca.null_count() > 0 {
        return None;
    }
    let (mut text, mut ends) = (String::new(), Vec::new());
    let arrays: Vec<&StrArray> = ca.downcast_iter().collect();
    let (_, codes) = first_seen_codes(&arrays, |id| {
        text.push_str(id);
        ends.push(text.len());
    })?;
    Some(ChunkIds { text, ends, codes })
}

/// The chunks' ids as one column: ids numbered in order of first appearance over the file
/// (each chunk's codes rewritten in place), names borrowed from the chunks.
fn merge_ids(chunks: &mut [ChunkIds]) -> Option<CatColumn<'_, u32>> {
    use rayon::prelude::*;
    // (chunk, local code) of each id, in order of first appearance; each chunk's local-to-file
    // code table.
    let mut first_at: Vec<(u32, u32)> = Vec::new();
    let mut tables: Vec<Vec<u32>> = Vec::with_capacity(chunks.len());
    {
        let mut index: PlHashMap<&str, u32> = PlHashMap::default();
        for (k, chunk) in chunks.iter().enumerate() {
            let table = (0..chunk.ends.len())
                .map(|i| {
                    let next = first_at.len() as u32;
                    *index.entry(chunk.name(i)).or_insert_with(|| {
                        first_at.push((k as u32, i as u32));
                        next
                    })
                })
                .collect();
            tables.push(table);
        }
    }
    chunks
        .par_iter_mut()
        .zip(tables.par_iter())
        .for_each(|(chunk, table)| {
            for c in chunk.codes.iter_mut() {
                *c = table[*c as usize];
            }
        });
    let chunks: &[ChunkIds] = chunks;
    Some(CatColumn {
        owned: Vec::new(),
        chunks: chunks.iter().map(|c| c.codes.as_slice()).collect(),
        names: first_at
            .iter()
            .map(|&(k, i)| chunks[k as usize].name(i as usize))
            .collect(),
    })
}

/// What the build needs besides the parsed columns.
struct Context<'c> {
    path: &'c Path,
    options: &'c ReadOptions,
    sha256: &'c str,
    delimiter: u8,
    cols: &'c Columns,
}

/// Index the parsed columns and build the cohort; `None` to use the string reader.
fn build(
    df: DataFrame,
    mode: &Mode,
    cx: &Context,
    chunked: Option<Chunked<'_>>,
) -> Option<Result<Cohort, DataError>> {
    let n_rows = df.height();
    if n_rows == 0 || n_rows >= u32::MAX as usize {
        return None;
    }
    let cols = cx.cols;
    let (chunked, week_by_code) = match chunked {
        Some(mut c) => {
            let weeks = c.week_by_code.take();
            (Some(c), weeks)
        }
        None => (None, None),
    };
    let weeks = match (&cols.week, week_by_code) {
        (None, _) => Weeks::Absent,
        (Some(_), Some(by_code)) => Weeks::ByCode(by_code),
        (Some(w), None) => Weeks::Column(float(&df, w)?),
    };
    let vals = float(&df, &cols.value)?;
    // The columns borrow df's buffers; nothing is copied.
    // An absent arm column is no arm; a present one that cannot be taken fails the path.
    let result = match (mode, chunked) {
        (_, Some(c)) => index_and_place(
            n_rows,
            c.ids,
            c.arms,
            c.visits,
            c.endpoints,
            &weeks,
            &vals,
            cx,
        )?,
        (Mode::Enum(sampled), None) => index_and_place(
            n_rows,
            first_seen_strings(&df, &cols.id)?,
            (cols.arm.as_ref())
                .map_or(Some(None), |a| enumerated(&df, a, &sampled.arms).map(Some))?,
            enumerated(&df, &cols.visit, &sampled.visits)?,
            enumerated(&df, &cols.endpoint, &sampled.endpoints)?,
            &weeks,
            &vals,
            cx,
        )?,
        (Mode::Categorical, None) => index_and_place(
            n_rows,
            categorical(&df, &cols.id)?,
            (cols.arm.as_ref()).map_or(Some(None), |a| categorical(&df, a).map(Some))?,
            categorical(&df, &cols.visit)?,
            categorical(&df, &cols.endpoint)?,
            &weeks,
            &vals,
            cx,
        )?,
    };
    // Unmapping a few hundred MB takes tens of ms: done on a thread while the analysis starts.
    std::thread::spawn(move || drop(df));
    Some(result)
}

/// Where the weeks come from.
enum Weeks<'a> {
    /// No week column.
    Absent,
    /// The parsed column, row by row.
    Column(FloatColumn<'a>),
    /// Summarised by the chunked parse: each visit code's first week and the row giving it.
    ByCode(Vec<Option<(f64, u32)>>),
}

/// [`index`] then [`place`], for either typed mode.
#[allow(clippy::too_many_arguments)]
fn index_and_place<'a, T: Copy + Into<u32> + Sync>(
    n_rows: usize,
    ids: CatColumn<'a, u32>,
    arms: Option<CatColumn<'a, T>>,
    visits: CatColumn<'a, T>,
    endpoints: CatColumn<'a, T>,
    weeks: &Weeks,
    vals: &FloatColumn,
    cx: &Context,
) -> Option<Result<Cohort, DataError>> {
    let prepared = index(
        n_rows,
        &ids,
        arms.as_ref(),
        &visits,
        &endpoints,
        weeks,
        vals,
        cx,
    )?;
    Some(place(prepared, &ids, &visits, &endpoints, vals, n_rows, cx))
}

/// Build the cohort table from the indexed keys, reading each row's patient, visit, endpoint
/// and value straight from the parsed columns (no per-row array of keys).
#[allow(clippy::result_large_err)] // as `assemble`: the error names the duplicate rows
fn place<T: Copy + Into<u32>>(
    prepared: Prepared,
    ids: &CatColumn<u32>,
    visits: &CatColumn<T>,
    endpoints: &CatColumn<T>,
    vals: &FloatColumn,
    n_rows: usize,
    cx: &Context,
) -> Result<Cohort, DataError> {
    let cols = cx.cols;
    let Prepared {
        patient_names,
        arm_names,
        visit_names,
        endpoint_names,
        endpoint_of_code,
        patient_arm,
        visit_week,
        patient_of_code,
        visit_of_code,
        rows_excluded,
        warnings,
    } = prepared;
    let keys = Keys {
        arm_names,
        patient_names,
        patient_arm,
        visit_names,
        visit_week,
        row_patient: Vec::new(),
        row_visit: Vec::new(),
    };
    let orders = keys.orders();
    let parts = Parts {
        path: cx.path.to_path_buf(),
        delimiter: cx.delimiter,
        sha256: cx.sha256.to_string(),
        layout: Layout::Long,
        columns: ColumnMap {
            patient_id: cols.id.clone(),
            arm: cols.arm.clone(),
            visit: cols.visit.clone(),
            week: cols.week.clone(),
            endpoint: Some(cols.endpoint.clone()),
            value: Some(cols.value.clone()),
            endpoint_columns: Vec::new(),
        },
        endpoint_names,
        rows_excluded,
        warnings,
        covariates: Vec::new(),
        n_rows,
    };
    let cells = ids
        .codes()
        .zip(visits.codes())
        .zip(endpoints.codes())
        .zip(vals.iter())
        .enumerate()
        .filter_map(|(row, (((id, visit), code), v))| {
            let e = endpoint_of_code[code as usize];
            (e != u32::MAX).then(|| Placed {
                e,
                patient: patient_of_code[id as usize],
                visit: visit_of_code[visit as usize],
                row: row as u32,
                v: v.unwrap_or(f64::NAN),
            })
        });
    assemble(parts, &keys, &orders, cells).map(|mut c| {
        c.source.typed_reader = true;
        c
    })
}

/// The indexed keys, owning everything but the names (borrowed from the parsed columns).
struct Prepared<'a> {
    patient_names: Vec<&'a str>,
    arm_names: Vec<&'a str>,
    visit_names: Vec<&'a str>,
    /// In natural order.
    endpoint_names: Vec<String>,
    /// Index into `endpoint_names` of each endpoint code; `u32::MAX` if not selected.
    endpoint_of_code: Vec<u32>,
    patient_arm: Vec<u32>,
    visit_week: Vec<Option<(f64, u32)>>,
    /// Patient index (order of first appearance) of each id code.
    patient_of_code: Vec<u32>,
    /// Visit index (order of first appearance) of each visit code.
    visit_of_code: Vec<u32>,
    rows_excluded: Vec<(u32, ReadExclusion)>,
    warnings: Vec<String>,
}

/// What the visit, week and endpoint pass finds.
struct VisitPass {
    visit_seen: FirstSeen,
    visit_week: Vec<Option<(f64, u32)>>,
    endpoint_seen: FirstSeen,
    rows_excluded: Vec<(u32, ReadExclusion)>,
    negative_count: usize,
    /// Row, endpoint code and value of the first negative value.
    negative_first: Option<(usize, u32, f64)>,
}

/// Names of the codes in order of first appearance.
fn names_in_order<'a, T>(col: &CatColumn<'a, T>, seen: &FirstSeen) -> Vec<&'a str> {
    seen.order.iter().map(|&c| col.names[c as usize]).collect()
}

/// Index keys and cells in order of first appearance, as the string reader does.
#[allow(clippy::too_many_arguments)]
fn index<'a, T: Copy + Into<u32> + Sync>(
    n_rows: usize,
    ids: &CatColumn<'a, u32>,
    arms: Option<&CatColumn<'a, T>>,
    visits: &CatColumn<'a, T>,
    endpoints: &CatColumn<'a, T>,
    weeks: &Weeks,
    vals: &FloatColumn,
    cx: &Context,
) -> Option<Prepared<'a>> {
    // Endpoints (those chosen), in order of first appearance among the rows kept.
    let chosen = cx.options.endpoints.as_ref();
    let selected: Vec<bool> = endpoints
        .names
        .iter()
        .map(|e| chosen.is_none_or(|ch| ch.iter().any(|c| c == e || c.eq_ignore_ascii_case(e))))
        .collect();
    if endpoints.names.iter().any(|e| e.is_empty()) {
        return None;
    }
    // Keys, in order of first appearance, as the string reader indexes them.
    // Arms and patients on one core; visits, weeks, endpoints and values on the other.
    let patient_pass = || {
        let mut arm_seen = FirstSeen::new(arms.map(|a| a.names.len()).unwrap_or(1));
        let mut patient_seen = FirstSeen::new(ids.names.len());
        let mut patient_arm: Vec<u32> = Vec::new();
        let mut rows = 0usize;
        let mut arm_codes = arms.map(|a| a.codes());
        for code in ids.codes() {
            let a = match arm_codes.as_mut() {
                Some(c) => arm_seen.index(c.next()?),
                None => arm_seen.index(0),
            };
            let before = patient_seen.order.len();
            let p = patient_seen.index(code);
            if patient_seen.order.len() > before {
                patient_arm.push(a);
            } else if patient_arm[p as usize] != a {
                return None; // a patient in two arms: the string reader says where
            }
            rows += 1;
        }
        drop(arm_codes);
        (rows == n_rows).then_some((arm_seen, patient_seen, patient_arm))
    };
    let visit_pass = || {
        let mut visit_seen = FirstSeen::new(visits.names.len());
        let mut visit_week: Vec<Option<(f64, u32)>> = Vec::new();
        let mut rows = 0usize;
        let mut week_iter = match weeks {
            Weeks::Column(w) => Some(w.iter()),
            _ => None,
        };
        for (row, code) in visits.codes().enumerate() {
            let before = visit_seen.order.len();
            let v = visit_seen.index(code);
            if visit_seen.order.len() > before {
                visit_week.push(None);
            }
            if let Some(w) = week_iter.as_mut().and_then(|it| it.next().flatten()) {
                match visit_week[v as usize] {
                    None => visit_week[v as usize] = Some((w, row as u32)),
                    Some((w0, _)) if w0 != w => return None, // a week that changes
                    _ => {}
                }
            }
            rows += 1;
        }
        drop(week_iter);
        if let Weeks::ByCode(by_code) = weeks {
            for (v, &code) in visit_seen.order.iter().enumerate() {
                visit_week[v] = *by_code.get(code as usize)?;
            }
        }
        let mut endpoint_seen = FirstSeen::new(endpoints.names.len());
        let mut rows_excluded = Vec::new();
        let mut negative_count = 0usize;
        let mut negative_first: Option<(usize, u32, f64)> = None;
        for (row, (code, v)) in endpoints.codes().zip(vals.iter()).enumerate() {
            if !selected[code as usize] {
                rows_excluded.push((row as u32, ReadExclusion::EndpointNotSelected));
                continue;
            }
            endpoint_seen.index(code);
            if let Some(x) = v {
                if x < 0.0 {
                    negative_count += 1;
                    if negative_first.is_none() {
                        negative_first = Some((row, code, x));
                    }
                }
            }
        }
        (rows == n_rows).then_some(VisitPass {
            visit_seen,
            visit_week,
            endpoint_seen,
            rows_excluded,
            negative_count,
            negative_first,
        })
    };
    let (patient_result, visit_result) = rayon::join(patient_pass, visit_pass);
    let (arm_seen, patient_seen, patient_arm) = patient_result?;
    let VisitPass {
        visit_seen,
        visit_week,
        endpoint_seen,
        rows_excluded,
        negative_count,
        negative_first,
    } = visit_result?;
    let patient_strings = names_in_order(ids, &patient_seen);
    let visit_strings = names_in_order(visits, &visit_seen);
    let arm_strings = match arms {
        Some(c) => names_in_order(c, &arm_seen),
        None => vec!["all"],
    };
    if patient_strings
        .iter()
        .chain(&visit_strings)
        .chain(&arm_strings)
        .any(|s| s.is_empty())
    {
        return None;
    }
    if endpoint_seen.order.is_empty() {
        return None;
    }
    let e_names: Vec<&str> = endpoint_seen
        .order
        .iter()
        .map(|&c| endpoints.names[c as usize])
        .collect();
    let mut warnings = Vec::new();
    if let Some((row, code, x)) = negative_first {
        warnings.push(format!(
            "{negative_count} negative value(s), first at line {} ({} = {x}); kept, but check that percent change is meaningful for this endpoint",
            line_of(cx.path, cx.delimiter, row),
            endpoints.names[code as usize]
        ));
    }
    let mut order: Vec<usize> = (0..e_names.len()).collect();
    order.sort_by(|&a, &b| super::natural::natural_cmp(e_names[a], e_names[b]));
    let mut rank = vec![0u32; e_names.len()];
    for (r, &e) in order.iter().enumerate() {
        rank[e] = r as u32;
    }
    // Each endpoint code's index in the natural order (MAX: not selected).
    let mut endpoint_of_code = vec![u32::MAX; endpoints.names.len()];
    for (first_seen, &code) in endpoint_seen.order.iter().enumerate() {
        endpoint_of_code[code as usize] = rank[first_seen];
    }
    Some(Prepared {
        endpoint_names: order.iter().map(|&e| e_names[e].to_string()).collect(),
        patient_names: patient_strings,
        arm_names: arm_strings,
        visit_names: visit_strings,
        patient_arm,
        visit_week,
        patient_of_code: patient_seen.index_of,
        visit_of_code: visit_seen.index_of,
        endpoint_of_code,
        rows_excluded,
        warnings,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The Enum + string mode and the categorical mode build the same cohort.
    #[test]
    fn both_typed_modes_agree() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        for file in [
            "data/baricitinib_case_series.csv",
            "data/example_trial.csv",
            "tests/data/long_unsorted.csv",
        ] {
            let path = root.join(file);
            let head = std::fs::read_to_string(&path).unwrap();
            let options = ReadOptions::default();
            let resolve = |names: &[String]| super::super::read::resolve_names(names, &options);
            let read = |try_enum| {
                read_long_typed(&path, &options, "", &head, b',', &resolve, try_enum)
                    .expect("typed path taken")
                    .unwrap()
            };
            let categorical = format!("{:?}", read(None));
            // The chunked parse is the one taken (not the whole-file fallback).
            let header: Vec<String> = head
                .lines()
                .next()
                .unwrap()
                .split(',')
                .map(String::from)
                .collect();
            let [id, arm, visit, week, endpoint, value] = resolve(&header).unwrap();
            let cols = Columns {
                id: id.unwrap(),
                arm,
                visit: visit.unwrap(),
                week,
                endpoint: endpoint.unwrap(),
                value: value.unwrap(),
            };
            let sampled = sample_names(&path, b',', &header, &cols).unwrap();
            for chunk_bytes in [1, 100, CHUNK_BYTES] {
                let ChunkedParse { df, ids, .. } =
                    parse_chunked(&path, b',', &header, &cols, &sampled, chunk_bytes)
                        .expect("chunked parse");
                assert_eq!(
                    ids.iter().map(|c| c.codes.len()).sum::<usize>(),
                    df.height()
                );
                if chunk_bytes == 1 {
                    assert_eq!(ids.len(), df.height(), "one row per chunk");
                }
            }
            // One chunk, and chunks of a few lines (ids merged across chunks).
            for chunk_bytes in [CHUNK_BYTES, 1, 100, 1000] {
                assert_eq!(
                    format!("{:?}", read(Some(chunk_bytes))),
                    categorical,
                    "{file}, chunks of {chunk_bytes} bytes"
                );
            }
        }
    }

    /// The 64-byte mask scan agrees with a byte-by-byte count on lines of every length, at
    /// every offset of a block, with and without a final newline.
    #[test]
    fn fields_even_matches_a_plain_count() {
        let plain = |chunk: &[u8], expected: usize| {
            let body = chunk.strip_suffix(b"\n").unwrap_or(chunk);
            chunk.is_empty()
                || body
                    .split(|&b| b == b'\n')
                    .all(|line| line.iter().filter(|&&b| b == b',').count() == expected)
        };
        let mut lcg = crate::test_lcg(7);
        let mut next = || lcg() as usize;
        for case in 0..3000 {
            let lines = 1 + next() % 12;
            let mut text = Vec::new();
            for l in 0..lines {
                let fields = if case % 3 == 0 && l == lines / 2 {
                    2 + next() % 4
                } else {
                    4
                };
                for f in 0..fields {
                    if f > 0 {
                        text.push(b',');
                    }
                    text.extend(std::iter::repeat_n(b'a', next() % 30));
                }
                if l + 1 < lines || next() % 2 == 0 {
                    text.push(b'\n');
                }
            }
            assert_eq!(
                fields_even(&text, b',', 3),
                plain(&text, 3),
                "{:?}",
                String::from_utf8_lossy(&text)
            );
        }
        assert!(fields_even(b"", b',', 3));
        assert!(
            !fields_even(b"a,b,c,d\n\na,b,c,d\n", b',', 3),
            "a blank line"
        );
    }

    /// The SSE2 masks equal the byte-at-a-time ones, for every delimiter the reader detects.
    #[test]
    fn vector_masks_equal_scalar_masks() {
        let mut next = crate::test_lcg(11);
        let alphabet = b",;\t\n\ra\"0\xff";
        for case in 0..2000 {
            let block: Vec<u8> = (0..64)
                .map(|_| alphabet[next() as usize % alphabet.len()])
                .collect();
            let delimiter = [b',', b';', b'\t'][case % 3];
            assert_eq!(masks(&block, delimiter), masks_scalar(&block, delimiter));
        }
    }

    /// A long file without an arm column takes the Enum parse too.
    #[test]
    fn no_arm_column_parses_with_enums() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("no_arm.csv");
        std::fs::write(
            &path,
            "id,visit,week,endpoint,value\nP1,baseline,0,x,3\nP1,week4,4,x,2\nP2,baseline,0,x,4\nP2,week4,4,x,1\n",
        )
        .unwrap();
        let cols = Columns {
            id: "id".into(),
            arm: None,
            visit: "visit".into(),
            week: Some("week".into()),
            endpoint: "endpoint".into(),
            value: "value".into(),
        };
        let header: Vec<String> = ["id", "visit", "week", "endpoint", "value"]
            .map(String::from)
            .to_vec();
        let sampled = sample_names(&path, b',', &header, &cols).unwrap();
        assert_eq!(sampled.visits, vec!["baseline", "week4"]);
        let df = parse(&path, b',', &cols, &Mode::Enum(&sampled)).expect("Enum parse");
        assert_eq!(df.height(), 4);
    }

    #[test]
    fn a_name_the_sample_missed_falls_back_to_categoricals() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.csv");
        // 16 MiB, so that 64 windows of 64 KiB are sampled; one endpoint appears on a single
        // row only, half-way between two windows.
        let mut text = String::from("patient_id,arm,visit,week,endpoint,value\n");
        let mut p = 0;
        while text.len() < (16 << 20) {
            p += 1;
            for (v, w) in [("baseline", 0), ("week12", 12)] {
                let arm = ["a", "b"][p % 2];
                text.push_str(&format!("P{p:07},{arm},{v},{w},erythema,{}\n", 1 + p % 3));
            }
        }
        let gap = text.len() / 63;
        let at = 31 * gap + gap / 2;
        let at = at + text[at..].find('\n').unwrap() + 1;
        text.insert_str(at, "P0000001,b,week12,12,rare_endpoint,1\n");
        std::fs::write(&path, &text).unwrap();
        let options = ReadOptions::default();
        let resolve = |names: &[String]| super::super::read::resolve_names(names, &options);
        let cols = Columns {
            id: "patient_id".into(),
            arm: Some("arm".into()),
            visit: "visit".into(),
            week: Some("week".into()),
            endpoint: "endpoint".into(),
            value: "value".into(),
        };
        let header: Vec<String> = ["patient_id", "arm", "visit", "week", "endpoint", "value"]
            .map(String::from)
            .to_vec();
        let sampled = sample_names(&path, b',', &header, &cols).unwrap();
        assert!(!sampled.endpoints.iter().any(|e| e == "rare_endpoint"));
        let head = &text[..4096];
        let fast = read_long_typed(&path, &options, "", head, b',', &resolve, Some(CHUNK_BYTES))
            .unwrap()
            .unwrap();
        let slow = read_long_typed(&path, &options, "", head, b',', &resolve, None)
            .unwrap()
            .unwrap();
        assert_eq!(fast.endpoints, vec!["erythema", "rare_endpoint"]);
        assert_eq!(format!("{fast:?}"), format!("{slow:?}"));
    }
}
