//! The adverse-event table for people, laid out as a study report's: one line per class and
//! (indented) preferred term, per arm n (%) and events per 100 patient-years, then each arm's
//! difference in incidence against the control with its interval. Reads
//! `analysis::safety`; computes nothing but percentages for display.

use crate::analysis::safety::{SafetyAnalysis, TermLevel};
use crate::analysis::{Comparison, Measure};

pub fn render_safety_human(a: &SafetyAnalysis, source: &str) -> String {
    let mut s = String::new();
    let level = (a.conf_level * 1000.0).round() / 10.0;
    s.push_str(&format!(
        "trialstat {} — {source}\n",
        env!("CARGO_PKG_VERSION")
    ));
    s.push_str(&format!(
        "Treatment-emergent adverse events in the safety population: patients with ≥ 1 event, n (%), and events per 100 patient-years (rate); difference in incidence vs control in percentage points with {level}% Newcombe CI.\nCounting: a patient counts once per preferred term and once per system organ class; rates count every event record.\n\n"
    ));
    let term_w = 46;
    let arm_w = 22;
    let diff_w = 24;
    let mut head = format!("{:<term_w$}", "System organ class / preferred term");
    let mut sub = format!("{:<term_w$}", "");
    for (i, arm) in a.arms.iter().enumerate() {
        head.push_str(&format!("{:<arm_w$}", clip(arm, arm_w - 2)));
        sub.push_str(&format!(
            "{:<arm_w$}",
            format!("N={} PY={:.1}", a.n[i], a.patient_years[i])
        ));
    }
    if let Some(c) = &a.control {
        for arm in a.arms.iter().skip(1) {
            head.push_str(&format!("{:<diff_w$}", clip(arm, diff_w - 2)));
            sub.push_str(&format!(
                "{:<diff_w$}",
                clip(&format!("− {c}, pp (CI)"), diff_w - 2)
            ));
        }
    }
    s.push_str(head.trim_end());
    s.push('\n');
    s.push_str(sub.trim_end());
    s.push('\n');
    for t in &a.terms {
        let label = match t.level {
            TermLevel::PreferredTerm => format!("  {}", t.term),
            _ => t.term.clone(),
        };
        let mut line = format!("{:<term_w$}", clip(&label, term_w - 2));
        for (i, c) in t.counts.iter().enumerate() {
            let pct = if a.n[i] > 0 {
                100.0 * c.patients as f64 / a.n[i] as f64
            } else {
                0.0
            };
            let rate = if a.patient_years[i] > 0.0 {
                format!("{:.1}", 100.0 * c.events as f64 / a.patient_years[i])
            } else {
                "–".into()
            };
            line.push_str(&format!(
                "{:<arm_w$}",
                format!("{} ({pct:.1}%) {rate}", c.patients)
            ));
        }
        for arm in a.arms.iter().skip(1) {
            let Some(r) = a.rows.iter().find(|r| {
                r.key.endpoint == t.term
                    && &r.key.arm == arm
                    && matches!(r.key.comparison, Comparison::Versus(_))
                    && r.key.estimand == Measure::AeIncidenceDiff.into()
            }) else {
                continue;
            };
            let cell = match (&r.result.estimate, &r.result.interval) {
                (Some(e), Some(ci)) => format!(
                    "{:.1} ({:.1} to {:.1})",
                    100.0 * e.value,
                    100.0 * ci.lower,
                    100.0 * ci.upper
                ),
                _ => "–".into(),
            };
            line.push_str(&format!("{cell:<diff_w$}"));
        }
        s.push_str(line.trim_end());
        s.push('\n');
    }
    for (i, m) in a.exposure_missing.iter().enumerate() {
        if *m > 0 {
            s.push_str(&format!(
                "note, {}: {m} patient(s) without treatment dates left out of the exposure\n",
                a.arms[i]
            ));
        }
    }
    s
}

fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}
