//! The waterfall chart: one bar per patient, percent change at a visit, sorted and coloured by
//! arm. `new` gathers the bars from the tidy per-patient data; `draw` only draws, inside the
//! shared frame. Computes no statistic.

use super::frame::{
    arm_index, arm_palette, draw_legend, err, figure_name, line_key, mesh, padded_range, plot_area,
    swatch, tick, Chart,
};
use crate::analysis::{Analysis, Direction};
use plotters::coord::Shift;
use plotters::prelude::*;

/// One bar per patient: percent change at a visit, sorted, coloured by arm.
pub struct WaterfallChart {
    endpoint: String,
    visit: String,
    arms: Vec<(String, RGBColor)>,
    /// (percent change, arm, cleared), sorted from largest increase to largest reduction.
    bars: Vec<(f64, usize, bool)>,
    /// Responder thresholds as signed percent changes.
    thresholds: Vec<f64>,
    baseline_zero: usize,
    clear_value: f64,
    /// Patients with a bar (all of them, drawn or not).
    total: usize,
}

/// Most bars drawn; above, evenly spaced ranks.
const MAX_BARS: usize = 2000;

impl WaterfallChart {
    pub fn new(analysis: &Analysis, endpoint: &str, visit: &str) -> Self {
        let arms = arm_palette(analysis);
        let direction = analysis
            .directions
            .iter()
            .find(|(e, _)| e == endpoint)
            .map(|d| d.1)
            .unwrap_or(Direction::LowerIsBetter);
        let sign = if direction == Direction::LowerIsBetter {
            -1.0
        } else {
            1.0
        };
        let mut bars = Vec::new();
        let mut baseline_zero = 0;
        for p in analysis
            .patients
            .iter()
            .filter(|p| &*p.endpoint == endpoint && &*p.visit == visit)
        {
            match p.pct_change {
                Some(pct) => bars.push((pct, arm_index(&arms, &p.arm), p.cleared)),
                None => baseline_zero += 1,
            }
        }
        // Worst on the left, best on the right; ties broken by arm for a stable order.
        bars.sort_by(|a, b| (sign * a.0).total_cmp(&(sign * b.0)).then(a.1.cmp(&b.1)));
        // Above MAX_BARS patients (more bars than pixels), evenly spaced ranks of the sorted
        // bars are drawn, the first and the last included; the title says so.
        let total = bars.len();
        if total > MAX_BARS {
            bars = (0..MAX_BARS)
                .map(|i| bars[i * (total - 1) / (MAX_BARS - 1)])
                .collect();
        }
        WaterfallChart {
            endpoint: endpoint.to_string(),
            visit: visit.to_string(),
            arms,
            bars,
            thresholds: analysis
                .options
                .responder_thresholds
                .iter()
                .map(|t| sign * t)
                .collect(),
            baseline_zero,
            clear_value: analysis.options.clear_value,
            total,
        }
    }
}

impl Chart for WaterfallChart {
    fn file_stem(&self) -> String {
        figure_name("waterfall", &[&self.endpoint, &self.visit])
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let n = self.bars.len();
        let values = self
            .bars
            .iter()
            .map(|b| b.0)
            .chain(self.thresholds.iter().copied())
            .chain([0.0]);
        let (lo, hi) = padded_range(values, 0.08);
        let mut title = if self.total > n {
            format!(
                "{}: percent change from baseline at {}, by patient (n = {}; {n} evenly spaced ranks shown)",
                self.endpoint, self.visit, self.total
            )
        } else {
            format!(
                "{}: percent change from baseline at {}, by patient (n = {n})",
                self.endpoint, self.visit
            )
        };
        if self.baseline_zero > 0 {
            title.push_str(&format!(
                "; {} with baseline 0 not shown",
                self.baseline_zero
            ));
        }
        let mut chart = plot_area(
            root,
            Some(&title),
            (70, 110),
            -0.6..(n.max(1) as f64 - 0.4),
            lo..hi,
        )?;
        mesh(&mut chart)
            .disable_x_mesh()
            .x_labels(0)
            .x_desc("Patients, sorted by percent change")
            .y_desc("Change from baseline (%)")
            .y_label_formatter(&tick)
            .draw()
            .map_err(err)?;
        for (a, (name, colour)) in self.arms.iter().enumerate() {
            let colour = *colour;
            if !self.bars.iter().any(|b| b.1 == a) {
                continue;
            }
            chart
                .draw_series(self.bars.iter().enumerate().filter(|(_, b)| b.1 == a).map(
                    |(i, b)| {
                        let x = i as f64;
                        Rectangle::new([(x - 0.38, 0.0), (x + 0.38, b.0)], colour.filled())
                    },
                ))
                .map_err(err)?
                .label(name.clone())
                .legend(swatch(colour));
        }
        chart
            .draw_series(LineSeries::new(
                [(-0.6, 0.0), (n as f64 - 0.4, 0.0)],
                BLACK.stroke_width(2),
            ))
            .map_err(err)?;
        for t in &self.thresholds {
            chart
                .draw_series(DashedLineSeries::new(
                    [(-0.6, *t), (n as f64 - 0.4, *t)],
                    14,
                    8,
                    BLACK.stroke_width(2),
                ))
                .map_err(err)?
                .label(format!("responder threshold {}%", t))
                .legend(line_key(BLACK.stroke_width(2), 10));
        }
        if self.bars.iter().any(|b| b.2) {
            let offset = 0.025 * (hi - lo);
            // Markers no wider than a bar.
            let marker = if n <= 40 { 12 } else { 6 };
            chart
                .draw_series(
                    self.bars
                        .iter()
                        .enumerate()
                        .filter(|(_, b)| b.2)
                        .map(|(i, b)| {
                            let y = if b.0 <= 0.0 {
                                b.0 - offset
                            } else {
                                b.0 + offset
                            };
                            TriangleMarker::new((i as f64, y), marker, BLACK.filled())
                        }),
                )
                .map_err(err)?
                .label(format!("cleared (value = {})", self.clear_value))
                .legend(|(x, y)| TriangleMarker::new((x + 14, y), 10, BLACK.filled()));
        }
        draw_legend(
            &mut chart,
            if self.thresholds.first().copied().unwrap_or(-1.0) < 0.0 {
                SeriesLabelPosition::LowerLeft
            } else {
                SeriesLabelPosition::UpperLeft
            },
        )?;
        Ok(())
    }
}
