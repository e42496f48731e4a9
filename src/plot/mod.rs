//! Figures drawn with plotters: waterfall, spaghetti, forest, responder and distribution charts.
//!
//! Every chart reads the analysis results ([`Analysis::rows`], [`Analysis::cells`]) and the tidy
//! per-patient data ([`Analysis::patients`]); none computes a statistic of its own. Text is drawn
//! from DejaVu Sans embedded in the binary (plotters' `ab_glyph` backend), so figures render on a
//! machine with no fonts installed, and the same input gives byte-identical PNG and SVG files.

mod charts;

use crate::analysis::Analysis;
use plotters::prelude::*;
use plotters::style::FontStyle;
use std::path::{Path, PathBuf};
use std::sync::Once;

pub use charts::{DistributionChart, ForestChart, ResponderChart, SpaghettiChart, WaterfallChart};

static FONT_REGULAR: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
static FONT_BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");
static REGISTER: Once = Once::new();

/// The font family every chart uses.
pub const FONT: &str = "sans-serif";

fn register_fonts() {
    REGISTER.call_once(|| {
        // The bytes are DejaVu Sans, checked into the repository: registration cannot fail.
        let _ = plotters::style::register_font(FONT, FontStyle::Normal, FONT_REGULAR);
        let _ = plotters::style::register_font(FONT, FontStyle::Bold, FONT_BOLD);
    });
}

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

/// A chart that can draw itself on any plotters backend.
pub trait Chart {
    /// File name without extension.
    fn file_stem(&self) -> String;
    /// Draw on the whole area.
    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, plotters::coord::Shift>,
    ) -> Result<(), String>;
}

fn render<C: Chart>(
    chart: &C,
    dir: &Path,
    options: &PlotOptions,
) -> Result<Vec<PathBuf>, PlotError> {
    register_fonts();
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
            ImageFormat::Png => {
                let root = BitMapBackend::new(&path, size).into_drawing_area();
                chart
                    .draw(&root)
                    .and_then(|_| root.present().map_err(|e| format!("{e:?}")))
            }
            ImageFormat::Svg => {
                let root = SVGBackend::new(&path, size).into_drawing_area();
                chart
                    .draw(&root)
                    .and_then(|_| root.present().map_err(|e| format!("{e:?}")))
            }
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
    }
    written.extend(render(
        &ForestChart::new(analysis, &endpoints, &visit),
        dir,
        options,
    )?);
    Ok(written)
}
