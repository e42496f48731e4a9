//! A mixed model for repeated measures as trials report it: the model built from terms
//! ([`model`]), fitted with `stats::mmrm` (with a stated fallback chain when the requested
//! covariance does not converge), and summarised as PROC MIXED prints it: fixed effects,
//! covariance parameters and matrix, fit statistics, type 3 tests, LS means per arm × visit and
//! their differences against the control arm. Formats nothing.

pub(super) mod analyze;
pub mod model;
pub mod power;

use crate::stats::mmrm::{
    fit, CovStructure, DdfMethod, FitError, Inference, Method, MmrmFit, PatternData, SubjectObs,
};
use model::Design;
use serde::Serialize;
use std::collections::HashMap;

/// What to fit.
#[derive(Debug, Clone)]
pub struct MmrmSpec {
    /// Requested covariance structure.
    pub cov: CovStructure,
    /// Structures tried in turn when the requested one fails (stated in the output).
    pub fallback: Vec<CovStructure>,
    /// REML or ML.
    pub method: Method,
    /// Degrees of freedom.
    pub ddf: DdfMethod,
    /// The arm factor (LS means and differences against its reference level).
    pub arm: Option<String>,
    /// The visit factor's name in the terms.
    pub visit: String,
    /// Confidence level.
    pub conf_level: f64,
}

/// The default fallback chain after UN: heterogeneous Toeplitz, heterogeneous AR(1), CS.
pub const FALLBACK_CHAIN: [CovStructure; 3] = [
    CovStructure::HeteroToeplitz,
    CovStructure::HeteroAr1,
    CovStructure::CompoundSymmetry,
];

/// One estimate row (fixed effect, LS mean or difference).
#[derive(Debug, Clone, Serialize)]
pub struct EstimateRow {
    /// Label (effect and levels).
    pub label: String,
    /// Visit, for LS means and differences.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub visit: Option<String>,
    /// Arm, for LS means and differences.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub arm: Option<String>,
    pub estimate: f64,
    pub se: f64,
    pub df: f64,
    pub t: f64,
    pub p: f64,
    pub lower: f64,
    pub upper: f64,
}

/// A type 3 F test.
#[derive(Debug, Clone, Serialize)]
pub struct Type3Row {
    pub effect: String,
    pub num_df: usize,
    pub den_df: f64,
    pub f: f64,
    pub p: f64,
}

/// A fitted MMRM, summarised.
#[derive(Debug, Clone, Serialize)]
pub struct MmrmReport {
    /// Covariance structure actually used (SAS name).
    pub covariance: String,
    /// Requested structure, when a fallback was used.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub requested_covariance: Option<String>,
    /// Notes: fallbacks and why.
    pub notes: Vec<String>,
    pub method: String,
    pub ddf: String,
    pub conf_level: f64,
    /// References per factor.
    pub references: Vec<(String, String)>,
    pub n_subjects: usize,
    pub n_subjects_used: usize,
    pub n_observations: usize,
    pub rows_left_out: usize,
    pub visits: Vec<String>,
    /// Covariance parameters (SAS names, θ).
    pub covariance_parameters: Vec<(String, f64)>,
    /// Σ̂ (visits × visits).
    pub covariance_matrix: Vec<Vec<f64>>,
    /// Correlations of Σ̂.
    pub correlation_matrix: Vec<Vec<f64>>,
    pub neg2_log_likelihood: f64,
    pub aic: f64,
    pub aicc: f64,
    pub bic: f64,
    pub iterations: usize,
    pub fixed_effects: Vec<EstimateRow>,
    pub type3: Vec<Type3Row>,
    pub ls_means: Vec<EstimateRow>,
    pub differences: Vec<EstimateRow>,
    /// Control arm of the differences.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub control: Option<String>,
}

/// Fit `data` with `spec.cov`, falling back along `spec.fallback` when a structure does not
/// converge or its estimate is on the boundary: the fit and notes saying which structures failed
/// and why (empty when the requested one was used). `visits` names the visits for messages.
/// Errors (for the user): too few observations at a visit, a rank-deficient design, no
/// structure converging. Shared by `trialstat mmrm`, `analyze` and the simulated MMRM power.
pub fn fit_with_fallback(
    data: &PatternData,
    visits: &[String],
    spec: &MmrmSpec,
) -> Result<(MmrmFit, Vec<String>), String> {
    let t = data.n_visits;
    // Each visit needs as many observations as covariance parameters.
    let mut per_visit = vec![0usize; t];
    for pat in &data.patterns {
        for &v in &pat.visits {
            per_visit[v] += pat.n;
        }
    }
    let mut notes = Vec::new();
    let mut chain = vec![spec.cov];
    chain.extend(spec.fallback.iter().copied().filter(|c| *c != spec.cov));
    let mut fitted: Option<MmrmFit> = None;
    for (k, cov) in chain.iter().enumerate() {
        let q = cov.n_params(t);
        if let Some((v, &n)) = per_visit
            .iter()
            .enumerate()
            .find(|(_, &n)| n < q.min(t + 1))
        {
            return Err(format!(
                "visit \"{}\" has {n} observation(s), fewer than the {} covariance parameters need",
                visits[v],
                q.min(t + 1)
            ));
        }
        match fit(data, *cov, spec.method) {
            Ok(f) if f.theta_cov.is_some() || k + 1 == chain.len() => {
                if k > 0 {
                    notes.push(format!(
                        "covariance {} used instead of the requested {} (fallback chain {})",
                        cov.sas_name(),
                        spec.cov.sas_name(),
                        chain.iter().map(|c| c.sas_name()).collect::<Vec<_>>().join(" → ")
                    ));
                }
                fitted = Some(f);
                break;
            }
            Ok(_) => notes.push(format!(
                "{}: the covariance estimate is on the boundary (singular information); trying the next structure",
                cov.sas_name()
            )),
            Err(FitError::SingularDesign) => {
                return Err(
                    "the fixed-effects design is not of full rank (a term is confounded with others, or a factor level combination has no observation)"
                        .to_string(),
                )
            }
            Err(e) => notes.push(format!("{}: {e}; trying the next structure", cov.sas_name())),
        }
    }
    let Some(f) = fitted else {
        return Err(format!(
            "no covariance structure converged ({})",
            notes.join("; ")
        ));
    };
    Ok((f, notes))
}

/// Fit and summarise. Errors are input errors (message for the user).
pub fn fit_design(design: &Design, spec: &MmrmSpec) -> Result<MmrmReport, String> {
    let t = design.visits.len();
    let p = design.columns.len();
    // Patients → observations (visits increasing).
    let mut subj: Vec<SubjectObs> = (0..design.subjects.len())
        .map(|_| SubjectObs {
            visits: vec![],
            y: vec![],
            x: vec![],
        })
        .collect();
    let mut order: Vec<usize> = (0..design.rows.len()).collect();
    order.sort_by_key(|&i| (design.rows[i].0, design.rows[i].1));
    for i in order {
        let (s, v, y, x) = &design.rows[i];
        subj[*s].visits.push(*v);
        subj[*s].y.push(*y);
        subj[*s].x.extend_from_slice(x);
    }
    let data = PatternData::new(t, p, &subj);
    let (f, notes) = fit_with_fallback(&data, &design.visits, spec)?;
    let inf = Inference::new(&data, &f, spec.ddf);
    let est_row = |label: String, visit: Option<String>, arm: Option<String>, l: &[f64]| {
        let c = inf.contrast(l);
        let (lower, upper) = c.ci(spec.conf_level);
        EstimateRow {
            label,
            visit,
            arm,
            estimate: c.estimate,
            se: c.se,
            df: c.df,
            t: c.t,
            p: c.p,
            lower,
            upper,
        }
    };
    let fixed_effects = design
        .columns
        .iter()
        .enumerate()
        .map(|(j, c)| {
            let mut l = vec![0.0; p];
            l[j] = 1.0;
            est_row(c.name.clone(), None, None, &l)
        })
        .collect();
    let type3 = design
        .terms
        .iter()
        .enumerate()
        .map(|(ti, term)| {
            let ft = inf.f_test(&design.type3_rows(ti));
            Type3Row {
                effect: term.join("×"),
                num_df: ft.num_df,
                den_df: ft.den_df,
                f: ft.f,
                p: ft.p,
            }
        })
        .collect();
    // LS means per arm × visit and differences against the control.
    let mut ls_means = Vec::new();
    let mut differences = Vec::new();
    let mut control = None;
    if let Some(arm) = spec.arm.as_ref().and_then(|a| design.factor(a)) {
        let visit = design.factor(&spec.visit);
        let ctrl = arm.reference;
        control = Some(arm.levels[ctrl].clone());
        let visit_levels: Vec<Option<usize>> = match visit {
            Some(v) => (0..v.levels.len()).map(Some).collect(),
            None => vec![None],
        };
        for vl in &visit_levels {
            let effect: Vec<String> = match vl {
                Some(_) => vec![arm.name.clone(), spec.visit.clone()],
                None => vec![arm.name.clone()],
            };
            let vec_at = |a: usize| {
                let mut at = HashMap::new();
                at.insert(arm.name.clone(), a);
                if let Some(v) = vl {
                    at.insert(spec.visit.clone(), *v);
                }
                design.effect_vector(&effect, &at)
            };
            let vname = vl.map(|v| design.visits[v].clone());
            for a in 0..arm.levels.len() {
                ls_means.push(est_row(
                    format!("{} {}", arm.levels[a], vname.as_deref().unwrap_or(""))
                        .trim()
                        .to_string(),
                    vname.clone(),
                    Some(arm.levels[a].clone()),
                    &vec_at(a),
                ));
            }
            let lc = vec_at(ctrl);
            for a in (0..arm.levels.len()).filter(|&a| a != ctrl) {
                let l: Vec<f64> = vec_at(a).iter().zip(&lc).map(|(x, y)| x - y).collect();
                differences.push(est_row(
                    format!(
                        "{} − {} {}",
                        arm.levels[a],
                        arm.levels[ctrl],
                        vname.as_deref().unwrap_or("")
                    )
                    .trim()
                    .to_string(),
                    vname.clone(),
                    Some(arm.levels[a].clone()),
                    &l,
                ));
            }
        }
    }
    let sd: Vec<f64> = (0..t).map(|i| f.sigma[(i, i)].sqrt()).collect();
    Ok(MmrmReport {
        covariance: f.structure.sas_name().to_string(),
        requested_covariance: (f.structure != spec.cov).then(|| spec.cov.sas_name().to_string()),
        notes,
        method: match spec.method {
            Method::Reml => "REML".into(),
            Method::Ml => "ML".into(),
        },
        ddf: spec.ddf.label().to_string(),
        conf_level: spec.conf_level,
        references: design
            .factors
            .iter()
            .map(|fi| (fi.name.clone(), fi.levels[fi.reference].clone()))
            .collect(),
        n_subjects: data.n_subjects,
        n_subjects_used: data.n_subjects_used,
        n_observations: data.n_obs,
        rows_left_out: design.rows_left_out,
        visits: design.visits.clone(),
        covariance_parameters: f
            .structure
            .param_names(t)
            .into_iter()
            .zip(f.theta.iter().copied())
            .collect(),
        covariance_matrix: (0..t)
            .map(|i| (0..t).map(|j| f.sigma[(i, j)]).collect())
            .collect(),
        correlation_matrix: (0..t)
            .map(|i| (0..t).map(|j| f.sigma[(i, j)] / (sd[i] * sd[j])).collect())
            .collect(),
        neg2_log_likelihood: f.stats.neg2ll,
        aic: f.stats.aic,
        aicc: f.stats.aicc,
        bic: f.stats.bic,
        iterations: f.iterations,
        fixed_effects,
        type3,
        ls_means,
        differences,
        control,
    })
}
