//! Responder rate by visit per arm with its Wilson interval (`{response}_rate/wilson` rows), one
//! figure per endpoint and response definition. Drawn only with `--response` (the named
//! definitions) or `--strata` (then the built-in responders and clearance), so default outputs
//! keep their figures. Draws only: the numbers are the rows'.

use super::frame::{
    arm_palette, draw_legend, err, est_ci, figure_name, find_row, line_key, mesh, plot_area, tick,
    Chart,
};
use crate::analysis::{response_name, Analysis, Comparison, Estimand, Method, RateStat, Response};
use plotters::coord::Shift;
use plotters::prelude::*;

/// (visit index from 1, rate %, lower %, upper %).
type Point = (f64, f64, f64, f64);

/// The responses the responder figures show, per endpoint: the `--response` definitions, else
/// (with `--strata`) the built-in responders and clearance of every endpoint.
pub(super) fn detailed_responses(analysis: &Analysis, endpoint: &str) -> Vec<Response> {
    let o = &analysis.options;
    if !o.responses.is_empty() {
        return o
            .responses
            .iter()
            .filter(|d| d.endpoint == endpoint)
            .map(|d| Response::Named(response_name(&d.name)))
            .collect();
    }
    if analysis.stratum_differences.is_empty() {
        return Vec::new();
    }
    let mut out: Vec<Response> = o
        .responder_thresholds
        .iter()
        .map(|&t| Response::Responder(t))
        .collect();
    out.push(Response::Clearance);
    out
}

/// How a response is named in a title.
pub(super) fn response_title(analysis: &Analysis, response: Response) -> String {
    match response {
        Response::Named(name) => analysis
            .options
            .responses
            .iter()
            .find(|d| d.name == name)
            .map(|d| {
                // "er1=erythema: value <= 1" -> "er1: value <= 1" (the endpoint is in the title).
                let condition = d.text.split_once('=').map_or(d.text.as_str(), |t| t.1);
                let condition = condition.split_once(':').map_or(condition, |t| t.1);
                format!("{name}: {}", condition.trim())
            })
            .unwrap_or_else(|| name.to_string()),
        Response::Responder(t) => format!("≥{t}% improvement"),
        Response::Clearance => format!("clearance (= {})", analysis.options.clear_value),
    }
}

/// Responder rate (%) by visit per arm, lines with Wilson error bars.
pub struct ResponseByVisitChart {
    endpoint: String,
    response: String,
    title: String,
    arms: Vec<(String, RGBColor)>,
    points: Vec<(usize, Vec<Point>)>,
    visits: Vec<String>,
    level: f64,
}

impl ResponseByVisitChart {
    /// None when the analysis has no Wilson rate rows for this response.
    pub fn new(analysis: &Analysis, endpoint: &str, response: Response) -> Option<Self> {
        let arms = arm_palette(analysis);
        let visits = analysis.follow_up_visits.clone();
        let mut points = Vec::new();
        let mut any = false;
        for (a, (arm, _)) in arms.iter().enumerate() {
            let mut pts = Vec::new();
            for (i, visit) in visits.iter().enumerate() {
                let rate = Estimand::Response(response, RateStat::Rate);
                let row = find_row(
                    analysis,
                    endpoint,
                    arm,
                    visit,
                    Comparison::Within,
                    rate,
                    Method::Wilson,
                );
                if let Some((e, lo, hi)) = row.and_then(est_ci) {
                    pts.push((i as f64 + 1.0, 100.0 * e, 100.0 * lo, 100.0 * hi));
                    any = true;
                }
            }
            points.push((a, pts));
        }
        any.then(|| ResponseByVisitChart {
            endpoint: endpoint.to_string(),
            response: response.to_string(),
            title: response_title(analysis, response),
            arms,
            points,
            visits,
            level: analysis.options.conf_level,
        })
    }
}

impl Chart for ResponseByVisitChart {
    fn file_stem(&self) -> String {
        figure_name("response_by_visit", &[&self.endpoint, &self.response])
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let n = self.visits.len() as f64;
        let caption = format!("{}: {}", self.endpoint, self.title);
        let mut chart = plot_area(root, Some(&caption), (80, 110), 0.5..(n + 0.5), -2.0..105.0)?;
        let visits = self.visits.clone();
        let label = move |x: &f64| -> String {
            let i = x.round();
            if (x - i).abs() > 1e-9 || i < 1.0 {
                return String::new();
            }
            visits.get(i as usize - 1).cloned().unwrap_or_default()
        };
        mesh(&mut chart)
            .x_labels(self.visits.len() * 2 + 1)
            .x_desc("Visit")
            .y_desc("Responders (% of patients)")
            .x_label_formatter(&label)
            .y_label_formatter(&tick)
            .draw()
            .map_err(err)?;
        let n_arms = self.arms.len().max(1) as f64;
        let dodge = 0.04;
        let level = (self.level * 100.0).round();
        for (a, pts) in &self.points {
            if pts.is_empty() {
                continue;
            }
            let colour = self.arms[*a].1;
            let shift = (*a as f64 - (n_arms - 1.0) / 2.0) * dodge;
            chart
                .draw_series(LineSeries::new(
                    pts.iter().map(|p| (p.0 + shift, p.1)),
                    colour.stroke_width(5),
                ))
                .map_err(err)?
                .label(format!("{} ({level}% Wilson CI)", self.arms[*a].0))
                .legend(line_key(colour.stroke_width(5), 28));
            chart
                .draw_series(pts.iter().map(|p| {
                    ErrorBar::new_vertical(p.0 + shift, p.2, p.1, p.3, colour.stroke_width(4), 18)
                }))
                .map_err(err)?;
            chart
                .draw_series(
                    pts.iter()
                        .map(|p| Circle::new((p.0 + shift, p.1), 7, colour.filled())),
                )
                .map_err(err)?;
        }
        draw_legend(&mut chart, SeriesLabelPosition::UpperLeft)?;
        Ok(())
    }
}
