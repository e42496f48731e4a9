//! The cohorts `simulate` keeps, and how much they vary.
//!
//! Each candidate from [`super::search`] is written as CSV, re-read with the ordinary reader
//! and analysed, and kept only when every claim is reproduced at its reported precision (the
//! comparison of `reproduce --data`). The number of candidates tried is bounded. Then, per
//! claimed endpoint · arm · visit, the spread over the kept cohorts of what the claims leave
//! open (SD and median of percent change, responder and clearance counts).
//!
//! Writes only the scratch file it is handed; the kept files are the caller's to write, and
//! the summary's layout is `report::claims`'s.

use super::checks::{check_claims, ClaimCheck};
use super::cohort::{to_csv, CohortLayout};
use super::compare::{analyses_for_claims, compare_with_data, options_for_claims};
use super::schema::Claim;
use super::search::{simulate, SimulateError, SimulateOptions};
use super::verdict::Verdict;
use crate::analysis::Analysis;
use crate::data::{read_cohort, ReadOptions};
use crate::stats::descriptive::{mean, median, sd};
use std::path::Path;

/// A cohort that reproduced every claim.
#[derive(Debug, Clone)]
pub struct KeptCohort {
    /// The CSV text, as it is to be written.
    pub text: String,
    /// Its analysis (at the first confidence level the claims use).
    pub analysis: Analysis,
    /// The solution index in the seed's sequence.
    pub index: u64,
}

/// Why the last candidate that was not kept was turned down.
#[derive(Debug, Clone)]
pub enum Rejection {
    /// The search gave a cohort already kept.
    Repeated,
    /// The re-analysis did not reproduce these claims (their data comparison says why).
    NotReproduced(Vec<ClaimCheck>),
}

/// What a run of `simulate` found: up to `count` distinct cohorts.
#[derive(Debug, Clone)]
pub struct Simulation {
    pub kept: Vec<KeptCohort>,
    /// Candidates tried.
    pub tries: u64,
    pub last_rejection: Option<Rejection>,
}

/// Why `simulate` could not run to the end.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SimulationError {
    /// The search found no cohort, or the claims cannot be simulated.
    #[error(transparent)]
    Search(#[from] SimulateError),
    /// The scratch file could not be written.
    #[error("{path}: cannot write: {source}")]
    Write {
        path: String,
        source: std::io::Error,
    },
    /// A cohort just written could not be read back or analysed: a defect, not bad input.
    #[error("a simulated cohort could not be re-read: {0}")]
    Reread(String),
}

/// Candidates tried for `count` cohorts before giving up.
fn max_tries(count: usize) -> u64 {
    (count as u64) * 5 + 10
}

/// Search for `count` distinct cohorts, verifying each through `scratch` (a file path that is
/// written and removed again).
pub fn simulate_cohorts(
    claims: &[Claim],
    opts: &SimulateOptions,
    count: usize,
    layout: CohortLayout,
    scratch: &Path,
) -> Result<Simulation, SimulationError> {
    let mut kept: Vec<KeptCohort> = Vec::new();
    let mut index = 0u64;
    let mut last_rejection = None;
    while kept.len() < count && index < max_tries(count) {
        let cohort = simulate(claims, opts, index)?;
        index += 1;
        let text = to_csv(&cohort, layout);
        if kept.iter().any(|k| k.text == text) {
            last_rejection = Some(Rejection::Repeated);
            continue;
        }
        std::fs::write(scratch, &text).map_err(|source| SimulationError::Write {
            path: scratch.display().to_string(),
            source,
        })?;
        let verified = verify(scratch, claims);
        let _ = std::fs::remove_file(scratch);
        let (analysis, failed) = verified.map_err(SimulationError::Reread)?;
        if failed.is_empty() {
            kept.push(KeptCohort {
                text,
                analysis,
                index: index - 1,
            });
        } else {
            last_rejection = Some(Rejection::NotReproduced(failed));
        }
    }
    Ok(Simulation {
        kept,
        tries: index,
        last_rejection,
    })
}

/// Re-read a written cohort and check every claim against its analysis: the analysis and the
/// claims the data do not reproduce.
fn verify(path: &Path, claims: &[Claim]) -> Result<(Analysis, Vec<ClaimCheck>), String> {
    let cohort = read_cohort(path, &ReadOptions::default()).map_err(|e| e.to_string())?;
    let options = options_for_claims(claims, None, 0.0);
    let mut analyses = analyses_for_claims(&cohort, claims, &options).map_err(|e| e.to_string())?;
    let mut checks = check_claims(claims);
    compare_with_data(&mut checks, &analyses);
    let failed: Vec<ClaimCheck> = checks
        .into_iter()
        .filter(|c| c.data.as_ref().map(|d| d.verdict) != Some(Verdict::Consistent))
        .collect();
    Ok((analyses.swap_remove(0).1, failed))
}

/// One claimed endpoint · arm · visit over the kept cohorts: one value per cohort of each
/// figure the claims leave open.
#[derive(Debug, Clone, PartialEq)]
pub struct CellSpread {
    pub endpoint: String,
    pub arm: String,
    pub visit: String,
    pub mean_pct_change: Vec<f64>,
    pub sd_pct_change: Vec<f64>,
    pub median_pct_change: Vec<f64>,
    /// Responders at 50% and 75% improvement, and patients cleared (counts).
    pub responders50: Vec<f64>,
    pub responders75: Vec<f64>,
    pub cleared: Vec<f64>,
}

/// How much the cohorts vary, per claimed endpoint · arm · visit in claim order (cells without
/// percent changes are left out).
pub fn cohort_spread(claims: &[Claim], analyses: &[&Analysis]) -> Vec<CellSpread> {
    let mut cells: Vec<(String, String, String)> = Vec::new();
    for c in claims {
        let key = (c.endpoint.clone(), c.arm.clone(), c.visit.clone());
        if !cells.contains(&key) {
            cells.push(key);
        }
    }
    let mut out = Vec::new();
    for (e, a, v) in cells {
        let mut cell = CellSpread {
            endpoint: e,
            arm: a,
            visit: v,
            mean_pct_change: Vec::new(),
            sd_pct_change: Vec::new(),
            median_pct_change: Vec::new(),
            responders50: Vec::new(),
            responders75: Vec::new(),
            cleared: Vec::new(),
        };
        for an in analyses {
            let pct: Vec<f64> = an
                .patients
                .iter()
                .filter(|p| {
                    *p.endpoint == *cell.endpoint && *p.arm == *cell.arm && *p.visit == *cell.visit
                })
                .filter_map(|p| p.pct_change)
                .collect();
            if pct.is_empty() {
                continue;
            }
            cell.mean_pct_change.push(mean(&pct).unwrap_or(f64::NAN));
            cell.sd_pct_change.push(sd(&pct).unwrap_or(f64::NAN));
            cell.median_pct_change
                .push(median(&pct).unwrap_or(f64::NAN));
            if let Some(summary) = an
                .cells
                .iter()
                .find(|c| c.endpoint == cell.endpoint && c.arm == cell.arm && c.visit == cell.visit)
            {
                for &(t, k, _) in &summary.responders {
                    if t == 50.0 {
                        cell.responders50.push(k as f64);
                    }
                    if t == 75.0 {
                        cell.responders75.push(k as f64);
                    }
                }
                cell.cleared.push(summary.cleared.0 as f64);
            }
        }
        if !cell.mean_pct_change.is_empty() {
            out.push(cell);
        }
    }
    out
}
