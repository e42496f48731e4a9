//! The MMRM rows of `trialstat analyze`: for an endpoint with at least two follow-up visits and
//! a control arm, change ~ baseline + arm + visit + arm×visit + baseline×visit (+ covariates),
//! unstructured covariance (fallback chain stated), REML, Kenward–Roger df; rows
//! `ls_mean_change/mmrm` per arm × visit and `mean_change_diff/mmrm` per arm vs control × visit.
//! The values used are the cells' values under `--missing` (complete cases by default: the
//! observed changes, the MMRM's missing-at-random analysis).

use super::model::{build, LongTable, Variable};
use super::{fit_design, MmrmSpec, FALLBACK_CHAIN};
use crate::analysis::endpoint::{EndpointAnalysis, EndpointVisits, Plan};
use crate::analysis::row::{Comparison, Measure, Method, Place};
use crate::analysis::ResultRow;
use crate::data::CovariateValues;
use crate::stats::mmrm::{CovStructure, DdfMethod, Method as EstMethod};
use crate::stats::ttest::t_from_estimate;
use crate::stats::{DfMethod, TestResult};
use std::collections::HashMap;

/// The `analyze` MMRM (listed in `ENDPOINT_ANALYSES`).
pub(in crate::analysis) struct MmrmRows;

impl EndpointAnalysis for MmrmRows {
    fn applies(&self, plan: &Plan, _endpoint: usize) -> bool {
        plan.control.is_some() && plan.follow_ups.len() >= 2
    }

    fn rows(&self, input: &EndpointVisits) -> Vec<ResultRow> {
        let plan = input.plan;
        let cohort = plan.cohort;
        let Some(control) = plan.control else {
            return Vec::new();
        };
        let endpoint = &cohort.endpoints[input.endpoint];
        let visit_names: Vec<String> = plan
            .follow_ups
            .iter()
            .map(|&v| cohort.visits[v].name.clone())
            .collect();
        // The long table.
        let mut subject = Vec::new();
        let mut visit = Vec::new();
        let mut y = Vec::new();
        let mut baseline = Vec::new();
        let mut arm = Vec::new();
        let mut covs: Vec<Vec<Option<f64>>> = vec![Vec::new(); cohort.covariates.len()];
        let mut cov_levels: Vec<Vec<Option<String>>> = vec![Vec::new(); cohort.covariates.len()];
        let mut with_value: Vec<Vec<bool>> =
            vec![vec![false; cohort.patients.len()]; cohort.arms.len()];
        for (i, arms) in input.cells.iter().enumerate() {
            for (a, cell) in arms.iter().enumerate() {
                for (k, &p) in cell.patients.iter().enumerate() {
                    subject.push(p.to_string());
                    visit.push(visit_names[i].clone());
                    y.push(Some(cell.follow[k] - cell.base[k]));
                    baseline.push(Some(cell.base[k]));
                    arm.push(Some(cohort.arms[a].clone()));
                    with_value[a][p] = true;
                    for (c, cov) in cohort.covariates.iter().enumerate() {
                        match &cov.values {
                            CovariateValues::Numeric(v) => {
                                covs[c].push(v[p]);
                                cov_levels[c].push(None);
                            }
                            CovariateValues::Categorical { levels, codes } => {
                                covs[c].push(None);
                                cov_levels[c].push(codes[p].map(|x| levels[x as usize].clone()));
                            }
                        }
                    }
                }
            }
        }
        let mut variables = vec![
            ("baseline".to_string(), Variable::Numeric(baseline)),
            ("arm".to_string(), Variable::Factor(arm)),
        ];
        let mut terms: Vec<Vec<String>> = vec![
            vec!["baseline".into()],
            vec!["arm".into()],
            vec!["visit".into()],
            vec!["arm".into(), "visit".into()],
            vec!["baseline".into(), "visit".into()],
        ];
        for (c, cov) in cohort.covariates.iter().enumerate() {
            let name = format!("covariate {}", cov.name);
            let var = match cov.values {
                CovariateValues::Numeric(_) => Variable::Numeric(std::mem::take(&mut covs[c])),
                CovariateValues::Categorical { .. } => {
                    Variable::Factor(std::mem::take(&mut cov_levels[c]))
                }
            };
            variables.push((name.clone(), var));
            terms.push(vec![name]);
        }
        let table = LongTable {
            source: cohort.source.path.display().to_string(),
            subject,
            visit,
            y,
            variables,
            visit_order: Some(visit_names.clone()),
        };
        let mut refs = HashMap::new();
        refs.insert("arm".to_string(), cohort.arms[control].clone());
        let spec = MmrmSpec {
            cov: CovStructure::Unstructured,
            fallback: FALLBACK_CHAIN.to_vec(),
            method: EstMethod::Reml,
            ddf: DdfMethod::KenwardRoger,
            arm: Some("arm".into()),
            visit: "visit".into(),
            conf_level: plan.options.conf_level,
        };
        let covariate_part: String = cohort
            .covariates
            .iter()
            .map(|c| format!(" + {}", c.name))
            .collect();
        let arm_n = |a: usize| with_value[a].iter().filter(|&&b| b).count();
        let result = build(&table, &terms, "visit", &refs).and_then(|d| fit_design(&d, &spec));
        let mut rows = Vec::new();
        match result {
            Ok(report) => {
                let mut note = format!(
                    "MMRM: change ~ baseline + arm + visit + arm×visit + baseline×visit{covariate_part}, {} covariance, REML, Kenward–Roger df and SE; LS means at the mean baseline",
                    report.covariance
                );
                for n in &report.notes {
                    note.push_str("; ");
                    note.push_str(n);
                }
                let result_of = |e: &super::EstimateRow, label, test| {
                    let mut r =
                        t_from_estimate(e.estimate, e.se, e.df, spec.conf_level, label, test);
                    if let Some(df) = r.df.as_mut() {
                        df.method = DfMethod::KenwardRoger;
                    }
                    r
                };
                for e in &report.ls_means {
                    let (Some(v), Some(a)) = (&e.visit, &e.arm) else {
                        continue;
                    };
                    let Some(ai) = cohort.arms.iter().position(|x| x == a) else {
                        continue;
                    };
                    let n = arm_n(ai);
                    let mut r = result_of(e, "LS mean change", false);
                    r.n_used = n;
                    let left = input.cells[0][ai].with_data.saturating_sub(n);
                    rows.push(
                        Place {
                            endpoint,
                            arm: &cohort.arms[ai],
                            visit: v,
                            comparison: Comparison::Within,
                        }
                        .row(
                            Measure::LsMeanChange,
                            Method::Mmrm,
                            r,
                            n,
                            left,
                            &[note.clone()],
                        ),
                    );
                }
                for e in &report.differences {
                    let (Some(v), Some(a)) = (&e.visit, &e.arm) else {
                        continue;
                    };
                    let Some(ai) = cohort.arms.iter().position(|x| x == a) else {
                        continue;
                    };
                    let n = arm_n(ai) + arm_n(control);
                    let mut r = result_of(e, "difference in LS mean change", true);
                    r.n_used = n;
                    let left = (input.cells[0][ai].with_data + input.cells[0][control].with_data)
                        .saturating_sub(n);
                    rows.push(
                        Place {
                            endpoint,
                            arm: &cohort.arms[ai],
                            visit: v,
                            comparison: Comparison::Versus(cohort.arms[control].clone()),
                        }
                        .row(
                            Measure::MeanChangeDiff,
                            Method::Mmrm,
                            r,
                            n,
                            left,
                            &[note.clone()],
                        ),
                    );
                }
            }
            Err(why) => {
                for a in (0..cohort.arms.len()).filter(|&a| a != control) {
                    for v in &visit_names {
                        let n = arm_n(a) + arm_n(control);
                        rows.push(
                            Place {
                                endpoint,
                                arm: &cohort.arms[a],
                                visit: v,
                                comparison: Comparison::Versus(cohort.arms[control].clone()),
                            }
                            .row(
                                Measure::MeanChangeDiff,
                                Method::Mmrm,
                                TestResult::empty(0, crate::stats::Alternative::TwoSided),
                                n,
                                0,
                                &[format!("MMRM not fitted: {why}")],
                            ),
                        );
                    }
                }
            }
        }
        rows
    }
}
