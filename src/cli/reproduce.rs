//! `trialstat reproduce`.

use super::common::{write_stdout, LayoutArg};
use super::Failure;
use clap::{Args, ValueEnum};
use serde_json::json;
use std::io::IsTerminal;
use std::path::PathBuf;
use trialstat::claims::{
    analyses_for_claims, check_claims, compare_with_data, options_for_claims, read_claims, Verdict,
};
use trialstat::data::{read_cohort, LayoutChoice, ReadOptions};
use trialstat::report::claims::{render_claims_csv, render_claims_json, render_claims_table};

/// Output formats of `reproduce`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Each claim with its verdict, reported and recomputed figures, for people (default on a terminal).
    Table,
    /// One row per claim: id, verdict, reason, then the figures (default when piped).
    Csv,
    /// {"meta": {...}, "claims": [...]} with every check and the per-n table.
    Json,
}

/// Exit status of `--strict` when a claim is inconsistent.
pub const EXIT_INCONSISTENT: u8 = 3;

#[derive(Debug, Args)]
#[command(after_help = "Examples:
  trialstat reproduce data/reported/tofacitinib_case_series.toml
  trialstat reproduce data/reported/tofacitinib_case_series.toml --data data/tofacitinib_case_series.csv
  trialstat reproduce data/reported/baricitinib_case_series.toml --format csv > verdicts.csv

The claims file (TOML) lists what a paper reports:
  [source]
  title = \"Tofacitinib case series\"
  [[claim]]
  id = \"thickness_wk12\"
  endpoint = \"plaque_thickness_mm\"
  arm = \"tofacitinib\"
  visit = \"week12\"
  estimand = \"mean_pct_change\"     # a results-table estimand, or mean / sd of raw values
  n = 12                            # optional; n = [n_arm, n_control] with control = \"…\"
  estimate = \"-52\"                  # strings keep the printed decimals
  ci = [\"-60\", \"-45\"]               # optional, conf_level = 0.95 by default
  p = \"<0.01\"                       # \"0.003\", \"=0.003\", \"<0.01\", \">0.05\", \"ns\"
  # sd = \"11.8\", k = 4 (k of n, rate estimands), statistic = { name = \"t\", value = \"15.3\", df = 11 },
  # scale = { min = 0, max = 10, step = 1 } (GRIM, GRIMMER, DEBIT, bounds), higher_is_better = true

Verdicts: consistent, inconsistent, cannot_check (with the reason). Exit status: 0 whatever the
verdicts (3 with --strict when a claim is inconsistent), 2 for a malformed claims or data file.")]
pub struct ReproduceArgs {
    /// Claims file (TOML).
    pub claims: PathBuf,
    /// A patient-level CSV to recompute every claim from (any layout `analyze` reads).
    #[arg(long, value_name = "FILE")]
    pub data: Option<PathBuf>,
    /// Output format [default: table on a terminal, csv otherwise].
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Exit with status 3 when any claim is inconsistent.
    #[arg(long)]
    pub strict: bool,
    /// With --data: the baseline visit [default as in analyze].
    #[arg(long, value_name = "VISIT")]
    pub baseline: Option<String>,
    /// With --data: the follow-up value that counts as clearance.
    #[arg(
        long,
        value_name = "X",
        default_value_t = 0.0,
        allow_negative_numbers = true
    )]
    pub clear_value: f64,
    /// With --data: the input layout.
    #[arg(long, value_enum, default_value = "auto")]
    pub layout: LayoutArg,
}

pub fn run(args: ReproduceArgs) -> Result<(), Failure> {
    let file = read_claims(&args.claims).map_err(Failure::input)?;
    let mut checks = check_claims(&file.claims);
    let mut data_meta = serde_json::Value::Null;
    if let Some(path) = &args.data {
        let read_options = ReadOptions {
            layout: match args.layout {
                LayoutArg::Auto => LayoutChoice::Auto,
                LayoutArg::Long => LayoutChoice::Long,
                LayoutArg::Wide => LayoutChoice::Wide,
            },
            ..ReadOptions::default()
        };
        let cohort = read_cohort(path, &read_options).map_err(Failure::input)?;
        let options = options_for_claims(&file.claims, args.baseline.clone(), args.clear_value);
        let analyses =
            analyses_for_claims(&cohort, &file.claims, &options).map_err(Failure::input)?;
        compare_with_data(&mut checks, &analyses);
        data_meta = json!({
            "path": path.display().to_string(),
            "sha256": cohort.source.sha256,
            "rows": cohort.rows_read,
            "baseline": args.baseline,
            "clear_value": args.clear_value,
            "responder": options.responder_thresholds,
            "higher_is_better": options.higher_is_better,
            "conf_levels": analyses.iter().map(|a| a.0).collect::<Vec<_>>(),
        });
    }
    let format = args.format.unwrap_or(if std::io::stdout().is_terminal() {
        Format::Table
    } else {
        Format::Csv
    });
    let text = match format {
        Format::Csv => render_claims_csv(&checks),
        Format::Json => {
            let meta = json!({
                "tool": "trialstat",
                "version": env!("CARGO_PKG_VERSION"),
                "command": "reproduce",
                "claims": {
                    "path": args.claims.display().to_string(),
                    "sha256": file.sha256,
                    "title": file.source.title,
                    "citation": file.source.citation,
                    "count": file.claims.len(),
                },
                "data": data_meta,
                "rounding": "a reported number stands for every value that rounds to it (up or down at 5)",
            });
            render_claims_json(meta, &checks)
        }
        Format::Table => render_claims_table(&file, &checks),
    };
    write_stdout(|w| w.write_all(text.as_bytes()))?;
    if args.strict && checks.iter().any(|c| c.verdict == Verdict::Inconsistent) {
        return Err(Failure {
            code: EXIT_INCONSISTENT,
            message: format!(
                "{} of {} claims are inconsistent (--strict)",
                checks
                    .iter()
                    .filter(|c| c.verdict == Verdict::Inconsistent)
                    .count(),
                checks.len()
            ),
        });
    }
    Ok(())
}
