//! `trialstat simulate`.

use super::common::{same_file, write_stdout};
use super::Failure;
use clap::{Args, ValueEnum};
use std::path::{Path, PathBuf};
use trialstat::claims::cohort::CohortLayout;
use trialstat::claims::read_claims;
use trialstat::claims::search::SimulateOptions;
use trialstat::claims::simulate::{cohort_spread, simulate_cohorts, SimulationError};
use trialstat::report::claims::{rejection_text, render_spread};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SimLayout {
    /// patient_id, arm, visit, week, endpoint, value
    Long,
    /// patient_id, arm, visit, week, one column per endpoint
    Wide,
}

#[derive(Debug, Args)]
#[command(after_help = "Examples:
  trialstat simulate data/reported/tofacitinib_case_series.toml --seed 7 --out cohort.csv
  trialstat simulate data/reported/baricitinib_case_series.toml --n 12 --seed 1 --count 20 --out sims/bari.csv

Every cohort written is re-read and analysed with `trialstat analyze` before it is kept: each claim
must be reproduced at its reported precision (the same comparison as `reproduce --data`). With
--count K > 1 the files are FILE_01.csv … FILE_K.csv and a summary of how much they vary is printed.
Exit status: 0 ok, 2 bad claims file or no cohort found (the claims that block it are named).")]
pub struct SimulateArgs {
    /// Claims file (TOML).
    pub claims: PathBuf,
    /// Seed of the search (recorded in the output summary); the same seed gives the same files.
    #[arg(long)]
    pub seed: u64,
    /// Number of distinct cohorts to write.
    #[arg(long, default_value_t = 1)]
    pub count: usize,
    /// Output CSV file (with --count > 1: the stem of numbered files).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Patients per arm when the claims do not give n.
    #[arg(long)]
    pub n: Option<usize>,
    /// Layout of the written file.
    #[arg(long, value_enum, default_value = "long")]
    pub layout: SimLayout,
    /// Moves per attempt of the search (25 attempts at most).
    #[arg(long, default_value_t = 200_000)]
    pub max_moves: usize,
}

fn numbered(out: &Path, i: usize, count: usize) -> PathBuf {
    if count == 1 {
        return out.to_path_buf();
    }
    let stem = out
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_else(|| "cohort".into());
    let ext = out
        .extension()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_else(|| "csv".into());
    let width = count.to_string().len().max(2);
    out.with_file_name(format!("{stem}_{:0width$}.{ext}", i + 1))
}

pub fn run(args: SimulateArgs) -> Result<(), Failure> {
    let file = read_claims(&args.claims).map_err(Failure::input)?;
    if args.count == 0 || args.count > 10_000 {
        return Err(Failure::input(format!(
            "--count: found {}, expected 1 to 10000",
            args.count
        )));
    }
    if same_file(&args.out, &args.claims) {
        return Err(Failure::input(format!(
            "{}: refusing to overwrite the claims file; choose another --out",
            args.out.display()
        )));
    }
    if let Some(dir) = args.out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| {
            Failure::input(format!(
                "{}: cannot create the directory: {e}",
                dir.display()
            ))
        })?;
    }
    let opts = SimulateOptions {
        seed: args.seed,
        n: args.n,
        max_moves: args.max_moves,
        ..SimulateOptions::default()
    };
    let scratch = args.out.with_file_name(format!(
        ".{}.trialstat-simulate-{}.tmp",
        args.out
            .file_name()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default(),
        std::process::id()
    ));
    let layout = match args.layout {
        SimLayout::Long => CohortLayout::Long,
        SimLayout::Wide => CohortLayout::Wide,
    };
    let run =
        simulate_cohorts(&file.claims, &opts, args.count, layout, &scratch).map_err(
            |e| match e {
                SimulationError::Reread(_) => Failure::internal(e),
                _ => Failure::input(e),
            },
        )?;
    let kept = run.kept;
    if kept.len() < args.count {
        return Err(Failure::input(format!(
            "found {} of {} cohorts in {} tries; the last candidate failed re-analysis: {}",
            kept.len(),
            args.count,
            run.tries,
            rejection_text(run.last_rejection.as_ref())
        )));
    }
    for (i, k) in kept.iter().enumerate() {
        let path = numbered(&args.out, i, args.count);
        std::fs::write(&path, &k.text)
            .map_err(|e| Failure::input(format!("{}: cannot write: {e}", path.display())))?;
    }
    let mut s = format!(
        "simulate: {} cohort(s) from {} (sha256 {}), seed {}, solution indices {}\n",
        kept.len(),
        args.claims.display(),
        &file.sha256[..16],
        args.seed,
        kept.iter()
            .map(|k| k.index.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    );
    s.push_str(&format!(
        "wrote {}{}; each re-analysed: every claim reproduced at its reported precision\n",
        numbered(&args.out, 0, args.count).display(),
        if args.count > 1 {
            format!(
                " … {}",
                numbered(&args.out, args.count - 1, args.count).display()
            )
        } else {
            String::new()
        }
    ));
    let analyses: Vec<_> = kept.iter().map(|k| &k.analysis).collect();
    s.push_str(&render_spread(
        analyses.len(),
        &cohort_spread(&file.claims, &analyses),
    ));
    write_stdout(|w| w.write_all(s.as_bytes()))
}
