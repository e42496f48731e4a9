//! Exact rank tests above the unit-by-unit limits against `exactRankTests::wilcox.exact(exact
//! = TRUE, conf.int = TRUE)` on real tied data (MASS::survey, faithful) and continuous samples.
//! Reference: tests/reference/exact_rank/large.R (large.csv; R's times in timings_r.csv).

mod common;
use common::*;
use std::time::Instant;
use trialstat::stats::{exact_rank, PValueMethod};

fn vector(
    r: &std::collections::BTreeMap<(String, String), String>,
    case: &str,
    q: &str,
) -> Option<Vec<f64>> {
    r.get(&(case.to_string(), q.to_string()))
        .map(|v| v.split(' ').map(|s| s.parse().unwrap()).collect())
}

#[test]
fn large_exact_rank_tests_match_wilcox_exact_on_real_tied_data() {
    let r = read_reference(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/reference/exact_rank/large.csv"
    ));
    let cases: Vec<String> = r
        .keys()
        .filter(|(_, q)| q == "x")
        .map(|(c, _)| c.clone())
        .collect();
    let mut checked = 0;
    for case in &cases {
        let x = vector(&r, case, "x").unwrap();
        let y = vector(&r, case, "y");
        let start = Instant::now();
        let res = match &y {
            None => exact_rank::signed_rank_exact(&x, 0.95, "hl"),
            Some(y) => exact_rank::rank_sum_exact(&x, y, 0.95, "shift"),
        };
        // Debug build; the release timings are in the README.
        eprintln!(
            "{case}: {:.3} s (debug build)",
            start.elapsed().as_secs_f64()
        );
        assert_eq!(res.p_value_method, Some(PValueMethod::Exact), "{case}");
        let want = |q: &str| vector(&r, case, q).unwrap();
        assert_eq!(
            res.statistic.as_ref().unwrap().value,
            want("statistic")[0],
            "{case}"
        );
        // Sums of up to 10^5 probabilities: 1e-9 relative.
        assert_close(
            &format!("{case} p"),
            res.p_value.unwrap(),
            want("p")[0],
            1e-9,
        );
        let ci = res.interval.as_ref().unwrap();
        let w = want("ci");
        // Interval ends and the estimate are data values (differences, averages): equal up to
        // the rounding of the subtraction R and Rust both do.
        assert_close(&format!("{case} lower"), ci.lower, w[0], 1e-12);
        assert_close(&format!("{case} upper"), ci.upper, w[1], 1e-12);
        assert_close(
            &format!("{case} estimate"),
            res.estimate.as_ref().unwrap().value,
            want("estimate")[0],
            1e-12,
        );
        checked += 1;
    }
    assert_eq!(checked, 6, "{cases:?}");
}
