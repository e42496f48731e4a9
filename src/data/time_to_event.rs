//! Time-to-event data, one row per subject: a time, an event or censoring indicator, the arm,
//! optional strata and covariates. ADaM ADTTE is recognised (`AVAL`, `CNSR` with 1 = censored,
//! `PARAMCD`, `TRTP`). Rows with a missing time, indicator or arm are left out and counted;
//! a negative time or an indicator other than 0/1 is an error naming its line.

use super::records::{is_missing, Records, RecordsError};
use std::path::Path;

/// What to read and how.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct TteReadOptions {
    pub time_col: Option<String>,
    /// 1 = event, 0 = censored.
    pub event_col: Option<String>,
    /// 1 = censored, 0 = event (ADaM `CNSR`).
    pub censor_col: Option<String>,
    pub arm_col: Option<String>,
    /// Parameter column (ADaM `PARAMCD`) and the value to keep.
    pub param_col: Option<String>,
    pub param: Option<String>,
    /// Keep only rows where this flag column is `Y` (e.g. `SAFFL`); `None` = all rows.
    pub population: Option<String>,
    pub strata: Vec<String>,
    pub covariates: Vec<String>,
}

/// A covariate column: numbers, or categories (as text) when any value is not a number.
#[derive(Debug, Clone, PartialEq)]
pub enum CovariateColumn {
    Numeric(Vec<Option<f64>>),
    Categorical(Vec<Option<String>>),
}

/// The subjects used.
#[derive(Debug, Clone)]
pub struct TimeToEvent {
    pub time: Vec<f64>,
    pub event: Vec<bool>,
    pub arm: Vec<String>,
    /// The strata columns' values joined with `/`; `None` when one is missing.
    pub stratum: Vec<Option<String>>,
    pub covariates: Vec<(String, CovariateColumn)>,
    /// The parameter analysed (PARAMCD value), else the time column's name.
    pub endpoint: String,
    /// Columns used, for the provenance block.
    pub columns: Vec<(&'static str, String)>,
    pub rows_read: usize,
    /// (reason, count) of rows left out.
    pub left_out: Vec<(String, usize)>,
}

pub fn read_time_to_event(path: &Path, o: &TteReadOptions) -> Result<TimeToEvent, RecordsError> {
    let rec = Records::read(path)?;
    let time_c = rec.required(
        o.time_col.as_deref(),
        "--time-col",
        &["AVAL", "time", "futime", "days"],
        "time",
    )?;
    let (flag_c, flag_is_censor) = match (&o.event_col, &o.censor_col) {
        (Some(_), Some(_)) => {
            return Err(rec.invalid("give --event-col or --censor-col, not both"));
        }
        (Some(e), None) => (rec.required(Some(e), "--event-col", &[], "event")?, false),
        (None, Some(c)) => (
            rec.required(Some(c), "--censor-col", &[], "censoring")?,
            true,
        ),
        (None, None) => match rec.column(None, "--censor-col", &["CNSR"])? {
            Some(c) => (c, true),
            None => (
                rec.required(
                    None,
                    "--event-col",
                    &["event", "status", "EVNT"],
                    "event/censoring",
                )?,
                false,
            ),
        },
    };
    let arm_c = rec.column(
        o.arm_col.as_deref(),
        "--arm-col",
        &[
            "TRTP",
            "TRT01P",
            "TRTA",
            "TRT01A",
            "arm",
            "treatment",
            "group",
        ],
    )?;
    let param_c = rec.column(o.param_col.as_deref(), "--param-col", &["PARAMCD"])?;
    let pop_c = match &o.population {
        Some(p) => Some(rec.required(Some(p), "--population", &[], "population flag")?),
        None => None,
    };
    let strata_c: Vec<usize> = o
        .strata
        .iter()
        .map(|s| rec.required(Some(s), "--strata", &[], "strata"))
        .collect::<Result<_, _>>()?;
    let cov_c: Vec<usize> = o
        .covariates
        .iter()
        .map(|s| rec.required(Some(s), "--covariate", &[], "covariate"))
        .collect::<Result<_, _>>()?;

    // The parameter: given, or the only one in the file.
    let param = match (param_c, &o.param) {
        (None, Some(_)) => {
            return Err(rec.invalid(
                "--param given but the file has no PARAMCD column (name it with --param-col)",
            ))
        }
        (None, None) => None,
        (Some(c), given) => {
            let mut values: Vec<&str> = rec.rows.iter().map(|r| r[c].as_str()).collect();
            values.sort_unstable();
            values.dedup();
            match given {
                Some(g) if values.contains(&g.as_str()) => Some(g.clone()),
                Some(g) => {
                    return Err(rec.invalid(format!(
                        "parameter '{g}' (from --param) is not in column {}; values found: {}",
                        rec.headers[c],
                        values.join(", ")
                    )))
                }
                None if values.len() == 1 => Some(values[0].to_string()),
                None => {
                    return Err(rec.invalid(format!(
                        "column {} holds {} parameters ({}); choose one with --param",
                        rec.headers[c],
                        values.len(),
                        values.join(", ")
                    )))
                }
            }
        }
    };

    let mut out = TimeToEvent {
        time: Vec::new(),
        event: Vec::new(),
        arm: Vec::new(),
        stratum: Vec::new(),
        covariates: Vec::new(),
        endpoint: param.clone().unwrap_or_else(|| rec.headers[time_c].clone()),
        columns: vec![
            ("time", rec.headers[time_c].clone()),
            (
                if flag_is_censor { "censor" } else { "event" },
                rec.headers[flag_c].clone(),
            ),
        ],
        rows_read: rec.rows.len(),
        left_out: Vec::new(),
    };
    if let Some(c) = arm_c {
        out.columns.push(("arm", rec.headers[c].clone()));
    }
    for &c in &strata_c {
        out.columns.push(("strata", rec.headers[c].clone()));
    }
    let mut left = std::collections::BTreeMap::<String, usize>::new();
    let mut raw_covs: Vec<Vec<Option<String>>> = vec![Vec::new(); cov_c.len()];
    for (i, row) in rec.rows.iter().enumerate() {
        if let (Some(c), Some(p)) = (param_c, &param) {
            if &row[c] != p {
                *left.entry("other parameter".into()).or_default() += 1;
                continue;
            }
        }
        if let Some(c) = pop_c {
            if row[c] != "Y" {
                *left
                    .entry(format!("not in population ({} ≠ Y)", rec.headers[c]))
                    .or_default() += 1;
                continue;
            }
        }
        if is_missing(&row[time_c]) || is_missing(&row[flag_c]) {
            *left.entry("missing time or indicator".into()).or_default() += 1;
            continue;
        }
        let t: f64 = row[time_c]
            .parse()
            .map_err(|_| rec.bad(i, time_c, "a number ≥ 0"))?;
        if !(t.is_finite() && t >= 0.0) {
            return Err(rec.bad(
                i,
                time_c,
                "a time ≥ 0 (negative or infinite times are not allowed)",
            ));
        }
        let flag = match row[flag_c].parse::<f64>() {
            Ok(0.0) => false,
            Ok(1.0) => true,
            _ => {
                return Err(rec.bad(
                    i,
                    flag_c,
                    if flag_is_censor {
                        "0 (event) or 1 (censored)"
                    } else {
                        "0 (censored) or 1 (event)"
                    },
                ))
            }
        };
        let arm = match arm_c {
            Some(c) if is_missing(&row[c]) => {
                *left.entry("missing arm".into()).or_default() += 1;
                continue;
            }
            Some(c) => row[c].clone(),
            None => "all".to_string(),
        };
        let stratum = if strata_c.is_empty() || strata_c.iter().any(|&c| is_missing(&row[c])) {
            None
        } else {
            Some(
                strata_c
                    .iter()
                    .map(|&c| row[c].as_str())
                    .collect::<Vec<_>>()
                    .join("/"),
            )
        };
        out.time.push(t);
        out.event.push(flag != flag_is_censor);
        out.arm.push(arm);
        out.stratum.push(stratum);
        for (k, &c) in cov_c.iter().enumerate() {
            raw_covs[k].push((!is_missing(&row[c])).then(|| row[c].clone()));
        }
    }
    out.left_out = left.into_iter().collect();
    for (k, &c) in cov_c.iter().enumerate() {
        let raw = std::mem::take(&mut raw_covs[k]);
        let numeric: Option<Vec<Option<f64>>> = raw
            .iter()
            .map(|v| match v {
                None => Some(None),
                Some(s) => s.parse::<f64>().ok().filter(|x| x.is_finite()).map(Some),
            })
            .collect();
        let col = match numeric {
            Some(v) => CovariateColumn::Numeric(v),
            None => CovariateColumn::Categorical(raw),
        };
        out.covariates.push((rec.headers[c].clone(), col));
    }
    if out.time.is_empty() {
        return Err(rec.invalid(
            "no rows left to analyse (see the parameter, population and missing values)",
        ));
    }
    Ok(out)
}
