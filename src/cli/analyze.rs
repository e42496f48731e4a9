//! `trialstat analyze`.

use super::common::{draw, formats, load, same_file, write_stdout, InputArgs, PlotFormat};
use super::Failure;
use clap::{Args, ValueEnum};
use serde::Serialize;
use serde_json::json;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use trialstat::analysis::{AnalysisOptions, Convention, MissingRule, ResponseDefinition};
use trialstat::data::{LayoutChoice, ReadOptions};
use trialstat::report::{render_csv, render_human, render_json, Meta};
use trialstat::stats::multiplicity::AdjustMethod;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Aligned text for people (default on a terminal).
    Table,
    /// The results table as CSV (default when piped).
    Csv,
    /// {"meta": {...}, "results": [...]}.
    Json,
}

#[derive(Debug, Args)]
#[command(after_help = "Examples:
  trialstat analyze data/tofacitinib_case_series.csv
  trialstat analyze data/baricitinib_case_series.csv --format json
  trialstat analyze adsl_bds.csv --endpoint-col PARAMCD --baseline Baseline --out results/
  trialstat analyze weights.csv --higher-is-better weight --responder 5,10

Input: long (patient_id, arm, visit, [week,] endpoint, value), wide (patient_id, arm, visit, [week,]
one numeric column per endpoint) or CDISC ADaM BDS (USUBJID, TRT01A, AVISIT, AVISITN, PARAMCD, AVAL);
comma, semicolon or tab; NA or empty for missing. Exit status: 0 ok, 2 bad input or usage, 1 internal error.")]
pub struct AnalyzeArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// Output format on stdout [default: table on a terminal, csv otherwise].
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Also write results.csv and results.json into this directory.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Also draw the figures (waterfall, spaghetti, forest, responders, distribution) into DIR.
    #[arg(long, value_name = "DIR")]
    pub plots: Option<PathBuf>,
    /// Image format of --plots.
    #[arg(long, value_enum, default_value = "png")]
    pub plot_format: PlotFormat,
    /// Time to an event read from the visits: NAME="ENDPOINT: value == X" (or change / pct_change
    /// with ==, <=, <, >=, >); adds Kaplan–Meier rows median_time_to_NAME (and q25, q75), and
    /// log-rank and Cox rows against the control. Repeat for more.
    #[arg(long, value_name = "NAME=\"ENDPOINT: EXPR\"")]
    pub time_to: Vec<trialstat::analysis::time_to::TimeToSpec>,
}

/// The options in force, as the JSON `meta.options` block writes them (names and order are
/// part of the output; `alternative` is fixed: every test is two-sided).
#[derive(Serialize)]
struct MetaOptions<'a> {
    baseline: &'a Option<String>,
    control: &'a Option<String>,
    higher_is_better: &'a [String],
    responder: &'a [f64],
    clear_value: f64,
    conf_level: f64,
    layout: LayoutChoice,
    endpoints: &'a Option<Vec<String>>,
    id_col: &'a Option<String>,
    arm_col: &'a Option<String>,
    visit_col: &'a Option<String>,
    week_col: &'a Option<String>,
    endpoint_col: &'a Option<String>,
    value_col: &'a Option<String>,
    alternative: &'static str,
    missing: MissingRule,
    covariates: &'a [String],
    adjust: Option<AdjustMethod>,
    hierarchy: &'a [String],
    bootstrap: Option<usize>,
    pratt: bool,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    strata: &'a [String],
    #[serde(skip_serializing_if = "<[ResponseDefinition]>::is_empty")]
    responses: &'a [ResponseDefinition],
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    ordinal: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    intercurrent: Option<serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    permutations: Option<usize>,
    /// Only when `sas`, so that the default output stays byte-identical.
    #[serde(skip_serializing_if = "Convention::is_r")]
    convention: Convention,
}

impl<'a> MetaOptions<'a> {
    fn new(input: &'a InputArgs, read: &ReadOptions, options: &'a AnalysisOptions) -> Self {
        MetaOptions {
            baseline: &input.baseline,
            control: &input.control,
            higher_is_better: &input.higher_is_better,
            responder: &input.responder,
            clear_value: input.clear_value,
            conf_level: input.conf_level,
            layout: read.layout,
            endpoints: &input.endpoints,
            id_col: &input.id_col,
            arm_col: &input.arm_col,
            visit_col: &input.visit_col,
            week_col: &input.week_col,
            endpoint_col: &input.endpoint_col,
            value_col: &input.value_col,
            alternative: "two_sided",
            missing: options.missing,
            covariates: &input.covariate,
            adjust: options.adjust,
            hierarchy: &options.hierarchy,
            bootstrap: options.bootstrap,
            pratt: options.pratt,
            strata: &input.strata,
            responses: &input.response,
            ordinal: &input.ordinal,
            intercurrent: options
                .intercurrent
                .as_ref()
                .map(|ic| json!({"column": ic.column, "strategy": ic.strategy})),
            permutations: options.permutations,
            convention: options.convention,
        }
    }
}

pub fn run(args: AnalyzeArgs) -> Result<(), Failure> {
    let (cohort, mut analysis, read_options, options) = load(&args.input, args.plots.is_some())?;

    if let Some(dir) = &args.plots {
        let options = trialstat::plot::PlotOptions {
            formats: formats(args.plot_format),
            seed: args.input.seed,
            ..trialstat::plot::PlotOptions::default()
        };
        draw(&analysis, dir, &options)?;
    }
    // After the figures: they draw the change-from-baseline rows only.
    let mut time_to = Vec::new();
    for spec in &args.time_to {
        let t = trialstat::analysis::time_to::analyze_time_to(&cohort, &analysis, spec)
            .map_err(Failure::input)?;
        analysis.rows.extend(t.rows.iter().cloned());
        time_to.push(t);
    }
    let format = args.format.unwrap_or(if std::io::stdout().is_terminal() {
        Format::Table
    } else {
        Format::Csv
    });
    let meta = Meta {
        tool: "trialstat",
        version: env!("CARGO_PKG_VERSION"),
        input: {
            let mut input = json!({
                "path": args.input.file.display().to_string(),
                "sha256": cohort.source.sha256,
                "rows": cohort.rows_read,
                "delimiter": cohort.source.delimiter,
                "layout": cohort.source.layout,
                "columns": cohort.source.columns,
            });
            // Format, data set, label and ADaM filters: only for what is not a plain CSV
            // file, so that the meta of CSV input stays as it was.
            if !cohort.source.file.is_plain_csv() {
                input["file"] =
                    serde_json::to_value(&cohort.source.file).map_err(Failure::internal)?;
            }
            input
        },
        options: {
            let mut o =
                serde_json::to_value(MetaOptions::new(&args.input, &read_options, &options))
                    .map_err(Failure::internal)?;
            // Only when given, so that the output of every other run stays as it was.
            if let (false, Some(map)) = (args.time_to.is_empty(), o.as_object_mut()) {
                map.insert("time_to".into(), json!(args.time_to));
            }
            o
        },
        seed: Some(args.input.seed),
    };

    if let Some(dir) = &args.out {
        std::fs::create_dir_all(dir).map_err(|e| {
            Failure::input(format!(
                "{}: cannot create the output directory: {e}",
                dir.display()
            ))
        })?;
        let csv_path = dir.join("results.csv");
        let json_path = dir.join("results.json");
        for p in [&csv_path, &json_path] {
            if same_file(p, &args.input.file) {
                return Err(Failure::input(format!(
                    "{}: refusing to overwrite the input file; choose another --out directory",
                    p.display()
                )));
            }
        }
        let write = |path: &Path,
                     f: &dyn Fn(std::fs::File) -> std::io::Result<()>|
         -> Result<(), Failure> {
            let file = std::fs::File::create(path)
                .map_err(|e| Failure::input(format!("{}: cannot write: {e}", path.display())))?;
            f(file).map_err(|e| Failure::input(format!("{}: cannot write: {e}", path.display())))
        };
        write(&csv_path, &|f| {
            render_csv(&analysis, std::io::BufWriter::new(f))
        })?;
        write(&json_path, &|f| {
            render_json(&analysis, &meta, std::io::BufWriter::new(f))
        })?;
        eprintln!("wrote {} and {}", csv_path.display(), json_path.display());
    }

    match format {
        Format::Csv => write_stdout(|w| render_csv(&analysis, w)),
        Format::Json => write_stdout(|w| render_json(&analysis, &meta, w)),
        Format::Table => {
            // A transport file's data set and its label, when the file has them.
            let file = &cohort.source.file;
            let member = match (&file.member, file.dataset_label.as_deref()) {
                (Some(m), Some(l)) if !l.trim().is_empty() => format!(", data set {m} \"{l}\""),
                (Some(m), _) => format!(", data set {m}"),
                _ => String::new(),
            };
            let source = format!(
                "{}{member} ({} layout, {} rows, {} patients, {} arm(s), endpoints: {})",
                args.input.file.display(),
                match cohort.source.layout {
                    trialstat::data::Layout::Long => "long",
                    trialstat::data::Layout::Wide => "wide",
                },
                cohort.rows_read,
                cohort.patients.len(),
                cohort.arms.len(),
                cohort.endpoints.join(", ")
            );
            let mut text = render_human(&analysis, &source);
            for (t, spec) in time_to.iter().zip(&args.time_to) {
                text.push('\n');
                text.push_str(&trialstat::report::survival::render_survival_human(
                    t,
                    &format!("time to {} ({}), in weeks", spec.name, spec.text),
                ));
            }
            write_stdout(|w| w.write_all(text.as_bytes()))
        }
    }
}
