//! `trialstat analyze`.

use super::Failure;
use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::json;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use trialstat::analysis::{analyze_with_progress, Analysis, AnalysisOptions, MissingRule};
use trialstat::data::{read_cohort_hash_pending, Cohort, LayoutChoice, ReadOptions};
use trialstat::report::{render_csv, render_human, render_json, Meta};
use trialstat::stats::multiplicity::AdjustMethod;

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
pub enum AdjustArg {
    Holm,
    Hochberg,
    Hommel,
    Bonferroni,
    Bh,
    By,
    None,
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
    #[command(flatten)]
    pub input: InputArgs,
    /// Output format on stdout [default: table on a terminal, csv otherwise].
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Also write results.csv and results.json into this directory.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Also draw the figures (waterfall, spaghetti, forest, responders, distribution) into DIR.
    #[arg(long, value_name = "DIR")]
    pub plots: Option<PathBuf>,
    /// Image format of --plots.
    #[arg(long, value_enum, default_value = "png")]
    pub plot_format: super::plot::PlotFormat,
}

/// The input file and every option that shapes reading and analysis (shared by `analyze` and `plot`).
#[derive(Debug, Args)]
pub struct InputArgs {
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
    /// Adjust p-values for multiplicity within each family of rows sharing comparison kind,
    /// estimand, method and visit (across endpoints and arms); adds the column p_adjusted.
    #[arg(long, value_enum)]
    pub adjust: Option<AdjustArg>,
    /// Fixed-sequence testing of the between-arm rows over these endpoints, in this order
    /// (adds p_adjusted: the largest p up to each endpoint).
    #[arg(long, value_name = "ENDPOINT", value_delimiter = ',')]
    pub hierarchy: Vec<String>,
    /// Add BCa bootstrap rows (mean_pct_change and mean_change_diff) with N resamples
    /// (10000 is a good choice); off by default.
    #[arg(long, value_name = "N")]
    pub bootstrap: Option<usize>,
    /// Seed of the bootstrap, of Monte-Carlo permutation tests and of the figures' jitter
    /// (recorded in the JSON meta).
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Also test the changes with Pratt's handling of zeros (exact; rank with the zeros, then
    /// drop them): adds rows pseudo_median_change/wilcoxon_exact_pratt.
    #[arg(long)]
    pub pratt: bool,
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

pub fn write_stdout(f: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> Result<(), Failure> {
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

pub fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

/// A spinner on stderr (hidden unless `show`).
pub fn progress_spinner(show: bool, message: String) -> ProgressBar {
    if !show {
        return ProgressBar::hidden();
    }
    let pb = ProgressBar::new_spinner();
    pb.set_style(
        ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    pb.set_message(message);
    pb.enable_steady_tick(std::time::Duration::from_millis(120));
    pb
}

/// A bar on stderr (hidden unless `show`).
pub fn progress_bar(show: bool, message: &'static str) -> ProgressBar {
    if !show {
        return ProgressBar::hidden();
    }
    let pb = ProgressBar::new(0);
    pb.set_style(
        ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} ({elapsed})")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    pb.set_message(message);
    pb
}

/// Read and analyse the input as the options say.
pub fn load(
    input: &InputArgs,
    patient_table: bool,
) -> Result<(Cohort, Analysis, ReadOptions, AnalysisOptions), Failure> {
    let read_options = ReadOptions {
        layout: match input.layout {
            LayoutArg::Auto => LayoutChoice::Auto,
            LayoutArg::Long => LayoutChoice::Long,
            LayoutArg::Wide => LayoutChoice::Wide,
        },
        id_col: input.id_col.clone(),
        arm_col: input.arm_col.clone(),
        visit_col: input.visit_col.clone(),
        week_col: input.week_col.clone(),
        endpoint_col: input.endpoint_col.clone(),
        value_col: input.value_col.clone(),
        endpoints: input.endpoints.clone(),
        covariates: input.covariate.clone(),
    };
    let options = AnalysisOptions {
        baseline: input.baseline.clone(),
        control: input.control.clone(),
        higher_is_better: input.higher_is_better.clone(),
        responder_thresholds: input.responder.clone(),
        clear_value: input.clear_value,
        conf_level: input.conf_level,
        missing: match input.missing {
            MissingArg::CompleteCase => MissingRule::CompleteCase,
            MissingArg::Locf => MissingRule::Locf,
            MissingArg::Bocf => MissingRule::Bocf,
            MissingArg::Nri => MissingRule::Nri,
        },
        adjust: input.adjust.map(|a| match a {
            AdjustArg::Holm => AdjustMethod::Holm,
            AdjustArg::Hochberg => AdjustMethod::Hochberg,
            AdjustArg::Hommel => AdjustMethod::Hommel,
            AdjustArg::Bonferroni => AdjustMethod::Bonferroni,
            AdjustArg::Bh => AdjustMethod::Bh,
            AdjustArg::By => AdjustMethod::By,
            AdjustArg::None => AdjustMethod::None,
        }),
        hierarchy: input.hierarchy.clone(),
        bootstrap: input.bootstrap,
        seed: input.seed,
        pratt: input.pratt,
        patient_table,
    };
    // Progress on stderr, only on a terminal and only for inputs that take a while (> 20 MB).
    let big = std::fs::metadata(&input.file)
        .map(|m| m.len() > 20_000_000)
        .unwrap_or(false);
    let show = big && std::io::stderr().is_terminal();
    let spinner = progress_spinner(show, format!("reading {}", input.file.display()));
    let t = std::time::Instant::now();
    // The SHA-256 of the input (for the output's provenance) is finished after the analysis,
    // on a low-priority thread that uses what the reader and the analysis leave idle.
    let read = read_cohort_hash_pending(&input.file, &read_options);
    let t_read = t.elapsed();
    spinner.finish_and_clear();
    let (mut cohort, hash) = read.map_err(Failure::input)?;
    let bar = progress_bar(show, "analysing endpoint × visit cells");
    let analysis = analyze_with_progress(&cohort, &options, &|done, total| {
        bar.set_length(total as u64);
        bar.set_position(done as u64);
    });
    bar.finish_and_clear();
    let analysis = analysis.map_err(Failure::input)?;
    cohort.source.sha256 = hash.wait().map_err(Failure::input)?;
    // Phase timings for benchmarking (documented in README, Performance).
    if std::env::var_os("TRIALSTAT_TIMINGS").is_some() {
        eprintln!(
            "timings: read {:.3} s, analysis {:.3} s",
            t_read.as_secs_f64(),
            (t.elapsed() - t_read).as_secs_f64()
        );
    }
    Ok((cohort, analysis, read_options, options))
}

pub fn run(args: AnalyzeArgs) -> Result<(), Failure> {
    let (cohort, analysis, read_options, options) = load(&args.input, args.plots.is_some())?;

    if let Some(dir) = &args.plots {
        let options = trialstat::plot::PlotOptions {
            formats: super::plot::formats(args.plot_format),
            seed: args.input.seed,
            ..trialstat::plot::PlotOptions::default()
        };
        super::plot::draw(&analysis, dir, &options)?;
    }
    let format = args.format.unwrap_or(if std::io::stdout().is_terminal() {
        Format::Table
    } else {
        Format::Csv
    });
    let meta = Meta {
        tool: "trialstat",
        version: env!("CARGO_PKG_VERSION"),
        input: json!({
            "path": args.input.file.display().to_string(),
            "sha256": cohort.source.sha256,
            "rows": cohort.rows_read,
            "delimiter": cohort.source.delimiter,
            "layout": cohort.source.layout,
            "columns": cohort.source.columns,
        }),
        options: json!({
            "baseline": args.input.baseline,
            "control": args.input.control,
            "higher_is_better": args.input.higher_is_better,
            "responder": args.input.responder,
            "clear_value": args.input.clear_value,
            "conf_level": args.input.conf_level,
            "layout": read_options.layout,
            "endpoints": args.input.endpoints,
            "id_col": args.input.id_col,
            "arm_col": args.input.arm_col,
            "visit_col": args.input.visit_col,
            "week_col": args.input.week_col,
            "endpoint_col": args.input.endpoint_col,
            "value_col": args.input.value_col,
            "alternative": "two_sided",
            "missing": options.missing,
            "covariates": args.input.covariate,
            "adjust": options.adjust,
            "hierarchy": options.hierarchy,
            "bootstrap": options.bootstrap,
            "pratt": options.pratt,
        }),
        seed: Some(args.input.seed),
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
            if same_file(p, &args.input.file) {
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
                args.input.file.display(),
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
