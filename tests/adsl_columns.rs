//! `--covariate` and `--strata` columns taken from ADSL (`--adsl`) when the analysis file lacks
//! them: the example trial's BDS file (tests/data/example_trial_bds.csv) without its `site` and
//! `baseline_severity` columns, joined per USUBJID with an ADSL that has them
//! (tests/data/example_trial_adsl.sas7bdat, written by haven: tests/data/make_sas7bdat.R, or the
//! same as CSV), gives byte for byte the results of the BDS file that carries them; the meta
//! lists the columns taken from ADSL; a name in neither file exits 2 naming both files.

use assert_cmd::Command;
use std::path::{Path, PathBuf};

fn repo(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(p)
}

fn run(args: &[&str]) -> std::process::Output {
    Command::cargo_bin("trialstat")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .output()
        .unwrap()
}

fn results(args: &[&str]) -> Vec<u8> {
    let out = run(args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// The BDS file without the patient-level columns `drop`.
fn bds_without(dir: &Path, drop: &[&str]) -> PathBuf {
    let mut rdr = csv::Reader::from_path(repo("tests/data/example_trial_bds.csv")).unwrap();
    let header = rdr.headers().unwrap().clone();
    let keep: Vec<usize> = (0..header.len())
        .filter(|&i| !drop.contains(&&header[i]))
        .collect();
    let out = dir.join("bds_lean.csv");
    let mut w = csv::Writer::from_path(&out).unwrap();
    w.write_record(keep.iter().map(|&i| &header[i])).unwrap();
    for r in rdr.records() {
        let r = r.unwrap();
        w.write_record(keep.iter().map(|&i| &r[i])).unwrap();
    }
    w.flush().unwrap();
    out
}

/// The ADSL as CSV, from the example trial.
fn adsl_csv(dir: &Path) -> PathBuf {
    let mut rdr = csv::Reader::from_path(repo("data/example_trial.csv")).unwrap();
    let out = dir.join("adsl.csv");
    let mut w = csv::Writer::from_path(&out).unwrap();
    w.write_record(["USUBJID", "TRT01P", "site", "baseline_severity", "ITTFL"])
        .unwrap();
    let mut seen = std::collections::HashSet::new();
    for r in rdr.records() {
        let r = r.unwrap();
        if seen.insert(r[0].to_string()) {
            w.write_record([&r[0], &r[1], &r[2], &r[3], "Y"]).unwrap();
        }
    }
    w.flush().unwrap();
    out
}

#[test]
fn strata_and_covariates_from_adsl_give_the_results_of_the_file_that_has_them() {
    let dir = tempfile::tempdir().unwrap();
    let lean = bds_without(dir.path(), &["site", "baseline_severity"]);
    let lean = lean.to_str().unwrap();
    let csv_adsl = adsl_csv(dir.path());
    for adsl in [
        "tests/data/example_trial_adsl.sas7bdat",
        csv_adsl.to_str().unwrap(),
    ] {
        for extra in [
            &["--covariate", "site", "--strata", "baseline_severity"][..],
            &["--strata", "site", "--responder", "30"][..],
            &[
                "--covariate",
                "baseline_severity",
                "--strata",
                "site",
                "--strata",
                "baseline_severity",
            ][..],
        ] {
            let mut full = vec![
                "analyze",
                "tests/data/example_trial_bds.csv",
                "--format",
                "csv",
            ];
            full.extend_from_slice(extra);
            let want = results(&full);
            let mut joined = vec!["analyze", lean, "--adsl", adsl, "--format", "csv"];
            joined.extend_from_slice(extra);
            assert!(want.len() > 10_000);
            assert!(want == results(&joined), "{adsl} {extra:?}");
        }
    }
}

#[test]
fn the_meta_lists_the_columns_taken_from_adsl() {
    let dir = tempfile::tempdir().unwrap();
    let lean = bds_without(dir.path(), &["site", "baseline_severity"]);
    let out = results(&[
        "analyze",
        lean.to_str().unwrap(),
        "--adsl",
        "tests/data/example_trial_adsl.sas7bdat",
        "--covariate",
        "site",
        "--strata",
        "baseline_severity",
        "--format",
        "json",
    ]);
    let json: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let file = &json["meta"]["input"]["file"];
    assert_eq!(
        file["adsl_columns"],
        serde_json::json!(["site", "baseline_severity"])
    );
    assert_eq!(file["adsl"], "tests/data/example_trial_adsl.sas7bdat");
    // A column the file has is not taken from ADSL.
    let out = results(&[
        "analyze",
        "tests/data/example_trial_bds.csv",
        "--adsl",
        "tests/data/example_trial_adsl.sas7bdat",
        "--covariate",
        "site",
        "--format",
        "json",
    ]);
    let json: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert!(json["meta"]["input"]["file"]["adsl_columns"].is_null());
}

#[test]
fn a_name_in_neither_file_exits_2_naming_both() {
    let dir = tempfile::tempdir().unwrap();
    let lean = bds_without(dir.path(), &["site", "baseline_severity"]);
    let lean = lean.to_str().unwrap();
    let adsl = "tests/data/example_trial_adsl.sas7bdat";
    for flag in ["--strata", "--covariate"] {
        let out = run(&["analyze", lean, "--adsl", adsl, flag, "REGION"]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        for word in [lean, adsl, "'REGION'", flag, "in neither"] {
            assert!(err.contains(word), "{word}: {err}");
        }
    }
}
