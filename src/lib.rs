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
pub mod stats;

/// Seeded test inputs: a 64-bit linear congruential generator (Knuth's MMIX constants), the
/// upper 31 bits of each state. Deterministic and dependency-free, for property-style tests.
#[cfg(test)]
pub(crate) fn test_lcg(seed: u64) -> impl FnMut() -> u64 {
    let mut state = seed;
    move || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        state >> 33
    }
}
