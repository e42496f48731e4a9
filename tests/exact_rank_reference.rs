//! Exact rank tests with ties and zeros against `exactRankTests::wilcox.exact(exact = TRUE)`.
//! Reference: tests/reference/exact_rank_reference.R.

mod common;
use common::*;
use std::collections::BTreeMap;
use trialstat::stats::exact_rank;

type Ref = BTreeMap<(String, String), String>;

fn get(r: &Ref, case: &str, q: &str) -> Option<f64> {
    r.get(&(case.to_string(), q.to_string()))
        .map(|v| v.parse().unwrap())
}

fn vector(r: &Ref, case: &str, q: &str) -> Option<Vec<f64>> {
    r.get(&(case.to_string(), q.to_string()))
        .map(|v| v.split(' ').map(|s| s.parse().unwrap()).collect())
}

#[test]
fn exact_rank_tests_match_exact_rank_tests() {
    let r = read_reference(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/reference/exact_rank_reference.csv"
    ));
    let (mut one, mut two) = (0, 0);
    let cases: Vec<String> = r
        .keys()
        .filter(|(_, q)| q == "x")
        .map(|(c, _)| c.clone())
        .collect();
    for name in cases {
        let x = vector(&r, &name, "x").unwrap();
        let y = vector(&r, &name, "y");
        for cl in [0.95, 0.9] {
            let tag = format!("{name}@{cl}");
            let res = match &y {
                None => exact_rank::signed_rank_exact(&x, cl, "hl"),
                Some(y) => exact_rank::rank_sum_exact(&x, y, cl, "shift"),
            };
            let stat = if y.is_none() { "V" } else { "W" };
            assert_eq!(
                res.statistic.as_ref().unwrap().value,
                get(&r, &tag, stat).unwrap(),
                "{tag} {stat}"
            );
            assert_close(
                &format!("{tag} p"),
                res.p_value.unwrap(),
                get(&r, &tag, "p").unwrap(),
                TOL_EXACT_PERMUTATION,
            );
            let ci = res.interval.as_ref().unwrap();
            assert_close(
                &format!("{tag} low"),
                ci.lower,
                get(&r, &tag, "ci[1]").unwrap(),
                TOL_CLOSED,
            );
            assert_close(
                &format!("{tag} high"),
                ci.upper,
                get(&r, &tag, "ci[2]").unwrap(),
                TOL_CLOSED,
            );
            assert_close(
                &format!("{tag} estimate"),
                res.estimate.as_ref().unwrap().value,
                get(&r, &tag, "estimate").unwrap(),
                TOL_CLOSED,
            );
            if y.is_none() {
                one += 1;
            } else {
                two += 1;
            }
        }
    }
    assert_eq!((one, two), (12, 8));
}

/// Exact permutation tests against brute-force enumeration in R
/// (tests/reference/permutation_reference.R).
#[test]
fn permutation_tests_match_enumeration() {
    use trialstat::stats::permutation::{label_permutation, sign_flip};
    let r = read_reference(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/reference/permutation_reference.csv"
    ));
    for case in ["d1", "d2", "d3"] {
        let x = vector(&r, case, "x").unwrap();
        let res = sign_flip(&x, 1);
        assert_close(
            case,
            res.p_value.unwrap(),
            get(&r, case, "p").unwrap(),
            TOL_CLOSED,
        );
    }
    let (x, y) = (
        vector(&r, "two", "x").unwrap(),
        vector(&r, "two", "y").unwrap(),
    );
    let res = label_permutation(&x, &y, 1);
    assert_close(
        "two",
        res.p_value.unwrap(),
        get(&r, "two", "p").unwrap(),
        TOL_CLOSED,
    );
    // Pratt's handling of zeros against enumeration in R.
    for case in ["pratt_p1", "pratt_p2"] {
        let x = vector(&r, case, "x").unwrap();
        let res = trialstat::stats::exact_rank::signed_rank_exact_pratt(&x);
        assert_close(
            case,
            res.p_value.unwrap(),
            get(&r, case, "p").unwrap(),
            TOL_EXACT_PERMUTATION,
        );
    }
    // Monte-Carlo path (n = 30 > 20): seeded, reproducible, and close to the t test here.
    let big: Vec<f64> = (0..30).map(|i| ((i * 7 % 11) as f64) - 4.0).collect();
    let a = sign_flip(&big, 5);
    assert_eq!(a, sign_flip(&big, 5));
    assert!(a
        .diagnostics
        .iter()
        .any(|d| matches!(d, trialstat::stats::Diagnostic::MonteCarlo { .. })));
}
