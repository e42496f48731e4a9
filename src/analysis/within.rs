//! Within-arm rows: change and percent change from baseline in one arm at one visit.

use super::{AnalysisOptions, CellSummary, Direction, ResultRow};
use crate::data::Cohort;
use crate::stats::{
    descriptive, effect_size, proportion, ttest, wilcoxon, Alternative, Diagnostic, TestResult,
};

/// A percentage improvement counts as reaching threshold P when it is at least P minus this
/// relative slack, so that e.g. 3.0 → 1.5 (exactly 50%) is not lost to rounding in
/// 100 × (f − b) / b when the inputs are decimal fractions.
const THRESHOLD_SLACK: f64 = 1e-9;

/// Text for a threshold in an estimand name: 50 → "50", 62.5 → "62.5".
pub fn threshold_label(p: f64) -> String {
    format!("{p}")
}

fn note(result: &TestResult, extra: &[String]) -> String {
    let mut parts: Vec<String> = extra.to_vec();
    parts.extend(result.diagnostics.iter().map(Diagnostic::describe));
    parts.join("; ")
}

#[allow(clippy::too_many_arguments)]
fn row(
    cohort: &Cohort,
    e: usize,
    arm: usize,
    v: usize,
    estimand: String,
    method: &'static str,
    result: TestResult,
    n: usize,
    n_left_out: usize,
    extra: &[String],
) -> ResultRow {
    ResultRow {
        endpoint: cohort.endpoints[e].clone(),
        arm: cohort.arms[arm].clone(),
        visit: cohort.visits[v].name.clone(),
        comparison: "within".to_string(),
        estimand,
        method,
        note: note(&result, extra),
        result,
        n,
        n_left_out,
    }
}

/// All within-arm rows for endpoint `e`, arm `arm`, follow-up visit `v`.
pub(super) fn within_arm(
    cohort: &Cohort,
    options: &AnalysisOptions,
    e: usize,
    arm: usize,
    baseline: usize,
    v: usize,
    direction: Direction,
) -> (Vec<ResultRow>, CellSummary) {
    let cl = options.conf_level;
    let mut base = Vec::new();
    let mut follow = Vec::new();
    let mut with_data = 0usize; // patients of the arm with any value on this endpoint
    let mut no_follow_up = 0usize;
    let mut no_baseline = 0usize;
    for p in cohort.patients_in_arm(arm) {
        let any = (0..cohort.visits.len()).any(|vv| cohort.value(e, p, vv).is_some());
        if !any {
            continue;
        }
        with_data += 1;
        match (cohort.value(e, p, baseline), cohort.value(e, p, v)) {
            (Some(b), Some(f)) => {
                base.push(b);
                follow.push(f);
            }
            (None, _) => no_baseline += 1,
            (Some(_), None) => no_follow_up += 1,
        }
    }
    let n = base.len();
    let visit = &cohort.visits[v].name;
    let mut missing_notes = Vec::new();
    if no_follow_up > 0 {
        missing_notes.push(format!("{no_follow_up} patient(s) without a {visit} value"));
    }
    if no_baseline > 0 {
        missing_notes.push(format!("{no_baseline} patient(s) without a baseline value"));
    }
    let left_out = with_data - n;

    let changes: Vec<f64> = base.iter().zip(&follow).map(|(b, f)| f - b).collect();
    let (pct, zero_baseline): (Vec<f64>, usize) = {
        let mut pct = Vec::with_capacity(n);
        let mut zero = 0;
        for (b, f) in base.iter().zip(&follow) {
            if *b == 0.0 {
                zero += 1;
            } else {
                pct.push(100.0 * (f - b) / b);
            }
        }
        (pct, zero)
    };
    let mut pct_notes = missing_notes.clone();
    if zero_baseline > 0 {
        pct_notes.push(format!(
            "{zero_baseline} patient(s) with baseline 0 left out of percent change"
        ));
    }

    let mut rows = Vec::new();
    let r = ttest::one_sample_t(&changes, 0.0, cl, Alternative::TwoSided, "mean change");
    rows.push(row(
        cohort,
        e,
        arm,
        v,
        "mean_change".into(),
        "paired_t",
        r,
        n,
        left_out,
        &missing_notes,
    ));
    let r = ttest::one_sample_t(&pct, 0.0, cl, Alternative::TwoSided, "mean percent change");
    rows.push(row(
        cohort,
        e,
        arm,
        v,
        "mean_pct_change".into(),
        "one_sample_t",
        r,
        pct.len(),
        left_out + zero_baseline,
        &pct_notes,
    ));
    let r = wilcoxon::signed_rank(&changes, cl, "pseudo-median change");
    rows.push(row(
        cohort,
        e,
        arm,
        v,
        "pseudo_median_change".into(),
        "wilcoxon_signed_rank",
        r,
        n,
        left_out,
        &missing_notes,
    ));
    let r = effect_size::cohen_dz(&changes, cl);
    rows.push(row(
        cohort,
        e,
        arm,
        v,
        "cohen_dz".into(),
        "noncentral_t",
        r,
        n,
        left_out,
        &missing_notes,
    ));

    let mut responders = Vec::new();
    for &threshold in &options.responder_thresholds {
        let slack = THRESHOLD_SLACK * threshold.max(1.0);
        let k = pct
            .iter()
            .filter(|&&x| {
                let improvement = match direction {
                    Direction::LowerIsBetter => -x,
                    Direction::HigherIsBetter => x,
                };
                improvement >= threshold - slack
            })
            .count();
        responders.push((threshold, k, pct.len()));
        let r = proportion::clopper_pearson(k, pct.len(), cl, "responder rate");
        rows.push(row(
            cohort,
            e,
            arm,
            v,
            format!("responder{}_rate", threshold_label(threshold)),
            "clopper_pearson",
            r,
            pct.len(),
            left_out + zero_baseline,
            &pct_notes,
        ));
    }
    let cleared = follow.iter().filter(|&&f| f == options.clear_value).count();
    let r = proportion::clopper_pearson(cleared, n, cl, "clearance rate");
    rows.push(row(
        cohort,
        e,
        arm,
        v,
        "clearance_rate".into(),
        "clopper_pearson",
        r,
        n,
        left_out,
        &missing_notes,
    ));

    let cell = CellSummary {
        endpoint: cohort.endpoints[e].clone(),
        arm: cohort.arms[arm].clone(),
        visit: visit.clone(),
        direction,
        n,
        baseline_mean: descriptive::mean(&base),
        baseline_sd: descriptive::sd(&base),
        follow_up_mean: descriptive::mean(&follow),
        follow_up_sd: descriptive::sd(&follow),
        responders,
        cleared: (cleared, n),
    };
    (rows, cell)
}
