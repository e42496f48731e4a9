//! Forest of stratum-level risk differences (`--strata`): per arm against the control, each
//! stratum's difference in responders with its Newcombe interval
//! ([`Analysis::stratum_differences`]), then the Mantel–Haenszel common difference with Sato's
//! interval (the `{response}_diff/mh_sato` row) at the bottom. One figure per endpoint and
//! response at the chosen visit. Draws only: the numbers are the analysis's.

use super::frame::{
    arm_palette, err, figure_name, find_row, mesh, padded_range, plot_area, text_style, tick,
    title_font, Chart, LABEL_SIZE,
};
use super::response_by_visit::response_title;
use crate::analysis::{Analysis, Comparison, Estimand, Method, RateStat, Response};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use plotters::style::FontStyle;

/// Width in pixels of the column of numbers right of the plot.
const NUMBERS_WIDTH: i32 = 560;

/// One line of the forest.
struct Entry {
    label: String,
    /// (estimate, lower, upper) in percentage points; None when not estimable.
    value: Option<(f64, f64, f64)>,
    counts: String,
    colour: RGBColor,
    common: bool,
}

/// Stratum-level differences and the MH common difference, per arm vs control.
pub struct StratumForestChart {
    endpoint: String,
    response: String,
    title: String,
    visit: String,
    entries: Vec<Entry>,
    level: f64,
}

impl StratumForestChart {
    /// None without strata (or without a control arm) for this endpoint and response.
    pub fn new(
        analysis: &Analysis,
        endpoint: &str,
        visit: &str,
        response: Response,
    ) -> Option<Self> {
        let control = analysis.control_arm.clone()?;
        let mut entries = Vec::new();
        for (arm, colour) in arm_palette(analysis) {
            if arm == control {
                continue;
            }
            let strata: Vec<_> = analysis
                .stratum_differences
                .iter()
                .filter(|s| {
                    s.endpoint == endpoint
                        && s.arm == arm
                        && s.visit == visit
                        && s.response == response
                })
                .collect();
            if strata.is_empty() {
                continue;
            }
            for s in strata {
                let r = &s.difference;
                let value = r
                    .estimate
                    .as_ref()
                    .zip(r.interval.as_ref())
                    .map(|(e, ci)| (100.0 * e.value, 100.0 * ci.lower, 100.0 * ci.upper));
                entries.push(Entry {
                    label: format!("{arm} · {}", s.stratum),
                    value,
                    counts: format!(
                        "{}/{} vs {}/{}",
                        s.arm_counts.0, s.arm_counts.1, s.control_counts.0, s.control_counts.1
                    ),
                    colour,
                    common: false,
                });
            }
            let mh = find_row(
                analysis,
                endpoint,
                &arm,
                visit,
                Comparison::Versus(control.clone()),
                Estimand::Response(response, RateStat::Diff),
                Method::MhSato,
            );
            let value = mh.and_then(|r| {
                let e = r.result.estimate.as_ref()?.value;
                let ci = r.result.interval.as_ref()?;
                Some((100.0 * e, 100.0 * ci.lower, 100.0 * ci.upper))
            });
            entries.push(Entry {
                label: format!("{arm} · MH common difference"),
                value,
                counts: String::new(),
                colour,
                common: true,
            });
        }
        (!entries.is_empty()).then(|| StratumForestChart {
            endpoint: endpoint.to_string(),
            response: response.to_string(),
            title: response_title(analysis, response),
            visit: visit.to_string(),
            entries,
            level: analysis.options.conf_level,
        })
    }
}

impl Chart for StratumForestChart {
    fn file_stem(&self) -> String {
        figure_name(
            "stratum_forest",
            &[&self.endpoint, &self.response, &self.visit],
        )
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let n = self.entries.len().max(1);
        let xs = self
            .entries
            .iter()
            .filter_map(|e| e.value)
            .flat_map(|v| [v.1, v.2])
            .chain([0.0]);
        let (x_lo, x_hi) = padded_range(xs, 0.06);
        let level = (self.level * 100.0).round();
        let caption = format!(
            "{}: {} at {} — difference vs control by stratum",
            self.endpoint, self.title, self.visit
        );
        let titled = root
            .margin(18, 0, 0, 0)
            .titled(&caption, title_font())
            .map_err(err)?;
        let (plot, _) = titled.split_horizontally(titled.dim_in_pixel().0 as i32 - NUMBERS_WIDTH);
        let mut chart = plot_area(&plot, None, (80, 420), x_lo..x_hi, -0.6..(n as f64 - 0.4))?;
        mesh(&mut chart)
            .disable_y_mesh()
            .y_labels(0)
            .x_desc(format!(
                "Difference in responders, arm − control (percentage points, {level}% CI)"
            ))
            .x_label_formatter(&tick)
            .draw()
            .map_err(err)?;
        chart
            .draw_series(LineSeries::new(
                [(0.0, -0.6), (0.0, n as f64 - 0.4)],
                BLACK.stroke_width(2),
            ))
            .map_err(err)?;
        let size = LABEL_SIZE + 2;
        let label_style = text_style(size, FontStyle::Normal, HPos::Right, VPos::Center);
        let bold_label = text_style(size, FontStyle::Bold, HPos::Right, VPos::Center);
        let number_style = text_style(size, FontStyle::Normal, HPos::Left, VPos::Center);
        let header_style = text_style(size, FontStyle::Bold, HPos::Left, VPos::Center);
        let plot_right = root.dim_in_pixel().0 as i32 - NUMBERS_WIDTH - 30;
        let numbers_left = plot_right + 40;
        let (_, top) = chart.backend_coord(&(x_lo, n as f64 - 0.4));
        root.draw(&Text::new(
            format!("Difference ({level}% CI), responders"),
            (numbers_left, top + 10),
            header_style,
        ))
        .map_err(err)?;
        for (i, entry) in self.entries.iter().enumerate() {
            let y = (n - 1 - i) as f64;
            let colour = entry.colour;
            let (left, py) = chart.backend_coord(&(x_lo, y));
            let style = if entry.common {
                bold_label.clone()
            } else {
                label_style.clone()
            };
            root.draw(&Text::new(entry.label.clone(), (left - 16, py), style))
                .map_err(err)?;
            let Some((e, lo, hi)) = entry.value else {
                root.draw(&Text::new(
                    format!("not estimable   {}", entry.counts),
                    (numbers_left, py),
                    number_style.clone(),
                ))
                .map_err(err)?;
                continue;
            };
            chart
                .draw_series(std::iter::once(PathElement::new(
                    [(lo, y), (hi, y)],
                    colour.stroke_width(4),
                )))
                .map_err(err)?;
            chart
                .draw_series([lo, hi].into_iter().map(|x| {
                    PathElement::new([(x, y - 0.12), (x, y + 0.12)], colour.stroke_width(4))
                }))
                .map_err(err)?;
            let (px, py) = chart.backend_coord(&(e, y));
            if entry.common {
                // The common difference as a diamond, as meta-analysis forests draw it.
                root.draw(&Polygon::new(
                    vec![(px - 16, py), (px, py - 14), (px + 16, py), (px, py + 14)],
                    colour.filled(),
                ))
                .map_err(err)?;
            } else {
                root.draw(&Rectangle::new(
                    [(px - 9, py - 9), (px + 9, py + 9)],
                    colour.filled(),
                ))
                .map_err(err)?;
            }
            root.draw(&Text::new(
                format!("{e:.1} ({lo:.1} to {hi:.1})   {}", entry.counts),
                (numbers_left, py),
                number_style.clone(),
            ))
            .map_err(err)?;
        }
        Ok(())
    }
}
