//! The command line: one file per subcommand, using only the public library API.

pub mod analyze;
pub mod common;
pub mod mmrm;
pub mod plot;
pub mod reproduce;
pub mod simulate;

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
  trialstat reproduce data/reported/tofacitinib_case_series.toml"
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
    /// Build patient-level cohorts (CSV) consistent with every claim of a claims file, by a
    /// seeded SPRITE-style search; each cohort is re-analysed before it is written.
    Simulate(simulate::SimulateArgs),
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
        Command::Mmrm(args) => mmrm::run(args),
    }
}
