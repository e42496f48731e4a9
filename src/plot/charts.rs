//! The five charts. Each `new` gathers what it shows from the analysis; `draw` only draws.

use super::{Chart, FONT};
use crate::analysis::{Analysis, Direction, ResultRow};
use crate::stats::descriptive::BoxStats;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::FontStyle;

/// Okabe–Ito colours (colour-blind safe) for the treatment arms; the control arm is grey.
const OKABE_ITO: [RGBColor; 7] = [
    RGBColor(0, 114, 178),   // blue
    RGBColor(213, 94, 0),    // vermillion
    RGBColor(0, 158, 115),   // bluish green
    RGBColor(204, 121, 167), // reddish purple
    RGBColor(230, 159, 0),   // orange
    RGBColor(86, 180, 233),  // sky blue
    RGBColor(240, 228, 66),  // yellow
];
const CONTROL_GREY: RGBColor = RGBColor(120, 120, 120);

/// (x, mean, lower, upper) of an arm at a visit.
type MeanPoint = (f64, f64, f64, f64);
/// A patient's (x, change) points.
type Line = Vec<(f64, f64)>;

const TITLE_SIZE: u32 = 34;
const DESC_SIZE: u32 = 30;
const LABEL_SIZE: u32 = 24;

/// Tick text: no trailing ".0", no "-0".
fn tick(x: &f64) -> String {
    let r = (x * 1e6).round() / 1e6;
    let r = if r == 0.0 { 0.0 } else { r };
    format!("{r}")
}

fn err<E: std::fmt::Debug>(e: E) -> String {
    format!("{e:?}")
}

/// Arms in analysis order with their colours (control last).
fn arm_palette(analysis: &Analysis) -> Vec<(String, RGBColor)> {
    let mut arms: Vec<String> = Vec::new();
    for c in &analysis.cells {
        if !arms.contains(&c.arm) {
            arms.push(c.arm.clone());
        }
    }
    let control = analysis.control_arm.clone();
    arms.sort_by_key(|a| Some(a) == control.as_ref());
    let mut k = 0;
    arms.into_iter()
        .map(|a| {
            let colour = if Some(&a) == control.as_ref() {
                CONTROL_GREY
            } else {
                k += 1;
                OKABE_ITO[(k - 1) % OKABE_ITO.len()]
            };
            (a, colour)
        })
        .collect()
}

fn arm_index(arms: &[(String, RGBColor)], arm: &str) -> usize {
    arms.iter().position(|(a, _)| a == arm).unwrap_or(0)
}

/// Unit of an endpoint, from a conventional name suffix.
fn unit(endpoint: &str) -> &'static str {
    let e = endpoint.to_ascii_lowercase();
    for (suffix, unit) in [
        ("_mm", "mm"),
        ("_cm", "cm"),
        ("_lb", "lb"),
        ("_kg", "kg"),
        ("_g", "g"),
        ("_h", "h"),
        ("_pct", "%"),
    ] {
        if e.ends_with(suffix) {
            return unit;
        }
    }
    "score points"
}

fn file_safe(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

fn row<'a>(
    analysis: &'a Analysis,
    endpoint: &str,
    arm: &str,
    visit: &str,
    comparison: &str,
    estimand: &str,
    method: &str,
) -> Option<&'a ResultRow> {
    analysis.find(endpoint, arm, visit, comparison, estimand, method)
}

fn est_ci(r: &ResultRow) -> Option<(f64, f64, f64)> {
    let e = r.result.estimate.as_ref()?.value;
    let ci = r.result.interval.as_ref()?;
    Some((e, ci.lower, ci.upper))
}

fn padded(lo: f64, hi: f64, frac: f64) -> (f64, f64) {
    let span = (hi - lo).abs().max(1e-9);
    (lo - frac * span, hi + frac * span)
}

/// The legend box every chart uses.
fn draw_legend<'a, DB: DrawingBackend + 'a, CT: plotters::coord::CoordTranslate>(
    chart: &mut ChartContext<'a, DB, CT>,
    position: SeriesLabelPosition,
) -> Result<(), String> {
    chart
        .configure_series_labels()
        .position(position)
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK.mix(0.4))
        .label_font((FONT, LABEL_SIZE))
        .margin(16)
        .draw()
        .map_err(err)
}

fn title_font<'a>() -> TextStyle<'a> {
    (FONT, TITLE_SIZE).into_font().style(FontStyle::Bold).into()
}

// ---------------------------------------------------------------------------------------------

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
}

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
            .filter(|p| p.endpoint == endpoint && p.visit == visit)
        {
            match p.pct_change {
                Some(pct) => bars.push((pct, arm_index(&arms, &p.arm), p.cleared)),
                None => baseline_zero += 1,
            }
        }
        // Worst on the left, best on the right; ties broken by arm for a stable order.
        bars.sort_by(|a, b| (sign * a.0).total_cmp(&(sign * b.0)).then(a.1.cmp(&b.1)));
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
        }
    }

    /// Bars drawn (one per patient with a percent change).
    pub fn bar_count(&self) -> usize {
        self.bars.len()
    }
}

impl Chart for WaterfallChart {
    fn file_stem(&self) -> String {
        format!(
            "waterfall_{}_{}",
            file_safe(&self.endpoint),
            file_safe(&self.visit)
        )
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        root.fill(&WHITE).map_err(err)?;
        let n = self.bars.len();
        let values = self
            .bars
            .iter()
            .map(|b| b.0)
            .chain(self.thresholds.iter().copied())
            .chain([0.0]);
        let lo = values.clone().fold(f64::INFINITY, f64::min);
        let hi = values.fold(f64::NEG_INFINITY, f64::max);
        let (lo, hi) = padded(lo, hi, 0.08);
        let mut title = format!(
            "{}: percent change from baseline at {}, by patient (n = {n})",
            self.endpoint, self.visit
        );
        if self.baseline_zero > 0 {
            title.push_str(&format!(
                "; {} with baseline 0 not shown",
                self.baseline_zero
            ));
        }
        let mut chart = ChartBuilder::on(root)
            .caption(title, title_font())
            .margin(30)
            .x_label_area_size(70)
            .y_label_area_size(110)
            .build_cartesian_2d(-0.6f64..(n.max(1) as f64 - 0.4), lo..hi)
            .map_err(err)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(0)
            .x_desc("Patients, sorted by percent change")
            .y_desc("Change from baseline (%)")
            .y_label_formatter(&tick)
            .axis_desc_style((FONT, DESC_SIZE))
            .label_style((FONT, LABEL_SIZE))
            .light_line_style(WHITE.mix(0.0))
            .bold_line_style(BLACK.mix(0.12))
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
                .legend(move |(x, y)| {
                    Rectangle::new([(x, y - 10), (x + 28, y + 10)], colour.filled())
                });
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
                .legend(|(x, y)| PathElement::new([(x, y), (x + 10, y)], BLACK.stroke_width(2)));
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

// ---------------------------------------------------------------------------------------------

/// Each patient's change from baseline over the weeks, with the arm means and 95% CIs.
pub struct SpaghettiChart {
    endpoint: String,
    arms: Vec<(String, RGBColor)>,
    /// (arm, points (x, change)) per patient.
    lines: Vec<(usize, Vec<(f64, f64)>)>,
    /// (arm, (x, mean, lower, upper)) per visit.
    means: Vec<(usize, Vec<MeanPoint>)>,
    uses_weeks: bool,
    level: f64,
}

impl SpaghettiChart {
    pub fn new(analysis: &Analysis, endpoint: &str) -> Self {
        let arms = arm_palette(analysis);
        let uses_weeks = analysis.baseline_week.is_some()
            && analysis
                .patients
                .iter()
                .filter(|p| p.endpoint == endpoint)
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
        let mut lines: Vec<(usize, String, Line)> = Vec::new();
        for p in analysis.patients.iter().filter(|p| p.endpoint == endpoint) {
            let a = arm_index(&arms, &p.arm);
            let point = (x_of(&p.visit, p.week), p.change);
            match lines.iter_mut().find(|l| l.0 == a && l.1 == p.patient) {
                Some(l) => l.2.push(point),
                None => lines.push((a, p.patient.clone(), vec![(x0, 0.0), point])),
            }
        }
        for l in lines.iter_mut() {
            l.2.sort_by(|a, b| a.0.total_cmp(&b.0));
        }
        let mut means = Vec::new();
        for (a, (arm, _)) in arms.iter().enumerate() {
            let mut pts = vec![(x0, 0.0, 0.0, 0.0)];
            for visit in &analysis.follow_up_visits {
                let week = analysis
                    .patients
                    .iter()
                    .find(|p| &p.visit == visit)
                    .and_then(|p| p.week);
                if let Some((m, lo, hi)) = row(
                    analysis,
                    endpoint,
                    arm,
                    visit,
                    "within",
                    "mean_change",
                    "paired_t",
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
            lines: lines.into_iter().map(|(a, _, pts)| (a, pts)).collect(),
            means,
            uses_weeks,
            level: analysis.options.conf_level,
        }
    }

    /// Patient trajectories drawn.
    pub fn line_count(&self) -> usize {
        self.lines.len()
    }
}

impl Chart for SpaghettiChart {
    fn file_stem(&self) -> String {
        format!("spaghetti_{}", file_safe(&self.endpoint))
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        root.fill(&WHITE).map_err(err)?;
        let xs = self
            .lines
            .iter()
            .flat_map(|l| l.1.iter().map(|p| p.0))
            .chain(self.means.iter().flat_map(|m| m.1.iter().map(|p| p.0)));
        let (x_lo, x_hi) = (
            xs.clone().fold(f64::INFINITY, f64::min),
            xs.fold(f64::NEG_INFINITY, f64::max),
        );
        let ys = self
            .lines
            .iter()
            .flat_map(|l| l.1.iter().map(|p| p.1))
            .chain(
                self.means
                    .iter()
                    .flat_map(|m| m.1.iter().flat_map(|p| [p.2, p.3])),
            );
        let (y_lo, y_hi) = (
            ys.clone().fold(f64::INFINITY, f64::min),
            ys.fold(f64::NEG_INFINITY, f64::max),
        );
        let (x_lo, x_hi) = padded(x_lo, x_hi, 0.04);
        let (y_lo, y_hi) = padded(y_lo, y_hi, 0.08);
        let caption = format!(
            "{}: change from baseline by {} (n = {} patients)",
            self.endpoint,
            if self.uses_weeks { "week" } else { "visit" },
            self.lines.len()
        );
        let mut chart = ChartBuilder::on(root)
            .caption(caption, title_font())
            .margin(30)
            .x_label_area_size(80)
            .y_label_area_size(110)
            .build_cartesian_2d(x_lo..x_hi, y_lo..y_hi)
            .map_err(err)?;
        chart
            .configure_mesh()
            .x_desc(if self.uses_weeks {
                "Week"
            } else {
                "Visit number (0 = baseline)"
            })
            .y_desc(format!("Change from baseline ({})", unit(&self.endpoint)))
            .x_label_formatter(&tick)
            .y_label_formatter(&tick)
            .axis_desc_style((FONT, DESC_SIZE))
            .label_style((FONT, LABEL_SIZE))
            .light_line_style(WHITE.mix(0.0))
            .bold_line_style(BLACK.mix(0.12))
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
                    .legend(move |(x, y)| {
                        PathElement::new([(x, y), (x + 28, y)], colour.mix(0.4).stroke_width(2))
                    });
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
                .legend(move |(x, y)| {
                    PathElement::new([(x, y), (x + 28, y)], colour.stroke_width(6))
                });
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

// ---------------------------------------------------------------------------------------------

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
                    Some(control) => row(
                        analysis,
                        endpoint,
                        arm,
                        visit,
                        &format!("{arm} vs {control}"),
                        "mean_pct_change_diff",
                        "welch_t",
                    ),
                    None => row(
                        analysis,
                        endpoint,
                        arm,
                        visit,
                        "within",
                        "mean_pct_change",
                        "one_sample_t",
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

    /// Lines drawn.
    pub fn entry_count(&self) -> usize {
        self.entries.len()
    }
}

impl Chart for ForestChart {
    fn file_stem(&self) -> String {
        format!("forest_{}", file_safe(&self.visit))
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        root.fill(&WHITE).map_err(err)?;
        let n = self.entries.len().max(1);
        let xs = self.entries.iter().flat_map(|e| [e.2, e.3]).chain([0.0]);
        let (x_lo, x_hi) = padded(
            xs.clone().fold(f64::INFINITY, f64::min),
            xs.fold(f64::NEG_INFINITY, f64::max),
            0.06,
        );
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
        let (plot_area, _) = titled.split_horizontally(titled.dim_in_pixel().0 as i32 - 360);
        let mut chart = ChartBuilder::on(&plot_area)
            .margin(30)
            .x_label_area_size(80)
            .y_label_area_size(580)
            .build_cartesian_2d(x_lo..x_hi, -0.6f64..(n as f64 - 0.4))
            .map_err(err)?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(0)
            .x_desc(if self.between {
                "Difference in percent change from baseline (percentage points)"
            } else {
                "Percent change from baseline (%)"
            })
            .x_label_formatter(&tick)
            .axis_desc_style((FONT, DESC_SIZE))
            .label_style((FONT, LABEL_SIZE))
            .light_line_style(WHITE.mix(0.0))
            .bold_line_style(BLACK.mix(0.12))
            .draw()
            .map_err(err)?;
        chart
            .draw_series(LineSeries::new(
                [(0.0, -0.6), (0.0, n as f64 - 0.4)],
                BLACK.stroke_width(2),
            ))
            .map_err(err)?;
        let label_style = TextStyle::from((FONT, LABEL_SIZE + 2).into_font()).pos(
            plotters::style::text_anchor::Pos::new(
                plotters::style::text_anchor::HPos::Right,
                plotters::style::text_anchor::VPos::Center,
            ),
        );
        let number_style = TextStyle::from((FONT, LABEL_SIZE + 2).into_font()).pos(
            plotters::style::text_anchor::Pos::new(
                plotters::style::text_anchor::HPos::Left,
                plotters::style::text_anchor::VPos::Center,
            ),
        );
        let right_edge = root.dim_in_pixel().0 as i32 - 360 - 30;
        let header_style = TextStyle::from(
            (FONT, LABEL_SIZE + 2).into_font().style(FontStyle::Bold),
        )
        .pos(plotters::style::text_anchor::Pos::new(
            plotters::style::text_anchor::HPos::Left,
            plotters::style::text_anchor::VPos::Center,
        ));
        let (_, top) = chart.backend_coord(&(x_lo, n as f64 - 0.4));
        root.draw(&Text::new(
            format!("Estimate ({level}% CI)"),
            (right_edge + 40, top + 10),
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
                (right_edge + 40, py),
                number_style.clone(),
            ))
            .map_err(err)?;
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------

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
            .map(|t| {
                (
                    format!("responder{}_rate", crate::analysis::threshold_label(*t)),
                    format!("≥{t}% improvement"),
                )
            })
            .chain([(
                "clearance_rate".to_string(),
                format!("clearance (= {})", analysis.options.clear_value),
            )])
            .enumerate()
        {
            groups.push(name.1);
            for (a, (arm, _)) in arms.iter().enumerate() {
                if let Some(r) = row(
                    analysis,
                    endpoint,
                    arm,
                    visit,
                    "within",
                    &name.0,
                    "clopper_pearson",
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

    /// Bars drawn.
    pub fn bar_count(&self) -> usize {
        self.bars.len()
    }
}

impl Chart for ResponderChart {
    fn file_stem(&self) -> String {
        format!(
            "responders_{}_{}",
            file_safe(&self.endpoint),
            file_safe(&self.visit)
        )
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        root.fill(&WHITE).map_err(err)?;
        let g = self.groups.len().max(1);
        let a = self.arms.len().max(1) as f64;
        let width = 0.8 / a;
        let caption = format!(
            "{}: responders and clearance at {} ({}% Clopper–Pearson CI)",
            self.endpoint,
            self.visit,
            (self.level * 100.0).round()
        );
        let mut chart = ChartBuilder::on(root)
            .caption(caption, title_font())
            .margin(30)
            .x_label_area_size(80)
            .y_label_area_size(110)
            .build_cartesian_2d(-0.5f64..(g as f64 - 0.5), 0f64..110.0)
            .map_err(err)?;
        let groups = self.groups.clone();
        let formatter = move |x: &f64| {
            let i = x.round();
            if (x - i).abs() < 1e-6 && i >= 0.0 && (i as usize) < groups.len() {
                groups[i as usize].clone()
            } else {
                String::new()
            }
        };
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(g * 2 + 1)
            .x_label_formatter(&formatter)
            .y_desc("Patients (%)")
            .y_label_formatter(&tick)
            .axis_desc_style((FONT, DESC_SIZE))
            .label_style((FONT, LABEL_SIZE))
            .light_line_style(WHITE.mix(0.0))
            .bold_line_style(BLACK.mix(0.12))
            .draw()
            .map_err(err)?;
        let count_style = TextStyle::from((FONT, LABEL_SIZE).into_font()).pos(
            plotters::style::text_anchor::Pos::new(
                plotters::style::text_anchor::HPos::Center,
                plotters::style::text_anchor::VPos::Bottom,
            ),
        );
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
                .legend(move |(x, y)| {
                    Rectangle::new([(x, y - 10), (x + 28, y + 10)], colour.filled())
                });
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

// ---------------------------------------------------------------------------------------------

/// SplitMix64, for a jitter that is the same on every run and machine.
struct Jitter(u64);

impl Jitter {
    fn next(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
    }
}

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
        let mut jitter = Jitter(seed);
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
                    points.push((a, (jitter.next() - 0.5) * 0.36, pct));
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

    /// Points drawn (one per patient with a percent change).
    pub fn point_count(&self) -> usize {
        self.points.len()
    }
}

impl Chart for DistributionChart {
    fn file_stem(&self) -> String {
        format!(
            "distribution_{}_{}",
            file_safe(&self.endpoint),
            file_safe(&self.visit)
        )
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        root.fill(&WHITE).map_err(err)?;
        let a = self.arms.len().max(1);
        let ys = self.points.iter().map(|p| p.2).chain([0.0]);
        let (y_lo, y_hi) = padded(
            ys.clone().fold(f64::INFINITY, f64::min),
            ys.fold(f64::NEG_INFINITY, f64::max),
            0.08,
        );
        let caption = format!(
            "{}: percent change from baseline at {}, by arm",
            self.endpoint, self.visit
        );
        let mut chart = ChartBuilder::on(root)
            .caption(caption, title_font())
            .margin(30)
            .x_label_area_size(80)
            .y_label_area_size(110)
            .build_cartesian_2d(-0.5f64..(a as f64 - 0.5), y_lo..y_hi)
            .map_err(err)?;
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
        let formatter = move |x: &f64| {
            let i = x.round();
            if (x - i).abs() < 1e-6 && i >= 0.0 && (i as usize) < labels.len() {
                labels[i as usize].clone()
            } else {
                String::new()
            }
        };
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(a * 2 + 1)
            .x_label_formatter(&formatter)
            .x_desc(format!(
                "Box: quartiles and median; whiskers: most extreme values within 1.5 IQR; points: patients (jitter seed {})",
                self.seed
            ))
            .y_desc("Change from baseline (%)")
            .y_label_formatter(&tick)
            .axis_desc_style((FONT, DESC_SIZE))
            .label_style((FONT, LABEL_SIZE))
            .light_line_style(WHITE.mix(0.0))
            .bold_line_style(BLACK.mix(0.12))
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
