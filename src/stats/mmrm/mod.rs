//! Mixed model for repeated measures (MMRM): y = Xβ + e, e_i ~ N(0, Σ_i) with Σ_i the rows and
//! columns of one T×T covariance Σ(θ) for the visits patient i has. REML (default) or ML, the
//! covariance structures of SAS PROC MIXED's REPEATED statement, Satterthwaite / Kenward–Roger /
//! between-within / residual degrees of freedom. Validated against SAS PROC MIXED listings
//! (tests/reference/mmrm/). Pure numerics: no files, no formatting.

pub mod covariance;
pub mod ddf;
pub mod fit;
pub mod likelihood;

pub use covariance::CovStructure;
pub use ddf::{ContrastResult, DdfMethod, FTestResult, Inference};
pub use fit::{fit, fit_at_theta, FitError, FitStatistics, MmrmFit};
pub use likelihood::{Method, PatternData, SubjectObs};
