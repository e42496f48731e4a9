//! `--adjust` and `--hierarchy` through the binary: families and fixed sequences as documented.

mod common;
use common::analyze_rows;
use std::collections::HashMap;

const TRIAL: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/example_trial.csv");

fn run(extra: &[&str]) -> Vec<HashMap<String, String>> {
    let mut args = vec![TRIAL];
    args.extend_from_slice(extra);
    analyze_rows(&args)
}

fn num(r: &HashMap<String, String>, c: &str) -> f64 {
    r[c].parse().unwrap()
}

#[test]
fn bonferroni_multiplies_by_the_family_size() {
    let rows = run(&["--adjust", "bonferroni"]);
    // Family: within rows, mean_change/paired_t at week12: 4 endpoints × 3 arms = 12 rows.
    let family: Vec<_> = rows
        .iter()
        .filter(|r| {
            r["comparison"] == "within"
                && r["estimand"] == "mean_change"
                && r["method"] == "paired_t"
                && r["visit"] == "week12"
        })
        .collect();
    assert_eq!(family.len(), 12);
    for r in family {
        let want = (12.0 * num(r, "p_value")).min(1.0);
        assert!(
            (num(r, "p_adjusted") - want).abs() <= 1e-12 * want.max(1e-300),
            "{r:?}"
        );
    }
    // Rows without a p-value have no adjusted one.
    let rate = rows
        .iter()
        .find(|r| r["estimand"] == "clearance_rate")
        .unwrap();
    assert_eq!(rate["p_adjusted"], "");
}

#[test]
fn hierarchy_takes_the_running_maximum() {
    let rows = run(&["--hierarchy", "pruritus,erythema"]);
    let get = |endpoint: &str| {
        rows.iter()
            .find(|r| {
                r["endpoint"] == endpoint
                    && r["arm"] == "baricitinib"
                    && r["visit"] == "week4"
                    && r["estimand"] == "mean_change_diff"
                    && r["method"] == "ancova"
            })
            .unwrap()
    };
    let (first, second) = (get("pruritus"), get("erythema"));
    assert_eq!(num(first, "p_adjusted"), num(first, "p_value"));
    assert_eq!(
        num(second, "p_adjusted"),
        num(first, "p_value").max(num(second, "p_value"))
    );
    // Endpoints outside the hierarchy get no adjusted p; within rows are not adjusted without --adjust.
    assert_eq!(get("induration")["p_adjusted"], "");
    let within = rows
        .iter()
        .find(|r| r["comparison"] == "within" && r["estimand"] == "mean_change")
        .unwrap();
    assert_eq!(within["p_adjusted"], "");
}

#[test]
fn no_adjustment_no_column() {
    let rows = run(&[]);
    assert!(!rows[0].contains_key("p_adjusted"));
}
