//! Rendering claim checks: CSV (one row per claim), JSON and a table for people; the sentences
//! of each finding are in `sentences`, what `simulate` prints in `simulation`. Lays out and
//! rounds; decides no verdict and computes no statistic (that is `claims`).

mod sentences;
mod simulation;

pub use sentences::{data_reason, failed, passed, problem, reason, unchecked};
pub use simulation::{rejection_text, render_spread};

use super::number::shortest;
use crate::claims::rounding::POINT_RANGE_RELATIVE;
use crate::claims::{ClaimCheck, ClaimsFile, Range, SampleSize, Verdict};
use sentences::claim_reasons;
use serde_json::{json, Value};

/// Columns of `reproduce --format csv`, in order. The first three are fixed: id, verdict, reason.
pub const CLAIM_COLUMNS: &[&str] = &[
    "id",
    "verdict",
    "reason",
    "endpoint",
    "arm",
    "control",
    "visit",
    "estimand",
    "n",
    "reported_estimate",
    "reported_ci_low",
    "reported_ci_high",
    "conf_level",
    "reported_sd",
    "reported_p",
    "reported_statistic",
    "reported_k",
    "recomputed_estimate_low",
    "recomputed_estimate_high",
    "recomputed_ci_low",
    "recomputed_ci_high",
    "recomputed_se_low",
    "recomputed_se_high",
    "recomputed_sd_low",
    "recomputed_sd_high",
    "recomputed_statistic_low",
    "recomputed_statistic_high",
    "recomputed_p_low",
    "recomputed_p_high",
    "recomputed_dz_low",
    "recomputed_dz_high",
    "n_low",
    "n_high",
    "data_method",
    "data_estimate",
    "data_ci_low",
    "data_ci_high",
    "data_p",
    "data_n",
    "data_verdict",
];

fn num(x: Option<f64>) -> String {
    x.map(shortest).unwrap_or_default()
}

fn lo(r: Option<Range>) -> String {
    num(r.map(|r| r.low))
}

fn hi(r: Option<Range>) -> String {
    num(r.map(|r| r.high))
}

fn n_text(n: Option<SampleSize>) -> String {
    match n {
        None => String::new(),
        Some(SampleSize::One(n)) => n.to_string(),
        Some(SampleSize::Two(a, b)) => format!("{a}+{b}"),
    }
}

fn cells(c: &ClaimCheck) -> Vec<String> {
    let cl = &c.claim;
    let r = &c.recomputed;
    let d = c.data.as_ref();
    vec![
        cl.id.clone(),
        c.verdict.as_str().into(),
        reason(c),
        cl.endpoint.clone(),
        cl.arm.clone(),
        cl.control.clone().unwrap_or_default(),
        cl.visit.clone(),
        cl.estimand.clone(),
        n_text(cl.n),
        cl.estimate
            .as_ref()
            .map(|e| e.text.clone())
            .unwrap_or_default(),
        cl.ci.as_ref().map(|c| c.0.text.clone()).unwrap_or_default(),
        cl.ci.as_ref().map(|c| c.1.text.clone()).unwrap_or_default(),
        shortest(cl.conf_level),
        cl.sd.as_ref().map(|e| e.text.clone()).unwrap_or_default(),
        cl.p.as_ref().map(|p| p.describe()).unwrap_or_default(),
        cl.statistic
            .as_ref()
            .map(|s| match (s.df, s.df2) {
                (Some(a), Some(b)) => format!("{}({a}, {b}) = {}", s.name, s.value),
                (Some(a), None) => format!("{}({a}) = {}", s.name, s.value),
                _ => format!("{} = {}", s.name, s.value),
            })
            .unwrap_or_default(),
        cl.k.map(|k| k.to_string()).unwrap_or_default(),
        lo(r.estimate),
        hi(r.estimate),
        num(r.ci.map(|c| c.0)),
        num(r.ci.map(|c| c.1)),
        lo(r.se),
        hi(r.se),
        lo(r.sd),
        hi(r.sd),
        lo(r.statistic),
        hi(r.statistic),
        lo(r.p),
        hi(r.p),
        lo(r.dz),
        hi(r.dz),
        r.n_range.map(|n| n.0.to_string()).unwrap_or_default(),
        r.n_range.map(|n| n.1.to_string()).unwrap_or_default(),
        d.and_then(|d| d.method.clone()).unwrap_or_default(),
        num(d.and_then(|d| d.estimate)),
        num(d.and_then(|d| d.ci_low)),
        num(d.and_then(|d| d.ci_high)),
        num(d.and_then(|d| d.p)),
        d.and_then(|d| d.n)
            .map(|n| n.to_string())
            .unwrap_or_default(),
        d.map(|d| d.verdict.as_str().to_string())
            .unwrap_or_default(),
    ]
}

/// One row per claim, columns [`CLAIM_COLUMNS`].
pub fn render_claims_csv(checks: &[ClaimCheck]) -> String {
    let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
    w.write_record(CLAIM_COLUMNS).expect("in-memory write");
    for c in checks {
        w.write_record(cells(c)).expect("in-memory write");
    }
    String::from_utf8(w.into_inner().expect("in-memory flush")).expect("UTF-8 input")
}

/// `{"meta": {...}, "claims": [...]}`: every CSV column, plus the per-n table of claims
/// without a reported n and the lists of passed and failed checks.
pub fn render_claims_json(meta: Value, checks: &[ClaimCheck]) -> String {
    let claims: Vec<Value> = checks
        .iter()
        .map(|c| {
            let mut obj = serde_json::Map::new();
            for (k, v) in CLAIM_COLUMNS.iter().zip(cells(c)) {
                obj.insert((*k).into(), Value::String(v));
            }
            obj.insert("line".into(), json!(c.claim.line));
            let passed: Vec<String> = c.passed.iter().map(passed).collect();
            let problems: Vec<String> = c.problems.iter().map(problem).collect();
            obj.insert("passed".into(), json!(passed));
            obj.insert("problems".into(), json!(problems));
            if !c.by_n.is_empty() {
                obj.insert("by_n".into(), json!(c.by_n));
            }
            if let Some(d) = &c.data {
                let reasons: Vec<String> = d.reasons.iter().map(data_reason).collect();
                obj.insert("data_reasons".into(), json!(reasons));
            }
            Value::Object(obj)
        })
        .collect();
    let mut s = serde_json::to_string_pretty(&json!({"meta": meta, "claims": claims}))
        .expect("JSON of plain values");
    s.push('\n');
    s
}

fn wrap(text: &str, width: usize, indent: &str) -> String {
    let mut out = String::new();
    let mut line = String::new();
    for word in text.split(' ') {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            out.push_str(indent);
            out.push_str(&line);
            out.push('\n');
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        out.push_str(indent);
        out.push_str(&line);
        out.push('\n');
    }
    out
}

fn round_for_people(x: f64) -> String {
    if x == 0.0 {
        return "0".into();
    }
    if !x.is_finite() {
        return if x > 0.0 {
            "∞".into()
        } else {
            "−∞".into()
        };
    }
    let a = x.abs();
    if a < 1e-3 {
        return format!("{x:.1e}");
    }
    let digits = (3 - a.log10().floor() as i32).clamp(0, 4) as usize;
    format!("{x:.digits$}")
}

fn percent(x: f64) -> String {
    format!("{:.1}%", 100.0 * x)
}

fn range_text(r: Option<Range>) -> String {
    match r {
        None => "—".into(),
        Some(r) if (r.high - r.low).abs() <= POINT_RANGE_RELATIVE * r.high.abs() => {
            round_for_people(r.low)
        }
        Some(r) => format!(
            "{} to {}",
            round_for_people(r.low),
            round_for_people(r.high)
        ),
    }
}

/// The table for people: per claim, the verdict, reported vs recomputed, and the reasons.
pub fn render_claims_table(file: &ClaimsFile, checks: &[ClaimCheck]) -> String {
    let mut out = String::new();
    if let Some(t) = &file.source.title {
        out.push_str(t);
        out.push('\n');
    }
    if let Some(c) = &file.source.citation {
        out.push_str(c);
        out.push('\n');
    }
    let count = |v: Verdict| checks.iter().filter(|c| c.verdict == v).count();
    out.push_str(&format!(
        "{} claims: {} consistent, {} inconsistent, {} cannot be checked\n",
        checks.len(),
        count(Verdict::Consistent),
        count(Verdict::Inconsistent),
        count(Verdict::CannotCheck)
    ));
    for c in checks {
        let cl = &c.claim;
        out.push('\n');
        out.push_str(&format!(
            "{} [{}] — {} · {}{} · {} · {}\n",
            cl.id,
            c.verdict.as_str().replace('_', " ").to_uppercase(),
            cl.endpoint,
            cl.arm,
            cl.control
                .as_ref()
                .map(|x| format!(" vs {x}"))
                .unwrap_or_default(),
            cl.visit,
            cl.estimand
        ));
        let mut reported = Vec::new();
        if let Some(n) = cl.n {
            reported.push(format!("n = {}", n_text(Some(n))));
        } else {
            reported.push("n not reported".into());
        }
        if let Some(k) = cl.k {
            reported.push(format!("k = {k}"));
        }
        if let Some(e) = &cl.estimate {
            reported.push(format!("estimate {e}"));
        }
        if let Some((l, h)) = &cl.ci {
            reported.push(format!("{}% CI {l} to {h}", cl.conf_level * 100.0));
        }
        if let Some(s) = &cl.sd {
            reported.push(format!("SD {s}"));
        }
        if let Some(p) = &cl.p {
            reported.push(p.describe());
        }
        if let Some(s) = &cl.statistic {
            reported.push(format!(
                "{}{} = {}",
                s.name,
                s.df.map(|d| format!("({d})")).unwrap_or_default(),
                s.value
            ));
        }
        out.push_str(&format!("  reported:    {}\n", reported.join(", ")));
        let r = &c.recomputed;
        let mut rec = Vec::new();
        let rate = crate::claims::is_rate_estimand(&cl.estimand);
        match r.estimate {
            Some(e) if rate => rec.push(format!("share {}", percent(e.low))),
            Some(_) => rec.push(format!("CI midpoint {}", range_text(r.estimate))),
            None => {}
        }
        if let Some((l, h)) = r.ci {
            rec.push(format!("exact CI {} to {}", percent(l), percent(h)));
        }
        if r.se.is_some() {
            rec.push(format!("SE {}", range_text(r.se)));
        }
        if r.sd.is_some() {
            rec.push(format!("SD {}", range_text(r.sd)));
        }
        if r.statistic.is_some() {
            rec.push(format!("|t| {}", range_text(r.statistic)));
        }
        if r.p.is_some() {
            rec.push(format!("p {}", range_text(r.p)));
        }
        if r.dz.is_some() {
            rec.push(format!("dz {}", range_text(r.dz)));
        }
        if let Some((a, b)) = r.n_range {
            rec.push(format!("n {a} to {b}"));
        }
        if !rec.is_empty() {
            out.push_str(&format!("  recomputed:  {}\n", rec.join(", ")));
        }
        if let Some(d) = &c.data {
            let mut parts = Vec::new();
            if let Some(e) = d.estimate {
                parts.push(format!("estimate {}", round_for_people(e)));
            }
            if let (Some(l), Some(h)) = (d.ci_low, d.ci_high) {
                parts.push(format!(
                    "CI {} to {}",
                    round_for_people(l),
                    round_for_people(h)
                ));
            }
            if let Some(p) = d.p {
                parts.push(format!("p = {}", round_for_people(p)));
            }
            if let Some(n) = d.n {
                parts.push(format!("n = {n}"));
            }
            out.push_str(&format!(
                "  data:        {} [{}]\n",
                if parts.is_empty() {
                    "—".into()
                } else {
                    parts.join(", ")
                },
                d.verdict.as_str().replace('_', " ")
            ));
        }
        for reason in claim_reasons(c) {
            out.push_str(&wrap(&format!("- {reason}"), 96, "  "));
        }
        if let Some(d) = &c.data {
            for reason in &d.reasons {
                out.push_str(&wrap(&format!("- data: {}", data_reason(reason)), 96, "  "));
            }
        }
        if !c.by_n.is_empty() && c.by_n.iter().any(|x| x.sd.is_some()) {
            out.push_str("  by n (n not reported):  n   SD allowed             p\n");
            for at in c
                .by_n
                .iter()
                .filter(|x| matches!(x.n, 3 | 4 | 5 | 6 | 8 | 10 | 12 | 15 | 20 | 30 | 50 | 100))
            {
                let sd = match at.sd {
                    Some(s) if s.low <= 0.0 => format!("≤ {}", round_for_people(s.high)),
                    Some(s) if !s.high.is_finite() => format!("≥ {}", round_for_people(s.low)),
                    s => range_text(s),
                };
                out.push_str(&format!(
                    "                        {:>3}  {:<20}  {}\n",
                    at.n,
                    sd,
                    if at.p.is_some() {
                        range_text(at.p)
                    } else {
                        "—".into()
                    }
                ));
            }
        }
    }
    out
}
