//! Kaplan–Meier, quantiles, survival at times, log-rank, Cox and exact Poisson intervals against
//! R (survival 3.5.3): script and outputs in tests/reference/survival/ (survival_reference.R).
//! Tolerances: 1e-6 relative (closed forms after sorting; R prints 15 significant digits),
//! 1e-4 for Cox (R's iteration stops at a relative log-likelihood change of 1e-10).

use std::collections::HashMap;
use trialstat::stats::poisson::poisson_exact;
use trialstat::stats::survival::{
    cox, kaplan_meier, kaplan_meier_with, log_rank, ConfType, CoxOptions, Ties,
};

const DIR: &str = "tests/reference/survival";

type Table = Vec<HashMap<String, String>>;

fn read(path: &str) -> Table {
    let mut r = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let headers = r.headers().unwrap().clone();
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            headers
                .iter()
                .zip(rec.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

fn num(s: &str) -> Option<f64> {
    match s {
        "" | "NA" => None,
        "Inf" => Some(f64::INFINITY),
        _ => Some(s.parse().unwrap_or_else(|_| panic!("not a number: {s}"))),
    }
}

fn close(a: Option<f64>, b: Option<f64>, tol: f64, what: &str) {
    match (a, b) {
        (None, None) => {}
        (Some(x), Some(y)) => assert!(
            x == y || (x - y).abs() <= tol * y.abs().max(1e-300) || (x - y).abs() < 1e-14,
            "{what}: ours {x}, R {y}"
        ),
        _ => panic!("{what}: ours {a:?}, R {b:?}"),
    }
}

/// A data set as R saw it: time, event, group label, stratum label, covariates.
struct Set {
    time: Vec<f64>,
    event: Vec<bool>,
    group: Vec<String>,
    stratum: Vec<Option<String>>,
    covs: Vec<Vec<Option<f64>>>,
}

fn set(name: &str) -> Set {
    let (path, time, event, group, strata, covs): (String, &str, &str, &str, &str, Vec<&str>) =
        match name {
            "veteran" => (
                format!("{DIR}/veteran.csv"),
                "time",
                "status",
                "trt",
                "celltype",
                vec!["karno", "age"],
            ),
            "lung" => (
                format!("{DIR}/lung.csv"),
                "time",
                "event",
                "sex",
                "ph.ecog",
                vec!["age", "ph.karno"],
            ),
            _ => (
                "../shared/reference/cdiscpilot01/adtte.csv".to_string(),
                "AVAL",
                "CNSR",
                "TRTP",
                "SEX",
                vec!["AGE"],
            ),
        };
    let rows: Table = read(&path)
        .into_iter()
        .filter(|r| name != "adtte" || (r["PARAMCD"] == "TTDE" && r["SAFFL"] == "Y"))
        .collect();
    Set {
        time: rows.iter().map(|r| num(&r[time]).unwrap()).collect(),
        event: rows
            .iter()
            .map(|r| {
                let v = num(&r[event]).unwrap();
                if name == "adtte" {
                    v == 0.0
                } else {
                    v == 1.0
                }
            })
            .collect(),
        group: rows.iter().map(|r| r[group].clone()).collect(),
        stratum: rows
            .iter()
            .map(|r| Some(r[strata].clone()).filter(|s| !s.is_empty() && s != "NA"))
            .collect(),
        covs: rows
            .iter()
            .map(|r| covs.iter().map(|c| num(&r[*c])).collect())
            .collect(),
    }
}

fn adtte_available() -> bool {
    std::path::Path::new("../shared/reference/cdiscpilot01/adtte.csv").exists()
}

/// Every (data set, group, times, events) of the Kaplan–Meier references (adtte only where
/// `shared/` is beside the repository).
fn km_groups() -> Vec<(String, String, Vec<f64>, Vec<bool>)> {
    let mut out = Vec::new();
    for name in ["veteran", "lung", "adtte"] {
        if name == "adtte" && !adtte_available() {
            continue;
        }
        let s = set(name);
        let mut groups: Vec<&String> = s.group.iter().collect();
        groups.sort();
        groups.dedup();
        for g in groups {
            let idx: Vec<usize> = (0..s.time.len()).filter(|&i| &s.group[i] == g).collect();
            let t: Vec<f64> = idx.iter().map(|&i| s.time[i]).collect();
            let e: Vec<bool> = idx.iter().map(|&i| s.event[i]).collect();
            out.push((name.to_string(), g.clone(), t, e));
        }
    }
    out
}

#[test]
fn kaplan_meier_curves_quantiles_and_times_as_r() {
    let curves = read(&format!("{DIR}/km_curves.csv"));
    let quants = read(&format!("{DIR}/km_quantiles.csv"));
    let at = read(&format!("{DIR}/km_survival_at.csv"));
    let mut checked = 0;
    for (name, g, t, e) in km_groups() {
        let (name, g) = (name.as_str(), &g);
        let km = kaplan_meier(&t, &e, 0.95).unwrap();
        let mine = |r: &&HashMap<String, String>| r["data"] == name && &r["group"] == g;
        let rc: Vec<_> = curves.iter().filter(mine).collect();
        assert_eq!(rc.len(), km.steps.len(), "{name} {g}");
        for (r, st) in rc.iter().zip(&km.steps) {
            let w = format!("{name} {g} t={}", st.time);
            close(Some(st.time), num(&r["time"]), 0.0, &w);
            assert_eq!(st.n_risk as f64, num(&r["n_risk"]).unwrap(), "{w}");
            close(Some(st.surv), num(&r["surv"]), 1e-12, &w);
            close(
                st.se_surv(),
                num(&r["std_err"]).filter(|x| !x.is_nan()),
                1e-10,
                &w,
            );
            close(st.lower, num(&r["lower"]), 1e-10, &w);
            close(st.upper, num(&r["upper"]), 1e-10, &w);
            checked += 1;
        }
        for r in quants.iter().filter(mine) {
            let p = num(&r["prob"]).unwrap();
            let q = km.quantile(p);
            let w = format!("{name} {g} q{p}");
            close(q.estimate, num(&r["quantile"]), 1e-12, &w);
            close(q.lower, num(&r["lower"]), 1e-12, &w);
            close(q.upper, num(&r["upper"]), 1e-12, &w);
            checked += 1;
        }
        for r in at.iter().filter(mine) {
            let t = num(&r["time"]).unwrap();
            let a = km.at(t).unwrap();
            let w = format!("{name} {g} S({t})");
            close(Some(a.surv), num(&r["surv"]), 1e-12, &w);
            close(a.se, num(&r["std_err"]), 1e-10, &w);
            close(a.lower, num(&r["lower"]), 1e-10, &w);
            close(a.upper, num(&r["upper"]), 1e-10, &w);
            checked += 1;
        }
    }
    assert!(checked >= 400, "{checked}");
}

/// `conf.type = "log-log"` (SAS PROC LIFETEST's default): pointwise limits, quartiles with
/// their limits and S(t) at times, against loglog_reference.R.
#[test]
fn kaplan_meier_log_log_as_r() {
    let curves = read(&format!("{DIR}/km_loglog_curves.csv"));
    let quants = read(&format!("{DIR}/km_loglog_quantiles.csv"));
    let at = read(&format!("{DIR}/km_loglog_at.csv"));
    let mut checked = 0;
    for (name, g, t, e) in km_groups() {
        let (name, g) = (name.as_str(), &g);
        let km = kaplan_meier_with(&t, &e, 0.95, ConfType::LogLog).unwrap();
        let mine = |r: &&HashMap<String, String>| r["data"] == name && &r["group"] == g;
        let rc: Vec<_> = curves.iter().filter(mine).collect();
        assert_eq!(rc.len(), km.steps.len(), "{name} {g}");
        for (r, st) in rc.iter().zip(&km.steps) {
            let w = format!("{name} {g} t={}", st.time);
            close(Some(st.surv), num(&r["surv"]), 1e-12, &w);
            close(st.lower, num(&r["lower"]), 1e-10, &w);
            close(st.upper, num(&r["upper"]), 1e-10, &w);
            checked += 1;
        }
        for r in quants.iter().filter(mine) {
            let p = num(&r["prob"]).unwrap();
            let q = km.quantile(p);
            let w = format!("{name} {g} q{p}");
            close(q.estimate, num(&r["quantile"]), 1e-12, &w);
            close(q.lower, num(&r["lower"]), 1e-12, &w);
            close(q.upper, num(&r["upper"]), 1e-12, &w);
            checked += 1;
        }
        for r in at.iter().filter(mine) {
            let t = num(&r["time"]).unwrap();
            let a = km.at(t).unwrap();
            let w = format!("{name} {g} S({t})");
            close(Some(a.surv), num(&r["surv"]), 1e-12, &w);
            close(a.lower, num(&r["lower"]), 1e-10, &w);
            close(a.upper, num(&r["upper"]), 1e-10, &w);
            checked += 1;
        }
    }
    assert!(checked >= 400, "{checked}");
}

/// Labels of the rows kept for a two-arm comparison (control first) and their strata, dropping
/// rows whose stratum or covariate is missing when `complete` says so.
fn two_arms(
    s: &Set,
    control: &str,
    arm: &str,
    need_stratum: bool,
    need_covs: bool,
) -> (Vec<usize>, Vec<usize>, Vec<usize>) {
    let mut keep = Vec::new();
    for i in 0..s.time.len() {
        if s.group[i] != control && s.group[i] != arm {
            continue;
        }
        if need_stratum && s.stratum[i].is_none() {
            continue;
        }
        if need_covs && s.covs[i].iter().any(Option::is_none) {
            continue;
        }
        keep.push(i);
    }
    let groups = keep
        .iter()
        .map(|&i| usize::from(s.group[i] == arm))
        .collect();
    let mut labels: Vec<String> = keep.iter().filter_map(|&i| s.stratum[i].clone()).collect();
    labels.sort();
    labels.dedup();
    let strata = keep
        .iter()
        .map(|&i| {
            s.stratum[i]
                .as_ref()
                .and_then(|x| labels.iter().position(|l| l == x))
                .unwrap_or(0)
        })
        .collect();
    (keep, groups, strata)
}

#[test]
fn log_rank_as_survdiff() {
    let mut checked = 0;
    for r in read(&format!("{DIR}/log_rank.csv")) {
        let name = r["data"].as_str();
        if name == "adtte" && !adtte_available() {
            continue;
        }
        let s = set(name);
        let stratified = r["stratified"] == "TRUE";
        let (keep, groups, strata) = two_arms(&s, &r["control"], &r["arm"], stratified, false);
        let t: Vec<f64> = keep.iter().map(|&i| s.time[i]).collect();
        let e: Vec<bool> = keep.iter().map(|&i| s.event[i]).collect();
        let lr = log_rank(&t, &e, &groups, stratified.then_some(&strata[..])).unwrap();
        let w = format!("{name} {} strat={stratified}", r["arm"]);
        close(lr.chisq, num(&r["chisq"]), 1e-10, &w);
        close(lr.p_value, num(&r["p"]), 1e-8, &w);
        close(Some(lr.observed[1]), num(&r["observed"]), 1e-12, &w);
        close(Some(lr.expected[1]), num(&r["expected"]), 1e-10, &w);
        assert_eq!(lr.df, 1);
        checked += 1;
    }
    assert!(checked >= 8, "{checked}");
}

#[test]
fn cox_as_coxph() {
    let mut checked = 0;
    for r in read(&format!("{DIR}/cox.csv")) {
        let name = r["data"].as_str();
        if name == "adtte" && !adtte_available() {
            continue;
        }
        // one row per term: check the arm term (first) and covariates in order
        let s = set(name);
        let stratified = r["stratified"] == "TRUE";
        let adjusted = r["adjusted"] == "TRUE";
        let (keep, groups, strata) = two_arms(&s, &r["control"], &r["arm"], stratified, adjusted);
        let ncov = if adjusted { s.covs[0].len() } else { 0 };
        let p = 1 + ncov;
        let mut x = Vec::with_capacity(keep.len() * p);
        for (k, &i) in keep.iter().enumerate() {
            x.push(groups[k] as f64);
            for c in 0..ncov {
                x.push(s.covs[i][c].unwrap());
            }
        }
        let t: Vec<f64> = keep.iter().map(|&i| s.time[i]).collect();
        let e: Vec<bool> = keep.iter().map(|&i| s.event[i]).collect();
        let ties = if r["ties"] == "efron" {
            Ties::Efron
        } else {
            Ties::Breslow
        };
        let fit = cox(
            &t,
            &e,
            &x,
            p,
            stratified.then_some(&strata[..]),
            CoxOptions {
                ties,
                ..CoxOptions::default()
            },
        )
        .unwrap();
        assert!(fit.converged);
        let term = r["term"].as_str();
        let j = if term.starts_with('g') {
            0
        } else {
            1 + ["karno", "age", "ph.karno", "AGE"]
                .iter()
                .filter(|c| match name {
                    "veteran" => ["karno", "age"].contains(c),
                    "lung" => ["age", "ph.karno"].contains(c),
                    _ => **c == "AGE",
                })
                .position(|c| *c == term)
                .unwrap()
        };
        let w = format!("{name} {} {term} {:?} strat={stratified}", r["arm"], ties);
        assert_eq!(fit.n as f64, num(&r["n"]).unwrap(), "{w}");
        close(Some(fit.coef[j]), num(&r["coef"]), 1e-4, &w);
        close(Some(fit.se[j]), num(&r["se"]), 1e-4, &w);
        close(Some(fit.loglik.1), num(&r["loglik"]), 1e-8, &w);
        let z = -trialstat::stats::distributions::norm_quantile(0.025);
        close(
            Some((fit.coef[j] - z * fit.se[j]).exp()),
            num(&r["lower"]),
            1e-4,
            &w,
        );
        let pv = 2.0 * trialstat::stats::distributions::norm_sf((fit.coef[j] / fit.se[j]).abs());
        close(Some(pv), num(&r["p"]), 1e-4, &w);
        checked += 1;
    }
    assert!(checked >= 40, "{checked}");
}

#[test]
fn exact_poisson_as_poisson_test() {
    let mut checked = 0;
    for r in read(&format!("{DIR}/poisson_exact.csv")) {
        let x = num(&r["x"]).unwrap() as u64;
        let t = num(&r["exposure"]).unwrap();
        let p = poisson_exact(x, t, 0.95).unwrap();
        let w = format!("x={x} T={t}");
        close(Some(p.rate), num(&r["rate"]), 1e-14, &w);
        close(Some(p.lower), num(&r["lower"]), 1e-10, &w);
        close(Some(p.upper), num(&r["upper"]), 1e-10, &w);
        checked += 1;
    }
    assert!(checked >= 18, "{checked}");
}
