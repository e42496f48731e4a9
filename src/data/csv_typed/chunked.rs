//! The typed reader's chunked parse: the file memory-mapped and cut at line ends, each chunk
//! parsed in parallel by polars' own chunk parser (through `polars_csv`), its patient ids
//! indexed and its arm, visit and endpoint turned into one-byte codes over the sampled names
//! at once, then the strings dropped. It must not build the cohort (that is `index`) and
//! accepts only what it can prove well-formed: anything else stops it, and a slower parse or
//! the string reader decides.

use super::super::csv_text::{fields_even, line_chunks};
use super::super::polars_csv::{valid_utf8, ChunkParser, ColumnType};
use super::key_columns::{first_seen_codes, CatColumn, StrArray};
use super::sample::Sampled;
use super::Columns;
use polars::prelude::*;
use std::path::Path;

/// What the chunked parse gives: the value column, the ids indexed per chunk, the other keys
/// as codes over the sampled names per chunk, and each visit code's week.
pub(super) struct ChunkedParse {
    pub df: DataFrame,
    pub ids: Vec<ChunkIds>,
    pub keys: Vec<ChunkKeys>,
    /// By visit code: the first week given and its row (`None` without a week column).
    pub week_by_code: Option<WeekByCode>,
    /// Blank lines skipped at the end of the file.
    pub blank_lines: usize,
}

/// By visit code: the first week given and the row giving it.
pub(super) type WeekByCode = Vec<Option<(f64, u32)>>;

/// One chunk's arm (empty without an arm column), visit and endpoint codes: indices into the
/// sampled names.
pub(super) struct ChunkKeys {
    pub arm: Vec<u8>,
    pub visit: Vec<u8>,
    pub endpoint: Vec<u8>,
}

/// One key column over all chunks.
pub(super) fn key_column<'a>(
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
pub(super) struct Chunked<'a> {
    pub ids: CatColumn<'a, u32>,
    pub arms: Option<CatColumn<'a, u8>>,
    pub visits: CatColumn<'a, u8>,
    pub endpoints: CatColumn<'a, u8>,
    pub week_by_code: Option<WeekByCode>,
}

/// The Enum parse, chunk by chunk: the file is memory-mapped and cut at line ends (it must
/// hold no quote character, so every newline ends a row), each chunk is parsed by polars'
/// own chunk parser (`read_chunk`, what `CsvReader` runs on each of its chunks) in parallel,
/// and its patient ids are indexed and dropped at once. This replaces polars' serial
/// line-counting pass (byte by byte on stable Rust) with `memchr`, and keeps the 16-byte
/// string view per row out of the resident set. `None` (nothing read) if the file has a quote,
/// invalid UTF-8, a row polars parses differently from the line count (blank lines, say), or a
/// name the sample missed: the whole-file parse then decides.
pub(super) fn parse_chunked(
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
pub(super) enum Stop {
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
    let is = |name: &str, c: Option<&String>| c.is_some_and(|c| c == name);
    let parser = ChunkParser::new(
        header,
        delimiter,
        |name| {
            if is(name, Some(&cols.id))
                || is(name, cols.arm.as_ref())
                || is(name, Some(&cols.visit))
                || is(name, Some(&cols.endpoint))
            {
                Some(ColumnType::String)
            } else if is(name, Some(&cols.value)) || is(name, cols.week.as_ref()) {
                Some(ColumnType::Float64)
            } else {
                None
            }
        },
        &cols.na_columns(),
    )?;
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
            if memchr::memchr(b'"', chunk).is_some() || !valid_utf8(chunk) {
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
            let mut df = parser.parse(chunk, lines)?;
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
pub(super) struct ChunkIds {
    text: String,
    ends: Vec<usize>,
    pub codes: Vec<u32>,
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
pub(super) fn merge_ids(chunks: &mut [ChunkIds]) -> Option<CatColumn<'_, u32>> {
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
