//! LS mean change from baseline by visit per arm with its confidence interval, from the MMRM rows
//! (`ls_mean_change/mmrm`) of the analysis. Draws only: the numbers are the rows'.

use super::frame::{
    arm_palette, draw_legend, err, est_ci, figure_name, find_row, line_key, mesh, padded_range,
    plot_area, tick, unit, Chart,
};
use crate::analysis::{Analysis, Comparison, Measure, Method};
use plotters::coord::Shift;
use plotters::prelude::*;

/// (x, LS mean, lower, upper).
type Point = (f64, f64, f64, f64);

/// LS mean change by visit per arm (lines with error bars).
pub struct MmrmChart {
    endpoint: String,
    arms: Vec<(String, RGBColor)>,
    points: Vec<(usize, Vec<Point>)>,
    visits: Vec<String>,
    level: f64,
    covariance: String,
}

impl MmrmChart {
    /// None when the analysis has no MMRM rows for the endpoint.
    pub fn new(analysis: &Analysis, endpoint: &str) -> Option<Self> {
        let arms = arm_palette(analysis);
        let visits = analysis.follow_up_visits.clone();
        let mut points = Vec::new();
        let mut any = false;
        for (a, (arm, _)) in arms.iter().enumerate() {
            let mut pts = vec![(0.0, 0.0, 0.0, 0.0)];
            for (i, visit) in visits.iter().enumerate() {
                if let Some((m, lo, hi)) = find_row(
                    analysis,
                    endpoint,
                    arm,
                    visit,
                    Comparison::Within,
                    Measure::LsMeanChange,
                    Method::Mmrm,
                )
                .and_then(est_ci)
                {
                    pts.push((i as f64 + 1.0, m, lo, hi));
                    any = true;
                }
            }
            points.push((a, pts));
        }
        let covariance = analysis
            .rows
            .iter()
            .find(|r| r.key.endpoint == endpoint && r.key.method == Method::Mmrm)
            .and_then(|r| r.note.split(", ").find(|p| p.ends_with("covariance")))
            .unwrap_or("")
            .to_string();
        any.then(|| MmrmChart {
            endpoint: endpoint.to_string(),
            arms,
            points,
            visits,
            level: analysis.options.conf_level,
            covariance,
        })
    }
}

impl Chart for MmrmChart {
    fn file_stem(&self) -> String {
        figure_name("mmrm", &[&self.endpoint])
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let xs = (0..=self.visits.len()).map(|i| i as f64);
        let ys = self
            .points
            .iter()
            .flat_map(|p| p.1.iter().flat_map(|q| [q.2, q.3]));
        let (x_lo, x_hi) = padded_range(xs, 0.06);
        let (y_lo, y_hi) = padded_range(ys, 0.08);
        let caption = format!(
            "{}: LS mean change from baseline (MMRM, {}, REML, Kenward–Roger)",
            self.endpoint, self.covariance
        );
        let mut chart = plot_area(root, Some(&caption), (80, 110), x_lo..x_hi, y_lo..y_hi)?;
        let visits = self.visits.clone();
        let label = move |x: &f64| -> String {
            let i = x.round();
            if (x - i).abs() > 1e-9 || i < 0.0 {
                return String::new();
            }
            if i == 0.0 {
                "baseline".into()
            } else {
                visits.get(i as usize - 1).cloned().unwrap_or_default()
            }
        };
        mesh(&mut chart)
            .x_labels(self.visits.len() + 1)
            .x_desc("Visit")
            .y_desc(format!(
                "LS mean change from baseline ({})",
                unit(&self.endpoint)
            ))
            .x_label_formatter(&label)
            .y_label_formatter(&tick)
            .draw()
            .map_err(err)?;
        let n_arms = self.arms.len().max(1) as f64;
        let dodge = 0.012 * (x_hi - x_lo);
        for (a, pts) in &self.points {
            if pts.len() < 2 {
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
                .label(format!(
                    "{} LS mean ({}% CI)",
                    self.arms[*a].0,
                    (self.level * 100.0).round()
                ))
                .legend(line_key(colour.stroke_width(5), 28));
            chart
                .draw_series(pts.iter().skip(1).map(|p| {
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
        draw_legend(&mut chart, SeriesLabelPosition::LowerLeft)?;
        Ok(())
    }
}
