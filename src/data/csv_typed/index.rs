//! The typed reader's indexing: patients, arms, visits and endpoints numbered by code in order
//! of first appearance (as the string reader numbers them), each row's value placed with its
//! keys, and the cohort built by the shared `assemble`. It reads parsed columns only: it must
//! not parse files. On anything it cannot prove well-formed it returns `None`, and the string
//! reader decides.

use super::super::assemble::{assemble, negative_values_warning, Keys, Origin, Parts, Placed};
use super::super::csv_text::line_of;
use super::super::natural::natural_cmp;
use super::super::{
    Cohort, ColumnMap, DataError, FileDetails, Layout, ReadExclusion, ReadOptions, ReaderKind,
};
use super::chunked::{Chunked, WeekByCode};
use super::key_columns::{
    categorical, enumerated, first_seen_strings, float, CatColumn, FirstSeen, FloatColumn,
};
use super::{Columns, Mode};
use polars::prelude::*;
use std::path::Path;

/// What the build needs besides the parsed columns.
pub(super) struct Context<'c> {
    pub path: &'c Path,
    pub options: &'c ReadOptions,
    pub delimiter: u8,
    pub cols: &'c Columns,
}

/// Index the parsed columns and build the cohort; `None` to use the string reader.
pub(super) fn build(
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
    ByCode(WeekByCode),
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
        origin: Origin::csv(cx.delimiter),
        file: FileDetails::default(),
        reader: ReaderKind::CsvTyped,
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
    assemble(parts, &keys, &orders, cells)
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
        warnings.push(negative_values_warning(
            negative_count,
            line_of(cx.path, cx.delimiter, row),
            endpoints.names[code as usize],
            x,
        ));
    }
    let mut order: Vec<usize> = (0..e_names.len()).collect();
    order.sort_by(|&a, &b| natural_cmp(e_names[a], e_names[b]));
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
