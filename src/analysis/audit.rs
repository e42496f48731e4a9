//! Accounting for every input row: used, or left out with a reason.

use super::cell::MissingRule;
use crate::data::{Cohort, ReadExclusion};
use serde::Serialize;
use std::collections::BTreeMap;

/// Why an input row (or cell of a wide row) was not used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum LeftOutReason {
    /// The value was empty or NA.
    MissingValue,
    /// The patient has no baseline value for this endpoint.
    NoBaseline,
    /// A baseline value with no follow-up value for this endpoint.
    NoFollowUp,
    /// The visit comes before the baseline visit.
    BeforeBaseline,
    /// The endpoint was not chosen with `--endpoints`.
    EndpointNotSelected,
    /// Removed by a record filter of the reader (ADaM: parameter, DTYPE, analysis flag,
    /// population).
    Filtered(ReadExclusion),
}

impl LeftOutReason {
    pub fn describe(&self) -> &'static str {
        match self {
            LeftOutReason::MissingValue => "value missing (empty or NA)",
            LeftOutReason::NoBaseline => "patient has no baseline value for this endpoint",
            LeftOutReason::NoFollowUp => "baseline value without any follow-up value",
            LeftOutReason::BeforeBaseline => "visit before the baseline visit",
            LeftOutReason::EndpointNotSelected => "endpoint not selected (--endpoints)",
            LeftOutReason::Filtered(why) => why.describe(),
        }
    }

    pub fn key(&self) -> &'static str {
        match self {
            LeftOutReason::MissingValue => "missing_value",
            LeftOutReason::NoBaseline => "no_baseline",
            LeftOutReason::NoFollowUp => "no_follow_up",
            LeftOutReason::BeforeBaseline => "before_baseline",
            LeftOutReason::EndpointNotSelected => "endpoint_not_selected",
            LeftOutReason::Filtered(why) => why.key(),
        }
    }
}

/// Rows read, used and left out by reason; plus what was left out of percent rows only.
#[derive(Debug, Clone, Serialize)]
pub struct Audit {
    pub rows_read: u64,
    pub rows_used: u64,
    /// Keyed by [`LeftOutReason::key`]; a row of the wide layout counts as used when any of
    /// its values is used, and is otherwise counted under the reason of its first value.
    pub rows_left_out: BTreeMap<&'static str, u64>,
    /// Patient × endpoint pairs with baseline 0, left out of percent rows only.
    pub baseline_zero: u64,
    pub warnings: Vec<String>,
}

/// Decide the fate of every row.
pub(super) fn account(cohort: &Cohort, baseline: usize, rule: MissingRule) -> Audit {
    let n_rows = cohort.rows_read as usize;
    // None = not yet seen; Some(None) = used; Some(Some(r)) = left out for r.
    let mut fate: Vec<Option<Option<LeftOutReason>>> = vec![None; n_rows];
    let mut baseline_zero = 0u64;
    let nv = cohort.visits.len();
    for e in 0..cohort.endpoints.len() {
        for p in 0..cohort.patients.len() {
            let b = cohort.value(e, p, baseline);
            let is_follow_up =
                |v: usize| v != baseline && !super::before_baseline(cohort, v, baseline);
            let any_follow_up = (0..nv).any(|v| is_follow_up(v) && cohort.value(e, p, v).is_some());
            if b == Some(0.0) && any_follow_up {
                baseline_zero += 1;
            }
            for v in 0..nv {
                let Some(row) = cohort.source_row(e, p, v) else {
                    continue;
                };
                let value = cohort.value(e, p, v);
                let status = if value.is_none() {
                    Some(LeftOutReason::MissingValue)
                } else if v != baseline && !is_follow_up(v) {
                    Some(LeftOutReason::BeforeBaseline)
                } else if v == baseline {
                    // LOCF/BOCF carry the baseline forward; NRI counts the patient as a non-responder.
                    if any_follow_up || rule != MissingRule::CompleteCase {
                        None
                    } else {
                        Some(LeftOutReason::NoFollowUp)
                    }
                } else if b.is_none() {
                    Some(LeftOutReason::NoBaseline)
                } else {
                    None
                };
                let slot = &mut fate[row as usize];
                *slot = match (*slot, status) {
                    (None, s) => Some(s),
                    (Some(None), _) | (_, None) => Some(None),
                    // Keep the first informative reason; prefer any reason over "missing".
                    (Some(Some(LeftOutReason::MissingValue)), Some(r)) => Some(Some(r)),
                    (Some(Some(r)), Some(_)) => Some(Some(r)),
                };
            }
        }
    }
    for &(row, why) in &cohort.rows_excluded {
        fate[row as usize] = Some(Some(match why {
            ReadExclusion::EndpointNotSelected => LeftOutReason::EndpointNotSelected,
            other => LeftOutReason::Filtered(other),
        }));
    }
    let mut rows_used = 0;
    let mut rows_left_out = BTreeMap::new();
    for f in fate {
        match f {
            Some(None) => rows_used += 1,
            Some(Some(r)) => *rows_left_out.entry(r.key()).or_insert(0) += 1,
            // Every row lands in a cell or in rows_excluded; count defensively.
            None => {
                *rows_left_out
                    .entry(LeftOutReason::MissingValue.key())
                    .or_insert(0) += 1
            }
        }
    }
    Audit {
        rows_read: cohort.rows_read,
        rows_used,
        rows_left_out,
        baseline_zero,
        warnings: cohort.warnings.clone(),
    }
}
