//! The time-to-event table for people: per arm the patients, events, Kaplan–Meier quartiles
//! and survival at the requested times with their intervals, then each arm against the control
//! (log-rank, Cox). Reads the rows of `analysis::survival`; computes nothing.

use super::human::p_text;
use crate::analysis::survival::SurvivalAnalysis;
use crate::analysis::{Estimand, Measure, Method, ResultRow};

/// A time or a ratio as people read it: whole numbers without decimals, else 2 decimals;
/// `NR` (not reached) for a limit the curve never reaches.
fn time_text(x: Option<f64>) -> String {
    match x {
        None => "NR".into(),
        Some(v) if v.is_infinite() => "NR".into(),
        Some(v) if v.fract() == 0.0 && v.abs() < 1e15 => format!("{v:.0}"),
        Some(v) => format!("{v:.2}"),
    }
}

fn with_ci(r: &ResultRow, f: fn(Option<f64>) -> String) -> String {
    let est = r.result.estimate.as_ref().map(|e| e.value);
    match &r.result.interval {
        Some(ci) => format!(
            "{} ({} to {})",
            f(est),
            f(Some(ci.lower)),
            f(Some(ci.upper))
        ),
        None => format!("{} (NR to NR)", f(est)),
    }
}

fn prob_text(x: Option<f64>) -> String {
    x.map_or("–".into(), |v| format!("{v:.3}"))
}

fn ratio_text(x: Option<f64>) -> String {
    x.map_or("–".into(), |v| format!("{v:.2}"))
}

/// The whole table.
pub fn render_survival_human(a: &SurvivalAnalysis, source: &str) -> String {
    let mut s = String::new();
    let level = a
        .rows
        .iter()
        .find_map(|r| r.result.interval.as_ref().map(|i| i.level))
        .unwrap_or(0.95);
    s.push_str(&format!(
        "trialstat {} — {source}\n",
        env!("CARGO_PKG_VERSION")
    ));
    s.push_str(&format!(
        "{} · Kaplan–Meier estimates with {}% CI (log transform, Brookmeyer–Crowley for quantiles); times in the file's units; NR = not reached\n\n",
        a.endpoint,
        (level * 1000.0).round() / 10.0
    ));
    let width = 26;
    let mut line = format!("  {:<24}", "");
    for (arm, _) in &a.curves {
        let label = if Some(arm) == a.control.as_ref() {
            format!("{arm} (control)")
        } else {
            arm.clone()
        };
        line.push_str(&format!("{label:<width$}"));
    }
    s.push_str(line.trim_end());
    s.push('\n');
    // R's rows (log limits); with --convention sas the log-log rows get lines of their own.
    let within_by = |method: Method, arm: &str, e: &dyn Fn(&Estimand) -> bool| {
        a.rows.iter().find(|r| {
            r.key.is_within() && r.key.method == method && r.key.arm == arm && e(&r.key.estimand)
        })
    };
    let within = |arm: &str, e: &dyn Fn(&Estimand) -> bool| within_by(Method::KaplanMeier, arm, e);
    let sas = a
        .rows
        .iter()
        .any(|r| r.key.method == Method::KaplanMeierSas);
    let mut line = format!("  {:<24}", "patients / events");
    for (_, km) in &a.curves {
        line.push_str(&format!("{:<width$}", format!("{} / {}", km.n, km.events)));
    }
    s.push_str(line.trim_end());
    s.push('\n');
    let quant = |m: Measure| {
        move |e: &Estimand| match e {
            Estimand::Measure(x) => *x == m,
            Estimand::TimeTo(x, _) => *x == m,
            _ => false,
        }
    };
    for (label, m, method) in [
        ("median (CI)", Measure::MedianTime, Method::KaplanMeier),
        (
            "median (SAS log-log CI)",
            Measure::MedianTime,
            Method::KaplanMeierSas,
        ),
        (
            "25th percentile (CI)",
            Measure::Q25Time,
            Method::KaplanMeier,
        ),
        (
            "75th percentile (CI)",
            Measure::Q75Time,
            Method::KaplanMeier,
        ),
    ] {
        if method == Method::KaplanMeierSas && !sas {
            continue;
        }
        let mut line = format!("  {label:<24}");
        for (arm, _) in &a.curves {
            let cell =
                within_by(method, arm, &quant(m)).map_or("–".into(), |r| with_ci(r, time_text));
            line.push_str(&format!("{cell:<width$}"));
        }
        s.push_str(line.trim_end());
        s.push('\n');
    }
    let mut times: Vec<f64> = a
        .rows
        .iter()
        .filter_map(|r| match r.key.estimand {
            Estimand::SurvivalAt(t) => Some(t),
            _ => None,
        })
        .collect();
    let mut seen = Vec::new();
    times.retain(|t| {
        let new = !seen.contains(t);
        seen.push(*t);
        new
    });
    for t in times {
        let mut line = format!("  {:<24}", format!("S({t}) (CI)"));
        for (arm, _) in &a.curves {
            let cell = within(arm, &|e: &Estimand| *e == Estimand::SurvivalAt(t)).map_or(
                "–".into(),
                |r| match &r.result.interval {
                    Some(_) => with_ci(r, prob_text),
                    None => prob_text(r.result.estimate.as_ref().map(|e| e.value)),
                },
            );
            line.push_str(&format!("{cell:<width$}"));
        }
        s.push_str(line.trim_end());
        s.push('\n');
    }
    for (arm, _) in a.curves.iter().skip(usize::from(a.control.is_some())) {
        let Some(control) = &a.control else { break };
        s.push_str(&format!("  {arm} vs {control}\n"));
        for r in a
            .rows
            .iter()
            .filter(|r| !r.key.is_within() && &r.key.arm == arm)
        {
            let res = &r.result;
            let p = res.p_value.map(p_text).unwrap_or_default();
            let text = match r.key.estimand {
                Estimand::Measure(Measure::SurvivalDiff) => match &res.statistic {
                    Some(st) => format!(
                        "    {:<38}χ² = {:.2}, df {}, {p}",
                        "log-rank test",
                        st.value,
                        res.df.as_ref().map_or(0.0, |d| d.value)
                    ),
                    None => format!("    {:<38}–", "log-rank test"),
                },
                Estimand::Measure(Measure::HazardRatio) => format!(
                    "    {:<38}{}, {p}",
                    "hazard ratio (Cox)",
                    match &res.interval {
                        Some(_) => with_ci(r, ratio_text),
                        None => "–".into(),
                    }
                ),
                _ => continue,
            };
            s.push_str(text.trim_end_matches(", "));
            s.push('\n');
        }
    }
    for r in &a.rows {
        if r.note.is_empty()
            || r.key.method == Method::KaplanMeierSas
            || (r.key.is_within()
                && !matches!(
                    r.key.estimand,
                    Estimand::Measure(Measure::MedianTime)
                        | Estimand::TimeTo(Measure::MedianTime, _)
                ))
        {
            continue;
        }
        let who = if r.key.is_within() {
            r.key.arm.clone()
        } else {
            format!("{} ({})", r.key.comparison_label(), r.key.method)
        };
        s.push_str(&format!("  note, {who}: {}\n", r.note));
    }
    for n in &a.notes {
        s.push_str(&format!("  note: {n}\n"));
    }
    s
}
