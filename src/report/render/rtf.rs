//! The RTF report for submissions: US letter landscape, a header with the title, a footer with
//! the program, input and "Page x of y", one table per page section with its column headers
//! repeated on every page (`\trhdr`), figures as PNG. Text is escaped for RTF: `\`, `{`, `}` and
//! every character outside ASCII as `\uN?`.

use super::{footer, template_error, RenderError};
use crate::report::document::{Document, Table};
use minijinja::value::Serde;
use minijinja::{context, Environment, Value};
use serde::Serialize;

const TEMPLATE: &str = include_str!("../templates/report.rtf");

/// Text width of the page in twips: 11 in − 2 × 0.75 in.
const TEXT_WIDTH: u32 = 13680;
/// Width of the label column in twips.
const STUB_WIDTH: u32 = 4600;

/// Escape text for an RTF group.
pub(crate) fn escape_rtf(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '{' => out.push_str("\\{"),
            '}' => out.push_str("\\}"),
            '\n' => out.push_str("\\line "),
            '\t' => out.push_str("\\tab "),
            c if (c as u32) < 0x20 => {}
            c if c.is_ascii() => out.push(c),
            c => {
                let mut buf = [0u16; 2];
                for unit in c.encode_utf16(&mut buf) {
                    // RTF's \u takes a signed 16-bit number; the space ends the control word
                    // and `?` is the one-character fallback that \uc1 readers skip. (Pandoc
                    // mis-skips the character after the form without the space.)
                    out.push_str(&format!("\\u{} ?", *unit as i16));
                }
            }
        }
    }
    out
}

#[derive(Serialize)]
struct RowView {
    header: bool,
    bold: bool,
    /// Left indent of the label in twips.
    indent: u32,
    cellx: Vec<u32>,
    cells: Vec<String>,
}

#[derive(Serialize)]
struct TableView<'a> {
    title: &'a str,
    population: &'a str,
    footnotes: &'a [String],
    rows: Vec<RowView>,
}

#[derive(Serialize)]
struct FigureView<'a> {
    number: usize,
    caption: &'a str,
    width: u32,
    height: u32,
    wgoal: u32,
    hgoal: u32,
    hex: String,
}

fn table_view(t: &Table) -> TableView<'_> {
    let n = t.columns.len().max(1) as u32;
    let col = (TEXT_WIDTH - STUB_WIDTH) / n;
    let cellx: Vec<u32> = std::iter::once(STUB_WIDTH)
        .chain((1..=n).map(|i| STUB_WIDTH + i * col))
        .collect();
    let mut rows = vec![RowView {
        header: true,
        bold: true,
        indent: 0,
        cellx: cellx.clone(),
        cells: std::iter::once(t.stub.clone())
            .chain(t.columns.iter().cloned())
            .collect(),
    }];
    for line in &t.lines {
        let mut cells = vec![line.label.clone()];
        if line.is_heading() {
            cells.extend(std::iter::repeat_n(String::new(), t.columns.len()));
        } else {
            cells.extend(line.cells.iter().map(|c| c.text.clone()));
        }
        rows.push(RowView {
            header: false,
            bold: line.is_heading(),
            indent: 280 * line.indent as u32,
            cellx: cellx.clone(),
            cells,
        });
    }
    TableView {
        title: &t.title,
        population: &t.population,
        footnotes: &t.footnotes,
        rows,
    }
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2 + bytes.len() / 64);
    for (i, b) in bytes.iter().enumerate() {
        if i > 0 && i % 64 == 0 {
            out.push('\n');
        }
        out.push(DIGITS[(b >> 4) as usize] as char);
        out.push(DIGITS[(b & 15) as usize] as char);
    }
    out
}

/// The report as RTF.
pub fn render_rtf(doc: &Document) -> Result<String, RenderError> {
    let mut env = Environment::new();
    env.add_filter("rtf", |s: String| escape_rtf(&s));
    env.add_template("report.rtf", TEMPLATE)
        .map_err(template_error("report.rtf"))?;
    let tables: Vec<TableView> = doc.tables.iter().map(table_view).collect();
    let figures: Vec<FigureView> = doc
        .figures
        .iter()
        .map(|f| {
            // 9 inches wide on the page, aspect kept.
            let wgoal = 12_960u32;
            let hgoal = (wgoal as u64 * f.height as u64 / f.width.max(1) as u64) as u32;
            FigureView {
                number: f.number,
                caption: &f.caption,
                width: f.width,
                height: f.height,
                wgoal,
                hgoal,
                hex: hex(&f.png),
            }
        })
        .collect();
    let tmpl = env
        .get_template("report.rtf")
        .map_err(template_error("report.rtf"))?;
    let mut rtf = tmpl
        .render(context! {
            doc => Value::from(Serde(&doc)),
            tables => Value::from(Serde(&tables)),
            figures => Value::from(Serde(&figures)),
            program => format!("trialstat {}", env!("CARGO_PKG_VERSION")),
            footer => footer(doc),
        })
        .map_err(template_error("report.rtf"))?;
    rtf.push('\n');
    Ok(rtf)
}

#[cfg(test)]
mod tests {
    use super::escape_rtf;

    #[test]
    fn escapes_control_words_and_unicode() {
        assert_eq!(escape_rtf(r"a\b{c}"), r"a\\b\{c\}");
        assert_eq!(escape_rtf("−"), "\\u8722 ?");
        assert_eq!(escape_rtf("é"), "\\u233 ?");
        // Outside the BMP: a surrogate pair, each unit signed.
        assert_eq!(escape_rtf("😀"), "\\u-10179 ?\\u-8704 ?");
    }
}
