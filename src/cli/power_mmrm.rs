//! `trialstat power --design mmrm`: the options of the simulated MMRM power (covariance over
//! visits, dropout, analysis model) and its run: power at --n, a curve over --n-range, or n per
//! arm for --power by a simulated bisection, with a progress bar on stderr.

use super::power::{bad, PowerArgs};
use super::Failure;
use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use nalgebra::DMatrix;
use std::io::IsTerminal;
use trialstat::analysis::mmrm::power::{
    covariance_from, power_sigma_known, simulate_power, simulate_sample_size, CorrelationPattern,
    MmrmPowerResult, MmrmPowerSpec, MAX_SIMULATED_N,
};
use trialstat::stats::mmrm::{CovStructure, DdfMethod};

/// Replicates of the MMRM simulation unless --sims says otherwise.
pub const DEFAULT_MMRM_SIMS: usize = 1000;

/// A named correlation over visits (with --rho).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CorrelationArg {
    /// Compound symmetry: ρ between any two visits.
    Cs,
    /// First-order autoregressive: ρ^|i − j|.
    Ar1,
}

/// Options of `--design mmrm`.
#[derive(Debug, Args)]
pub struct MmrmPowerArgs {
    /// MMRM: covariance of the responses over visits, a CSV file (T rows of T numbers, no
    /// header) or inline with rows separated by ';' ("64,43.2;43.2,81").
    #[arg(
        long,
        value_name = "FILE.csv|ROWS",
        help_heading = "MMRM by simulation"
    )]
    pub cov_matrix: Option<String>,
    /// MMRM: number of visits T, for --sd (or --sd-by-visit) with --rho and --correlation.
    #[arg(long, help_heading = "MMRM by simulation")]
    pub visits: Option<usize>,
    /// MMRM: SD at each visit (instead of one --sd).
    #[arg(
        long,
        value_delimiter = ',',
        value_name = "SD,...",
        help_heading = "MMRM by simulation"
    )]
    pub sd_by_visit: Vec<f64>,
    /// MMRM: correlation pattern over visits for --rho.
    #[arg(long, value_enum, help_heading = "MMRM by simulation")]
    pub correlation: Option<CorrelationArg>,
    /// MMRM: mean difference at every visit (treated − control; the last is tested), instead of
    /// --delta (the last visit's; earlier visits then get 0). Power is printed per visit.
    #[arg(
        long,
        value_delimiter = ',',
        allow_hyphen_values = true,
        value_name = "D,...",
        help_heading = "MMRM by simulation"
    )]
    pub delta_by_visit: Vec<f64>,
    /// MMRM: cumulative proportion of patients missing by each visit (monotone dropout, missing
    /// completely at random, the same in both arms) [default: 0 at every visit].
    #[arg(
        long,
        value_delimiter = ',',
        value_name = "P,...",
        help_heading = "MMRM by simulation"
    )]
    pub dropout: Vec<f64>,
    /// MMRM: the control arm's cumulative dropout by visit, when it differs from --dropout
    /// (which is then the treated arm's).
    #[arg(
        long,
        value_delimiter = ',',
        value_name = "P,...",
        help_heading = "MMRM by simulation"
    )]
    pub dropout_control: Vec<f64>,
    /// MMRM: covariance structure of the analysis model (as trialstat mmrm --cov).
    #[arg(long, default_value = "us", help_heading = "MMRM by simulation")]
    pub fit_cov: String,
    /// MMRM: do not fall back to TOEPH → ARH(1) → CS when the structure fails.
    #[arg(long, help_heading = "MMRM by simulation")]
    pub no_fallback: bool,
    /// MMRM: degrees of freedom of the last-visit contrast: kenward-roger, satterthwaite,
    /// kenward-roger-linear, between-within, residual.
    #[arg(
        long,
        default_value = "kenward-roger",
        help_heading = "MMRM by simulation"
    )]
    pub ddf: String,
}

fn parse_numbers(text: &str, option: &str, line: usize) -> Result<Vec<f64>, Failure> {
    text.split(',')
        .enumerate()
        .map(|(col, s)| {
            s.trim().parse::<f64>().map_err(|_| {
                bad(
                    option,
                    format!(
                        "row {line}, column {}: \"{}\" is not a number",
                        col + 1,
                        s.trim()
                    ),
                )
            })
        })
        .collect()
}

/// --cov-matrix: a file if one exists at the path, else inline rows.
fn read_cov_matrix(text: &str) -> Result<DMatrix<f64>, Failure> {
    let path = std::path::Path::new(text);
    let (rows, what): (Vec<String>, String) = if path.is_file() {
        let content = std::fs::read_to_string(path)
            .map_err(|e| bad("--cov-matrix", format!("{text}: cannot read: {e}")))?;
        (
            content
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_string)
                .collect(),
            text.to_string(),
        )
    } else {
        (
            text.split(';').map(|r| r.trim().to_string()).collect(),
            "--cov-matrix".to_string(),
        )
    };
    let mut values = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        let row = parse_numbers(r, &what, i + 1).map_err(|e| {
            if path.is_file() {
                e
            } else {
                bad(
                    "--cov-matrix",
                    format!(
                        "\"{text}\" is neither a file nor rows of numbers ('a,b;c,d'): {}",
                        e.message
                    ),
                )
            }
        })?;
        values.push(row);
    }
    let t = values.len();
    if let Some((i, r)) = values.iter().enumerate().find(|(_, r)| r.len() != t) {
        return Err(bad(
            "--cov-matrix",
            format!(
                "{what}: row {} has {} values; a covariance over {t} visits needs {t}",
                i + 1,
                r.len()
            ),
        ));
    }
    Ok(DMatrix::from_fn(t, t, |i, j| values[i][j]))
}

/// The covariance from --cov-matrix or --visits/--sd/--rho/--correlation.
fn covariance(a: &PowerArgs) -> Result<DMatrix<f64>, Failure> {
    let m = &a.mmrm;
    if let Some(text) = &m.cov_matrix {
        if m.visits.is_some() || !m.sd_by_visit.is_empty() || m.correlation.is_some() {
            return Err(bad(
                "--cov-matrix",
                "give either --cov-matrix or --visits/--sd/--rho/--correlation, not both",
            ));
        }
        return read_cov_matrix(text);
    }
    let sds: Vec<f64> = if !m.sd_by_visit.is_empty() {
        if a.sd.is_some() {
            return Err(bad("--sd-by-visit", "give --sd or --sd-by-visit, not both"));
        }
        if let Some(t) = m.visits {
            if t != m.sd_by_visit.len() {
                return Err(bad(
                    "--sd-by-visit",
                    format!("{} SDs for --visits {t}", m.sd_by_visit.len()),
                ));
            }
        }
        m.sd_by_visit.clone()
    } else {
        let t = m.visits.ok_or_else(|| {
            bad(
                "--cov-matrix",
                "the mmrm design needs --cov-matrix, or --visits with --sd (or --sd-by-visit), --rho and --correlation",
            )
        })?;
        let sd =
            a.sd.ok_or_else(|| bad("--sd", "required with --visits (or give --sd-by-visit)"))?;
        vec![sd; t]
    };
    if sds.len() < 2 {
        return Err(bad("--visits", "an MMRM needs at least 2 visits"));
    }
    if let Some(s) = sds.iter().find(|s| !(**s > 0.0 && s.is_finite())) {
        return Err(bad(
            "--sd-by-visit",
            format!("{s} is not a positive standard deviation"),
        ));
    }
    let rho = a
        .rho
        .ok_or_else(|| bad("--rho", "required: the correlation between visits"))?;
    let pattern = match m.correlation {
        Some(CorrelationArg::Cs) => CorrelationPattern::CompoundSymmetry,
        Some(CorrelationArg::Ar1) => CorrelationPattern::Ar1,
        None => return Err(bad("--correlation", "required with --rho: cs or ar1")),
    };
    Ok(covariance_from(&sds, rho, pattern))
}

/// The specifications to simulate, each with its label (one per --delta).
fn specs(a: &PowerArgs) -> Result<Vec<(String, MmrmPowerSpec)>, Failure> {
    let m = &a.mmrm;
    let sigma = covariance(a)?;
    let t = sigma.nrows();
    if t < 2 {
        return Err(bad("--cov-matrix", "an MMRM needs at least 2 visits"));
    }
    let cov = CovStructure::parse(&m.fit_cov).ok_or_else(|| {
        bad(
            "--fit-cov",
            format!(
                "'{}' is not one of us, cs, csh, ar1, ar1h, toep, toeph, adh",
                m.fit_cov
            ),
        )
    })?;
    let ddf = DdfMethod::parse(&m.ddf).ok_or_else(|| {
        bad(
            "--ddf",
            format!("'{}' is not one of kenward-roger, satterthwaite, kenward-roger-linear, between-within, residual", m.ddf),
        )
    })?;
    let dropout = if m.dropout.is_empty() {
        vec![0.0; t]
    } else {
        m.dropout.clone()
    };
    let deltas: Vec<Vec<f64>> = match (m.delta_by_visit.is_empty(), a.delta.is_empty()) {
        (false, true) => vec![m.delta_by_visit.clone()],
        (true, false) => a
            .delta
            .iter()
            .map(|&d| {
                let mut v = vec![0.0; t];
                v[t - 1] = d;
                v
            })
            .collect(),
        (false, false) => {
            return Err(bad(
                "--delta-by-visit",
                "give --delta (last visit) or --delta-by-visit, not both",
            ))
        }
        (true, true) => {
            return Err(bad(
                "--delta",
                "required by this design (the mean difference at the last visit)",
            ))
        }
    };
    let mut out = Vec::new();
    for delta in deltas {
        let last = delta.last().copied().unwrap_or(0.0);
        if last == 0.0 && a.power.is_some() {
            return Err(bad(
                "--delta",
                "an effect of 0 at the last visit reaches no power above alpha; give a non-zero effect",
            ));
        }
        let label = if m.delta_by_visit.is_empty() {
            format!("delta = {last}")
        } else {
            format!("delta by visit = {}", join(&delta))
        };
        let spec = MmrmPowerSpec {
            sigma: sigma.clone(),
            delta,
            dropout: dropout.clone(),
            dropout_control: (!m.dropout_control.is_empty()).then(|| m.dropout_control.clone()),
            alpha: a.alpha,
            cov,
            fallback: !m.no_fallback,
            ddf,
            sims: a.sims.unwrap_or(DEFAULT_MMRM_SIMS),
            seed: a.seed,
        };
        trialstat::analysis::mmrm::power::check_spec(&spec).map_err(|e| {
            use trialstat::analysis::mmrm::power::MmrmPowerError as E;
            let option = match &e {
                E::Covariance(_) => "--cov-matrix",
                E::Dropout(_) if spec.dropout_control.is_some() => "--dropout/--dropout-control",
                E::Dropout(_) => "--dropout",
                _ if spec.delta.len() != t => "--delta-by-visit",
                _ => "--delta",
            };
            bad(option, e)
        })?;
        out.push((label, spec));
    }
    Ok(out)
}

fn join(v: &[f64]) -> String {
    v.iter()
        .map(|x| format!("{x}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn bar(total: u64, message: String) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let pb = ProgressBar::new(total);
    pb.set_style(
        ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} ({elapsed}, ~{eta} left)")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    pb.set_message(message);
    pb
}

fn fits_line(r: &MmrmPowerResult, spec: &MmrmPowerSpec) -> String {
    let mut parts = vec![format!("{} {}", r.fits_requested, spec.cov.sas_name())];
    for (c, k) in &r.fits_fallback {
        parts.push(format!("{k} fell back to {}", c.sas_name()));
    }
    parts.push(format!(
        "{} failed (counted as not significant)",
        r.fits_failed
    ));
    format!("fits: {}", parts.join(", "))
}

/// A power curve: per label, (n, power) points.
pub type Curve = Vec<(String, Vec<(usize, f64)>)>;

/// Runs the mmrm design; returns the lines to print and the power curve (--n-range).
pub fn run(a: &PowerArgs, n2_of: &dyn Fn(usize) -> usize) -> Result<(Vec<String>, Curve), Failure> {
    let list = specs(a)?;
    let Some((_, first)) = list.first() else {
        return Err(bad("--delta", "required by this design"));
    };
    let t = first.sigma.nrows();
    let sd: Vec<f64> = (0..t).map(|i| first.sigma[(i, i)].sqrt()).collect();
    let mut lines = vec![
        format!(
            "design mmrm (power by simulation), two-sided alpha {}, control : treated = {}",
            a.alpha, a.ratio
        ),
        format!(
            "covariance over {t} visits: SD {}; correlations {}",
            join(&sd.iter().map(|x| round(*x, 6)).collect::<Vec<_>>()),
            (0..t)
                .map(|i| (0..t)
                    .map(|j| format!("{}", round(first.sigma[(i, j)] / (sd[i] * sd[j]), 4)))
                    .collect::<Vec<_>>()
                    .join(" "))
                .collect::<Vec<_>>()
                .join(" / ")
        ),
        match &first.dropout_control {
            None => format!(
                "dropout (cumulative by visit, monotone, completely at random): {}",
                join(&first.dropout)
            ),
            Some(c) => format!(
                "dropout (cumulative by visit, monotone, completely at random): treated {}; control {}",
                join(&first.dropout),
                join(c)
            ),
        },
        format!(
            "analysis: MMRM y ~ arm × visit (cell means), {} covariance{}, REML, {} df; last-visit contrast; {} simulations, seed {}",
            first.cov.sas_name(),
            if first.fallback { " (fallback TOEPH → ARH(1) → CS)" } else { "" },
            first.ddf.label(),
            first.sims,
            first.seed
        ),
    ];
    let per_visit = !a.mmrm.delta_by_visit.is_empty();
    let mut curve: Curve = Vec::new();
    let describe = |r: &MmrmPowerResult| {
        format!(
            "n = {} (control {}) → simulated power {:.4} (Monte-Carlo SE {:.4}); expected completers {} + {}",
            r.n1,
            r.n2,
            r.power,
            r.mc_se,
            round(r.expected_completers.0, 1),
            round(r.expected_completers.1, 1)
        )
    };
    for (label, spec) in &list {
        if let Some(n) = a.n {
            if n > MAX_SIMULATED_N {
                return Err(bad(
                    "--n",
                    format!("at most {MAX_SIMULATED_N} per arm for the simulated design"),
                ));
            }
            let pb = bar(spec.sims as u64, format!("{label}, n = {n}"));
            let r = simulate_power(spec, n, n2_of(n), &|| pb.inc(1))
                .map_err(|e| bad("--design mmrm", e))?;
            pb.finish_and_clear();
            lines.push(format!("{label}: {}", describe(&r)));
            lines.push(format!("  {}", fits_line(&r, spec)));
            if let Some(p) = power_sigma_known(spec, n, n2_of(n)) {
                lines.push(format!(
                    "  for comparison, the power with Σ known (GLS information over the dropout patterns, t on n1 + n2 − 2 df): {p:.4}"
                ));
            }
            if per_visit {
                lines.push(format!(
                    "  power by visit: {}",
                    r.power_by_visit
                        .iter()
                        .map(|p| format!("{p:.4}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
        } else if let Some(target) = a.power {
            let pb = bar(spec.sims as u64, String::new());
            let mut before = |n: usize| {
                pb.reset();
                pb.set_message(format!("{label}: simulating n = {n}"));
            };
            let found = simulate_sample_size(spec, target, a.ratio, &mut before, &|| pb.inc(1))
                .map_err(|e| bad("--power", format!("{label}: {e}")))?;
            pb.finish_and_clear();
            let r = &found.at_n;
            lines.push(format!(
                "{label}: n = {} per arm (control {}) for power {target}: simulated power {:.4} (Monte-Carlo SE {:.4}) at n = {}",
                found.n, r.n2, r.power, r.mc_se, found.n
            ));
            if let Some(below) = found.tried.iter().find(|x| x.n1 + 1 == found.n) {
                lines.push(format!(
                    "  at n = {}: {:.4}; simulated: each power has a Monte-Carlo SE of about {:.4}, so neighbouring n are not told apart (raise --sims to narrow it)",
                    below.n1,
                    below.power,
                    r.mc_se
                ));
            }
            let mut tried = found.tried.clone();
            tried.sort_by_key(|x| x.n1);
            lines.push(format!(
                "  candidates simulated (common random numbers): {}",
                tried
                    .iter()
                    .map(|x| format!("{} → {:.4}", x.n1, x.power))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
            lines.push(format!("  {}", fits_line(r, spec)));
        } else if let Some(range) = &a.n_range {
            let ns = super::power::parse_range(range)?;
            if ns.iter().any(|&n| n > MAX_SIMULATED_N) {
                return Err(bad(
                    "--n-range",
                    format!("at most {MAX_SIMULATED_N} per arm for the simulated design"),
                ));
            }
            lines.push(format!("{label}:"));
            let pb = bar((spec.sims * ns.len()) as u64, label.clone());
            let mut pts = Vec::new();
            for n in ns {
                let r = simulate_power(spec, n, n2_of(n), &|| pb.inc(1))
                    .map_err(|e| bad("--design mmrm", e))?;
                lines.push(format!(
                    "  n = {n:>7}  power {:.4}  (MC SE {:.4})",
                    r.power, r.mc_se
                ));
                pts.push((n, r.power));
            }
            pb.finish_and_clear();
            curve.push((label.clone(), pts));
        }
    }
    Ok((lines, curve))
}

fn round(x: f64, digits: i32) -> f64 {
    let f = 10f64.powi(digits);
    (x * f).round() / f
}
