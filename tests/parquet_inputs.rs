//! Parquet input through the binary: files written by polars itself and by pyarrow from data/example_trial.csv
//! (plain long) and tests/data/example_trial_bds.csv (ADaM BDS) give exactly the results of the
//! CSV files; the meta names the format and counts every record; malformed Parquet (truncated,
//! without the needed columns) and a damaged SAS data set exit 2 naming the file.

use assert_cmd::Command;
use polars::prelude::*;
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

/// A CSV file as polars reads it (types inferred, `NA` as missing), written as Parquet.
fn csv_to_parquet(csv: &str, out: &Path, keep: Option<&[&str]>) {
    let mut df = CsvReadOptions::default()
        .with_has_header(true)
        .with_infer_schema_length(None)
        .map_parse_options(|o| o.with_null_values(Some(NullValues::AllColumnsSingle("NA".into()))))
        .try_into_reader_with_file_path(Some(repo(csv)))
        .unwrap()
        .finish()
        .unwrap();
    if let Some(keep) = keep {
        df = df.select(keep.iter().copied()).unwrap();
    }
    let file = std::fs::File::create(out).unwrap();
    ParquetWriter::new(file).finish(&mut df).unwrap();
}

#[test]
fn parquet_written_by_polars_gives_the_results_of_the_csv() {
    let dir = tempfile::tempdir().unwrap();
    for csv in ["data/example_trial.csv", "tests/data/example_trial_bds.csv"] {
        let pq = dir.path().join("trial.parquet");
        csv_to_parquet(csv, &pq, None);
        let pq = pq.to_str().unwrap();
        for extra in [
            &[][..],
            &["--missing", "locf", "--responder", "30"][..],
            &["--covariate", "site"][..],
        ] {
            let with = |file: &str| {
                let mut a = vec!["analyze", file, "--format", "csv"];
                a.extend_from_slice(extra);
                let out = run(&a);
                assert!(
                    out.status.success(),
                    "{file}: {}",
                    String::from_utf8_lossy(&out.stderr)
                );
                out.stdout
            };
            let from_csv = with(csv);
            assert!(from_csv.len() > 10_000);
            assert!(from_csv == with(pq), "{csv} as Parquet {extra:?}");
        }
    }
}

#[test]
fn parquet_meta_names_the_format_and_counts_every_record() {
    let dir = tempfile::tempdir().unwrap();
    let pq = dir.path().join("bds.parquet");
    csv_to_parquet("tests/data/example_trial_bds.csv", &pq, None);
    let out = run(&["analyze", pq.to_str().unwrap(), "--format", "json"]);
    assert!(out.status.success());
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let input = &json["meta"]["input"];
    assert_eq!(input["rows"], 2319);
    assert_eq!(input["file"]["format"], "parquet");
    let filters = input["file"]["filters"].as_array().unwrap();
    // tests/data/make_example_bds.R: 39 LOCF records, 72 baseline retests
    assert_eq!(filters[0]["removed"], 39);
    assert_eq!(filters[1]["removed"], 72);

    let plain = dir.path().join("plain.parquet");
    csv_to_parquet("data/example_trial.csv", &plain, None);
    let out = run(&["analyze", plain.to_str().unwrap(), "--format", "json"]);
    assert!(out.status.success());
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["meta"]["input"]["rows"], 2208);
    assert_eq!(json["meta"]["input"]["file"]["format"], "parquet");
}

fn refused(file: &Path, words: &[&str]) {
    let out = run(&["analyze", file.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(err.contains(file.to_str().unwrap()), "{err}");
    for w in words {
        assert!(err.contains(w), "{w}: {err}");
    }
}

#[test]
fn malformed_parquet_and_sas_data_sets_exit_2_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let pq = dir.path().join("whole.parquet");
    csv_to_parquet("data/example_trial.csv", &pq, None);
    let bytes = std::fs::read(&pq).unwrap();

    let cut = dir.path().join("truncated.parquet");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    refused(&cut, &["Parquet", "truncated"]);

    // The end kept, the middle damaged: the footer no longer describes the file.
    let damaged = dir.path().join("damaged.parquet");
    let mut d = bytes.clone();
    let n = d.len();
    d.drain(n / 3..n / 2);
    std::fs::write(&damaged, &d).unwrap();
    refused(&damaged, &["Parquet"]);

    let tiny = dir.path().join("tiny.parquet");
    std::fs::write(&tiny, b"PAR1").unwrap();
    refused(&tiny, &["Parquet", "too short"]);

    let few = dir.path().join("few_columns.parquet");
    csv_to_parquet(
        "data/example_trial.csv",
        &few,
        Some(&["patient_id", "value"]),
    );
    refused(&few, &["visit"]);

    // A SAS data set's first bytes and nothing behind them: recognised, and not readable.
    let mut sas = vec![0u8; 12];
    sas.extend_from_slice(&[
        0xc2, 0xea, 0x81, 0x60, 0xb3, 0x14, 0x11, 0xcf, 0xbd, 0x92, 0x08, 0x00, 0x09, 0xc7, 0x31,
        0x8c, 0x18, 0x1f, 0x10, 0x11,
    ]);
    sas.resize(4096, 0);
    let sas_file = dir.path().join("adsl.sas7bdat");
    std::fs::write(&sas_file, &sas).unwrap();
    refused(&sas_file, &["not a readable SAS data set (sas7bdat)"]);
}

/// Files written by pyarrow 26 (tests/data/make_parquet_pyarrow.py): snappy with dictionary
/// pages, zstd in five row groups, and the ADaM BDS file.
#[test]
fn parquet_written_by_pyarrow_gives_the_results_of_the_csv() {
    let with = |file: &str| {
        let out = run(&["analyze", file, "--format", "csv"]);
        assert!(
            out.status.success(),
            "{file}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    };
    let plain = with("data/example_trial.csv");
    assert!(plain == with("tests/data/example_trial_pyarrow.parquet"));
    assert!(plain == with("tests/data/example_trial_pyarrow_zstd.parquet"));
    assert!(plain == with("tests/data/example_trial_bds_pyarrow.parquet"));
}

/// `trialstat survival` and `safety` read Parquet too: the pilot ADTTE, ADAE and ADSL written
/// as Parquet by polars give the tables of the CSV files, byte for byte.
#[test]
fn survival_and_safety_read_parquet_like_csv() {
    let pilot = repo("../shared/reference/cdiscpilot01");
    if !pilot.join("adtte.csv").exists() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let pq = |name: &str| {
        let out = dir.path().join(format!("{name}.parquet"));
        csv_to_parquet(
            pilot.join(format!("{name}.csv")).to_str().unwrap(),
            &out,
            None,
        );
        out.to_str().unwrap().to_string()
    };
    let csv = |name: &str| {
        pilot
            .join(format!("{name}.csv"))
            .to_str()
            .unwrap()
            .to_string()
    };
    let stdout = |args: &[&str]| {
        let out = run(args);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let (t_pq, t_csv) = (pq("adtte"), csv("adtte"));
    assert_eq!(
        stdout(&["survival", &t_pq, "--format", "csv", "--at", "30,90"]),
        stdout(&["survival", &t_csv, "--format", "csv", "--at", "30,90"])
    );
    let (ae_pq, sl_pq) = (pq("adae"), pq("adsl"));
    let (ae_csv, sl_csv) = (csv("adae"), csv("adsl"));
    assert_eq!(
        stdout(&["safety", &ae_pq, "--adsl", &sl_pq, "--format", "csv"]),
        stdout(&["safety", &ae_csv, "--adsl", &sl_csv, "--format", "csv"])
    );
}
