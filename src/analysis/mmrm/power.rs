//! Power of the MMRM's last-visit comparison by simulation: two-arm trials drawn from a given
//! covariance over visits (multivariate normal), with monotone missing-completely-at-random
//! dropout, each fitted with trialstat's MMRM (cell means arm × visit, the requested covariance
//! with the fallback chain of `trialstat mmrm`, REML, Kenward–Roger or Satterthwaite df); the
//! power is the share of replicates whose two-sided last-visit contrast has p ≤ α, with its
//! Monte-Carlo standard error. The sample-size search is a bisection on simulated power.
//!
//! Random numbers: replicate `i`'s treated arm draws from ChaCha8 stream (seed, 2i), its control
//! arm from (seed, 2i + 1); each patient draws T standard normals (Box–Muller) then one uniform
//! for dropout. Replicates run in parallel with rayon and results are counted in replicate order,
//! so the answer is the same for any number of threads; the same replicate seeds are used for
//! every candidate n (common random numbers), which keeps simulated power nearly monotone in n.
//!
//! With no dropout and an unstructured covariance the last-visit contrast is exactly the
//! two-sample t test at that visit (estimate, SE and N − 2 df), so the power must equal
//! `power.t.test` with sd = √Σ_TT (tests/mmrm_power.rs).

use super::{fit_with_fallback, MmrmSpec, FALLBACK_CHAIN};
use crate::stats::mmrm::{CovStructure, DdfMethod, Inference, Method, PatternData, SubjectObs};
use nalgebra::{DMatrix, DVector};
use rand::Rng;
use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

/// Largest n per arm the simulated sample-size search tries.
pub const MAX_SIMULATED_N: usize = 20_000;

/// Smallest n per arm simulated.
pub const MIN_SIMULATED_N: usize = 3;

/// A simulated two-arm repeated-measures trial.
#[derive(Debug, Clone)]
pub struct MmrmPowerSpec {
    /// Covariance of the responses over the T visits (T×T, positive definite).
    pub sigma: DMatrix<f64>,
    /// Mean difference treated − control at each visit (length T; the last is the tested one).
    pub delta: Vec<f64>,
    /// Cumulative proportion of patients missing by each visit (length T, non-decreasing,
    /// each in [0, 1)); missing completely at random. The treated arm's, and the control arm's
    /// unless `dropout_control` is given.
    pub dropout: Vec<f64>,
    /// The control arm's cumulative dropout when it differs from the treated arm's.
    pub dropout_control: Option<Vec<f64>>,
    /// Two-sided significance level.
    pub alpha: f64,
    /// Covariance structure of the analysis model.
    pub cov: CovStructure,
    /// Fall back along [`FALLBACK_CHAIN`] when `cov` fails (as `trialstat mmrm`).
    pub fallback: bool,
    /// Denominator df of the contrast.
    pub ddf: DdfMethod,
    /// Replicates.
    pub sims: usize,
    /// Seed of the replicates.
    pub seed: u64,
}

/// Why a specification cannot be simulated.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum MmrmPowerError {
    /// The covariance matrix is not square, symmetric and positive definite.
    Covariance(String),
    /// `delta` does not have one value per visit, or another value is out of range.
    Shape(String),
    /// A dropout pattern does not have one value per visit, or is not cumulative in [0, 1).
    Dropout(String),
    /// The simulated power at [`MAX_SIMULATED_N`] per arm is still below the target.
    AboveLimit {
        /// Simulated power at the limit.
        power_at_limit: f64,
    },
    /// Even with complete data (the two-sample t test at the last visit, a lower bound for the
    /// MMRM with dropout) more than [`MAX_SIMULATED_N`] per arm would be needed: nothing is
    /// simulated.
    BeyondSimulation {
        /// n per arm of the complete-data t test (None: beyond the analytic search too).
        complete_data_n: Option<usize>,
    },
}

impl std::fmt::Display for MmrmPowerError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MmrmPowerError::Covariance(m)
            | MmrmPowerError::Shape(m)
            | MmrmPowerError::Dropout(m) => write!(f, "{m}"),
            MmrmPowerError::AboveLimit { power_at_limit } => write!(
                f,
                "more than {MAX_SIMULATED_N} patients per arm would be needed (simulated power \
                 at {MAX_SIMULATED_N}: {power_at_limit:.4}); the simulated search stops there"
            ),
            MmrmPowerError::BeyondSimulation { complete_data_n } => {
                let bound = complete_data_n
                    .map(|n| format!("{n}"))
                    .unwrap_or_else(|| "more than 10^7".into());
                write!(
                    f,
                    "even with complete data the t test at the last visit needs {bound} patients \
                     per arm, beyond the {MAX_SIMULATED_N} the simulation tries; nothing was simulated"
                )
            }
        }
    }
}

impl std::error::Error for MmrmPowerError {}

/// What one replicate's fit did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FitOutcome {
    /// The requested structure.
    Requested,
    /// A structure of the fallback chain (index into [`FALLBACK_CHAIN`]).
    FellBack(usize),
    /// No structure converged, the design was singular, or the df were unavailable: counted as
    /// not significant.
    Failed,
}

/// One replicate: its fit and, per visit, whether the two-sided contrast had p ≤ α.
#[derive(Debug, Clone)]
struct Replicate {
    outcome: FitOutcome,
    rejected: Vec<bool>,
}

/// Simulated power at one n.
#[derive(Debug, Clone, PartialEq)]
pub struct MmrmPowerResult {
    /// Treated patients.
    pub n1: usize,
    /// Control patients.
    pub n2: usize,
    /// Replicates.
    pub sims: usize,
    /// Seed.
    pub seed: u64,
    /// Power of the last-visit contrast.
    pub power: f64,
    /// Its Monte-Carlo standard error √(p(1 − p)/sims).
    pub mc_se: f64,
    /// Power of the contrast at each visit (the last equals `power`).
    pub power_by_visit: Vec<f64>,
    /// Replicates fitted with the requested structure.
    pub fits_requested: usize,
    /// Replicates fitted with a fallback structure, per structure (only those used).
    pub fits_fallback: Vec<(CovStructure, usize)>,
    /// Replicates whose fit or df failed (counted as not significant).
    pub fits_failed: usize,
    /// Expected completers per arm at the last visit: (n1, n2) · (1 − dropout_T).
    pub expected_completers: (f64, f64),
}

/// Checks the specification: a positive-definite symmetric Σ and one delta and dropout per visit.
pub fn check_spec(spec: &MmrmPowerSpec) -> Result<(), MmrmPowerError> {
    let t = spec.sigma.nrows();
    if t < 1 || spec.sigma.ncols() != t {
        return Err(MmrmPowerError::Covariance(format!(
            "the covariance matrix is {}×{}, not square",
            spec.sigma.nrows(),
            spec.sigma.ncols()
        )));
    }
    for i in 0..t {
        for j in 0..t {
            let (a, b) = (spec.sigma[(i, j)], spec.sigma[(j, i)]);
            if !a.is_finite() {
                return Err(MmrmPowerError::Covariance(format!(
                    "entry ({}, {}) is {a}",
                    i + 1,
                    j + 1
                )));
            }
            if (a - b).abs() > 1e-9 * a.abs().max(b.abs()).max(1.0) {
                return Err(MmrmPowerError::Covariance(format!(
                    "not symmetric: entry ({}, {}) is {a} but ({}, {}) is {b}",
                    i + 1,
                    j + 1,
                    j + 1,
                    i + 1
                )));
            }
        }
    }
    if spec.sigma.clone().cholesky().is_none() {
        return Err(MmrmPowerError::Covariance(
            "not positive definite (a variance ≤ 0 or a correlation pattern no data can have)"
                .into(),
        ));
    }
    if spec.delta.len() != t {
        return Err(MmrmPowerError::Shape(format!(
            "{} mean differences for {t} visits",
            spec.delta.len()
        )));
    }
    if let Some(d) = spec.delta.iter().find(|d| !d.is_finite()) {
        return Err(MmrmPowerError::Shape(format!(
            "mean difference {d} is not a number"
        )));
    }
    for dropout in std::iter::once(&spec.dropout).chain(&spec.dropout_control) {
        check_dropout(dropout, t)?;
    }
    if !(spec.alpha > 0.0 && spec.alpha < 1.0) {
        return Err(MmrmPowerError::Shape(format!(
            "alpha {} is not in (0, 1)",
            spec.alpha
        )));
    }
    if spec.sims == 0 {
        return Err(MmrmPowerError::Shape("no replicates".into()));
    }
    Ok(())
}

fn check_dropout(dropout: &[f64], t: usize) -> Result<(), MmrmPowerError> {
    if dropout.len() != t {
        return Err(MmrmPowerError::Dropout(format!(
            "{} dropout proportions for {t} visits",
            dropout.len()
        )));
    }
    for (v, &d) in dropout.iter().enumerate() {
        if !(0.0..1.0).contains(&d) {
            return Err(MmrmPowerError::Dropout(format!(
                "dropout {d} at visit {} is not in [0, 1)",
                v + 1
            )));
        }
        if v > 0 && d < dropout[v - 1] {
            return Err(MmrmPowerError::Dropout(format!(
                "dropout is cumulative (monotone): {d} at visit {} is below {} at visit {v}",
                v + 1,
                dropout[v - 1]
            )));
        }
    }
    Ok(())
}

/// The cumulative dropout of arm 0 (treated) or 1 (control).
fn dropout_of(spec: &MmrmPowerSpec, arm: usize) -> &[f64] {
    match (&spec.dropout_control, arm) {
        (Some(d), 1) => d,
        _ => &spec.dropout,
    }
}

/// Standard normal by Box–Muller (cosine branch) from two uniforms, u1 in (0, 1].
fn standard_normal(rng: &mut ChaCha8Rng) -> f64 {
    let u1 = 1.0 - rng.gen::<f64>();
    let u2 = rng.gen::<f64>();
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

/// One arm's patients: responses over the visits they have (monotone dropout) and cell-means
/// design rows (column `arm · T + visit`).
fn draw_arm(
    spec: &MmrmPowerSpec,
    chol: &DMatrix<f64>,
    arm: usize,
    n: usize,
    rng: &mut ChaCha8Rng,
    out: &mut Vec<SubjectObs>,
) {
    let t = spec.sigma.nrows();
    let p = 2 * t;
    let mut z = DVector::zeros(t);
    for _ in 0..n {
        for zi in z.iter_mut() {
            *zi = standard_normal(rng);
        }
        let e = chol * &z;
        let u: f64 = rng.gen();
        let m = dropout_of(spec, arm)
            .iter()
            .take_while(|&&d| u >= d)
            .count();
        let mut s = SubjectObs {
            visits: (0..m).collect(),
            y: Vec::with_capacity(m),
            x: vec![0.0; m * p],
        };
        for v in 0..m {
            let mean = if arm == 0 { spec.delta[v] } else { 0.0 };
            s.y.push(mean + e[v]);
            s.x[v * p + arm * t + v] = 1.0;
        }
        out.push(s);
    }
}

fn draw_trial(
    spec: &MmrmPowerSpec,
    chol: &DMatrix<f64>,
    n1: usize,
    n2: usize,
    index: usize,
) -> Vec<SubjectObs> {
    let mut subjects = Vec::with_capacity(n1 + n2);
    for (arm, n) in [(0usize, n1), (1, n2)] {
        let mut rng = ChaCha8Rng::seed_from_u64(spec.seed);
        rng.set_stream(2 * index as u64 + arm as u64);
        draw_arm(spec, chol, arm, n, &mut rng, &mut subjects);
    }
    subjects
}

/// Replicate `index`'s patients (treated first, then control) as the simulation fits them:
/// visits observed, responses and cell-means design rows (column `arm · T + visit`, arm 0 the
/// treated). For checking the simulation against other fits.
pub fn replicate_data(
    spec: &MmrmPowerSpec,
    n1: usize,
    n2: usize,
    index: usize,
) -> Result<Vec<SubjectObs>, MmrmPowerError> {
    check_spec(spec)?;
    let chol = spec
        .sigma
        .clone()
        .cholesky()
        .map(|c| c.l())
        .ok_or_else(|| MmrmPowerError::Covariance("not positive definite".into()))?;
    Ok(draw_trial(spec, &chol, n1, n2, index))
}

fn replicate(
    spec: &MmrmPowerSpec,
    chol: &DMatrix<f64>,
    fit_spec: &MmrmSpec,
    visits: &[String],
    n1: usize,
    n2: usize,
    index: usize,
) -> Replicate {
    let t = spec.sigma.nrows();
    let p = 2 * t;
    let subjects = draw_trial(spec, chol, n1, n2, index);
    let data = PatternData::new(t, p, &subjects);
    let failed = Replicate {
        outcome: FitOutcome::Failed,
        rejected: vec![false; t],
    };
    let Ok((fit, _notes)) = fit_with_fallback(&data, visits, fit_spec) else {
        return failed;
    };
    let outcome = if fit.structure == spec.cov {
        FitOutcome::Requested
    } else {
        match FALLBACK_CHAIN.iter().position(|&c| c == fit.structure) {
            Some(k) => FitOutcome::FellBack(k),
            None => FitOutcome::Requested,
        }
    };
    let inf = Inference::new(&data, &fit, spec.ddf);
    let mut rejected = Vec::with_capacity(t);
    for v in 0..t {
        let mut l = vec![0.0; p];
        l[v] = 1.0;
        l[t + v] = -1.0;
        let c = inf.contrast(&l);
        if v + 1 == t && !c.p.is_finite() {
            // No df (boundary fit without W): the replicate gives no test.
            return failed;
        }
        rejected.push(c.p.is_finite() && c.p <= spec.alpha);
    }
    Replicate { outcome, rejected }
}

/// Simulated power with `n1` treated and `n2` control patients; `tick` is called once per
/// finished replicate (for a progress bar; from several threads).
pub fn simulate_power(
    spec: &MmrmPowerSpec,
    n1: usize,
    n2: usize,
    tick: &(dyn Fn() + Sync),
) -> Result<MmrmPowerResult, MmrmPowerError> {
    check_spec(spec)?;
    let t = spec.sigma.nrows();
    let chol = spec
        .sigma
        .clone()
        .cholesky()
        .map(|c| c.l())
        .ok_or_else(|| MmrmPowerError::Covariance("not positive definite".into()))?;
    let fit_spec = MmrmSpec {
        cov: spec.cov,
        fallback: if spec.fallback {
            FALLBACK_CHAIN.to_vec()
        } else {
            Vec::new()
        },
        method: Method::Reml,
        ddf: spec.ddf,
        arm: None,
        visit: "visit".into(),
        conf_level: 0.95,
    };
    let visits: Vec<String> = (1..=t).map(|v| format!("visit {v}")).collect();
    let reps: Vec<Replicate> = (0..spec.sims)
        .into_par_iter()
        .map(|i| {
            let r = replicate(spec, &chol, &fit_spec, &visits, n1, n2, i);
            tick();
            r
        })
        .collect();
    let sims = spec.sims as f64;
    let power_by_visit: Vec<f64> = (0..t)
        .map(|v| reps.iter().filter(|r| r.rejected[v]).count() as f64 / sims)
        .collect();
    let power = power_by_visit[t - 1];
    let mut fallback_counts = vec![0usize; FALLBACK_CHAIN.len()];
    let (mut requested, mut failed) = (0, 0);
    for r in &reps {
        match r.outcome {
            FitOutcome::Requested => requested += 1,
            FitOutcome::FellBack(k) => fallback_counts[k] += 1,
            FitOutcome::Failed => failed += 1,
        }
    }
    let completers = |arm: usize| 1.0 - dropout_of(spec, arm)[t - 1];
    Ok(MmrmPowerResult {
        n1,
        n2,
        sims: spec.sims,
        seed: spec.seed,
        power,
        mc_se: (power * (1.0 - power) / sims).sqrt(),
        power_by_visit,
        fits_requested: requested,
        fits_fallback: FALLBACK_CHAIN
            .iter()
            .zip(fallback_counts)
            .filter(|(_, k)| *k > 0)
            .map(|(c, k)| (*c, k))
            .collect(),
        fits_failed: failed,
        expected_completers: (n1 as f64 * completers(0), n2 as f64 * completers(1)),
    })
}

/// The result of the simulated sample-size search.
#[derive(Debug, Clone, PartialEq)]
pub struct MmrmSampleSize {
    /// The smallest n per arm (treated) found whose simulated power reaches the target.
    pub n: usize,
    /// The simulation at `n`.
    pub at_n: MmrmPowerResult,
    /// Every candidate simulated, in the order tried.
    pub tried: Vec<MmrmPowerResult>,
}

/// The smallest treated-arm n (control ⌈ratio · n⌉) whose simulated power reaches `target`:
/// a bracket around the n at which the power with Σ known reaches the target (searched between
/// the complete-data and the completers-only two-sample t test n), widened by doubling/halving
/// until the simulation confirms it, then bisection. All
/// candidates share the replicate seeds. `before` is called with each candidate n before it is
/// simulated; `tick` once per replicate.
pub fn simulate_sample_size(
    spec: &MmrmPowerSpec,
    target: f64,
    ratio: f64,
    before: &mut dyn FnMut(usize),
    tick: &(dyn Fn() + Sync),
) -> Result<MmrmSampleSize, MmrmPowerError> {
    check_spec(spec)?;
    let t = spec.sigma.nrows();
    let n2_of = |n: usize| ((ratio * n as f64) - 1e-9).ceil().max(2.0) as usize;
    let mut tried: Vec<MmrmPowerResult> = Vec::new();
    let mut sim = |n: usize, tried: &mut Vec<MmrmPowerResult>| -> Result<f64, MmrmPowerError> {
        if let Some(r) = tried.iter().find(|r| r.n1 == n) {
            return Ok(r.power);
        }
        before(n);
        let r = simulate_power(spec, n, n2_of(n), tick)?;
        let p = r.power;
        tried.push(r);
        Ok(p)
    };
    // Analytic guesses (two-sample t at the last visit, sd √Σ_TT, equal allocation).
    let sd = spec.sigma[(t - 1, t - 1)].sqrt();
    let delta = spec.delta[t - 1];
    let design = crate::stats::power::Design::TwoSampleT {
        delta,
        sd,
        sd2: sd,
        welch: false,
    };
    let guess = match crate::stats::power::sample_size(&design, target, ratio, spec.alpha, false) {
        Ok((n, _)) if n <= MAX_SIMULATED_N => n,
        Ok((n, _)) => {
            return Err(MmrmPowerError::BeyondSimulation {
                complete_data_n: Some(n),
            })
        }
        Err(_) => {
            return Err(MmrmPowerError::BeyondSimulation {
                complete_data_n: None,
            })
        }
    };
    // The Σ-known n (between the complete-data and completers-only n) centres the bracket:
    // the simulated power, with Σ estimated, is a little below it.
    let completers = 1.0 - dropout_of(spec, 0)[t - 1].max(dropout_of(spec, 1)[t - 1]);
    let upper_guess =
        ((guess as f64 / completers).ceil() as usize).clamp(MIN_SIMULATED_N, MAX_SIMULATED_N);
    let known = |n: usize| power_sigma_known(spec, n, n2_of(n)).unwrap_or(0.0);
    let (mut a, mut b) = (guess.max(MIN_SIMULATED_N), upper_guess);
    let centre = if known(b) < target {
        upper_guess
    } else {
        while b > a + 1 {
            let mid = (a + b) / 2;
            if known(mid) >= target {
                b = mid;
            } else {
                a = mid;
            }
        }
        b
    };
    let mut hi = ((centre as f64 * 1.04).ceil() as usize).clamp(MIN_SIMULATED_N, MAX_SIMULATED_N);
    while sim(hi, &mut tried)? < target {
        if hi >= MAX_SIMULATED_N {
            return Err(MmrmPowerError::AboveLimit {
                power_at_limit: tried.last().map(|r| r.power).unwrap_or(0.0),
            });
        }
        hi = (hi * 2).min(MAX_SIMULATED_N);
    }
    let mut lo = ((centre as f64 * 0.96).floor() as usize).clamp(MIN_SIMULATED_N, hi);
    while lo > MIN_SIMULATED_N && sim(lo, &mut tried)? >= target {
        hi = lo;
        lo = (lo / 2).max(MIN_SIMULATED_N);
    }
    if lo == MIN_SIMULATED_N && sim(lo, &mut tried)? >= target {
        hi = lo;
    }
    // sim(lo) < target ≤ sim(hi) (or hi = lo at the minimum).
    while hi > lo + 1 {
        let mid = (lo + hi) / 2;
        if sim(mid, &mut tried)? >= target {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    let at_n =
        tried.iter().find(|r| r.n1 == hi).cloned().ok_or_else(|| {
            MmrmPowerError::Shape("internal: the answer was not simulated".into())
        })?;
    Ok(MmrmSampleSize { n: hi, at_n, tried })
}

/// A T×T covariance from per-visit SDs and a named correlation pattern with parameter ρ:
/// compound symmetry (ρ between any two visits) or AR(1) (ρ^|i − j|).
pub fn covariance_from(sds: &[f64], rho: f64, pattern: CorrelationPattern) -> DMatrix<f64> {
    let t = sds.len();
    DMatrix::from_fn(t, t, |i, j| {
        let r = if i == j {
            1.0
        } else {
            match pattern {
                CorrelationPattern::CompoundSymmetry => rho,
                CorrelationPattern::Ar1 => rho.powi((i as i32 - j as i32).abs()),
            }
        };
        sds[i] * sds[j] * r
    })
}

/// A named correlation pattern over visits for [`covariance_from`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CorrelationPattern {
    /// The same correlation between any two visits.
    CompoundSymmetry,
    /// ρ^|i − j|.
    Ar1,
}

/// The power with Σ known, for comparison with the simulation: the GLS information of the
/// last-visit mean summed over each arm's dropout patterns (n · share with exactly m visits ·
/// Σ[1..m]⁻¹), its variance for the difference, and the two-sided t power on n1 + n2 − 2 df
/// (as power_mmrm.R's `asymptotic`). The simulation estimates Σ: its expected power is a little
/// lower and approaches this as n grows. None when the specification is invalid.
pub fn power_sigma_known(spec: &MmrmPowerSpec, n1: usize, n2: usize) -> Option<f64> {
    check_spec(spec).ok()?;
    let t = spec.sigma.nrows();
    let last_var = |arm: usize, n: usize| -> Option<f64> {
        let dropout = dropout_of(spec, arm);
        let observed: Vec<f64> = dropout.iter().map(|d| 1.0 - d).collect();
        let mut info = DMatrix::<f64>::zeros(t, t);
        for m in 1..=t {
            let share = observed[m - 1] - if m < t { observed[m] } else { 0.0 };
            if share <= 0.0 {
                continue;
            }
            let inv = spec.sigma.view((0, 0), (m, m)).into_owned().try_inverse()?;
            let mut block = info.view_mut((0, 0), (m, m));
            block += inv * (n as f64 * share);
        }
        Some(info.try_inverse()?[(t - 1, t - 1)])
    };
    let v = last_var(0, n1)? + last_var(1, n2)?;
    // The two-sample t power with the same SE and df: sd chosen so that sd·√(1/n1 + 1/n2) = √v.
    let sd = (v / (1.0 / n1 as f64 + 1.0 / n2 as f64)).sqrt();
    crate::stats::power::power(
        &crate::stats::power::Design::TwoSampleT {
            delta: spec.delta[t - 1],
            sd,
            sd2: sd,
            welch: false,
        },
        n1,
        n2,
        spec.alpha,
    )
}
