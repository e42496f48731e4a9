//! Pure numerics: functions on validated slices. No files, no polars, no formatting, no
//! plotting. One file per family of methods; each returns a [`TestResult`].

pub mod bootstrap;
pub mod cmh;
pub mod cmh_general;
pub mod descriptive;
pub mod distributions;
pub mod effect_size;
pub mod exact_rank;
mod exact_rank_large;
pub mod exact_unconditional;
pub mod fisher;
pub mod granularity;
pub mod linear_model;
pub mod mann_whitney;
pub mod mmrm;
pub mod multiplicity;
pub mod noncentral_t;
pub mod odds_ratio;
pub mod permutation;
pub mod poisson;
pub mod power;
pub mod proportion;
pub mod rank;
pub mod rank_distribution;
pub mod rank_sum_exact_sas;
pub mod rank_sum_sas;
pub mod ratio;
pub mod result;
pub mod risk_difference;
pub mod root;
pub mod signed_rank_sas;
pub mod signrank;
pub mod strata;
pub mod survival;
pub mod ttest;
pub mod walsh;
pub mod wilcoxon;

pub use result::{
    Alternative, ConfidenceInterval, DegreesOfFreedom, DfMethod, Diagnostic, Estimate,
    IntervalMethod, PValueMethod, Statistic, TestResult,
};
