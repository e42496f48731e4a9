//! The adverse-event table: for the whole safety population, each system organ class and each
//! preferred term, per arm the patients with at least one treatment-emergent event (a patient
//! counts once per term and once per class) with the Clopper–Pearson interval, the difference
//! against the control (Newcombe), and events per 100 patient-years of exposure with the exact
//! Poisson interval. Sorted by frequency (patients in all arms, then name). Reads no files and
//! formats nothing.

use super::row::{Comparison, Measure, Method, Place};
use super::ResultRow;
use crate::data::adverse_events::SafetyData;
use crate::stats::poisson::poisson_exact;
use crate::stats::proportion::{clopper_pearson, newcombe_difference};
use crate::stats::{Alternative, ConfidenceInterval, Estimate, IntervalMethod, TestResult};
use std::collections::{BTreeMap, BTreeSet};

/// The label of the first row: any treatment-emergent event.
pub const ANY_EVENT: &str = "ANY TREATMENT-EMERGENT EVENT";
const DAYS_PER_YEAR: f64 = 365.25;

#[derive(Debug, Clone, serde::Serialize)]
pub struct SafetyOptions {
    pub control: Option<String>,
    pub conf_level: f64,
}

/// Which level of the hierarchy a row of the table is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TermLevel {
    Any,
    SystemOrganClass,
    PreferredTerm,
}

/// Counts of one term in one arm.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct ArmCount {
    pub patients: usize,
    pub events: usize,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct TermSummary {
    pub level: TermLevel,
    /// The class (for a preferred term, its class).
    pub soc: String,
    pub term: String,
    /// One per arm, in [`SafetyAnalysis::arms`] order.
    pub counts: Vec<ArmCount>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct SafetyAnalysis {
    /// Arms, control first.
    pub arms: Vec<String>,
    pub control: Option<String>,
    /// Safety population per arm.
    pub n: Vec<usize>,
    /// Patient-years of exposure per arm.
    pub patient_years: Vec<f64>,
    /// Patients per arm without both treatment dates (left out of the exposure).
    pub exposure_missing: Vec<usize>,
    pub terms: Vec<TermSummary>,
    #[serde(skip)]
    pub rows: Vec<ResultRow>,
    pub conf_level: f64,
}

pub fn analyze_safety(
    data: &SafetyData,
    options: &SafetyOptions,
) -> Result<SafetyAnalysis, String> {
    if !(options.conf_level > 0.0 && options.conf_level < 1.0) {
        return Err(format!(
            "--conf-level: found {}, expected a number between 0 and 1",
            options.conf_level
        ));
    }
    let mut arms: Vec<String> = data.patients.iter().map(|p| p.arm.clone()).collect();
    arms.sort();
    arms.dedup();
    let control = match &options.control {
        Some(c) if arms.contains(c) => Some(c.clone()),
        Some(c) => {
            return Err(format!(
            "control arm '{c}' (from --control) is not in the safety population; arms found: {}",
            arms.join(", ")
        ))
        }
        None => arms
            .iter()
            .find(|a| matches!(a.to_lowercase().as_str(), "placebo" | "control" | "vehicle"))
            .cloned(),
    };
    if let Some(c) = &control {
        arms.retain(|a| a != c);
        arms.insert(0, c.clone());
    }
    let arm_of = |p: usize| {
        arms.iter()
            .position(|a| *a == data.patients[p].arm)
            .unwrap_or(0)
    };
    let k = arms.len();
    let mut n = vec![0; k];
    let mut years = vec![0.0; k];
    let mut missing = vec![0; k];
    for (i, p) in data.patients.iter().enumerate() {
        let a = arm_of(i);
        n[a] += 1;
        match p.exposure_days {
            Some(d) => years[a] += d / DAYS_PER_YEAR,
            None => missing[a] += 1,
        }
    }
    // (level, soc, term) -> per arm (patients set, events)
    type Key = (u8, String, String);
    let mut acc: BTreeMap<Key, Vec<(BTreeSet<usize>, usize)>> = BTreeMap::new();
    for ev in &data.events {
        let a = arm_of(ev.patient);
        for key in [
            (0u8, String::new(), ANY_EVENT.to_string()),
            (1, ev.soc.clone(), ev.soc.clone()),
            (2, ev.soc.clone(), ev.term.clone()),
        ] {
            let slot = &mut acc
                .entry(key)
                .or_insert_with(|| vec![(BTreeSet::new(), 0); k])[a];
            slot.0.insert(ev.patient);
            slot.1 += 1;
        }
    }
    if acc.is_empty() {
        acc.insert(
            (0, String::new(), ANY_EVENT.to_string()),
            vec![(BTreeSet::new(), 0); k],
        );
    }
    let summary = |(level, soc, term): &Key, v: &Vec<(BTreeSet<usize>, usize)>| TermSummary {
        level: match level {
            0 => TermLevel::Any,
            1 => TermLevel::SystemOrganClass,
            _ => TermLevel::PreferredTerm,
        },
        soc: soc.clone(),
        term: term.clone(),
        counts: v
            .iter()
            .map(|(s, e)| ArmCount {
                patients: s.len(),
                events: *e,
            })
            .collect(),
    };
    let total = |t: &TermSummary| t.counts.iter().map(|c| c.patients).sum::<usize>();
    let by_frequency =
        |a: &TermSummary, b: &TermSummary| total(b).cmp(&total(a)).then(a.term.cmp(&b.term));
    let all: Vec<TermSummary> = acc.iter().map(|(k, v)| summary(k, v)).collect();
    let mut socs: Vec<&TermSummary> = all
        .iter()
        .filter(|t| t.level == TermLevel::SystemOrganClass)
        .collect();
    socs.sort_by(|a, b| by_frequency(a, b));
    let mut terms: Vec<TermSummary> = all
        .iter()
        .filter(|t| t.level == TermLevel::Any)
        .cloned()
        .collect();
    for s in socs {
        terms.push(s.clone());
        let mut pts: Vec<&TermSummary> = all
            .iter()
            .filter(|t| t.level == TermLevel::PreferredTerm && t.soc == s.soc)
            .collect();
        pts.sort_by(|a, b| by_frequency(a, b));
        terms.extend(pts.into_iter().cloned());
    }

    let level = options.conf_level;
    let mut rows = Vec::new();
    for t in &terms {
        let what = match t.level {
            TermLevel::Any => "any treatment-emergent event".to_string(),
            TermLevel::SystemOrganClass => "system organ class".to_string(),
            TermLevel::PreferredTerm => format!("preferred term in {}", t.soc),
        };
        for (a, arm) in arms.iter().enumerate() {
            let c = t.counts[a];
            let place = Place {
                endpoint: &t.term,
                arm,
                visit: "",
                comparison: Comparison::Within,
            };
            let inc = clopper_pearson(c.patients, n[a], level, "incidence");
            rows.push(place.row(
                Measure::AeIncidence,
                Method::ClopperPearson,
                inc,
                n[a],
                0,
                &[format!("{what}; {} of {} patients", c.patients, n[a])],
            ));
            let mut r = TestResult::empty(n[a] - missing[a], Alternative::TwoSided);
            let mut notes = vec![format!(
                "{what}; {} event(s) in {:.2} patient-years",
                c.events, years[a]
            )];
            if missing[a] > 0 {
                notes.push(format!(
                    "{} patient(s) without treatment dates left out of the exposure",
                    missing[a]
                ));
            }
            if let Some(p) = poisson_exact(c.events as u64, years[a], level) {
                r.estimate = Some(Estimate {
                    label: "events per 100 patient-years",
                    value: 100.0 * p.rate,
                });
                r.interval = Some(ConfidenceInterval {
                    lower: 100.0 * p.lower,
                    upper: 100.0 * p.upper,
                    level,
                    method: IntervalMethod::ExactPoisson,
                });
            } else {
                notes.push("no exposure: the rate is undefined".into());
            }
            rows.push(place.row(
                Measure::AeRate,
                Method::ExactPoisson,
                r,
                n[a] - missing[a],
                missing[a],
                &notes,
            ));
        }
        if control.is_some() {
            for (a, arm) in arms.iter().enumerate().skip(1) {
                let place = Place {
                    endpoint: &t.term,
                    arm,
                    visit: "",
                    comparison: Comparison::Versus(arms[0].clone()),
                };
                let d = newcombe_difference(
                    t.counts[a].patients,
                    n[a],
                    t.counts[0].patients,
                    n[0],
                    level,
                    "difference in incidence",
                );
                rows.push(place.row(
                    Measure::AeIncidenceDiff,
                    Method::Newcombe,
                    d,
                    n[a] + n[0],
                    0,
                    std::slice::from_ref(&what),
                ));
            }
        }
    }
    Ok(SafetyAnalysis {
        arms,
        control,
        n,
        patient_years: years,
        exposure_missing: missing,
        terms,
        rows,
        conf_level: level,
    })
}
