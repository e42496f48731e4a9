//! The table for people: one block per endpoint × arm × follow-up visit, then the audit.

use crate::analysis::{Analysis, CellSummary, Direction, ResultRow};
use std::fmt::Write as _;

/// Raw-scale values: two decimals (one above 1000).
fn value(x: f64) -> String {
    if x.abs() >= 1000.0 {
        format!("{x:.1}")
    } else {
        format!("{x:.2}")
    }
}

fn opt_value(x: Option<f64>) -> String {
    x.map(value).unwrap_or_else(|| "–".into())
}

/// p-values as journals print them.
pub fn p_text(p: f64) -> String {
    if p < 0.001 {
        "p < 0.001".into()
    } else {
        format!("p = {p:.3}")
    }
}

fn pct_level(level: f64) -> String {
    let s = format!("{}", (level * 1000.0).round() / 10.0);
    format!("{s}%")
}

fn find<'a>(rows: &'a [ResultRow], cell: &CellSummary, estimand: &str) -> Option<&'a ResultRow> {
    rows.iter().find(|r| {
        r.endpoint == cell.endpoint
            && r.arm == cell.arm
            && r.visit == cell.visit
            && r.comparison == "within"
            && r.estimand == estimand
    })
}

/// "52.0% reduction (95% CI 45.0 to 60.0), p < 0.001"
fn pct_phrase(r: &ResultRow) -> String {
    let res = &r.result;
    let Some(est) = res.estimate.as_ref().map(|e| e.value) else {
        return format!("not computed ({})", r.note);
    };
    let (word, sign) = if est < 0.0 {
        ("reduction", -1.0)
    } else {
        ("increase", 1.0)
    };
    let mut s = format!("{:.1}% {word}", sign * est);
    if let Some(ci) = &res.interval {
        let (a, b) = if sign < 0.0 {
            (-ci.upper, -ci.lower)
        } else {
            (ci.lower, ci.upper)
        };
        let _ = write!(s, " ({} CI {a:.1} to {b:.1})", pct_level(ci.level));
    }
    if let Some(p) = res.p_value {
        let _ = write!(s, ", {}", p_text(p));
    }
    s
}

fn estimate_phrase(r: &ResultRow, decimals: usize) -> String {
    let res = &r.result;
    let Some(est) = res.estimate.as_ref().map(|e| e.value) else {
        return "not computed".into();
    };
    let mut s = format!("{est:.decimals$}");
    if let Some(ci) = &res.interval {
        let _ = write!(
            s,
            " ({} CI {:.decimals$} to {:.decimals$})",
            pct_level(ci.level),
            ci.lower,
            ci.upper
        );
    }
    if let (Some(st), Some(df)) = (&res.statistic, &res.df) {
        if r.method != "noncentral_t" {
            let _ = write!(s, ", {}({}) = {:.2}", st.name, df.value, st.value);
        }
    } else if let Some(st) = &res.statistic {
        let _ = write!(s, ", {} = {}", st.name, st.value);
    }
    if let Some(p) = res.p_value {
        let _ = write!(s, ", {}", p_text(p));
        if r.method == "wilcoxon_signed_rank" {
            s.push_str(match res.p_value_method {
                Some(crate::stats::PValueMethod::Exact) => " (exact)",
                _ => " (normal approx.)",
            });
        }
    }
    s
}

fn rate_phrase(r: &ResultRow, k: usize, n: usize) -> String {
    match (&r.result.estimate, &r.result.interval) {
        (Some(e), Some(ci)) => format!(
            "{k}/{n} = {:.1}% ({} CI {:.1} to {:.1})",
            100.0 * e.value,
            pct_level(ci.level),
            100.0 * ci.lower,
            100.0 * ci.upper
        ),
        _ => format!("{k}/{n}: not computed"),
    }
}

/// Render the analysis for people. `source` is a one-line description of the input.
pub fn render_human(analysis: &Analysis, source: &str) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "trialstat {} — {source}", env!("CARGO_PKG_VERSION"));
    let _ = writeln!(
        s,
        "Baseline visit: {}. Change = follow-up − baseline; % change = 100 × change / baseline (negative = reduction). Two-sided tests; complete cases.",
        analysis.baseline_visit
    );
    for cell in &analysis.cells {
        let dir = match cell.direction {
            Direction::LowerIsBetter => "lower is better",
            Direction::HigherIsBetter => "higher is better",
        };
        let _ = writeln!(
            s,
            "\n{} ({dir}) · {} · {} vs {}",
            cell.endpoint, cell.arm, cell.visit, analysis.baseline_visit
        );
        let _ = writeln!(
            s,
            "  n = {}   baseline mean {} (SD {})   {} mean {} (SD {})",
            cell.n,
            opt_value(cell.baseline_mean),
            opt_value(cell.baseline_sd),
            cell.visit,
            opt_value(cell.follow_up_mean),
            opt_value(cell.follow_up_sd)
        );
        let mut line = |label: &str, text: String| {
            let _ = writeln!(s, "  {label:<22} {text}");
        };
        let rows = &analysis.rows;
        if let Some(r) = find(rows, cell, "mean_change") {
            line("mean change", estimate_phrase(r, 2));
        }
        if let Some(r) = find(rows, cell, "mean_pct_change") {
            line("mean % change", pct_phrase(r));
        }
        if let Some(r) = find(rows, cell, "pseudo_median_change") {
            line("pseudo-median change", estimate_phrase(r, 2));
        }
        if let Some(r) = find(rows, cell, "cohen_dz") {
            line("Cohen's dz", estimate_phrase(r, 2));
        }
        for &(threshold, k, n) in &cell.responders {
            let name = format!(
                "responder{}_rate",
                crate::analysis::threshold_label(threshold)
            );
            if let Some(r) = find(rows, cell, &name) {
                line(&format!("≥{threshold}% improvement"), rate_phrase(r, k, n));
            }
        }
        if let Some(r) = find(rows, cell, "clearance_rate") {
            line(
                &format!("clearance (= {})", analysis.options.clear_value),
                rate_phrase(r, cell.cleared.0, cell.cleared.1),
            );
        }
        let mut notes: Vec<&str> = Vec::new();
        for r in rows
            .iter()
            .filter(|r| r.endpoint == cell.endpoint && r.arm == cell.arm && r.visit == cell.visit)
        {
            for part in r.note.split("; ").filter(|p| !p.is_empty()) {
                if !notes.contains(&part) {
                    notes.push(part);
                }
            }
        }
        if !notes.is_empty() {
            let _ = writeln!(s, "  note: {}", notes.join("; "));
        }
    }
    let a = &analysis.audit;
    let _ = writeln!(
        s,
        "\nAudit: {} rows read, {} used, {} left out.",
        a.rows_read,
        a.rows_used,
        a.rows_read - a.rows_used
    );
    for (reason, count) in &a.rows_left_out {
        let _ = writeln!(s, "  left out, {reason}: {count}");
    }
    if a.baseline_zero > 0 {
        let _ = writeln!(
            s,
            "  baseline 0 (left out of percent rows only): {} patient × endpoint pair(s)",
            a.baseline_zero
        );
    }
    for w in &a.warnings {
        let _ = writeln!(s, "  warning: {w}");
    }
    if let Some(c) = &analysis.control_arm {
        let _ = writeln!(
            s,
            "Control arm: {c} (between-arm rows are not produced by this version)."
        );
    }
    s
}
