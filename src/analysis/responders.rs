//! Responder rows of a contrast beyond Newcombe, Fisher and the log risk ratio (`between`):
//! the Miettinen–Nurminen and Chan–Zhang exact unconditional intervals of the difference, and,
//! with `--strata`, the stratified analysis registration trials report — CMH test, MH common
//! risk difference (Sato), stratified MN interval, MH odds ratio and Breslow–Day test.
//! For each response (`responder{P}`, `clearance`) of one arm against the control arm at one
//! visit; the patients and counts are those of the unstratified rows.

use super::cell::ArmVisit;
use super::row::{Estimand, Method, Place, RateStat, Response};
use super::{AnalysisOptions, Direction, ResultRow};
use crate::stats::strata::{pooled, Stratum};
use crate::stats::{
    cmh, exact_unconditional, risk_difference, Alternative, Diagnostic, TestResult,
};

/// Above this many patients (both arms) the exact unconditional interval is not computed: its
/// cost grows as (n1 + n2) log n2 per step of a search over the difference and the nuisance
/// parameter (about 0.1 s at 400 patients in a release build); the MN interval is its
/// large-sample counterpart.
pub(super) const EXACT_UNCONDITIONAL_LIMIT: usize = 1000;

/// One stratum per patient (every `--strata` column combined), as codes into `labels`.
#[derive(Debug, Clone)]
pub(super) struct Strata {
    pub labels: Vec<String>,
    pub codes: Vec<u32>,
}

/// The strata of a contrast: arm (x) and control (y) responders per stratum, in label order.
fn stratify(strata: &Strata, x: &[(usize, bool)], y: &[(usize, bool)]) -> Vec<Stratum> {
    let mut out = vec![Stratum::new(0, 0, 0, 0); strata.labels.len()];
    for &(p, r) in x {
        let s = &mut out[strata.codes[p] as usize];
        s.n1 += 1;
        s.k1 += usize::from(r);
    }
    for &(p, r) in y {
        let s = &mut out[strata.codes[p] as usize];
        s.n2 += 1;
        s.k2 += usize::from(r);
    }
    out.retain(|s| s.n() > 0);
    out
}

/// What the rows of one contrast share.
pub(super) struct ResponderContrast<'a> {
    pub place: &'a Place<'a>,
    pub options: &'a AnalysisOptions,
    pub x: &'a ArmVisit,
    pub y: &'a ArmVisit,
    pub direction: Direction,
    pub strata: Option<&'a Strata>,
    /// Notes of the responder rows (missing values, NRI), as the unstratified rows carry.
    pub notes: &'a [String],
}

/// Every row of this module for each response of the contrast.
pub(super) fn rows(c: &ResponderContrast) -> Vec<ResultRow> {
    let (rule, direction) = (c.options.missing, c.direction);
    let mut rows = Vec::new();
    for &threshold in &c.options.responder_thresholds {
        let x = c.x.responder_flags(threshold, direction, rule);
        let y = c.y.responder_flags(threshold, direction, rule);
        response_rows(c, Response::Responder(threshold), &x, &y, &mut rows);
    }
    let clear = c.options.clear_value;
    let x = c.x.clearance_flags(clear, rule);
    let y = c.y.clearance_flags(clear, rule);
    response_rows(c, Response::Clearance, &x, &y, &mut rows);
    rows
}

pub(super) fn response_rows(
    c: &ResponderContrast,
    response: Response,
    x: &[(usize, bool)],
    y: &[(usize, bool)],
    rows: &mut Vec<ResultRow>,
) {
    let cl = c.options.conf_level;
    let with_data = c.x.with_data + c.y.with_data;
    let count = |v: &[(usize, bool)]| v.iter().filter(|(_, r)| *r).count();
    let all = Stratum::new(count(x), x.len(), count(y), y.len());
    let n = all.n();
    let mut push = |stat: RateStat, method: Method, r: TestResult, extra: &[String]| {
        let mut notes = c.notes.to_vec();
        notes.extend_from_slice(extra);
        rows.push(c.place.row(
            Estimand::Response(response, stat),
            method,
            r,
            n,
            with_data - n,
            &notes,
        ));
    };
    let label = "difference in proportions";
    let r = risk_difference::miettinen_nurminen(&all, cl, label);
    push(RateStat::Diff, Method::MiettinenNurminen, r, &[]);
    let r = if n <= EXACT_UNCONDITIONAL_LIMIT {
        exact_unconditional::chan_zhang(&all, cl, label)
    } else {
        let mut r = TestResult::empty(n, Alternative::TwoSided);
        r.diagnostics.push(Diagnostic::TooLarge {
            what: "exact unconditional interval",
            limit: EXACT_UNCONDITIONAL_LIMIT,
        });
        r
    };
    push(RateStat::Diff, Method::ExactUnconditional, r, &[]);

    let Some(strata) = c.strata else {
        return;
    };
    let table = stratify(strata, x, y);
    debug_assert_eq!(pooled(&table), all);
    let k = format!("{} strata", table.len());
    let extra = std::slice::from_ref(&k);
    push(RateStat::Cmh, Method::Cmh, cmh::cmh(&table), extra);
    let r = risk_difference::mh_sato(&table, cl, label);
    push(RateStat::Diff, Method::MhSato, r, extra);
    let r = risk_difference::mn_stratified(&table, cl, label);
    push(RateStat::Diff, Method::MnStratified, r, extra);
    let r = cmh::mh_odds_ratio(&table, cl, "common odds ratio");
    push(RateStat::OddsRatio, Method::MantelHaenszel, r, extra);
    push(
        RateStat::Homogeneity,
        Method::BreslowDay,
        cmh::breslow_day(&table),
        extra,
    );
}
