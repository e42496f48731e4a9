//! The results table of `../shared/RESULTS.md`: one `to_row()` feeds both CSV and JSON so the
//! two cannot drift.

use super::number::shortest;
use crate::analysis::{Analysis, ResultRow};
use serde::Serialize;
use serde_json::{json, Map, Value};
use std::io::Write;

/// Column names, in order. The first thirteen are the contract; the rest are appended after `n`.
pub const COLUMNS: &[&str] = &[
    "endpoint",
    "arm",
    "visit",
    "comparison",
    "estimand",
    "method",
    "estimate",
    "ci_low",
    "ci_high",
    "statistic",
    "df",
    "p_value",
    "n",
    "statistic_name",
    "conf_level",
    "n_left_out",
    "note",
];

/// Appended after the other columns when `--adjust` or `--hierarchy` is given.
pub const P_ADJUSTED: &str = "p_adjusted";

fn has_adjusted(analysis: &Analysis) -> bool {
    analysis.options.adjust.is_some() || !analysis.options.hierarchy.is_empty()
}

/// One row of the results table, as cells.
#[derive(Debug, Clone, PartialEq)]
pub struct TableRow {
    pub text: [String; 6],
    /// estimate, ci_low, ci_high, statistic, df, p_value
    pub numbers: [Option<f64>; 6],
    pub n: usize,
    pub statistic_name: Option<&'static str>,
    pub conf_level: Option<f64>,
    pub n_left_out: usize,
    pub note: String,
    pub p_adjusted: Option<f64>,
}

/// The table row of a result.
pub fn to_row(r: &ResultRow) -> TableRow {
    let res = &r.result;
    TableRow {
        text: [
            r.key.endpoint.clone(),
            r.key.arm.clone(),
            r.key.visit.clone(),
            r.key.comparison_label(),
            r.key.estimand.to_string(),
            r.key.method.name().to_string(),
        ],
        numbers: [
            res.estimate.as_ref().map(|e| e.value),
            res.interval.as_ref().map(|i| i.lower),
            res.interval.as_ref().map(|i| i.upper),
            res.statistic.as_ref().map(|s| s.value),
            res.df.as_ref().map(|d| d.value),
            res.p_value,
        ],
        n: r.n,
        statistic_name: res.statistic.as_ref().map(|s| s.name),
        conf_level: res.interval.as_ref().map(|i| i.level),
        n_left_out: r.n_left_out,
        note: r.note.clone(),
        p_adjusted: r.p_adjusted,
    }
}

/// The io::Error inside a csv::Error, so that callers can see a broken pipe for what it is.
fn io_error(e: csv::Error) -> std::io::Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        other => std::io::Error::other(format!("{other:?}")),
    }
}

/// The results table as CSV (header + one line per row).
pub fn render_csv<W: Write>(analysis: &Analysis, out: W) -> std::io::Result<()> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(out);
    let adjusted = has_adjusted(analysis);
    let mut header: Vec<&str> = COLUMNS.to_vec();
    if adjusted {
        header.push(P_ADJUSTED);
    }
    w.write_record(&header).map_err(io_error)?;
    write_csv_rows(&mut w, &analysis.rows, adjusted)?;
    w.flush()
}

fn write_csv_rows<W: Write>(
    w: &mut csv::Writer<W>,
    rows: &[ResultRow],
    adjusted: bool,
) -> std::io::Result<()> {
    for r in rows {
        let row = to_row(r);
        let mut cells: Vec<String> = row.text.to_vec();
        cells.extend(
            row.numbers
                .iter()
                .map(|x| x.map(shortest).unwrap_or_default()),
        );
        cells.push(row.n.to_string());
        cells.push(row.statistic_name.unwrap_or("").to_string());
        cells.push(row.conf_level.map(shortest).unwrap_or_default());
        cells.push(row.n_left_out.to_string());
        cells.push(row.note);
        if adjusted {
            cells.push(row.p_adjusted.map(shortest).unwrap_or_default());
        }
        w.write_record(&cells).map_err(io_error)?;
    }
    Ok(())
}

/// Rows of any command (`survival`, `safety`) as the results table in CSV: the same columns as
/// `analyze` (no `p_adjusted`).
pub fn render_rows_csv<W: Write>(rows: &[ResultRow], out: W) -> std::io::Result<()> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(out);
    w.write_record(COLUMNS).map_err(io_error)?;
    write_csv_rows(&mut w, rows, false)?;
    w.flush()
}

/// Rows of any command as `{"meta": meta, "results": [...]}` with the columns of the CSV.
pub fn render_rows_json<W: Write>(
    rows: &[ResultRow],
    meta: Value,
    mut out: W,
) -> std::io::Result<()> {
    let results: Vec<Value> = rows.iter().map(|r| row_json(r, false)).collect();
    let doc = json!({"meta": meta, "results": results});
    serde_json::to_writer_pretty(&mut out, &doc)?;
    out.write_all(b"\n")?;
    out.flush()
}

fn row_json(r: &ResultRow, adjusted: bool) -> Value {
    let row = to_row(r);
    let mut m = Map::new();
    for (name, text) in COLUMNS[..6].iter().zip(row.text.iter()) {
        m.insert(name.to_string(), Value::String(text.clone()));
    }
    for (name, x) in COLUMNS[6..12].iter().zip(row.numbers.iter()) {
        m.insert(name.to_string(), number(*x));
    }
    m.insert("n".into(), json!(row.n));
    m.insert(
        "statistic_name".into(),
        row.statistic_name.map(|s| json!(s)).unwrap_or(Value::Null),
    );
    m.insert("conf_level".into(), number(row.conf_level));
    m.insert("n_left_out".into(), json!(row.n_left_out));
    m.insert("note".into(), Value::String(row.note));
    if adjusted {
        m.insert(P_ADJUSTED.into(), number(row.p_adjusted));
    }
    Value::Object(m)
}

fn number(x: Option<f64>) -> Value {
    match x {
        None => Value::Null,
        Some(v) if v.is_finite() => {
            // serde_json writes the shortest round-trip digits.
            serde_json::Number::from_f64(if v == 0.0 { 0.0 } else { v })
                .map(Value::Number)
                .unwrap_or(Value::Null)
        }
        Some(v) => Value::String(shortest(v)),
    }
}

/// Provenance for the JSON `meta` block.
#[derive(Debug, Clone, Serialize)]
pub struct Meta {
    pub tool: &'static str,
    pub version: &'static str,
    pub input: Value,
    pub options: Value,
    pub seed: Option<u64>,
}

/// `{"meta": {...}, "results": [rows]}`, pretty-printed, keys in a fixed order.
pub fn render_json<W: Write>(analysis: &Analysis, meta: &Meta, mut out: W) -> std::io::Result<()> {
    let results: Vec<Value> = analysis
        .rows
        .iter()
        .map(|r| row_json(r, has_adjusted(analysis)))
        .collect();
    let audit = &analysis.audit;
    let mut meta_value = json!({
        "tool": meta.tool,
        "version": meta.version,
        "input": meta.input,
        "options": meta.options,
        "baseline_visit": analysis.baseline_visit,
        "follow_up_visits": analysis.follow_up_visits,
        "control_arm": analysis.control_arm,
        "endpoint_direction": analysis.directions.iter().map(|(e, d)| json!({"endpoint": e, "direction": d})).collect::<Vec<_>>(),
        "audit": {
            "rows_read": audit.rows_read,
            "rows_used": audit.rows_used,
            "rows_left_out": audit.rows_left_out,
            "baseline_zero_left_out_of_percent_rows": audit.baseline_zero,
            "warnings": audit.warnings,
        },
        "seed": meta.seed,
    });
    if let Some(ic) = &analysis.options.intercurrent {
        meta_value["audit"]["intercurrent"] = json!(ic);
    }
    let doc = json!({"meta": meta_value, "results": results});
    serde_json::to_writer_pretty(&mut out, &doc)?;
    out.write_all(b"\n")?;
    out.flush()
}
