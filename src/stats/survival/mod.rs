//! Time-to-event numerics: Kaplan–Meier with Greenwood standard errors and quantiles with
//! Brookmeyer–Crowley intervals ([`kaplan_meier`]), the (stratified) log-rank test ([`log_rank`])
//! and the Cox proportional-hazards model with Efron or Breslow ties ([`cox`]), each as R's
//! `survival` package (3.5) computes it: `survfit`, `survdiff`, `coxph`. Reference values in
//! `tests/reference/survival/` (script `survival_reference.R`).
//!
//! Written here rather than taken from the `survival` crate (2.0.0, checked 2026-11-30): that crate
//! is 184,000 lines with pyo3/ndarray/burn behind it and edition 2024, built around Python
//! bindings, and offers neither R's quantile rule (`findq` with its tolerance and mid-point at flat
//! stretches) nor the log-transformed Brookmeyer–Crowley interval; what we need is ~600 lines
//! that can be checked line by line against R's sources.
//!
//! Pure numerics on validated slices: no files, no formatting.

pub mod cox;
pub mod kaplan_meier;
pub mod log_rank;

pub use cox::{cox, CoxFit, CoxOptions, Ties};
pub use kaplan_meier::{
    kaplan_meier, kaplan_meier_with, ConfType, KaplanMeier, KmQuantile, KmStep, SurvivalAt,
};
pub use log_rank::{log_rank, LogRank};

/// Why time-to-event data cannot be analysed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum SurvivalError {
    /// A time that is negative, infinite or not a number (index into the input).
    #[error("time {value} at position {index} is not a finite number ≥ 0")]
    BadTime { index: usize, value: f64 },
    /// Slices of different lengths.
    #[error("{what}: {found} values, expected {expected}")]
    LengthMismatch {
        what: &'static str,
        found: usize,
        expected: usize,
    },
    /// A covariate value that is not finite.
    #[error("covariate {column} at position {index} is not finite ({value})")]
    BadCovariate {
        column: usize,
        index: usize,
        value: f64,
    },
}

/// Check that every time is finite and ≥ 0 and that `event` matches `time` in length.
pub fn validate(time: &[f64], event: &[bool]) -> Result<(), SurvivalError> {
    if event.len() != time.len() {
        return Err(SurvivalError::LengthMismatch {
            what: "event indicators",
            found: event.len(),
            expected: time.len(),
        });
    }
    if let Some((index, &value)) = time
        .iter()
        .enumerate()
        .find(|(_, t)| !(t.is_finite() && **t >= 0.0))
    {
        return Err(SurvivalError::BadTime { index, value });
    }
    Ok(())
}

/// The two-sided normal quantile for a confidence level.
pub(crate) fn z_for(conf_level: f64) -> f64 {
    -crate::stats::distributions::norm_quantile((1.0 - conf_level) / 2.0)
}

/// Indices of `time` sorted by time, ascending (stable: ties keep input order).
pub(crate) fn order_by_time(time: &[f64]) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..time.len()).collect();
    idx.sort_by(|&a, &b| time[a].total_cmp(&time[b]));
    idx
}

/// The two-sided normal quantile for a confidence level (public for the analysis layer).
pub fn z_for_level(conf_level: f64) -> f64 {
    z_for(conf_level)
}
