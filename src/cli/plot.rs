//! `trialstat plot`: the figures of an analysis.

use super::common::{draw, formats, load, InputArgs, PlotFormat};
use super::Failure;
use clap::Args;
use std::path::PathBuf;
use trialstat::plot::PlotOptions;

#[derive(Debug, Args)]
#[command(after_help = "Examples:
  trialstat plot data/tofacitinib_case_series.csv --out plots/
  trialstat plot data/example_trial.csv --format both --endpoint plaque_thickness_mm --visit week12 --seed 3

Writes, per endpoint: waterfall_ENDPOINT_VISIT, spaghetti_ENDPOINT, responders_ENDPOINT_VISIT and
distribution_ENDPOINT_VISIT; and forest_VISIT across endpoints. 1600 × 1000 pixels, text in the
embedded DejaVu Sans font; the same input gives byte-identical files.")]
pub struct PlotArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Directory for the figures.
    #[arg(long, value_name = "DIR", default_value = "plots")]
    pub out: PathBuf,
    /// Image format.
    #[arg(long, value_enum, default_value = "png")]
    pub format: PlotFormat,
    /// Only this endpoint (repeat or comma-separate for more) [default: all].
    #[arg(long, value_name = "ENDPOINT", value_delimiter = ',')]
    pub endpoint: Option<Vec<String>>,
    /// Visit of the waterfall, responder, distribution and forest charts [default: the last follow-up visit].
    #[arg(long, value_name = "VISIT")]
    pub visit: Option<String>,
}

pub fn run(args: PlotArgs) -> Result<(), Failure> {
    let (_, analysis, _, _) = load(&args.input, true)?;
    let options = PlotOptions {
        formats: formats(args.format),
        endpoints: args.endpoint.clone(),
        visit: args.visit.clone(),
        // --seed (shared with analyze) also seeds the jitter.
        seed: args.input.seed,
        ..PlotOptions::default()
    };
    draw(&analysis, &args.out, &options)
}
