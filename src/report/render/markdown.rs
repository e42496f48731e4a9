//! The Markdown report: pipe tables and links to the PNG figures beside it, for manuscripts and
//! repositories. Values are escaped for Markdown (`|`, `*`, `_`, `<`, … are backslash-escaped).

use super::{footer, template_error, RenderError};
use crate::report::document::Document;
use minijinja::value::Serde;
use minijinja::{context, Environment, Value};

const TEMPLATE: &str = include_str!("../templates/report.md");

/// Escape text so that Markdown shows it as written (in table cells too).
pub(crate) fn escape_md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '{' | '}' | '[' | ']' | '<' | '>' | '#' | '|' | '!' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// The report as Markdown.
pub fn render_markdown(doc: &Document) -> Result<String, RenderError> {
    let mut env = Environment::new();
    env.add_filter("md", |s: String| escape_md(&s));
    env.add_filter("indent_md", |n: u8| {
        "&nbsp;&nbsp;&nbsp;&nbsp;".repeat(n as usize)
    });
    env.add_template("report.md", TEMPLATE)
        .map_err(template_error("report.md"))?;
    let tmpl = env
        .get_template("report.md")
        .map_err(template_error("report.md"))?;
    let mut md = tmpl
        .render(context! {
            doc => Value::from(Serde(&doc)),
            program => format!("trialstat {}", env!("CARGO_PKG_VERSION")),
            footer => footer(doc),
        })
        .map_err(template_error("report.md"))?;
    md.push('\n');
    Ok(md)
}
