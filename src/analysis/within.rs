//! Within-arm rows: change and percent change from baseline in one arm at one visit.
//!
//! One small function per family of estimands; [`within_arm`] lists them in the order the
//! results table prints them.

use super::cell::ArmVisit;
use super::row::{Measure, Method, Place, RateStat, Response};
use super::{AnalysisOptions, CellSummary, Direction, ResultRow};
use crate::stats::{
    bootstrap, descriptive, effect_size, exact_rank, permutation, proportion, ratio,
    risk_difference, signed_rank_sas, ttest, wilcoxon, Alternative, Diagnostic, PValueMethod,
    TestResult,
};

/// Above this many patients in a cell the permutation rows are not computed (Monte-Carlo cost
/// grows as patients × 100,000 draws); the t test answers the same question there.
pub(super) const PERMUTATION_LIMIT: usize = 2000;

/// Text for a threshold in an estimand name: 50 → "50", 62.5 → "62.5".
pub fn threshold_label(p: f64) -> String {
    format!("{p}")
}

/// A result standing in for a computation skipped because the cell is too large.
pub(super) fn too_large(n: usize, what: &'static str) -> TestResult {
    let mut r = TestResult::empty(n, Alternative::TwoSided);
    r.diagnostics.push(Diagnostic::TooLarge {
        what,
        limit: PERMUTATION_LIMIT,
    });
    r
}

/// One arm at one visit, with the notes its rows carry.
struct Within<'a> {
    place: &'a Place<'a>,
    options: &'a AnalysisOptions,
    cell: &'a ArmVisit,
    n: usize,
    left_out: usize,
    notes: Vec<String>,
    /// `notes` plus the patients with baseline 0 (percent rows).
    pct_notes: Vec<String>,
    /// Notes of the rate rows (NRI counts missing values as non-responders).
    rate_notes: Vec<String>,
    pct_rate_notes: Vec<String>,
    zero_baseline: usize,
}

impl Within<'_> {
    /// A row over every patient of the cell, with the cell's notes.
    fn row(&self, estimand: Measure, method: Method, r: TestResult) -> ResultRow {
        self.place
            .row(estimand, method, r, self.n, self.left_out, &self.notes)
    }

    /// A row over the patients with a percent change.
    fn pct_row(&self, estimand: Measure, method: Method, r: TestResult) -> ResultRow {
        let used = self.cell.pct_changes().0.len();
        self.place.row(
            estimand,
            method,
            r,
            used,
            self.left_out + self.zero_baseline,
            &self.pct_notes,
        )
    }
}

/// All within-arm rows for one arm at one follow-up visit.
pub(super) fn within_arm(
    place: &Place,
    options: &AnalysisOptions,
    cell: &ArmVisit,
    direction: Direction,
) -> (Vec<ResultRow>, CellSummary) {
    let rule = options.missing;
    let n = cell.n();
    let notes = cell.notes(place.visit, rule, false);
    let rate_notes = cell.notes(place.visit, rule, true);
    let zero_baseline = cell.pct_changes().1;
    let (mut pct_notes, mut pct_rate_notes) = (notes.clone(), rate_notes.clone());
    if zero_baseline > 0 {
        let z = format!("{zero_baseline} patient(s) with baseline 0 left out of percent change");
        pct_notes.push(z.clone());
        pct_rate_notes.push(z);
    }
    let w = Within {
        place,
        options,
        cell,
        n,
        left_out: cell.with_data - n,
        notes,
        pct_notes,
        rate_notes,
        pct_rate_notes,
        zero_baseline,
    };
    let mut rows = Vec::new();
    location_rows(&w, &mut rows);
    ratio_rows(&w, &mut rows);
    exact_rank_rows(&w, &mut rows);
    effect_size_rows(&w, &mut rows);
    let (responders, cleared) = rate_rows(&w, direction, &mut rows);

    let mo = &cell.moments;
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
        cleared,
        pct_box: if options.patient_table {
            descriptive::box_stats(cell.pct_changes().0)
        } else {
            None
        },
    };
    (rows, summary)
}

/// Mean change (t), mean percent change (t, BCa), the sign-flip permutation test and the
/// Hodges–Lehmann pseudo-median.
fn location_rows(w: &Within, rows: &mut Vec<ResultRow>) {
    let (cl, mo) = (w.options.conf_level, &w.cell.moments);
    let r = ttest::one_sample_t_from(&mo.changes, 0.0, cl, Alternative::TwoSided, "mean change");
    rows.push(w.row(Measure::MeanChange, Method::PairedT, r));
    let r = ttest::one_sample_t_from(
        &mo.pct,
        0.0,
        cl,
        Alternative::TwoSided,
        "mean percent change",
    );
    rows.push(w.pct_row(Measure::MeanPctChange, Method::OneSampleT, r));
    let pct = w.cell.pct_changes().0;
    if let (Some(b), true) = (w.options.bootstrap, pct.len() >= 2) {
        let boot = bootstrap::one_sample_mean(pct, b, w.options.seed);
        let r = bootstrap::bca_result(&boot, cl, "mean percent change");
        rows.push(w.pct_row(Measure::MeanPctChange, Method::BcaBootstrap, r));
    }
    if let Some(draws) = w.options.permutations {
        let r = if w.n <= PERMUTATION_LIMIT {
            permutation::sign_flip_draws(w.cell.changes(), draws, w.options.seed)
        } else {
            too_large(w.n, "permutation test")
        };
        rows.push(w.row(Measure::MeanChange, Method::Permutation, r));
    }
    let r = wilcoxon::signed_rank(w.cell.sorted_changes(), cl, "pseudo-median change");
    rows.push(w.row(Measure::PseudoMedianChange, Method::WilcoxonSignedRank, r));
    if w.options.convention.is_sas() {
        let r = signed_rank_sas::signed_rank_sas(w.cell.sorted_changes());
        rows.push(w.row(
            Measure::PseudoMedianChange,
            Method::WilcoxonSignedRankSas,
            r,
        ));
    }
}

/// Percent change of the means (Fieller, delta method) and the geometric mean ratio.
fn ratio_rows(w: &Within, rows: &mut Vec<ResultRow>) {
    let (cl, mo) = (w.options.conf_level, &w.cell.moments);
    let moments = ratio::RatioMoments::from_moments(&mo.base, &mo.follow, mo.covariance);
    for (method, kind) in [
        (Method::Fieller, ratio::RatioInterval::Fieller),
        (Method::DeltaMethod, ratio::RatioInterval::Delta),
    ] {
        let r = ratio::ratio_of_means_pct_from(&moments, cl, kind);
        rows.push(w.row(Measure::RatioOfMeansPctChange, method, r));
    }
    let r = ratio::geometric_mean_pct(&w.cell.base, &w.cell.follow, cl);
    let used = r.n_used;
    rows.push(w.place.row(
        Measure::GeometricMeanPctChange,
        Method::LogT,
        r,
        used,
        w.cell.with_data - used,
        &w.notes,
    ));
}

/// Exact signed-rank rows (Pratt's zeros on request).
fn exact_rank_rows(w: &Within, rows: &mut Vec<ResultRow>) {
    let sorted = w.cell.sorted_changes();
    if w.options.pratt {
        let r = exact_rank::signed_rank_exact_pratt(sorted);
        rows.push(w.row(Measure::PseudoMedianChange, Method::WilcoxonExactPratt, r));
    }
    let r = exact_rank::signed_rank_exact(sorted, w.options.conf_level, "pseudo-median change");
    // Above the exact limit the row says it is the asymptotic test: never an `_exact` row
    // that is approximate.
    let method = if r.p_value_method == Some(PValueMethod::NormalApproximation) {
        Method::WilcoxonAsymptotic
    } else {
        Method::WilcoxonExact
    };
    rows.push(w.row(Measure::PseudoMedianChange, method, r));
}

/// Standardised mean changes (dz, gz with exact intervals; dav, gav, drm, grm as points with an
/// optional BCa interval) and the matched-pairs rank-biserial correlation.
fn effect_size_rows(w: &Within, rows: &mut Vec<ResultRow>) {
    let (cl, mo, n) = (w.options.conf_level, &w.cell.moments, w.n);
    let dz = effect_size::cohen_dz_from(&mo.changes, cl);
    let gz = effect_size::hedges_gz_from_dz(dz.clone());
    rows.push(w.row(Measure::CohenDz, Method::NoncentralT, dz));
    rows.push(w.row(Measure::HedgesGz, Method::NoncentralT, gz));
    let moments = effect_size::PairedMoments::from_moments(&mo.base, &mo.follow, &mo.changes);
    use effect_size::PairedStandardiser::{Average, RepeatedMeasures};
    for (estimand, standardiser, corrected) in [
        (Measure::CohenDav, Average, false),
        (Measure::HedgesGav, Average, true),
        (Measure::CohenDrm, RepeatedMeasures, false),
        (Measure::HedgesGrm, RepeatedMeasures, true),
    ] {
        let r = effect_size::paired_d_from(&moments, standardiser, corrected);
        let mut point_notes = w.notes.clone();
        point_notes.push(
            "no exact interval for this standardiser; --bootstrap adds a BCa interval".to_string(),
        );
        rows.push(w.place.row(
            estimand,
            Method::PointEstimate,
            r,
            n,
            w.left_out,
            &point_notes,
        ));
        let Some(b) = w.options.bootstrap else {
            continue;
        };
        if n > PERMUTATION_LIMIT {
            let what = "bootstrap of a paired standardised difference (O(n²) jackknife)";
            rows.push(w.row(estimand, Method::BcaBootstrap, too_large(n, what)));
        } else if n >= 3 {
            // Resample patients (pairs): the bootstrap draws indices.
            let (base, follow) = (&w.cell.base, &w.cell.follow);
            let idx: Vec<f64> = (0..n).map(|i| i as f64).collect();
            let stat = |s: &[f64]| {
                let (bb, ff): (Vec<f64>, Vec<f64>) = s
                    .iter()
                    .map(|&i| (base[i as usize], follow[i as usize]))
                    .unzip();
                effect_size::paired_d(&bb, &ff, standardiser, corrected)
                    .estimate
                    .map(|e| e.value)
                    .unwrap_or(f64::NAN)
            };
            let boot =
                bootstrap::one_sample(&idx, stat, None::<fn(&[f64]) -> f64>, b, w.options.seed);
            let r = bootstrap::bca_result(&boot, cl, "standardised mean change");
            rows.push(w.row(estimand, Method::BcaBootstrap, r));
        }
    }
    let r = effect_size::rank_biserial_paired(w.cell.sorted_changes(), cl);
    rows.push(w.row(Measure::RankBiserialChange, Method::FisherZ, r));
}

/// Responder and clearance rates with exact intervals; returns the counts for the summary.
#[allow(clippy::type_complexity)]
fn rate_rows(
    w: &Within,
    direction: Direction,
    rows: &mut Vec<ResultRow>,
) -> (Vec<(f64, usize, usize)>, (usize, usize)) {
    let (cl, rule) = (w.options.conf_level, w.options.missing);
    let mut responders = Vec::new();
    for &threshold in &w.options.responder_thresholds {
        let (k, m) = w.cell.responders(threshold, direction, rule);
        responders.push((threshold, k, m));
        let rate = super::Estimand::Response(Response::Responder(threshold), RateStat::Rate);
        for (method, r) in [
            (
                Method::ClopperPearson,
                proportion::clopper_pearson(k, m, cl, "responder rate"),
            ),
            (
                Method::Jeffreys,
                proportion::jeffreys(k, m, cl, "responder rate"),
            ),
            (
                Method::Wilson,
                risk_difference::wilson_result(k, m, cl, "responder rate"),
            ),
        ] {
            let left_out = w.cell.with_data - m;
            rows.push(w.place.row(rate, method, r, m, left_out, &w.pct_rate_notes));
        }
    }
    let (cleared, m) = w.cell.cleared(w.options.clear_value, rule);
    let rate = super::Estimand::Response(Response::Clearance, RateStat::Rate);
    for (method, r) in [
        (
            Method::ClopperPearson,
            proportion::clopper_pearson(cleared, m, cl, "clearance rate"),
        ),
        (
            Method::Jeffreys,
            proportion::jeffreys(cleared, m, cl, "clearance rate"),
        ),
        (
            Method::Wilson,
            risk_difference::wilson_result(cleared, m, cl, "clearance rate"),
        ),
    ] {
        rows.push(
            w.place
                .row(rate, method, r, m, w.cell.with_data - m, &w.rate_notes),
        );
    }
    (responders, (cleared, m))
}
