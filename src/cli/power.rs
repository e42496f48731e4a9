//! `trialstat power`: power for a given n, n for a given power, or a power curve, for the
//! designs of `stats::power`; effect and SD from the command line or from a published claim
//! (`--from CLAIMS.toml --claim ID`), whose implied SD range gives n at its lower, middle and
//! upper end.

use super::common::write_stdout;
use super::Failure;
use clap::{Args, ValueEnum};
use std::io::Write;
use std::path::PathBuf;
use trialstat::claims::{check_claim, read_claims};
use trialstat::stats::power::{
    p_greater_normal, power, sample_size, wmw_power_simulated, Design, MAX_N,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DesignArg {
    /// One-sample t test of a mean (change or percent change) against 0.
    OneSampleT,
    /// Paired t test (the same as one-sample on the changes).
    PairedT,
    /// Two-sample t test with equal variances.
    TwoSampleT,
    /// Two-sample Welch t test (--sd2 for the control arm).
    WelchT,
    /// ANCOVA on the baseline (--rho: baseline–follow-up correlation).
    Ancova,
    /// Two proportions (--p1, --p2), normal approximation.
    TwoProportions,
    /// Two proportions, normal approximation with Fleiss' continuity correction.
    TwoProportionsCc,
    /// Two proportions, Fisher's exact test (power by enumeration).
    FisherExact,
    /// Wilcoxon–Mann–Whitney, Noether's formula (normal data with --delta, --sd).
    WmwNoether,
    /// Wilcoxon–Mann–Whitney by seeded simulation of normal data (--sims, --seed).
    WmwSimulation,
    /// MMRM last-visit contrast by seeded simulation of trials over visits (--cov-matrix or
    /// --visits/--sd/--rho/--correlation, --dropout; --sims, --seed).
    Mmrm,
}

#[derive(Debug, Args)]
#[command(after_help = "Examples:
  trialstat power --design two-sample-t --delta 5 --sd 10 --power 0.9
  trialstat power --design two-proportions --p1 0.6 --p2 0.3 --n 50
  trialstat power --design two-sample-t --delta 3,5,8 --sd 10 --n-range 10:100:10
  trialstat power --from data/reported/tofacitinib_case_series.toml --claim thickness_wk12 --control-pct-change -10 --power 0.9
  trialstat power --design mmrm --visits 4 --sd 10 --rho 0.6 --correlation ar1 --delta 5 --dropout 0,0.1,0.15,0.2 --n 80
  trialstat power --design mmrm --cov-matrix sigma.csv --delta 5 --dropout 0,0.1,0.2 --power 0.9 --sims 500 --seed 7

Two-sided tests. Give --n (power), --power (n per arm; the control arm gets ⌈ratio · n⌉) or
--n-range (a power curve; --plot FILE.png draws it). Exit status 2 names a bad option.

--design mmrm simulates two-arm trials from the covariance over visits (multivariate normal;
--cov-matrix, or --visits with --sd or --sd-by-visit, --rho and --correlation cs|ar1), with the
mean difference --delta at the last visit (or --delta-by-visit), monotone dropout completely at
random (--dropout: cumulative proportion missing by each visit; --dropout-control when the control
arm's differs), and fits each with
trialstat's MMRM (cell means arm × visit, --fit-cov us with trialstat mmrm's fallback chain, REML,
--ddf kenward-roger). The power is the share of replicates whose last-visit contrast has p ≤ alpha,
printed with its Monte-Carlo SE; failed fits count as not significant and are reported. --power
searches n by bisection on simulated power (same seeds for every n). Results depend only on --seed,
not on the number of threads (RAYON_NUM_THREADS).")]
pub struct PowerArgs {
    /// The design [default: two-sample-t].
    #[arg(long, value_enum)]
    pub design: Option<DesignArg>,
    /// Difference in means (treated − control; one-sample: the mean); several, comma-separated,
    /// for a power curve.
    #[arg(long, value_delimiter = ',', allow_hyphen_values = true)]
    pub delta: Vec<f64>,
    /// Standard deviation (of the treated arm for Welch).
    #[arg(long, allow_hyphen_values = true)]
    pub sd: Option<f64>,
    /// Standard deviation of the control arm (Welch) [default: --sd].
    #[arg(long, allow_hyphen_values = true)]
    pub sd2: Option<f64>,
    /// Correlation of baseline and follow-up (ANCOVA).
    #[arg(long, allow_hyphen_values = true)]
    pub rho: Option<f64>,
    /// Response rate of the treated arm.
    #[arg(long)]
    pub p1: Option<f64>,
    /// Response rate of the control arm.
    #[arg(long)]
    pub p2: Option<f64>,
    /// Two-sided significance level.
    #[arg(long, default_value_t = 0.05)]
    pub alpha: f64,
    /// Patients per arm (the treated arm): print the power.
    #[arg(long)]
    pub n: Option<usize>,
    /// Target power: print n per arm.
    #[arg(long)]
    pub power: Option<f64>,
    /// Power curve over n per arm: FROM:TO or FROM:TO:STEP.
    #[arg(long, value_name = "FROM:TO[:STEP]")]
    pub n_range: Option<String>,
    /// Control-arm patients per treated patient.
    #[arg(long, default_value_t = 1.0)]
    pub ratio: f64,
    /// Simulations for --design wmw-simulation [default: 2000] and mmrm [default: 1000].
    #[arg(long)]
    pub sims: Option<usize>,
    /// Seed of the simulation.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Claims file (TOML) with the claim to plan from.
    #[arg(long, value_name = "CLAIMS.toml", requires = "claim")]
    pub from: Option<PathBuf>,
    /// Id of a mean or mean-change claim in --from: its estimate is the treated arm's mean and
    /// the SD range it implies gives n at the lower, middle and upper SD.
    #[arg(long, value_name = "ID", requires = "from")]
    pub claim: Option<String>,
    /// The control arm's expected mean percent change (with a mean_pct_change claim).
    #[arg(long, allow_hyphen_values = true)]
    pub control_pct_change: Option<f64>,
    /// The control arm's expected mean change (with a mean_change claim).
    #[arg(long, allow_hyphen_values = true)]
    pub control_change: Option<f64>,
    /// Draw the power curve (--n-range) as a PNG.
    #[arg(long, value_name = "FILE.png", requires = "n_range")]
    pub plot: Option<PathBuf>,
    #[command(flatten)]
    pub mmrm: super::power_mmrm::MmrmPowerArgs,
}

/// SDs to plan with, each with its label.
type Sds = Vec<(String, f64)>;

pub(super) fn bad(option: &str, message: impl std::fmt::Display) -> Failure {
    Failure::input(format!("{option}: {message}"))
}

/// Checks the options that do not depend on the design.
fn check_common(a: &PowerArgs) -> Result<(), Failure> {
    if !(a.alpha > 0.0 && a.alpha < 1.0) {
        return Err(bad("--alpha", format!("{} is not in (0, 1)", a.alpha)));
    }
    if let Some(p) = a.power {
        if !(p > 0.0 && p < 1.0) {
            return Err(bad("--power", format!("{p} is not in (0, 1)")));
        }
    }
    if !(a.ratio > 0.0 && a.ratio.is_finite()) {
        return Err(bad(
            "--ratio",
            format!("{} is not a positive number", a.ratio),
        ));
    }
    for (name, v) in [("--sd", a.sd), ("--sd2", a.sd2)] {
        if let Some(s) = v {
            if !(s > 0.0 && s.is_finite()) {
                return Err(bad(
                    name,
                    format!("{s} is not a positive standard deviation"),
                ));
            }
        }
    }
    if let Some(r) = a.rho {
        if !(r > -1.0 && r < 1.0) {
            return Err(bad("--rho", format!("{r} is not in (-1, 1)")));
        }
    }
    for (name, v) in [("--p1", a.p1), ("--p2", a.p2)] {
        if let Some(p) = v {
            if !(0.0..=1.0).contains(&p) {
                return Err(bad(name, format!("{p} is not a proportion in [0, 1]")));
            }
        }
    }
    if a.n.is_some() as u8 + a.power.is_some() as u8 + a.n_range.is_some() as u8 != 1 {
        return Err(bad("--n / --power / --n-range", "give exactly one of them"));
    }
    if let Some(n) = a.n {
        if !(2..=MAX_N).contains(&n) {
            return Err(bad("--n", format!("{n} is not between 2 and {MAX_N}")));
        }
    }
    if a.sims == Some(0) {
        return Err(bad("--sims", "must be at least 1"));
    }
    Ok(())
}

/// The designs to evaluate, each with a label: one per delta (and per SD of a claim's range).
fn designs(
    a: &PowerArgs,
    kind: DesignArg,
    sds: &[(String, f64)],
) -> Result<Vec<(String, Design)>, Failure> {
    let need = |name: &str, v: Option<f64>| v.ok_or_else(|| bad(name, "required by this design"));
    let mut out = Vec::new();
    match kind {
        DesignArg::TwoProportions | DesignArg::TwoProportionsCc | DesignArg::FisherExact => {
            let (p1, p2) = (need("--p1", a.p1)?, need("--p2", a.p2)?);
            if p1 == p2 && a.power.is_some() {
                return Err(bad("--p1/--p2", "equal rates: no n reaches any power"));
            }
            let d = match kind {
                DesignArg::FisherExact => Design::TwoProportionsExact { p1, p2 },
                _ => Design::TwoProportions {
                    p1,
                    p2,
                    continuity: kind == DesignArg::TwoProportionsCc,
                },
            };
            out.push((format!("p1 = {p1}, p2 = {p2}"), d));
            return Ok(out);
        }
        _ => {}
    }
    if a.delta.is_empty() {
        return Err(bad("--delta", "required by this design"));
    }
    for &delta in &a.delta {
        if !delta.is_finite() {
            return Err(bad("--delta", format!("{delta} is not a number")));
        }
        if delta == 0.0 && a.power.is_some() {
            return Err(bad(
                "--delta",
                "an effect of 0 reaches no power above alpha; give a non-zero effect",
            ));
        }
        for (sd_label, sd) in sds {
            let label = if sds.len() > 1 {
                format!("delta = {delta}, {sd_label}")
            } else {
                format!("delta = {delta}, SD = {sd}")
            };
            let sd = *sd;
            let d = match kind {
                DesignArg::OneSampleT | DesignArg::PairedT => Design::OneSampleT { delta, sd },
                DesignArg::TwoSampleT => Design::TwoSampleT {
                    delta,
                    sd,
                    sd2: sd,
                    welch: false,
                },
                DesignArg::WelchT => Design::TwoSampleT {
                    delta,
                    sd,
                    sd2: a.sd2.unwrap_or(sd),
                    welch: true,
                },
                DesignArg::Ancova => Design::Ancova {
                    delta,
                    sd,
                    rho: need("--rho", a.rho)?,
                },
                DesignArg::WmwNoether | DesignArg::WmwSimulation => Design::WmwNoether {
                    p_greater: p_greater_normal(delta, sd),
                },
                _ => unreachable!("handled above"),
            };
            out.push((label, d));
        }
    }
    Ok(out)
}

/// The SDs to plan with and the treated arm's delta from a claim.
fn from_claim(a: &PowerArgs) -> Result<(f64, Sds, String), Failure> {
    let (Some(path), Some(id)) = (&a.from, &a.claim) else {
        return Err(bad("--from", "internal: no claim"));
    };
    let file = read_claims(path).map_err(|e| bad("--from", e))?;
    let claim = file.claims.iter().find(|c| &c.id == id).ok_or_else(|| {
        let ids: Vec<&str> = file.claims.iter().map(|c| c.id.as_str()).collect();
        bad(
            "--claim",
            format!(
                "no claim '{id}' in {} (claims: {})",
                path.display(),
                ids.join(", ")
            ),
        )
    })?;
    let control = match claim.estimand.as_str() {
        "mean_pct_change" => a.control_pct_change.ok_or_else(|| {
            bad("--control-pct-change", "required: the control arm's expected mean percent change")
        })?,
        "mean_change" | "mean" => a.control_change.ok_or_else(|| {
            bad("--control-change", "required: the control arm's expected mean change")
        })?,
        other => {
            return Err(bad("--claim", format!("'{id}' is a {other} claim; power planning needs a mean, mean_change or mean_pct_change claim")))
        }
    };
    let est = claim
        .estimate
        .as_ref()
        .ok_or_else(|| bad("--claim", format!("'{id}' reports no estimate")))?;
    let check = check_claim(claim);
    let sd = check.recomputed.sd.ok_or_else(|| {
        bad(
            "--claim",
            format!("'{id}' implies no SD (it needs n with an interval, an SD or a statistic)"),
        )
    })?;
    let mid = (sd.low + sd.high) / 2.0;
    let sds = vec![
        (format!("SD {:.4} (lower end)", sd.low), sd.low),
        (format!("SD {mid:.4} (middle)"), mid),
        (format!("SD {:.4} (upper end)", sd.high), sd.high),
    ];
    let about = format!(
        "claim {id} ({}, {} · {} · {}): estimate {}, implied SD {:.4} to {:.4}; control {control}; delta = {}",
        claim.estimand,
        claim.endpoint,
        claim.arm,
        claim.visit,
        est.text,
        sd.low,
        sd.high,
        est.value - control
    );
    Ok((est.value - control, sds, about))
}

/// FROM:TO[:STEP].
pub(super) fn parse_range(text: &str) -> Result<Vec<usize>, Failure> {
    let parts: Vec<&str> = text.split(':').collect();
    let num = |s: &str| {
        s.trim().parse::<usize>().map_err(|_| {
            bad(
                "--n-range",
                format!("'{text}' is not FROM:TO[:STEP] in whole numbers"),
            )
        })
    };
    let (from, to, step) = match parts.as_slice() {
        [a, b] => (num(a)?, num(b)?, 1),
        [a, b, c] => (num(a)?, num(b)?, num(c)?),
        _ => return Err(bad("--n-range", format!("'{text}' is not FROM:TO[:STEP]"))),
    };
    if from < 2 || to < from || step == 0 || to > MAX_N || (to - from) / step > 100_000 {
        return Err(bad(
            "--n-range",
            format!("'{text}': need 2 ≤ FROM ≤ TO ≤ {MAX_N}, STEP ≥ 1, at most 100000 points"),
        ));
    }
    Ok((from..=to).step_by(step).collect())
}

pub fn run(mut a: PowerArgs) -> Result<(), Failure> {
    check_common(&a)?;
    if a.design == Some(DesignArg::Mmrm) {
        return run_mmrm(&a);
    }
    let mut header = Vec::new();
    let sds: Vec<(String, f64)> = if a.from.is_some() {
        let (delta, sds, about) = from_claim(&a)?;
        if !a.delta.is_empty() {
            return Err(bad(
                "--delta",
                "comes from the claim with --from; leave it out",
            ));
        }
        a.delta = vec![delta];
        header.push(about);
        sds
    } else {
        match a.sd {
            Some(s) => vec![(format!("SD {s}"), s)],
            None => vec![(String::new(), f64::NAN)],
        }
    };
    let kind = a.design.unwrap_or(DesignArg::TwoSampleT);
    let needs_sd = !matches!(
        kind,
        DesignArg::TwoProportions | DesignArg::TwoProportionsCc | DesignArg::FisherExact
    );
    if needs_sd && sds.iter().any(|s| s.1.is_nan()) {
        return Err(bad("--sd", "required by this design"));
    }
    let list = designs(&a, kind, &sds)?;
    let one_sample = matches!(kind, DesignArg::OneSampleT | DesignArg::PairedT);
    let n2 = |n: usize| {
        if one_sample {
            0
        } else {
            ((a.ratio * n as f64) - 1e-9).ceil().max(2.0) as usize
        }
    };
    let sim = kind == DesignArg::WmwSimulation;
    let sims = a.sims.unwrap_or(2000);
    let eval = |d: &Design, n: usize| -> (Option<f64>, Option<f64>) {
        if sim {
            let (delta, sd) = (a.delta[0], sds[0].1);
            let _ = d;
            let (p, se) = wmw_power_simulated(delta, sd, n, n2(n), a.alpha, sims, a.seed);
            (Some(p), Some(se))
        } else {
            (power(d, n, n2(n), a.alpha), None)
        }
    };
    let design_name = kind
        .to_possible_value()
        .map(|v| v.get_name().to_string())
        .unwrap_or_default();
    let mut lines = header;
    lines.push(format!(
        "design {design_name}, two-sided alpha {}, {}",
        a.alpha,
        if one_sample {
            "one sample".to_string()
        } else {
            format!("control : treated = {}", a.ratio)
        }
    ));
    let mut curve: Vec<(String, Vec<(usize, f64)>)> = Vec::new();
    for (label, d) in &list {
        if let Some(n) = a.n {
            let (p, se) = eval(d, n);
            let p = p.ok_or_else(|| bad("--n", format!("{n} is too small for this design")))?;
            let mc = se
                .map(|s| {
                    format!(
                        " (Monte-Carlo SE {s:.4}, {sims} simulations, seed {})",
                        a.seed
                    )
                })
                .unwrap_or_default();
            lines.push(format!(
                "{label}: n = {n}{} → power {p:.6}{mc}",
                arm2(one_sample, n2(n))
            ));
        } else if let Some(target) = a.power {
            if sim {
                return Err(bad(
                    "--power",
                    "use --n or --n-range with wmw-simulation (or wmw-noether for n)",
                ));
            }
            match sample_size(d, target, a.ratio, a.alpha, one_sample) {
                Ok((n, p)) => lines.push(format!(
                    "{label}: n = {n} per arm{} for power {target} (attained {p:.6})",
                    arm2(one_sample, n2(n))
                )),
                Err(e) => return Err(bad("--power", format!("{label}: {e}"))),
            }
        } else if let Some(r) = &a.n_range {
            let ns = parse_range(r)?;
            let mut pts = Vec::new();
            lines.push(format!("{label}:"));
            for n in ns {
                let (p, se) = eval(d, n);
                if let Some(p) = p {
                    let mc = se.map(|s| format!("  (MC SE {s:.4})")).unwrap_or_default();
                    lines.push(format!("  n = {n:>7}  power {p:.6}{mc}"));
                    pts.push((n, p));
                }
            }
            curve.push((label.clone(), pts));
        }
    }
    if let Some(path) = &a.plot {
        trialstat::plot::power_curve(path, &curve, &design_name)
            .map_err(|e| bad("--plot", format!("{}: {e}", path.display())))?;
        lines.push(format!("wrote {}", path.display()));
    }
    write_stdout(|w: &mut dyn Write| {
        for l in &lines {
            writeln!(w, "{l}")?;
        }
        Ok(())
    })
}

/// `--design mmrm` (cli/power_mmrm.rs).
fn run_mmrm(a: &PowerArgs) -> Result<(), Failure> {
    if a.from.is_some() {
        return Err(bad(
            "--from",
            "not available with --design mmrm: give the covariance over visits (--cov-matrix or --visits/--sd/--rho/--correlation)",
        ));
    }
    let n2 = |n: usize| ((a.ratio * n as f64) - 1e-9).ceil().max(2.0) as usize;
    let (mut lines, curve) = super::power_mmrm::run(a, &n2)?;
    if let Some(path) = &a.plot {
        trialstat::plot::power_curve(path, &curve, "MMRM, simulated")
            .map_err(|e| bad("--plot", format!("{}: {e}", path.display())))?;
        lines.push(format!("wrote {}", path.display()));
    }
    write_stdout(|w: &mut dyn Write| {
        for l in &lines {
            writeln!(w, "{l}")?;
        }
        Ok(())
    })
}

fn arm2(one_sample: bool, n2: usize) -> String {
    if one_sample {
        String::new()
    } else {
        format!(" (control {n2})")
    }
}
