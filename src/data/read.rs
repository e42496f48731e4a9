//! CSV ingest with polars: dialect and layout detection, column aliases, parsing and
//! validation into a [`Cohort`].

// Errors are the cold path and carry the file, line and values they report; boxing them
// would buy nothing measurable.
#![allow(clippy::result_large_err)]

use super::natural::natural_cmp;
use super::{Cohort, Covariate, CovariateValues, DataError, Patient, ReadExclusion, Visit};
use polars::prelude::*;
use rayon::slice::ParallelSliceMut;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Long or wide layout, as detected or as forced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Layout {
    /// One row per patient × visit × endpoint: `endpoint` and `value` columns.
    Long,
    /// One row per patient × visit, one numeric column per endpoint.
    Wide,
}

/// `--layout`: detect, or force one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LayoutChoice {
    #[default]
    Auto,
    Long,
    Wide,
}

/// How to read a file. Column names are matched case-insensitively.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ReadOptions {
    pub layout: LayoutChoice,
    pub id_col: Option<String>,
    pub arm_col: Option<String>,
    pub visit_col: Option<String>,
    pub week_col: Option<String>,
    pub endpoint_col: Option<String>,
    pub value_col: Option<String>,
    /// Endpoints to analyse (wide: columns; long: values of the endpoint column). All if None.
    pub endpoints: Option<Vec<String>>,
    /// Patient-level covariate columns (constant within a patient), numeric or categorical.
    pub covariates: Vec<String>,
    /// Never take the typed fast path for long files (the validating string reader only); for
    /// tests that compare the two.
    pub string_reader_only: bool,
}

/// Which file columns were used for what.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ColumnMap {
    pub patient_id: String,
    pub arm: Option<String>,
    pub visit: String,
    pub week: Option<String>,
    pub endpoint: Option<String>,
    pub value: Option<String>,
    pub endpoint_columns: Vec<String>,
}

/// Where the data came from and how it was read.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SourceInfo {
    pub path: PathBuf,
    pub sha256: String,
    pub delimiter: String,
    pub layout: Layout,
    pub columns: ColumnMap,
    /// Read by the typed fast path (long layout, categorical keys) rather than the string reader.
    #[serde(skip)]
    pub typed_reader: bool,
}

const ID_ALIASES: &[&str] = &[
    "patient_id",
    "usubjid",
    "subject_id",
    "subjid",
    "patient",
    "subject",
    "id",
];
const ARM_ALIASES: &[&str] = &[
    "arm",
    "trt01a",
    "trta",
    "trt01p",
    "treatment",
    "trt",
    "group",
];
const VISIT_ALIASES: &[&str] = &["visit", "avisit"];
const WEEK_ALIASES: &[&str] = &["week", "avisitn"];
const ENDPOINT_ALIASES: &[&str] = &["endpoint", "paramcd", "param"];
const VALUE_ALIASES: &[&str] = &["value", "aval"];

fn normalise(name: &str) -> String {
    name.trim_start_matches('\u{feff}')
        .trim()
        .to_ascii_lowercase()
}

/// Read, validate and index a patient-level CSV file.
///
/// The file's SHA-256 (for the output's provenance) is computed on a second thread while the
/// file is parsed.
pub fn read_cohort(path: &Path, options: &ReadOptions) -> Result<Cohort, DataError> {
    let (mut cohort, hash) = read_cohort_hash_pending(path, options)?;
    cohort.source.sha256 = hash.wait()?;
    Ok(cohort)
}

/// The SHA-256 of an input file, being computed on a low-priority thread.
#[derive(Debug)]
pub struct PendingHash {
    path: std::path::PathBuf,
    handle: std::thread::JoinHandle<std::io::Result<String>>,
}

impl PendingHash {
    fn start(path: &Path) -> Self {
        let owned = path.to_path_buf();
        PendingHash {
            path: path.to_path_buf(),
            handle: std::thread::spawn(move || {
                lower_thread_priority();
                hash_file(&owned)
            }),
        }
    }

    /// Wait for the hash: lowercase hex.
    pub fn wait(self) -> Result<String, DataError> {
        let path = self.path;
        self.handle
            .join()
            .map_err(|_| DataError::Parse {
                path: path.clone(),
                message: "internal error while hashing the file".into(),
            })?
            .map_err(|source| DataError::Io { path, source })
    }
}

/// [`read_cohort`] with the hash still being computed: `cohort.source.sha256` is empty until
/// the caller sets it from [`PendingHash::wait`]. The analysis can run meanwhile, so that the
/// hash thread (at the lowest priority) uses the moments a core would otherwise be idle.
pub fn read_cohort_hash_pending(
    path: &Path,
    options: &ReadOptions,
) -> Result<(Cohort, PendingHash), DataError> {
    let head = read_head(path).map_err(|source| DataError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let hash = PendingHash::start(path);
    let cohort = read_unhashed(path, options, &head)?;
    Ok((cohort, hash))
}

/// Everything of [`read_cohort`] but the hash (left empty).
fn read_unhashed(path: &Path, options: &ReadOptions, head: &[u8]) -> Result<Cohort, DataError> {
    let sha256 = String::new();
    let head_text = String::from_utf8_lossy(head);
    let head_text = head_text.trim_start_matches('\u{feff}');
    if head_text.trim().is_empty() {
        return Err(DataError::Empty {
            path: path.to_path_buf(),
        });
    }
    let delimiter = detect_delimiter(head_text);
    if !head.starts_with(b"\xef\xbb\xbf") && !options.string_reader_only {
        let resolve = |names: &[String]| resolve_names(names, options);
        if let Some(result) =
            super::fast::read_long_fast(path, options, &sha256, head_text, delimiter, &resolve)
        {
            return result;
        }
    }

    let df = CsvReadOptions::default()
        .with_has_header(true)
        .with_infer_schema_length(Some(0))
        .with_raise_if_empty(false)
        .map_parse_options(|p| parse_options(p, delimiter))
        .try_into_reader_with_file_path(Some(path.to_path_buf()))
        .and_then(|r| r.finish())
        .map_err(|e| DataError::Parse {
            path: path.to_path_buf(),
            message: explain_parse_error(path, delimiter).unwrap_or_else(|| e.to_string()),
        })?;
    // polars fills a row with too few fields with missing values: reject it, with its line.
    if let Some(message) = super::fast::ragged_rows(path, delimiter, df.width()) {
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
    let reader = Reader {
        path,
        delimiter,
        df: &df,
        names: &names,
        blank_rows,
    };
    reader.build(options, sha256)
}

/// The id, arm, visit, week, endpoint and value columns among `names`, as [`Reader::resolve`]
/// finds them; `None` when a column named by a flag is absent (the string reader reports it).
pub(super) fn resolve_names(
    names: &[String],
    options: &ReadOptions,
) -> Option<[Option<String>; 6]> {
    let find = |flag: &Option<String>, aliases: &[&str]| -> Option<Option<String>> {
        if let Some(name) = flag {
            let want = normalise(name);
            return names
                .iter()
                .find(|n| normalise(n) == want)
                .cloned()
                .map(Some);
        }
        Some(
            aliases
                .iter()
                .find_map(|a| names.iter().find(|n| normalise(n) == *a))
                .cloned(),
        )
    };
    Some([
        find(&options.id_col, ID_ALIASES)?,
        find(&options.arm_col, ARM_ALIASES)?,
        find(&options.visit_col, VISIT_ALIASES)?,
        find(&options.week_col, WEEK_ALIASES)?,
        find(&options.endpoint_col, ENDPOINT_ALIASES)?,
        find(&options.value_col, VALUE_ALIASES)?,
    ])
}

/// The CSV dialect both readers give polars: the detected delimiter, `"` quotes, `NA` and empty
/// fields as missing.
pub(super) fn parse_options(p: CsvParseOptions, delimiter: u8) -> CsvParseOptions {
    p.with_separator(delimiter)
        .with_quote_char(Some(b'"'))
        .with_null_values(Some(NullValues::AllColumns(vec!["NA".into(), "".into()])))
        .with_missing_is_null(true)
}

/// Polars' parse errors name no line; re-read with the csv crate to find the row that is wrong.
pub(super) fn explain_parse_error(path: &Path, delimiter: u8) -> Option<String> {
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(true)
        .from_path(path)
        .ok()?;
    let mut record = csv::ByteRecord::new();
    loop {
        match rdr.read_byte_record(&mut record) {
            Ok(true) => continue,
            Ok(false) => return None,
            Err(e) => {
                return Some(match e.kind() {
                    csv::ErrorKind::UnequalLengths { pos, expected_len, len } => format!(
                        "line {}: found {len} fields, expected {expected_len} (one per header column; quote fields that contain the delimiter)",
                        pos.as_ref().map(|p| p.line()).unwrap_or(0)
                    ),
                    csv::ErrorKind::Utf8 { pos, .. } => format!(
                        "line {}: not valid UTF-8 text; expected a UTF-8 CSV file",
                        pos.as_ref().map(|p| p.line()).unwrap_or(0)
                    ),
                    _ => e.to_string(),
                })
            }
        }
    }
}

/// The first 64 KiB of the file.
fn read_head(path: &Path) -> std::io::Result<Vec<u8>> {
    let file = std::fs::File::open(path)?;
    let mut head = Vec::with_capacity(65536);
    file.take(65536).read_to_end(&mut head)?;
    Ok(head)
}

/// The file's SHA-256 is only needed in the output's provenance: its thread runs at the lowest
/// priority, so that on a machine with few cores it fills the moments the parser leaves a core
/// idle instead of taking the core from it. Failure only costs speed, so it is ignored.
fn lower_thread_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: gettid and setpriority take plain integers and touch no memory of ours.
    unsafe {
        let tid = libc::gettid();
        libc::setpriority(libc::PRIO_PROCESS, tid as libc::id_t, 19);
    }
}

/// SHA-256 of the whole file, streamed.
fn hash_file(path: &Path) -> std::io::Result<String> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    // The file's pages as mapped (no copy into a buffer); a file that cannot be mapped is read.
    // SAFETY: read-only and private here, as in the chunked parse.
    if let Ok(map) = unsafe { memmap2::Mmap::map(&file) } {
        hasher.update(&map[..]);
        let digest = hasher.finalize();
        return Ok(digest.iter().map(|b| format!("{b:02x}")).collect());
    }
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    let digest = hasher.finalize();
    Ok(digest.iter().map(|b| format!("{b:02x}")).collect())
}

/// The delimiter among `,` `;` and tab that occurs most often outside quotes on the header line.
fn detect_delimiter(head: &str) -> u8 {
    let first = head.lines().next().unwrap_or("");
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for c in first.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => counts[0] += 1,
            ';' if !quoted => counts[1] += 1,
            '\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = (0..3)
        .max_by_key(|&i| (counts[i], std::cmp::Reverse(i)))
        .unwrap_or(0);
    [b',', b';', b'\t'][best]
}

struct Reader<'a> {
    path: &'a Path,
    delimiter: u8,
    df: &'a DataFrame,
    names: &'a [String],
    /// Blank lines skipped (see [`drop_blank_rows`]).
    blank_rows: usize,
}

/// The warning for `n` blank lines skipped (both readers give it first).
pub(super) fn blank_lines_warning(n: usize) -> String {
    format!("{n} blank line(s) skipped")
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

/// One value before it is placed in the cohort table: endpoint, data row, value (NaN = missing).
/// 16 bytes, so that 12 million rows take 190 MB here, not 380.
#[derive(Clone, Copy)]
pub(super) struct Cell {
    pub e: u32,
    pub row: u32,
    pub v: f64,
}

/// The key columns indexed in order of first appearance (shared by the string and typed readers).
pub(super) struct Keys<'s> {
    pub arm_names: Vec<&'s str>,
    pub patient_names: Vec<&'s str>,
    /// Arm index of each patient index.
    pub patient_arm: Vec<u32>,
    pub visit_names: Vec<&'s str>,
    /// Week of each visit and the row that first gave it.
    pub visit_week: Vec<Option<(f64, u32)>>,
    /// Patient and visit index of each data row: the string reader's (the typed reader leaves
    /// them empty; its cells carry their keys, see [`Placed`]).
    pub row_patient: Vec<u32>,
    pub row_visit: Vec<u32>,
}

/// Stable, file-order-independent orders of arms, patients and visits.
pub(super) struct Orders {
    pub arm_order: Vec<usize>,
    pub arm_rank: Vec<usize>,
    pub patient_order: Vec<usize>,
    pub patient_rank: Vec<usize>,
    pub visit_order: Vec<usize>,
    pub visit_rank: Vec<usize>,
}

fn ranks_of(order: &[usize]) -> Vec<usize> {
    let mut rank = vec![0usize; order.len()];
    for (r, &i) in order.iter().enumerate() {
        rank[i] = r;
    }
    rank
}

/// A value with its keys, ready to be placed in the cohort table: endpoint, patient and visit
/// (indices in order of first appearance), data row, value (NaN = missing).
#[derive(Clone, Copy)]
pub(super) struct Placed {
    pub e: u32,
    pub patient: u32,
    pub visit: u32,
    pub row: u32,
    pub v: f64,
}

impl Keys<'_> {
    pub(super) fn orders(&self) -> Orders {
        let mut arm_order: Vec<usize> = (0..self.arm_names.len()).collect();
        arm_order.sort_by(|&a, &b| natural_cmp(self.arm_names[a], self.arm_names[b]));
        let mut patient_order: Vec<usize> = (0..self.patient_names.len()).collect();
        // natural_cmp is a total order, so the parallel sort gives the one possible result.
        patient_order
            .par_sort_by(|&a, &b| natural_cmp(self.patient_names[a], self.patient_names[b]));
        let mut visit_order: Vec<usize> = (0..self.visit_names.len()).collect();
        visit_order.sort_by(|&a, &b| {
            let wa = self.visit_week[a].map(|w| w.0);
            let wb = self.visit_week[b].map(|w| w.0);
            match (wa, wb) {
                (Some(x), Some(y)) => x.total_cmp(&y),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            }
            .then_with(|| natural_cmp(self.visit_names[a], self.visit_names[b]))
        });
        Orders {
            arm_rank: ranks_of(&arm_order),
            patient_rank: ranks_of(&patient_order),
            visit_rank: ranks_of(&visit_order),
            arm_order,
            patient_order,
            visit_order,
        }
    }
}

/// File line on which data row `index` (0-based) starts. Found by re-reading the file with the
/// csv crate, so it is right even when quoted fields span lines; only called when reporting.
pub(super) fn line_of(path: &Path, delimiter: u8, index: usize) -> u64 {
    let fallback = index as u64 + 2;
    let Ok(mut rdr) = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(true)
        .flexible(true)
        .from_path(path)
    else {
        return fallback;
    };
    let mut record = csv::ByteRecord::new();
    let mut i = 0;
    while let Ok(true) = rdr.read_byte_record(&mut record) {
        if i == index {
            return record.position().map(|p| p.line()).unwrap_or(fallback);
        }
        i += 1;
    }
    fallback
}

/// Everything `assemble` needs besides the keys and the cells.
pub(super) struct Parts {
    pub path: PathBuf,
    pub delimiter: u8,
    pub sha256: String,
    pub layout: Layout,
    pub columns: ColumnMap,
    pub endpoint_names: Vec<String>,
    pub rows_excluded: Vec<(u32, ReadExclusion)>,
    pub warnings: Vec<String>,
    pub covariates: Vec<Covariate>,
    pub n_rows: usize,
}

/// Place the cells in the dense cohort table (rejecting duplicates) and build the [`Cohort`].
pub(super) fn assemble(
    parts: Parts,
    keys: &Keys<'_>,
    orders: &Orders,
    cells: impl IntoIterator<Item = Placed>,
) -> Result<Cohort, DataError> {
    let (np, nv, ne) = (
        keys.patient_names.len(),
        keys.visit_names.len(),
        parts.endpoint_names.len(),
    );
    let mut values = vec![f64::NAN; ne * np * nv];
    let mut rows = vec![u32::MAX; ne * np * nv];
    for Placed {
        e,
        patient,
        visit,
        row,
        v,
    } in cells
    {
        let e = e as usize;
        let p = orders.patient_rank[patient as usize];
        let vi = orders.visit_rank[visit as usize];
        let slot = (e * np + p) * nv + vi;
        if rows[slot] != u32::MAX {
            return Err(DataError::Duplicate {
                line: line_of(&parts.path, parts.delimiter, row as usize),
                first_line: line_of(&parts.path, parts.delimiter, rows[slot] as usize),
                path: parts.path,
                patient: keys.patient_names[patient as usize].to_string(),
                visit: keys.visit_names[visit as usize].to_string(),
                endpoint: parts.endpoint_names[e].clone(),
            });
        }
        rows[slot] = row;
        if !v.is_nan() {
            values[slot] = v;
        }
    }
    let patients = orders
        .patient_order
        .iter()
        .map(|&p| Patient {
            id: keys.patient_names[p].to_string(),
            arm: orders.arm_rank[keys.patient_arm[p] as usize],
        })
        .collect();
    Ok(Cohort {
        source: SourceInfo {
            path: parts.path,
            sha256: parts.sha256,
            delimiter: match parts.delimiter {
                b'\t' => "tab".to_string(),
                d => (d as char).to_string(),
            },
            layout: parts.layout,
            columns: parts.columns,
            typed_reader: false,
        },
        arms: orders
            .arm_order
            .iter()
            .map(|&a| keys.arm_names[a].to_string())
            .collect(),
        visits: orders
            .visit_order
            .iter()
            .map(|&v| Visit {
                name: keys.visit_names[v].to_string(),
                week: keys.visit_week[v].map(|w| w.0),
            })
            .collect(),
        endpoints: parts.endpoint_names,
        patients,
        rows_read: parts.n_rows as u64,
        rows_excluded: parts.rows_excluded,
        warnings: parts.warnings,
        covariates: parts.covariates,
        values,
        rows,
    })
}

/// The strings of one column, nulls as None.
type StrCol<'a> = &'a StringChunked;

impl<'a> Reader<'a> {
    fn found(&self) -> String {
        self.names
            .iter()
            .map(|n| n.trim_start_matches('\u{feff}').to_string())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Resolve a column: the flag's value if given (must exist), else the first alias present.
    fn resolve(
        &self,
        flag_value: &Option<String>,
        flag: &'static str,
        aliases: &[&str],
    ) -> Result<Option<String>, DataError> {
        if let Some(name) = flag_value {
            let want = normalise(name);
            return match self.names.iter().find(|n| normalise(n) == want) {
                Some(n) => Ok(Some(n.clone())),
                None => Err(DataError::UnknownColumn {
                    path: self.path.to_path_buf(),
                    name: name.clone(),
                    flag,
                    found: self.found(),
                }),
            };
        }
        for alias in aliases {
            if let Some(n) = self.names.iter().find(|n| normalise(n) == *alias) {
                return Ok(Some(n.clone()));
            }
        }
        Ok(None)
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
        line_of(self.path, self.delimiter, index)
    }

    fn display_name(name: &str) -> String {
        name.trim_start_matches('\u{feff}').to_string()
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
                column: Self::display_name(column),
                found: text.to_string(),
            }),
            Err(_) => {
                let comma = t.contains(',') && t.replacen(',', ".", 1).parse::<f64>().is_ok();
                Err(DataError::NotANumber {
                    path: self.path.to_path_buf(),
                    line: self.line_of(row),
                    column: Self::display_name(column),
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
                column: Self::display_name(column),
                what,
            }),
        }
    }

    fn build(&self, options: &ReadOptions, sha256: String) -> Result<Cohort, DataError> {
        let path = self.path.to_path_buf();
        let id = self.resolve(&options.id_col, "--id-col", ID_ALIASES)?;
        let arm = self.resolve(&options.arm_col, "--arm-col", ARM_ALIASES)?;
        let visit = self.resolve(&options.visit_col, "--visit-col", VISIT_ALIASES)?;
        let week = self.resolve(&options.week_col, "--week-col", WEEK_ALIASES)?;
        let endpoint = self.resolve(&options.endpoint_col, "--endpoint-col", ENDPOINT_ALIASES)?;
        let value = self.resolve(&options.value_col, "--value-col", VALUE_ALIASES)?;

        let layout = match options.layout {
            LayoutChoice::Long => Layout::Long,
            LayoutChoice::Wide => Layout::Wide,
            LayoutChoice::Auto if endpoint.is_some() && value.is_some() => Layout::Long,
            LayoutChoice::Auto => Layout::Wide,
        };
        let mut missing = Vec::new();
        if id.is_none() {
            missing.push("a patient id (patient_id or USUBJID, or --id-col)");
        }
        if visit.is_none() {
            missing.push("a visit (visit or AVISIT, or --visit-col)");
        }
        if layout == Layout::Long {
            if endpoint.is_none() {
                missing.push("an endpoint name (endpoint, PARAMCD or PARAM, or --endpoint-col)");
            }
            if value.is_none() {
                missing.push("a value (value or AVAL, or --value-col)");
            }
        }
        if !missing.is_empty() {
            return Err(DataError::MissingColumns {
                path,
                what: format!("required column(s) missing: {}", missing.join("; ")),
                found: self.found(),
                expected: "long layout: patient_id, arm, visit, [week,] endpoint, value; \
                           wide layout: patient_id, arm, visit, [week,] then one numeric column per endpoint; \
                           CDISC ADaM names USUBJID, TRT01A/TRTA/TRT01P/ARM, AVISIT, AVISITN, PARAMCD/PARAM, AVAL also work"
                    .to_string(),
            });
        }
        let (id, visit) = (id.unwrap(), visit.unwrap());

        // Endpoint columns (wide): every other column, or those chosen.
        let mut covariate_cols = Vec::new();
        for name in &options.covariates {
            if let Some(c) = self.resolve(&Some(name.clone()), "--covariate", &[])? {
                covariate_cols.push(c);
            }
        }
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
        .chain(covariate_cols.iter())
        .collect();
        let mut endpoint_columns = Vec::new();
        if layout == Layout::Wide {
            match &options.endpoints {
                Some(chosen) => {
                    for want in chosen {
                        let w = normalise(want);
                        match self.names.iter().find(|n| normalise(n) == w) {
                            Some(n) => endpoint_columns.push(n.clone()),
                            None => {
                                return Err(DataError::UnknownColumn {
                                    path,
                                    name: want.clone(),
                                    flag: "--endpoints",
                                    found: self.found(),
                                })
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
                    path,
                    detail: format!(
                        "the wide layout needs one numeric column per endpoint besides {}; columns found: {}",
                        key_cols.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", "),
                        self.found()
                    ),
                });
            }
        }

        let n_rows = self.df.height();
        if n_rows >= u32::MAX as usize {
            return Err(DataError::Parse {
                path,
                message: format!("{n_rows} rows is more than this version supports (2^32 − 1)"),
            });
        }
        let id_col = self.column(&id)?;
        let visit_col = self.column(&visit)?;
        let arm_col = match &arm {
            Some(a) => Some(self.column(a)?),
            None => None,
        };
        let week_col = match &week {
            Some(w) => Some(self.column(w)?),
            None => None,
        };

        // Index patients, arms, visits.
        let mut patient_ix: HashMap<&str, (u32, u32, u32)> = HashMap::new(); // id -> (patient, arm, first row)
        let mut arm_ix: HashMap<&str, u32> = HashMap::new();
        let mut arm_names: Vec<&str> = Vec::new();
        let mut patient_names: Vec<&str> = Vec::new();
        let mut visit_ix: HashMap<&str, u32> = HashMap::new();
        let mut visit_names: Vec<&str> = Vec::new();
        let mut visit_week: Vec<Option<(f64, u32)>> = Vec::new();
        let mut row_patient = Vec::with_capacity(n_rows);
        let mut row_visit = Vec::with_capacity(n_rows);

        let mut ids = id_col.iter();
        let mut visits = visit_col.iter();
        let mut arms = arm_col.map(|c| c.iter());
        let mut weeks = week_col.map(|c| c.iter());
        for row in 0..n_rows {
            let pid = self.key(ids.next().flatten(), row, &id, "patient id")?;
            let vname = self.key(visits.next().flatten(), row, &visit, "visit name")?;
            let aname = match arms.as_mut() {
                Some(it) => self.key(
                    it.next().flatten(),
                    row,
                    arm.as_deref().unwrap_or(""),
                    "treatment arm",
                )?,
                None => "all",
            };
            let a = match arm_ix.get(aname) {
                Some(&a) => a,
                None => {
                    let a = arm_names.len() as u32;
                    arm_ix.insert(aname, a);
                    arm_names.push(aname);
                    a
                }
            };
            let p = match patient_ix.get(pid) {
                Some(&(p, pa, first)) => {
                    if pa != a {
                        return Err(DataError::PatientInTwoArms {
                            path,
                            line: self.line_of(row),
                            first_line: self.line_of(first as usize),
                            patient: pid.to_string(),
                            arm: aname.to_string(),
                            first_arm: arm_names[pa as usize].to_string(),
                        });
                    }
                    p
                }
                None => {
                    let p = patient_names.len() as u32;
                    patient_ix.insert(pid, (p, a, row as u32));
                    patient_names.push(pid);
                    p
                }
            };
            let v = match visit_ix.get(vname) {
                Some(&v) => v,
                None => {
                    let v = visit_names.len() as u32;
                    visit_ix.insert(vname, v);
                    visit_names.push(vname);
                    visit_week.push(None);
                    v
                }
            };
            if let Some(it) = weeks.as_mut() {
                if let Some(text) = it.next().flatten() {
                    let w = self.parse_number(text, row, week.as_deref().unwrap_or("week"), "")?;
                    match visit_week[v as usize] {
                        None => visit_week[v as usize] = Some((w, row as u32)),
                        Some((w0, r0)) if w0 != w => {
                            return Err(DataError::InconsistentWeek {
                                path,
                                line: self.line_of(row),
                                first_line: self.line_of(r0 as usize),
                                visit: vname.to_string(),
                                week: w,
                                first_week: w0,
                            })
                        }
                        _ => {}
                    }
                }
            }
            row_patient.push(p);
            row_visit.push(v);
        }

        let mut patient_arm = vec![0u32; patient_names.len()];
        for &(p, a, _) in patient_ix.values() {
            patient_arm[p as usize] = a;
        }
        let keys = Keys {
            arm_names,
            patient_names,
            patient_arm,
            visit_names,
            visit_week,
            row_patient,
            row_visit,
        };
        let orders = keys.orders();
        let (patient_names, row_patient, patient_order) = (
            &keys.patient_names,
            &keys.row_patient,
            &orders.patient_order,
        );

        // Patient-level covariates, in cohort patient order.
        let mut covariates = Vec::new();
        for col in &covariate_cols {
            let values = self.column(col)?;
            let mut per_patient: Vec<Option<(&str, u32)>> = vec![None; patient_names.len()];
            for (row, text) in values.iter().enumerate() {
                let Some(t) = text.map(str::trim).filter(|t| !t.is_empty() && *t != "NA") else {
                    continue;
                };
                let p = row_patient[row] as usize;
                match per_patient[p] {
                    None => per_patient[p] = Some((t, row as u32)),
                    Some((t0, r0)) if t0 != t => {
                        return Err(DataError::CovariateNotConstant {
                            path,
                            line: self.line_of(row),
                            first_line: self.line_of(r0 as usize),
                            column: Self::display_name(col),
                            patient: patient_names[p].to_string(),
                            value: t.to_string(),
                            first_value: t0.to_string(),
                        })
                    }
                    _ => {}
                }
            }
            let ordered: Vec<Option<&str>> = patient_order
                .iter()
                .map(|&p| per_patient[p].map(|v| v.0))
                .collect();
            let numeric: Option<Vec<Option<f64>>> = ordered
                .iter()
                .map(|v| match v {
                    None => Some(None),
                    Some(t) => t.parse::<f64>().ok().filter(|x| x.is_finite()).map(Some),
                })
                .collect();
            let values = match numeric {
                Some(v) => CovariateValues::Numeric(v),
                None => {
                    let mut levels: Vec<String> =
                        ordered.iter().flatten().map(|s| s.to_string()).collect();
                    levels.sort_by(|a, b| natural_cmp(a, b));
                    levels.dedup();
                    let codes = ordered
                        .iter()
                        .map(|v| v.map(|t| levels.iter().position(|l| l == t).unwrap() as u32))
                        .collect();
                    CovariateValues::Categorical { levels, codes }
                }
            };
            covariates.push(Covariate {
                name: Self::display_name(col),
                values,
            });
        }

        // Endpoints and values.
        let mut warnings = Vec::new();
        if self.blank_rows > 0 {
            warnings.push(blank_lines_warning(self.blank_rows));
        }
        let mut negative_count = 0usize;
        let mut negative_first: Option<(u64, String, f64)> = None;
        let mut rows_excluded = Vec::new();
        let (endpoint_names, values_by_row): (Vec<String>, Vec<Cell>) = match layout {
            Layout::Wide => {
                let mut cells = Vec::with_capacity(n_rows * endpoint_columns.len());
                for (e, colname) in endpoint_columns.iter().enumerate() {
                    let col = self.column(colname)?;
                    let hint = format!(
                        " (if '{}' is not an endpoint, name the endpoint columns with --endpoints)",
                        Self::display_name(colname)
                    );
                    for (row, text) in col.iter().enumerate() {
                        let v = match text {
                            None => None,
                            Some(t) if t.trim().is_empty() || t.trim() == "NA" => None,
                            Some(t) => Some(self.parse_number(t, row, colname, &hint)?),
                        };
                        if let Some(x) = v {
                            if x < 0.0 {
                                negative_count += 1;
                                if negative_first.is_none() {
                                    negative_first = Some((row as u64, colname.clone(), x));
                                }
                            }
                        }
                        cells.push(Cell {
                            e: e as u32,
                            row: row as u32,
                            v: v.unwrap_or(f64::NAN),
                        });
                    }
                }
                (
                    endpoint_columns
                        .iter()
                        .map(|c| Self::display_name(c))
                        .collect(),
                    cells,
                )
            }
            Layout::Long => {
                let ecol_name = endpoint.clone().unwrap();
                let vcol_name = value.clone().unwrap();
                let ecol = self.column(&ecol_name)?;
                let vcol = self.column(&vcol_name)?;
                let chosen: Option<Vec<String>> = options.endpoints.clone();
                let mut e_ix: HashMap<&str, usize> = HashMap::new();
                let mut e_names: Vec<&str> = Vec::new();
                let mut cells = Vec::with_capacity(n_rows);
                for (row, (et, vt)) in ecol.iter().zip(vcol.iter()).enumerate() {
                    let ename = self.key(et, row, &ecol_name, "endpoint name")?;
                    if let Some(ch) = &chosen {
                        if !ch
                            .iter()
                            .any(|c| c == ename || c.eq_ignore_ascii_case(ename))
                        {
                            rows_excluded.push((row as u32, ReadExclusion::EndpointNotSelected));
                            continue;
                        }
                    }
                    let e = match e_ix.get(ename) {
                        Some(&e) => e,
                        None => {
                            e_ix.insert(ename, e_names.len());
                            e_names.push(ename);
                            e_names.len() - 1
                        }
                    };
                    let v = match vt {
                        None => None,
                        Some(t) if t.trim().is_empty() || t.trim() == "NA" => None,
                        Some(t) => Some(self.parse_number(t, row, &vcol_name, "")?),
                    };
                    if let Some(x) = v {
                        if x < 0.0 {
                            negative_count += 1;
                            if negative_first.is_none() {
                                negative_first = Some((row as u64, ename.to_string(), x));
                            }
                        }
                    }
                    cells.push(Cell {
                        e: e as u32,
                        row: row as u32,
                        v: v.unwrap_or(f64::NAN),
                    });
                }
                if e_names.is_empty() {
                    return Err(DataError::NoEndpoints {
                        path,
                        detail: match &chosen {
                            Some(c) => format!("none of the endpoints chosen with --endpoints ({}) is in column '{}'", c.join(", "), ecol_name),
                            None => "no rows".to_string(),
                        },
                    });
                }
                // Order endpoints by name; remap.
                let mut order: Vec<usize> = (0..e_names.len()).collect();
                order.sort_by(|&a, &b| natural_cmp(e_names[a], e_names[b]));
                let mut rank = vec![0usize; e_names.len()];
                for (r, &e) in order.iter().enumerate() {
                    rank[e] = r;
                }
                for c in cells.iter_mut() {
                    c.e = rank[c.e as usize] as u32;
                }
                (
                    order.iter().map(|&e| e_names[e].to_string()).collect(),
                    cells,
                )
            }
        };
        if negative_count > 0 {
            let (row, col, x) = negative_first.unwrap();
            warnings.push(format!(
                "{negative_count} negative value(s), first at line {} ({col} = {x}); kept, but check that percent change is meaningful for this endpoint",
                self.line_of(row as usize)
            ));
        }

        let columns = ColumnMap {
            patient_id: Self::display_name(&id),
            arm: arm.as_deref().map(Self::display_name),
            visit: Self::display_name(&visit),
            week: week.as_deref().map(Self::display_name),
            endpoint: if layout == Layout::Long {
                endpoint.as_deref().map(Self::display_name)
            } else {
                None
            },
            value: if layout == Layout::Long {
                value.as_deref().map(Self::display_name)
            } else {
                None
            },
            endpoint_columns: endpoint_columns
                .iter()
                .map(|c| Self::display_name(c))
                .collect(),
        };
        let parts = Parts {
            path,
            delimiter: self.delimiter,
            sha256,
            layout,
            columns,
            endpoint_names,
            rows_excluded,
            warnings,
            covariates,
            n_rows,
        };
        let placed = values_by_row.into_iter().map(|Cell { e, row, v }| Placed {
            e,
            patient: keys.row_patient[row as usize],
            visit: keys.row_visit[row as usize],
            row,
            v,
        });
        assemble(parts, &keys, &orders, placed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delimiter_detection() {
        assert_eq!(detect_delimiter("a,b,c\n1,2,3"), b',');
        assert_eq!(detect_delimiter("a;b;c"), b';');
        assert_eq!(detect_delimiter("a\tb\tc"), b'\t');
        assert_eq!(detect_delimiter("\"a;x\",b,c"), b',');
        assert_eq!(detect_delimiter("single"), b',');
    }
}
