//! Time to an event derived from visits (`analyze --time-to NAME="ENDPOINT: EXPR"`): for each
//! patient, the week (from baseline) of the first follow-up visit whose value meets EXPR, or
//! censored at the last follow-up visit with a value. The event is known only to lie between
//! two visits (interval-censored); the Kaplan–Meier estimate treats the visit week as exact,
//! and the rows' note says so. Builds [`TimeToEvent`] data for `analysis::survival`.

use super::survival::{analyze_survival, SurvivalAnalysis, SurvivalOptions, TimeName};
use super::Analysis;
use crate::data::time_to_event::TimeToEvent;
use crate::data::Cohort;

/// What is compared with the threshold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Quantity {
    Value,
    Change,
    PctChange,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Comparator {
    #[serde(rename = "==")]
    Eq,
    #[serde(rename = "<=")]
    Le,
    #[serde(rename = "<")]
    Lt,
    #[serde(rename = ">=")]
    Ge,
    #[serde(rename = ">")]
    Gt,
}

/// A parsed `NAME="ENDPOINT: QUANTITY OP NUMBER"`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct TimeToSpec {
    pub name: String,
    pub endpoint: String,
    pub quantity: Quantity,
    pub comparator: Comparator,
    pub threshold: f64,
    /// The text as given.
    pub text: String,
}

impl std::str::FromStr for TimeToSpec {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let usage = || {
            format!("--time-to '{s}': expected NAME=\"ENDPOINT: value == X\" (quantity value, change or pct_change; operator ==, <=, <, >=, >), e.g. cleared=\"plaque_thickness_mm: value == 0\"")
        };
        let (name, rest) = s.split_once('=').ok_or_else(usage)?;
        let name = name.trim();
        if !super::row::event_name_ok(name) {
            return Err(format!(
                "--time-to: the name '{name}' must start with a letter and hold only letters, digits and _"
            ));
        }
        let (endpoint, expr) = rest.split_once(':').ok_or_else(usage)?;
        let expr = expr.trim();
        let ops = [
            ("==", Comparator::Eq),
            ("<=", Comparator::Le),
            (">=", Comparator::Ge),
            ("<", Comparator::Lt),
            (">", Comparator::Gt),
        ];
        let (at, op, len) = ops
            .iter()
            .find_map(|(t, c)| expr.find(t).map(|i| (i, *c, t.len())))
            .ok_or_else(usage)?;
        let quantity = match expr[..at].trim() {
            "value" => Quantity::Value,
            "change" => Quantity::Change,
            "pct_change" => Quantity::PctChange,
            _ => return Err(usage()),
        };
        let threshold: f64 = expr[at + len..].trim().parse().map_err(|_| usage())?;
        if !threshold.is_finite() {
            return Err(usage());
        }
        Ok(TimeToSpec {
            name: name.to_string(),
            endpoint: endpoint.trim().to_string(),
            quantity,
            comparator: op,
            threshold,
            text: s.to_string(),
        })
    }
}

impl TimeToSpec {
    fn met(&self, baseline: f64, value: f64) -> Option<bool> {
        let x = match self.quantity {
            Quantity::Value => value,
            Quantity::Change => value - baseline,
            Quantity::PctChange if baseline != 0.0 => 100.0 * (value - baseline) / baseline,
            Quantity::PctChange => return None,
        };
        let t = self.threshold;
        Some(match self.comparator {
            Comparator::Eq => x == t,
            Comparator::Le => x <= t,
            Comparator::Lt => x < t,
            Comparator::Ge => x >= t,
            Comparator::Gt => x > t,
        })
    }
}

/// Derive the times and analyse them as `trialstat survival` does.
pub fn analyze_time_to(
    cohort: &Cohort,
    analysis: &Analysis,
    spec: &TimeToSpec,
) -> Result<SurvivalAnalysis, String> {
    let e = cohort
        .endpoints
        .iter()
        .position(|x| *x == spec.endpoint)
        .ok_or_else(|| {
            format!(
                "--time-to {}: endpoint '{}' is not in the data; endpoints found: {}",
                spec.name,
                spec.endpoint,
                cohort.endpoints.join(", ")
            )
        })?;
    let b = cohort
        .visit_index(&analysis.baseline_visit)
        .ok_or("baseline visit not found")?;
    let b_week = cohort.visits[b].week.ok_or_else(|| {
        format!(
            "--time-to {}: the visits need a week (or AVISITN) column to give times",
            spec.name
        )
    })?;
    // Follow-up visits after baseline with a week, in week order (the cohort's visit order).
    let follow: Vec<(usize, f64)> = cohort
        .visits
        .iter()
        .enumerate()
        .filter_map(|(v, x)| x.week.filter(|w| *w > b_week).map(|w| (v, w - b_week)))
        .collect();
    let mut data = TimeToEvent {
        time: Vec::new(),
        event: Vec::new(),
        arm: Vec::new(),
        stratum: Vec::new(),
        covariates: Vec::new(),
        endpoint: spec.endpoint.clone(),
        columns: Vec::new(),
        rows_read: cohort.patients.len(),
        left_out: Vec::new(),
    };
    let (mut no_baseline, mut no_follow) = (0, 0);
    for (p, patient) in cohort.patients.iter().enumerate() {
        let Some(base) = cohort.value(e, p, b) else {
            no_baseline += 1;
            continue;
        };
        let mut last = None;
        let mut hit = None;
        for &(v, week) in &follow {
            let Some(val) = cohort.value(e, p, v) else {
                continue;
            };
            last = Some(week);
            if spec.met(base, val) == Some(true) {
                hit = Some(week);
                break;
            }
        }
        let (time, event) = match (hit, last) {
            (Some(w), _) => (w, true),
            (None, Some(w)) => (w, false),
            (None, None) => {
                no_follow += 1;
                continue;
            }
        };
        data.time.push(time);
        data.event.push(event);
        data.arm.push(cohort.arms[patient.arm].clone());
        data.stratum.push(None);
    }
    if data.time.is_empty() {
        return Err(format!(
            "--time-to {}: no patient has a baseline and a follow-up value of {}",
            spec.name, spec.endpoint
        ));
    }
    let options = SurvivalOptions {
        control: analysis.control_arm.clone(),
        at: Vec::new(),
        conf_level: analysis.options.conf_level,
        convention: analysis.options.convention,
        ..SurvivalOptions::default()
    };
    let name = super::row::intern_event_name(&spec.name);
    let mut out = analyze_survival(&data, &options, TimeName::To(name), "")?;
    let mut notes = vec![format!(
        "time to {}: weeks from baseline to the first visit with {}; censored at the last visit with a value. Times are known only to the visit (interval-censored): the estimate treats them as exact",
        spec.name,
        spec.text.split_once(':').map_or("", |x| x.1).trim()
    )];
    if no_baseline > 0 {
        notes.push(format!(
            "{no_baseline} patient(s) without a baseline value left out"
        ));
    }
    if no_follow > 0 {
        notes.push(format!(
            "{no_follow} patient(s) without a follow-up value left out"
        ));
    }
    for r in &mut out.rows {
        let extra = notes.join("; ");
        r.note = if r.note.is_empty() {
            extra
        } else {
            format!("{}; {extra}", r.note)
        };
    }
    out.notes.extend(notes);
    Ok(out)
}
