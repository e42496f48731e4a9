//! The spaghetti chart: each patient's change from baseline over the visits, with the arm means
//! and their intervals from the within-arm results. `new` gathers the lines and means; `draw`
//! only draws, inside the shared frame. Computes no statistic.

use super::frame::{
    arm_index, arm_palette, draw_legend, err, est_ci, figure_name, find_row, line_key, mesh,
    padded_range, plot_area, tick, unit, Chart,
};
use crate::analysis::{Analysis, Comparison, Measure, Method};
use plotters::coord::Shift;
use plotters::prelude::*;

/// (x, mean, lower, upper) of an arm at a visit.
type MeanPoint = (f64, f64, f64, f64);
/// A patient's (x, change) points.
type Line = Vec<(f64, f64)>;

/// Each patient's change from baseline over the weeks, with the arm means and 95% CIs.
pub struct SpaghettiChart {
    endpoint: String,
    arms: Vec<(String, RGBColor)>,
    /// (arm, points (x, change)) per patient.
    lines: Vec<(usize, Line)>,
    /// (arm, (x, mean, lower, upper)) per visit.
    means: Vec<(usize, Vec<MeanPoint>)>,
    uses_weeks: bool,
    level: f64,
    /// Patients with a line (all of them, drawn or not).
    patients: usize,
    /// Every `step`-th patient's line of each arm is drawn (1: all).
    step: usize,
    /// Smallest and largest change of all patients, drawn or not.
    y_extremes: (f64, f64),
}

/// Most patient lines drawn per arm; above, every k-th patient.
const MAX_LINES: usize = 200;

impl SpaghettiChart {
    pub fn new(analysis: &Analysis, endpoint: &str) -> Self {
        let arms = arm_palette(analysis);
        let uses_weeks = analysis.baseline_week.is_some()
            && analysis
                .patients
                .iter()
                .filter(|p| &*p.endpoint == endpoint)
                .all(|p| p.week.is_some());
        let x_of = |visit: &str, week: Option<f64>| -> f64 {
            if uses_weeks {
                week.unwrap_or(0.0)
            } else {
                analysis
                    .follow_up_visits
                    .iter()
                    .position(|v| v == visit)
                    .map(|i| i as f64 + 1.0)
                    .unwrap_or(0.0)
            }
        };
        let x0 = if uses_weeks {
            analysis.baseline_week.unwrap_or(0.0)
        } else {
            0.0
        };
        // One line per (arm, patient), in order of first appearance; found through an index
        // (a linear search made this quadratic: minutes at 10,000 patients).
        let mut lines: Vec<(usize, Line)> = Vec::new();
        let mut index: rustc_hash::FxHashMap<(usize, &str), usize> =
            rustc_hash::FxHashMap::default();
        for p in analysis
            .patients
            .iter()
            .filter(|p| &*p.endpoint == endpoint)
        {
            let a = arm_index(&arms, &p.arm);
            let point = (x_of(&p.visit, p.week), p.change);
            match index.get(&(a, &*p.patient)) {
                Some(&i) => lines[i].1.push(point),
                None => {
                    index.insert((a, &*p.patient), lines.len());
                    lines.push((a, vec![(x0, 0.0), point]));
                }
            }
        }
        for l in lines.iter_mut() {
            l.1.sort_by(|a, b| a.0.total_cmp(&b.0));
        }
        let patients = lines.len();
        let y_extremes = lines
            .iter()
            .flat_map(|l| l.1.iter().map(|p| p.1))
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), y| {
                (lo.min(y), hi.max(y))
            });
        // Above MAX_LINES patients in an arm, every k-th patient's line is drawn (the means
        // and intervals are of all patients); the title says so.
        let mut step = 1;
        for a in 0..arms.len() {
            let count = lines.iter().filter(|l| l.0 == a).count();
            step = step.max(count.div_ceil(MAX_LINES));
        }
        if step > 1 {
            let mut seen = vec![0usize; arms.len()];
            lines.retain(|l| {
                let keep = seen[l.0].is_multiple_of(step);
                seen[l.0] += 1;
                keep
            });
        }
        let mut means = Vec::new();
        for (a, (arm, _)) in arms.iter().enumerate() {
            let mut pts = vec![(x0, 0.0, 0.0, 0.0)];
            for visit in &analysis.follow_up_visits {
                let week = analysis
                    .patients
                    .iter()
                    .find(|p| *p.visit == **visit)
                    .and_then(|p| p.week);
                if let Some((m, lo, hi)) = find_row(
                    analysis,
                    endpoint,
                    arm,
                    visit,
                    Comparison::Within,
                    Measure::MeanChange,
                    Method::PairedT,
                )
                .and_then(est_ci)
                {
                    pts.push((x_of(visit, week), m, lo, hi));
                }
            }
            means.push((a, pts));
        }
        SpaghettiChart {
            endpoint: endpoint.to_string(),
            arms,
            lines,
            patients,
            step,
            y_extremes,
            means,
            uses_weeks,
            level: analysis.options.conf_level,
        }
    }
}

impl Chart for SpaghettiChart {
    fn file_stem(&self) -> String {
        figure_name("spaghetti", &[&self.endpoint])
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let xs = self
            .lines
            .iter()
            .flat_map(|l| l.1.iter().map(|p| p.0))
            .chain(self.means.iter().flat_map(|m| m.1.iter().map(|p| p.0)));
        let ys = self
            .lines
            .iter()
            .flat_map(|l| l.1.iter().map(|p| p.1))
            .chain(
                self.means
                    .iter()
                    .flat_map(|m| m.1.iter().flat_map(|p| [p.2, p.3])),
            );
        let thinned = self.step > 1;
        let extremes = if thinned {
            vec![self.y_extremes.0, self.y_extremes.1]
        } else {
            Vec::new()
        };
        let (x_lo, x_hi) = padded_range(xs, 0.04);
        let (y_lo, y_hi) = padded_range(ys.chain(extremes), 0.08);
        let mut caption = format!(
            "{}: change from baseline by {} (n = {} patients",
            self.endpoint,
            if self.uses_weeks { "week" } else { "visit" },
            self.patients
        );
        caption.push_str(&if thinned {
            format!("; lines of every {}th patient)", self.step)
        } else {
            ")".to_string()
        });
        let mut chart = plot_area(root, Some(&caption), (80, 110), x_lo..x_hi, y_lo..y_hi)?;
        mesh(&mut chart)
            .x_desc(if self.uses_weeks {
                "Week"
            } else {
                "Visit number (0 = baseline)"
            })
            .y_desc(format!("Change from baseline ({})", unit(&self.endpoint)))
            .x_label_formatter(&tick)
            .y_label_formatter(&tick)
            .draw()
            .map_err(err)?;
        for (i, (a, pts)) in self.lines.iter().enumerate() {
            let colour = self.arms[*a].1;
            let series = chart
                .draw_series(LineSeries::new(
                    pts.iter().copied(),
                    colour.mix(0.28).stroke_width(2),
                ))
                .map_err(err)?;
            if i == 0 {
                series
                    .label("each patient (thin lines)")
                    .legend(line_key(colour.mix(0.4).stroke_width(2), 28));
            }
        }
        let n_arms = self.arms.len().max(1) as f64;
        let dodge = 0.006 * (x_hi - x_lo);
        for (a, pts) in &self.means {
            let colour = self.arms[*a].1;
            let shift = (*a as f64 - (n_arms - 1.0) / 2.0) * dodge;
            chart
                .draw_series(LineSeries::new(
                    pts.iter().map(|p| (p.0 + shift, p.1)),
                    colour.stroke_width(6),
                ))
                .map_err(err)?
                .label(format!(
                    "{} mean ({}% CI)",
                    self.arms[*a].0,
                    (self.level * 100.0).round()
                ))
                .legend(line_key(colour.stroke_width(6), 28));
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
