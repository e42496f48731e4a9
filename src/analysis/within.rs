//! Within-arm rows: change and percent change from baseline in one arm at one visit.

use super::cell::ArmVisit;
use super::{AnalysisOptions, CellSummary, Direction, ResultRow};
use crate::stats::{
    bootstrap, descriptive, effect_size, exact_rank, permutation, proportion, ratio, ttest,
    wilcoxon, Alternative, Diagnostic, TestResult,
};

/// Above this many patients in a cell the permutation rows are not computed (Monte-Carlo cost
/// grows as patients × 100,000 draws); the t test answers the same question there.
pub(super) const PERMUTATION_LIMIT: usize = 2000;

/// Text for a threshold in an estimand name: 50 → "50", 62.5 → "62.5".
pub fn threshold_label(p: f64) -> String {
    format!("{p}")
}

pub(super) fn note(result: &TestResult, extra: &[String]) -> String {
    let mut parts: Vec<String> = extra.to_vec();
    parts.extend(result.diagnostics.iter().map(Diagnostic::describe));
    parts.join("; ")
}

/// Where a row belongs: endpoint, arm, visit, comparison.
pub(super) struct Place<'a> {
    pub endpoint: &'a str,
    pub arm: &'a str,
    pub visit: &'a str,
    pub comparison: String,
}

impl Place<'_> {
    pub fn row(
        &self,
        estimand: String,
        method: &'static str,
        result: TestResult,
        n: usize,
        n_left_out: usize,
        extra: &[String],
    ) -> ResultRow {
        ResultRow {
            endpoint: self.endpoint.to_string(),
            arm: self.arm.to_string(),
            visit: self.visit.to_string(),
            comparison: self.comparison.clone(),
            estimand,
            method,
            note: note(&result, extra),
            result,
            n,
            n_left_out,
            p_adjusted: None,
        }
    }
}

/// All within-arm rows for one arm at one follow-up visit.
pub(super) fn within_arm(
    place: &Place,
    options: &AnalysisOptions,
    cell: &ArmVisit,
    direction: Direction,
) -> (Vec<ResultRow>, CellSummary) {
    let cl = options.conf_level;
    let rule = options.missing;
    let n = cell.n();
    let left_out = cell.with_data - n;
    let notes = cell.notes(place.visit, rule, false);
    let rate_notes = cell.notes(place.visit, rule, true);
    let changes = cell.changes();
    let (pct, zero_baseline) = cell.pct_changes();
    let mut pct_notes = notes.clone();
    let mut pct_rate_notes = rate_notes.clone();
    if zero_baseline > 0 {
        let z = format!("{zero_baseline} patient(s) with baseline 0 left out of percent change");
        pct_notes.push(z.clone());
        pct_rate_notes.push(z);
    }

    let mut rows = Vec::new();
    let mo = &cell.moments;
    let r = ttest::one_sample_t_from(&mo.changes, 0.0, cl, Alternative::TwoSided, "mean change");
    rows.push(place.row("mean_change".into(), "paired_t", r, n, left_out, &notes));
    let r = ttest::one_sample_t_from(
        &mo.pct,
        0.0,
        cl,
        Alternative::TwoSided,
        "mean percent change",
    );
    rows.push(place.row(
        "mean_pct_change".into(),
        "one_sample_t",
        r,
        pct.len(),
        left_out + zero_baseline,
        &pct_notes,
    ));
    if let (Some(b), true) = (options.bootstrap, pct.len() >= 2) {
        let boot = bootstrap::one_sample_mean(pct, b, options.seed);
        let r = bootstrap::bca_result(&boot, cl, "mean percent change");
        rows.push(place.row(
            "mean_pct_change".into(),
            "bca_bootstrap",
            r,
            pct.len(),
            left_out + zero_baseline,
            &pct_notes,
        ));
    }
    let r = if n <= PERMUTATION_LIMIT {
        permutation::sign_flip(changes, options.seed)
    } else {
        let mut r = TestResult::empty(n, Alternative::TwoSided);
        r.diagnostics.push(Diagnostic::TooLarge {
            what: "permutation test",
            limit: PERMUTATION_LIMIT,
        });
        r
    };
    rows.push(place.row("mean_change".into(), "permutation", r, n, left_out, &notes));
    let sorted = cell.sorted_changes();
    let r = wilcoxon::signed_rank(sorted, cl, "pseudo-median change");
    rows.push(place.row(
        "pseudo_median_change".into(),
        "wilcoxon_signed_rank",
        r,
        n,
        left_out,
        &notes,
    ));
    let ratio_moments = ratio::RatioMoments::from_moments(&mo.base, &mo.follow, mo.covariance);
    for (method, kind) in [
        ("fieller", ratio::RatioInterval::Fieller),
        ("delta_method", ratio::RatioInterval::Delta),
    ] {
        let r = ratio::ratio_of_means_pct_from(&ratio_moments, cl, kind);
        rows.push(place.row(
            "ratio_of_means_pct_change".into(),
            method,
            r,
            n,
            left_out,
            &notes,
        ));
    }
    let r = ratio::geometric_mean_pct(&cell.base, &cell.follow, cl);
    let used = r.n_used;
    rows.push(place.row(
        "geometric_mean_pct_change".into(),
        "log_t",
        r,
        used,
        cell.with_data - used,
        &notes,
    ));
    if options.pratt {
        let r = exact_rank::signed_rank_exact_pratt(sorted);
        rows.push(place.row(
            "pseudo_median_change".into(),
            "wilcoxon_exact_pratt",
            r,
            n,
            left_out,
            &notes,
        ));
    }
    let r = exact_rank::signed_rank_exact(sorted, cl, "pseudo-median change");
    rows.push(place.row(
        "pseudo_median_change".into(),
        "wilcoxon_exact",
        r,
        n,
        left_out,
        &notes,
    ));
    let dz = effect_size::cohen_dz_from(&mo.changes, cl);
    let r = effect_size::hedges_gz_from_dz(dz.clone());
    rows.push(place.row("cohen_dz".into(), "noncentral_t", dz, n, left_out, &notes));
    rows.push(place.row("hedges_gz".into(), "noncentral_t", r, n, left_out, &notes));
    let paired_moments =
        effect_size::PairedMoments::from_moments(&mo.base, &mo.follow, &mo.changes);
    for (estimand, standardiser, corrected) in [
        ("cohen_dav", effect_size::PairedStandardiser::Average, false),
        ("hedges_gav", effect_size::PairedStandardiser::Average, true),
        (
            "cohen_drm",
            effect_size::PairedStandardiser::RepeatedMeasures,
            false,
        ),
        (
            "hedges_grm",
            effect_size::PairedStandardiser::RepeatedMeasures,
            true,
        ),
    ] {
        let r = effect_size::paired_d_from(&paired_moments, standardiser, corrected);
        let mut point_notes = notes.clone();
        point_notes.push(
            "no exact interval for this standardiser; --bootstrap adds a BCa interval".to_string(),
        );
        rows.push(place.row(
            estimand.into(),
            "point_estimate",
            r,
            n,
            left_out,
            &point_notes,
        ));
        if options.bootstrap.is_some() && n > PERMUTATION_LIMIT {
            let mut r = TestResult::empty(n, Alternative::TwoSided);
            r.diagnostics.push(Diagnostic::TooLarge {
                what: "bootstrap of a paired standardised difference (O(n²) jackknife)",
                limit: PERMUTATION_LIMIT,
            });
            rows.push(place.row(estimand.into(), "bca_bootstrap", r, n, left_out, &notes));
        } else if let (Some(b), true) = (options.bootstrap, n >= 3) {
            // Resample patients (pairs): the bootstrap draws indices.
            let idx: Vec<f64> = (0..n).map(|i| i as f64).collect();
            let stat = |s: &[f64]| {
                let (bb, ff): (Vec<f64>, Vec<f64>) = s
                    .iter()
                    .map(|&i| (cell.base[i as usize], cell.follow[i as usize]))
                    .unzip();
                effect_size::paired_d(&bb, &ff, standardiser, corrected)
                    .estimate
                    .map(|e| e.value)
                    .unwrap_or(f64::NAN)
            };
            let boot =
                bootstrap::one_sample(&idx, stat, None::<fn(&[f64]) -> f64>, b, options.seed);
            let r = bootstrap::bca_result(&boot, cl, "standardised mean change");
            rows.push(place.row(estimand.into(), "bca_bootstrap", r, n, left_out, &notes));
        }
    }
    let r = effect_size::rank_biserial_paired(sorted, cl);
    rows.push(place.row(
        "rank_biserial_change".into(),
        "fisher_z",
        r,
        n,
        left_out,
        &notes,
    ));

    let mut responders = Vec::new();
    for &threshold in &options.responder_thresholds {
        let (k, m) = cell.responders(threshold, direction, rule);
        responders.push((threshold, k, m));
        let r = proportion::clopper_pearson(k, m, cl, "responder rate");
        rows.push(place.row(
            format!("responder{}_rate", threshold_label(threshold)),
            "clopper_pearson",
            r,
            m,
            cell.with_data - m,
            &pct_rate_notes,
        ));
    }
    let (cleared, m) = cell.cleared(options.clear_value, rule);
    let r = proportion::clopper_pearson(cleared, m, cl, "clearance rate");
    rows.push(place.row(
        "clearance_rate".into(),
        "clopper_pearson",
        r,
        m,
        cell.with_data - m,
        &rate_notes,
    ));

    let summary = CellSummary {
        endpoint: place.endpoint.to_string(),
        arm: place.arm.to_string(),
        visit: place.visit.to_string(),
        direction,
        n,
        baseline_mean: mo.base.mean,
        baseline_sd: mo.base.sd(),
        follow_up_mean: mo.follow.mean,
        follow_up_sd: mo.follow.sd(),
        responders,
        cleared: (cleared, m),
        pct_box: if options.patient_table {
            descriptive::box_stats(pct)
        } else {
            None
        },
    };
    (rows, summary)
}
