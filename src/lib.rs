//! trialstat: clinical-trial outcome statistics from patient-level CSV data.
//!
//! Data flows one way: [`data`] reads and validates a CSV into a typed [`data::Cohort`];
//! [`analysis`] decides which estimates to compute and calls [`stats`] (pure numerics);
//! [`report`] renders the results table as text, CSV or JSON.

pub mod analysis;
pub mod data;
pub mod plot;
pub mod report;
pub mod stats;
