//! Between-arm rows: each non-control arm against the control arm at one follow-up visit.
//!
//! One small function per family of estimands; [`contrast`] lists them in the order the
//! results table prints them. ANCOVA, which fits all arms at once, is in `ancova`.

use super::cell::ArmVisit;
use super::row::{Estimand, Measure, Method, Place, RateStat, Response};
use super::within::{too_large, PERMUTATION_LIMIT};
use super::{AnalysisOptions, Direction, ResultRow};
use crate::stats::{
    bootstrap, descriptive, effect_size, exact_rank, fisher, mann_whitney, odds_ratio, permutation,
    proportion, rank_sum_exact_sas, rank_sum_sas, ttest,
};

/// An arm (x) and the control arm (y) at one visit, with the notes their rows carry.
struct Contrast<'a> {
    place: &'a Place<'a>,
    options: &'a AnalysisOptions,
    x: &'a ArmVisit,
    y: &'a ArmVisit,
    n: usize,
    left_out: usize,
    notes: Vec<String>,
    rate_notes: Vec<String>,
}

impl Contrast<'_> {
    fn row(&self, estimand: Measure, method: Method, r: crate::stats::TestResult) -> ResultRow {
        self.place
            .row(estimand, method, r, self.n, self.left_out, &self.notes)
    }
}

/// Each arm's notes, prefixed with whose they are.
pub(super) fn both_notes(
    place: &Place,
    options: &AnalysisOptions,
    x: &ArmVisit,
    y: &ArmVisit,
    rates: bool,
) -> Vec<String> {
    let rule = options.missing;
    let mut notes: Vec<String> = x
        .notes(place.visit, rule, rates)
        .into_iter()
        .map(|s| format!("{}: {s}", place.arm))
        .collect();
    notes.extend(
        y.notes(place.visit, rule, rates)
            .into_iter()
            .map(|s| format!("control: {s}")),
    );
    notes
}

/// The contrast rows of `arm` (x) against `control` (y), except ANCOVA (see `ancova`).
pub(super) fn contrast(
    place: &Place,
    options: &AnalysisOptions,
    x: &ArmVisit,
    y: &ArmVisit,
    direction: Direction,
) -> Vec<ResultRow> {
    let c = Contrast {
        place,
        options,
        x,
        y,
        n: x.n() + y.n(),
        left_out: (x.with_data - x.n()) + (y.with_data - y.n()),
        notes: both_notes(place, options, x, y, false),
        rate_notes: both_notes(place, options, x, y, true),
    };
    let mut rows = Vec::new();
    mean_rows(&c, &mut rows);
    rank_rows(&c, &mut rows);
    effect_size_rows(&c, &mut rows);
    response_rows(&c, direction, &mut rows);
    rows
}

/// Differences in mean change and mean percent change (Welch, Student), BCa, permutation.
fn mean_rows(c: &Contrast, rows: &mut Vec<ResultRow>) {
    let (cl, x, y) = (c.options.conf_level, c.x, c.y);
    let (mx, my) = (&x.moments.changes, &y.moments.changes);
    let t_tests = [(false, Method::WelchT), (true, Method::StudentT)];
    for (pooled, method) in t_tests {
        let r = ttest::two_sample_t_from(mx, my, cl, pooled, "difference in mean change");
        rows.push(c.row(Measure::MeanChangeDiff, method, r));
    }
    let ((px, zx), (py, zy)) = (x.pct_changes(), y.pct_changes());
    let mut pct_notes = c.notes.clone();
    if zx + zy > 0 {
        pct_notes.push(format!(
            "{} patient(s) with baseline 0 left out of percent change",
            zx + zy
        ));
    }
    let (mpx, mpy) = (&x.moments.pct, &y.moments.pct);
    for (pooled, method) in t_tests {
        let r = ttest::two_sample_t_from(mpx, mpy, cl, pooled, "difference in mean percent change");
        rows.push(c.place.row(
            Measure::MeanPctChangeDiff,
            method,
            r,
            px.len() + py.len(),
            c.left_out + zx + zy,
            &pct_notes,
        ));
    }
    let (cx, cy) = (x.changes(), y.changes());
    if let (Some(b), true) = (c.options.bootstrap, cx.len() >= 2 && cy.len() >= 2) {
        let boot = bootstrap::two_sample(
            cx,
            cy,
            |a, b| {
                descriptive::mean(a).unwrap_or(f64::NAN) - descriptive::mean(b).unwrap_or(f64::NAN)
            },
            None::<fn(&[f64], &[f64]) -> f64>,
            b,
            c.options.seed,
        );
        let r = bootstrap::bca_result(&boot, cl, "difference in mean change");
        rows.push(c.row(Measure::MeanChangeDiff, Method::BcaBootstrap, r));
    }
    if let Some(draws) = c.options.permutations {
        let r = if c.n <= PERMUTATION_LIMIT {
            permutation::label_permutation_draws(cx, cy, draws, c.options.seed)
        } else {
            too_large(c.n, "permutation test")
        };
        rows.push(c.row(Measure::MeanChangeDiff, Method::Permutation, r));
    }
}

/// Hodges–Lehmann shift with the Mann–Whitney test, asymptotic and exact (on the sorted
/// copies, see `ArmVisit::sorted_changes`).
fn rank_rows(c: &Contrast, rows: &mut Vec<ResultRow>) {
    let cl = c.options.conf_level;
    let (sx, sy) = (c.x.sorted_changes(), c.y.sorted_changes());
    let r = mann_whitney::rank_sum(sx, sy, cl, "location shift of change");
    rows.push(c.row(Measure::LocationShiftChange, Method::MannWhitney, r));
    let r = exact_rank::rank_sum_exact(sx, sy, cl, "location shift of change");
    let method = if r.p_value_method == Some(crate::stats::PValueMethod::NormalApproximation) {
        Method::MannWhitneyAsymptotic
    } else {
        Method::MannWhitneyExact
    };
    rows.push(c.row(Measure::LocationShiftChange, method, r));
    if c.options.convention.is_sas() {
        let r = rank_sum_sas::rank_sum_sas(sx, sy, cl, "location shift of change");
        rows.push(c.row(Measure::LocationShiftChange, Method::MannWhitneySas, r));
        let r = rank_sum_exact_sas::rank_sum_exact_sas(sx, sy, cl, "location shift of change");
        rows.push(c.row(Measure::LocationShiftChange, Method::MannWhitneyExactSas, r));
    }
}

/// Glass's delta, rank-biserial correlation (= Cliff's delta) and Hedges' g of change.
fn effect_size_rows(c: &Contrast, rows: &mut Vec<ResultRow>) {
    let cl = c.options.conf_level;
    let (mx, my) = (&c.x.moments.changes, &c.y.moments.changes);
    let r = effect_size::glass_delta_from(mx, my, cl);
    rows.push(c.row(Measure::GlassDeltaChange, Method::NoncentralT, r));
    let (sx, sy) = (c.x.sorted_changes(), c.y.sorted_changes());
    let r = effect_size::rank_biserial_two_sample(sx, sy, cl);
    rows.push(c.row(Measure::RankBiserialChange, Method::FisherZ, r.clone()));
    rows.push(c.row(Measure::CliffsDeltaChange, Method::FisherZ, r));
    let r = effect_size::hedges_g_from(mx, my, cl);
    rows.push(c.row(Measure::HedgesGChange, Method::NoncentralT, r));
}

/// For each responder threshold and clearance: Newcombe difference, Fisher odds ratio and
/// log risk ratio.
fn response_rows(c: &Contrast, direction: Direction, rows: &mut Vec<ResultRow>) {
    let (cl, rule) = (c.options.conf_level, c.options.missing);
    let with_data = c.x.with_data + c.y.with_data;
    let binary = |response: Response,
                  (k1, n1): (usize, usize),
                  (k2, n2): (usize, usize),
                  rows: &mut Vec<ResultRow>| {
        let m = n1 + n2;
        let mut push = |stat: RateStat, method: Method, r| {
            rows.push(c.place.row(
                Estimand::Response(response, stat),
                method,
                r,
                m,
                with_data - m,
                &c.rate_notes,
            ));
        };
        let r = proportion::newcombe_difference(k1, n1, k2, n2, cl, "difference in proportions");
        push(RateStat::Diff, Method::Newcombe, r);
        let r = fisher::fisher_exact(k1, n1 - k1, k2, n2 - k2, cl, "odds ratio");
        push(RateStat::OddsRatio, Method::FisherExact, r);
        if c.options.convention.is_sas() {
            let r = odds_ratio::woolf(k1, n1, k2, n2, cl, "odds ratio");
            push(RateStat::OddsRatio, Method::Woolf, r);
        }
        let r = proportion::risk_ratio_log(k1, n1, k2, n2, cl, "risk ratio");
        push(RateStat::RiskRatio, Method::Log, r);
    };
    for &threshold in &c.options.responder_thresholds {
        binary(
            Response::Responder(threshold),
            c.x.responders(threshold, direction, rule),
            c.y.responders(threshold, direction, rule),
            rows,
        );
    }
    binary(
        Response::Clearance,
        c.x.cleared(c.options.clear_value, rule),
        c.y.cleared(c.options.clear_value, rule),
        rows,
    );
}
