//! `trialstat survival`: Kaplan–Meier, log-rank and Cox on one-row-per-subject time-to-event
//! data (ADaM ADTTE or any CSV with a time and an event/censoring column).

use super::analyze::Format;
use super::common::{write_stdout, ConventionArg};
use super::Failure;
use clap::{Args, ValueEnum};
use serde_json::json;
use std::io::IsTerminal;
use std::path::PathBuf;
use trialstat::analysis::convention::Convention;
use trialstat::analysis::survival::{analyze_survival, SurvivalOptions, TimeName};
use trialstat::data::time_to_event::{read_time_to_event, TteReadOptions};
use trialstat::report::survival::render_survival_human;
use trialstat::report::{render_rows_csv, render_rows_json};
use trialstat::stats::survival::Ties;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TiesArg {
    /// Efron's approximation (R's default).
    Efron,
    /// Breslow's approximation (SAS PHREG's default).
    Breslow,
}

#[derive(Debug, Args)]
#[command(after_help = "Examples:
  trialstat survival ../shared/reference/cdiscpilot01/adtte.csv
  trialstat survival adtte.csv --strata SEX --at 30,90 --covariate AGE --format csv
  trialstat survival lung.csv --time-col time --event-col event --arm-col sex --control 1

Input: one row per subject. ADaM ADTTE is recognised: AVAL (time), CNSR (1 = censored), PARAMCD
(one parameter, or choose with --param), TRTP (arm). Rows: median_time, q25_time, q75_time and
survival_at_{t} per arm (kaplan_meier); survival_diff (log_rank) and hazard_ratio (cox) for each arm
against the control. Exit status: 0 ok, 2 bad input or usage, 1 internal error.")]
pub struct SurvivalArgs {
    /// Time-to-event file, one row per subject: CSV, SAS transport (XPT v5/v8), sas7bdat or
    /// Parquet.
    pub file: PathBuf,
    /// Time column [default: AVAL, time].
    #[arg(long, value_name = "COL")]
    pub time_col: Option<String>,
    /// Event column, 1 = event, 0 = censored [default: event, status].
    #[arg(long, value_name = "COL")]
    pub event_col: Option<String>,
    /// Censoring column, 1 = censored, 0 = event [default: CNSR].
    #[arg(long, value_name = "COL")]
    pub censor_col: Option<String>,
    /// Arm column [default: TRTP, TRT01P, TRTA, TRT01A, arm, treatment, group].
    #[arg(long, value_name = "COL")]
    pub arm_col: Option<String>,
    /// Parameter to analyse when the file holds several (ADaM PARAMCD value).
    #[arg(long, value_name = "PARAMCD")]
    pub param: Option<String>,
    /// Parameter column [default: PARAMCD].
    #[arg(long, value_name = "COL")]
    pub param_col: Option<String>,
    /// Keep only rows whose flag column is Y (e.g. SAFFL, ITTFL).
    #[arg(long, value_name = "FLAG")]
    pub population: Option<String>,
    /// Stratify the log-rank test and the Cox model by these columns.
    #[arg(long, value_name = "COL", value_delimiter = ',')]
    pub strata: Vec<String>,
    /// Survival at these times (in the file's units).
    #[arg(long, value_name = "T", value_delimiter = ',')]
    pub at: Vec<f64>,
    /// Handling of tied event times in the Cox model.
    #[arg(long, value_enum, default_value = "efron")]
    pub ties: TiesArg,
    /// Covariate of the Cox model (numeric, or categorical with the first level sorted as
    /// reference); repeat for more.
    #[arg(long, value_name = "COL")]
    pub covariate: Vec<String>,
    /// Reference arm [default: an arm named placebo/control/vehicle].
    #[arg(long, value_name = "ARM")]
    pub control: Option<String>,
    /// Confidence level of every interval.
    #[arg(long, value_name = "LEVEL", default_value_t = 0.95)]
    pub conf_level: f64,
    /// Whose numbers where R and SAS differ: r (default) or sas (adds the quartile and
    /// survival-at rows again as kaplan_meier_sas, with SAS PROC LIFETEST's default log-log
    /// limits; use --ties breslow for PROC PHREG's Cox default). See docs/sas-convention.md.
    #[arg(long, value_enum, default_value = "r")]
    pub convention: ConventionArg,
    /// Output format on stdout [default: table on a terminal, csv otherwise].
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Also draw the Kaplan–Meier figure (PNG, numbers at risk under the axis) into DIR.
    #[arg(long, value_name = "DIR")]
    pub plots: Option<PathBuf>,
    /// Shade the pointwise confidence bands in the figure.
    #[arg(long)]
    pub bands: bool,
}

pub fn run(args: SurvivalArgs) -> Result<(), Failure> {
    let read = TteReadOptions {
        time_col: args.time_col.clone(),
        event_col: args.event_col.clone(),
        censor_col: args.censor_col.clone(),
        arm_col: args.arm_col.clone(),
        param_col: args.param_col.clone(),
        param: args.param.clone(),
        population: args.population.clone(),
        strata: args.strata.clone(),
        covariates: args.covariate.clone(),
    };
    let data = read_time_to_event(&args.file, &read).map_err(Failure::input)?;
    let options = SurvivalOptions {
        control: args.control.clone(),
        at: args.at.clone(),
        ties: match args.ties {
            TiesArg::Efron => Ties::Efron,
            TiesArg::Breslow => Ties::Breslow,
        },
        conf_level: args.conf_level,
        convention: match args.convention {
            ConventionArg::R => Convention::R,
            ConventionArg::Sas => Convention::Sas,
        },
    };
    let mut analysis =
        analyze_survival(&data, &options, TimeName::Time, "").map_err(Failure::input)?;
    for (reason, count) in &data.left_out {
        analysis
            .notes
            .push(format!("{count} row(s) left out: {reason}"));
    }
    if let Some(dir) = &args.plots {
        std::fs::create_dir_all(dir).map_err(|e| {
            Failure::input(format!(
                "{}: cannot create the directory: {e}",
                dir.display()
            ))
        })?;
        let path = dir.join(format!("km_{}.png", sanitize(&analysis.endpoint)));
        let o = trialstat::plot::survival::KmFigureOptions {
            bands: args.bands,
            time_label: format!("Time ({})", data.columns[0].1),
            ..Default::default()
        };
        trialstat::plot::survival::km_figure(&analysis, &path, &o).map_err(Failure::input)?;
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
            let sha = trialstat::data::records::sha256_file(&args.file).map_err(Failure::input)?;
            let mut meta = json!({
                "tool": "trialstat",
                "version": env!("CARGO_PKG_VERSION"),
                "command": "survival",
                "input": {
                    "path": args.file.display().to_string(),
                    "sha256": sha,
                    "rows": data.rows_read,
                    "columns": data.columns.iter().map(|(k, v)| json!({"role": k, "column": v})).collect::<Vec<_>>(),
                },
                "options": {
                    "read": read,
                    "analysis": options,
                },
                "control_arm": analysis.control,
                "audit": {
                    "rows_read": data.rows_read,
                    "rows_used": data.time.len(),
                    "rows_left_out": data.left_out.iter().map(|(k, v)| json!({"reason": k, "rows": v})).collect::<Vec<_>>(),
                },
                "seed": null,
            });
            // The format only when it is not CSV, so that the meta of CSV input stays as it was.
            if let Some(f) = trialstat::data::records::non_csv_format(&args.file) {
                meta["input"]["format"] = json!(f);
            }
            write_stdout(|w| render_rows_json(&analysis.rows, meta, w))
        }
        Format::Table => {
            let source = format!(
                "{} ({} rows read, {} patients used, {} arm(s))",
                args.file.display(),
                data.rows_read,
                data.time.len(),
                analysis.curves.len()
            );
            let text = render_survival_human(&analysis, &source);
            write_stdout(|w| w.write_all(text.as_bytes()))
        }
    }
}

/// A file-name-safe version of a label.
pub fn sanitize(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}
