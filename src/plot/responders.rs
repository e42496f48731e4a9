//! The responder chart: responder and clearance rates per arm at a visit, with the exact
//! (Clopper–Pearson) intervals and the counts from the within-arm results. `new` gathers the rows;
//! `draw` only draws, inside the shared frame. Computes no statistic.

use super::frame::{
    arm_palette, category_labels, draw_legend, err, est_ci, figure_name, find_row, mesh, plot_area,
    swatch, text_style, tick, Chart, LABEL_SIZE,
};
use crate::analysis::{Analysis, Comparison, Estimand, Method, RateStat, Response};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use plotters::style::FontStyle;

/// Responder and clearance rates per arm with exact (Clopper–Pearson) error bars.
pub struct ResponderChart {
    endpoint: String,
    visit: String,
    arms: Vec<(String, RGBColor)>,
    groups: Vec<String>,
    /// (group, arm, rate, lower, upper, k, n)
    bars: Vec<(usize, usize, f64, f64, f64, usize, usize)>,
    level: f64,
}

impl ResponderChart {
    pub fn new(analysis: &Analysis, endpoint: &str, visit: &str) -> Self {
        let arms = arm_palette(analysis);
        let mut groups = Vec::new();
        let mut bars = Vec::new();
        let thresholds = &analysis.options.responder_thresholds;
        for (g, name) in thresholds
            .iter()
            .map(|t| (Response::Responder(*t), format!("≥{t}% improvement")))
            .chain([(
                Response::Clearance,
                format!("clearance (= {})", analysis.options.clear_value),
            )])
            .enumerate()
        {
            groups.push(name.1);
            for (a, (arm, _)) in arms.iter().enumerate() {
                if let Some(r) = find_row(
                    analysis,
                    endpoint,
                    arm,
                    visit,
                    Comparison::Within,
                    Estimand::Response(name.0, RateStat::Rate),
                    Method::ClopperPearson,
                ) {
                    if let Some((e, lo, hi)) = est_ci(r) {
                        let k = (e * r.n as f64).round() as usize;
                        bars.push((g, a, 100.0 * e, 100.0 * lo, 100.0 * hi, k, r.n));
                    }
                }
            }
        }
        ResponderChart {
            endpoint: endpoint.to_string(),
            visit: visit.to_string(),
            arms,
            groups,
            bars,
            level: analysis.options.conf_level,
        }
    }
}

impl Chart for ResponderChart {
    fn file_stem(&self) -> String {
        figure_name("responders", &[&self.endpoint, &self.visit])
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let g = self.groups.len().max(1);
        let a = self.arms.len().max(1) as f64;
        let width = 0.8 / a;
        let caption = format!(
            "{}: responders and clearance at {} ({}% Clopper–Pearson CI)",
            self.endpoint,
            self.visit,
            (self.level * 100.0).round()
        );
        let mut chart = plot_area(
            root,
            Some(&caption),
            (80, 110),
            -0.5..(g as f64 - 0.5),
            0.0..110.0,
        )?;
        let formatter = category_labels(self.groups.clone());
        mesh(&mut chart)
            .disable_x_mesh()
            .x_labels(g * 2 + 1)
            .x_label_formatter(&formatter)
            .y_desc("Patients (%)")
            .y_label_formatter(&tick)
            .draw()
            .map_err(err)?;
        let count_style = text_style(LABEL_SIZE, FontStyle::Normal, HPos::Center, VPos::Bottom);
        for (ai, (name, colour)) in self.arms.iter().enumerate() {
            let colour = *colour;
            let x_of = |group: usize| group as f64 - 0.4 + width * (ai as f64 + 0.5);
            let mine: Vec<_> = self.bars.iter().filter(|b| b.1 == ai).collect();
            if mine.is_empty() {
                continue;
            }
            chart
                .draw_series(mine.iter().map(|b| {
                    let x = x_of(b.0);
                    Rectangle::new(
                        [(x - width * 0.45, 0.0), (x + width * 0.45, b.2)],
                        colour.filled(),
                    )
                }))
                .map_err(err)?
                .label(name.clone())
                .legend(swatch(colour));
            chart
                .draw_series(mine.iter().map(|b| {
                    ErrorBar::new_vertical(x_of(b.0), b.3, b.2, b.4, BLACK.stroke_width(3), 20)
                }))
                .map_err(err)?;
            for b in &mine {
                let (px, py) = chart.backend_coord(&(x_of(b.0), b.4));
                root.draw(&Text::new(
                    format!("{}/{}", b.5, b.6),
                    (px, py - 8),
                    count_style.clone(),
                ))
                .map_err(err)?;
            }
        }
        draw_legend(&mut chart, SeriesLabelPosition::UpperRight)?;
        Ok(())
    }
}
