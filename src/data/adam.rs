//! CDISC ADaM semantics on a table of strings from any format: a basic data structure (BDS)
//! file's records chosen and arranged before the validating reader builds the cohort.
//!
//! In order, each record removed is counted under the first filter that removes it:
//! `--param` (PARAMCD), the population (`--population` flag = "Y", from `--adsl` or the file;
//! a patient missing from ADSL or with an empty flag is counted apart), `DTYPE` (observed
//! records only, or `--dtype X`: the sponsor's derived records replace the observed ones at
//! their visits), `--anl-flag`. Baseline: the records flagged `ABLFL = "Y"` form the baseline
//! visit; without ABLFL, `BASE` gives a baseline value; without either, a visit named like a
//! baseline (today's rules) — and if there is none, change from baseline does not apply and the
//! file is refused, naming the endpoint. `CHG`/`PCHG` in the file are compared with the values
//! recomputed from the baseline (differences are warnings in the audit). The treatment is the
//! planned one (`TRTP`, `TRT01P`) unless `--treatment actual`; treatment, `--covariate` and
//! `--strata` variables missing from the file are taken from ADSL (per USUBJID; the meta lists
//! them).
//!
//! It arranges rows only: it must not parse numbers into the cohort or place cells (the
//! validating reader and `assemble` do).

// Errors are the cold path and carry the file and what was wrong; boxing them would buy nothing.
#![allow(clippy::result_large_err)]

use super::adsl;
use super::columns;
use super::{DataError, FilterCount, ReadExclusion, ReadOptions, Treatment};
use polars::prelude::*;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

/// Visit names that are a baseline by today's rules (as `analysis::find_baseline`).
const BASELINE_NAMES: &[&str] = &["baseline", "bl", "screening-day-0"];

/// Whether the ADaM preparation applies: a BDS file (USUBJID, PARAMCD, AVAL) with any of the
/// ADaM record variables, or any ADaM option given.
pub(super) fn applies(names: &[String], options: &ReadOptions) -> bool {
    if options.adam.any() {
        return true;
    }
    let has = |n: &str| columns::find(names, n).is_some();
    has("USUBJID")
        && has("PARAMCD")
        && has("AVAL")
        && ["DTYPE", "ABLFL", "BASE", "CHG", "ANL01FL"]
            .iter()
            .any(|n| has(n))
}

/// The table ready for the validating reader, and what was done to it.
pub(super) struct Prepared {
    pub df: DataFrame,
    /// The read options with the columns chosen here (arm, endpoint) filled in.
    pub options: ReadOptions,
    /// Row of `df` → record of the input.
    pub kept: Vec<u32>,
    pub excluded: Vec<(u32, ReadExclusion)>,
    pub filters: Vec<FilterCount>,
    pub endpoint_labels: Vec<(String, String)>,
    pub warnings: Vec<String>,
    /// The columns taken from ADSL (treatment, covariates, strata), as named there.
    pub adsl_columns: Vec<String>,
}

fn adam_error(path: &Path, message: String) -> DataError {
    DataError::Adam {
        path: path.to_path_buf(),
        message,
    }
}

/// A value of a column: shared between the records that hold the same text, so that a column
/// of a million records with a few hundred distinct values costs 16 bytes a record.
type Text = Arc<str>;

/// The strings of a column, trimmed, empty as None.
fn strings(df: &DataFrame, name: &str) -> Vec<Option<Text>> {
    match df.column(name).and_then(|c| c.str().cloned()) {
        Ok(ca) => {
            let mut seen: HashMap<&str, Text> = HashMap::new();
            ca.iter()
                .map(|v| {
                    let v = v.map(str::trim).filter(|s| !s.is_empty())?;
                    Some(seen.entry(v).or_insert_with(|| Text::from(v)).clone())
                })
                .collect()
        }
        Err(_) => vec![None; df.height()],
    }
}

/// Prepare a BDS table (see the module documentation).
pub(super) fn prepare(
    path: &Path,
    df: DataFrame,
    names: &[String],
    options: &ReadOptions,
) -> Result<Prepared, DataError> {
    let a = &options.adam;
    let find = |n: &str| columns::find(names, n).cloned();
    let need = |flag: &Option<String>, alias: &str, what: &str| -> Result<String, DataError> {
        let want = flag.as_deref().unwrap_or(alias);
        columns::find(names, want).cloned().ok_or_else(|| {
            adam_error(
                path,
                format!(
                    "the ADaM options need {what} ({want}); columns found: {}",
                    columns::found(names)
                ),
            )
        })
    };
    let id_col = need(&options.id_col, "USUBJID", "a patient id")?;
    let param_col = need(&options.endpoint_col, "PARAMCD", "a parameter code")?;
    let visit_col = need(&options.visit_col, "AVISIT", "an analysis visit")?;
    let week_col = match &options.week_col {
        Some(w) => Some(need(&Some(w.clone()), w, "a visit number")?),
        None => find("AVISITN"),
    };
    let value_col = need(&options.value_col, "AVAL", "an analysis value")?;
    let n = df.height();
    let ids = strings(&df, &id_col);
    let params = strings(&df, &param_col);
    let visits = strings(&df, &visit_col);
    let weeks = week_col.as_ref().map(|w| strings(&df, w));
    let values = strings(&df, &value_col);

    let adsl = match &a.adsl {
        Some(p) => Some(adsl::read(p)?),
        None => None,
    };

    // Record filters, each record under the first that removes it.
    let mut reason: Vec<Option<ReadExclusion>> = vec![None; n];
    let mut filters: Vec<(String, ReadExclusion)> = Vec::new();
    if let Some(chosen) = &a.params {
        let chosen: HashSet<&str> = chosen.iter().map(|s| s.trim()).collect();
        for (r, p) in reason.iter_mut().zip(&params) {
            if !p.as_deref().is_some_and(|p| chosen.contains(p)) {
                *r = Some(ReadExclusion::ParameterNotSelected);
            }
        }
        let list: Vec<&str> = chosen.iter().copied().collect();
        filters.push((
            format!("{param_col} in {}", list.join(", ")),
            ReadExclusion::ParameterNotSelected,
        ));
    }
    if let Some(adsl) = &adsl {
        for (r, id) in reason.iter_mut().zip(&ids) {
            if r.is_none() && id.as_deref().is_none_or(|id| adsl.row(id).is_none()) {
                *r = Some(ReadExclusion::NotInAdsl);
            }
        }
        filters.push((
            format!("patient in {}", adsl.path.display()),
            ReadExclusion::NotInAdsl,
        ));
    }
    if let Some(flag) = &a.population {
        let flags: Vec<Option<Text>> = match &adsl {
            Some(adsl) => {
                let (_, col) = adsl.column(flag).ok_or_else(|| {
                    adam_error(
                        &adsl.path,
                        format!(
                            "population flag {flag} (--population) is not in the ADSL file; columns found: {}",
                            columns::found(&adsl.names)
                        ),
                    )
                })?;
                ids.iter()
                    .map(|id| {
                        let row = adsl.row(id.as_deref()?)?;
                        col.get(row)
                            .map(str::trim)
                            .filter(|s| !s.is_empty())
                            .map(Text::from)
                    })
                    .collect()
            }
            None => {
                let col = need(
                    &Some(flag.clone()),
                    flag,
                    "the population flag (or give --adsl)",
                )?;
                strings(&df, &col)
            }
        };
        for (r, f) in reason.iter_mut().zip(&flags) {
            if r.is_none() {
                *r = match f.as_deref() {
                    None => Some(ReadExclusion::PopulationFlagMissing),
                    Some("Y") => None,
                    Some(_) => Some(ReadExclusion::OutsidePopulation),
                };
            }
        }
        filters.push((
            format!("{flag} flag present"),
            ReadExclusion::PopulationFlagMissing,
        ));
        filters.push((format!("{flag} = \"Y\""), ReadExclusion::OutsidePopulation));
    }
    if let Some(dtype_col) = find("DTYPE") {
        let dtypes = strings(&df, &dtype_col);
        let chosen = a.dtype.as_deref().map(str::trim);
        for (r, d) in reason.iter_mut().zip(&dtypes) {
            if r.is_none() {
                if let Some(d) = d.as_deref() {
                    if Some(d) != chosen {
                        *r = Some(ReadExclusion::DerivedRecord);
                    }
                }
            }
        }
        filters.push((
            match chosen {
                None => "DTYPE empty (observed records only)".to_string(),
                Some(c) => format!("DTYPE empty or {c}"),
            },
            ReadExclusion::DerivedRecord,
        ));
        if let Some(c) = chosen {
            // The derived record replaces the observed one of its patient, parameter and visit.
            let derived: HashSet<(&str, &str, &str)> = (0..n)
                .filter(|&i| reason[i].is_none() && dtypes[i].as_deref() == Some(c))
                .filter_map(|i| {
                    Some((
                        ids[i].as_deref()?,
                        params[i].as_deref()?,
                        visits[i].as_deref()?,
                    ))
                })
                .collect();
            for i in 0..n {
                if reason[i].is_none() && dtypes[i].is_none() {
                    if let (Some(id), Some(p), Some(v)) = (
                        ids[i].as_deref(),
                        params[i].as_deref(),
                        visits[i].as_deref(),
                    ) {
                        if derived.contains(&(id, p, v)) {
                            reason[i] = Some(ReadExclusion::ReplacedByDerived);
                        }
                    }
                }
            }
            filters.push((
                format!("observed record without a DTYPE = {c} record at its visit"),
                ReadExclusion::ReplacedByDerived,
            ));
        }
    } else if let Some(d) = &a.dtype {
        return Err(adam_error(
            path,
            format!("--dtype {d}: the file has no DTYPE column"),
        ));
    }
    if let Some(flag) = &a.anl_flag {
        let col = need(&Some(flag.clone()), flag, "the analysis flag (--anl-flag)")?;
        let flags = strings(&df, &col);
        for (r, f) in reason.iter_mut().zip(&flags) {
            if r.is_none() && f.as_deref() != Some("Y") {
                *r = Some(ReadExclusion::NotAnalysisFlagged);
            }
        }
        filters.push((format!("{col} = \"Y\""), ReadExclusion::NotAnalysisFlagged));
    }

    // Baseline.
    let mut visit_out: Vec<Option<Text>> = visits.clone();
    let mut week_out: Option<Vec<Option<Text>>> = weeks.clone();
    let mut extra: Vec<(usize, String, Option<String>, Text)> = Vec::new(); // (record, visit, week, value)
    let mut baseline_of: HashMap<(Text, Text), f64> = HashMap::new();
    let mut warnings = Vec::new();
    let live = |i: usize, reason: &[Option<ReadExclusion>]| reason[i].is_none();
    let ablfl = find("ABLFL").map(|c| strings(&df, &c));
    let base = find("BASE").map(|c| strings(&df, &c));
    let baseline_named = |v: &str| BASELINE_NAMES.iter().any(|b| v.eq_ignore_ascii_case(b));
    let flagged: Vec<usize> = match &ablfl {
        Some(fl) => (0..n)
            .filter(|&i| live(i, &reason) && fl[i].as_deref() == Some("Y"))
            .collect(),
        None => Vec::new(),
    };
    if !flagged.is_empty() {
        let mut count: BTreeMap<&str, usize> = BTreeMap::new();
        for &i in &flagged {
            *count.entry(visits[i].as_deref().unwrap_or("")).or_default() += 1;
        }
        let most = count
            .iter()
            .max_by_key(|(_, c)| **c)
            .map(|(v, _)| v.to_string())
            .unwrap_or_default();
        let name = if baseline_named(&most) {
            most
        } else {
            "Baseline".to_string()
        };
        let week = weeks.as_ref().and_then(|w| {
            flagged
                .iter()
                .filter_map(|&i| w[i].as_deref()?.parse::<f64>().ok())
                .min_by(f64::total_cmp)
        });
        let has_flag: HashSet<(&str, &str)> = flagged
            .iter()
            .filter_map(|&i| Some((ids[i].as_deref()?, params[i].as_deref()?)))
            .collect();
        let flagged_set: HashSet<usize> = flagged.iter().copied().collect();
        for i in 0..n {
            if !live(i, &reason) || flagged_set.contains(&i) {
                continue;
            }
            let at_baseline = visits[i].as_deref().is_some_and(|v| v == name);
            let key = (
                ids[i].as_deref().unwrap_or(""),
                params[i].as_deref().unwrap_or(""),
            );
            if at_baseline && has_flag.contains(&key) {
                reason[i] = Some(ReadExclusion::NotBaselineRecord);
            }
        }
        filters.push((
            "one record per patient and parameter at the baseline visit: ABLFL = \"Y\"".to_string(),
            ReadExclusion::NotBaselineRecord,
        ));
        let name = Text::from(name);
        let week = week.map(|week| Text::from(format!("{week}")));
        for &i in &flagged {
            visit_out[i] = Some(name.clone());
            if let (Some(w), Some(week)) = (week_out.as_mut(), &week) {
                w[i] = Some(week.clone());
            }
            if let (Some(id), Some(p), Some(v)) = (&ids[i], &params[i], &values[i]) {
                if let Ok(x) = v.parse::<f64>() {
                    baseline_of.insert((id.clone(), p.clone()), x);
                }
            }
        }
    } else if let Some(base) = &base {
        // No ABLFL: a baseline record made from BASE for each patient and parameter that has no
        // record at a baseline visit, counted as part of the record that carries BASE.
        let mut at_baseline: HashSet<(&str, &str)> = HashSet::new();
        for i in (0..n).filter(|&i| live(i, &reason)) {
            if visits[i].as_deref().is_some_and(baseline_named) {
                if let (Some(id), Some(p)) = (ids[i].as_deref(), params[i].as_deref()) {
                    at_baseline.insert((id, p));
                }
            }
        }
        let min_week = weeks.as_ref().and_then(|w| {
            (0..n)
                .filter_map(|i| w[i].as_deref()?.parse::<f64>().ok())
                .min_by(f64::total_cmp)
        });
        let week = min_week.map(|m| if m > 0.0 { 0.0 } else { m - 1.0 });
        let mut done: HashSet<(Text, Text)> = HashSet::new();
        for i in (0..n).filter(|&i| live(i, &reason)) {
            let (Some(id), Some(p), Some(b)) = (&ids[i], &params[i], &base[i]) else {
                continue;
            };
            if let Ok(x) = b.parse::<f64>() {
                baseline_of.entry((id.clone(), p.clone())).or_insert(x);
            }
            if at_baseline.contains(&(&**id, &**p)) || !done.insert((id.clone(), p.clone())) {
                continue;
            }
            extra.push((
                i,
                "Baseline".to_string(),
                week.map(|w| format!("{w}")),
                b.clone(),
            ));
        }
    }
    // Without a baseline, change from baseline does not apply: refuse, naming the endpoints.
    let live_params: Vec<&str> = {
        let mut p: Vec<&str> = (0..n)
            .filter(|&i| live(i, &reason))
            .filter_map(|i| params[i].as_deref())
            .collect();
        p.sort_unstable();
        p.dedup();
        p
    };
    let labels = find("PARAM")
        .filter(|c| *c != param_col)
        .map(|c| strings(&df, &c));
    let mut endpoint_labels: Vec<(String, String)> = Vec::new();
    for &p in &live_params {
        let label = labels.as_ref().and_then(|l| {
            (0..n).find_map(|i| {
                (params[i].as_deref() == Some(p))
                    .then(|| l[i].clone())
                    .flatten()
            })
        });
        endpoint_labels.push((p.to_string(), label.as_deref().unwrap_or("").to_string()));
    }
    if a.baseline.is_none() {
        let no_baseline: Vec<String> = endpoint_labels
            .iter()
            .filter(|(p, _)| {
                let has_base = baseline_of.keys().any(|(_, q)| **q == **p)
                    || extra.iter().any(|&(i, ..)| params[i].as_deref() == Some(p));
                let has_visit = (0..n).any(|i| {
                    live(i, &reason)
                        && params[i].as_deref() == Some(p)
                        && visit_out[i].as_deref().is_some_and(baseline_named)
                });
                !has_base && !has_visit
            })
            .map(|(p, l)| {
                if l.is_empty() {
                    p.clone()
                } else {
                    format!("{p} ({l})")
                }
            })
            .collect();
        if !no_baseline.is_empty() {
            let counts = summarise(n, &reason);
            return Err(DataError::NoBaselineRecord {
                path: path.to_path_buf(),
                message: format!(
                    "endpoint {} has no baseline record (no ABLFL = \"Y\" record, no BASE value, no visit named Baseline), so change from baseline does not apply to it; trialstat analyses change from baseline only (give --baseline VISIT to measure change from another visit, or --param to choose other parameters). Records: {counts}",
                    no_baseline.join(", ")
                ),
            });
        }
    }

    // CHG and PCHG against the recomputed change.
    for (col, pct) in [("CHG", false), ("PCHG", true)] {
        let Some(c) = find(col) else { continue };
        let given = strings(&df, &c);
        let (mut mismatches, mut first) = (0usize, None);
        for i in (0..n).filter(|&i| live(i, &reason)) {
            let (Some(id), Some(p)) = (&ids[i], &params[i]) else {
                continue;
            };
            let Some(&b) = baseline_of.get(&(id.clone(), p.clone())) else {
                continue;
            };
            let (Some(g), Some(v)) = (
                given[i].as_deref().and_then(|s| s.parse::<f64>().ok()),
                values[i].as_deref().and_then(|s| s.parse::<f64>().ok()),
            ) else {
                continue;
            };
            let want = if pct {
                if b == 0.0 {
                    continue;
                }
                100.0 * (v - b) / b
            } else {
                v - b
            };
            if (g - want).abs() > 1e-8 * want.abs().max(1.0) {
                mismatches += 1;
                first.get_or_insert((i, g, want));
            }
        }
        if let Some((i, g, want)) = first {
            warnings.push(format!(
                "{mismatches} record(s) whose {col} differs from the value recomputed from the baseline, first record {} (patient {}, {}, {}): file {g}, recomputed {want}",
                i + 1,
                ids[i].as_deref().unwrap_or(""),
                params[i].as_deref().unwrap_or(""),
                visits[i].as_deref().unwrap_or("")
            ));
        }
    }

    // Treatment and covariates, from the file or ADSL.
    let mut out_options = options.clone();
    let mut joined: Vec<(String, StringChunked)> = Vec::new();
    if options.arm_col.is_none() {
        let candidates: &[&str] = match a.treatment.unwrap_or_default() {
            Treatment::Planned => &["TRTP", "TRT01P"],
            Treatment::Actual => &["TRTA", "TRT01A"],
        };
        let in_file = candidates.iter().find_map(|c| find(c));
        let from_adsl = || {
            adsl.as_ref()
                .and_then(|s| candidates.iter().find_map(|c| s.column(c)))
        };
        match (in_file, from_adsl()) {
            (Some(c), _) => out_options.arm_col = Some(c),
            (None, Some((name, col))) => {
                out_options.arm_col = Some(name.clone());
                joined.push((name, col));
            }
            (None, None) if a.treatment.is_some() => {
                return Err(adam_error(
                    path,
                    format!(
                        "--treatment: none of {} in the file{}",
                        candidates.join(", "),
                        if adsl.is_some() { " or ADSL" } else { "" }
                    ),
                ))
            }
            (None, None) => {}
        }
    }
    // Patient-level columns (`--covariate`, and `--strata`, which the caller reads as
    // covariates) that the file lacks: from ADSL.
    if let Some(adsl) = &adsl {
        for c in &options.covariates {
            if columns::find(names, c).is_none() {
                match adsl.column(c) {
                    Some(col) => joined.push(col),
                    None => {
                        return Err(DataError::NotInFileOrAdsl {
                            path: path.to_path_buf(),
                            adsl: adsl.path.clone(),
                            name: c.clone(),
                            flag: "--covariate",
                            found: columns::found(names),
                            found_adsl: columns::found(&adsl.names),
                        })
                    }
                }
            }
        }
    }
    out_options.endpoint_col = Some(param_col.clone());
    out_options.visit_col = Some(visit_col.clone());
    out_options.value_col = Some(value_col.clone());
    out_options.id_col = Some(id_col.clone());
    out_options.week_col = week_col.clone();

    // The rows kept, then the baseline rows made from BASE.
    let mut kept: Vec<u32> = (0..n as u32)
        .filter(|&i| reason[i as usize].is_none())
        .collect();
    let n_kept = kept.len();
    kept.extend(extra.iter().map(|&(i, ..)| i as u32));
    let idx = IdxCa::from_vec("idx".into(), kept.iter().map(|&i| i as IdxSize).collect());
    // Column by column, each input column freed once taken, so that the input table and the
    // output are never both held whole.
    let height = idx.len();
    let taken = df
        .into_columns()
        .into_iter()
        .map(|c| c.take(&idx))
        .collect::<PolarsResult<Vec<Column>>>()
        .map_err(|e| adam_error(path, e.to_string()))?;
    let mut out = DataFrame::new(height, taken).map_err(|e| adam_error(path, e.to_string()))?;
    // A column of the kept records (then the baseline records made from BASE), written
    // straight into polars' string array.
    let column_of = |name: &str, values: &mut dyn Iterator<Item = Option<&str>>| -> Column {
        let mut b = StringChunkedBuilder::new(name.into(), kept.len());
        for v in values {
            b.append_option(v);
        }
        b.finish().into_series().into_column()
    };
    let set = |out: &mut DataFrame, column: Column| {
        out.with_column(column)
            .map(|_| ())
            .map_err(|e| adam_error(path, e.to_string()))
    };
    set(
        &mut out,
        column_of(
            &visit_col,
            &mut kept[..n_kept]
                .iter()
                .map(|&i| visit_out[i as usize].as_deref())
                .chain(extra.iter().map(|e| Some(e.1.as_str()))),
        ),
    )?;
    if let (Some(wc), Some(w)) = (&week_col, &week_out) {
        set(
            &mut out,
            column_of(
                wc,
                &mut kept[..n_kept]
                    .iter()
                    .map(|&i| w[i as usize].as_deref())
                    .chain(extra.iter().map(|e| e.2.as_deref())),
            ),
        )?;
    }
    set(
        &mut out,
        column_of(
            &value_col,
            &mut kept[..n_kept]
                .iter()
                .map(|&i| values[i as usize].as_deref())
                .chain(extra.iter().map(|e| Some(&*e.3))),
        ),
    )?;
    if let Some(adsl) = &adsl {
        for (name, col) in &joined {
            let column = column_of(
                name,
                &mut kept.iter().map(|&i| {
                    let row = adsl.row(ids[i as usize].as_deref()?)?;
                    col.get(row)
                }),
            );
            set(&mut out, column)?;
        }
    }

    let excluded: Vec<(u32, ReadExclusion)> = reason
        .iter()
        .enumerate()
        .filter_map(|(i, r)| r.map(|r| (i as u32, r)))
        .collect();
    let filters = filters
        .into_iter()
        .map(|(filter, why)| FilterCount {
            filter,
            removed: excluded.iter().filter(|(_, r)| *r == why).count() as u64,
        })
        .collect();
    Ok(Prepared {
        df: out,
        options: out_options,
        kept,
        excluded,
        filters,
        endpoint_labels,
        warnings,
        adsl_columns: joined.into_iter().map(|(name, _)| name).collect(),
    })
}

/// "N read: k kept, j removed (reason), …" for the refusal message.
fn summarise(n: usize, reason: &[Option<ReadExclusion>]) -> String {
    let mut by: BTreeMap<&'static str, usize> = BTreeMap::new();
    for r in reason.iter().flatten() {
        *by.entry(r.describe()).or_default() += 1;
    }
    let kept = reason.iter().filter(|r| r.is_none()).count();
    let mut parts = vec![
        format!("{n} read"),
        format!("{kept} kept after the filters"),
    ];
    parts.extend(by.iter().map(|(why, k)| format!("{k} removed: {why}")));
    parts.join(", ")
}
