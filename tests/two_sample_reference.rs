//! Two-sample and 2 × 2 routines against R. Reference values:
//! tests/reference/two_sample_reference.R (output: two_sample_reference.csv).
#![allow(clippy::needless_range_loop)]

mod common;
use common::*;
use std::collections::BTreeMap;
use trialstat::stats::{effect_size, fisher, mann_whitney, proportion, ttest, IntervalMethod};

type Ref = BTreeMap<(String, String), String>;

fn reference() -> Ref {
    read_reference(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/reference/two_sample_reference.csv"
    ))
}

fn get(r: &Ref, case: &str, q: &str) -> Option<f64> {
    r.get(&(case.to_string(), q.to_string())).map(|v| {
        if v == "Inf" {
            f64::INFINITY
        } else {
            v.parse().unwrap()
        }
    })
}

fn vector(r: &Ref, case: &str, q: &str) -> Vec<f64> {
    r[&(case.to_string(), q.to_string())]
        .split(' ')
        .map(|s| s.parse().unwrap())
        .collect()
}

fn pairs(r: &Ref) -> Vec<(String, Vec<f64>, Vec<f64>)> {
    r.keys()
        .filter(|(_, q)| q == "x")
        .map(|(c, _)| (c.clone(), vector(r, c, "x"), vector(r, c, "y")))
        .collect()
}

#[test]
fn welch_and_student_match_r() {
    let r = reference();
    let mut n = 0;
    for (name, x, y) in pairs(&r) {
        for cl in [0.95, 0.9] {
            let tag = format!("{name}@{cl}");
            for (pooled, key) in [(false, "welch"), (true, "student")] {
                let res = ttest::two_sample_t(&x, &y, cl, pooled, "diff");
                let ci = res.interval.as_ref().unwrap();
                assert_close(
                    &format!("{tag} {key} low"),
                    ci.lower,
                    get(&r, &tag, &format!("{key}.ci[1]")).unwrap(),
                    TOL_CLOSED,
                );
                assert_close(
                    &format!("{tag} {key} high"),
                    ci.upper,
                    get(&r, &tag, &format!("{key}.ci[2]")).unwrap(),
                    TOL_CLOSED,
                );
                assert_close(
                    &format!("{tag} {key} t"),
                    res.statistic.as_ref().unwrap().value,
                    get(&r, &tag, &format!("{key}.t")).unwrap(),
                    TOL_CLOSED,
                );
                assert_close(
                    &format!("{tag} {key} df"),
                    res.df.as_ref().unwrap().value,
                    get(&r, &tag, &format!("{key}.df")).unwrap(),
                    TOL_CLOSED,
                );
                assert_close(
                    &format!("{tag} {key} p"),
                    res.p_value.unwrap(),
                    get(&r, &tag, &format!("{key}.p")).unwrap(),
                    TOL_CLOSED,
                );
                n += 1;
            }
        }
    }
    assert_eq!(n, 20);
}

#[test]
fn mann_whitney_matches_r() {
    let r = reference();
    let (mut exact, mut normal) = (0, 0);
    for (name, x, y) in pairs(&r) {
        for cl in [0.95, 0.9] {
            let tag = format!("{name}@{cl}");
            let res = mann_whitney::rank_sum(&x, &y, cl, "shift");
            assert_eq!(
                res.statistic.as_ref().unwrap().value,
                get(&r, &tag, "mw.W").unwrap(),
                "{tag} W"
            );
            assert_close(
                &format!("{tag} p"),
                res.p_value.unwrap(),
                get(&r, &tag, "mw.p").unwrap(),
                TOL_CLOSED,
            );
            let ci = res.interval.as_ref().unwrap();
            assert_close(
                &format!("{tag} low"),
                ci.lower,
                get(&r, &tag, "mw.ci[1]").unwrap(),
                TOL_CLOSED,
            );
            assert_close(
                &format!("{tag} high"),
                ci.upper,
                get(&r, &tag, "mw.ci[2]").unwrap(),
                TOL_CLOSED,
            );
            assert_close(
                &format!("{tag} level"),
                ci.level,
                get(&r, &tag, "mw.conf_level").unwrap(),
                TOL_CLOSED,
            );
            let est = res.estimate.as_ref().unwrap().value;
            assert_close(
                &format!("{tag} HL"),
                est,
                get(&r, &tag, "mw.hl_median").unwrap(),
                TOL_CLOSED,
            );
            let r_est = get(&r, &tag, "mw.r_estimate").unwrap();
            if ci.method == IntervalMethod::MannWhitneyExact {
                assert_close(&format!("{tag} R estimate"), est, r_est, TOL_CLOSED);
                exact += 1;
            } else {
                let (lo, hi) = (
                    get(&r, &tag, "mw.middle[1]").unwrap(),
                    get(&r, &tag, "mw.middle[2]").unwrap(),
                );
                assert!(
                    r_est >= lo - TOL_R_UNIROOT_ESTIMATE && r_est <= hi + TOL_R_UNIROOT_ESTIMATE,
                    "{tag}: R {r_est} outside [{lo}, {hi}]"
                );
                normal += 1;
            }
        }
    }
    assert!(exact >= 4 && normal >= 4, "exact {exact} normal {normal}");
}

#[test]
fn hedges_g_matches_r() {
    let r = reference();
    for (name, x, y) in pairs(&r) {
        for cl in [0.95, 0.9] {
            let tag = format!("{name}@{cl}");
            let res = effect_size::hedges_g(&x, &y, cl);
            let got = [
                res.estimate.as_ref().unwrap().value,
                res.interval.as_ref().unwrap().lower,
                res.interval.as_ref().unwrap().upper,
            ];
            for i in 0..3 {
                assert_close(
                    &format!("{tag} g[{i}] (uniroot)"),
                    got[i],
                    get(&r, &tag, &format!("g.uniroot[{}]", i + 1)).unwrap(),
                    TOL_ROOT,
                );
                assert_close(
                    &format!("{tag} g[{i}] (effectsize)"),
                    got[i],
                    get(&r, &tag, &format!("g.effectsize[{}]", i + 1)).unwrap(),
                    TOL_EFFECTSIZE,
                );
            }
        }
    }
}

#[test]
fn two_by_two_tables_match_r() {
    let r = reference();
    let mut n = 0;
    for (case, q) in r.keys() {
        if !case.starts_with("tab@") || q != "fisher.p" {
            continue;
        }
        let parts: Vec<&str> = case.split('@').collect();
        let t: Vec<usize> = parts[1..5].iter().map(|s| s.parse().unwrap()).collect();
        let cl: f64 = parts[5].parse().unwrap();
        let f = fisher::fisher_exact(t[0], t[1], t[2], t[3], cl, "or");
        assert_close(
            &format!("{case} p"),
            f.p_value.unwrap(),
            get(&r, case, "fisher.p").unwrap(),
            TOL_CLOSED,
        );
        let got = [
            f.estimate.as_ref().unwrap().value,
            f.interval.as_ref().unwrap().lower,
            f.interval.as_ref().unwrap().upper,
        ];
        for i in 0..3 {
            assert_close(
                &format!("{case} fisher[{i}] (tight)"),
                got[i],
                get(&r, case, &format!("fisher.tight[{}]", i + 1)).unwrap(),
                TOL_ROOT,
            );
            // R's uniroot works on t below 1 and on 1/t above 1, with an absolute tolerance.
            let want = get(&r, case, &format!("fisher.r[{}]", i + 1)).unwrap();
            let scale = if want > 0.0 && want.is_finite() {
                want.max(1.0 / want)
            } else {
                1.0
            };
            assert_close(
                &format!("{case} fisher[{i}] (fisher.test)"),
                got[i],
                want,
                TOL_FISHER_DEFAULT * scale,
            );
        }
        let (n1, n2) = (t[0] + t[1], t[2] + t[3]);
        let w1 = proportion::wilson(t[0], n1, cl).unwrap();
        assert_close(
            &format!("{case} wilson low"),
            w1.0,
            get(&r, case, "wilson1[1]").unwrap(),
            TOL_CLOSED,
        );
        assert_close(
            &format!("{case} wilson high"),
            w1.1,
            get(&r, case, "wilson1[2]").unwrap(),
            TOL_CLOSED,
        );
        let nc = proportion::newcombe_difference(t[0], n1, t[2], n2, cl, "diff");
        let got = [
            nc.estimate.as_ref().unwrap().value,
            nc.interval.as_ref().unwrap().lower,
            nc.interval.as_ref().unwrap().upper,
        ];
        for i in 0..3 {
            assert_close(
                &format!("{case} newcombe[{i}]"),
                got[i],
                get(&r, case, &format!("newcombe[{}]", i + 1)).unwrap(),
                TOL_CLOSED,
            );
        }
        let rr = proportion::risk_ratio_log(t[0], n1, t[2], n2, cl, "rr");
        match get(&r, case, "rr_log[1]") {
            Some(want) => {
                assert_close(
                    &format!("{case} rr"),
                    rr.estimate.as_ref().unwrap().value,
                    want,
                    TOL_CLOSED,
                );
                assert_close(
                    &format!("{case} rr low"),
                    rr.interval.as_ref().unwrap().lower,
                    get(&r, case, "rr_log[2]").unwrap(),
                    TOL_CLOSED,
                );
                assert_close(
                    &format!("{case} rr high"),
                    rr.interval.as_ref().unwrap().upper,
                    get(&r, case, "rr_log[3]").unwrap(),
                    TOL_CLOSED,
                );
            }
            None => assert!(
                rr.interval.is_none(),
                "{case}: a zero cell has no log interval"
            ),
        }
        n += 1;
    }
    assert_eq!(n, 16);
}

/// p.adjust, every method, five vectors (ties, n = 2, tiny p). Reference:
/// tests/reference/multiplicity_reference.R.
#[test]
fn p_adjust_matches_r() {
    use trialstat::stats::multiplicity::{p_adjust, AdjustMethod};
    let r = read_reference(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/reference/multiplicity_reference.csv"
    ));
    let mut n = 0;
    for ((case, q), v) in &r {
        let method = match q.as_str() {
            "holm" => AdjustMethod::Holm,
            "hochberg" => AdjustMethod::Hochberg,
            "hommel" => AdjustMethod::Hommel,
            "bonferroni" => AdjustMethod::Bonferroni,
            "bh" => AdjustMethod::Bh,
            "by" => AdjustMethod::By,
            _ => continue,
        };
        let p: Vec<f64> = r[&(case.clone(), "p".to_string())]
            .split(' ')
            .map(|s| s.parse().unwrap())
            .collect();
        let want: Vec<f64> = v.split(' ').map(|s| s.parse().unwrap()).collect();
        let got = p_adjust(&p, method);
        for (g, w) in got.iter().zip(&want) {
            assert_close(&format!("{case} {q}"), *g, *w, TOL_CLOSED);
        }
        n += 1;
    }
    assert_eq!(n, 30);
}
