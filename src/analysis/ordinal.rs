//! An ordinal value at a visit (`--ordinal ENDPOINT`: an IGA grade, a CIBIC+ category, any
//! integer-coded score): for each arm against the control arm, the three CMH statistics with
//! table scores (general association, row mean scores, nonzero correlation), stratified by
//! `--strata` or not, as SAS PROC FREQ `CMH` prints them. Rows `{endpoint}_distribution`.
//! With three or more arms, also one test over all arms at once (`arm` and `comparison`
//! `all arms`): general association (df (k − 1)(c − 1)) and row mean scores (df k − 1), which
//! do not depend on the order of the arms; the correlation statistic would (the arms' scores
//! 1…k), so it is not given there. The observed values at the visit are used (no baseline
//! needed, no imputation).

use super::responders::Strata;
use super::row::{response_name, Comparison, Estimand, Method, Place, ALL_ARMS};
use super::ResultRow;
use crate::data::Cohort;
use crate::stats::cmh_general::{generalized_cmh, CmhAlternative, OrdinalTable};
use crate::stats::{Alternative, Diagnostic, TestResult};

/// Values further than this from an integer are not integer-coded.
const INTEGER_SLACK: f64 = 1e-9;

/// The r×c×K table of endpoint `e` at visit `v` with one row per arm of `arms` (in that order),
/// the number of patients with a value, whether the values are integer-coded, and the notes.
fn table(
    cohort: &Cohort,
    (e, v): (usize, usize),
    arms: &[usize],
    strata: Option<&Strata>,
) -> (OrdinalTable, usize, bool, Vec<String>) {
    let mut values: Vec<(usize, usize, f64)> = Vec::new(); // (table row, patient, value)
    for (p, patient) in cohort.patients.iter().enumerate() {
        let Some(row) = arms.iter().position(|&a| a == patient.arm) else {
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
    let mut counts = vec![vec![vec![0usize; levels.len()]; arms.len()]; n_strata];
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
        row_scores: (1..=arms.len()).map(|i| i as f64).collect(),
        col_scores: levels,
        counts,
    };
    (table, n, integer, notes)
}

/// The rows of `statistics` for one table.
fn cmh_rows(
    place: &Place,
    (table, n, integer, notes): (OrdinalTable, usize, bool, Vec<String>),
    statistics: &[(Method, CmhAlternative)],
) -> Vec<ResultRow> {
    let estimand = Estimand::Distribution(response_name(place.endpoint));
    statistics
        .iter()
        .map(|&(method, which)| {
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

/// The CMH rows of endpoint `e` at visit `v`, arm against control.
pub(super) fn rows(
    cohort: &Cohort,
    place: &Place,
    (e, v): (usize, usize),
    (arm, control): (usize, usize),
    strata: Option<&Strata>,
) -> Vec<ResultRow> {
    cmh_rows(
        place,
        table(cohort, (e, v), &[arm, control], strata),
        &[
            (
                Method::CmhGeneralAssociation,
                CmhAlternative::GeneralAssociation,
            ),
            (Method::CmhRowMeanScores, CmhAlternative::RowMeanScores),
            (Method::CmhCorrelation, CmhAlternative::Correlation),
        ],
    )
}

/// The all-arms rows (three or more arms): general association and row mean scores over every
/// arm of the cohort at once.
pub(super) fn all_arms_rows(
    cohort: &Cohort,
    endpoint: &str,
    visit: &str,
    (e, v): (usize, usize),
    strata: Option<&Strata>,
) -> Vec<ResultRow> {
    if cohort.arms.len() < 3 {
        return Vec::new();
    }
    let place = Place {
        endpoint,
        arm: ALL_ARMS,
        visit,
        comparison: Comparison::AllArms,
    };
    let arms: Vec<usize> = (0..cohort.arms.len()).collect();
    let (table, n, integer, mut notes) = table(cohort, (e, v), &arms, strata);
    notes.push(format!(
        "{} arms: {}; no correlation statistic (it would depend on the order of the arms)",
        arms.len(),
        cohort.arms.join(", ")
    ));
    cmh_rows(
        &place,
        (table, n, integer, notes),
        &[
            (
                Method::CmhGeneralAssociation,
                CmhAlternative::GeneralAssociation,
            ),
            (Method::CmhRowMeanScores, CmhAlternative::RowMeanScores),
        ],
    )
}
