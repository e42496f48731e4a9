//! ANCOVA: follow-up ~ baseline + arm (+ covariates), fitted over all arms of one endpoint at
//! one visit; adjusted differences against the control arm and least-squares means per arm
//! (as `emmeans`: baseline and numeric covariates at their means in the fitted data, equal
//! weights over the levels of categorical covariates).

use super::cell::ArmVisit;
use super::row::{Comparison, Measure, Method, Place};
use super::ResultRow;
use crate::data::{Cohort, CovariateValues};
use crate::stats::linear_model::{ancova_one_way, ols};
use crate::stats::ttest::t_from_estimate;
use crate::stats::TestResult;

/// Column layout of one covariate in the design.
enum Term {
    Numeric {
        index: usize,
    },
    /// Dummy columns for levels 1.. of the levels present (level 0 is the reference).
    Categorical {
        index: usize,
        levels: Vec<u32>,
    },
}

/// Rows `mean_change_diff/ancova` (one per non-control arm, comparison `ARM vs CONTROL`) and
/// `ls_mean/ancova` (one per arm, comparison `within`).
pub(super) fn ancova(
    cohort: &Cohort,
    endpoint: &str,
    visit: &str,
    cells: &[ArmVisit],
    control: usize,
    conf_level: f64,
) -> Vec<ResultRow> {
    let arms = cells.len();
    // Patients with every covariate present.
    let mut y = Vec::new();
    let mut base = Vec::new();
    let mut arm_of = Vec::new();
    let mut pats = Vec::new();
    let mut dropped_covariate = 0;
    for (a, cell) in cells.iter().enumerate() {
        for (i, &p) in cell.patients.iter().enumerate() {
            let complete = cohort.covariates.iter().all(|c| match &c.values {
                CovariateValues::Numeric(v) => v[p].is_some(),
                CovariateValues::Categorical { codes, .. } => codes[p].is_some(),
            });
            if !complete {
                dropped_covariate += 1;
                continue;
            }
            y.push(cell.follow[i]);
            base.push(cell.base[i]);
            arm_of.push(a);
            pats.push(p);
        }
    }
    let present: Vec<usize> = (0..arms).filter(|a| arm_of.contains(a)).collect();
    // Design: intercept, baseline, a dummy per present non-control arm, covariate columns.
    let dummies: Vec<usize> = present.iter().copied().filter(|&a| a != control).collect();
    let mut terms = Vec::new();
    let mut p = 2 + dummies.len();
    for (ci, c) in cohort.covariates.iter().enumerate() {
        match &c.values {
            CovariateValues::Numeric(_) => {
                terms.push(Term::Numeric { index: ci });
                p += 1;
            }
            CovariateValues::Categorical { codes, .. } => {
                let mut levels: Vec<u32> = pats.iter().filter_map(|&q| codes[q]).collect();
                levels.sort_unstable();
                levels.dedup();
                p += levels.len().saturating_sub(1);
                terms.push(Term::Categorical { index: ci, levels });
            }
        }
    }
    let n = y.len();
    let covariate_names: Vec<&str> = cohort.covariates.iter().map(|c| c.name.as_str()).collect();
    let mut model_note = format!(
        "ANCOVA {visit} ~ baseline + arm{} over {} arm(s), {n} patient(s)",
        covariate_names
            .iter()
            .map(|c| format!(" + {c}"))
            .collect::<String>(),
        present.len()
    );
    if dropped_covariate > 0 {
        model_note.push_str(&format!(
            "; {dropped_covariate} patient(s) without a covariate value left out"
        ));
    }
    let control_name = &cohort.arms[control];
    let count = |a: usize| arm_of.iter().filter(|&&x| x == a).count();
    let fit = if !present.contains(&control) {
        Err("no control-arm patients".to_string())
    } else if cohort.covariates.is_empty() {
        // follow-up ~ baseline + arm: the closed form (the same least-squares fit, O(n)).
        let groups: Vec<(&[f64], &[f64])> = present
            .iter()
            .map(|&a| (cells[a].base.as_slice(), cells[a].follow.as_slice()))
            .collect();
        let reference = present.iter().position(|&a| a == control).unwrap_or(0);
        ancova_one_way(&groups, reference).map_err(|e| e.to_string())
    } else {
        // Column-major: intercept, baseline, arm dummies, then the covariate columns.
        let mut design = Vec::with_capacity(n * p);
        design.resize(n, 1.0);
        design.extend_from_slice(&base);
        for &a in &dummies {
            design.extend(arm_of.iter().map(|&x| if x == a { 1.0 } else { 0.0 }));
        }
        for t in &terms {
            match t {
                Term::Numeric { index } => {
                    let CovariateValues::Numeric(v) = &cohort.covariates[*index].values else {
                        unreachable!()
                    };
                    design.extend(pats.iter().map(|&q| v[q].unwrap_or(0.0)));
                }
                Term::Categorical { index, levels } => {
                    let CovariateValues::Categorical { codes, .. } =
                        &cohort.covariates[*index].values
                    else {
                        unreachable!()
                    };
                    for l in &levels[1..] {
                        design.extend(pats.iter().map(|&q| {
                            if codes[q] == Some(*l) {
                                1.0
                            } else {
                                0.0
                            }
                        }));
                    }
                }
            }
        }
        ols(design, n, p, &y).map_err(|e| e.to_string())
    };
    let mut rows = Vec::new();
    match fit {
        Ok(fit) => {
            let mean_base = base.iter().sum::<f64>() / n as f64;
            // Reference-grid averages of the covariate columns.
            let mut cov_part = Vec::new();
            for t in &terms {
                match t {
                    Term::Numeric { index } => {
                        let CovariateValues::Numeric(v) = &cohort.covariates[*index].values else {
                            unreachable!()
                        };
                        cov_part.push(
                            pats.iter().map(|&q| v[q].unwrap_or(0.0)).sum::<f64>() / n as f64,
                        );
                    }
                    Term::Categorical { levels, .. } => {
                        for _ in &levels[1..] {
                            cov_part.push(1.0 / levels.len() as f64);
                        }
                    }
                }
            }
            for (a, cell) in cells.iter().enumerate() {
                let arm = &cohort.arms[a];
                if !present.contains(&a) {
                    continue;
                }
                let mut c = vec![1.0, mean_base];
                c.extend(dummies.iter().map(|&d| if d == a { 1.0 } else { 0.0 }));
                c.extend(&cov_part);
                let (est, se) = fit.contrast(&c);
                let r = t_from_estimate(
                    est,
                    se,
                    fit.df_residual,
                    conf_level,
                    "least-squares mean",
                    false,
                );
                let r = with_n(r, count(a));
                rows.push(
                    Place {
                        endpoint,
                        arm,
                        visit,
                        comparison: Comparison::Within,
                    }
                    .row(
                        Measure::LsMean,
                        Method::Ancova,
                        r,
                        count(a),
                        cell.with_data - count(a),
                        &[model_note.clone()],
                    ),
                );
            }
            for (j, &a) in dummies.iter().enumerate() {
                let arm = &cohort.arms[a];
                let mut c = vec![0.0; p];
                c[2 + j] = 1.0;
                let (est, se) = fit.contrast(&c);
                let r = t_from_estimate(
                    est,
                    se,
                    fit.df_residual,
                    conf_level,
                    "adjusted difference",
                    true,
                );
                let m = count(a) + count(control);
                let r = with_n(r, m);
                let left = cells[a].with_data + cells[control].with_data - m;
                rows.push(
                    Place {
                        endpoint,
                        arm,
                        visit,
                        comparison: Comparison::Versus(control_name.clone()),
                    }
                    .row(
                        Measure::MeanChangeDiff,
                        Method::Ancova,
                        r,
                        m,
                        left,
                        &[model_note.clone()],
                    ),
                );
            }
        }
        Err(why) => {
            for (a, cell) in cells.iter().enumerate() {
                if a == control {
                    continue;
                }
                let arm = &cohort.arms[a];
                let r = TestResult::empty(0, crate::stats::Alternative::TwoSided);
                let note = format!("ANCOVA not fitted: {why}");
                let m = count(a) + count(control);
                rows.push(
                    Place {
                        endpoint,
                        arm,
                        visit,
                        comparison: Comparison::Versus(control_name.clone()),
                    }
                    .row(
                        Measure::MeanChangeDiff,
                        Method::Ancova,
                        r,
                        m,
                        cell.with_data + cells[control].with_data - m,
                        &[note],
                    ),
                );
            }
        }
    }
    rows
}

fn with_n(mut r: TestResult, n: usize) -> TestResult {
    r.n_used = n;
    r
}
