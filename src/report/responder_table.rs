//! The responder table of a clinical study report, in the table for people: per endpoint and
//! response definition, one compact block with a line per visit and arm — responders n/N (%),
//! and for each arm against the control the difference in proportions with its interval, the
//! test's p-value and the odds ratio. With `--strata`: Mantel–Haenszel common difference (Sato
//! variance), stratified Miettinen–Nurminen interval, CMH p and MH odds ratio; without:
//! Newcombe difference, Miettinen–Nurminen interval, Fisher's exact p and conditional odds ratio.
//!
//! Only shown with `--response` (the named definitions) or `--strata` (then the built-in
//! responders and clearance, when no definition is named). Every number is read from the result
//! rows and [`Analysis::response_counts`]; this module formats and computes nothing.

use crate::analysis::{
    response_name, Analysis, Comparison, Estimand, Method, RateStat, Response, ResultRow, RowKey,
};
use std::fmt::Write as _;

/// The methods of one block's columns.
struct Methods {
    difference: Method,
    second_interval: Method,
    test: (RateStat, Method),
    odds_ratio: Method,
}

const STRATIFIED: Methods = Methods {
    difference: Method::MhSato,
    second_interval: Method::MnStratified,
    test: (RateStat::Cmh, Method::Cmh),
    odds_ratio: Method::MantelHaenszel,
};

const UNSTRATIFIED: Methods = Methods {
    difference: Method::Newcombe,
    second_interval: Method::MiettinenNurminen,
    test: (RateStat::OddsRatio, Method::FisherExact),
    odds_ratio: Method::FisherExact,
};

/// The responses the table shows: the `--response` definitions (with their text), else, with
/// `--strata`, the built-in responders and clearance.
fn responses(analysis: &Analysis) -> Vec<(String, Response, String)> {
    let o = &analysis.options;
    if !o.responses.is_empty() {
        return o
            .responses
            .iter()
            .map(|d| {
                let condition = d.text.split_once('=').map_or(d.text.as_str(), |t| t.1);
                (
                    d.endpoint.clone(),
                    Response::Named(response_name(&d.name)),
                    format!("{} = {}", d.name, condition.trim()),
                )
            })
            .collect();
    }
    if analysis.stratum_differences.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (endpoint, _) in &analysis.directions {
        for &t in &o.responder_thresholds {
            let r = Response::Responder(t);
            out.push((endpoint.clone(), r, format!("{r}: ≥{t}% improvement")));
        }
        let text = format!("clearance: value = {}", o.clear_value);
        out.push((endpoint.clone(), Response::Clearance, text));
    }
    out
}

fn pct(x: f64) -> String {
    format!("{:.1}", 100.0 * x)
}

/// "35.0 (13.4 to 56.7)", scaled by 100 (percentage points).
fn difference_text(r: Option<&ResultRow>) -> String {
    let Some(r) = r else { return "–".into() };
    match (&r.result.estimate, &r.result.interval) {
        (Some(e), Some(ci)) => format!("{} ({} to {})", pct(e.value), pct(ci.lower), pct(ci.upper)),
        (Some(e), None) => pct(e.value),
        _ => "–".into(),
    }
}

fn interval_text(r: Option<&ResultRow>) -> String {
    match r.and_then(|r| r.result.interval.as_ref()) {
        Some(ci) => format!("{} to {}", pct(ci.lower), pct(ci.upper)),
        None => "–".into(),
    }
}

fn p_text(r: Option<&ResultRow>) -> String {
    match r.and_then(|r| r.result.p_value) {
        Some(p) if p < 0.001 => "<0.001".into(),
        Some(p) => format!("{p:.3}"),
        None => "–".into(),
    }
}

fn odds_ratio_text(r: Option<&ResultRow>) -> String {
    let Some(r) = r else { return "–".into() };
    let number = |x: f64| {
        if x.is_finite() {
            format!("{x:.2}")
        } else {
            "∞".into()
        }
    };
    match (&r.result.estimate, &r.result.interval) {
        (Some(e), Some(ci)) => format!(
            "{} ({} to {})",
            number(e.value),
            number(ci.lower),
            number(ci.upper)
        ),
        (Some(e), None) => number(e.value),
        _ => "–".into(),
    }
}

fn counts_text(analysis: &Analysis, endpoint: &str, arm: &str, visit: &str, r: Response) -> String {
    let found = analysis
        .response_counts
        .iter()
        .find(|c| c.endpoint == endpoint && c.arm == arm && c.visit == visit && c.response == r);
    match found {
        Some(c) if c.patients > 0 => format!(
            "{}/{} ({:.1}%)",
            c.responders,
            c.patients,
            100.0 * c.responders as f64 / c.patients as f64
        ),
        Some(c) => format!("0/{}", c.patients),
        None => "–".into(),
    }
}

/// Column widths: visit, arm, n/N (%), difference, second interval, p, odds ratio.
const WIDTHS: [usize; 6] = [9, 20, 16, 22, 17, 10];

fn line(s: &mut String, cells: [&str; 7]) {
    let mut t = String::from("  ");
    for (cell, width) in cells.iter().zip(WIDTHS) {
        let _ = write!(t, "{cell:<width$}");
    }
    t.push_str(cells[6]);
    let _ = writeln!(s, "{}", t.trim_end());
}

/// The responder table, or nothing when neither `--response` nor `--strata` was given or there
/// is no control arm.
pub(super) fn render_responder_table(s: &mut String, analysis: &Analysis) {
    let Some(control) = analysis.control_arm.clone() else {
        return;
    };
    let shown = responses(analysis);
    if shown.is_empty() {
        return;
    }
    let stratified = !analysis.stratum_differences.is_empty();
    let methods = if stratified {
        &STRATIFIED
    } else {
        &UNSTRATIFIED
    };
    let level = format!("{}%", (analysis.options.conf_level * 1000.0).round() / 10.0);
    let mut arms: Vec<String> = Vec::new();
    for c in &analysis.cells {
        if !arms.contains(&c.arm) {
            arms.push(c.arm.clone());
        }
    }
    arms.sort_by_key(|a| *a == control);
    let _ = writeln!(
        s,
        "\nResponder table ({}) · responders n/N (%) per arm; each arm vs {control}: difference in percentage points ({level} CI)",
        if stratified {
            format!("stratified by {}", analysis.strata_columns.join(" × "))
        } else {
            "unstratified".to_string()
        }
    );
    let (diff_head, second_head, p_head, or_head) = if stratified {
        ("diff MH (CI)", "strat. MN CI", "CMH p", "OR MH (CI)")
    } else {
        ("diff Newcombe (CI)", "MN CI", "Fisher p", "OR (CI)")
    };
    for (endpoint, response, text) in &shown {
        let _ = writeln!(s, "\n{endpoint} · {text}");
        line(
            s,
            [
                "visit",
                "arm",
                "n/N (%)",
                diff_head,
                second_head,
                p_head,
                or_head,
            ],
        );
        let mut notes: Vec<(String, Vec<String>)> = Vec::new();
        for visit in &analysis.follow_up_visits {
            for (i, arm) in arms.iter().enumerate() {
                let counts = counts_text(analysis, endpoint, arm, visit, *response);
                let visit_cell = if i == 0 { visit.as_str() } else { "" };
                if *arm == control {
                    let label = format!("{arm} (control)");
                    line(s, [visit_cell, &label, &counts, "", "", "", ""]);
                    continue;
                }
                let row = |stat: RateStat, method: Method| {
                    let key = RowKey::new(
                        endpoint.as_str(),
                        arm.as_str(),
                        visit.as_str(),
                        Comparison::Versus(control.clone()),
                        Estimand::Response(*response, stat),
                        method,
                    );
                    analysis.row(&key)
                };
                let used = [
                    row(RateStat::Diff, methods.difference),
                    row(RateStat::Diff, methods.second_interval),
                    row(methods.test.0, methods.test.1),
                    row(RateStat::OddsRatio, methods.odds_ratio),
                ];
                collect_notes(&mut notes, &used, arm, visit);
                let [diff, second, p, odds] = used;
                let diff = difference_text(diff);
                let second = interval_text(second);
                let p = p_text(p);
                let odds = odds_ratio_text(odds);
                line(s, [visit_cell, arm, &counts, &diff, &second, &p, &odds]);
            }
        }
        for (note, places) in notes {
            let _ = writeln!(s, "  note ({}): {note}", places.join(", "));
        }
    }
    let footnote: &[&str] = if stratified {
        &[
            "diff MH: Mantel–Haenszel common risk difference, Sato variance (rows *_diff/mh_sato);",
            "strat. MN: stratified Miettinen–Nurminen score interval, MH weights (*_diff/mn_stratified);",
            "CMH p: Cochran–Mantel–Haenszel test, no continuity correction (*_cmh/cmh);",
            "OR MH: Mantel–Haenszel odds ratio, Robins–Breslow–Greenland CI (*_odds_ratio/mantel_haenszel).",
        ]
    } else {
        &[
            "diff Newcombe: hybrid score interval (rows *_diff/newcombe);",
            "MN: Miettinen–Nurminen score interval (*_diff/miettinen_nurminen);",
            "Fisher p, OR: Fisher's exact test, conditional MLE odds ratio (*_odds_ratio/fisher_exact).",
        ]
    };
    for text in footnote {
        let _ = writeln!(s, "  {text}");
    }
}

/// The notes of the rows a line shows, without those on missing values (the arm blocks above
/// give them), each once per block with the visits and arms it applies to.
fn collect_notes(
    notes: &mut Vec<(String, Vec<String>)>,
    rows: &[Option<&ResultRow>],
    arm: &str,
    visit: &str,
) {
    let place = format!("{visit} {arm}");
    for r in rows.iter().flatten() {
        for part in r.note.split("; ").filter(|p| !p.is_empty()) {
            let missing = part.starts_with(&format!("{arm}: ")) || part.starts_with("control: ");
            if missing || part.ends_with(" strata") {
                continue;
            }
            match notes.iter_mut().find(|(n, _)| n == part) {
                Some((_, places)) if places.contains(&place) => {}
                Some((_, places)) => places.push(place.clone()),
                None => notes.push((part.to_string(), vec![place.clone()])),
            }
        }
    }
}
