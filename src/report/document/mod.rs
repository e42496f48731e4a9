//! A study report as data: numbered tables with columns per arm, figures with captions, the
//! statistical methods that were run, the audit and the notes — independent of the format it is
//! written in (`report::render` writes HTML, RTF and Markdown from it).
//!
//! Every number in a table cell is formatted here, once, from the same [`ResultRow`]s that the
//! CSV and JSON show; a cell remembers which row it came from and at which precision it was
//! printed, so a test can check each number of a rendered report against the CSV. Nothing is
//! computed here beyond rounding for display.
//!
//! [`ResultRow`]: crate::analysis::ResultRow

mod cells;
mod efficacy;
mod methods;

pub use cells::{fixed, Rounding};
pub use methods::{estimand_label, method_description, method_label};

use crate::analysis::Analysis;

/// One cell of a table.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct Cell {
    pub text: String,
    /// Index into [`Analysis::rows`] (= the data row of the CSV) when the numbers come from a
    /// result row.
    pub source: Option<usize>,
    /// Estimates and interval limits were multiplied by this before rounding (100 for rates).
    pub scale: f64,
    /// Decimals of the estimate and interval limits.
    pub decimals: usize,
}

impl Cell {
    pub fn plain(text: impl Into<String>) -> Self {
        Cell {
            text: text.into(),
            source: None,
            scale: 1.0,
            decimals: 0,
        }
    }
}

/// A line of a table: a label (indented by `indent` levels) and one cell per column after the
/// label column. A heading line has no cells.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Line {
    pub label: String,
    pub indent: u8,
    pub cells: Vec<Cell>,
}

impl Line {
    pub fn is_heading(&self) -> bool {
        self.cells.is_empty()
    }
}

/// A numbered table in the conventions of a clinical study report.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Table {
    pub number: usize,
    pub title: String,
    /// The population line under the title.
    pub population: String,
    /// Column headers after the label column, e.g. "Placebo (N=79)".
    pub columns: Vec<String>,
    /// Header of the label column.
    pub stub: String,
    pub lines: Vec<Line>,
    pub footnotes: Vec<String>,
}

/// A figure: the SVG for the HTML page, the PNG for RTF and Markdown.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Figure {
    pub number: usize,
    pub caption: String,
    /// File name of the PNG written beside the report (relative to the report's directory).
    pub png_path: String,
    #[serde(skip)]
    pub png: Vec<u8>,
    /// The SVG document; None when it would be too large to inline (then the HTML shows the PNG).
    pub svg: Option<String>,
    pub width: u32,
    pub height: u32,
}

/// The whole report.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Document {
    pub title: String,
    /// (label, value): version, command line, input, SHA-256, date.
    pub provenance: Vec<(String, String)>,
    /// (label, value): rows read, used, left out by reason.
    pub audit: Vec<(String, String)>,
    pub tables: Vec<Table>,
    pub figures: Vec<Figure>,
    /// One paragraph per method that produced at least one row.
    pub methods: Vec<String>,
    pub notes: Vec<String>,
}

/// What the report says about where it came from.
#[derive(Debug, Clone)]
pub struct Provenance {
    pub command_line: String,
    pub input_name: String,
    pub sha256: String,
    pub rows_read: u64,
    /// UTC date and time, "YYYY-MM-DD HH:MM UTC".
    pub date: String,
}

/// Build the report of an analysis. Figures are made by the caller (they need the plot module)
/// and numbered here.
pub fn build(
    analysis: &Analysis,
    title: &str,
    provenance: &Provenance,
    figures: Vec<Figure>,
    rounding: Rounding,
) -> Document {
    let mut figures = figures;
    for (i, f) in figures.iter_mut().enumerate() {
        f.number = i + 1;
    }
    Document {
        title: title.to_string(),
        provenance: vec![
            (
                "Program".into(),
                format!("trialstat {}", env!("CARGO_PKG_VERSION")),
            ),
            ("Command line".into(), provenance.command_line.clone()),
            ("Input file".into(), provenance.input_name.clone()),
            ("Input SHA-256".into(), provenance.sha256.clone()),
            ("Rows read".into(), provenance.rows_read.to_string()),
            ("Date".into(), provenance.date.clone()),
            (
                "Rounding".into(),
                match rounding {
                    Rounding::Sas => "half away from zero (SAS)".into(),
                    Rounding::R => "half to even on the binary value (R, C printf)".into(),
                },
            ),
        ],
        audit: audit_lines(analysis),
        tables: efficacy::tables(analysis, rounding),
        figures,
        methods: methods::paragraphs(analysis),
        notes: notes(analysis),
    }
}

fn audit_lines(analysis: &Analysis) -> Vec<(String, String)> {
    let a = &analysis.audit;
    let mut out = vec![
        ("Rows read".to_string(), a.rows_read.to_string()),
        ("Rows used".to_string(), a.rows_used.to_string()),
    ];
    for (reason, n) in &a.rows_left_out {
        out.push((
            format!("Rows left out: {}", reason.replace('_', " ")),
            n.to_string(),
        ));
    }
    if a.baseline_zero > 0 {
        out.push((
            "Patient × endpoint pairs with baseline 0 (left out of percent rows)".to_string(),
            a.baseline_zero.to_string(),
        ));
    }
    out.push((
        "Baseline visit".to_string(),
        analysis.baseline_visit.clone(),
    ));
    out.push((
        "Control arm".to_string(),
        analysis
            .control_arm
            .clone()
            .unwrap_or_else(|| "none (single-arm analysis)".to_string()),
    ));
    out
}

/// The audit's warnings, then every distinct note of a result row.
fn notes(analysis: &Analysis) -> Vec<String> {
    let mut out: Vec<String> = analysis.audit.warnings.clone();
    for r in &analysis.rows {
        if r.note.is_empty() {
            continue;
        }
        let text = format!(
            "{} · {} · {}: {} ({}): {}",
            r.key.endpoint,
            match &r.key.comparison {
                crate::analysis::Comparison::Within => r.key.arm.clone(),
                crate::analysis::Comparison::Versus(c) => format!("{} vs {c}", r.key.arm),
                crate::analysis::Comparison::AllArms => r.key.comparison_label(),
            },
            r.key.visit,
            r.key.estimand,
            r.key.method,
            r.note
        );
        if !out.contains(&text) {
            out.push(text);
        }
    }
    out
}
