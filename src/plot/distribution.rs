//! The distribution chart: a box plot of percent change per arm at a visit, with every patient's
//! value jittered by a seeded generator. `new` gathers the box numbers (computed by the analysis)
//! and the points; `draw` only draws, inside the shared frame. Computes no statistic.

use super::frame::{
    arm_palette, category_labels, err, figure_name, mesh, padded_range, plot_area, tick, Chart,
};
use crate::analysis::Analysis;
use crate::stats::descriptive::BoxStats;
use plotters::coord::Shift;
use plotters::prelude::*;

/// Box plot of percent change per arm with every patient's value jittered (seeded).
pub struct DistributionChart {
    endpoint: String,
    visit: String,
    arms: Vec<(String, RGBColor)>,
    boxes: Vec<(usize, BoxStats, usize)>,
    /// (arm, x offset, percent change)
    points: Vec<(usize, f64, f64)>,
    seed: u64,
}

impl DistributionChart {
    pub fn new(analysis: &Analysis, endpoint: &str, visit: &str, seed: u64) -> Self {
        let arms = arm_palette(analysis);
        // The crate's one seeded generator: the same jitter on every run and machine.
        let mut jitter = crate::rng::SplitMix64(seed);
        let mut boxes = Vec::new();
        let mut points = Vec::new();
        for (a, (arm, _)) in arms.iter().enumerate() {
            if let Some(cell) = analysis
                .cells
                .iter()
                .find(|c| c.endpoint == endpoint && &c.arm == arm && c.visit == visit)
            {
                if let Some(b) = cell.pct_box {
                    let n = analysis
                        .patients
                        .iter()
                        .filter(|p| {
                            p.endpoint == endpoint
                                && &p.arm == arm
                                && p.visit == visit
                                && p.pct_change.is_some()
                        })
                        .count();
                    boxes.push((a, b, n));
                }
            }
            for p in analysis
                .patients
                .iter()
                .filter(|p| p.endpoint == endpoint && &p.arm == arm && p.visit == visit)
            {
                if let Some(pct) = p.pct_change {
                    points.push((a, (jitter.next_f64() - 0.5) * 0.36, pct));
                }
            }
        }
        DistributionChart {
            endpoint: endpoint.to_string(),
            visit: visit.to_string(),
            arms,
            boxes,
            points,
            seed,
        }
    }
}

impl Chart for DistributionChart {
    fn file_stem(&self) -> String {
        figure_name("distribution", &[&self.endpoint, &self.visit])
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let a = self.arms.len().max(1);
        let ys = self.points.iter().map(|p| p.2).chain([0.0]);
        let (y_lo, y_hi) = padded_range(ys, 0.08);
        let caption = format!(
            "{}: percent change from baseline at {}, by arm",
            self.endpoint, self.visit
        );
        let mut chart = plot_area(
            root,
            Some(&caption),
            (80, 110),
            -0.5..(a as f64 - 0.5),
            y_lo..y_hi,
        )?;
        let labels: Vec<String> = self
            .arms
            .iter()
            .enumerate()
            .map(|(i, (name, _))| {
                let n = self
                    .boxes
                    .iter()
                    .find(|b| b.0 == i)
                    .map(|b| b.2)
                    .unwrap_or(0);
                format!("{name} (n = {n})")
            })
            .collect();
        let formatter = category_labels(labels);
        mesh(&mut chart)
            .disable_x_mesh()
            .x_labels(a * 2 + 1)
            .x_label_formatter(&formatter)
            .x_desc(format!(
                "Box: quartiles and median; whiskers: most extreme values within 1.5 IQR; points: patients (jitter seed {})",
                self.seed
            ))
            .y_desc("Change from baseline (%)")
            .y_label_formatter(&tick)
            .draw()
            .map_err(err)?;
        chart
            .draw_series(LineSeries::new(
                [(-0.5, 0.0), (a as f64 - 0.5, 0.0)],
                BLACK.mix(0.5).stroke_width(1),
            ))
            .map_err(err)?;
        for (i, b, _) in &self.boxes {
            let x = *i as f64;
            let colour = self.arms[*i].1;
            chart
                .draw_series(std::iter::once(Rectangle::new(
                    [(x - 0.25, b.q1), (x + 0.25, b.q3)],
                    colour.mix(0.25).filled(),
                )))
                .map_err(err)?;
            chart
                .draw_series(std::iter::once(Rectangle::new(
                    [(x - 0.25, b.q1), (x + 0.25, b.q3)],
                    colour.stroke_width(3),
                )))
                .map_err(err)?;
            chart
                .draw_series(std::iter::once(PathElement::new(
                    [(x - 0.25, b.median), (x + 0.25, b.median)],
                    colour.stroke_width(6),
                )))
                .map_err(err)?;
            for (from, to) in [(b.q3, b.whisker_high), (b.q1, b.whisker_low)] {
                chart
                    .draw_series(std::iter::once(PathElement::new(
                        [(x, from), (x, to)],
                        colour.stroke_width(3),
                    )))
                    .map_err(err)?;
                chart
                    .draw_series(std::iter::once(PathElement::new(
                        [(x - 0.1, to), (x + 0.1, to)],
                        colour.stroke_width(3),
                    )))
                    .map_err(err)?;
            }
        }
        chart
            .draw_series(self.points.iter().map(|(i, dx, y)| {
                Circle::new((*i as f64 + dx, *y), 7, self.arms[*i].1.mix(0.85).filled())
            }))
            .map_err(err)?;
        chart
            .draw_series(
                self.points
                    .iter()
                    .map(|(i, dx, y)| Circle::new((*i as f64 + dx, *y), 7, BLACK.stroke_width(1))),
            )
            .map_err(err)?;
        Ok(())
    }
}
