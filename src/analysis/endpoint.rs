//! The driver: every endpoint with all its follow-up visits.
//!
//! Per-visit analyses (within-arm rows, contrasts, ANCOVA) run per endpoint × visit, in
//! parallel. Analyses that need every visit of an endpoint at once — a repeated-measures model,
//! multiple imputation — implement [`EndpointAnalysis`] and are listed in [`ENDPOINT_ANALYSES`]:
//! the driver then keeps the endpoint's per-visit cells and hands them over together. A new
//! longitudinal model is one new module plus one line in that list.
//!
//! The order of the rows does not depend on the number of threads: per endpoint, the
//! within-arm rows by visit, then the contrasts by visit, then the endpoint-level rows.

use super::cell::{self, ArmVisit};
use super::responder_detail::{self, ResponseCount, StratumDifference};
use super::row::{Comparison, Place};
use super::{
    ancova, between, defined_responses, ordinal, responders, within, AnalysisOptions, CellSummary,
    Direction, Name, PatientChange, ResultRow,
};
use crate::data::Cohort;
use rayon::prelude::*;

/// What the driver knows before any cell is computed.
pub(super) struct Plan<'a> {
    pub cohort: &'a Cohort,
    pub options: &'a AnalysisOptions,
    /// Per endpoint.
    pub directions: &'a [Direction],
    pub baseline: usize,
    pub control: Option<usize>,
    /// Follow-up visits (indices into `cohort.visits`), in time order.
    pub follow_ups: &'a [usize],
    /// One stratum per patient (`--strata`), if any.
    pub strata: Option<responders::Strata>,
    /// Shared names for the patient table (empty without `patient_table`).
    pub names: &'a Names,
}

/// The cohort's names as shared strings, made once: each row of the patient table points at
/// them instead of owning copies (at registry scale, 10 million rows × 4 names).
#[derive(Default)]
pub(super) struct Names {
    endpoints: Vec<Name>,
    arms: Vec<Name>,
    visits: Vec<Name>,
    patients: Vec<Name>,
}

impl Names {
    pub(super) fn new(cohort: &Cohort) -> Self {
        let share =
            |v: &mut dyn Iterator<Item = &String>| v.map(|s| Name::from(s.as_str())).collect();
        Names {
            endpoints: share(&mut cohort.endpoints.iter()),
            arms: share(&mut cohort.arms.iter()),
            visits: share(&mut cohort.visits.iter().map(|v| &v.name)),
            patients: share(&mut cohort.patients.iter().map(|p| &p.id)),
        }
    }
}

/// One endpoint with every follow-up visit: what an [`EndpointAnalysis`] sees.
#[allow(dead_code)] // read by the endpoint-level analyses as they are added
pub(super) struct EndpointVisits<'a> {
    pub plan: &'a Plan<'a>,
    /// Index into `cohort.endpoints`.
    pub endpoint: usize,
    /// `cells[i][arm]`: the arm at follow-up visit `plan.follow_ups[i]`, under `--missing`.
    pub cells: Vec<Vec<ArmVisit>>,
}

/// An analysis over all follow-up visits of one endpoint at once.
pub(super) trait EndpointAnalysis: Sync {
    /// Whether it runs for this endpoint (only then are the endpoint's cells kept for it).
    fn applies(&self, plan: &Plan, endpoint: usize) -> bool;
    /// Its rows, appended after the endpoint's per-visit rows.
    fn rows(&self, input: &EndpointVisits) -> Vec<ResultRow>;
}

/// Every endpoint-level analysis, in the order their rows are written.
pub(super) const ENDPOINT_ANALYSES: &[&dyn EndpointAnalysis] = &[&super::mmrm::analyze::MmrmRows];

/// Everything the driver produced.
pub(super) struct Output {
    pub rows: Vec<ResultRow>,
    pub cells: Vec<CellSummary>,
    pub patients: Vec<PatientChange>,
    /// With `--response` or `--strata` only: see [`responder_detail`].
    pub response_counts: Vec<ResponseCount>,
    pub stratum_differences: Vec<StratumDifference>,
}

/// What one endpoint at one follow-up visit contributes.
struct VisitResult {
    within: Vec<ResultRow>,
    cells: Vec<CellSummary>,
    patients: Vec<PatientChange>,
    between: Vec<ResultRow>,
    response_counts: Vec<ResponseCount>,
    stratum_differences: Vec<StratumDifference>,
    /// The arms at this visit, kept only for the endpoint-level analyses.
    arm_cells: Option<Vec<ArmVisit>>,
}

/// Run every analysis of every endpoint, calling `progress(done, total)` as each endpoint ×
/// visit is finished (from any thread).
pub(super) fn run(plan: &Plan, progress: &(dyn Fn(usize, usize) + Sync)) -> Output {
    let (cohort, follow_ups) = (plan.cohort, plan.follow_ups);
    let keep: Vec<bool> = (0..cohort.endpoints.len())
        .map(|e| ENDPOINT_ANALYSES.iter().any(|a| a.applies(plan, e)))
        .collect();
    let jobs: Vec<(usize, usize)> = (0..cohort.endpoints.len())
        .flat_map(|e| (0..follow_ups.len()).map(move |fi| (e, fi)))
        .collect();
    let done = std::sync::atomic::AtomicUsize::new(0);
    let results: Vec<VisitResult> = jobs
        .par_iter()
        .map(|&(e, fi)| {
            let r = endpoint_visit(plan, e, fi, keep[e]);
            let d = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
            progress(d, jobs.len());
            r
        })
        .collect();
    let mut out = Output {
        rows: Vec::new(),
        cells: Vec::new(),
        patients: Vec::new(),
        response_counts: Vec::new(),
        stratum_differences: Vec::new(),
    };
    let mut between_rows = Vec::new();
    let mut kept = Vec::new();
    for (k, r) in results.into_iter().enumerate() {
        let (e, fi) = jobs[k];
        out.rows.extend(r.within);
        out.cells.extend(r.cells);
        out.patients.extend(r.patients);
        out.response_counts.extend(r.response_counts);
        out.stratum_differences.extend(r.stratum_differences);
        between_rows.extend(r.between);
        kept.extend(r.arm_cells);
        if fi + 1 == follow_ups.len() {
            out.rows.append(&mut between_rows);
            if keep[e] {
                let input = EndpointVisits {
                    plan,
                    endpoint: e,
                    cells: std::mem::take(&mut kept),
                };
                for analysis in ENDPOINT_ANALYSES {
                    if analysis.applies(plan, e) {
                        out.rows.extend(analysis.rows(&input));
                    }
                }
            }
        }
    }
    out
}

/// The per-visit rows of endpoint `e` at follow-up visit `follow_ups[fi]`.
fn endpoint_visit(plan: &Plan, e: usize, fi: usize, keep_cells: bool) -> VisitResult {
    let (cohort, options) = (plan.cohort, plan.options);
    let endpoint = &cohort.endpoints[e];
    let v = plan.follow_ups[fi];
    let visit = &cohort.visits[v].name;
    let mut out = VisitResult {
        within: Vec::new(),
        cells: Vec::new(),
        patients: Vec::new(),
        between: Vec::new(),
        response_counts: Vec::new(),
        stratum_differences: Vec::new(),
        arm_cells: None,
    };
    // The responder table and figures' extra numbers, only when they are asked for.
    let responder_detail = !options.responses.is_empty() || plan.strata.is_some();
    // LOCF may carry the baseline and the follow-ups before this one.
    let earlier: Vec<usize> = std::iter::once(plan.baseline)
        .chain(plan.follow_ups[..fi].iter().copied())
        .collect();
    let mut arm_cells = cell::arm_visits(cohort, e, plan.baseline, v, &earlier, options.missing);
    if let Some(ic) = &options.intercurrent {
        if ic.strategy == super::Strategy::Composite {
            for c in &mut arm_cells {
                let mut failed: Vec<usize> = c
                    .patients
                    .iter()
                    .chain(&c.missing_follow_up_patients)
                    .copied()
                    .filter(|&p| ic.first_event[p].is_some_and(|ev| ev <= v))
                    .collect();
                failed.sort_unstable();
                c.composite_failures = failed;
            }
        }
    }
    for (arm, c) in arm_cells.iter().enumerate() {
        if options.patient_table {
            out.patients.extend(patient_changes(plan, c, e, arm, v));
        }
        let place = Place {
            endpoint,
            arm: &cohort.arms[arm],
            visit,
            comparison: Comparison::Within,
        };
        let (cell_rows, summary) = within::within_arm(&place, options, c, plan.directions[e]);
        out.within.extend(cell_rows);
        if !options.responses.is_empty() {
            let notes = c.notes(visit, options.missing, true);
            out.within
                .extend(defined_responses::within_rows(&place, options, c, &notes));
        }
        if responder_detail {
            let counts = responder_detail::response_counts(&place, options, c, &summary);
            out.response_counts.extend(counts);
        }
        out.cells.push(summary);
    }
    if let Some(ctrl) = plan.control {
        let cl = options.conf_level;
        out.between.extend(ancova::ancova(
            cohort, endpoint, visit, &arm_cells, ctrl, cl,
        ));
        for (arm, c) in arm_cells.iter().enumerate() {
            if arm == ctrl {
                continue;
            }
            let place = Place {
                endpoint,
                arm: &cohort.arms[arm],
                visit,
                comparison: Comparison::Versus(cohort.arms[ctrl].clone()),
            };
            let direction = plan.directions[e];
            let rows = between::contrast(&place, options, c, &arm_cells[ctrl], direction);
            out.between.extend(rows);
            let notes = between::both_notes(&place, options, c, &arm_cells[ctrl], true);
            let responder_contrast = responders::ResponderContrast {
                place: &place,
                options,
                x: c,
                y: &arm_cells[ctrl],
                direction,
                strata: plan.strata.as_ref(),
                notes: &notes,
            };
            out.between.extend(responders::rows(&responder_contrast));
            if options.ordinal.iter().any(|o| o == endpoint) {
                out.between.extend(ordinal::rows(
                    cohort,
                    &place,
                    (e, v),
                    (arm, ctrl),
                    plan.strata.as_ref(),
                ));
            }
            out.between
                .extend(defined_responses::contrast_rows(&responder_contrast));
            if let Some(strata) = plan.strata.as_ref() {
                out.stratum_differences
                    .extend(responder_detail::stratum_differences(
                        &responder_contrast,
                        strata,
                    ));
            }
        }
    }
    if options.ordinal.iter().any(|o| o == endpoint) {
        out.between.extend(ordinal::all_arms_rows(
            cohort,
            endpoint,
            visit,
            (e, v),
            plan.strata.as_ref(),
        ));
    }
    if keep_cells {
        out.arm_cells = Some(arm_cells);
    }
    out
}

/// One arm's patients at one visit, for the figures and claim checks.
fn patient_changes<'a>(
    plan: &'a Plan,
    c: &'a ArmVisit,
    e: usize,
    arm: usize,
    v: usize,
) -> impl Iterator<Item = PatientChange> + 'a {
    let cohort = plan.cohort;
    let names = plan.names;
    let clear_value = plan.options.clear_value;
    c.patients.iter().enumerate().map(move |(i, &p)| {
        let (b, f) = (c.base[i], c.follow[i]);
        PatientChange {
            endpoint: names.endpoints[e].clone(),
            arm: names.arms[arm].clone(),
            visit: names.visits[v].clone(),
            week: cohort.visits[v].week,
            patient: names.patients[p].clone(),
            baseline: b,
            follow_up: f,
            change: f - b,
            pct_change: (b != 0.0).then(|| 100.0 * (f - b) / b),
            cleared: f == clear_value,
        }
    })
}
