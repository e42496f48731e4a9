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
