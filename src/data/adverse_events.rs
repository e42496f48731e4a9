//! Adverse events (ADaM ADAE) and the safety population with its treatment exposure (ADSL).
//! ADSL: `USUBJID`, the population flag (`SAFFL`), the arm (`TRT01A`, actual treatment) and the
//! treatment dates `TRTSDT`/`TRTEDT` (ISO dates, or SAS day numbers). ADAE: `USUBJID`, the
//! treatment-emergent flag `TRTEMFL`, system organ class `AEBODSYS` and preferred term `AEDECOD`.

use super::records::{is_missing, Records, RecordsError};
use std::collections::HashMap;
use std::path::Path;

/// Column choices (defaults are the ADaM names).
#[derive(Debug, Clone, serde::Serialize)]
pub struct SafetyReadOptions {
    pub id_col: String,
    pub population: String,
    pub arm_col: String,
    pub start_col: String,
    pub end_col: String,
    pub emergent_col: String,
    pub soc_col: String,
    pub term_col: String,
}

impl Default for SafetyReadOptions {
    fn default() -> Self {
        SafetyReadOptions {
            id_col: "USUBJID".into(),
            population: "SAFFL".into(),
            arm_col: "TRT01A".into(),
            start_col: "TRTSDT".into(),
            end_col: "TRTEDT".into(),
            emergent_col: "TRTEMFL".into(),
            soc_col: "AEBODSYS".into(),
            term_col: "AEDECOD".into(),
        }
    }
}

/// A patient of the safety population.
#[derive(Debug, Clone, PartialEq)]
pub struct SafetyPatient {
    pub id: String,
    pub arm: String,
    /// Days on treatment (end − start + 1); `None` when a date is missing.
    pub exposure_days: Option<f64>,
}

/// One treatment-emergent event of a safety-population patient.
#[derive(Debug, Clone, PartialEq)]
pub struct AdverseEvent {
    /// Index into [`SafetyData::patients`].
    pub patient: usize,
    pub soc: String,
    pub term: String,
}

#[derive(Debug, Clone)]
pub struct SafetyData {
    pub patients: Vec<SafetyPatient>,
    pub events: Vec<AdverseEvent>,
    pub adsl_rows: usize,
    pub adae_rows: usize,
    /// (reason, count) of ADAE rows not counted.
    pub events_left_out: Vec<(String, usize)>,
}

/// Days since 1970-01-01 of an ISO date `YYYY-MM-DD` (a SAS day number, days since 1960-01-01,
/// is accepted as well; only differences are used).
fn day_number(s: &str) -> Option<f64> {
    if let Ok(n) = s.parse::<f64>() {
        return n.is_finite().then_some(n - 3653.0);
    }
    let mut it = s.get(..10)?.split('-');
    let y: i64 = it.next()?.parse().ok()?;
    let m: i64 = it.next()?.parse().ok()?;
    let d: i64 = it.next()?.parse().ok()?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    // Howard Hinnant's days_from_civil.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some((era * 146_097 + doe - 719_468) as f64)
}

pub fn read_safety(
    adae: &Path,
    adsl: &Path,
    o: &SafetyReadOptions,
) -> Result<SafetyData, RecordsError> {
    let sl = Records::read(adsl)?;
    let id = sl.required(Some(&o.id_col), "--id-col", &[], "patient id")?;
    let pop = sl.required(Some(&o.population), "--population", &[], "population flag")?;
    let arm = sl.required(Some(&o.arm_col), "--arm-col", &[], "arm")?;
    let start = sl.required(Some(&o.start_col), "--start-col", &[], "treatment start")?;
    let end = sl.required(Some(&o.end_col), "--end-col", &[], "treatment end")?;
    let mut patients = Vec::new();
    let mut index = HashMap::new();
    for (i, row) in sl.rows.iter().enumerate() {
        if row[pop] != "Y" {
            continue;
        }
        if is_missing(&row[arm]) {
            return Err(sl.bad(i, arm, "an arm for every patient of the population"));
        }
        let date = |c: usize| -> Result<Option<f64>, RecordsError> {
            if is_missing(&row[c]) {
                return Ok(None);
            }
            day_number(&row[c])
                .map(Some)
                .ok_or_else(|| sl.bad(i, c, "a date YYYY-MM-DD (or a SAS day number)"))
        };
        let exposure_days = match (date(start)?, date(end)?) {
            (Some(s), Some(e)) if e >= s => Some(e - s + 1.0),
            (Some(_), Some(_)) => {
                return Err(sl.bad(i, end, "a treatment end on or after the start"));
            }
            _ => None,
        };
        if index.insert(row[id].clone(), patients.len()).is_some() {
            return Err(sl.bad(i, id, "one row per patient in ADSL"));
        }
        patients.push(SafetyPatient {
            id: row[id].clone(),
            arm: row[arm].clone(),
            exposure_days,
        });
    }
    if patients.is_empty() {
        return Err(sl.invalid(format!("no patient has {} = Y", o.population)));
    }
    let ae = Records::read(adae)?;
    let aid = ae.required(Some(&o.id_col), "--id-col", &[], "patient id")?;
    let emergent = ae.required(
        Some(&o.emergent_col),
        "--emergent-col",
        &[],
        "treatment-emergent flag",
    )?;
    let soc = ae.required(Some(&o.soc_col), "--soc-col", &[], "system organ class")?;
    let term = ae.required(Some(&o.term_col), "--term-col", &[], "preferred term")?;
    let mut events = Vec::new();
    let mut left = std::collections::BTreeMap::<String, usize>::new();
    for (i, row) in ae.rows.iter().enumerate() {
        if row[emergent] != "Y" {
            *left
                .entry(format!(
                    "not treatment-emergent ({} ≠ Y)",
                    ae.headers[emergent]
                ))
                .or_default() += 1;
            continue;
        }
        let Some(&p) = index.get(&row[aid]) else {
            *left
                .entry("patient not in the safety population".into())
                .or_default() += 1;
            continue;
        };
        if is_missing(&row[soc]) || is_missing(&row[term]) {
            return Err(ae.bad(
                i,
                if is_missing(&row[soc]) { soc } else { term },
                "a coded term",
            ));
        }
        events.push(AdverseEvent {
            patient: p,
            soc: row[soc].clone(),
            term: row[term].clone(),
        });
    }
    Ok(SafetyData {
        patients,
        events,
        adsl_rows: sl.rows.len(),
        adae_rows: ae.rows.len(),
        events_left_out: left.into_iter().collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::day_number;

    #[test]
    fn dates() {
        assert_eq!(day_number("1970-01-01"), Some(0.0));
        assert_eq!(
            day_number("2014-07-02")
                .zip(day_number("2014-01-02"))
                .map(|(a, b)| a - b + 1.0),
            Some(182.0)
        );
        assert_eq!(day_number("0"), Some(-3653.0));
        assert_eq!(day_number("2014-13-01"), None);
    }
}
