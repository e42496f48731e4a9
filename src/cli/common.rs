//! What the subcommands share: the input options of `analyze`, `plot` and `report`-like
//! commands, reading and analysing the input with them, writing to standard output, progress
//! bars and figure formats. The command files import this module and never each other.
//! No statistics here: this module only calls the library.

use super::Failure;
use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use trialstat::analysis::{
    analyze_with_progress, Analysis, AnalysisOptions, MissingRule, ResponseDefinition,
};

/// `--response`: the definition, or the parse error with a caret under the character.
fn parse_response(text: &str) -> Result<ResponseDefinition, String> {
    text.parse()
        .map_err(|e: trialstat::analysis::ResponseParseError| format!("\n{e}"))
}
use trialstat::analysis::{Intercurrent, Strategy};
use trialstat::data::flags::{first_events, set_missing_from_event};
use trialstat::data::strata::take_strata;
use trialstat::data::{read_cohort_hash_pending, Cohort, DataError, LayoutChoice, ReadOptions};
use trialstat::plot::{write_figures, ImageFormat, PlotOptions};
use trialstat::stats::multiplicity::AdjustMethod;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StrategyArg {
    Composite,
    TreatmentPolicy,
    Hypothetical,
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

/// `--convention`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ConventionArg {
    R,
    Sas,
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
    /// A patient-level stratification column (e.g. region, prior biologic); repeat for more,
    /// which combine into one stratum per patient. Adds the stratified responder rows (CMH,
    /// MH risk difference with Sato's variance, stratified MN interval, MH odds ratio,
    /// Breslow–Day).
    #[arg(long, value_name = "COL")]
    pub strata: Vec<String>,
    /// A named response on one endpoint: NAME="ENDPOINT: CONDITION [where CONDITION]", the
    /// condition on value, change, pct_change and baseline with <, <=, >, >=, ==, !=, and, or,
    /// not and parentheses; `where` restricts the denominator. E.g.
    /// iga01="iga: value <= 1 and change <= -2", itch4="pruritus: change <= -4 where
    /// baseline >= 4". Adds rows NAME_rate, NAME_diff, NAME_odds_ratio, NAME_risk_ratio (and the
    /// stratified ones with --strata). Repeat for more.
    #[arg(long, value_name = "NAME=\"ENDPOINT: CONDITION\"", value_parser = parse_response)]
    pub response: Vec<ResponseDefinition>,
    /// Analyse these integer-coded endpoints (IGA grade, CIBIC+ category) as ordinal values at
    /// each visit: rows ENDPOINT_distribution with the CMH general association, row mean
    /// scores and correlation statistics (table scores), each arm vs control, by --strata;
    /// with three or more arms also general association and row mean scores over all arms
    /// (arm and comparison `all arms`).
    #[arg(long, value_name = "ENDPOINT", value_delimiter = ',')]
    pub ordinal: Vec<String>,
    /// A per-patient-per-visit flag column marking an intercurrent event (rescue medication,
    /// discontinuation): Y/N, 1/0, true/false or empty. The first flagged visit counts.
    #[arg(long, value_name = "COL")]
    pub intercurrent: Option<String>,
    /// How --intercurrent enters the analysis: composite (non-responder from the event on),
    /// treatment-policy (observed values used) or hypothetical (values from the event on set
    /// to missing, then --missing applies).
    #[arg(
        long,
        value_enum,
        default_value = "composite",
        requires = "intercurrent"
    )]
    pub strategy: StrategyArg,
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
    /// Whose numbers where R and SAS differ: r (default, unchanged output) or sas (adds rows
    /// wilcoxon_signed_rank_sas, mann_whitney_sas and {resp}_odds_ratio/woolf as PROC
    /// UNIVARIATE, NPAR1WAY and FREQ print them; the table for people rounds half away from
    /// zero). See docs/sas-convention.md.
    #[arg(long, value_enum, default_value = "r")]
    pub convention: ConventionArg,
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
    /// The data set to read from a SAS transport file that holds several.
    #[arg(long, value_name = "NAME")]
    pub member: Option<String>,
    /// ADaM: the parameters (PARAMCD) to analyse [default: all].
    #[arg(long, value_name = "PARAMCD", value_delimiter = ',')]
    pub param: Option<Vec<String>>,
    /// ADaM: use the sponsor's derived records of this DTYPE (e.g. LOCF) in place of the
    /// observed ones at their visits [default: observed records only].
    #[arg(long, value_name = "DTYPE")]
    pub dtype: Option<String>,
    /// ADaM: keep only records with this flag = "Y" (e.g. ANL01FL).
    #[arg(long, value_name = "FLAG")]
    pub anl_flag: Option<String>,
    /// ADaM: planned (TRTP/TRT01P) or actual (TRTA/TRT01A) treatment [default: planned].
    #[arg(long, value_enum)]
    pub treatment: Option<TreatmentArg>,
    /// ADaM: subject-level file (ADSL, XPT or CSV) joined by USUBJID, for --population,
    /// treatment and --covariate.
    #[arg(long, value_name = "FILE")]
    pub adsl: Option<PathBuf>,
    /// ADaM: keep the patients with this ADSL flag = "Y" (ITTFL, EFFFL, SAFFL, …).
    #[arg(long, value_name = "FLAG")]
    pub population: Option<String>,
}

/// `--treatment`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TreatmentArg {
    Planned,
    Actual,
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
        member: input.member.clone(),
        adam: trialstat::data::AdamOptions {
            params: input.param.clone(),
            dtype: input.dtype.clone(),
            anl_flag: input.anl_flag.clone(),
            treatment: input.treatment.map(|t| match t {
                TreatmentArg::Planned => trialstat::data::Treatment::Planned,
                TreatmentArg::Actual => trialstat::data::Treatment::Actual,
            }),
            adsl: input.adsl.clone(),
            population: input.population.clone(),
            baseline: input.baseline.clone(),
        },
    };
    // Strata columns are read with the covariates (one value per patient), then moved apart.
    let mut read_columns = read_options.clone();
    for s in &input.strata {
        if !read_columns
            .covariates
            .iter()
            .any(|c| c.eq_ignore_ascii_case(s))
        {
            read_columns.covariates.push(s.clone());
        }
    }
    let mut options = AnalysisOptions {
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
        convention: match input.convention {
            ConventionArg::R => trialstat::analysis::Convention::R,
            ConventionArg::Sas => trialstat::analysis::Convention::Sas,
        },
        responses: input.response.clone(),
        ordinal: input.ordinal.clone(),
        intercurrent: None,
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
    let read = read_cohort_hash_pending(&input.file, &read_columns).map_err(|e| match e {
        DataError::UnknownColumn {
            path, name, found, ..
        } if !input.covariate.contains(&name) && input.strata.contains(&name) => {
            DataError::UnknownColumn {
                path,
                name,
                flag: "--strata",
                found,
            }
        }
        DataError::NotInFileOrAdsl {
            path,
            adsl,
            name,
            found,
            found_adsl,
            ..
        } if !input.covariate.contains(&name) && input.strata.contains(&name) => {
            DataError::NotInFileOrAdsl {
                path,
                adsl,
                name,
                flag: "--strata",
                found,
                found_adsl,
            }
        }
        DataError::CovariateNotConstant {
            path,
            line,
            first_line,
            column,
            patient,
            value,
            first_value,
        } if !input
            .covariate
            .iter()
            .any(|c| c.eq_ignore_ascii_case(&column))
            && input.strata.iter().any(|s| s.eq_ignore_ascii_case(&column)) =>
        {
            DataError::StratumNotConstant {
                path,
                line,
                first_line,
                column,
                patient,
                value,
                first_value,
            }
        }
        e => e,
    });
    let t_read = t.elapsed();
    spinner.finish_and_clear();
    let (mut cohort, hash) = read.map_err(Failure::input)?;
    take_strata(&mut cohort, &input.strata, &input.covariate).map_err(Failure::input)?;
    if let Some(column) = &input.intercurrent {
        let events = first_events(&cohort, column).map_err(Failure::input)?;
        let strategy = match input.strategy {
            StrategyArg::Composite => Strategy::Composite,
            StrategyArg::TreatmentPolicy => Strategy::TreatmentPolicy,
            StrategyArg::Hypothetical => Strategy::Hypothetical,
        };
        let values_set_missing = if strategy == Strategy::Hypothetical {
            set_missing_from_event(&mut cohort, &events)
        } else {
            0
        };
        options.intercurrent = Some(Intercurrent {
            column: events.column.clone(),
            strategy,
            patients_with_event: events.patients(),
            first_event: events.visit,
            values_set_missing,
        });
    }
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
