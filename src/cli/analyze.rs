//! `trialstat analyze`.

use super::Failure;
use clap::{Args, ValueEnum};
use serde_json::json;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use trialstat::analysis::{analyze, AnalysisOptions, MissingRule};
use trialstat::data::{read_cohort, LayoutChoice, ReadOptions};
use trialstat::report::{render_csv, render_human, render_json, Meta};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Aligned text for people (default on a terminal).
    Table,
    /// The results table as CSV (default when piped).
    Csv,
    /// {"meta": {...}, "results": [...]}.
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MissingArg {
    CompleteCase,
    Locf,
    Bocf,
    Nri,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LayoutArg {
    Auto,
    Long,
    Wide,
}

#[derive(Debug, Args)]
#[command(after_help = "Examples:
  trialstat analyze data/tofacitinib_case_series.csv
  trialstat analyze data/baricitinib_case_series.csv --format json
  trialstat analyze adsl_bds.csv --endpoint-col PARAMCD --baseline Baseline --out results/
  trialstat analyze weights.csv --higher-is-better weight --responder 5,10

Input: long (patient_id, arm, visit, [week,] endpoint, value), wide (patient_id, arm, visit, [week,]
one numeric column per endpoint) or CDISC ADaM BDS (USUBJID, TRT01A, AVISIT, AVISITN, PARAMCD, AVAL);
comma, semicolon or tab; NA or empty for missing. Exit status: 0 ok, 2 bad input or usage, 1 internal error.")]
pub struct AnalyzeArgs {
    /// Patient-level CSV file.
    pub file: PathBuf,
    /// Baseline visit [default: a visit named baseline/BL/screening-day-0, else the smallest week].
    #[arg(long, value_name = "VISIT")]
    pub baseline: Option<String>,
    /// Reference arm for between-arm contrasts [default: an arm named placebo/control/vehicle].
    #[arg(long, value_name = "ARM")]
    pub control: Option<String>,
    /// Endpoints for which an increase is an improvement (all others: lower is better).
    #[arg(long, value_name = "ENDPOINT", value_delimiter = ',')]
    pub higher_is_better: Vec<String>,
    /// Responder thresholds, percent improvement from baseline.
    #[arg(
        long,
        value_name = "P",
        value_delimiter = ',',
        default_value = "50,75",
        allow_negative_numbers = true
    )]
    pub responder: Vec<f64>,
    /// Follow-up value that counts as clearance.
    #[arg(
        long,
        value_name = "X",
        default_value_t = 0.0,
        allow_negative_numbers = true
    )]
    pub clear_value: f64,
    /// Confidence level of every interval.
    #[arg(
        long,
        value_name = "LEVEL",
        default_value_t = 0.95,
        allow_negative_numbers = true
    )]
    pub conf_level: f64,
    /// Output format on stdout [default: table on a terminal, csv otherwise].
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Also write results.csv and results.json into this directory.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Input layout.
    #[arg(long, value_enum, default_value = "auto")]
    pub layout: LayoutArg,
    /// Only these endpoints (wide: column names; long: endpoint values).
    #[arg(long, value_name = "ENDPOINT", value_delimiter = ',')]
    pub endpoints: Option<Vec<String>>,
    /// Missing follow-up values: complete-case, locf (last observation carried forward),
    /// bocf (baseline carried forward) or nri (non-responder imputation in responder and
    /// clearance rows, complete cases elsewhere).
    #[arg(long, value_enum, default_value = "complete-case")]
    pub missing: MissingArg,
    /// A patient-level covariate column for the ANCOVA (numeric or categorical, e.g. site or
    /// baseline_severity); repeat for more.
    #[arg(long, value_name = "COL")]
    pub covariate: Vec<String>,
    /// Patient id column [default: patient_id, USUBJID, subject_id, …].
    #[arg(long, value_name = "COL")]
    pub id_col: Option<String>,
    /// Arm column [default: TRT01A, TRTA, TRT01P, arm, treatment, …]; without one, arm = "all".
    #[arg(long, value_name = "COL")]
    pub arm_col: Option<String>,
    /// Visit column [default: AVISIT, visit].
    #[arg(long, value_name = "COL")]
    pub visit_col: Option<String>,
    /// Numeric time column that orders visits [default: week, AVISITN].
    #[arg(long, value_name = "COL")]
    pub week_col: Option<String>,
    /// Endpoint-name column of the long layout [default: endpoint, PARAMCD, PARAM].
    #[arg(long, value_name = "COL")]
    pub endpoint_col: Option<String>,
    /// Value column of the long layout [default: value, AVAL].
    #[arg(long, value_name = "COL")]
    pub value_col: Option<String>,
}

fn write_stdout(f: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> Result<(), Failure> {
    let stdout = std::io::stdout();
    let mut lock = stdout.lock();
    match f(&mut lock).and_then(|_| lock.flush()) {
        Ok(()) => Ok(()),
        // `| head` closed the pipe: stop quietly.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Failure::internal(format!(
            "cannot write to standard output: {e}"
        ))),
    }
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

pub fn run(args: AnalyzeArgs) -> Result<(), Failure> {
    let read_options = ReadOptions {
        layout: match args.layout {
            LayoutArg::Auto => LayoutChoice::Auto,
            LayoutArg::Long => LayoutChoice::Long,
            LayoutArg::Wide => LayoutChoice::Wide,
        },
        id_col: args.id_col.clone(),
        arm_col: args.arm_col.clone(),
        visit_col: args.visit_col.clone(),
        week_col: args.week_col.clone(),
        endpoint_col: args.endpoint_col.clone(),
        value_col: args.value_col.clone(),
        endpoints: args.endpoints.clone(),
        covariates: args.covariate.clone(),
    };
    let options = AnalysisOptions {
        baseline: args.baseline.clone(),
        control: args.control.clone(),
        higher_is_better: args.higher_is_better.clone(),
        responder_thresholds: args.responder.clone(),
        clear_value: args.clear_value,
        conf_level: args.conf_level,
        missing: match args.missing {
            MissingArg::CompleteCase => MissingRule::CompleteCase,
            MissingArg::Locf => MissingRule::Locf,
            MissingArg::Bocf => MissingRule::Bocf,
            MissingArg::Nri => MissingRule::Nri,
        },
    };
    let cohort = read_cohort(&args.file, &read_options).map_err(Failure::input)?;
    let analysis = analyze(&cohort, &options).map_err(Failure::input)?;

    let format = args.format.unwrap_or(if std::io::stdout().is_terminal() {
        Format::Table
    } else {
        Format::Csv
    });
    let meta = Meta {
        tool: "trialstat",
        version: env!("CARGO_PKG_VERSION"),
        input: json!({
            "path": args.file.display().to_string(),
            "sha256": cohort.source.sha256,
            "rows": cohort.rows_read,
            "delimiter": cohort.source.delimiter,
            "layout": cohort.source.layout,
            "columns": cohort.source.columns,
        }),
        options: json!({
            "baseline": args.baseline,
            "control": args.control,
            "higher_is_better": args.higher_is_better,
            "responder": args.responder,
            "clear_value": args.clear_value,
            "conf_level": args.conf_level,
            "layout": read_options.layout,
            "endpoints": args.endpoints,
            "id_col": args.id_col,
            "arm_col": args.arm_col,
            "visit_col": args.visit_col,
            "week_col": args.week_col,
            "endpoint_col": args.endpoint_col,
            "value_col": args.value_col,
            "alternative": "two_sided",
            "missing": options.missing,
            "covariates": args.covariate,
        }),
        seed: None,
    };

    if let Some(dir) = &args.out {
        std::fs::create_dir_all(dir).map_err(|e| {
            Failure::input(format!(
                "{}: cannot create the output directory: {e}",
                dir.display()
            ))
        })?;
        let csv_path = dir.join("results.csv");
        let json_path = dir.join("results.json");
        for p in [&csv_path, &json_path] {
            if same_file(p, &args.file) {
                return Err(Failure::input(format!(
                    "{}: refusing to overwrite the input file; choose another --out directory",
                    p.display()
                )));
            }
        }
        let write = |path: &Path,
                     f: &dyn Fn(std::fs::File) -> std::io::Result<()>|
         -> Result<(), Failure> {
            let file = std::fs::File::create(path)
                .map_err(|e| Failure::input(format!("{}: cannot write: {e}", path.display())))?;
            f(file).map_err(|e| Failure::input(format!("{}: cannot write: {e}", path.display())))
        };
        write(&csv_path, &|f| {
            render_csv(&analysis, std::io::BufWriter::new(f))
        })?;
        write(&json_path, &|f| {
            render_json(&analysis, &meta, std::io::BufWriter::new(f))
        })?;
        eprintln!("wrote {} and {}", csv_path.display(), json_path.display());
    }

    match format {
        Format::Csv => write_stdout(|w| render_csv(&analysis, w)),
        Format::Json => write_stdout(|w| render_json(&analysis, &meta, w)),
        Format::Table => {
            let source = format!(
                "{} ({} layout, {} rows, {} patients, {} arm(s), endpoints: {})",
                args.file.display(),
                match cohort.source.layout {
                    trialstat::data::Layout::Long => "long",
                    trialstat::data::Layout::Wide => "wide",
                },
                cohort.rows_read,
                cohort.patients.len(),
                cohort.arms.len(),
                cohort.endpoints.join(", ")
            );
            let text = render_human(&analysis, &source);
            write_stdout(|w| w.write_all(text.as_bytes()))
        }
    }
}
