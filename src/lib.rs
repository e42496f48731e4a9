//! trialstat: clinical-trial outcome statistics from patient-level CSV data.
//!
//! Data flows one way: [`data`] reads and validates a CSV into a typed [`data::Cohort`];
//! [`analysis`] decides which estimates to compute and calls [`stats`] (pure numerics);
//! [`report`] renders the results table as text, CSV or JSON.

pub mod analysis;
pub mod claims;
pub mod data;
pub mod plot;
pub mod report;
pub mod rng;
pub mod stats;

/// Seeded test inputs for the crate's own property-style tests: 64 bits a draw from the
/// shared [`rng::SplitMix64`].
#[cfg(test)]
pub(crate) fn test_rng(seed: u64) -> impl FnMut() -> u64 {
    let mut rng = rng::SplitMix64(seed);
    move || rng.next_u64()
}
