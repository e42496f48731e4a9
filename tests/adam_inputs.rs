//! SAS transport and ADaM input through the binary:
//! - a BDS file made from data/example_trial.csv (tests/data/make_example_bds.R: ABLFL, BASE,
//!   CHG/PCHG, DTYPE = LOCF records, ANL01FL, baseline retests), as CSV and as XPT, gives with
//!   default options exactly the results of the plain long CSV;
//! - the CDISC pilot's CIBIC+ with ADSL and the efficacy population: every record accounted for
//!   with the counts of tests/reference/adam/adcibc_counts.R, and refused (exit 2) because change
//!   from baseline does not apply to CIBIC+;
//! - malformed input exits 2 naming the file.

use assert_cmd::Command;
use std::path::{Path, PathBuf};

fn repo(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(p)
}

fn pilot(name: &str) -> PathBuf {
    repo("../shared/reference/cdiscpilot01").join(name)
}

fn run(args: &[&str]) -> std::process::Output {
    Command::cargo_bin("trialstat")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn bds_csv_and_xpt_give_the_results_of_the_plain_long_file() {
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
        let plain = with("data/example_trial.csv");
        assert!(plain.len() > 10_000);
        assert!(
            plain == with("tests/data/example_trial_bds.csv"),
            "BDS CSV {extra:?}"
        );
        assert!(
            plain == with("tests/data/example_trial_bds.xpt"),
            "BDS XPT {extra:?}"
        );
    }
}

#[test]
fn bds_audit_names_the_records_left_out_and_the_meta_the_file() {
    let out = run(&[
        "analyze",
        "tests/data/example_trial_bds.xpt",
        "--format",
        "json",
    ]);
    assert!(out.status.success());
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let input = &json["meta"]["input"];
    assert_eq!(input["rows"], 2319);
    assert_eq!(input["file"]["format"], "xpt_v5");
    assert_eq!(input["file"]["member"], "ADEX");
    assert_eq!(input["file"]["dataset_label"], "Example trial, ADaM BDS");
    let filters = input["file"]["filters"].as_array().unwrap();
    // tests/data/make_example_bds.R: 39 LOCF records, 72 baseline retests
    assert_eq!(filters[0]["removed"], 39);
    assert_eq!(filters[1]["removed"], 72);
    let table = run(&[
        "analyze",
        "tests/data/example_trial_bds.xpt",
        "--format",
        "table",
    ]);
    let text = String::from_utf8_lossy(&table.stdout);
    assert!(text.contains("2319 rows read"), "{text}");
    assert!(text.contains("left out, derived_record: 39"));
    assert!(text.contains("left out, not_baseline_record: 72"));
    assert!(
        text.contains("example_trial_bds.xpt, data set ADEX \"Example trial, ADaM BDS\" ("),
        "{text}"
    );
}

#[test]
fn dtype_locf_uses_the_sponsors_records() {
    // With --dtype LOCF each of the 39 derived records (tests/data/make_example_bds.R) fills one
    // patient × endpoint × visit cell that is missing otherwise: the within-arm mean-change rows
    // count 39 more patients in all.
    let n_total = |args: &[&str]| -> u64 {
        let out = run(args);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter(|l| l.contains(",within,mean_change,paired_t,"))
            .map(|l| l.split(',').nth(12).unwrap().parse::<u64>().unwrap())
            .sum()
    };
    let observed = n_total(&[
        "analyze",
        "tests/data/example_trial_bds.csv",
        "--format",
        "csv",
    ]);
    let sponsor = n_total(&[
        "analyze",
        "tests/data/example_trial_bds.csv",
        "--dtype",
        "LOCF",
        "--format",
        "csv",
    ]);
    assert_eq!(sponsor, observed + 39);
}

#[test]
fn cibic_with_adsl_and_efficacy_population_is_accounted_and_refused() {
    let (cibc, adsl) = (pilot("adcibc.xpt"), pilot("adsl.xpt"));
    let out = run(&[
        "analyze",
        cibc.to_str().unwrap(),
        "--adsl",
        adsl.to_str().unwrap(),
        "--population",
        "EFFFL",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("adcibc.xpt"), "{err}");
    assert!(err.contains("CIBICVAL (CIBIC Score)"), "{err}");
    assert!(err.contains("change from baseline does not apply"), "{err}");
    // tests/reference/adam/adcibc_counts.csv (R from the CSV conversions)
    let counts = std::fs::read_to_string(repo("tests/reference/adam/adcibc_counts.csv")).unwrap();
    let get = |what: &str| -> u64 {
        counts
            .lines()
            .find_map(|l| l.strip_prefix(&format!("{what},")))
            .unwrap()
            .parse()
            .unwrap()
    };
    assert!(err.contains(&format!("{} read", get("read"))), "{err}");
    assert!(
        err.contains(&format!("{} kept after the filters", get("kept"))),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "{} removed: derived record",
            get("derived_record")
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "{} removed: outside the analysis population",
            get("outside_population")
        )),
        "{err}"
    );
    assert_eq!(get("not_in_adsl") + get("population_flag_missing"), 0);
}

#[test]
fn malformed_inputs_exit_2_naming_the_file() {
    let dir = std::env::temp_dir().join(format!("trialstat-adam-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bytes = std::fs::read(pilot("adcibc.xpt")).unwrap();
    let truncated = dir.join("truncated.xpt");
    std::fs::write(&truncated, &bytes[..5000]).unwrap();
    let garbage = dir.join("garbage.xpt");
    std::fs::write(&garbage, b"HEADER RECORD*******LIBRARY but nothing else").unwrap();
    let no_usubjid = dir.join("adsl_no_id.csv");
    std::fs::write(&no_usubjid, "SUBJID,EFFFL\n1015,Y\n").unwrap();
    let cases: Vec<(Vec<String>, &str)> = vec![
        (vec![truncated.display().to_string()], "truncated"),
        (
            vec![garbage.display().to_string()],
            "not a SAS transport file",
        ),
        (
            vec![
                "tests/data/example_trial_bds.csv".into(),
                "--adsl".into(),
                no_usubjid.display().to_string(),
            ],
            "no USUBJID column",
        ),
        (
            vec![
                "tests/data/example_trial_bds.xpt".into(),
                "--member".into(),
                "ADSL".into(),
            ],
            "is not in the file",
        ),
    ];
    for (args, what) in cases {
        let mut a = vec!["analyze".to_string()];
        a.extend(args.clone());
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        let out = run(&a);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(what), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
    std::fs::remove_dir_all(&dir).ok();
}
