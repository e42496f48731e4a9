//! `analyze --strata`: the stratified responder rows in CSV and JSON, checked against
//! tests/reference/responders/example_trial_strata.R (R `mantelhaen.test` and the formulas of
//! responders_reference.R on data/example_trial.csv), and the exit-2 errors on bad strata.

mod common;

use common::run_trialstat as run;
use std::collections::HashMap;

fn csv_rows(text: &str) -> Vec<HashMap<String, String>> {
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let headers = r.headers().expect("header").clone();
    r.records()
        .map(|rec| {
            let rec = rec.expect("record");
            headers
                .iter()
                .zip(rec.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

#[test]
fn example_trial_stratified_rows_match_r() {
    let (code, out, err) = run(&[
        "analyze",
        "data/example_trial.csv",
        "--strata",
        "site",
        "--format",
        "csv",
    ]);
    assert_eq!(code, 0, "{err}");
    let rows = csv_rows(&out);
    let pick = |estimand: &str, method: &str| {
        rows.iter()
            .find(|r| {
                r["endpoint"] == "erythema"
                    && r["visit"] == "week12"
                    && r["comparison"] == "baricitinib vs placebo"
                    && r["estimand"] == estimand
                    && r["method"] == method
            })
            .unwrap_or_else(|| panic!("no row {estimand}/{method}"))
    };
    let mut reference =
        csv::Reader::from_path("tests/reference/responders/example_trial_strata.csv")
            .expect("reference");
    let mut checked = 0;
    for rec in reference.records() {
        let rec = rec.expect("record");
        let estimand = match &rec[0] {
            "cmh" => "responder50_cmh",
            "mh_sato" | "mn_stratified" => "responder50_diff",
            "mantel_haenszel" => "responder50_odds_ratio",
            _ => "responder50_homogeneity",
        };
        let row = pick(estimand, &rec[0]);
        let got: f64 = row[&rec[1]].parse().expect("number");
        let want: f64 = rec[2].parse().expect("number");
        assert!(
            (got - want).abs() <= 1e-9 * want.abs(),
            "{}/{}: {got} vs R {want}",
            &rec[0],
            &rec[1]
        );
        checked += 1;
    }
    assert_eq!(checked, 14);
    assert!(pick("responder50_cmh", "cmh")["note"].contains("4 strata"));
    // Sparse strata are named in the note.
    let sparse = pick("clearance_cmh", "cmh");
    assert!(
        sparse["note"].contains("everyone or no one responds"),
        "{:?}",
        sparse["note"]
    );

    let (code, out, err) = run(&[
        "analyze",
        "data/example_trial.csv",
        "--strata",
        "site",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{err}");
    let json: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(
        json["meta"]["options"]["strata"],
        serde_json::json!(["site"])
    );
    let n = json["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter(|r| r["method"] == "mh_sato")
        .count();
    assert!(n >= 24, "{n}");
}

#[test]
fn two_strata_columns_combine() {
    let (code, out, err) = run(&[
        "analyze",
        "data/example_trial.csv",
        "--strata",
        "site",
        "--strata",
        "baseline_severity",
        "--format",
        "csv",
    ]);
    assert_eq!(code, 0, "{err}");
    let rows = csv_rows(&out);
    let row = rows.iter().find(|r| r["method"] == "cmh").expect("cmh row");
    let k: usize = row["note"]
        .split(" strata")
        .next()
        .and_then(|s| s.rsplit(' ').next())
        .and_then(|s| s.parse().ok())
        .expect("count");
    assert!(k > 4, "{}", row["note"]);
    // Without --strata: no stratified rows, the unstratified additions are there.
    let (_, out, _) = run(&["analyze", "data/example_trial.csv", "--format", "csv"]);
    let rows = csv_rows(&out);
    assert!(!rows.iter().any(|r| r["method"] == "cmh"));
    assert!(rows.iter().any(|r| r["method"] == "miettinen_nurminen"));
    assert!(rows.iter().any(|r| r["method"] == "exact_unconditional"));
    assert!(rows.iter().any(|r| r["method"] == "wilson"));
}

#[track_caller]
fn assert_exit_2(content: &str, extra: &[&str], fragments: &[&str]) {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = dir.path().join("input.csv");
    std::fs::write(&p, content).expect("write");
    let mut args = vec!["analyze", p.to_str().expect("path")];
    args.extend_from_slice(extra);
    let (code, _, err) = run(&args);
    assert_eq!(code, 2, "{err}");
    assert!(!err.contains("panicked"), "{err}");
    for f in fragments {
        assert!(err.contains(f), "message lacks '{f}': {err}");
    }
}

const HEAD: &str = "patient_id,arm,region,visit,week,endpoint,value\n";

#[test]
fn a_stratum_varying_within_a_patient_is_an_error() {
    let data = format!("{HEAD}P1,placebo,EU,baseline,0,pasi,10\nP1,placebo,US,week12,12,pasi,5\nP2,drug,EU,baseline,0,pasi,10\nP2,drug,EU,week12,12,pasi,2\n");
    assert_exit_2(
        &data,
        &["--strata", "region"],
        &["input.csv:3", "region", "US", "P1"],
    );
}

#[test]
fn an_unknown_strata_column_is_an_error() {
    let data = format!("{HEAD}P1,placebo,EU,baseline,0,pasi,10\nP1,placebo,EU,week12,12,pasi,5\n");
    assert_exit_2(&data, &["--strata", "country"], &["country", "--strata"]);
}

#[test]
fn an_empty_stratum_is_an_error() {
    let data = format!("{HEAD}P1,placebo,EU,baseline,0,pasi,10\nP1,placebo,EU,week12,12,pasi,5\nP2,drug,,baseline,0,pasi,10\nP2,drug,,week12,12,pasi,2\n");
    assert_exit_2(
        &data,
        &["--strata", "region"],
        &["input.csv:4", "region", "P2", "empty"],
    );
}
