//! The comparison of each claim with the analysis of a data file: the row (or cell) the claim
//! names, and whether its estimate, interval, p, SD, k and n round to what was reported.
//!
//! Result rows are looked up in one place only, [`find_row`]. Reads no files; the findings are
//! typed ([`DataReason`]), the sentences are `report::claims`'s.

use super::checks::ClaimCheck;
use super::estimand::{default_method, is_rate_estimand, named_responder_threshold};
use super::finding::DataReason;
use super::rounding::same_level;
use super::schema::{Claim, SampleSize};
use super::verdict::Verdict;
use crate::analysis::{
    self, Analysis, AnalysisError, AnalysisOptions, Comparison, Estimand, Method, ResultRow, RowKey,
};
use crate::data::Cohort;

/// The claim beside the analysis of a data file.
#[derive(Debug, Clone, PartialEq)]
pub struct DataComparison {
    pub method: Option<String>,
    pub estimate: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    pub p: Option<f64>,
    pub n: Option<usize>,
    pub verdict: Verdict,
    pub reasons: Vec<DataReason>,
}

impl DataComparison {
    /// Nothing found yet.
    fn empty() -> DataComparison {
        DataComparison {
            method: None,
            estimate: None,
            ci_low: None,
            ci_high: None,
            p: None,
            n: None,
            verdict: Verdict::CannotCheck,
            reasons: Vec::new(),
        }
    }

    fn cannot_check(reason: DataReason) -> DataComparison {
        DataComparison {
            reasons: vec![reason],
            ..DataComparison::empty()
        }
    }
}

/// The analysis' row a claim is compared with, by `method`: the one place where claims look a
/// result row up.
pub fn find_row<'a>(analysis: &'a Analysis, claim: &Claim, method: &str) -> Option<&'a ResultRow> {
    // A name that is not in the results table names no row.
    let key = RowKey {
        endpoint: claim.endpoint.clone(),
        arm: claim.arm.clone(),
        visit: claim.visit.clone(),
        comparison: match &claim.control {
            Some(control) => Comparison::Versus(control.clone()),
            None => Comparison::Within,
        },
        estimand: claim.estimand.parse::<Estimand>().ok()?,
        method: method.parse::<Method>().ok()?,
    };
    analysis.row(&key)
}

/// Set every claim beside the analysis of a data set (one analysis per confidence level used).
pub fn compare_with_data(checks: &mut [ClaimCheck], analyses: &[(f64, Analysis)]) {
    for ck in checks.iter_mut() {
        let c = &ck.claim;
        let Some((_, analysis)) = analyses.iter().find(|(l, _)| same_level(*l, c.conf_level))
        else {
            continue;
        };
        let cmp = compare_one(c, analysis);
        ck.verdict = ck.verdict.with_data(cmp.verdict);
        ck.data = Some(cmp);
    }
}

/// The factor from the results table's 0–1 scale to the reported one (100 when a rate is
/// reported in percent).
fn reported_scale(c: &Claim, percent: bool, value: f64) -> f64 {
    if is_rate_estimand(&c.estimand) && (percent || value > 1.0) {
        100.0
    } else {
        1.0
    }
}

fn compare_one(c: &Claim, a: &Analysis) -> DataComparison {
    let mut reasons = Vec::new();
    let mut out = DataComparison::empty();
    if matches!(c.estimand.as_str(), "mean" | "sd") {
        let Some(cell) = a
            .cells
            .iter()
            .find(|x| x.endpoint == c.endpoint && x.arm == c.arm && x.visit == c.visit)
        else {
            return DataComparison::cannot_check(DataReason::NoCell {
                endpoint: c.endpoint.clone(),
                arm: c.arm.clone(),
                visit: c.visit.clone(),
                follow_up_visits: a.follow_up_visits.clone(),
            });
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
                    reasons.push(DataReason::SdDiffers {
                        data: v,
                        reported: sd.clone(),
                    });
                }
            }
        }
    } else {
        let method = c
            .method
            .clone()
            .or_else(|| default_method(&c.estimand).map(String::from));
        let Some(method) = method else {
            return DataComparison::cannot_check(DataReason::NoDefaultMethod {
                estimand: c.estimand.clone(),
            });
        };
        let Some(row) = find_row(a, c, &method) else {
            return DataComparison::cannot_check(DataReason::NoRow {
                endpoint: c.endpoint.clone(),
                arm: c.arm.clone(),
                visit: c.visit.clone(),
                comparison: c.comparison(),
                estimand: c.estimand.clone(),
                method,
            });
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
                Some(p) => reasons.push(DataReason::PDiffers {
                    data: p,
                    reported: rp.clone(),
                }),
                None => reasons.push(DataReason::NoPValue),
            }
        }
        if let (Some(k), Some(est)) = (c.k, out.estimate) {
            let got = (est * row.n as f64).round() as usize;
            if got != k {
                reasons.push(DataReason::CountDiffers {
                    data: got,
                    n: row.n,
                    reported: k,
                });
            }
        }
        if let Some(sd) = &c.sd {
            if c.estimand == "mean_pct_change" || c.estimand == "mean_change" {
                let cell_sd = a
                    .patients
                    .iter()
                    .filter(|p| {
                        *p.endpoint == *c.endpoint && *p.arm == *c.arm && *p.visit == *c.visit
                    })
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
                        reasons.push(DataReason::SdDiffers {
                            data: s,
                            reported: sd.clone(),
                        });
                    }
                }
            }
        }
        if let (Some((lo, hi)), Some(l), Some(h)) = (&c.ci, out.ci_low, out.ci_high) {
            let scale = reported_scale(c, lo.percent || hi.percent, hi.value);
            if !lo.matches(l * scale) || !hi.matches(h * scale) {
                reasons.push(DataReason::IntervalDiffers {
                    low: l * scale,
                    high: h * scale,
                    reported: (lo.clone(), hi.clone()),
                });
            }
        }
    }
    if let (Some(e), Some(v)) = (&c.estimate, out.estimate) {
        let scale = reported_scale(c, e.percent, e.value);
        if !e.matches(v * scale) {
            reasons.push(DataReason::EstimateDiffers {
                data: v * scale,
                reported: e.clone(),
            });
        }
    }
    if let (Some(SampleSize::One(n)), Some(got)) = (c.n, out.n) {
        if n != got {
            reasons.push(DataReason::NDiffers {
                data: got,
                reported: n,
            });
        }
    }
    if let (Some(SampleSize::Two(x, y)), Some(got)) = (c.n, out.n) {
        if x + y != got {
            reasons.push(DataReason::NDiffers {
                data: got,
                reported: x + y,
            });
        }
    }
    out.verdict = if reasons.is_empty() {
        if let Some(estimate) = out.estimate {
            reasons.push(DataReason::Reproduced {
                method: out.method.clone().unwrap_or_default(),
                estimate,
                ci: out.ci_low.zip(out.ci_high),
                p: out.p,
            });
            Verdict::Consistent
        } else {
            reasons.push(DataReason::NoEstimate);
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
