//! What the responder table and the responder figures need beyond the result rows: the counts
//! behind each response rate (n/N per arm and visit), and, with `--strata`, each stratum's
//! 2 × 2 table of a contrast with its own difference in proportions (Newcombe), for the forest
//! of stratum-level differences. Computed here so that `report` and `plot` compute nothing.
//! Adds no row to the results table.

use super::cell::ArmVisit;
use super::defined_responses;
use super::responders::{ResponderContrast, Strata};
use super::row::{response_name, Response};
use crate::stats::{proportion, TestResult};

/// Responders among the patients behind one response rate of one arm at one visit.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseCount {
    pub endpoint: String,
    pub arm: String,
    pub visit: String,
    pub response: Response,
    pub responders: usize,
    /// Patients in the denominator (the `n` of the rate rows).
    pub patients: usize,
}

/// One stratum of a contrast: the arm's and the control's responders and patients, and the
/// difference in proportions (arm − control) with its Newcombe interval.
#[derive(Debug, Clone)]
pub struct StratumDifference {
    pub endpoint: String,
    pub arm: String,
    pub control: String,
    pub visit: String,
    pub response: Response,
    /// The stratum's label (the `--strata` columns' values joined).
    pub stratum: String,
    /// (responders, patients) of the arm.
    pub arm_counts: (usize, usize),
    /// (responders, patients) of the control arm.
    pub control_counts: (usize, usize),
    /// Empty (with a diagnostic) when one of the arms has no patient in the stratum.
    pub difference: TestResult,
}

fn count(v: &[(usize, bool)]) -> (usize, usize) {
    (v.iter().filter(|(_, r)| *r).count(), v.len())
}

/// The responses of the contrast with each arm's responder flags: the built-in responders,
/// clearance, then the `--response` definitions on this endpoint.
type Flagged = (Response, Vec<(usize, bool)>, Vec<(usize, bool)>);

fn flagged(c: &ResponderContrast) -> Vec<Flagged> {
    let (rule, direction) = (c.options.missing, c.direction);
    let mut out = Vec::new();
    for &t in &c.options.responder_thresholds {
        out.push((
            Response::Responder(t),
            c.x.responder_flags(t, direction, rule),
            c.y.responder_flags(t, direction, rule),
        ));
    }
    let clear = c.options.clear_value;
    out.push((
        Response::Clearance,
        c.x.clearance_flags(clear, rule),
        c.y.clearance_flags(clear, rule),
    ));
    for def in defined_responses::for_endpoint(c.options, c.place.endpoint) {
        out.push((
            Response::Named(response_name(&def.name)),
            defined_responses::flags(c.x, def, rule),
            defined_responses::flags(c.y, def, rule),
        ));
    }
    out
}

/// Each response of the contrast per stratum (strata with no patient in either arm left out),
/// in the order of the strata's labels.
pub(super) fn stratum_differences(
    c: &ResponderContrast,
    strata: &Strata,
) -> Vec<StratumDifference> {
    let control = match &c.place.comparison {
        super::Comparison::Versus(control) => control.clone(),
        super::Comparison::Within | super::Comparison::AllArms => return Vec::new(),
    };
    let k = strata.labels.len();
    let mut out = Vec::new();
    for (response, x, y) in flagged(c) {
        let mut table = vec![((0usize, 0usize), (0usize, 0usize)); k];
        for &(p, r) in &x {
            let cell = &mut table[strata.codes[p] as usize].0;
            cell.0 += usize::from(r);
            cell.1 += 1;
        }
        for &(p, r) in &y {
            let cell = &mut table[strata.codes[p] as usize].1;
            cell.0 += usize::from(r);
            cell.1 += 1;
        }
        for (label, (a, b)) in strata.labels.iter().zip(table) {
            if a.1 + b.1 == 0 {
                continue;
            }
            let difference = proportion::newcombe_difference(
                a.0,
                a.1,
                b.0,
                b.1,
                c.options.conf_level,
                "difference in proportions",
            );
            out.push(StratumDifference {
                endpoint: c.place.endpoint.to_string(),
                arm: c.place.arm.to_string(),
                control: control.clone(),
                visit: c.place.visit.to_string(),
                response,
                stratum: label.clone(),
                arm_counts: a,
                control_counts: b,
                difference,
            });
        }
    }
    out
}

/// The counts behind the rate rows of one arm at one visit: the built-in responders and
/// clearance (as the cell summary has them) and the `--response` definitions.
pub(super) fn response_counts(
    place: &super::row::Place,
    options: &super::AnalysisOptions,
    cell: &ArmVisit,
    summary: &super::CellSummary,
) -> Vec<ResponseCount> {
    let make = |response, (responders, patients): (usize, usize)| ResponseCount {
        endpoint: place.endpoint.to_string(),
        arm: place.arm.to_string(),
        visit: place.visit.to_string(),
        response,
        responders,
        patients,
    };
    let mut out: Vec<ResponseCount> = summary
        .responders
        .iter()
        .map(|&(t, k, n)| make(Response::Responder(t), (k, n)))
        .collect();
    out.push(make(Response::Clearance, summary.cleared));
    for def in defined_responses::for_endpoint(options, place.endpoint) {
        let flags = defined_responses::flags(cell, def, options.missing);
        out.push(make(
            Response::Named(response_name(&def.name)),
            count(&flags),
        ));
    }
    out
}
