//! `trialstat simulate`.

use super::analyze::{same_file, write_stdout};
use super::Failure;
use clap::{Args, ValueEnum};
use std::path::{Path, PathBuf};
use trialstat::analysis::Analysis;
use trialstat::claims::search::{simulate, to_long_csv, to_wide_csv, SimCohort, SimulateOptions};
use trialstat::claims::{
    analyses_for_claims, check_claims, compare_with_data, options_for_claims, read_claims, Claim,
    Verdict,
};
use trialstat::data::{read_cohort, ReadOptions};

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

/// Re-read a written cohort and check every claim against its analysis.
fn verify(path: &Path, claims: &[Claim]) -> Result<(Analysis, Vec<String>), String> {
    let cohort = read_cohort(path, &ReadOptions::default()).map_err(|e| e.to_string())?;
    let options = options_for_claims(claims, None, 0.0);
    let mut analyses = analyses_for_claims(&cohort, claims, &options).map_err(|e| e.to_string())?;
    let mut checks = check_claims(claims);
    compare_with_data(&mut checks, &analyses);
    let failed: Vec<String> = checks
        .iter()
        .filter(|c| c.data.as_ref().map(|d| d.verdict) != Some(Verdict::Consistent))
        .map(|c| format!("{}: {}", c.claim.id, c.reason()))
        .collect();
    Ok((analyses.swap_remove(0).1, failed))
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
    let mut kept: Vec<(SimCohort, String, Analysis, u64)> = Vec::new();
    let mut index = 0u64;
    let max_tries = (args.count as u64) * 5 + 10;
    let tmp = args.out.with_file_name(format!(
        ".{}.trialstat-simulate-{}.tmp",
        args.out
            .file_name()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default(),
        std::process::id()
    ));
    let mut last_problem = String::new();
    while kept.len() < args.count && index < max_tries {
        let cohort = simulate(&file.claims, &opts, index).map_err(Failure::input)?;
        index += 1;
        let text = match args.layout {
            SimLayout::Long => to_long_csv(&cohort),
            SimLayout::Wide => to_wide_csv(&cohort),
        };
        if kept.iter().any(|k| k.1 == text) {
            last_problem = "the search repeated an earlier cohort".into();
            continue;
        }
        std::fs::write(&tmp, &text)
            .map_err(|e| Failure::input(format!("{}: cannot write: {e}", tmp.display())))?;
        let verified = verify(&tmp, &file.claims);
        let _ = std::fs::remove_file(&tmp);
        match verified {
            Ok((analysis, failed)) if failed.is_empty() => {
                kept.push((cohort, text, analysis, index - 1))
            }
            Ok((_, failed)) => last_problem = failed.join("; "),
            Err(e) => {
                return Err(Failure::internal(format!(
                    "a simulated cohort could not be re-read: {e}"
                )))
            }
        }
    }
    if kept.len() < args.count {
        return Err(Failure::input(format!(
            "found {} of {} cohorts in {index} tries; the last candidate failed re-analysis: {last_problem}",
            kept.len(),
            args.count
        )));
    }
    for (i, (_, text, _, _)) in kept.iter().enumerate() {
        let path = numbered(&args.out, i, args.count);
        std::fs::write(&path, text)
            .map_err(|e| Failure::input(format!("{}: cannot write: {e}", path.display())))?;
    }
    let mut s = format!(
        "simulate: {} cohort(s) from {} (sha256 {}), seed {}, solution indices {}\n",
        kept.len(),
        args.claims.display(),
        &file.sha256[..16],
        args.seed,
        kept.iter()
            .map(|k| k.3.to_string())
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
    s.push_str(&summary(
        &file.claims,
        &kept.iter().map(|k| &k.2).collect::<Vec<_>>(),
    ));
    write_stdout(|w| w.write_all(s.as_bytes()))
}

/// How much the cohorts vary in what the claims do not pin down.
fn summary(claims: &[Claim], analyses: &[&Analysis]) -> String {
    let mut cells: Vec<(String, String, String)> = Vec::new();
    for c in claims {
        let key = (c.endpoint.clone(), c.arm.clone(), c.visit.clone());
        if !cells.contains(&key) {
            cells.push(key);
        }
    }
    let mut s = format!(
        "\nacross {} cohort(s), per claimed endpoint · arm · visit (min – max):\n",
        analyses.len()
    );
    s.push_str(&format!(
        "{:<34} {:>17} {:>17} {:>17} {:>9} {:>9} {:>9}\n",
        "endpoint · arm · visit",
        "mean % change",
        "SD % change",
        "median % change",
        "resp50",
        "resp75",
        "cleared"
    ));
    let span = |v: &[f64], d: usize| -> String {
        let lo = v.iter().cloned().fold(f64::INFINITY, f64::min);
        let hi = v.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
        if (hi - lo).abs() < 0.5 * 10f64.powi(-(d as i32)) {
            format!("{lo:.d$}")
        } else {
            format!("{lo:.d$} – {hi:.d$}")
        }
    };
    for (e, a, v) in cells {
        let mut means = Vec::new();
        let mut sds = Vec::new();
        let mut medians = Vec::new();
        let mut r50 = Vec::new();
        let mut r75 = Vec::new();
        let mut clr = Vec::new();
        for an in analyses {
            let pct: Vec<f64> = an
                .patients
                .iter()
                .filter(|p| p.endpoint == e && p.arm == a && p.visit == v)
                .filter_map(|p| p.pct_change)
                .collect();
            if pct.is_empty() {
                continue;
            }
            means.push(trialstat::stats::descriptive::mean(&pct).unwrap_or(f64::NAN));
            sds.push(trialstat::stats::descriptive::sd(&pct).unwrap_or(f64::NAN));
            medians.push(trialstat::stats::descriptive::median(&pct).unwrap_or(f64::NAN));
            if let Some(cell) = an
                .cells
                .iter()
                .find(|c| c.endpoint == e && c.arm == a && c.visit == v)
            {
                for &(t, k, _) in &cell.responders {
                    if t == 50.0 {
                        r50.push(k as f64);
                    }
                    if t == 75.0 {
                        r75.push(k as f64);
                    }
                }
                clr.push(cell.cleared.0 as f64);
            }
        }
        if means.is_empty() {
            continue;
        }
        s.push_str(&format!(
            "{:<34} {:>17} {:>17} {:>17} {:>9} {:>9} {:>9}\n",
            format!("{e} · {a} · {v}"),
            span(&means, 2),
            span(&sds, 2),
            span(&medians, 2),
            span(&r50, 0),
            span(&r75, 0),
            span(&clr, 0)
        ));
    }
    s
}
