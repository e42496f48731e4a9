//! `--missing` on a small case checked by hand.
//!
//! score (lower is better), week 12:
//!
//! | patient | arm | baseline | week 4 | week 12 |
//! | A1 | active | 10 | 6 | 4 |
//! | A2 | active | 8 | 4 | – |
//! | A3 | active | 6 | – | – |
//! | A4 | active | 10 | 5 | 2 |
//! | P1 | placebo | 10 | 9 | 9 |
//! | P2 | placebo | 8 | 8 | – |
//! | P3 | placebo | 6 | 5 | 6 |
//!
//! Week-12 changes in the active arm: complete cases −6, −8 (mean −7); LOCF −6, −4 (week 4
//! carried), 0 (baseline carried), −8 (mean −4.5); BOCF −6, 0, 0, −8 (mean −3.5).
//! ≥50% responders: complete cases 2/2; LOCF 3/4 (A2 8 → 4 is exactly 50%); BOCF 2/4; NRI 2/4.
//! Placebo: complete cases −1, 0 (mean −0.5); LOCF and BOCF −1, 0, 0 (mean −1/3); NRI 0/3.

mod common;
use assert_cmd::Command;
use common::analyze_rows;
use std::collections::HashMap;

const DATA: &str = "patient_id,arm,visit,week,score
A1,active,baseline,0,10
A1,active,week4,4,6
A1,active,week12,12,4
A2,active,baseline,0,8
A2,active,week4,4,4
A2,active,week12,12,NA
A3,active,baseline,0,6
A4,active,baseline,0,10
A4,active,week4,4,5
A4,active,week12,12,2
P1,placebo,baseline,0,10
P1,placebo,week4,4,9
P1,placebo,week12,12,9
P2,placebo,baseline,0,8
P2,placebo,week4,4,8
P3,placebo,baseline,0,6
P3,placebo,week4,4,5
P3,placebo,week12,12,6
";

fn run(rule: &str) -> Vec<HashMap<String, String>> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("small.csv");
    std::fs::write(&path, DATA).unwrap();
    analyze_rows(&[path.to_str().unwrap(), "--missing", rule])
}

fn get<'a>(
    rows: &'a [HashMap<String, String>],
    arm: &str,
    comparison: &str,
    estimand: &str,
    method: &str,
) -> &'a HashMap<String, String> {
    rows.iter()
        .find(|r| {
            r["arm"] == arm
                && r["visit"] == "week12"
                && r["comparison"] == comparison
                && r["estimand"] == estimand
                && r["method"] == method
        })
        .unwrap_or_else(|| panic!("no row {arm} {comparison} {estimand} {method}"))
}

fn est(r: &HashMap<String, String>) -> f64 {
    r["estimate"].parse().unwrap()
}

#[track_caller]
fn check(
    rows: &[HashMap<String, String>],
    active_mean: f64,
    active_n: &str,
    placebo_mean: f64,
    responders: (f64, &str),
    placebo_responders: (f64, &str),
) {
    let a = get(rows, "active", "within", "mean_change", "paired_t");
    assert!(
        (est(a) - active_mean).abs() < 1e-12,
        "active mean {}",
        est(a)
    );
    assert_eq!(a["n"], active_n);
    let p = get(rows, "placebo", "within", "mean_change", "paired_t");
    assert!(
        (est(p) - placebo_mean).abs() < 1e-12,
        "placebo mean {}",
        est(p)
    );
    let r = get(
        rows,
        "active",
        "within",
        "responder50_rate",
        "clopper_pearson",
    );
    assert_eq!((est(r), r["n"].as_str()), responders);
    let r = get(
        rows,
        "placebo",
        "within",
        "responder50_rate",
        "clopper_pearson",
    );
    assert_eq!((est(r), r["n"].as_str()), placebo_responders);
    let d = get(
        rows,
        "active",
        "active vs placebo",
        "mean_change_diff",
        "welch_t",
    );
    assert!((est(d) - (active_mean - placebo_mean)).abs() < 1e-12);
}

#[test]
fn complete_case() {
    let rows = run("complete-case");
    check(&rows, -7.0, "2", -0.5, (1.0, "2"), (0.0, "2"));
    assert!(
        get(&rows, "active", "within", "mean_change", "paired_t")["note"]
            .contains("2 patient(s) without a week12 value")
    );
}

#[test]
fn last_observation_carried_forward() {
    let rows = run("locf");
    check(&rows, -4.5, "4", -1.0 / 3.0, (0.75, "4"), (0.0, "3"));
    assert!(
        get(&rows, "active", "within", "mean_change", "paired_t")["note"]
            .contains("2 missing week12 value(s) imputed by LOCF")
    );
}

#[test]
fn baseline_observation_carried_forward() {
    let rows = run("bocf");
    check(&rows, -3.5, "4", -1.0 / 3.0, (0.5, "4"), (0.0, "3"));
    assert!(
        get(&rows, "active", "within", "mean_change", "paired_t")["note"]
            .contains("imputed by BOCF")
    );
}

#[test]
fn non_responder_imputation() {
    let rows = run("nri");
    // continuous rows stay complete-case; responder rows count the missing as failures
    check(&rows, -7.0, "2", -0.5, (0.5, "4"), (0.0, "3"));
    let diff = get(
        &rows,
        "active",
        "active vs placebo",
        "responder50_diff",
        "newcombe",
    );
    assert!((est(diff) - 0.5).abs() < 1e-12);
    assert_eq!(diff["n"], "7");
    assert!(
        diff["note"].contains("counted as non-responders (NRI)"),
        "{}",
        diff["note"]
    );
}

/// Zero cells: every active patient clears and no placebo patient does (n/n against 0/n).
#[test]
fn zero_cells_give_finite_or_infinite_values() {
    let data = "patient_id,arm,visit,score\nA1,active,baseline,3\nA1,active,week12,0\nA2,active,baseline,2\nA2,active,week12,0\nA3,active,baseline,4\nA3,active,week12,0\nP1,placebo,baseline,3\nP1,placebo,week12,2\nP2,placebo,baseline,2\nP2,placebo,week12,2\nP3,placebo,baseline,4\nP3,placebo,week12,3\n";
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("zero.csv");
    std::fs::write(&path, data).unwrap();
    let out = Command::cargo_bin("trialstat")
        .unwrap()
        .args(["analyze", path.to_str().unwrap(), "--format", "csv"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let line = |estimand: &str| {
        text.lines()
            .find(|l| l.contains(&format!(",active vs placebo,{estimand},")))
            .unwrap()
            .to_string()
    };
    // Newcombe: difference 1, interval inside [0, 1]
    assert!(
        line("clearance_diff").contains(",clearance_diff,newcombe,1,"),
        "{}",
        line("clearance_diff")
    );
    // Fisher: conditional MLE infinite, lower limit finite, upper infinite; R: fisher.test(matrix(c(3,0,0,3),2))$p.value = 0.1
    let or = line("clearance_odds_ratio");
    assert!(or.contains(",fisher_exact,inf,"), "{or}");
    let p: f64 = or.split(',').nth(11).unwrap().parse().unwrap();
    assert!((p - 0.1).abs() < 1e-12, "{or}");
    // Risk ratio: infinite, no log interval, and the note says why
    let rr = line("clearance_risk_ratio");
    assert!(rr.contains(",log,inf,,,"), "{rr}");
    assert!(rr.contains("zero count"), "{rr}");
    // The human table shows the NNT
    let out = Command::cargo_bin("trialstat")
        .unwrap()
        .args(["analyze", path.to_str().unwrap(), "--format", "table"])
        .output()
        .unwrap();
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(table.contains("NNT(benefit) 1.0"), "{table}");
    assert!(table.contains("active vs placebo"), "{table}");
}
