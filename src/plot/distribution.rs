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
    /// Every k-th patient's point is drawn (1: all).
    shown_every: usize,
    /// Smallest and largest percent change of all patients, drawn or not.
    extremes: (f64, f64),
}

/// Most points drawn per arm; above, every k-th patient.
const MAX_POINTS: usize = 1000;

impl DistributionChart {
    pub fn new(analysis: &Analysis, endpoint: &str, visit: &str, seed: u64) -> Self {
        let arms = arm_palette(analysis);
        // The crate's one seeded generator: the same jitter on every run and machine.
        let mut jitter = crate::rng::SplitMix64(seed);
        let mut boxes = Vec::new();
        let mut points = Vec::new();
        let mut shown_every = 1;
        let mut extremes = (f64::INFINITY, f64::NEG_INFINITY);
        // The percent changes of each arm, in one pass over the patients.
        let mut values: Vec<Vec<f64>> = vec![Vec::new(); arms.len()];
        for p in analysis
            .patients
            .iter()
            .filter(|p| &*p.endpoint == endpoint && &*p.visit == visit)
        {
            if let (Some(a), Some(pct)) =
                (arms.iter().position(|(n, _)| **n == *p.arm), p.pct_change)
            {
                values[a].push(pct);
            }
        }
        for (a, (arm, _)) in arms.iter().enumerate() {
            if let Some(cell) = analysis
                .cells
                .iter()
                .find(|c| c.endpoint == endpoint && &c.arm == arm && c.visit == visit)
            {
                if let Some(b) = cell.pct_box {
                    boxes.push((a, b, values[a].len()));
                }
            }
            // Above MAX_POINTS patients in an arm, every k-th patient's point is drawn (the box
            // is of all patients); the title says so.
            let step = values[a].len().div_ceil(MAX_POINTS).max(1);
            shown_every = shown_every.max(step);
            for (i, &pct) in values[a].iter().enumerate() {
                extremes = (extremes.0.min(pct), extremes.1.max(pct));
                if i.is_multiple_of(step) {
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
            shown_every,
            extremes,
        }
    }
}

impl Chart for DistributionChart {
    fn file_stem(&self) -> String {
        figure_name("distribution", &[&self.endpoint, &self.visit])
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let a = self.arms.len().max(1);
        let thinned = self.shown_every > 1;
        let extremes = if thinned {
            vec![self.extremes.0, self.extremes.1]
        } else {
            Vec::new()
        };
        let ys = self.points.iter().map(|p| p.2).chain([0.0]).chain(extremes);
        let (y_lo, y_hi) = padded_range(ys, 0.08);
        let caption = if thinned {
            format!(
                "{}: percent change from baseline at {}, by arm (points: every {}th patient)",
                self.endpoint, self.visit, self.shown_every
            )
        } else {
            format!(
                "{}: percent change from baseline at {}, by arm",
                self.endpoint, self.visit
            )
        };
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
