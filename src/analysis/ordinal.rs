//! An ordinal value at a visit (`--ordinal ENDPOINT`: an IGA grade, a CIBIC+ category, any
//! integer-coded score): for each arm against the control arm, the three CMH statistics with
//! table scores (general association, row mean scores, nonzero correlation), stratified by
//! `--strata` or not, as SAS PROC FREQ `CMH` prints them. Rows `{endpoint}_distribution`.
//! The observed values at the visit are used (no baseline needed, no imputation).

use super::responders::Strata;
use super::row::{response_name, Estimand, Method, Place};
use super::ResultRow;
use crate::data::Cohort;
use crate::stats::cmh_general::{generalized_cmh, CmhAlternative, OrdinalTable};
use crate::stats::{Alternative, Diagnostic, TestResult};

/// Values further than this from an integer are not integer-coded.
const INTEGER_SLACK: f64 = 1e-9;

/// The CMH rows of endpoint `e` at visit `v`, arm against control.
pub(super) fn rows(
    cohort: &Cohort,
    place: &Place,
    (e, v): (usize, usize),
    (arm, control): (usize, usize),
    strata: Option<&Strata>,
) -> Vec<ResultRow> {
    let mut values: Vec<(usize, usize, f64)> = Vec::new(); // (row 0 = arm / 1 = control, patient, value)
    for (p, patient) in cohort.patients.iter().enumerate() {
        let row = if patient.arm == arm {
            0
        } else if patient.arm == control {
            1
        } else {
            continue;
        };
        if let Some(x) = cohort.value(e, p, v) {
            values.push((row, p, x));
        }
    }
    let n = values.len();
    let mut notes = vec!["observed values at the visit; table scores (the values)".to_string()];
    let integer = values
        .iter()
        .all(|(_, _, x)| (x - x.round()).abs() <= INTEGER_SLACK);
    let mut levels: Vec<f64> = values.iter().map(|(_, _, x)| x.round()).collect();
    levels.sort_by(f64::total_cmp);
    levels.dedup();
    let n_strata = strata.map_or(1, |s| s.labels.len());
    let mut counts = vec![vec![vec![0usize; levels.len()]; 2]; n_strata];
    for &(row, p, x) in &values {
        let h = strata.map_or(0, |s| s.codes[p] as usize);
        // `levels` holds every rounded value: the search cannot fail.
        if let Ok(j) = levels.binary_search_by(|l| l.total_cmp(&x.round())) {
            counts[h][row][j] += 1;
        }
    }
    counts.retain(|t| t.iter().flatten().sum::<usize>() > 0);
    if strata.is_some() {
        notes.push(format!("{} strata", counts.len()));
    }
    let table = OrdinalTable {
        row_scores: vec![1.0, 2.0],
        col_scores: levels,
        counts,
    };
    let estimand = Estimand::Distribution(response_name(place.endpoint));
    [
        (
            Method::CmhGeneralAssociation,
            CmhAlternative::GeneralAssociation,
        ),
        (Method::CmhRowMeanScores, CmhAlternative::RowMeanScores),
        (Method::CmhCorrelation, CmhAlternative::Correlation),
    ]
    .into_iter()
    .map(|(method, which)| {
        let r = if integer {
            generalized_cmh(&table, which)
        } else {
            let mut r = TestResult::empty(n, Alternative::TwoSided);
            r.diagnostics.push(Diagnostic::NotComputed {
                reason: "the values are not integer-coded",
            });
            r
        };
        place.row(estimand, method, r, n, 0, &notes)
    })
    .collect()
}
