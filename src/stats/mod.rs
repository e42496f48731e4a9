//! Pure numerics: functions on validated slices. No files, no polars, no formatting, no
//! plotting. One file per family of methods; each returns a [`TestResult`].

pub mod bootstrap;
pub mod descriptive;
pub mod distributions;
pub mod effect_size;
pub mod exact_rank;
pub mod fisher;
pub mod granularity;
pub mod linear_model;
pub mod mann_whitney;
pub mod mmrm;
pub mod multiplicity;
pub mod noncentral_t;
pub mod permutation;
pub mod proportion;
pub mod rank;
pub mod ratio;
pub mod result;
pub mod root;
pub mod signrank;
pub mod ttest;
pub mod walsh;
pub mod wilcoxon;

pub use result::{
    Alternative, ConfidenceInterval, DegreesOfFreedom, DfMethod, Diagnostic, Estimate,
    IntervalMethod, PValueMethod, Statistic, TestResult,
};
