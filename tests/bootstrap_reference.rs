//! Bootstrap intervals against R's boot.ci with 100,000 resamples
//! (tests/reference/bootstrap_reference.R), and determinism across thread counts.
//!
//! Tolerance: the Monte-Carlo standard deviation of a 2.5% bootstrap quantile from B = 100,000
//! resamples is about √(0.025 · 0.975 / B) / φ(1.96) ≈ 0.0085 bootstrap SEs; two independent
//! runs differ by about 0.012 SE, so limits must agree within 0.06 SE (5 standard deviations),
//! 0.1 SE for the studentised interval (heavier-tailed pivot). The normal interval depends only
//! on the mean and SD of the replicates and must agree within 0.02 SE.

mod common;
use common::*;
use std::collections::BTreeMap;
use trialstat::stats::bootstrap::{one_sample, two_sample, BootstrapIntervals};
use trialstat::stats::descriptive::{mean, variance};

type Ref = BTreeMap<(String, String), String>;
const B: usize = 100_000;

fn get(r: &Ref, case: &str, q: &str) -> f64 {
    r[&(case.to_string(), q.to_string())].parse().unwrap()
}

fn vector(r: &Ref, case: &str, q: &str) -> Vec<f64> {
    r[&(case.to_string(), q.to_string())]
        .split(' ')
        .map(|s| s.parse().unwrap())
        .collect()
}

fn check(r: &Ref, case: &str, t0: f64, got: &BootstrapIntervals) {
    assert_close(&format!("{case} t0"), t0, get(r, case, "t0"), TOL_CLOSED);
    let se = get(r, case, "se");
    let pairs = [
        ("normal", Some(got.normal), 0.02),
        ("basic", Some(got.basic), 0.06),
        ("percentile", Some(got.percentile), 0.06),
        ("studentized", got.studentized, 0.1),
        ("bca", got.bca, 0.06),
    ];
    for (name, interval, k) in pairs {
        let (lo, hi) = interval.unwrap_or_else(|| panic!("{case}: no {name} interval"));
        for (i, g) in [lo, hi].into_iter().enumerate() {
            let w = get(r, case, &format!("{name}[{}]", i + 1));
            assert!(
                (g - w).abs() <= k * se,
                "{case} {name}[{}]: {g} vs boot {w} (|diff| = {:.4} SE > {k} SE)",
                i + 1,
                (g - w).abs() / se
            );
        }
    }
}

fn mean_var(x: &[f64]) -> f64 {
    variance(x).unwrap() / x.len() as f64
}

#[test]
fn one_sample_intervals_match_boot() {
    let r = read_reference(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/reference/bootstrap_reference.csv"
    ));
    for case in ["tofacitinib_pct", "anorexia_cbt"] {
        let x = vector(&r, case, "x");
        let b = one_sample(&x, |d| mean(d).unwrap(), Some(mean_var), B, 42);
        check(&r, case, b.t0, &b.intervals(0.95));
    }
}

#[test]
fn two_sample_intervals_match_boot() {
    let r = read_reference(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/reference/bootstrap_reference.csv"
    ));
    let case = "anorexia_cbt_vs_cont";
    let (x, y) = (vector(&r, case, "x"), vector(&r, case, "y"));
    let b = two_sample(
        &x,
        &y,
        |a, b| mean(a).unwrap() - mean(b).unwrap(),
        Some(|a: &[f64], b: &[f64]| mean_var(a) + mean_var(b)),
        B,
        42,
    );
    check(&r, case, b.t0, &b.intervals(0.95));
}

#[test]
fn same_result_for_one_and_two_threads() {
    let x: Vec<f64> = (0..500).map(|i| ((i * 37 % 101) as f64).sqrt()).collect();
    let run = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| {
            one_sample(
                &x,
                |d| mean(d).unwrap(),
                None::<fn(&[f64]) -> f64>,
                10_000,
                7,
            )
        })
    };
    let (a, b) = (run(1), run(2));
    assert_eq!(a.t, b.t);
    assert_eq!(a.intervals(0.95), b.intervals(0.95));
    // the O(n) mean path draws the same resamples and gives the same intervals
    let m = trialstat::stats::bootstrap::one_sample_mean(&x, 10_000, 7);
    assert_eq!(m.t, a.t);
    for (p, q) in m.influence.iter().zip(&a.influence) {
        assert!((p - q).abs() < 1e-9);
    }
    // and a different seed gives different resamples
    let c = one_sample(
        &x,
        |d| mean(d).unwrap(),
        None::<fn(&[f64]) -> f64>,
        10_000,
        8,
    );
    assert_ne!(a.t, c.t);
}
