//! `analyze --time-to` against R (tests/reference/survival/time_to_reference.R → time_to.csv):
//! time to clearance in the demo case series (median not reached), time to a 50% reduction in
//! the synthetic trial (medians, log-rank; Cox not estimable as placebo has no event).

use assert_cmd::Command;
use std::collections::HashMap;

fn rows(text: &str) -> Vec<HashMap<String, String>> {
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let h = r.headers().unwrap().clone();
    r.records()
        .map(|x| {
            let x = x.unwrap();
            h.iter()
                .zip(x.iter())
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect()
        })
        .collect()
}

fn same(ours: &str, r: &str, what: &str) {
    if r.is_empty() {
        assert!(
            ours.is_empty() || ours == "inf",
            "{what}: ours {ours}, R NA"
        );
    } else {
        let (a, b): (f64, f64) = (ours.parse().unwrap(), r.parse().unwrap());
        assert!((a - b).abs() <= 1e-9 * b.abs(), "{what}: ours {a}, R {b}");
    }
}

fn analyze(file: &str, spec: &str) -> Vec<HashMap<String, String>> {
    let out = Command::cargo_bin("trialstat")
        .unwrap()
        .args(["analyze", file, "--format", "csv", "--time-to", spec])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    rows(&String::from_utf8_lossy(&out.stdout))
}

#[test]
fn time_to_rows_equal_r() {
    let reference = rows(&std::fs::read_to_string("tests/reference/survival/time_to.csv").unwrap());
    let runs = [
        (
            "tofacitinib_cleared",
            analyze(
                "data/tofacitinib_case_series.csv",
                "cleared=plaque_thickness_mm: value == 0",
            ),
            "cleared",
        ),
        (
            "trial_pasi50",
            analyze(
                "data/example_trial.csv",
                "pasi50=plaque_thickness_mm: pct_change <= -50",
            ),
            "pasi50",
        ),
    ];
    let mut checked = 0;
    for (data, ours, name) in &runs {
        for r in reference.iter().filter(|r| &r["data"] == data) {
            let est = match r["estimand"].as_str() {
                "q25" => format!("q25_time_to_{name}"),
                "median" => format!("median_time_to_{name}"),
                "q75" => format!("q75_time_to_{name}"),
                "log_rank" => "survival_diff".into(),
                _ => "hazard_ratio".into(),
            };
            let row = ours
                .iter()
                .find(|o| {
                    o["arm"] == r["arm"]
                        && o["estimand"] == est
                        && o["endpoint"] == "plaque_thickness_mm"
                })
                .unwrap_or_else(|| panic!("{data} {} {est}", r["arm"]));
            assert!(row["note"].contains("interval-censored"), "{row:?}");
            let w = format!("{data} {} {est}", r["arm"]);
            match r["estimand"].as_str() {
                "log_rank" => {
                    same(&row["statistic"], &r["statistic"], &w);
                    same(&row["p_value"], &r["p"], &w);
                }
                // R's coxph does not converge (placebo has no event): we give no estimate.
                "hazard_ratio" => {
                    assert!(
                        row["estimate"].is_empty() && row["note"].contains("no events in placebo"),
                        "{row:?}"
                    )
                }
                _ => {
                    same(&row["estimate"], &r["estimate"], &w);
                    same(&row["ci_low"], &r["lower"], &w);
                    same(&row["ci_high"], &r["upper"], &w);
                }
            }
            checked += 1;
        }
    }
    assert_eq!(checked, 16);
}

#[test]
fn bad_time_to_specs_are_clear_errors() {
    for (spec, expect) in [
        ("cleared", "expected NAME="),
        (
            "9x=plaque_thickness_mm: value == 0",
            "must start with a letter",
        ),
        ("c=nope: value == 0", "endpoint 'nope' is not in the data"),
        ("c=plaque_thickness_mm: size == 0", "expected NAME="),
    ] {
        let out = Command::cargo_bin("trialstat")
            .unwrap()
            .args([
                "analyze",
                "data/tofacitinib_case_series.csv",
                "--time-to",
                spec,
            ])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{spec}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(expect), "{spec}: {err}");
    }
}
