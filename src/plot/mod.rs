//! Figures drawn with plotters: waterfall, spaghetti, forest, responder and distribution charts.
//!
//! Every chart reads the analysis results ([`Analysis::rows`], [`Analysis::cells`]) and the tidy
//! per-patient data ([`Analysis::patients`]); none computes a statistic of its own. Text is drawn
//! from DejaVu Sans embedded in the binary (plotters' `ab_glyph` backend), so figures render on a
//! machine with no fonts installed, and the same input gives byte-identical PNG and SVG files.
//!
//! One file per chart; `frame` holds what they share (fonts, palette, axes, grid, legend, and the
//! one lookup of a result row). A new chart is a new file implementing [`Chart`], plus one line in
//! [`write_figures`].

mod distribution;
mod forest;
mod frame;
mod mmrm;
mod power;
mod responders;
mod response_by_visit;
mod spaghetti;
mod stratum_forest;
pub mod survival;
mod waterfall;

use crate::analysis::Analysis;
use plotters::prelude::*;
use std::path::{Path, PathBuf};

pub use distribution::DistributionChart;
pub use forest::ForestChart;
pub use frame::{Chart, FONT};
pub use mmrm::MmrmChart;
pub use power::PowerChart;
pub use responders::ResponderChart;
pub use response_by_visit::ResponseByVisitChart;
pub use spaghetti::SpaghettiChart;
pub use stratum_forest::StratumForestChart;
pub use waterfall::WaterfallChart;

/// Image formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ImageFormat {
    Png,
    Svg,
}

/// Which figures to draw, and how.
#[derive(Debug, Clone)]
pub struct PlotOptions {
    pub formats: Vec<ImageFormat>,
    /// Endpoints to draw; all when None.
    pub endpoints: Option<Vec<String>>,
    /// Visit for the per-visit charts; the last follow-up visit when None.
    pub visit: Option<String>,
    /// Seed of the jitter in the distribution chart.
    pub seed: u64,
    pub width: u32,
    pub height: u32,
}

impl Default for PlotOptions {
    fn default() -> Self {
        PlotOptions {
            formats: vec![ImageFormat::Png],
            endpoints: None,
            visit: None,
            seed: 1,
            width: 1600,
            height: 1000,
        }
    }
}

/// Why a figure could not be written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PlotError {
    /// The output directory or file could not be written.
    #[error("{path}: cannot write: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// plotters failed to draw.
    #[error("{path}: drawing failed: {message}")]
    Draw { path: PathBuf, message: String },
    /// `--endpoint` or `--visit` names something that is not in the analysis.
    #[error("{what} '{given}' is not in the data; found: {found}")]
    Unknown {
        what: &'static str,
        given: String,
        found: String,
    },
}

/// Draw `chart` on a white canvas and write the file.
fn paint<DB: DrawingBackend, C: Chart>(
    chart: &C,
    root: DrawingArea<DB, plotters::coord::Shift>,
) -> Result<(), String> {
    root.fill(&WHITE).map_err(frame::err)?;
    chart.draw(&root)?;
    root.present().map_err(frame::err)
}

fn render<C: Chart>(
    chart: &C,
    dir: &Path,
    options: &PlotOptions,
) -> Result<Vec<PathBuf>, PlotError> {
    frame::register_fonts();
    let mut written = Vec::new();
    for format in &options.formats {
        let path = dir.join(format!(
            "{}.{}",
            chart.file_stem(),
            match format {
                ImageFormat::Png => "png",
                ImageFormat::Svg => "svg",
            }
        ));
        let size = (options.width, options.height);
        let result = match format {
            ImageFormat::Png => paint(chart, BitMapBackend::new(&path, size).into_drawing_area()),
            ImageFormat::Svg => paint(chart, SVGBackend::new(&path, size).into_drawing_area()),
        };
        result.map_err(|message| PlotError::Draw {
            path: path.clone(),
            message,
        })?;
        written.push(path);
    }
    Ok(written)
}

/// The endpoints and the visit the options choose (all endpoints, the last follow-up visit by
/// default); an unknown name is an error listing what exists.
fn chosen(analysis: &Analysis, options: &PlotOptions) -> Result<(Vec<String>, String), PlotError> {
    let all_endpoints: Vec<String> = analysis.directions.iter().map(|(e, _)| e.clone()).collect();
    let endpoints: Vec<String> = match &options.endpoints {
        None => all_endpoints.clone(),
        Some(chosen) => {
            let mut out = Vec::new();
            for c in chosen {
                match all_endpoints
                    .iter()
                    .find(|e| *e == c || e.eq_ignore_ascii_case(c))
                {
                    Some(e) => out.push(e.clone()),
                    None => {
                        return Err(PlotError::Unknown {
                            what: "endpoint",
                            given: c.clone(),
                            found: all_endpoints.join(", "),
                        })
                    }
                }
            }
            out
        }
    };
    let visit = match &options.visit {
        None => analysis
            .follow_up_visits
            .last()
            .cloned()
            .unwrap_or_default(),
        Some(v) => analysis
            .follow_up_visits
            .iter()
            .find(|f| *f == v || f.eq_ignore_ascii_case(v))
            .cloned()
            .ok_or_else(|| PlotError::Unknown {
                what: "visit",
                given: v.clone(),
                found: analysis.follow_up_visits.join(", "),
            })?,
    };
    Ok((endpoints, visit))
}

/// Draw every chart for the chosen endpoints into `dir`; returns the files written, in order.
pub fn write_figures(
    analysis: &Analysis,
    dir: &Path,
    options: &PlotOptions,
) -> Result<Vec<PathBuf>, PlotError> {
    std::fs::create_dir_all(dir).map_err(|source| PlotError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    let (endpoints, visit) = chosen(analysis, options)?;
    let charts = charts_for(analysis, &endpoints, &visit, options.seed);
    let mut written = Vec::new();
    for chart in &charts {
        written.extend(render(chart, dir, options)?);
    }
    Ok(written)
}

/// Every chart of the chosen endpoints at `visit`, in the order they are written: per endpoint
/// waterfall, spaghetti, responders and distribution, then one forest plot.
fn charts_for(analysis: &Analysis, endpoints: &[String], visit: &str, seed: u64) -> Vec<AnyChart> {
    let mut charts = Vec::new();
    for endpoint in endpoints {
        charts.push(AnyChart::Waterfall(WaterfallChart::new(
            analysis, endpoint, visit,
        )));
        charts.push(AnyChart::Spaghetti(SpaghettiChart::new(analysis, endpoint)));
        charts.push(AnyChart::Responders(ResponderChart::new(
            analysis, endpoint, visit,
        )));
        charts.push(AnyChart::Distribution(DistributionChart::new(
            analysis, endpoint, visit, seed,
        )));
        if let Some(chart) = MmrmChart::new(analysis, endpoint) {
            charts.push(AnyChart::Mmrm(chart));
        }
        // Only with --response or --strata: default outputs keep their figures.
        for response in response_by_visit::detailed_responses(analysis, endpoint) {
            if let Some(chart) = ResponseByVisitChart::new(analysis, endpoint, response) {
                charts.push(AnyChart::ResponseByVisit(chart));
            }
            if let Some(chart) = StratumForestChart::new(analysis, endpoint, visit, response) {
                charts.push(AnyChart::StratumForest(chart));
            }
        }
    }
    charts.push(AnyChart::Forest(ForestChart::new(
        analysis, endpoints, visit,
    )));
    charts
}

/// One of the charts, for code that handles a list of them (the report).
pub enum AnyChart {
    Waterfall(WaterfallChart),
    Spaghetti(SpaghettiChart),
    Responders(ResponderChart),
    Distribution(DistributionChart),
    Forest(ForestChart),
    Mmrm(MmrmChart),
    ResponseByVisit(ResponseByVisitChart),
    StratumForest(StratumForestChart),
}

impl AnyChart {
    /// What the figure shows, in a sentence, for a caption.
    pub fn caption(&self) -> String {
        let stem = self.file_stem();
        let kind = match self {
            AnyChart::Waterfall(_) => {
                "Waterfall plot: percent change from baseline per patient, sorted, by arm"
            }
            AnyChart::Spaghetti(_) => {
                "Spaghetti plot: each patient's values by visit, with the arm means"
            }
            AnyChart::Responders(_) => {
                "Responder rates by threshold and arm, with exact 95% intervals"
            }
            AnyChart::Distribution(_) => {
                "Distribution of percent change by arm: box plots with the patients' values"
            }
            AnyChart::Forest(_) => {
                "Forest plot: between-arm differences with their confidence intervals"
            }
            AnyChart::Mmrm(_) => {
                "LS mean change from baseline by visit and arm from the MMRM, with 95% intervals"
            }
            AnyChart::ResponseByVisit(_) => {
                "Responder rate by visit and arm, with Wilson intervals"
            }
            AnyChart::StratumForest(_) => {
                "Differences in responders against the control by stratum (Newcombe intervals), with the Mantel–Haenszel common difference (Sato interval)"
            }
        };
        format!("{kind} ({stem}).")
    }
}

impl Chart for AnyChart {
    fn file_stem(&self) -> String {
        match self {
            AnyChart::Waterfall(c) => c.file_stem(),
            AnyChart::Spaghetti(c) => c.file_stem(),
            AnyChart::Responders(c) => c.file_stem(),
            AnyChart::Distribution(c) => c.file_stem(),
            AnyChart::Forest(c) => c.file_stem(),
            AnyChart::Mmrm(c) => c.file_stem(),
            AnyChart::ResponseByVisit(c) => c.file_stem(),
            AnyChart::StratumForest(c) => c.file_stem(),
        }
    }
    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, plotters::coord::Shift>,
    ) -> Result<(), String> {
        match self {
            AnyChart::Waterfall(c) => c.draw(root),
            AnyChart::Spaghetti(c) => c.draw(root),
            AnyChart::Responders(c) => c.draw(root),
            AnyChart::Distribution(c) => c.draw(root),
            AnyChart::Forest(c) => c.draw(root),
            AnyChart::Mmrm(c) => c.draw(root),
            AnyChart::ResponseByVisit(c) => c.draw(root),
            AnyChart::StratumForest(c) => c.draw(root),
        }
    }
}

/// The charts `write_figures` would draw, without drawing them (the report renders each to SVG
/// in memory and to PNG beside the document).
pub fn charts(analysis: &Analysis, options: &PlotOptions) -> Result<Vec<AnyChart>, PlotError> {
    let (endpoints, visit) = chosen(analysis, options)?;
    Ok(charts_for(analysis, &endpoints, &visit, options.seed))
}

/// A chart as an SVG document in memory.
pub fn svg_string<C: Chart>(chart: &C, width: u32, height: u32) -> Result<String, String> {
    frame::register_fonts();
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (width, height)).into_drawing_area();
        paint(chart, root)?;
    }
    Ok(out)
}

/// Draw one chart into `dir` in the formats of `options`; returns the files written.
pub fn write_chart<C: Chart>(
    chart: &C,
    dir: &Path,
    options: &PlotOptions,
) -> Result<Vec<PathBuf>, PlotError> {
    std::fs::create_dir_all(dir).map_err(|source| PlotError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    render(chart, dir, options)
}

/// Draw power curves (n per arm, power), one line per label, as a PNG at `path`.
pub fn power_curve(
    path: &Path,
    curves: &[(String, Vec<(usize, f64)>)],
    design: &str,
) -> Result<(), String> {
    frame::register_fonts();
    let chart = PowerChart { curves, design };
    paint(
        &chart,
        BitMapBackend::new(path, (1400, 900)).into_drawing_area(),
    )
}
