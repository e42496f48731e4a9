//! What the subcommands share: the input options of `analyze`, `plot` and `report`-like
//! commands, reading and analysing the input with them, writing to standard output, progress
//! bars and figure formats. The command files import this module and never each other.
//! No statistics here: this module only calls the library.

use super::Failure;
use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use trialstat::analysis::{analyze_with_progress, Analysis, AnalysisOptions, MissingRule};
use trialstat::data::{read_cohort_hash_pending, Cohort, LayoutChoice, ReadOptions};
use trialstat::plot::{write_figures, ImageFormat, PlotOptions};
use trialstat::stats::multiplicity::AdjustMethod;

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

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PlotFormat {
    Png,
    Svg,
    Both,
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
    /// Add permutation-test rows (mean_change and mean_change_diff / permutation): exact up to
    /// 2^20 permutations, else N seeded Monte-Carlo draws (100000 is a good choice); off by
    /// default.
    #[arg(long, value_name = "N")]
    pub permutations: Option<usize>,
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
        permutations: input.permutations,
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

/// Draw the figures of `analysis` into `dir`, reporting each file on stderr.
pub fn draw(analysis: &Analysis, dir: &Path, options: &PlotOptions) -> Result<(), Failure> {
    let written = write_figures(analysis, dir, options).map_err(Failure::input)?;
    eprintln!("wrote {} figure(s) to {}", written.len(), dir.display());
    Ok(())
}

pub fn formats(f: PlotFormat) -> Vec<ImageFormat> {
    match f {
        PlotFormat::Png => vec![ImageFormat::Png],
        PlotFormat::Svg => vec![ImageFormat::Svg],
        PlotFormat::Both => vec![ImageFormat::Png, ImageFormat::Svg],
    }
}
