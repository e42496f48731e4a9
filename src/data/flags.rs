//! A per-patient-per-visit flag column (`--intercurrent COL`: rescue medication, treatment
//! discontinuation): read from the input file after the cohort, strictly (Y/N, 1/0,
//! true/false in any case, or empty), and reduced to each patient's first flagged visit.

#![allow(clippy::result_large_err)] // as the readers: the error names file, line and values

use super::{Cohort, DataError};
use std::collections::HashMap;

/// Each patient's first visit (index into `cohort.visits`, in time order) with the flag set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FirstEvent {
    pub column: String,
    pub visit: Vec<Option<usize>>,
}

impl FirstEvent {
    /// Patients with an event at any visit.
    pub fn patients(&self) -> usize {
        self.visit.iter().flatten().count()
    }
    /// Whether patient `p` has had the event at or before visit `v`.
    pub fn by(&self, p: usize, v: usize) -> bool {
        self.visit[p].is_some_and(|e| e <= v)
    }
}

fn parse_flag(text: &str) -> Option<Option<bool>> {
    match text.trim().to_ascii_lowercase().as_str() {
        "" => Some(None),
        "y" | "yes" | "1" | "true" => Some(Some(true)),
        "n" | "no" | "0" | "false" => Some(Some(false)),
        _ => None,
    }
}

fn same_name(a: &str, b: &str) -> bool {
    let clean = |s: &str| s.trim().trim_start_matches('\u{feff}').to_ascii_lowercase();
    clean(a) == clean(b)
}

/// Read `column` of the cohort's file: the first flagged visit of each patient. A value other
/// than Y/N/1/0/true/false/yes/no/empty is [`DataError::BadFlag`] naming the line.
pub fn first_events(cohort: &Cohort, column: &str) -> Result<FirstEvent, DataError> {
    let path = &cohort.source.path;
    let delimiter = match cohort.source.delimiter.as_str() {
        "tab" => b'\t',
        d => d.bytes().next().unwrap_or(b','),
    };
    let io = |e: csv::Error| DataError::Parse {
        path: path.clone(),
        message: e.to_string(),
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_path(path)
        .map_err(io)?;
    let header = reader.headers().map_err(io)?.clone();
    let find = |name: &str| header.iter().position(|h| same_name(h, name));
    let names = || header.iter().collect::<Vec<_>>().join(", ");
    let Some(flag_col) = find(column) else {
        return Err(DataError::UnknownColumn {
            path: path.clone(),
            name: column.to_string(),
            flag: "--intercurrent",
            found: names(),
        });
    };
    let cols = &cohort.source.columns;
    let (Some(id_col), Some(visit_col)) = (find(&cols.patient_id), find(&cols.visit)) else {
        return Err(DataError::UnknownColumn {
            path: path.clone(),
            name: cols.patient_id.clone(),
            flag: "--id-col",
            found: names(),
        });
    };
    let patients: HashMap<&str, usize> = cohort
        .patients
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id.as_str(), i))
        .collect();
    let mut first: Vec<Option<usize>> = vec![None; cohort.patients.len()];
    for record in reader.records() {
        let record = record.map_err(io)?;
        let line = record.position().map_or(0, |p| p.line());
        let text = record.get(flag_col).unwrap_or("");
        let Some(flag) = parse_flag(text) else {
            return Err(DataError::BadFlag {
                path: path.clone(),
                line,
                column: header.get(flag_col).unwrap_or(column).to_string(),
                value: text.to_string(),
            });
        };
        if flag != Some(true) {
            continue;
        }
        let id = record.get(id_col).unwrap_or("").trim();
        let visit = record.get(visit_col).unwrap_or("").trim();
        // Rows the cohort did not read (left out at reading) carry no event.
        let (Some(&p), Some(v)) = (patients.get(id), cohort.visit_index(visit)) else {
            continue;
        };
        first[p] = Some(first[p].map_or(v, |e: usize| e.min(v)));
    }
    Ok(FirstEvent {
        column: column.to_string(),
        visit: first,
    })
}

/// Hypothetical strategy: every value of a patient at and after the first flagged visit set
/// to missing. Returns how many values were changed.
pub fn set_missing_from_event(cohort: &mut Cohort, events: &FirstEvent) -> usize {
    let mut changed = 0;
    for p in 0..cohort.patients.len() {
        let Some(from) = events.visit[p] else {
            continue;
        };
        for e in 0..cohort.endpoints.len() {
            for v in from..cohort.visits.len() {
                if cohort.value(e, p, v).is_some() {
                    cohort.clear_value(e, p, v);
                    changed += 1;
                }
            }
        }
    }
    changed
}
