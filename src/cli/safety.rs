//! `trialstat safety`: adverse-event incidence tables from ADaM ADAE and ADSL.

use super::analyze::Format;
use super::common::write_stdout;
use super::Failure;
use clap::Args;
use serde_json::json;
use std::io::IsTerminal;
use std::path::PathBuf;
use trialstat::analysis::safety::{analyze_safety, SafetyOptions};
use trialstat::data::adverse_events::{read_safety, SafetyReadOptions};
use trialstat::report::safety::render_safety_human;
use trialstat::report::{render_rows_csv, render_rows_json};

#[derive(Debug, Args)]
#[command(after_help = "Example:
  trialstat safety ../shared/reference/cdiscpilot01/adae.csv --adsl ../shared/reference/cdiscpilot01/adsl.csv

Counting rules: the safety population is ADSL's patients with SAFFL = Y, by actual treatment
(TRT01A); events are ADAE records with TRTEMFL = Y of those patients. A patient counts once per
preferred term (AEDECOD) and once per system organ class (AEBODSYS); ae_rate counts every event
record over the arm's exposure, (TRTEDT − TRTSDT + 1) days / 365.25 summed over its patients.
Rows: ae_incidence (clopper_pearson), ae_incidence_diff (newcombe), ae_rate (exact_poisson, per 100
patient-years). Exit status: 0 ok, 2 bad input or usage, 1 internal error.")]
pub struct SafetyArgs {
    /// ADAE (one row per adverse event): CSV, SAS transport (XPT v5/v8), sas7bdat or Parquet.
    pub file: PathBuf,
    /// ADSL (one row per patient: population flag, arm, treatment dates): CSV, XPT, sas7bdat or
    /// Parquet.
    #[arg(long, value_name = "FILE")]
    pub adsl: PathBuf,
    /// Population flag column of ADSL (rows with Y are the population).
    #[arg(long, value_name = "COL", default_value = "SAFFL")]
    pub population: String,
    /// Arm column of ADSL.
    #[arg(long, value_name = "COL", default_value = "TRT01A")]
    pub arm_col: String,
    /// Reference arm [default: an arm named placebo/control/vehicle].
    #[arg(long, value_name = "ARM")]
    pub control: Option<String>,
    /// Confidence level of every interval.
    #[arg(long, value_name = "LEVEL", default_value_t = 0.95)]
    pub conf_level: f64,
    /// Output format on stdout [default: table on a terminal, csv otherwise].
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Also draw the adverse-event dot plot (PNG) of the most frequent preferred terms into DIR.
    #[arg(long, value_name = "DIR")]
    pub plots: Option<PathBuf>,
}

pub fn run(args: SafetyArgs) -> Result<(), Failure> {
    let read = SafetyReadOptions {
        population: args.population.clone(),
        arm_col: args.arm_col.clone(),
        ..SafetyReadOptions::default()
    };
    let data = read_safety(&args.file, &args.adsl, &read).map_err(Failure::input)?;
    let options = SafetyOptions {
        control: args.control.clone(),
        conf_level: args.conf_level,
    };
    let analysis = analyze_safety(&data, &options).map_err(Failure::input)?;
    if let Some(dir) = &args.plots {
        std::fs::create_dir_all(dir).map_err(|e| {
            Failure::input(format!(
                "{}: cannot create the directory: {e}",
                dir.display()
            ))
        })?;
        let path = dir.join("ae_dot_plot.png");
        trialstat::plot::survival::ae_dot_plot(&analysis, &path, 25).map_err(Failure::input)?;
        eprintln!("wrote {}", path.display());
    }
    let format = args.format.unwrap_or(if std::io::stdout().is_terminal() {
        Format::Table
    } else {
        Format::Csv
    });
    match format {
        Format::Csv => write_stdout(|w| render_rows_csv(&analysis.rows, w)),
        Format::Json => {
            let sha =
                |p: &PathBuf| trialstat::data::records::sha256_file(p).map_err(Failure::input);
            let mut meta = json!({
                "tool": "trialstat",
                "version": env!("CARGO_PKG_VERSION"),
                "command": "safety",
                "input": {
                    "adae": {"path": args.file.display().to_string(), "sha256": sha(&args.file)?, "rows": data.adae_rows},
                    "adsl": {"path": args.adsl.display().to_string(), "sha256": sha(&args.adsl)?, "rows": data.adsl_rows},
                },
                "options": {"read": read, "analysis": options},
                "counting": "a patient counts once per preferred term and once per system organ class; ae_rate counts event records per 100 patient-years of exposure (TRTEDT − TRTSDT + 1 days / 365.25)",
                "arms": analysis.arms.iter().enumerate().map(|(i, a)| json!({
                    "arm": a, "n": analysis.n[i], "patient_years": analysis.patient_years[i],
                    "patients_without_exposure": analysis.exposure_missing[i]})).collect::<Vec<_>>(),
                "control_arm": analysis.control,
                "audit": {
                    "events_counted": data.events.len(),
                    "adae_rows_left_out": data.events_left_out.iter().map(|(k, v)| json!({"reason": k, "rows": v})).collect::<Vec<_>>(),
                },
                "seed": null,
            });
            // The format only when it is not CSV, so that the meta of CSV input stays as it was.
            for (key, path) in [("adae", &args.file), ("adsl", &args.adsl)] {
                if let Some(f) = trialstat::data::records::non_csv_format(path) {
                    meta["input"][key]["format"] = json!(f);
                }
            }
            write_stdout(|w| render_rows_json(&analysis.rows, meta, w))
        }
        Format::Table => {
            let source = format!(
                "{} + {} ({} events counted of {} ADAE rows)",
                args.file.display(),
                args.adsl.display(),
                data.events.len(),
                data.adae_rows
            );
            let text = render_safety_human(&analysis, &source);
            write_stdout(|w| w.write_all(text.as_bytes()))
        }
    }
}
