//! `trialstat mmrm FILE`: a mixed model for repeated measures on a long table (one row per
//! patient × visit), printed as PROC MIXED prints it, or as CSV / JSON.

use super::common::write_stdout;
use super::Failure;
use clap::{Args, ValueEnum};
use std::collections::HashMap;
use std::io::Write;
use std::path::PathBuf;
use trialstat::analysis::mmrm::model::{build, parse_terms, LongTable, Variable};
use trialstat::analysis::mmrm::{fit_design, EstimateRow, MmrmReport, MmrmSpec, FALLBACK_CHAIN};
use trialstat::stats::mmrm::{CovStructure, DdfMethod, Method};

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Response {
    /// Value − baseline (needs --baseline).
    Change,
    /// The value itself.
    Value,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum OutFormat {
    Human,
    Csv,
    Json,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum EstMethod {
    Reml,
    Ml,
}

#[derive(Debug, Args)]
pub struct MmrmArgs {
    /// Long CSV: one row per patient and visit.
    pub file: PathBuf,
    /// Patient id column.
    #[arg(long, default_value = "USUBJID")]
    pub subject: String,
    /// Visit column (the repeated effect).
    #[arg(long, default_value = "AVISIT")]
    pub visit: String,
    /// Value column.
    #[arg(long, default_value = "AVAL")]
    pub y: String,
    /// Baseline column (a covariate; the response `change` is value − baseline).
    #[arg(long)]
    pub baseline: Option<String>,
    /// Response: change from baseline (default) or the value.
    #[arg(long, value_enum, default_value = "change")]
    pub response: Response,
    /// Arm column (LS means per arm × visit, differences against its reference level).
    #[arg(long, default_value = "ARMCD")]
    pub arm: String,
    /// Fixed effects, e.g. "baseline + arm*visit + region" (`arm`, `visit`, `baseline` stand for
    /// the columns given by --arm, --visit, --baseline; other names are columns).
    #[arg(long, default_value = "baseline + arm*visit")]
    pub fixed: String,
    /// Reference level of a factor, FACTOR=LEVEL (repeatable); default the last level (SAS).
    #[arg(long = "ref", value_name = "FACTOR=LEVEL")]
    pub refs: Vec<String>,
    /// Columns to treat as categorical even when numeric.
    #[arg(long = "factor", value_name = "COLUMN", value_delimiter = ',')]
    pub factors: Vec<String>,
    /// Covariance: us, cs, csh, ar1, ar1h, toep, toeph, adh.
    #[arg(long, default_value = "us")]
    pub cov: String,
    /// Do not fall back to TOEPH → ARH(1) → CS when the requested structure fails.
    #[arg(long)]
    pub no_fallback: bool,
    /// Degrees of freedom: satterthwaite, kenward-roger, kenward-roger-linear, between-within, residual.
    #[arg(long, default_value = "kenward-roger")]
    pub ddf: String,
    /// Estimation method.
    #[arg(long, value_enum, default_value = "reml")]
    pub method: EstMethod,
    /// Confidence level.
    #[arg(long, default_value_t = 0.95)]
    pub conf_level: f64,
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    pub format: OutFormat,
}

fn is_missing(s: &str) -> bool {
    let t = s.trim();
    t.is_empty() || t == "NA" || t == "." || t.eq_ignore_ascii_case("nan")
}

/// Read the CSV into a long table with the response chosen.
fn read_table(args: &MmrmArgs) -> Result<LongTable, Failure> {
    let name = args.file.display().to_string();
    let mut rdr = csv::Reader::from_path(&args.file)
        .map_err(|e| Failure::input(format!("{name}: cannot read: {e}")))?;
    let headers: Vec<String> = rdr
        .headers()
        .map_err(|e| Failure::input(format!("{name}: {e}")))?
        .iter()
        .map(str::to_string)
        .collect();
    let col = |c: &str| {
        headers.iter().position(|h| h == c).ok_or_else(|| {
            Failure::input(format!(
                "{name}: no column \"{c}\" (columns: {})",
                headers.join(", ")
            ))
        })
    };
    let (ci_subject, ci_visit, ci_y) = (col(&args.subject)?, col(&args.visit)?, col(&args.y)?);
    let ci_base = args.baseline.as_deref().map(col).transpose()?;
    let mut cells: Vec<Vec<String>> = vec![Vec::new(); headers.len()];
    for (i, rec) in rdr.records().enumerate() {
        let rec = rec.map_err(|e| Failure::input(format!("{name}: line {}: {e}", i + 2)))?;
        for (c, cell) in cells.iter_mut().enumerate() {
            cell.push(rec.get(c).unwrap_or("").to_string());
        }
    }
    let n = cells[ci_y].len();
    let number = |c: usize, r: usize| -> Result<Option<f64>, Failure> {
        let s = &cells[c][r];
        if is_missing(s) {
            return Ok(None);
        }
        s.trim().parse::<f64>().map(Some).map_err(|_| {
            Failure::input(format!(
                "{name}: line {}, column \"{}\": \"{s}\" is not a number",
                r + 2,
                headers[c]
            ))
        })
    };
    let mut y = Vec::with_capacity(n);
    for r in 0..n {
        let v = number(ci_y, r)?;
        y.push(match args.response {
            Response::Value => v,
            Response::Change => {
                let b = ci_base.ok_or_else(|| {
                    Failure::input(
                        "--response change needs --baseline COLUMN (or use --response value)",
                    )
                })?;
                match (v, number(b, r)?) {
                    (Some(v), Some(b)) => Some(v - b),
                    _ => None,
                }
            }
        });
    }
    let mut variables = Vec::new();
    for (c, h) in headers.iter().enumerate() {
        if c == ci_subject || c == ci_visit || c == ci_y {
            continue;
        }
        let numeric = !args.factors.contains(h)
            && h != &args.arm
            && cells[c]
                .iter()
                .all(|s| is_missing(s) || s.trim().parse::<f64>().is_ok());
        let var = if numeric {
            Variable::Numeric(
                cells[c]
                    .iter()
                    .map(|s| {
                        if is_missing(s) {
                            None
                        } else {
                            s.trim().parse().ok()
                        }
                    })
                    .collect(),
            )
        } else {
            Variable::Factor(
                cells[c]
                    .iter()
                    .map(|s| (!is_missing(s)).then(|| s.trim().to_string()))
                    .collect(),
            )
        };
        variables.push((h.clone(), var));
    }
    Ok(LongTable {
        source: name,
        subject: cells[ci_subject].clone(),
        visit: cells[ci_visit].clone(),
        y,
        variables,
        visit_order: None,
    })
}

pub fn run(args: MmrmArgs) -> Result<(), Failure> {
    let cov = CovStructure::parse(&args.cov).ok_or_else(|| {
        Failure::input(format!(
            "--cov {}: unknown covariance (us, cs, csh, ar1, ar1h, toep, toeph, adh)",
            args.cov
        ))
    })?;
    let ddf = DdfMethod::parse(&args.ddf).ok_or_else(|| {
        Failure::input(format!(
            "--ddf {}: unknown (satterthwaite, kenward-roger, kenward-roger-linear, between-within, residual)",
            args.ddf
        ))
    })?;
    if !(args.conf_level > 0.0 && args.conf_level < 1.0) {
        return Err(Failure::input("--conf-level must lie in (0, 1)"));
    }
    let table = read_table(&args)?;
    // Aliases arm / visit / baseline → column names.
    let alias = |v: &str| -> String {
        match v {
            "arm" => args.arm.clone(),
            "visit" => args.visit.clone(),
            "baseline" => args.baseline.clone().unwrap_or_else(|| "baseline".into()),
            other => other.to_string(),
        }
    };
    let terms: Vec<Vec<String>> = parse_terms(&args.fixed)
        .map_err(Failure::input)?
        .into_iter()
        .map(|t| t.iter().map(|v| alias(v)).collect())
        .collect();
    let mut refs = HashMap::new();
    for r in &args.refs {
        let (f, l) = r
            .split_once('=')
            .ok_or_else(|| Failure::input(format!("--ref {r}: expected FACTOR=LEVEL")))?;
        refs.insert(alias(f.trim()), l.trim().to_string());
    }
    let design = build(&table, &terms, &args.visit, &refs).map_err(Failure::input)?;
    let spec = MmrmSpec {
        cov,
        fallback: if args.no_fallback {
            vec![]
        } else {
            FALLBACK_CHAIN.to_vec()
        },
        method: match args.method {
            EstMethod::Reml => Method::Reml,
            EstMethod::Ml => Method::Ml,
        },
        ddf,
        arm: Some(args.arm.clone()),
        visit: args.visit.clone(),
        conf_level: args.conf_level,
    };
    let report =
        fit_design(&design, &spec).map_err(|e| Failure::input(format!("{}: {e}", table.source)))?;
    let model = format!(
        "{} = {}",
        match args.response {
            Response::Change => format!("{} − {}", args.y, args.baseline.as_deref().unwrap_or("")),
            Response::Value => args.y.clone(),
        },
        terms
            .iter()
            .map(|t| t.join("×"))
            .collect::<Vec<_>>()
            .join(" + ")
    );
    match args.format {
        OutFormat::Json => write_stdout(|w| {
            let v = serde_json::json!({ "model": model, "mmrm": report });
            serde_json::to_writer_pretty(&mut *w, &v)?;
            writeln!(w)
        }),
        OutFormat::Csv => write_stdout(|w| write_csv(w, &report)),
        OutFormat::Human => write_stdout(|w| write_human(w, &model, &report)),
    }
}

fn write_csv(w: &mut dyn Write, r: &MmrmReport) -> std::io::Result<()> {
    writeln!(w, "section,label,visit,arm,estimate,se,df,t,p,lower,upper")?;
    let rows = |w: &mut dyn Write, section: &str, rows: &[EstimateRow]| -> std::io::Result<()> {
        for e in rows {
            writeln!(
                w,
                "{section},\"{}\",{},{},{},{},{},{},{},{},{}",
                e.label.replace('"', "\"\""),
                e.visit.as_deref().unwrap_or(""),
                e.arm.as_deref().unwrap_or(""),
                e.estimate,
                e.se,
                e.df,
                e.t,
                e.p,
                e.lower,
                e.upper
            )?;
        }
        Ok(())
    };
    rows(w, "fixed_effect", &r.fixed_effects)?;
    rows(w, "ls_mean", &r.ls_means)?;
    rows(w, "difference", &r.differences)?;
    for t in &r.type3 {
        writeln!(
            w,
            "type3,\"{}\",,,{},,{},,{},,",
            t.effect, t.f, t.den_df, t.p
        )?;
    }
    for (n, v) in &r.covariance_parameters {
        writeln!(w, "covariance_parameter,\"{n}\",,,{v},,,,,,")?;
    }
    for (n, v) in [
        ("-2 log likelihood", r.neg2_log_likelihood),
        ("AIC", r.aic),
        ("AICC", r.aicc),
        ("BIC", r.bic),
    ] {
        writeln!(w, "fit_statistic,\"{n}\",,,{v},,,,,,")?;
    }
    Ok(())
}

fn fmt_p(p: f64) -> String {
    if p.is_nan() {
        "NA".into()
    } else if p < 1e-4 {
        "<.0001".into()
    } else {
        format!("{p:.4}")
    }
}

fn write_human(w: &mut dyn Write, model: &str, r: &MmrmReport) -> std::io::Result<()> {
    writeln!(w, "Mixed model for repeated measures")?;
    writeln!(w, "  model: {model}")?;
    writeln!(
        w,
        "  covariance {} (by visit), {}, df {}; {} patients ({} with data), {} observations, {} rows left out",
        r.covariance, r.method, r.ddf, r.n_subjects, r.n_subjects_used, r.n_observations, r.rows_left_out
    )?;
    let refs: Vec<String> = r
        .references
        .iter()
        .map(|(f, l)| format!("{f}={l}"))
        .collect();
    writeln!(w, "  reference levels: {}", refs.join(", "))?;
    for n in &r.notes {
        writeln!(w, "  note: {n}")?;
    }
    writeln!(w, "\nFit statistics")?;
    writeln!(
        w,
        "  -2 {} log likelihood  {:.4}",
        if r.method == "REML" { "Res" } else { "" },
        r.neg2_log_likelihood
    )?;
    writeln!(
        w,
        "  AIC   {:.4}\n  AICC  {:.4}\n  BIC   {:.4}",
        r.aic, r.aicc, r.bic
    )?;
    writeln!(w, "\nCovariance parameters")?;
    for (n, v) in &r.covariance_parameters {
        writeln!(w, "  {n:<10} {v:>12.4}")?;
    }
    let head: String = r.visits.iter().map(|v| format!("{v:>10}")).collect();
    writeln!(w, "\nCovariance matrix{:>6}{head}", "")?;
    for (i, row) in r.covariance_matrix.iter().enumerate() {
        let cells: String = row.iter().map(|x| format!("{x:>10.4}")).collect();
        writeln!(w, "  {:<21}{cells}", r.visits[i])?;
    }
    writeln!(w, "Correlations{:>11}{head}", "")?;
    for (i, row) in r.correlation_matrix.iter().enumerate() {
        let cells: String = row.iter().map(|x| format!("{x:>10.4}")).collect();
        writeln!(w, "  {:<21}{cells}", r.visits[i])?;
    }
    let level = format!("{:.0}%", r.conf_level * 100.0);
    let table = |w: &mut dyn Write, title: &str, rows: &[EstimateRow]| -> std::io::Result<()> {
        writeln!(w, "\n{title}")?;
        writeln!(
            w,
            "  {:<36}{:>11}{:>9}{:>8}{:>8}{:>9}   {level} CI",
            "", "estimate", "SE", "df", "t", "p"
        )?;
        for e in rows {
            writeln!(
                w,
                "  {:<36}{:>11.4}{:>9.4}{:>8.1}{:>8.2}{:>9}   [{:.4}, {:.4}]",
                e.label,
                e.estimate,
                e.se,
                e.df,
                e.t,
                fmt_p(e.p),
                e.lower,
                e.upper
            )?;
        }
        Ok(())
    };
    table(w, "Fixed effects", &r.fixed_effects)?;
    writeln!(w, "\nType 3 tests of fixed effects")?;
    writeln!(
        w,
        "  {:<28}{:>6}{:>9}{:>10}{:>9}",
        "", "num df", "den df", "F", "p"
    )?;
    for t in &r.type3 {
        writeln!(
            w,
            "  {:<28}{:>6}{:>9.1}{:>10.2}{:>9}",
            t.effect,
            t.num_df,
            t.den_df,
            t.f,
            fmt_p(t.p)
        )?;
    }
    if !r.ls_means.is_empty() {
        table(
            w,
            "LS means (equal weights over factor levels, covariates at their means)",
            &r.ls_means,
        )?;
        table(
            w,
            &format!(
                "Differences against {}",
                r.control.as_deref().unwrap_or("control")
            ),
            &r.differences,
        )?;
    }
    Ok(())
}
