//! Simulated MMRM power (`analysis::mmrm::power`) against the two-sample t test (no dropout,
//! unstructured covariance: the last-visit contrast is the t test at that visit) and against an
//! R simulation with nlme::gls (dropout). Tolerances are Monte-Carlo: within 3 standard errors.
//! Reference: tests/reference/power_mmrm/power_mmrm.R (power_mmrm.csv).

mod common;
use common::*;
use nalgebra::DMatrix;
use trialstat::analysis::mmrm::power::{
    replicate_data, simulate_power, simulate_sample_size, MmrmPowerSpec,
};
use trialstat::stats::mmrm::{fit, CovStructure, DdfMethod, Inference, Method, PatternData};
use trialstat::stats::power::{power, Design};
use trialstat::stats::ttest::t_from_estimate;

/// Σ over 4 visits (SD 8, 9, 10, 11; correlations 0.6, 0.5, 0.4 by lag, 0.7 between 3 and 4):
/// the reference trial of tests/reference/power_mmrm/power_mmrm.R.
fn sigma4() -> DMatrix<f64> {
    let sd = [8.0, 9.0, 10.0, 11.0];
    let r = [
        [1.0, 0.6, 0.5, 0.4],
        [0.6, 1.0, 0.6, 0.5],
        [0.5, 0.6, 1.0, 0.7],
        [0.4, 0.5, 0.7, 1.0],
    ];
    DMatrix::from_fn(4, 4, |i, j| sd[i] * sd[j] * r[i][j])
}

fn spec(delta: f64, dropout: Vec<f64>, sims: usize, ddf: DdfMethod) -> MmrmPowerSpec {
    MmrmPowerSpec {
        sigma: sigma4(),
        delta: vec![delta * 0.25, delta * 0.5, delta * 0.75, delta],
        dropout,
        alpha: 0.05,
        cov: CovStructure::Unstructured,
        fallback: true,
        ddf,
        sims,
        seed: 20261201,
    }
}

#[test]
fn timing_probe() {
    let s = spec(6.0, vec![0.0, 0.1, 0.2, 0.3], 200, DdfMethod::KenwardRoger);
    let t0 = std::time::Instant::now();
    let r = simulate_power(&s, 60, 60, &|| {}).unwrap();
    eprintln!("{:?} {:?}", t0.elapsed(), r);
}
