//! The time-to-event plan: per arm the Kaplan–Meier quantiles and survival at chosen times,
//! and each arm against the control the log-rank test and the Cox hazard ratio (pairwise: the
//! two arms' subjects only, as R's `survdiff`/`coxph` on that subset). Calls
//! `stats::survival`, builds result rows; reads no files and formats nothing.

use super::convention::Convention;
use super::row::{Comparison, Estimand, Measure, Method, Place};
use super::ResultRow;
use crate::data::time_to_event::{CovariateColumn, TimeToEvent};
use crate::stats::survival::{
    cox, kaplan_meier, kaplan_meier_with, log_rank, ConfType, CoxOptions, KaplanMeier, Ties,
};
use crate::stats::{
    Alternative, ConfidenceInterval, Diagnostic, Estimate, IntervalMethod, PValueMethod, Statistic,
    TestResult,
};

/// Options of `trialstat survival` and `analyze --time-to`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SurvivalOptions {
    /// Control arm; detected (placebo/control/vehicle) when None.
    pub control: Option<String>,
    /// Times for `survival_at_{t}` rows.
    pub at: Vec<f64>,
    pub ties: Ties,
    pub conf_level: f64,
    /// `sas` adds the Kaplan–Meier rows again under `kaplan_meier_sas` with SAS PROC
    /// LIFETEST's default log-log limits (R's rows stay as they are).
    #[serde(skip_serializing_if = "Convention::is_r")]
    pub convention: Convention,
}

impl Default for SurvivalOptions {
    fn default() -> Self {
        SurvivalOptions {
            control: None,
            at: Vec::new(),
            ties: Ties::Efron,
            conf_level: 0.95,
            convention: Convention::R,
        }
    }
}

/// The rows and the curves behind them.
#[derive(Debug, Clone)]
pub struct SurvivalAnalysis {
    pub endpoint: String,
    pub control: Option<String>,
    /// Arms in output order (control first) with their curve.
    pub curves: Vec<(String, KaplanMeier)>,
    pub rows: Vec<ResultRow>,
    /// Notes for the whole table (left-out rows, how times were measured).
    pub notes: Vec<String>,
}

/// How the estimands are named: `median_time` for `trialstat survival`, `median_time_to_NAME`
/// for a time derived from visits.
#[derive(Debug, Clone, Copy)]
pub enum TimeName {
    Time,
    To(&'static str),
}

impl TimeName {
    fn quantile(self, m: Measure) -> Estimand {
        match self {
            TimeName::Time => Estimand::Measure(m),
            TimeName::To(name) => Estimand::TimeTo(m, name),
        }
    }
}

fn detect_control(arms: &[String], given: &Option<String>) -> Result<Option<String>, String> {
    match given {
        Some(c) if arms.contains(c) => Ok(Some(c.clone())),
        Some(c) => Err(format!(
            "control arm '{c}' (from --control) is not in the data; arms found: {}",
            arms.join(", ")
        )),
        None => Ok(arms
            .iter()
            .find(|a| {
                let l = a.to_lowercase();
                l == "placebo" || l == "control" || l == "vehicle"
            })
            .cloned()),
    }
}

/// Analyse `data` (already validated: times ≥ 0, indicators 0/1).
pub fn analyze_survival(
    data: &TimeToEvent,
    options: &SurvivalOptions,
    name: TimeName,
    visit: &str,
) -> Result<SurvivalAnalysis, String> {
    if !(options.conf_level > 0.0 && options.conf_level < 1.0) {
        return Err(format!(
            "--conf-level: found {}, expected a number between 0 and 1",
            options.conf_level
        ));
    }
    if let Some(t) = options.at.iter().find(|t| !(t.is_finite() && **t >= 0.0)) {
        return Err(format!("--at: found {t}, expected times ≥ 0"));
    }
    let mut arms: Vec<String> = data.arm.clone();
    arms.sort();
    arms.dedup();
    let control = detect_control(&arms, &options.control)?;
    if let Some(c) = &control {
        arms.retain(|a| a != c);
        arms.insert(0, c.clone());
    }
    let level = options.conf_level;
    let mut out = SurvivalAnalysis {
        endpoint: data.endpoint.clone(),
        control: control.clone(),
        curves: Vec::new(),
        rows: Vec::new(),
        notes: Vec::new(),
    };
    for arm in &arms {
        let idx: Vec<usize> = (0..data.time.len())
            .filter(|&i| &data.arm[i] == arm)
            .collect();
        let t: Vec<f64> = idx.iter().map(|&i| data.time[i]).collect();
        let e: Vec<bool> = idx.iter().map(|&i| data.event[i]).collect();
        let km = kaplan_meier(&t, &e, level).map_err(|e| e.to_string())?;
        let place = Place {
            endpoint: &data.endpoint,
            arm,
            visit,
            comparison: Comparison::Within,
        };
        km_rows(
            &km,
            &place,
            name,
            options,
            (Method::KaplanMeier, IntervalMethod::LogNormal),
            &mut out.rows,
        );
        if options.convention.is_sas() {
            let km_sas =
                kaplan_meier_with(&t, &e, level, ConfType::LogLog).map_err(|e| e.to_string())?;
            km_rows(
                &km_sas,
                &place,
                name,
                options,
                (Method::KaplanMeierSas, IntervalMethod::LogLog),
                &mut out.rows,
            );
        }
        out.curves.push((arm.clone(), km));
    }
    if let Some(c) = &control {
        for arm in arms.iter().skip(1) {
            between(data, options, c, arm, visit, &mut out)?;
        }
    }
    Ok(out)
}

/// The quartile and survival-at rows of one curve under `method`, its limits named
/// `interval_method`.
fn km_rows(
    km: &KaplanMeier,
    place: &Place,
    name: TimeName,
    options: &SurvivalOptions,
    (method, interval_method): (Method, IntervalMethod),
    rows: &mut Vec<ResultRow>,
) {
    let level = options.conf_level;
    let n = km.n;
    let events_note = format!("{} event(s) in {} patient(s)", km.events, n);
    for (m, p) in [
        (Measure::MedianTime, 0.5),
        (Measure::Q25Time, 0.25),
        (Measure::Q75Time, 0.75),
    ] {
        let q = km.quantile(p);
        let mut r = TestResult::empty(n, Alternative::TwoSided);
        let mut notes = vec![events_note.clone()];
        r.estimate = q.estimate.map(|v| Estimate {
            label: "time",
            value: v,
        });
        if q.estimate.is_none() {
            notes.push(format!(
                "not reached: the curve stays above {} (last follow-up at {})",
                1.0 - p,
                km.steps.last().map_or(0.0, |s| s.time)
            ));
        }
        match (q.lower, q.upper) {
            (Some(lo), hi) => {
                if hi.is_none() {
                    notes.push(
                        "upper limit not reached by the confidence band (R: NA), shown as inf"
                            .into(),
                    );
                }
                r.interval = Some(ConfidenceInterval {
                    lower: lo,
                    upper: hi.unwrap_or(f64::INFINITY),
                    level,
                    method: interval_method,
                });
            }
            (None, _) => {
                if q.estimate.is_some() {
                    notes.push("lower limit not reached by the confidence band".into());
                }
            }
        }
        rows.push(place.row(name.quantile(m), method, r, n, 0, &notes));
    }
    for &at in &options.at {
        let mut r = TestResult::empty(n, Alternative::TwoSided);
        let mut notes = Vec::new();
        match km.at(at) {
            Some(s) => {
                r.estimate = Some(Estimate {
                    label: "survival",
                    value: s.surv,
                });
                r.statistic = s.se.map(|v| Statistic {
                    name: "greenwood_se",
                    value: v,
                });
                if let (Some(lo), Some(hi)) = (s.lower, s.upper) {
                    r.interval = Some(ConfidenceInterval {
                        lower: lo,
                        upper: hi,
                        level,
                        method: interval_method,
                    });
                }
                notes.push(format!("{} at risk at {at}", s.n_risk));
            }
            None => notes.push(format!(
                "time {at} is beyond the last follow-up ({}): not estimated",
                km.steps.last().map_or(0.0, |s| s.time)
            )),
        }
        rows.push(place.row(Estimand::SurvivalAt(at), method, r, n, 0, &notes));
    }
}

fn between(
    data: &TimeToEvent,
    options: &SurvivalOptions,
    control: &str,
    arm: &str,
    visit: &str,
    out: &mut SurvivalAnalysis,
) -> Result<(), String> {
    let level = options.conf_level;
    let place = Place {
        endpoint: &data.endpoint,
        arm,
        visit,
        comparison: Comparison::Versus(control.to_string()),
    };
    let stratified = data.stratum.iter().any(Option::is_some);
    let pair: Vec<usize> = (0..data.time.len())
        .filter(|&i| data.arm[i] == arm || data.arm[i] == control)
        .filter(|&i| !stratified || data.stratum[i].is_some())
        .collect();
    let n_missing_stratum = (0..data.time.len())
        .filter(|&i| (data.arm[i] == arm || data.arm[i] == control) && stratified)
        .filter(|&i| data.stratum[i].is_none())
        .count();
    let mut labels: Vec<&str> = pair
        .iter()
        .filter_map(|&i| data.stratum[i].as_deref())
        .collect();
    labels.sort_unstable();
    labels.dedup();
    let strata: Vec<usize> = pair
        .iter()
        .map(|&i| {
            data.stratum[i]
                .as_deref()
                .and_then(|s| labels.binary_search(&s).ok())
                .unwrap_or(0)
        })
        .collect();
    let t: Vec<f64> = pair.iter().map(|&i| data.time[i]).collect();
    let e: Vec<bool> = pair.iter().map(|&i| data.event[i]).collect();
    let g: Vec<usize> = pair
        .iter()
        .map(|&i| usize::from(data.arm[i] == arm))
        .collect();
    let mut common = Vec::new();
    if stratified {
        common.push(format!(
            "stratified by {} ({} strata)",
            strata_name(data),
            labels.len()
        ));
        if n_missing_stratum > 0 {
            common.push(format!(
                "{n_missing_stratum} patient(s) without a stratum left out"
            ));
        }
    }

    // Log-rank.
    let lr = log_rank(&t, &e, &g, stratified.then_some(&strata[..])).map_err(|e| e.to_string())?;
    let mut r = TestResult::empty(pair.len(), Alternative::TwoSided);
    let mut notes = common.clone();
    notes.push(format!(
        "observed/expected events: {arm} {}/{:.2}, {control} {}/{:.2}",
        lr.observed[1], lr.expected[1], lr.observed[0], lr.expected[0]
    ));
    match lr.chisq {
        Some(x) => {
            r.statistic = Some(Statistic {
                name: "chisq",
                value: x,
            });
            r.df = Some(crate::stats::DegreesOfFreedom {
                value: lr.df as f64,
                method: crate::stats::DfMethod::NMinusOne,
            });
            r.p_value = lr.p_value;
            r.p_value_method = Some(PValueMethod::NormalApproximation);
        }
        None => {
            r.diagnostics.push(Diagnostic::NoEvents);
            notes.push("no events: the log-rank test is undefined".into());
        }
    }
    out.rows.push(place.row(
        Measure::SurvivalDiff,
        Method::LogRank,
        r,
        pair.len(),
        n_missing_stratum,
        &notes,
    ));

    // Cox: arm indicator first, then covariates (numeric as given; categorical as indicators of
    // every level but the first in sorted order, as R's treatment contrasts).
    let mut cols: Vec<Vec<f64>> = vec![g.iter().map(|&v| v as f64).collect()];
    let mut complete: Vec<bool> = vec![true; pair.len()];
    let mut cov_names = Vec::new();
    for (name, col) in &data.covariates {
        cov_names.push(name.clone());
        match col {
            CovariateColumn::Numeric(v) => {
                let c: Vec<f64> = pair.iter().map(|&i| v[i].unwrap_or(f64::NAN)).collect();
                for (k, x) in c.iter().enumerate() {
                    complete[k] &= !x.is_nan();
                }
                cols.push(c);
            }
            CovariateColumn::Categorical(v) => {
                let mut levels: Vec<&str> = pair.iter().filter_map(|&i| v[i].as_deref()).collect();
                levels.sort_unstable();
                levels.dedup();
                for (k, &i) in pair.iter().enumerate() {
                    complete[k] &= v[i].is_some();
                }
                for lev in levels.iter().skip(1) {
                    cols.push(
                        pair.iter()
                            .map(|&i| f64::from(u8::from(v[i].as_deref() == Some(lev))))
                            .collect(),
                    );
                }
            }
        }
    }
    let keep: Vec<usize> = (0..pair.len()).filter(|&k| complete[k]).collect();
    let p = cols.len();
    let x: Vec<f64> = keep
        .iter()
        .flat_map(|&k| cols.iter().map(move |c| c[k]))
        .collect();
    let tk: Vec<f64> = keep.iter().map(|&k| t[k]).collect();
    let ek: Vec<bool> = keep.iter().map(|&k| e[k]).collect();
    let sk: Vec<usize> = keep.iter().map(|&k| strata[k]).collect();
    let mut notes = common;
    notes.push(format!(
        "Cox model, {} ties{}",
        match options.ties {
            Ties::Efron => "Efron",
            Ties::Breslow => "Breslow",
        },
        if cov_names.is_empty() {
            String::new()
        } else {
            format!(", adjusted for {}", cov_names.join(", "))
        }
    ));
    let left = pair.len() - keep.len();
    if left > 0 {
        notes.push(format!(
            "{left} patient(s) with a missing covariate left out"
        ));
    }
    let mut r = TestResult::empty(keep.len(), Alternative::TwoSided);
    let events_in = |grp: usize| keep.iter().filter(|&&k| g[k] == grp && e[k]).count();
    if events_in(0) == 0 || events_in(1) == 0 {
        notes.push(format!(
            "no events in {}: the hazard ratio is 0 or infinite and is not estimated",
            if events_in(1) == 0 { arm } else { control }
        ));
        r.diagnostics.push(Diagnostic::ZeroCell);
    } else {
        let fit = cox(
            &tk,
            &ek,
            &x,
            p,
            stratified.then_some(&sk[..]),
            CoxOptions {
                ties: options.ties,
                ..CoxOptions::default()
            },
        )
        .map_err(|e| e.to_string())?;
        let (b, se) = (fit.coef[0], fit.se[0]);
        let z = crate::stats::survival::z_for_level(level);
        r.estimate = Some(Estimate {
            label: "hazard ratio",
            value: b.exp(),
        });
        r.interval = Some(ConfidenceInterval {
            lower: (b - z * se).exp(),
            upper: (b + z * se).exp(),
            level,
            method: IntervalMethod::LogNormal,
        });
        r.statistic = Some(Statistic {
            name: "z",
            value: b / se,
        });
        r.p_value = Some(2.0 * crate::stats::distributions::norm_sf((b / se).abs()));
        r.p_value_method = Some(PValueMethod::NormalApproximation);
        if !fit.converged {
            r.diagnostics.push(Diagnostic::NonConvergence {
                routine: "Cox Newton–Raphson",
            });
        }
        if fit.possibly_infinite.iter().any(|&f| f) {
            notes.push("a coefficient may be infinite (monotone likelihood)".into());
        }
    }
    out.rows.push(place.row(
        Measure::HazardRatio,
        Method::Cox,
        r,
        keep.len(),
        left + n_missing_stratum,
        &notes,
    ));
    Ok(())
}

fn strata_name(data: &TimeToEvent) -> String {
    data.columns
        .iter()
        .filter(|(k, _)| *k == "strata")
        .map(|(_, v)| v.as_str())
        .collect::<Vec<_>>()
        .join(" × ")
}
