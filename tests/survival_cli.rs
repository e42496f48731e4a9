//! `trialstat survival` end to end: the CDISC pilot ADTTE against R (tests/reference/survival/
//! survival_reference.R: km_quantiles.csv, km_survival_at.csv, log_rank.csv, cox.csv), and bad
//! inputs (negative times, indicators other than 0/1, all censored, an arm without events).

use assert_cmd::Command;
use std::collections::HashMap;

const ADTTE: &str = "../shared/reference/cdiscpilot01/adtte.csv";
const DIR: &str = "tests/reference/survival";

fn csv_rows(text: &str) -> Vec<HashMap<String, String>> {
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

fn file_rows(path: &str) -> Vec<HashMap<String, String>> {
    csv_rows(&std::fs::read_to_string(path).unwrap())
}

fn run(args: &[&str]) -> (bool, String, String) {
    let out = Command::cargo_bin("trialstat")
        .unwrap()
        .args(args)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn same(ours: &str, r: &str, tol: f64, what: &str) {
    if r.is_empty() || r == "NA" {
        assert!(
            ours.is_empty() || ours == "inf",
            "{what}: ours {ours}, R NA"
        );
        return;
    }
    let (a, b): (f64, f64) = (ours.parse().unwrap(), r.parse().unwrap());
    assert!((a - b).abs() <= tol * b.abs(), "{what}: ours {a}, R {b}");
}

#[test]
fn adtte_table_equals_r() {
    if !std::path::Path::new(ADTTE).exists() {
        return;
    }
    let (ok, out, err) = run(&["survival", ADTTE, "--format", "csv", "--at", "30,60,90,180"]);
    assert!(ok, "{err}");
    let rows = csv_rows(&out);
    let mut checked = 0;
    for q in file_rows(&format!("{DIR}/km_quantiles.csv"))
        .iter()
        .filter(|r| r["data"] == "adtte")
    {
        let est = match q["prob"].as_str() {
            "0.25" => "q25_time",
            "0.5" => "median_time",
            _ => "q75_time",
        };
        let row = rows
            .iter()
            .find(|r| r["arm"] == q["group"] && r["estimand"] == est)
            .unwrap();
        assert_eq!(row["method"], "kaplan_meier");
        same(&row["estimate"], &q["quantile"], 1e-12, est);
        same(&row["ci_low"], &q["lower"], 1e-12, est);
        same(&row["ci_high"], &q["upper"], 1e-12, est);
        checked += 1;
    }
    for s in file_rows(&format!("{DIR}/km_survival_at.csv"))
        .iter()
        .filter(|r| r["data"] == "adtte")
    {
        let est = format!("survival_at_{}", s["time"]);
        let row = rows
            .iter()
            .find(|r| r["arm"] == s["group"] && r["estimand"] == est)
            .unwrap();
        same(&row["estimate"], &s["surv"], 1e-12, &est);
        same(&row["statistic"], &s["std_err"], 1e-9, &est);
        same(&row["ci_low"], &s["lower"], 1e-9, &est);
        same(&row["ci_high"], &s["upper"], 1e-9, &est);
        checked += 1;
    }
    for l in file_rows(&format!("{DIR}/log_rank.csv"))
        .iter()
        .filter(|r| r["data"] == "adtte" && r["stratified"] == "FALSE")
    {
        let row = rows
            .iter()
            .find(|r| r["arm"] == l["arm"] && r["estimand"] == "survival_diff")
            .unwrap();
        assert_eq!(row["comparison"], format!("{} vs Placebo", l["arm"]));
        same(&row["statistic"], &l["chisq"], 1e-9, "chisq");
        same(&row["p_value"], &l["p"], 1e-7, "p");
        assert_eq!(row["df"], "1");
        checked += 1;
    }
    for c in file_rows(&format!("{DIR}/cox.csv")).iter().filter(|r| {
        r["data"] == "adtte"
            && r["ties"] == "efron"
            && r["adjusted"] == "FALSE"
            && r["stratified"] == "FALSE"
    }) {
        let row = rows
            .iter()
            .find(|r| r["arm"] == c["arm"] && r["estimand"] == "hazard_ratio")
            .unwrap();
        same(&row["estimate"], &c["hr"], 1e-4, "hr");
        same(&row["ci_low"], &c["lower"], 1e-4, "hr lower");
        same(&row["ci_high"], &c["upper"], 1e-4, "hr upper");
        same(&row["p_value"], &c["p"], 1e-4, "hr p");
        checked += 1;
    }
    assert!(checked >= 9 + 12 + 2 + 2, "{checked}");

    // Stratified, adjusted, Breslow.
    let (ok, out, err) = run(&[
        "survival",
        ADTTE,
        "--format",
        "csv",
        "--strata",
        "SEX",
        "--covariate",
        "AGE",
        "--ties",
        "breslow",
    ]);
    assert!(ok, "{err}");
    let rows = csv_rows(&out);
    let mut checked = 0;
    for c in file_rows(&format!("{DIR}/cox.csv")).iter().filter(|r| {
        r["data"] == "adtte"
            && r["ties"] == "breslow"
            && r["adjusted"] == "TRUE"
            && r["stratified"] == "TRUE"
            && r["term"].starts_with('g')
    }) {
        let row = rows
            .iter()
            .find(|r| r["arm"] == c["arm"] && r["estimand"] == "hazard_ratio")
            .unwrap();
        same(&row["estimate"], &c["hr"], 1e-4, "hr");
        same(&row["p_value"], &c["p"], 1e-4, "p");
        checked += 1;
    }
    for l in file_rows(&format!("{DIR}/log_rank.csv"))
        .iter()
        .filter(|r| r["data"] == "adtte" && r["stratified"] == "TRUE")
    {
        let row = rows
            .iter()
            .find(|r| r["arm"] == l["arm"] && r["estimand"] == "survival_diff")
            .unwrap();
        same(&row["statistic"], &l["chisq"], 1e-9, "stratified chisq");
        checked += 1;
    }
    assert_eq!(checked, 4);
}

fn write(dir: &tempfile::TempDir, text: &str) -> String {
    let p = dir.path().join("t.csv");
    std::fs::write(&p, text).unwrap();
    p.display().to_string()
}

#[test]
fn bad_inputs_give_clear_messages_never_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(&dir, "time,event,arm\n1,1,a\n-2,0,a\n3,1,b\n");
    let (ok, _, err) = run(&["survival", &f]);
    assert!(
        !ok && err.contains(":3: column 'time'") && err.contains("-2"),
        "{err}"
    );
    let f = write(&dir, "time,event,arm\n1,1,a\n2,2,a\n3,1,b\n");
    let (ok, _, err) = run(&["survival", &f]);
    assert!(
        !ok && err.contains(":3: column 'event'") && err.contains("0 (censored) or 1"),
        "{err}"
    );

    // all censored; an arm without events; ties of event and censoring times
    let f = write(
        &dir,
        "time,event,arm\n1,0,placebo\n2,0,placebo\n2,0,placebo\n3,0,placebo\n1,1,drug\n2,1,drug\n2,0,drug\n4,1,drug\n",
    );
    let (ok, out, err) = run(&["survival", &f, "--format", "csv", "--at", "2,10"]);
    assert!(ok, "{err}");
    let rows = csv_rows(&out);
    let med = rows
        .iter()
        .find(|r| r["arm"] == "placebo" && r["estimand"] == "median_time")
        .unwrap();
    assert!(
        med["estimate"].is_empty() && med["note"].contains("not reached"),
        "{med:?}"
    );
    let hr = rows
        .iter()
        .find(|r| r["estimand"] == "hazard_ratio")
        .unwrap();
    assert!(
        hr["estimate"].is_empty() && hr["note"].contains("no events in placebo"),
        "{hr:?}"
    );
    let lr = rows
        .iter()
        .find(|r| r["estimand"] == "survival_diff")
        .unwrap();
    assert!(!lr["statistic"].is_empty(), "{lr:?}");
    let late = rows
        .iter()
        .find(|r| r["arm"] == "drug" && r["estimand"] == "survival_at_10")
        .unwrap();
    assert!(
        late["estimate"].is_empty() && late["note"].contains("beyond"),
        "{late:?}"
    );
    let (ok, out, _) = run(&["survival", &f, "--format", "table"]);
    assert!(ok && out.contains("NR"), "{out}");
}

#[test]
fn figures_are_written_as_png() {
    if !std::path::Path::new(ADTTE).exists() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().display().to_string();
    let (ok, _, err) = run(&[
        "survival", ADTTE, "--format", "csv", "--plots", &d, "--bands",
    ]);
    assert!(ok, "{err}");
    let (ok, _, err) = run(&[
        "safety",
        "../shared/reference/cdiscpilot01/adae.csv",
        "--adsl",
        "../shared/reference/cdiscpilot01/adsl.csv",
        "--format",
        "csv",
        "--plots",
        &d,
    ]);
    assert!(ok, "{err}");
    for f in ["km_TTDE.png", "ae_dot_plot.png"] {
        let bytes = std::fs::read(dir.path().join(f)).unwrap();
        assert_eq!(&bytes[1..4], b"PNG", "{f}");
    }
}

/// `--convention sas` adds every Kaplan–Meier row again as `kaplan_meier_sas` with log-log
/// limits (R `conf.type = "log-log"`, tests/reference/survival/loglog_reference.R) and leaves
/// the default rows byte for byte as they were.
#[test]
fn adtte_sas_convention_adds_log_log_rows() {
    if !std::path::Path::new(ADTTE).exists() {
        return;
    }
    let args = ["survival", ADTTE, "--format", "csv", "--at", "30,60,90,180"];
    let (ok, plain, err) = run(&args);
    assert!(ok, "{err}");
    let (ok, out, err) = run(&[&args[..], &["--convention", "sas"]].concat());
    assert!(ok, "{err}");
    let rows = csv_rows(&out);
    let without: Vec<_> = rows
        .iter()
        .filter(|r| r["method"] != "kaplan_meier_sas")
        .cloned()
        .collect();
    assert_eq!(without, csv_rows(&plain));
    let mut checked = 0;
    for q in file_rows(&format!("{DIR}/km_loglog_quantiles.csv"))
        .iter()
        .filter(|r| r["data"] == "adtte")
    {
        let est = match q["prob"].as_str() {
            "0.25" => "q25_time",
            "0.5" => "median_time",
            _ => "q75_time",
        };
        let row = rows
            .iter()
            .find(|r| {
                r["arm"] == q["group"] && r["estimand"] == est && r["method"] == "kaplan_meier_sas"
            })
            .unwrap();
        same(&row["estimate"], &q["quantile"], 1e-12, est);
        same(&row["ci_low"], &q["lower"], 1e-12, est);
        same(&row["ci_high"], &q["upper"], 1e-12, est);
        checked += 1;
    }
    for s in file_rows(&format!("{DIR}/km_loglog_at.csv"))
        .iter()
        .filter(|r| r["data"] == "adtte")
    {
        let est = format!("survival_at_{}", s["time"]);
        let row = rows
            .iter()
            .find(|r| {
                r["arm"] == s["group"] && r["estimand"] == est && r["method"] == "kaplan_meier_sas"
            })
            .unwrap();
        same(&row["estimate"], &s["surv"], 1e-12, &est);
        same(&row["ci_low"], &s["lower"], 1e-9, &est);
        same(&row["ci_high"], &s["upper"], 1e-9, &est);
        checked += 1;
    }
    assert_eq!(checked, 9 + 12);
}

/// ADTTE as the sponsor's SAS transport file gives the same rows, byte for byte, as its CSV
/// conversion (haven::read_xpt).
#[test]
fn adtte_xpt_equals_its_csv_conversion() {
    let xpt = ADTTE.replace(".csv", ".xpt");
    if !std::path::Path::new(&xpt).exists() {
        return;
    }
    let (ok, from_xpt, err) = run(&["survival", &xpt, "--format", "csv", "--at", "30,90"]);
    assert!(ok, "{err}");
    let (ok, from_csv, err) = run(&["survival", ADTTE, "--format", "csv", "--at", "30,90"]);
    assert!(ok, "{err}");
    assert_eq!(from_xpt, from_csv);
    let meta = |file: &str| {
        let (ok, out, err) = run(&["survival", file, "--format", "json"]);
        assert!(ok, "{err}");
        serde_json::from_str::<serde_json::Value>(&out).expect("json")["meta"]["input"].clone()
    };
    assert_eq!(meta(&xpt)["format"], "xpt_v5");
    assert!(meta(ADTTE).get("format").is_none());
}

/// The same ADTTE as a SAS data set (haven::write_sas, tests/data/make_adtte_sas7bdat.R) gives
/// the rows of the CSV conversion too, and the meta says `sas7bdat`.
#[test]
fn adtte_sas7bdat_equals_its_csv_conversion() {
    if !std::path::Path::new(ADTTE).exists() {
        return;
    }
    let sas = "tests/data/sas7bdat/adtte_pilot.sas7bdat";
    let (ok, from_sas, err) = run(&["survival", sas, "--format", "csv", "--at", "30,90"]);
    assert!(ok, "{err}");
    let (ok, from_csv, err) = run(&["survival", ADTTE, "--format", "csv", "--at", "30,90"]);
    assert!(ok, "{err}");
    assert_eq!(from_sas, from_csv);
    let (ok, out, err) = run(&["survival", sas, "--format", "json"]);
    assert!(ok, "{err}");
    let meta = serde_json::from_str::<serde_json::Value>(&out).expect("json");
    assert_eq!(meta["meta"]["input"]["format"], "sas7bdat");
    // A damaged one: exit 2, the file named once, no panic.
    let dir = tempfile::tempdir().unwrap();
    let cut = dir.path().join("adtte_cut.sas7bdat");
    let bytes = std::fs::read(sas).unwrap();
    std::fs::write(&cut, &bytes[..5000]).unwrap();
    let out = assert_cmd::Command::cargo_bin("trialstat")
        .unwrap()
        .args(["survival", cut.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.matches("adtte_cut.sas7bdat").count(), 1, "{err}");
    assert!(
        err.contains("sas7bdat") && !err.contains("panicked"),
        "{err}"
    );
}
