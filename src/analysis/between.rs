//! Between-arm rows: each non-control arm against the control arm at one follow-up visit.

use super::cell::ArmVisit;
use super::within::{threshold_label, Place};
use super::{AnalysisOptions, Direction, ResultRow};
use crate::stats::{
    bootstrap, descriptive, effect_size, exact_rank, fisher, mann_whitney, permutation, proportion,
    ttest,
};

/// The contrast rows of `arm` (x) against `control` (y), except ANCOVA (see `ancova`).
pub(super) fn contrast(
    place: &Place,
    options: &AnalysisOptions,
    x: &ArmVisit,
    y: &ArmVisit,
    direction: Direction,
) -> Vec<ResultRow> {
    let cl = options.conf_level;
    let rule = options.missing;
    let mut rows = Vec::new();
    let left_out = (x.with_data - x.n()) + (y.with_data - y.n());
    let mut notes: Vec<String> = x
        .notes(place.visit, rule, false)
        .into_iter()
        .map(|s| format!("{}: {s}", place.arm))
        .collect();
    notes.extend(
        y.notes(place.visit, rule, false)
            .into_iter()
            .map(|s| format!("control: {s}")),
    );
    let mut rate_notes: Vec<String> = x
        .notes(place.visit, rule, true)
        .into_iter()
        .map(|s| format!("{}: {s}", place.arm))
        .collect();
    rate_notes.extend(
        y.notes(place.visit, rule, true)
            .into_iter()
            .map(|s| format!("control: {s}")),
    );
    let n = x.n() + y.n();
    let (cx, cy) = (x.changes(), y.changes());
    let (mx, my) = (&x.moments.changes, &y.moments.changes);
    for (pooled, method) in [(false, "welch_t"), (true, "student_t")] {
        let r = ttest::two_sample_t_from(mx, my, cl, pooled, "difference in mean change");
        rows.push(place.row("mean_change_diff".into(), method, r, n, left_out, &notes));
    }
    let ((px, zx), (py, zy)) = (x.pct_changes(), y.pct_changes());
    let mut pct_notes = notes.clone();
    if zx + zy > 0 {
        pct_notes.push(format!(
            "{} patient(s) with baseline 0 left out of percent change",
            zx + zy
        ));
    }
    let (mpx, mpy) = (&x.moments.pct, &y.moments.pct);
    for (pooled, method) in [(false, "welch_t"), (true, "student_t")] {
        let r = ttest::two_sample_t_from(mpx, mpy, cl, pooled, "difference in mean percent change");
        rows.push(place.row(
            "mean_pct_change_diff".into(),
            method,
            r,
            px.len() + py.len(),
            left_out + zx + zy,
            &pct_notes,
        ));
    }
    if let (Some(b), true) = (options.bootstrap, cx.len() >= 2 && cy.len() >= 2) {
        let boot = bootstrap::two_sample(
            cx,
            cy,
            |a, b| {
                descriptive::mean(a).unwrap_or(f64::NAN) - descriptive::mean(b).unwrap_or(f64::NAN)
            },
            None::<fn(&[f64], &[f64]) -> f64>,
            b,
            options.seed,
        );
        let r = bootstrap::bca_result(&boot, cl, "difference in mean change");
        rows.push(place.row(
            "mean_change_diff".into(),
            "bca_bootstrap",
            r,
            n,
            left_out,
            &notes,
        ));
    }
    let r = if n <= super::within::PERMUTATION_LIMIT {
        permutation::label_permutation(cx, cy, options.seed)
    } else {
        let mut r = crate::stats::TestResult::empty(n, crate::stats::Alternative::TwoSided);
        r.diagnostics.push(crate::stats::Diagnostic::TooLarge {
            what: "permutation test",
            limit: super::within::PERMUTATION_LIMIT,
        });
        r
    };
    rows.push(place.row(
        "mean_change_diff".into(),
        "permutation",
        r,
        n,
        left_out,
        &notes,
    ));
    // Rank statistics on the sorted copies (see ArmVisit::sorted_changes).
    let (sx, sy) = (x.sorted_changes(), y.sorted_changes());
    let r = mann_whitney::rank_sum(sx, sy, cl, "location shift of change");
    rows.push(place.row(
        "location_shift_change".into(),
        "mann_whitney",
        r,
        n,
        left_out,
        &notes,
    ));
    let r = exact_rank::rank_sum_exact(sx, sy, cl, "location shift of change");
    rows.push(place.row(
        "location_shift_change".into(),
        "mann_whitney_exact",
        r,
        n,
        left_out,
        &notes,
    ));
    let r = effect_size::glass_delta_from(mx, my, cl);
    rows.push(place.row(
        "glass_delta_change".into(),
        "noncentral_t",
        r,
        n,
        left_out,
        &notes,
    ));
    let r = effect_size::rank_biserial_two_sample(sx, sy, cl);
    rows.push(place.row(
        "rank_biserial_change".into(),
        "fisher_z",
        r.clone(),
        n,
        left_out,
        &notes,
    ));
    rows.push(place.row(
        "cliffs_delta_change".into(),
        "fisher_z",
        r,
        n,
        left_out,
        &notes,
    ));
    let r = effect_size::hedges_g_from(mx, my, cl);
    rows.push(place.row(
        "hedges_g_change".into(),
        "noncentral_t",
        r,
        n,
        left_out,
        &notes,
    ));

    let with_data = x.with_data + y.with_data;
    let binary = |name: &str,
                  (k1, n1): (usize, usize),
                  (k2, n2): (usize, usize),
                  rows: &mut Vec<ResultRow>| {
        let m = n1 + n2;
        let r = proportion::newcombe_difference(k1, n1, k2, n2, cl, "difference in proportions");
        rows.push(place.row(
            format!("{name}_diff"),
            "newcombe",
            r,
            m,
            with_data - m,
            &rate_notes,
        ));
        let r = fisher::fisher_exact(k1, n1 - k1, k2, n2 - k2, cl, "odds ratio");
        rows.push(place.row(
            format!("{name}_odds_ratio"),
            "fisher_exact",
            r,
            m,
            with_data - m,
            &rate_notes,
        ));
        let r = proportion::risk_ratio_log(k1, n1, k2, n2, cl, "risk ratio");
        rows.push(place.row(
            format!("{name}_risk_ratio"),
            "log",
            r,
            m,
            with_data - m,
            &rate_notes,
        ));
    };
    for &threshold in &options.responder_thresholds {
        let name = format!("responder{}", threshold_label(threshold));
        binary(
            &name,
            x.responders(threshold, direction, rule),
            y.responders(threshold, direction, rule),
            &mut rows,
        );
    }
    binary(
        "clearance",
        x.cleared(options.clear_value, rule),
        y.cleared(options.clear_value, rule),
        &mut rows,
    );
    rows
}
