//! The forest chart: one line per endpoint and arm, the estimate and interval of mean percent
//! change (within arms) or of its difference against the control (between arms), with the numbers
//! written beside. `new` gathers the rows; `draw` only draws, inside the shared frame. Computes no
//! statistic.

use super::frame::{
    arm_palette, err, est_ci, figure_name, find_row, mesh, padded_range, plot_area, text_style,
    tick, title_font, Chart, LABEL_SIZE,
};
use crate::analysis::{Analysis, Comparison, Measure, Method};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use plotters::style::FontStyle;

/// Width in pixels of the column of numbers right of the plot.
const NUMBERS_WIDTH: i32 = 360;

/// Estimates and intervals of mean percent change (within arms), or of the difference in mean
/// percent change against the control (between arms), one line per endpoint and arm.
pub struct ForestChart {
    visit: String,
    /// (label, estimate, lower, upper, colour)
    entries: Vec<(String, f64, f64, f64, RGBColor)>,
    between: bool,
    level: f64,
}

impl ForestChart {
    pub fn new(analysis: &Analysis, endpoints: &[String], visit: &str) -> Self {
        let arms = arm_palette(analysis);
        let mut entries = Vec::new();
        let between = analysis.control_arm.is_some();
        for endpoint in endpoints {
            for (arm, colour) in &arms {
                let r = match &analysis.control_arm {
                    Some(control) if arm == control => continue,
                    Some(control) => find_row(
                        analysis,
                        endpoint,
                        arm,
                        visit,
                        Comparison::Versus(control.clone()),
                        Measure::MeanPctChangeDiff,
                        Method::WelchT,
                    ),
                    None => find_row(
                        analysis,
                        endpoint,
                        arm,
                        visit,
                        Comparison::Within,
                        Measure::MeanPctChange,
                        Method::OneSampleT,
                    ),
                };
                if let Some((e, lo, hi)) = r.and_then(est_ci) {
                    let label = match &analysis.control_arm {
                        Some(control) => format!("{endpoint}: {arm} − {control}"),
                        None if arms.len() > 1 => format!("{endpoint}: {arm}"),
                        None => endpoint.clone(),
                    };
                    entries.push((label, e, lo, hi, *colour));
                }
            }
        }
        ForestChart {
            visit: visit.to_string(),
            entries,
            between,
            level: analysis.options.conf_level,
        }
    }
}

impl Chart for ForestChart {
    fn file_stem(&self) -> String {
        figure_name("forest", &[&self.visit])
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let n = self.entries.len().max(1);
        let xs = self.entries.iter().flat_map(|e| [e.2, e.3]).chain([0.0]);
        let (x_lo, x_hi) = padded_range(xs, 0.06);
        let level = (self.level * 100.0).round();
        let caption = if self.between {
            format!("Difference in mean percent change from baseline vs control at {} ({level}% CI, Welch)", self.visit)
        } else {
            format!(
                "Mean percent change from baseline at {} ({level}% CI)",
                self.visit
            )
        };
        let titled = root
            .margin(18, 0, 0, 0)
            .titled(&caption, title_font())
            .map_err(err)?;
        let (plot, _) = titled.split_horizontally(titled.dim_in_pixel().0 as i32 - NUMBERS_WIDTH);
        let mut chart = plot_area(&plot, None, (80, 580), x_lo..x_hi, -0.6..(n as f64 - 0.4))?;
        mesh(&mut chart)
            .disable_y_mesh()
            .y_labels(0)
            .x_desc(if self.between {
                "Difference in percent change from baseline (percentage points)"
            } else {
                "Percent change from baseline (%)"
            })
            .x_label_formatter(&tick)
            .draw()
            .map_err(err)?;
        chart
            .draw_series(LineSeries::new(
                [(0.0, -0.6), (0.0, n as f64 - 0.4)],
                BLACK.stroke_width(2),
            ))
            .map_err(err)?;
        let label_style = text_style(LABEL_SIZE + 2, FontStyle::Normal, HPos::Right, VPos::Center);
        let number_style = text_style(LABEL_SIZE + 2, FontStyle::Normal, HPos::Left, VPos::Center);
        let header_style = text_style(LABEL_SIZE + 2, FontStyle::Bold, HPos::Left, VPos::Center);
        // The plot area ends 30 px (its margin) short of the column of numbers.
        let plot_right = root.dim_in_pixel().0 as i32 - NUMBERS_WIDTH - 30;
        let numbers_left = plot_right + 40;
        let (_, top) = chart.backend_coord(&(x_lo, n as f64 - 0.4));
        root.draw(&Text::new(
            format!("Estimate ({level}% CI)"),
            (numbers_left, top + 10),
            header_style,
        ))
        .map_err(err)?;
        for (i, (label, e, lo, hi, colour)) in self.entries.iter().enumerate() {
            let y = (n - 1 - i) as f64;
            let colour = *colour;
            chart
                .draw_series(std::iter::once(PathElement::new(
                    [(*lo, y), (*hi, y)],
                    colour.stroke_width(4),
                )))
                .map_err(err)?;
            chart
                .draw_series([*lo, *hi].into_iter().map(|x| {
                    PathElement::new([(x, y - 0.12), (x, y + 0.12)], colour.stroke_width(4))
                }))
                .map_err(err)?;
            chart
                .draw_series(std::iter::once(Rectangle::new(
                    [(*e, y), (*e, y)],
                    colour.filled(),
                )))
                .map_err(err)?;
            let (px, py) = chart.backend_coord(&(*e, y));
            root.draw(&Rectangle::new(
                [(px - 9, py - 9), (px + 9, py + 9)],
                colour.filled(),
            ))
            .map_err(err)?;
            let (left, _) = chart.backend_coord(&(x_lo, y));
            root.draw(&Text::new(
                label.clone(),
                (left - 16, py),
                label_style.clone(),
            ))
            .map_err(err)?;
            root.draw(&Text::new(
                format!("{e:.1} ({lo:.1} to {hi:.1})"),
                (numbers_left, py),
                number_style.clone(),
            ))
            .map_err(err)?;
        }
        Ok(())
    }
}
