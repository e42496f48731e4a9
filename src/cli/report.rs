//! `trialstat report`: the analysis of `analyze` as a study report — self-contained HTML, RTF
//! for submissions and Markdown — plus the results table (CSV) its numbers come from and the
//! figures as PNG files.

use super::common::{load, same_file, InputArgs};
use super::Failure;
use clap::{Args, ValueEnum};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use trialstat::plot::{self, Chart, ImageFormat, PlotOptions};
use trialstat::report::document::{self, Figure, Provenance, Rounding};
use trialstat::report::render::{render_html, render_markdown, render_rtf};
use trialstat::report::render_csv;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Html,
    Rtf,
    Md,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RoundingArg {
    /// Half away from zero, as SAS prints (0.125 → 0.13).
    Sas,
    /// The binary value rounded, ties to even, as R's format/sprintf (0.125 → 0.12).
    R,
}

#[derive(Debug, Args)]
#[command(after_help = "Examples:
  trialstat report data/tofacitinib_case_series.csv --out report/
  trialstat report data/example_trial.csv --out report/ --title \"Example trial: week 12\"
  trialstat report trial.csv --out report/ --format html,md --rounding r

Writes into DIR: report.html (one self-contained file: CSS and figures inline, no script, no
network), report.rtf (landscape, repeated table headers, page x of y), report.md (links to
figures/), results.csv (the results table every number of the report is taken from) and
figures/*.png. Existing files are replaced atomically; the input file is never written.
The date in the provenance is now, or SOURCE_DATE_EPOCH when set (for byte-identical reports).")]
pub struct ReportArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Output directory (created if needed).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Title of the report [default: "Efficacy report: FILE"].
    #[arg(long)]
    pub title: Option<String>,
    /// Formats to write.
    #[arg(long, value_enum, value_delimiter = ',', default_value = "html,rtf,md")]
    pub format: Vec<ReportFormat>,
    /// Rounding of the numbers shown.
    #[arg(long, value_enum, default_value = "sas")]
    pub rounding: RoundingArg,
}

/// Above this size an SVG figure is shown as PNG in the HTML (a chart of many thousand
/// patients would otherwise make the page tens of megabytes).
const SVG_INLINE_LIMIT: usize = 2_000_000;

pub fn run(args: ReportArgs) -> Result<(), Failure> {
    let (cohort, analysis, _read_options, _options) = load(&args.input, true)?;
    let dir = &args.out;
    let fig_dir = dir.join("figures");
    std::fs::create_dir_all(&fig_dir).map_err(|e| {
        Failure::input(format!(
            "{}: cannot create the output directory: {e}",
            fig_dir.display()
        ))
    })?;

    // Figures: PNG files beside the report, SVG in memory for the HTML page.
    let plot_options = PlotOptions {
        formats: vec![ImageFormat::Png],
        seed: args.input.seed,
        ..PlotOptions::default()
    };
    let charts = plot::charts(&analysis, &plot_options).map_err(Failure::input)?;
    let figures: Vec<Figure> = charts
        .par_iter()
        .map(|chart| figure(chart, &fig_dir, &plot_options))
        .collect::<Result<_, _>>()?;

    let input_name = args
        .input
        .file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| args.input.file.display().to_string());
    let provenance = Provenance {
        command_line: command_line(),
        input_name: input_name.clone(),
        sha256: cohort.source.sha256.clone(),
        rows_read: cohort.rows_read,
        date: date_text(),
    };
    let title = args
        .title
        .clone()
        .unwrap_or_else(|| format!("Efficacy report: {input_name}"));
    let rounding = match args.rounding {
        RoundingArg::Sas => Rounding::Sas,
        RoundingArg::R => Rounding::R,
    };
    let doc = document::build(&analysis, &title, &provenance, figures, rounding);

    let mut csv = Vec::new();
    render_csv(&analysis, &mut csv).map_err(Failure::internal)?;
    write_atomic(&dir.join("results.csv"), &csv, &args.input.file)?;
    let mut written = vec!["results.csv".to_string()];
    for format in &args.format {
        let (name, text) = match format {
            ReportFormat::Html => ("report.html", render_html(&doc)),
            ReportFormat::Rtf => ("report.rtf", render_rtf(&doc)),
            ReportFormat::Md => ("report.md", render_markdown(&doc)),
        };
        let text = text.map_err(Failure::internal)?;
        write_atomic(&dir.join(name), text.as_bytes(), &args.input.file)?;
        written.push(name.to_string());
    }
    eprintln!(
        "wrote {} and {} figure(s) to {}",
        written.join(", "),
        doc.figures.len(),
        dir.display()
    );
    Ok(())
}

/// Draw one chart as PNG (file) and SVG (memory).
fn figure(chart: &plot::AnyChart, dir: &Path, options: &PlotOptions) -> Result<Figure, Failure> {
    let paths = plot::write_chart(chart, dir, options).map_err(Failure::input)?;
    let png_path = paths
        .first()
        .ok_or_else(|| Failure::internal("no figure file was written"))?;
    let png = std::fs::read(png_path)
        .map_err(|e| Failure::internal(format!("{}: {e}", png_path.display())))?;
    let svg = plot::svg_string(chart, options.width, options.height)
        .map_err(|e| Failure::internal(format!("{}: {e}", chart.file_stem())))?;
    Ok(Figure {
        number: 0,
        caption: chart.caption(),
        png_path: format!("figures/{}.png", chart.file_stem()),
        png,
        svg: (svg.len() <= SVG_INLINE_LIMIT).then_some(svg),
        width: options.width,
        height: options.height,
    })
}

/// Write `bytes` to `path` through a temporary file in the same directory and a rename, so a
/// reader never sees half a report; refuses to write over the input.
fn write_atomic(path: &Path, bytes: &[u8], input: &Path) -> Result<(), Failure> {
    if same_file(path, input) {
        return Err(Failure::input(format!(
            "{}: refusing to overwrite the input file; choose another --out directory",
            path.display()
        )));
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.tmp-{}", std::process::id()));
    std::fs::write(&tmp, bytes)
        .map_err(|e| Failure::input(format!("{}: cannot write: {e}", tmp.display())))?;
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Failure::input(format!("{}: cannot write: {e}", path.display()))
    })
}

/// The command line as typed, arguments with spaces or quotes in single quotes.
fn command_line() -> String {
    std::env::args()
        .enumerate()
        .map(|(i, a)| {
            let a = if i == 0 {
                Path::new(&a)
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or(a)
            } else {
                a
            };
            if a.is_empty() || a.contains(|c: char| c.is_whitespace() || "'\"$`\\".contains(c)) {
                format!("'{}'", a.replace('\'', "'\\''"))
            } else {
                a
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// "YYYY-MM-DD HH:MM UTC" of SOURCE_DATE_EPOCH when set (reproducible reports), else of now.
fn date_text() -> String {
    let secs = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs() as i64)
                .unwrap_or(0)
        });
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02} UTC",
        rem / 3600,
        rem % 3600 / 60
    )
}

/// The proleptic Gregorian date of a day count from 1970-01-01 (H. Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::civil_from_days;

    #[test]
    fn dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(20_422), (2025, 11, 30));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
    }
}
