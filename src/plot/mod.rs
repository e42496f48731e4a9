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
mod responders;
mod spaghetti;
mod waterfall;

use crate::analysis::Analysis;
use plotters::prelude::*;
use std::path::{Path, PathBuf};

pub use distribution::DistributionChart;
pub use forest::ForestChart;
pub use frame::{Chart, FONT};
pub use mmrm::MmrmChart;
pub use responders::ResponderChart;
pub use spaghetti::SpaghettiChart;
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
    let mut written = Vec::new();
    for endpoint in &endpoints {
        written.extend(render(
            &WaterfallChart::new(analysis, endpoint, &visit),
            dir,
            options,
        )?);
        written.extend(render(
            &SpaghettiChart::new(analysis, endpoint),
            dir,
            options,
        )?);
        written.extend(render(
            &ResponderChart::new(analysis, endpoint, &visit),
            dir,
            options,
        )?);
        written.extend(render(
            &DistributionChart::new(analysis, endpoint, &visit, options.seed),
            dir,
            options,
        )?);
        if let Some(chart) = MmrmChart::new(analysis, endpoint) {
            written.extend(render(&chart, dir, options)?);
        }
    }
    written.extend(render(
        &ForestChart::new(analysis, &endpoints, &visit),
        dir,
        options,
    )?);
    Ok(written)
}
