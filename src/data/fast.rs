//! The fast path for well-formed long files: polars parses the key columns as categoricals
//! (u32 codes plus one dictionary per column) and the numbers as Float64, in parallel, and only
//! the columns used are parsed. Patients, arms, visits and endpoints are then indexed by code,
//! with no hashing of strings per row and no string column held per row.
//!
//! It accepts only what it can prove well-formed; on anything else (a value that is not a
//! number, an empty key, a patient in two arms, a week that changes, a byte-order mark, …) it
//! returns `None` and [`super::read_cohort`] reads the file again with the validating string
//! reader, which finds the problem and says where. Both build the same [`Cohort`] through the
//! same `assemble` (tests compare them on every long test file).

use super::read::{assemble, line_of, parse_options, Cell, Keys, Parts};
use super::{Cohort, ColumnMap, DataError, Layout, LayoutChoice, ReadExclusion, ReadOptions};
use polars::prelude::*;
use std::path::Path;

/// Codes of a categorical column (its chunks as parsed, no nulls; not copied) and its
/// dictionary.
struct CatColumn<'a> {
    chunks: Vec<&'a [u32]>,
    names: Vec<String>,
}

impl CatColumn<'_> {
    fn codes(&self) -> impl Iterator<Item = u32> + '_ {
        self.chunks.iter().flat_map(|c| c.iter().copied())
    }
}

fn categorical<'a>(df: &'a DataFrame, name: &str) -> Option<CatColumn<'a>> {
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
        names.push(mapping.cat_to_str(c).unwrap_or("").to_string());
    }
    // Keys must already be trimmed and non-empty (else the string reader reports them).
    if names.iter().any(|n| n.trim() != n) {
        return None;
    }
    Some(CatColumn { chunks, names })
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

/// Read a long file through the typed fast path, or `None` to use the string reader.
pub(super) fn read_long_fast(
    path: &Path,
    options: &ReadOptions,
    sha256: &str,
    head_text: &str,
    delimiter: u8,
    resolve: &dyn Fn(&[String]) -> Option<Resolved>,
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
    let (id, visit, endpoint, value) = (id?, visit?, endpoint?, value?);

    let cat = || {
        DataType::from_categories(Categories::random(
            "trialstat".into(),
            CategoricalPhysical::U32,
        ))
    };
    let mut schema = Schema::default();
    let mut wanted: Vec<PlSmallStr> = Vec::new();
    for (name, dtype) in [
        (Some(&id), cat()),
        (arm.as_ref(), cat()),
        (Some(&visit), cat()),
        (week.as_ref(), DataType::Float64),
        (Some(&endpoint), cat()),
        (Some(&value), DataType::Float64),
    ] {
        if let Some(n) = name {
            schema.with_column(n.as_str().into(), dtype);
            wanted.push(n.as_str().into());
        }
    }
    let df = CsvReadOptions::default()
        .with_has_header(true)
        .with_raise_if_empty(false)
        .with_columns(Some(wanted.into()))
        .with_schema_overwrite(Some(Arc::new(schema)))
        .map_parse_options(|p| parse_options(p, delimiter))
        .try_into_reader_with_file_path(Some(path.to_path_buf()))
        .ok()?
        .finish()
        .ok()?;
    let n_rows = df.height();
    if n_rows == 0 || n_rows >= u32::MAX as usize {
        return None;
    }
    let ids = categorical(&df, &id)?;
    let visits = categorical(&df, &visit)?;
    let endpoints = categorical(&df, &endpoint)?;
    let arms = match &arm {
        Some(a) => Some(categorical(&df, a)?),
        None => None,
    };
    let weeks = match &week {
        Some(w) => Some(float(&df, w)?),
        None => None,
    };
    let vals = float(&df, &value)?;
    // The columns above borrow df's buffers; nothing is copied.

    // Endpoints (those chosen), in order of first appearance among the rows kept.
    let chosen = options.endpoints.as_ref();
    let selected: Vec<bool> = endpoints
        .names
        .iter()
        .map(|e| chosen.is_none_or(|ch| ch.iter().any(|c| c == e || c.eq_ignore_ascii_case(e))))
        .collect();
    if endpoints.names.iter().any(|e| e.is_empty()) {
        return None;
    }
    // Keys, in order of first appearance, as the string reader indexes them; the endpoints
    // and values pass runs on the other core.
    let key_pass = || {
        let mut arm_seen = FirstSeen::new(arms.as_ref().map(|a| a.names.len()).unwrap_or(1));
        let mut patient_seen = FirstSeen::new(ids.names.len());
        let mut visit_seen = FirstSeen::new(visits.names.len());
        let mut patient_arm: Vec<u32> = Vec::new();
        let mut visit_week: Vec<Option<(f64, u32)>> = Vec::new();
        let mut row_patient = Vec::with_capacity(n_rows);
        let mut row_visit = Vec::with_capacity(n_rows);
        let (mut id_codes, mut visit_codes) = (ids.codes(), visits.codes());
        let mut arm_codes = arms.as_ref().map(|a| a.codes());
        let mut week_iter = weeks.as_ref().map(|w| w.iter());
        for row in 0..n_rows {
            let a = match arm_codes.as_mut() {
                Some(c) => arm_seen.index(c.next()?),
                None => arm_seen.index(0),
            };
            let before = patient_seen.order.len();
            let p = patient_seen.index(id_codes.next()?);
            if patient_seen.order.len() > before {
                patient_arm.push(a);
            } else if patient_arm[p as usize] != a {
                return None; // a patient in two arms: the string reader says where
            }
            let before = visit_seen.order.len();
            let v = visit_seen.index(visit_codes.next()?);
            if visit_seen.order.len() > before {
                visit_week.push(None);
            }
            if let Some(w) = week_iter.as_mut().and_then(|it| it.next().flatten()) {
                match visit_week[v as usize] {
                    None => visit_week[v as usize] = Some((w, row as u32)),
                    Some((w0, _)) if w0 != w => return None,
                    _ => {}
                }
            }
            row_patient.push(p);
            row_visit.push(v);
        }
        drop((week_iter, id_codes, visit_codes, arm_codes));
        Some((
            arm_seen,
            patient_seen,
            visit_seen,
            patient_arm,
            visit_week,
            row_patient,
            row_visit,
        ))
    };
    let cell_pass = || {
        let mut endpoint_seen = FirstSeen::new(endpoints.names.len());
        let mut rows_excluded = Vec::new();
        let mut cells = Vec::with_capacity(n_rows);
        let mut negative_count = 0usize;
        let mut negative_first: Option<(usize, u32, f64)> = None;
        for (row, (code, v)) in endpoints.codes().zip(vals.iter()).enumerate() {
            if !selected[code as usize] {
                rows_excluded.push((row as u32, ReadExclusion::EndpointNotSelected));
                continue;
            }
            let e = endpoint_seen.index(code);
            if let Some(x) = v {
                if x < 0.0 {
                    negative_count += 1;
                    if negative_first.is_none() {
                        negative_first = Some((row, code, x));
                    }
                }
            }
            cells.push(Cell {
                e,
                row: row as u32,
                v: v.unwrap_or(f64::NAN),
            });
        }
        (
            endpoint_seen,
            rows_excluded,
            cells,
            negative_count,
            negative_first,
        )
    };
    let (key_result, cell_result) = rayon::join(key_pass, cell_pass);
    let (arm_seen, patient_seen, visit_seen, patient_arm, visit_week, row_patient, row_visit) =
        key_result?;
    let (endpoint_seen, rows_excluded, mut cells, negative_count, negative_first) = cell_result;
    let name_of = |col: &CatColumn, seen: &FirstSeen| -> Vec<String> {
        seen.order
            .iter()
            .map(|&c| col.names[c as usize].clone())
            .collect()
    };
    let patient_strings = name_of(&ids, &patient_seen);
    let visit_strings = name_of(&visits, &visit_seen);
    let arm_strings = match &arms {
        Some(c) => name_of(c, &arm_seen),
        None => vec!["all".to_string()],
    };
    if patient_strings
        .iter()
        .chain(&visit_strings)
        .chain(&arm_strings)
        .any(|s| s.is_empty())
    {
        return None;
    }
    let keys = Keys {
        arm_names: arm_strings.iter().map(String::as_str).collect(),
        patient_names: patient_strings.iter().map(String::as_str).collect(),
        patient_arm,
        visit_names: visit_strings.iter().map(String::as_str).collect(),
        visit_week,
        row_patient,
        row_visit,
    };
    let orders = keys.orders();

    if endpoint_seen.order.is_empty() {
        return None;
    }
    let e_names: Vec<&str> = endpoint_seen
        .order
        .iter()
        .map(|&c| endpoints.names[c as usize].as_str())
        .collect();
    let mut warnings = Vec::new();
    if let Some((row, code, x)) = negative_first {
        warnings.push(format!(
            "{negative_count} negative value(s), first at line {} ({} = {x}); kept, but check that percent change is meaningful for this endpoint",
            line_of(path, delimiter, row),
            endpoints.names[code as usize]
        ));
    }
    // The parsed columns are no longer needed: free them before the cohort table is built.
    drop((ids, visits, arms, weeks, vals));
    drop(df);
    let mut order: Vec<usize> = (0..e_names.len()).collect();
    order.sort_by(|&a, &b| super::natural::natural_cmp(e_names[a], e_names[b]));
    let mut rank = vec![0u32; e_names.len()];
    for (r, &e) in order.iter().enumerate() {
        rank[e] = r as u32;
    }
    for c in cells.iter_mut() {
        c.e = rank[c.e as usize];
    }
    let parts = Parts {
        path: path.to_path_buf(),
        delimiter,
        sha256: sha256.to_string(),
        layout: Layout::Long,
        columns: ColumnMap {
            patient_id: id,
            arm,
            visit,
            week,
            endpoint: Some(endpoint),
            value: Some(value),
            endpoint_columns: Vec::new(),
        },
        endpoint_names: order.iter().map(|&e| e_names[e].to_string()).collect(),
        rows_excluded,
        warnings,
        covariates: Vec::new(),
        n_rows,
    };
    Some(assemble(parts, &keys, &orders, cells).map(|mut c| {
        c.source.typed_reader = true;
        c
    }))
}
