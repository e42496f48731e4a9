//! The stats routines against R. Reference values: tests/reference/stats_reference.R
//! (output committed as tests/reference/stats_reference.csv).

mod common;
use common::*;
use std::collections::BTreeMap;
use trialstat::stats::{distributions, effect_size, noncentral_t, proportion, ttest, wilcoxon};
use trialstat::stats::{Alternative, IntervalMethod, PValueMethod};

type Ref = BTreeMap<(String, String), String>;

fn reference() -> Ref {
    read_reference(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/reference/stats_reference.csv"
    ))
}

fn get(r: &Ref, case: &str, q: &str) -> Option<f64> {
    r.get(&(case.to_string(), q.to_string()))
        .map(|v| v.parse().unwrap())
}

fn cases(r: &Ref) -> Vec<(String, Vec<f64>)> {
    r.iter()
        .filter(|((_, q), _)| q == "x")
        .map(|((c, _), v)| {
            (
                c.clone(),
                v.split(' ').map(|s| s.parse().unwrap()).collect(),
            )
        })
        .collect()
}

#[test]
fn t_test_matches_r() {
    let r = reference();
    let mut checked = 0;
    for (name, x) in cases(&r) {
        for cl in [0.95, 0.9] {
            let tag = format!("{name}@{cl}");
            let Some(est) = get(&r, &tag, "t.estimate") else {
                continue;
            };
            let res = ttest::one_sample_t(&x, 0.0, cl, Alternative::TwoSided, "mean");
            assert_close(
                &format!("{tag} estimate"),
                res.estimate.unwrap().value,
                est,
                TOL_CLOSED,
            );
            let ci = res.interval.unwrap();
            assert_close(
                &format!("{tag} ci low"),
                ci.lower,
                get(&r, &tag, "t.ci[1]").unwrap(),
                TOL_CLOSED,
            );
            assert_close(
                &format!("{tag} ci high"),
                ci.upper,
                get(&r, &tag, "t.ci[2]").unwrap(),
                TOL_CLOSED,
            );
            assert_close(
                &format!("{tag} t"),
                res.statistic.unwrap().value,
                get(&r, &tag, "t.statistic").unwrap(),
                TOL_CLOSED,
            );
            assert_eq!(res.df.unwrap().value, get(&r, &tag, "t.df").unwrap());
            assert_close(
                &format!("{tag} p"),
                res.p_value.unwrap(),
                get(&r, &tag, "t.p").unwrap(),
                TOL_CLOSED,
            );
            checked += 1;
        }
    }
    assert!(checked >= 20, "only {checked} cases checked");
}

#[test]
fn wilcoxon_matches_r() {
    let r = reference();
    let mut exact = 0;
    let mut normal = 0;
    for (name, x) in cases(&r) {
        for cl in [0.95, 0.9] {
            let tag = format!("{name}@{cl}");
            let Some(v) = get(&r, &tag, "w.statistic") else {
                continue;
            };
            let res = wilcoxon::signed_rank(&x, cl, "pseudo_median");
            assert_eq!(res.statistic.as_ref().unwrap().value, v, "{tag} V");
            assert_close(
                &format!("{tag} p"),
                res.p_value.unwrap(),
                get(&r, &tag, "w.p").unwrap(),
                TOL_CLOSED,
            );
            assert_close(
                &format!("{tag} HL estimate"),
                res.estimate.as_ref().unwrap().value,
                get(&r, &tag, "w.hl_median_walsh").unwrap(),
                TOL_CLOSED,
            );
            match get(&r, &tag, "w.ci[1]") {
                Some(lo) => {
                    let ci = res.interval.as_ref().expect("interval");
                    assert_close(&format!("{tag} ci low"), ci.lower, lo, TOL_CLOSED);
                    assert_close(
                        &format!("{tag} ci high"),
                        ci.upper,
                        get(&r, &tag, "w.ci[2]").unwrap(),
                        TOL_CLOSED,
                    );
                    assert_close(
                        &format!("{tag} level"),
                        ci.level,
                        get(&r, &tag, "w.conf_level").unwrap(),
                        TOL_CLOSED,
                    );
                    // R's own estimate: identical on the exact path, within its uniroot tolerance otherwise.
                    let r_est = get(&r, &tag, "w.r_estimate").unwrap();
                    let est = res.estimate.as_ref().unwrap().value;
                    if ci.method == IntervalMethod::WilcoxonExact {
                        assert_close(&format!("{tag} R estimate"), est, r_est, TOL_CLOSED);
                        assert_eq!(res.p_value_method, Some(PValueMethod::Exact));
                        exact += 1;
                    } else {
                        // R's root of the step function lies anywhere in the flat zone between the
                        // two middle Walsh averages (to within its tolerance); ours is their midpoint.
                        let lo = get(&r, &tag, "w.walsh_middle[1]").unwrap();
                        let hi = get(&r, &tag, "w.walsh_middle[2]").unwrap();
                        assert!(est >= lo && est <= hi, "{tag}: {est} outside [{lo}, {hi}]");
                        assert!(
                            r_est >= lo - TOL_R_UNIROOT_ESTIMATE
                                && r_est <= hi + TOL_R_UNIROOT_ESTIMATE,
                            "{tag}: R {r_est} outside [{lo}, {hi}]"
                        );
                        assert_eq!(res.p_value_method, Some(PValueMethod::NormalApproximation));
                        normal += 1;
                    }
                }
                None => assert!(res.interval.is_none(), "{tag}: R gives no interval"),
            }
        }
    }
    assert!(exact >= 6 && normal >= 6, "exact {exact}, normal {normal}");
}

#[test]
fn cohen_dz_interval_matches_r() {
    let r = reference();
    let mut checked = 0;
    for (name, x) in cases(&r) {
        for cl in [0.95, 0.9] {
            let tag = format!("{name}@{cl}");
            let Some(d) = get(&r, &tag, "dz.estimate") else {
                continue;
            };
            let res = effect_size::cohen_dz(&x, cl);
            assert_close(
                &format!("{tag} dz"),
                res.estimate.as_ref().unwrap().value,
                d,
                TOL_CLOSED,
            );
            let ci = res.interval.as_ref().unwrap();
            assert_close(
                &format!("{tag} dz low"),
                ci.lower,
                get(&r, &tag, "dz.ci_uniroot[1]").unwrap(),
                TOL_ROOT,
            );
            assert_close(
                &format!("{tag} dz high"),
                ci.upper,
                get(&r, &tag, "dz.ci_uniroot[2]").unwrap(),
                TOL_ROOT,
            );
            assert_close(
                &format!("{tag} dz low (effectsize)"),
                ci.lower,
                get(&r, &tag, "dz.ci_effectsize[1]").unwrap(),
                TOL_EFFECTSIZE,
            );
            assert_close(
                &format!("{tag} dz high (effectsize)"),
                ci.upper,
                get(&r, &tag, "dz.ci_effectsize[2]").unwrap(),
                TOL_EFFECTSIZE,
            );
            checked += 1;
        }
    }
    assert!(checked >= 16, "only {checked}");
}

#[test]
fn distribution_functions_match_r() {
    let r = reference();
    let mut checked = 0;
    for ((case, _), v) in &r {
        let want: f64 = match v.parse() {
            Ok(v) => v,
            Err(_) => continue,
        };
        let parts: Vec<&str> = case.split('@').collect();
        let num = |i: usize| parts[i].parse::<f64>().unwrap();
        let got = match parts[0] {
            "qt" => distributions::t_quantile(num(1), num(2)),
            "pt_sf" => distributions::t_sf(num(1), num(2)),
            "qnorm" => distributions::norm_quantile(num(1)),
            "pnorm_sf" => distributions::norm_sf(num(1)),
            "pnt" => noncentral_t::cdf(num(1), num(2), num(3)).unwrap(),
            _ => continue,
        };
        // pnt sums its series to 1e-12 absolute (R's errmax), in long double in R.
        if parts[0] == "pnt" {
            assert!((got - want).abs() < 1e-11, "{case}: {got} vs {want}");
        } else {
            assert_close(case, got, want, TOL_CLOSED);
        }
        checked += 1;
    }
    assert!(checked >= 90, "only {checked}");
}

#[test]
fn clopper_pearson_matches_r() {
    let r = reference();
    let mut checked = 0;
    for ((case, q), v) in &r {
        if !case.starts_with("cp@") || q != "ci[1]" {
            continue;
        }
        let parts: Vec<&str> = case.split('@').collect();
        let (k, n, cl): (usize, usize, f64) = (
            parts[1].parse().unwrap(),
            parts[2].parse().unwrap(),
            parts[3].parse().unwrap(),
        );
        let res = proportion::clopper_pearson(k, n, cl, "rate");
        let ci = res.interval.unwrap();
        assert_close(
            &format!("{case} low"),
            ci.lower,
            v.parse().unwrap(),
            TOL_CLOSED,
        );
        assert_close(
            &format!("{case} high"),
            ci.upper,
            get(&r, case, "ci[2]").unwrap(),
            TOL_CLOSED,
        );
        checked += 1;
    }
    assert_eq!(checked, 16);
}

/// NIST StRD univariate certified values (NumAcc1–4, generated from their definitions): mean
/// and standard deviation to at least 13 significant digits (NumAcc3–4: of the doubles stored).
#[test]
fn nist_strd_numacc() {
    let build = |first: f64, low: f64, high: f64, pairs: usize| {
        let mut v = vec![first];
        for _ in 0..pairs {
            v.push(low);
            v.push(high);
        }
        v
    };
    let cases = [
        (
            "NumAcc1",
            vec![10000001.0, 10000003.0, 10000002.0],
            10000002.0,
            1.0,
        ),
        ("NumAcc2", build(1.2, 1.1, 1.3, 500), 1.2, 0.1),
        // 1000000.1 and its kind are not representable in binary: the data actually stored have
        // SD 0.1000000000349245965… and 0.1000000005587935448… (exact rational arithmetic on the
        // stored doubles, Python `fractions`); R's sd() gives the same. NIST's decimal value 0.1
        // cannot be reached from double inputs, so these are the certified values here.
        (
            "NumAcc3",
            build(1000000.2, 1000000.1, 1000000.3, 500),
            1000000.2,
            0.100_000_000_034_924_6,
        ),
        (
            "NumAcc4",
            build(10000000.2, 10000000.1, 10000000.3, 500),
            10000000.2,
            0.100_000_000_558_793_5,
        ),
    ];
    use trialstat::stats::descriptive::{mean, sd};
    for (name, x, m, s) in cases {
        let got_m = mean(&x).unwrap();
        let got_s = sd(&x).unwrap();
        let digits = |got: f64, want: f64| -((got - want).abs() / want).log10();
        assert!(
            digits(got_m, m) >= 13.0 || got_m == m,
            "{name} mean {got_m}"
        );
        assert!(
            digits(got_s, s) >= 13.0 || got_s == s,
            "{name} sd {got_s} ({} digits)",
            digits(got_s, s)
        );
    }
}
