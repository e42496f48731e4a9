//! Rows of the user-defined responses (`--response`, parsed in `response_expr`): for the named
//! endpoint, the same rows as `responder{P}` — rates per arm (Clopper–Pearson, Jeffreys,
//! Wilson) and, against the control arm, the difference (Newcombe), Fisher's odds ratio, the log
//! risk ratio and the rows of `responders` (MN, exact unconditional, stratified).

use super::cell::{ArmVisit, MissingRule};
use super::responders::{response_rows, ResponderContrast};
use super::response_expr::{PatientValues, ResponseDefinition};
use super::row::{response_name, Estimand, Method, Place, RateStat, Response};
use super::{AnalysisOptions, ResultRow};
use crate::stats::{fisher, proportion, risk_difference};

/// Each patient of the cell in the definition's denominator, with whether they respond. Under
/// NRI a patient without a follow-up value is a non-responder when the `where` part (which can
/// only use the baseline then) holds.
pub(super) fn flags(
    cell: &ArmVisit,
    def: &ResponseDefinition,
    rule: MissingRule,
) -> Vec<(usize, bool)> {
    let mut out = Vec::with_capacity(cell.n());
    for ((&p, &b), &f) in cell.patients.iter().zip(&cell.base).zip(&cell.follow) {
        let values = PatientValues {
            baseline: b,
            value: Some(f),
        };
        if let Some(r) = def.classify(&values) {
            out.push((p, r));
        }
    }
    // A patient without a follow-up value counts as a non-responder under NRI, and under the
    // composite strategy when the intercurrent event happened by this visit (as the built-in
    // responder rows do).
    let missing = cell.missing_follow_up_patients.iter();
    for (&p, &b) in missing.zip(&cell.missing_follow_up_base) {
        if rule != MissingRule::Nri && !cell.failed(p) {
            continue;
        }
        let values = PatientValues {
            baseline: b,
            value: None,
        };
        let in_population = def
            .population
            .as_ref()
            .is_none_or(|w| w.eval(&values) == Some(true));
        if in_population {
            out.push((p, false));
        }
    }
    // Composite strategy: a patient with the event by this visit is a non-responder.
    cell.apply_composite(&mut out);
    out
}

fn counts(v: &[(usize, bool)]) -> (usize, usize) {
    (v.iter().filter(|(_, r)| *r).count(), v.len())
}

/// The definitions on this endpoint.
pub(super) fn for_endpoint<'a>(
    options: &'a AnalysisOptions,
    endpoint: &'a str,
) -> impl Iterator<Item = &'a ResponseDefinition> {
    options
        .responses
        .iter()
        .filter(move |d| d.endpoint == endpoint)
}

/// Rate rows of one arm at one visit.
pub(super) fn within_rows(
    place: &Place,
    options: &AnalysisOptions,
    cell: &ArmVisit,
    notes: &[String],
) -> Vec<ResultRow> {
    let cl = options.conf_level;
    let mut rows = Vec::new();
    for def in for_endpoint(options, place.endpoint) {
        let (k, m) = counts(&flags(cell, def, options.missing));
        let rate = Estimand::Response(Response::Named(response_name(&def.name)), RateStat::Rate);
        let label = "response rate";
        for (method, r) in [
            (
                Method::ClopperPearson,
                proportion::clopper_pearson(k, m, cl, label),
            ),
            (Method::Jeffreys, proportion::jeffreys(k, m, cl, label)),
            (
                Method::Wilson,
                risk_difference::wilson_result(k, m, cl, label),
            ),
        ] {
            rows.push(place.row(rate, method, r, m, cell.with_data - m, notes));
        }
    }
    rows
}

/// Contrast rows of one arm against the control arm at one visit.
pub(super) fn contrast_rows(c: &ResponderContrast) -> Vec<ResultRow> {
    let cl = c.options.conf_level;
    let with_data = c.x.with_data + c.y.with_data;
    let mut rows = Vec::new();
    for def in for_endpoint(c.options, c.place.endpoint) {
        let response = Response::Named(response_name(&def.name));
        let x = flags(c.x, def, c.options.missing);
        let y = flags(c.y, def, c.options.missing);
        let ((k1, n1), (k2, n2)) = (counts(&x), counts(&y));
        let m = n1 + n2;
        for (stat, method, r) in [
            (
                RateStat::Diff,
                Method::Newcombe,
                proportion::newcombe_difference(k1, n1, k2, n2, cl, "difference in proportions"),
            ),
            (
                RateStat::OddsRatio,
                Method::FisherExact,
                fisher::fisher_exact(k1, n1 - k1, k2, n2 - k2, cl, "odds ratio"),
            ),
            (
                RateStat::RiskRatio,
                Method::Log,
                proportion::risk_ratio_log(k1, n1, k2, n2, cl, "risk ratio"),
            ),
        ] {
            rows.push(c.place.row(
                Estimand::Response(response, stat),
                method,
                r,
                m,
                with_data - m,
                c.notes,
            ));
        }
        if c.options.convention.is_sas() {
            rows.push(c.place.row(
                Estimand::Response(response, RateStat::OddsRatio),
                Method::Woolf,
                crate::stats::odds_ratio::woolf(k1, n1, k2, n2, cl, "odds ratio"),
                m,
                with_data - m,
                c.notes,
            ));
        }
        response_rows(c, response, &x, &y, &mut rows);
    }
    rows
}
