//! Published claims: what a paper reports, whether the figures hang together, whether a data
//! set reproduces them, and patient-level cohorts consistent with them.
//!
//! The whole feature lives here so that its vocabulary (claims, rounding, verdicts) can change
//! without touching the rest:
//! - [`schema`] reads and validates the TOML file (every error names file, line and key);
//!   [`reported`] parses numbers as printed; [`estimand`] is all that is known about the
//!   results table's estimand names;
//! - [`rounding`] is the rounding model and every slack constant;
//! - [`checks`] holds each check on one claim, [`cross`] the checks across claims, [`compare`]
//!   the comparison with the analysis of a data file; they record typed findings
//!   ([`finding`]) from which [`verdict`] decides;
//! - [`search`] is the cohort search (its objective in `violation`), [`cohort`] a simulated
//!   cohort and its CSV, [`simulate`] the verified cohorts `simulate` keeps and their spread.
//!
//! It uses `data` (to re-read a simulated cohort), `analysis` (the analysis it compares with)
//! and `stats` (the numerics); none of them uses it. Sentences and numbers for people are
//! written in `report::claims`, not here; nothing here prints.

pub mod checks;
pub mod cohort;
pub mod compare;
pub mod cross;
pub mod estimand;
pub mod finding;
pub mod reported;
pub mod rounding;
pub mod schema;
pub mod search;
pub mod simulate;
pub mod verdict;
mod violation;

pub use checks::{check_claim, check_claims, AtN, ClaimCheck, Recomputed};
pub use compare::{analyses_for_claims, compare_with_data, options_for_claims, DataComparison};
pub use estimand::{default_method, is_rate_estimand};
pub use reported::{Reported, ReportedP};
pub use rounding::Range;
pub use schema::{
    read_claims, Claim, ClaimSource, ClaimsError, ClaimsFile, ReportedStatistic, SampleSize, Scale,
};
pub use verdict::{Problem, Verdict};
