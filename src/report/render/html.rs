//! The HTML report: one file, CSS inline, figures inline as SVG (PNG as a data URI when an SVG
//! would be too large), no script, no network access. minijinja escapes every value for HTML
//! (the template's name ends in `.html`); only trialstat's own SVG is inserted unescaped, and
//! plotters escapes the text inside it.

use super::{footer, template_error, RenderError};
use crate::report::document::Document;
use base64::Engine as _;
use minijinja::value::Serde;
use minijinja::{context, Environment, Value};
use serde::Serialize;

const TEMPLATE: &str = include_str!("../templates/report.html");

#[derive(Serialize)]
struct FigureView<'a> {
    number: usize,
    caption: &'a str,
    svg: Option<&'a str>,
    data_uri: String,
}

/// The report as one HTML page.
pub fn render_html(doc: &Document) -> Result<String, RenderError> {
    let mut env = Environment::new();
    env.add_template("report.html", TEMPLATE)
        .map_err(template_error("report.html"))?;
    let figures: Vec<FigureView> = doc
        .figures
        .iter()
        .map(|f| FigureView {
            number: f.number,
            caption: &f.caption,
            svg: f.svg.as_deref(),
            data_uri: if f.svg.is_some() {
                String::new()
            } else {
                format!(
                    "data:image/png;base64,{}",
                    base64::engine::general_purpose::STANDARD.encode(&f.png)
                )
            },
        })
        .collect();
    let tmpl = env
        .get_template("report.html")
        .map_err(template_error("report.html"))?;
    let mut html = tmpl
        .render(context! {
            doc => Value::from(Serde(&doc)),
            figures => Value::from(Serde(&figures)),
            program => format!("trialstat {}", env!("CARGO_PKG_VERSION")),
            footer => footer(doc),
        })
        .map_err(template_error("report.html"))?;
    html.push('\n');
    Ok(html)
}
