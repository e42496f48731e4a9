//! Effect sizes against R effectsize and Lakens' formulas
//! (tests/reference/effect_size_reference.R).

mod common;
use common::*;
use std::collections::BTreeMap;
use trialstat::stats::effect_size::{
    glass_delta, hedges_gz, paired_d, rank_biserial_paired, rank_biserial_two_sample,
    PairedStandardiser,
};
use trialstat::stats::TestResult;

type Ref = BTreeMap<(String, String), String>;

fn get(r: &Ref, case: &str, q: &str) -> f64 {
    r[&(case.to_string(), q.to_string())].parse().unwrap()
}

fn vector(r: &Ref, case: &str, q: &str) -> Vec<f64> {
    r[&(case.to_string(), q.to_string())]
        .split(' ')
        .map(|s| s.parse().unwrap())
        .collect()
}

#[track_caller]
fn check3(r: &Ref, case: &str, name: &str, res: &TestResult, tol: f64) {
    let ci = res.interval.as_ref().unwrap();
    let got = [res.estimate.as_ref().unwrap().value, ci.lower, ci.upper];
    for (i, g) in got.iter().enumerate() {
        assert_close(
            &format!("{case} {name}[{i}]"),
            *g,
            get(r, case, &format!("{name}[{}]", i + 1)),
            tol,
        );
    }
}

#[test]
fn paired_effect_sizes() {
    let r = read_reference(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/reference/effect_size_reference.csv"
    ));
    for case in ["thickness", "pruritus", "anorexia_ft"] {
        let (b, f) = (vector(&r, case, "b"), vector(&r, case, "f"));
        let d: Vec<f64> = b.iter().zip(&f).map(|(b, f)| f - b).collect();
        // effectsize finds the noncentral-t limits by Nelder–Mead (about 1e-6).
        check3(&r, case, "hedges_gz", &hedges_gz(&d, 0.95), TOL_EFFECTSIZE);
        check3(
            &r,
            case,
            "rank_biserial",
            &rank_biserial_paired(&d, 0.95),
            TOL_CLOSED,
        );
        for (name, s, corrected) in [
            ("d_av", PairedStandardiser::Average, false),
            ("g_av", PairedStandardiser::Average, true),
            ("d_rm", PairedStandardiser::RepeatedMeasures, false),
            ("g_rm", PairedStandardiser::RepeatedMeasures, true),
        ] {
            let got = paired_d(&b, &f, s, corrected).estimate.unwrap().value;
            assert_close(
                &format!("{case} {name}"),
                got,
                get(&r, case, name),
                TOL_CLOSED,
            );
        }
    }
}

#[test]
fn two_sample_effect_sizes() {
    let r = read_reference(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/reference/effect_size_reference.csv"
    ));
    for case in ["anorexia", "scores"] {
        let (x, y) = (vector(&r, case, "x"), vector(&r, case, "y"));
        check3(
            &r,
            case,
            "glass_delta",
            &glass_delta(&x, &y, 0.95),
            TOL_EFFECTSIZE,
        );
        check3(
            &r,
            case,
            "rank_biserial",
            &rank_biserial_two_sample(&x, &y, 0.95),
            TOL_CLOSED,
        );
        check3(
            &r,
            case,
            "cliffs_delta",
            &rank_biserial_two_sample(&x, &y, 0.95),
            TOL_CLOSED,
        );
    }
}
