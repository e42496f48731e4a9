//! Comparison with data.

use super::checks::{fmt, ClaimCheck};
use super::estimand::{default_method, is_rate_estimand, named_responder_threshold};
use super::schema::{Claim, SampleSize};
use super::verdict::Verdict;
use crate::analysis::{self, Analysis, AnalysisError, AnalysisOptions};
use crate::data::Cohort;
use serde::Serialize;

/// The claim set beside the analysis of a data file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DataComparison {
    pub method: Option<String>,
    pub estimate: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    pub p: Option<f64>,
    pub n: Option<usize>,
    pub verdict: Verdict,
    pub reasons: Vec<String>,
}

/// Set every claim beside the analysis of a data set (one analysis per confidence level used).
pub fn compare_with_data(checks: &mut [ClaimCheck], analyses: &[(f64, Analysis)]) {
    for ck in checks.iter_mut() {
        let c = &ck.claim;
        let Some((_, analysis)) = analyses
            .iter()
            .find(|(l, _)| (l - c.conf_level).abs() < 1e-12)
        else {
            continue;
        };
        let cmp = compare_one(c, analysis);
        ck.data = Some(cmp);
        // The overall verdict: the data reproduce the claim (or not); an internal
        // inconsistency stays an inconsistency.
        let d = ck.data.as_ref().unwrap().verdict;
        ck.verdict = match (ck.verdict, d) {
            (Verdict::Inconsistent, _) | (_, Verdict::Inconsistent) => Verdict::Inconsistent,
            (_, Verdict::Consistent) => Verdict::Consistent,
            (v, Verdict::CannotCheck) => v,
        };
    }
}

pub(crate) fn compare_one(c: &Claim, a: &Analysis) -> DataComparison {
    let mut reasons = Vec::new();
    let mut out = DataComparison {
        method: None,
        estimate: None,
        ci_low: None,
        ci_high: None,
        p: None,
        n: None,
        verdict: Verdict::CannotCheck,
        reasons: Vec::new(),
    };
    let missing = |what: &str| -> DataComparison {
        DataComparison {
            method: None,
            estimate: None,
            ci_low: None,
            ci_high: None,
            p: None,
            n: None,
            verdict: Verdict::CannotCheck,
            reasons: vec![what.to_string()],
        }
    };
    if matches!(c.estimand.as_str(), "mean" | "sd") {
        let Some(cell) = a
            .cells
            .iter()
            .find(|x| x.endpoint == c.endpoint && x.arm == c.arm && x.visit == c.visit)
        else {
            return missing(&format!(
                "no {} / {} / {} in the data (follow-up visits: {})",
                c.endpoint,
                c.arm,
                c.visit,
                a.follow_up_visits.join(", ")
            ));
        };
        let value = if c.estimand == "mean" {
            cell.follow_up_mean
        } else {
            cell.follow_up_sd
        };
        out.estimate = value;
        out.n = Some(cell.n);
        out.method = Some("descriptive".into());
        if c.estimand == "mean" {
            if let (Some(sd), Some(v)) = (&c.sd, cell.follow_up_sd) {
                if !sd.matches(v) {
                    reasons.push(format!("SD {} does not round to the reported {sd}", fmt(v)));
                }
            }
        }
    } else {
        let method = c
            .method
            .clone()
            .or_else(|| default_method(&c.estimand).map(String::from));
        let Some(method) = method else {
            return missing(&format!(
                "no default method for {}: name one with method = …",
                c.estimand
            ));
        };
        let comparison = c.comparison();
        let Some(row) = a.find(
            &c.endpoint,
            &c.arm,
            &c.visit,
            &comparison,
            &c.estimand,
            &method,
        ) else {
            return missing(&format!(
                "the analysis has no row {} / {} / {} / {} / {} / {method}",
                c.endpoint, c.arm, c.visit, comparison, c.estimand
            ));
        };
        out.method = Some(method);
        out.estimate = row.result.estimate.as_ref().map(|e| e.value);
        out.ci_low = row.result.interval.as_ref().map(|i| i.lower);
        out.ci_high = row.result.interval.as_ref().map(|i| i.upper);
        out.p = row.result.p_value;
        out.n = Some(row.n);
        if let Some(rp) = &c.p {
            match row.result.p_value {
                Some(p) if rp.admits(p, c.alpha) => {}
                Some(p) => reasons.push(format!(
                    "p = {} does not agree with the reported {}",
                    fmt(p),
                    rp.describe()
                )),
                None => reasons.push("the analysis gives no p-value".into()),
            }
        }
        if let (Some(k), Some(est)) = (c.k, out.estimate) {
            let got = (est * row.n as f64).round() as usize;
            if got != k {
                reasons.push(format!("{got} of {} in the data, {k} reported", row.n));
            }
        }
        if let Some(sd) = &c.sd {
            if c.estimand == "mean_pct_change" || c.estimand == "mean_change" {
                let cell_sd = a
                    .patients
                    .iter()
                    .filter(|p| p.endpoint == c.endpoint && p.arm == c.arm && p.visit == c.visit)
                    .map(|p| {
                        if c.estimand == "mean_pct_change" {
                            p.pct_change
                        } else {
                            Some(p.change)
                        }
                    })
                    .collect::<Option<Vec<f64>>>()
                    .and_then(|v| crate::stats::descriptive::sd(&v));
                if let Some(s) = cell_sd {
                    if !sd.matches(s) {
                        reasons.push(format!("SD {} does not round to the reported {sd}", fmt(s)));
                    }
                }
            }
        }
        if let (Some((lo, hi)), Some(l), Some(h)) = (&c.ci, out.ci_low, out.ci_high) {
            let scale =
                if is_rate_estimand(&c.estimand) && (lo.percent || hi.percent || hi.value > 1.0) {
                    100.0
                } else {
                    1.0
                };
            if !lo.matches(l * scale) || !hi.matches(h * scale) {
                reasons.push(format!(
                    "interval {} to {} does not round to the reported [{lo}, {hi}]",
                    fmt(l * scale),
                    fmt(h * scale)
                ));
            }
        }
    }
    if let (Some(e), Some(v)) = (&c.estimate, out.estimate) {
        let scale = if is_rate_estimand(&c.estimand) && (e.percent || e.value > 1.0) {
            100.0
        } else {
            1.0
        };
        if !e.matches(v * scale) {
            reasons.push(format!(
                "estimate {} does not round to the reported {e}",
                fmt(v * scale)
            ));
        }
    }
    if let (Some(SampleSize::One(n)), Some(got)) = (c.n, out.n) {
        if n != got {
            reasons.push(format!("n = {got} in the data, {n} reported"));
        }
    }
    if let (Some(SampleSize::Two(x, y)), Some(got)) = (c.n, out.n) {
        if x + y != got {
            reasons.push(format!("n = {got} in the data, {} reported", x + y));
        }
    }
    out.verdict = if reasons.is_empty() {
        if out.estimate.is_some() {
            reasons.push(format!(
                "reproduced at the reported precision ({} = {}{}{})",
                out.method.as_deref().unwrap_or(""),
                out.estimate.map(fmt).unwrap_or_default(),
                match (out.ci_low, out.ci_high) {
                    (Some(l), Some(h)) => format!(", CI {} to {}", fmt(l), fmt(h)),
                    _ => String::new(),
                },
                out.p
                    .map(|p| format!(", p = {}", fmt(p)))
                    .unwrap_or_default()
            ));
            Verdict::Consistent
        } else {
            reasons.push("the analysis gives no estimate".into());
            Verdict::CannotCheck
        }
    } else {
        Verdict::Inconsistent
    };
    out.reasons = reasons;
    out
}

/// The analysis options a claim set asks for: responder thresholds 50, 75 and those the claims
/// name; the endpoints the claims call higher-is-better; the given baseline and clear value.
pub fn options_for_claims(
    claims: &[Claim],
    baseline: Option<String>,
    clear_value: f64,
) -> AnalysisOptions {
    let mut thresholds = vec![50.0, 75.0];
    thresholds.extend(responder_thresholds(claims));
    thresholds.sort_by(|a, b| a.total_cmp(b));
    thresholds.dedup();
    let mut higher: Vec<String> = claims
        .iter()
        .filter(|c| c.higher_is_better)
        .map(|c| c.endpoint.clone())
        .collect();
    higher.sort();
    higher.dedup();
    AnalysisOptions {
        baseline,
        higher_is_better: higher,
        responder_thresholds: thresholds,
        clear_value,
        ..AnalysisOptions::default()
    }
}

/// The analyses a claim set is compared with: one per confidence level the claims use.
pub fn analyses_for_claims(
    cohort: &Cohort,
    claims: &[Claim],
    options: &AnalysisOptions,
) -> Result<Vec<(f64, Analysis)>, AnalysisError> {
    let mut levels: Vec<f64> = claims.iter().map(|c| c.conf_level).collect();
    levels.sort_by(|a, b| a.total_cmp(b));
    levels.dedup();
    levels
        .into_iter()
        .map(|level| {
            let options = AnalysisOptions {
                conf_level: level,
                ..options.clone()
            };
            analysis::analyze(cohort, &options).map(|a| (level, a))
        })
        .collect()
}

/// The responder thresholds named by rate claims (responder50_rate → 50).
pub fn responder_thresholds(claims: &[Claim]) -> Vec<f64> {
    let mut v: Vec<f64> = claims
        .iter()
        .filter_map(|c| named_responder_threshold(&c.estimand))
        .collect();
    v.sort_by(|a, b| a.total_cmp(b));
    v.dedup();
    v
}
