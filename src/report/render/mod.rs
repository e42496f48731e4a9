//! Writing a [`Document`](super::document::Document) as a self-contained HTML page, an RTF
//! document for submissions and Markdown — through templates (minijinja) with each format's
//! escaping, so a name from the data can never become markup.

mod html;
mod markdown;
mod rtf;

pub use html::render_html;
pub use markdown::render_markdown;
pub use rtf::render_rtf;

/// A template failed to render: a defect of trialstat's own templates, never of the data.
#[derive(Debug, thiserror::Error)]
#[error("report template {template}: {message}")]
pub struct RenderError {
    pub template: &'static str,
    pub message: String,
}

fn template_error(template: &'static str) -> impl Fn(minijinja::Error) -> RenderError {
    move |e| RenderError {
        template,
        message: e.to_string(),
    }
}

/// The footer line every format prints.
pub(crate) fn footer(doc: &super::document::Document) -> String {
    let get = |k: &str| {
        doc.provenance
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    };
    format!(
        "{} · input {} (SHA-256 {}) · {}",
        get("Program"),
        get("Input file"),
        get("Input SHA-256"),
        get("Date")
    )
}
