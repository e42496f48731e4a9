//! The frame every chart is drawn in: fonts, the arm palette, the plot area with its axes, grid
//! and legend, tick text, and the one lookup of a result row.
//!
//! It exists so that the five charts share one look, and a change of style (or of how a result
//! row is found) is made in one place. It draws no data series and computes no statistic; it must
//! not know which chart it frames.

use crate::analysis::{Analysis, Comparison, Estimand, Method, ResultRow, RowKey};
use plotters::chart::MeshStyle;
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::FontStyle;
use std::sync::Once;

static FONT_REGULAR: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
static FONT_BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");
static REGISTER: Once = Once::new();

/// The font family every chart uses.
pub const FONT: &str = "sans-serif";

pub(super) const TITLE_SIZE: u32 = 34;
pub(super) const DESC_SIZE: u32 = 30;
pub(super) const LABEL_SIZE: u32 = 24;

/// Okabe–Ito colours (colour-blind safe) for the treatment arms; the control arm is grey.
pub(super) const OKABE_ITO: [RGBColor; 7] = [
    RGBColor(0, 114, 178),   // blue
    RGBColor(213, 94, 0),    // vermillion
    RGBColor(0, 158, 115),   // bluish green
    RGBColor(204, 121, 167), // reddish purple
    RGBColor(230, 159, 0),   // orange
    RGBColor(86, 180, 233),  // sky blue
    RGBColor(240, 228, 66),  // yellow
];
const CONTROL_GREY: RGBColor = RGBColor(120, 120, 120);

/// A chart that can draw itself on any plotters backend.
pub trait Chart {
    /// File name without extension.
    fn file_stem(&self) -> String;
    /// Draw on the whole area, which is already filled white.
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String>;
}

/// Make DejaVu Sans (embedded in the binary) the [`FONT`] family, once per process.
pub(super) fn register_fonts() {
    REGISTER.call_once(|| {
        // The bytes are DejaVu Sans, checked into the repository: registration cannot fail.
        let _ = plotters::style::register_font(FONT, FontStyle::Normal, FONT_REGULAR);
        let _ = plotters::style::register_font(FONT, FontStyle::Bold, FONT_BOLD);
    });
}

pub(super) fn err<E: std::fmt::Debug>(e: E) -> String {
    format!("{e:?}")
}

/// The one place where plot code finds a result row.
pub(super) fn find_row<'a>(
    analysis: &'a Analysis,
    endpoint: &str,
    arm: &str,
    visit: &str,
    comparison: Comparison,
    estimand: impl Into<Estimand>,
    method: Method,
) -> Option<&'a ResultRow> {
    analysis.row(&RowKey::new(
        endpoint, arm, visit, comparison, estimand, method,
    ))
}

/// (estimate, lower, upper) of a row that has both.
pub(super) fn est_ci(r: &ResultRow) -> Option<(f64, f64, f64)> {
    let e = r.result.estimate.as_ref()?.value;
    let ci = r.result.interval.as_ref()?;
    Some((e, ci.lower, ci.upper))
}

/// Arms in analysis order with their colours (control last).
pub(super) fn arm_palette(analysis: &Analysis) -> Vec<(String, RGBColor)> {
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

/// Colours for arms given by name (control grey, the others Okabe–Ito in order), for figures
/// that do not come from an [`Analysis`] (survival, safety).
pub(super) fn arm_colours(arms: &[String], control: Option<&str>) -> Vec<RGBColor> {
    let mut k = 0;
    arms.iter()
        .map(|a| {
            if Some(a.as_str()) == control {
                CONTROL_GREY
            } else {
                k += 1;
                OKABE_ITO[(k - 1) % OKABE_ITO.len()]
            }
        })
        .collect()
}

pub(super) fn arm_index(arms: &[(String, RGBColor)], arm: &str) -> usize {
    arms.iter().position(|(a, _)| a == arm).unwrap_or(0)
}

/// Unit of an endpoint, from a conventional name suffix.
pub(super) fn unit(endpoint: &str) -> &'static str {
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

/// A figure's file name without extension: the chart's kind and what it shows, joined by `_`,
/// with every character that is not a letter, digit or `-` made `_`.
pub(super) fn figure_name(kind: &str, parts: &[&str]) -> String {
    let mut stem = kind.to_string();
    for part in parts {
        stem.push('_');
        stem.push_str(&file_safe(part));
    }
    stem
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

/// Tick text: no trailing ".0", no "-0".
pub(super) fn tick(x: &f64) -> String {
    let r = (x * 1e6).round() / 1e6;
    let r = if r == 0.0 { 0.0 } else { r };
    format!("{r}")
}

/// Labels at whole numbers of a category axis, nothing between them.
pub(super) fn category_labels(labels: Vec<String>) -> impl Fn(&f64) -> String {
    move |x: &f64| {
        let i = x.round();
        if (x - i).abs() < 1e-6 && i >= 0.0 && (i as usize) < labels.len() {
            labels[i as usize].clone()
        } else {
            String::new()
        }
    }
}

/// The range of the values, widened by `frac` of its span on each side.
pub(super) fn padded_range(values: impl Iterator<Item = f64>, frac: f64) -> (f64, f64) {
    let (lo, hi) = values
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
    if lo > hi {
        // No finite value to show.
        return (-1.0, 1.0);
    }
    let span = (hi - lo).abs().max(1e-9);
    let (a, b) = (lo - frac * span, hi + frac * span);
    if a.is_finite() && b.is_finite() && span.is_finite() {
        return (a, b);
    }
    // Values near the largest double (1e308): a range plotters can step through, at the
    // cost of the padding.
    let limit = f64::MAX / 4.0;
    (lo.max(-limit), hi.min(limit))
}

pub(super) fn title_font<'a>() -> TextStyle<'a> {
    (FONT, TITLE_SIZE).into_font().style(FontStyle::Bold).into()
}

/// Text of `size` anchored at (`h`, `v`), for labels drawn in pixels beside the plot.
pub(super) fn text_style<'a>(size: u32, style: FontStyle, h: HPos, v: VPos) -> TextStyle<'a> {
    TextStyle::from((FONT, size).into_font().style(style)).pos(Pos::new(h, v))
}

/// A point on the canvas, in pixels.
type Pixel = (i32, i32);

/// A chart whose both axes are numbers.
pub(super) type Plot<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// The plot area on `area`: margin, optional title, and room for the tick labels of each axis.
pub(super) fn plot_area<'a, DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    caption: Option<&str>,
    (x_label_area, y_label_area): (u32, u32),
    x: std::ops::Range<f64>,
    y: std::ops::Range<f64>,
) -> Result<Plot<'a, DB>, String> {
    let mut builder = ChartBuilder::on(area);
    if let Some(caption) = caption {
        builder.caption(caption, title_font());
    }
    builder
        .margin(30)
        .x_label_area_size(x_label_area)
        .y_label_area_size(y_label_area)
        .build_cartesian_2d(x, y)
        .map_err(err)
}

/// Axes and grid in the common style; the chart adds its labels and descriptions, then draws.
pub(super) fn mesh<'a, 'b, DB: DrawingBackend>(
    chart: &'b mut Plot<'a, DB>,
) -> MeshStyle<'a, 'b, RangedCoordf64, RangedCoordf64, DB> {
    let mut mesh = chart.configure_mesh();
    mesh.axis_desc_style((FONT, DESC_SIZE))
        .label_style((FONT, LABEL_SIZE))
        .light_line_style(WHITE.mix(0.0))
        .bold_line_style(BLACK.mix(0.12));
    mesh
}

/// The legend box every chart uses.
pub(super) fn draw_legend<'a, DB: DrawingBackend + 'a>(
    chart: &mut Plot<'a, DB>,
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

/// Legend key of a bar: a filled square of the arm's colour.
pub(super) fn swatch(colour: RGBColor) -> impl Fn(Pixel) -> Rectangle<Pixel> {
    move |(x, y)| Rectangle::new([(x, y - 10), (x + 28, y + 10)], colour.filled())
}

/// Legend key of a line: a stroke `length` pixels long.
pub(super) fn line_key(style: ShapeStyle, length: i32) -> impl Fn(Pixel) -> PathElement<Pixel> {
    move |(x, y)| PathElement::new([(x, y), (x + length, y)], style)
}
