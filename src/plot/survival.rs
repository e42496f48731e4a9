//! Time-to-event and safety figures: Kaplan–Meier curves per arm with censoring marks, optional
//! confidence bands and the numbers at risk under the axis; and the adverse-event dot plot
//! (incidence per arm beside the difference against control with its interval). They read
//! `analysis::survival` / `analysis::safety` results and compute nothing but positions.

use super::frame::{
    arm_colours, err, line_key, mesh, plot_area, register_fonts, text_style, tick, title_font,
    LABEL_SIZE,
};
use super::PlotError;
use crate::analysis::safety::{SafetyAnalysis, TermLevel};
use crate::analysis::survival::SurvivalAnalysis;
use crate::analysis::{Comparison, Measure};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use plotters::style::FontStyle;
use std::path::Path;

/// Options of the Kaplan–Meier figure.
#[derive(Debug, Clone)]
pub struct KmFigureOptions {
    /// Shade the pointwise confidence band of each curve.
    pub bands: bool,
    pub width: u32,
    pub height: u32,
    /// x-axis label.
    pub time_label: String,
}

impl Default for KmFigureOptions {
    fn default() -> Self {
        KmFigureOptions {
            bands: false,
            width: 1600,
            height: 1100,
            time_label: "Time".into(),
        }
    }
}

/// A round step for about five ticks over [0, max].
fn tick_step(max: f64) -> f64 {
    if max.is_nan() || max <= 0.0 {
        return 1.0;
    }
    let raw = max / 5.0;
    let p = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * p)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * p)
}

fn write_png(
    path: &Path,
    size: (u32, u32),
    f: impl FnOnce(&DrawingArea<BitMapBackend, Shift>) -> Result<(), String>,
) -> Result<(), PlotError> {
    register_fonts();
    let root = BitMapBackend::new(path, size).into_drawing_area();
    let draw = || -> Result<(), String> {
        root.fill(&WHITE).map_err(err)?;
        f(&root)?;
        root.present().map_err(err)
    };
    draw().map_err(|message| PlotError::Draw {
        path: path.to_path_buf(),
        message,
    })
}

/// Kaplan–Meier curves of every arm, with the numbers at risk under the axis (PNG).
pub fn km_figure(a: &SurvivalAnalysis, path: &Path, o: &KmFigureOptions) -> Result<(), PlotError> {
    write_png(path, (o.width, o.height), |root| draw_km(a, root, o))
}

fn draw_km<DB: DrawingBackend>(
    a: &SurvivalAnalysis,
    root: &DrawingArea<DB, Shift>,
    o: &KmFigureOptions,
) -> Result<(), String> {
    let arms: Vec<String> = a.curves.iter().map(|(arm, _)| arm.clone()).collect();
    let colours = arm_colours(&arms, a.control.as_deref());
    let t_max = a
        .curves
        .iter()
        .filter_map(|(_, km)| km.steps.last().map(|s| s.time))
        .fold(0.0, f64::max);
    let step = tick_step(t_max);
    let x_hi = (t_max / step).ceil() * step;
    let x_hi = if x_hi > 0.0 { x_hi } else { 1.0 };
    let table_rows = arms.len() as u32;
    let table_h = 60 + 40 * table_rows;
    let (upper, _lower) = root.split_vertically(root.dim_in_pixel().1 - table_h);
    let caption = format!("Kaplan–Meier estimate: {}", a.endpoint);
    // Room on the left for the arm names of the numbers-at-risk table.
    let name_w = 40
        + 13 * arms
            .iter()
            .map(|a| a.chars().count())
            .max()
            .unwrap_or(4)
            .min(28) as u32;
    let mut chart = plot_area(
        &upper,
        Some(&caption),
        (80, name_w.max(110)),
        0.0..x_hi,
        0.0..1.02,
    )?;
    mesh(&mut chart)
        .x_desc(o.time_label.as_str())
        .y_desc("Probability of no event")
        .x_label_formatter(&tick)
        .y_label_formatter(&tick)
        .x_labels(((x_hi / step) as usize + 1).min(40))
        .draw()
        .map_err(err)?;
    for ((arm, km), colour) in a.curves.iter().zip(&colours) {
        let mut pts = vec![(0.0, 1.0)];
        let mut s_prev = 1.0;
        for s in &km.steps {
            pts.push((s.time, s_prev));
            pts.push((s.time, s.surv));
            s_prev = s.surv;
        }
        if o.bands {
            let (mut up, mut lo) = (vec![(0.0, 1.0)], vec![(0.0, 1.0)]);
            let (mut u_prev, mut l_prev) = (1.0, 1.0);
            for s in &km.steps {
                let (Some(l), Some(u)) = (s.lower, s.upper) else {
                    break;
                };
                up.extend([(s.time, u_prev), (s.time, u)]);
                lo.extend([(s.time, l_prev), (s.time, l)]);
                u_prev = u;
                l_prev = l;
            }
            lo.reverse();
            up.extend(lo);
            chart
                .draw_series(std::iter::once(Polygon::new(up, colour.mix(0.15).filled())))
                .map_err(err)?;
        }
        let style = colour.stroke_width(4);
        chart
            .draw_series(LineSeries::new(pts, style))
            .map_err(err)?
            .label(format!("{arm} (n = {}, events = {})", km.n, km.events))
            .legend(line_key(style, 36));
        let c = *colour;
        chart
            .draw_series(km.steps.iter().filter(|s| s.n_censor > 0).map(move |s| {
                EmptyElement::at((s.time, s.surv))
                    + PathElement::new([(-9, 0), (9, 0)], c.stroke_width(3))
                    + PathElement::new([(0, -9), (0, 9)], c.stroke_width(3))
            }))
            .map_err(err)?;
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::MiddleRight)
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK.mix(0.4))
        .label_font((super::FONT, LABEL_SIZE))
        .margin(16)
        .draw()
        .map_err(err)?;
    // Numbers at risk, under the tick marks.
    let head = text_style(LABEL_SIZE, FontStyle::Bold, HPos::Left, VPos::Center);
    let centre = text_style(LABEL_SIZE, FontStyle::Normal, HPos::Center, VPos::Center);
    let top = root.dim_in_pixel().1 as i32 - table_h as i32;
    root.draw(&Text::new("Number at risk", (20, top + 25), head))
        .map_err(err)?;
    let ticks: Vec<f64> = (0..)
        .map(|i| i as f64 * step)
        .take_while(|t| *t <= x_hi + 1e-9)
        .collect();
    for (r, ((arm, km), colour)) in a.curves.iter().zip(&colours).enumerate() {
        let y = top + 65 + 40 * r as i32;
        let label =
            text_style(LABEL_SIZE, FontStyle::Normal, HPos::Left, VPos::Center).color(colour);
        let short: String = arm.chars().take(28).collect();
        root.draw(&Text::new(short, (20, y), label)).map_err(err)?;
        for &t in &ticks {
            let n = km.at(t).map_or(0, |s| s.n_risk);
            let (x, _) = chart.backend_coord(&(t, 0.0));
            root.draw(&Text::new(n.to_string(), (x, y), centre.clone()))
                .map_err(err)?;
        }
    }
    Ok(())
}

/// The adverse-event dot plot of the `max_terms` most frequent preferred terms (PNG): incidence
/// per arm (left) and each arm's difference from control with its interval (right).
pub fn ae_dot_plot(a: &SafetyAnalysis, path: &Path, max_terms: usize) -> Result<(), PlotError> {
    let mut pts: Vec<_> = a
        .terms
        .iter()
        .filter(|t| t.level == TermLevel::PreferredTerm)
        .collect();
    pts.sort_by_key(|t| std::cmp::Reverse(t.counts.iter().map(|c| c.patients).sum::<usize>()));
    pts.truncate(max_terms);
    let height = 260 + 46 * pts.len().max(1) as u32;
    write_png(path, (1800, height), |root| {
        let n = pts.len().max(1) as f64;
        let colours = arm_colours(&a.arms, a.control.as_deref());
        let titled = root
            .margin(18, 0, 0, 0)
            .titled(
                &format!(
                    "Treatment-emergent adverse events: {} most frequent preferred terms",
                    pts.len()
                ),
                title_font(),
            )
            .map_err(err)?;
        let w = titled.dim_in_pixel().0 as i32;
        let (left, right) = titled.split_horizontally(w * 62 / 100);
        let inc_max = pts
            .iter()
            .flat_map(|t| {
                t.counts
                    .iter()
                    .enumerate()
                    .map(|(i, c)| c.patients as f64 / a.n[i].max(1) as f64)
            })
            .fold(0.0, f64::max);
        let labels: Vec<String> = pts.iter().rev().map(|t| t.term.clone()).collect();
        let mut chart = plot_area(
            &left,
            None,
            (80, 520),
            0.0..(inc_max * 110.0).max(1.0),
            -0.6..(n - 0.4),
        )?;
        mesh(&mut chart)
            .disable_y_mesh()
            .y_labels(pts.len().max(1))
            .y_label_formatter(&super::frame::category_labels(labels))
            .x_desc("Patients with ≥ 1 event (%)")
            .x_label_formatter(&tick)
            .draw()
            .map_err(err)?;
        for (i, arm) in a.arms.iter().enumerate() {
            let c = colours[i];
            let series: Vec<(f64, f64)> = pts
                .iter()
                .enumerate()
                .map(|(k, t)| {
                    (
                        100.0 * t.counts[i].patients as f64 / a.n[i].max(1) as f64,
                        n - 1.0 - k as f64,
                    )
                })
                .collect();
            chart
                .draw_series(
                    series
                        .into_iter()
                        .map(move |p| Circle::new(p, 9, c.filled())),
                )
                .map_err(err)?
                .label(format!("{arm} (N = {})", a.n[i]))
                .legend(move |(x, y)| Circle::new((x + 14, y), 9, c.filled()));
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::LowerRight)
            .background_style(WHITE.mix(0.9))
            .border_style(BLACK.mix(0.4))
            .label_font((super::FONT, LABEL_SIZE))
            .margin(12)
            .draw()
            .map_err(err)?;
        // Differences vs control with intervals.
        let diffs: Vec<(usize, usize, f64, f64, f64)> = pts
            .iter()
            .enumerate()
            .flat_map(|(k, t)| {
                a.rows
                    .iter()
                    .filter(move |r| {
                        r.key.endpoint == t.term
                            && matches!(r.key.comparison, Comparison::Versus(_))
                            && r.key.estimand == Measure::AeIncidenceDiff.into()
                            && r.note.contains(&format!("preferred term in {}", t.soc))
                    })
                    .filter_map(move |r| {
                        let e = r.result.estimate.as_ref()?.value;
                        let ci = r.result.interval.as_ref()?;
                        let arm = a.arms.iter().position(|x| *x == r.key.arm)?;
                        Some((k, arm, 100.0 * e, 100.0 * ci.lower, 100.0 * ci.upper))
                    })
            })
            .collect();
        let lo = diffs.iter().map(|d| d.3).fold(0.0, f64::min);
        let hi = diffs.iter().map(|d| d.4).fold(0.0, f64::max);
        let pad = 0.05 * (hi - lo).max(1.0);
        let mut chart = plot_area(
            &right,
            None,
            (80, 20),
            (lo - pad)..(hi + pad),
            -0.6..(n - 0.4),
        )?;
        mesh(&mut chart)
            .disable_y_mesh()
            .y_labels(0)
            .x_desc(format!(
                "Difference vs {} (pp, {}% CI)",
                a.control.as_deref().unwrap_or("control"),
                (a.conf_level * 100.0).round()
            ))
            .x_label_formatter(&tick)
            .draw()
            .map_err(err)?;
        chart
            .draw_series(LineSeries::new(
                [(0.0, -0.6), (0.0, n - 0.4)],
                BLACK.stroke_width(2),
            ))
            .map_err(err)?;
        let arms_vs = (a.arms.len().saturating_sub(1)).max(1) as f64;
        for (k, arm, e, l, u) in diffs {
            let c = colours[arm];
            let y = n - 1.0 - k as f64 + 0.25 - 0.5 * (arm as f64 - 0.5) / arms_vs;
            chart
                .draw_series(std::iter::once(PathElement::new(
                    [(l, y), (u, y)],
                    c.stroke_width(3),
                )))
                .map_err(err)?;
            chart
                .draw_series(std::iter::once(Circle::new((e, y), 7, c.filled())))
                .map_err(err)?;
        }
        Ok(())
    })
}
