//! The command line: one file per subcommand, using only the public library API.

pub mod analyze;
pub mod common;
pub mod mmrm;
pub mod plot;
pub mod power;
pub mod power_mmrm;
pub mod report;
pub mod reproduce;
pub mod safety;
pub mod simulate;
pub mod survival;

use clap::{Parser, Subcommand};

/// Exit status for bad input or usage (clap uses 2 for usage errors too).
pub const EXIT_INPUT: u8 = 2;
/// Exit status for an internal error.
pub const EXIT_INTERNAL: u8 = 1;

#[derive(Debug, Parser)]
#[command(
    name = "trialstat",
    version,
    about = "Clinical-trial outcome statistics from patient-level CSV data",
    long_about = "trialstat reads patient-level measurements (long, wide or CDISC ADaM layout) and reports \
change and percent change from baseline with t, Wilcoxon, effect-size and exact binomial intervals, \
matching R to full precision.",
    after_help = "Examples:\n  trialstat analyze data/tofacitinib_case_series.csv\n  trialstat analyze data/baricitinib_case_series.csv --format csv > results.csv\n  trialstat analyze trial.csv --baseline week0 --responder 50,75,90 --out results/
  trialstat plot data/example_trial.csv --out plots/ --format both
  trialstat reproduce data/reported/tofacitinib_case_series.toml
  trialstat report data/example_trial.csv --out report/"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Analyse change from baseline in every endpoint, arm and follow-up visit.
    Analyze(analyze::AnalyzeArgs),
    /// Draw waterfall, spaghetti, forest, responder and distribution charts (PNG and/or SVG).
    Plot(plot::PlotArgs),
    /// Check published summary figures (claims file, TOML): what they imply, whether they hang
    /// together (GRIM, GRIMMER, DEBIT, statcheck, cross-claim), and whether --data reproduces them.
    Reproduce(reproduce::ReproduceArgs),
    /// Power and sample size: t (one-sample/paired, two-sample, Welch), ANCOVA, two
    /// proportions (normal, continuity-corrected, Fisher exact), Wilcoxon–Mann–Whitney, MMRM by
    /// simulation; from the command line or a published claim (--from CLAIMS.toml --claim ID).
    Power(power::PowerArgs),
    /// Build patient-level cohorts (CSV) consistent with every claim of a claims file, by a
    /// seeded SPRITE-style search; each cohort is re-analysed before it is written.
    Simulate(simulate::SimulateArgs),
    /// Write a study report of the analysis: self-contained HTML, RTF for submissions and
    /// Markdown, with numbered tables per endpoint and visit, figures, methods and the audit.
    Report(report::ReportArgs),
    /// Time to event: Kaplan–Meier quartiles and survival at times per arm, log-rank test and
    /// Cox hazard ratio against the control (ADaM ADTTE or any one-row-per-subject CSV).
    Survival(survival::SurvivalArgs),
    /// Adverse-event incidence by system organ class and preferred term (ADaM ADAE + ADSL):
    /// n (%) with exact intervals, differences vs control, events per 100 patient-years.
    Safety(safety::SafetyArgs),
    /// Mixed model for repeated measures (REML, UN/CS/AR(1)/… covariance, Kenward–Roger or
    /// Satterthwaite df) on a long table, as SAS PROC MIXED prints it.
    Mmrm(mmrm::MmrmArgs),
}

/// A failure with its exit status.
#[derive(Debug)]
pub struct Failure {
    pub code: u8,
    pub message: String,
}

impl Failure {
    pub fn input(message: impl std::fmt::Display) -> Self {
        Failure {
            code: EXIT_INPUT,
            message: message.to_string(),
        }
    }
    pub fn internal(message: impl std::fmt::Display) -> Self {
        Failure {
            code: EXIT_INTERNAL,
            message: message.to_string(),
        }
    }
}

/// Run a parsed command line.
pub fn run(cli: Cli) -> Result<(), Failure> {
    match cli.command {
        Command::Analyze(args) => analyze::run(args),
        Command::Plot(args) => plot::run(args),
        Command::Reproduce(args) => reproduce::run(args),
        Command::Simulate(args) => simulate::run(args),
        Command::Report(args) => report::run(args),
        Command::Survival(args) => survival::run(args),
        Command::Safety(args) => safety::run(args),
        Command::Power(args) => power::run(args),
        Command::Mmrm(args) => mmrm::run(args),
    }
}
