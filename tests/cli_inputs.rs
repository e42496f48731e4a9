//! The binary on good and bad inputs: every bad input gives exit status 2 and a message that
//! names the file and, where there is one, the line; nothing panics.

mod common;

use assert_cmd::Command;
use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::Stdio;

fn write(dir: &tempfile::TempDir, name: &str, content: &[u8]) -> PathBuf {
    let p = dir.path().join(name);
    std::fs::write(&p, content).unwrap();
    p
}

use common::run_trialstat as run;

fn analyze(path: &std::path::Path, extra: &[&str]) -> (i32, String, String) {
    let mut args = vec!["analyze", path.to_str().unwrap()];
    args.extend_from_slice(extra);
    run(&args)
}

/// Exit 2 with every fragment in the message, and no panic.
#[track_caller]
fn assert_input_error(content: &[u8], extra: &[&str], fragments: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let p = write(&dir, "input.csv", content);
    let (code, _, err) = analyze(&p, extra);
    assert_eq!(code, 2, "exit status; stderr: {err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(
        err.contains("input.csv"),
        "message does not name the file: {err}"
    );
    for f in fragments {
        assert!(err.contains(f), "message lacks '{f}': {err}");
    }
}

const GOOD: &str = "patient_id,arm,visit,week,score\nP1,a,baseline,0,4\nP1,a,week12,12,2\nP2,a,baseline,0,3\nP2,a,week12,12,1\nP3,a,baseline,0,5\nP3,a,week12,12,4\n";

#[test]
fn empty_file() {
    assert_input_error(b"", &[], &["empty"]);
    assert_input_error(b"\n  \n", &[], &["empty"]);
}

#[test]
fn header_only() {
    assert_input_error(b"patient_id,arm,visit,score\n", &[], &["no data rows"]);
}

#[test]
fn missing_required_column_lists_found_and_expected() {
    assert_input_error(
        b"pid,arm,week,score\nP1,a,0,4\n",
        &[],
        &[
            "missing",
            "Columns found: pid, arm, week, score",
            "Expected",
            "patient id",
            "visit",
        ],
    );
}

#[test]
fn non_numeric_value_names_line_column_and_text() {
    let text = GOOD.replace("P2,a,week12,12,1", "P2,a,week12,12,1,5");
    // ragged row: a parse error with its line, not a panic
    assert_input_error(
        text.as_bytes(),
        &[],
        &["line 5", "found 6 fields, expected 5"],
    );
    let text = GOOD.replace("P2,a,week12,12,1", "P2,a,week12,12,mild");
    assert_input_error(
        text.as_bytes(),
        &[],
        &["input.csv:5", "'score'", "'mild'", "expected a number"],
    );
}

#[test]
fn non_numeric_in_long_layout_and_week() {
    let long =
        "patient_id,arm,visit,week,endpoint,value\nP1,a,baseline,0,x,1\nP1,a,week4,four,x,2\n";
    assert_input_error(long.as_bytes(), &[], &["input.csv:3", "'week'", "'four'"]);
    let long =
        "patient_id,arm,visit,week,endpoint,value\nP1,a,baseline,0,x,1\nP1,a,week4,4,x,1;5\n";
    assert_input_error(long.as_bytes(), &[], &["input.csv:3", "'value'", "'1;5'"]);
}

#[test]
fn ragged_rows_in_a_long_file_name_their_line() {
    // Through the typed fast path (a well-formed long file but for one row): a row with a
    // field too many or too few is an error naming its line, not read as a missing value or
    // silently cut. (The week column is not projected, so polars alone would not notice.)
    let long = "patient_id,arm,site,visit,week,endpoint,value\nP1,a,s1,baseline,0,x,1\nP1,a,s1,week4,4,x,2\nP2,a,s1,baseline,0,x,3\nP2,a,s1,week4,4,x,1\n";
    let short = long.replace("P2,a,s1,baseline,0,x,3", "P2,a,s1,baseline,0,x");
    assert_input_error(
        short.as_bytes(),
        &[],
        &["line 4", "found 6 fields, expected 7"],
    );
    let extra = long.replace("P1,a,s1,week4,4,x,2", "P1,a,s1,week4,4,x,2,9");
    assert_input_error(
        extra.as_bytes(),
        &[],
        &["line 3", "found 8 fields, expected 7"],
    );
    // A file with quotes (the whole-file parse) and the string reader (--covariate): the same.
    let quoted = short.replace("P1,a,s1,baseline", "\"P1\",a,s1,baseline");
    assert_input_error(
        quoted.as_bytes(),
        &[],
        &["line 4", "found 6 fields, expected 7"],
    );
    assert_input_error(
        short.as_bytes(),
        &["--covariate", "site"],
        &["line 4", "found 6 fields, expected 7"],
    );
}

#[test]
fn inf_and_nan_text() {
    for bad in ["inf", "NaN", "-Infinity", "nan"] {
        let text = GOOD.replace("P3,a,week12,12,4", &format!("P3,a,week12,12,{bad}"));
        assert_input_error(text.as_bytes(), &[], &["input.csv:7", bad, "finite"]);
    }
}

#[test]
fn duplicate_patient_visit_endpoint() {
    let text = format!("{GOOD}P2,a,week12,12,2\n");
    assert_input_error(
        text.as_bytes(),
        &[],
        &["input.csv:8", "first at line 5", "'P2'", "'week12'"],
    );
}

#[test]
fn patient_in_two_arms() {
    let text = GOOD.replace("P3,a,week12,12,4", "P3,b,week12,12,4");
    assert_input_error(
        text.as_bytes(),
        &[],
        &["input.csv:7", "'P3'", "line 6", "arm"],
    );
}

#[test]
fn empty_patient_id() {
    let text = GOOD.replace("P3,a,week12,12,4", ",a,week12,12,4");
    assert_input_error(text.as_bytes(), &[], &["input.csv:7", "patient_id"]);
}

#[test]
fn inconsistent_week() {
    let text = GOOD.replace("P3,a,week12,12,4", "P3,a,week12,13,4");
    assert_input_error(text.as_bytes(), &[], &["input.csv:7", "week12", "line 3"]);
}

#[test]
fn not_a_file_and_binary_garbage() {
    let (code, _, err) = run(&["analyze", "/nonexistent/trial.csv"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("/nonexistent/trial.csv"), "{err}");
    let garbage: Vec<u8> = (0..2000u32).map(|i| (i * 7919 % 251) as u8).collect();
    let dir = tempfile::tempdir().unwrap();
    let p = write(&dir, "input.csv", &garbage);
    let (code, _, err) = analyze(&p, &[]);
    assert_eq!(code, 2, "{err}");
    assert!(!err.contains("panicked"));
}

#[test]
fn bad_options() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(&dir, "input.csv", GOOD.as_bytes());
    for (args, fragment) in [
        (vec!["--conf-level", "1.5"], "--conf-level"),
        (vec!["--baseline", "day0"], "day0"),
        (vec!["--control", "vehicle"], "vehicle"),
        (vec!["--higher-is-better", "weight"], "weight"),
        (vec!["--responder", "-5"], "--responder"),
        (vec!["--format", "xml"], "xml"),
        (vec!["--id-col", "usubjid"], "usubjid"),
    ] {
        let (code, _, err) = analyze(&p, &args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.contains(fragment), "{args:?}: {err}");
    }
}

#[test]
fn missing_baseline_and_zero_baseline_are_counted() {
    let text = "patient_id,arm,visit,week,score\n\
                P1,a,baseline,0,4\nP1,a,week12,12,2\n\
                P2,a,baseline,0,NA\nP2,a,week12,12,1\n\
                P3,a,baseline,0,0\nP3,a,week12,12,1\n\
                P4,a,baseline,0,5\nP4,a,week12,12,\n\
                P5,a,baseline,0,6\nP5,a,week12,12,3\n";
    let dir = tempfile::tempdir().unwrap();
    let p = write(&dir, "input.csv", text.as_bytes());
    let (code, out, err) = analyze(&p, &["--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let audit = &v["meta"]["audit"];
    assert_eq!(audit["rows_read"], 10);
    // P2 baseline NA (missing) and its week12 (no baseline); P4 week12 empty (missing) and its baseline (no follow-up)
    assert_eq!(audit["rows_used"], 6);
    assert_eq!(audit["rows_left_out"]["missing_value"], 2);
    assert_eq!(audit["rows_left_out"]["no_baseline"], 1);
    assert_eq!(audit["rows_left_out"]["no_follow_up"], 1);
    assert_eq!(audit["baseline_zero_left_out_of_percent_rows"], 1);
    let rows = v["results"].as_array().unwrap();
    let get = |e: &str| rows.iter().find(|r| r["estimand"] == e).unwrap();
    assert_eq!(get("mean_change")["n"], 3);
    assert_eq!(get("mean_pct_change")["n"], 2);
    assert!(get("mean_pct_change")["note"]
        .as_str()
        .unwrap()
        .contains("baseline 0"));
    assert_eq!(get("mean_change")["n_left_out"], 2);
}

#[test]
fn too_few_patients_and_zero_variance_give_rows_with_reasons() {
    let text = "patient_id,arm,visit,score\nP1,a,baseline,4\nP1,a,week12,2\nP2,b,baseline,3\nP2,b,week12,1\nP3,b,baseline,5\nP3,b,week12,3\n";
    let dir = tempfile::tempdir().unwrap();
    let p = write(&dir, "input.csv", text.as_bytes());
    let (code, out, err) = analyze(&p, &["--format", "csv"]);
    assert_eq!(code, 0, "{err}");
    let line = out
        .lines()
        .find(|l| l.starts_with("score,a,week12,within,mean_change,"))
        .unwrap();
    assert!(line.contains("fewer than 2 patients"), "{line}");
    assert!(
        line.contains(",-2,,,,,,1,"),
        "estimate kept, statistics empty: {line}"
    );
    let line = out
        .lines()
        .find(|l| l.starts_with("score,b,week12,within,mean_change,"))
        .unwrap();
    assert!(line.contains("zero variance"), "{line}");
    let line = out
        .lines()
        .find(|l| l.starts_with("score,b,week12,within,cohen_dz,"))
        .unwrap();
    assert!(line.contains("zero variance"), "{line}");
}

#[test]
fn negative_values_warn() {
    let text = GOOD.replace("P3,a,week12,12,4", "P3,a,week12,12,-1");
    let dir = tempfile::tempdir().unwrap();
    let p = write(&dir, "input.csv", text.as_bytes());
    let (code, out, _) = analyze(&p, &["--format", "table"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("warning: 1 negative value(s), first at line 7"),
        "{out}"
    );
}

#[test]
fn dialects_bom_crlf_semicolon_tab_quotes() {
    let base = run(&["analyze", "--format", "csv", &write_tmp(GOOD.as_bytes())]).1;
    let variants: Vec<Vec<u8>> = vec![
        [b"\xef\xbb\xbf".as_slice(), GOOD.as_bytes()].concat(),
        GOOD.replace('\n', "\r\n").into_bytes(),
        GOOD.replace(',', ";").into_bytes(),
        GOOD.replace(',', "\t").into_bytes(),
        GOOD.replace("P1,a,", "\"P1\",\"a\",").into_bytes(),
        GOOD.replace(
            "patient_id,arm,visit,week,score",
            "USUBJID,TRT01A,AVISIT,AVISITN,score",
        )
        .into_bytes(),
    ];
    for v in variants {
        let out = run(&["analyze", "--format", "csv", &write_tmp(&v)]).1;
        assert_eq!(out, base, "variant {:?}", String::from_utf8_lossy(&v[..40]));
    }
}

fn write_tmp(content: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap().keep();
    let p = dir.join("input.csv");
    std::fs::write(&p, content).unwrap();
    p.to_str().unwrap().to_string()
}

#[test]
fn adam_long_layout_and_no_arm_column() {
    let adam = "USUBJID,TRT01A,AVISIT,AVISITN,PARAMCD,AVAL\n01-001,tofa,Baseline,0,PASI,12\n01-001,tofa,Week 12,12,PASI,4\n01-002,tofa,Baseline,0,PASI,20\n01-002,tofa,Week 12,12,PASI,9\n01-003,tofa,Baseline,0,PASI,8\n01-003,tofa,Week 12,12,PASI,5\n";
    let (code, out, err) = run(&["analyze", "--format", "csv", &write_tmp(adam.as_bytes())]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("PASI,tofa,Week 12,within,mean_change,paired_t,-7.333333333333333,"),
        "{out}"
    );
    let no_arm = "patient_id,visit,week,score\nP1,baseline,0,4\nP1,week12,12,2\nP2,baseline,0,3\nP2,week12,12,1\n";
    let (code, out, _) = run(&["analyze", "--format", "csv", &write_tmp(no_arm.as_bytes())]);
    assert_eq!(code, 0);
    assert!(
        out.contains("score,all,week12,within,mean_change,paired_t,-2,"),
        "{out}"
    );
}

#[test]
fn output_is_deterministic_and_independent_of_row_order() {
    let data = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/data/baricitinib_case_series.csv"
    );
    let a = run(&["analyze", data, "--format", "json"]).1;
    let b = run(&["analyze", data, "--format", "json"]).1;
    assert_eq!(a, b);
    let text = std::fs::read_to_string(data).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    let header = lines.remove(0);
    lines.reverse();
    let shuffled = format!("{header}\n{}\n", lines.join("\n"));
    let c = run(&[
        "analyze",
        "--format",
        "csv",
        &write_tmp(shuffled.as_bytes()),
    ])
    .1;
    let d = run(&["analyze", data, "--format", "csv"]).1;
    assert_eq!(c, d);
}

#[test]
fn out_dir_writes_both_files_and_never_overwrites_the_input() {
    let dir = tempfile::tempdir().unwrap();
    let data = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/data/tofacitinib_case_series.csv"
    );
    let out = dir.path().join("res");
    let (code, _, err) = run(&[
        "analyze",
        data,
        "--out",
        out.to_str().unwrap(),
        "--format",
        "csv",
    ]);
    assert_eq!(code, 0, "{err}");
    let csv = std::fs::read_to_string(out.join("results.csv")).unwrap();
    assert!(csv.starts_with("endpoint,arm,visit,comparison,estimand,method,estimate,ci_low,ci_high,statistic,df,p_value,n"));
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("results.json")).unwrap()).unwrap();
    assert_eq!(json["meta"]["input"]["rows"], 36);
    // An input file called results.csv inside the output directory is refused, and kept.
    let input = write(&dir, "results.csv", GOOD.as_bytes());
    let (code, _, err) = run(&[
        "analyze",
        input.to_str().unwrap(),
        "--out",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("refusing to overwrite"), "{err}");
    assert_eq!(std::fs::read_to_string(&input).unwrap(), GOOD);
}

#[test]
fn broken_pipe_exits_quietly() {
    // 300 endpoints × 2 visits × 9 rows: far more than a pipe buffer holds.
    let mut text = String::from("patient_id,arm,visit,week");
    for e in 0..300 {
        text.push_str(&format!(",e{e}"));
    }
    text.push('\n');
    for p in 0..4 {
        for (v, w) in [("baseline", 0), ("week4", 4), ("week8", 8)] {
            text.push_str(&format!("P{p},a,{v},{w}"));
            for e in 0..300 {
                text.push_str(&format!(",{}", 10 + (p * 7 + e * 3 + w) % 11));
            }
            text.push('\n');
        }
    }
    let path = write_tmp(text.as_bytes());
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("trialstat"))
        .args(["analyze", &path, "--format", "csv"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 100];
    child
        .stdout
        .as_mut()
        .unwrap()
        .read_exact(&mut first)
        .unwrap();
    drop(child.stdout.take());
    let status = child.wait().unwrap();
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert!(status.success(), "status {status:?}, stderr {err}");
    assert!(err.is_empty(), "{err}");
    let _ = std::io::stdout().flush();
}

/// Snapshots of the three exporters on the demo data (run from the project root so that the
/// path in `meta` is the relative one). A change here is a change to a public interface:
/// regenerate with `trialstat analyze tests/data/tofacitinib_v1.csv --format F` only on purpose
/// (a frozen copy of the first demo data, so that new demo data do not move the snapshots).
#[test]
fn exporter_snapshots() {
    for (format, file) in [
        ("csv", "tofacitinib_results.csv"),
        ("json", "tofacitinib_results.json"),
        ("table", "tofacitinib_results.txt"),
    ] {
        let out = Command::cargo_bin("trialstat")
            .unwrap()
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args([
                "analyze",
                "tests/data/tofacitinib_v1.csv",
                "--format",
                format,
            ])
            .output()
            .unwrap();
        let want = std::fs::read_to_string(
            concat!(env!("CARGO_MANIFEST_DIR"), "/tests/snapshots/").to_string() + file,
        )
        .unwrap();
        assert_eq!(
            String::from_utf8(out.stdout).unwrap(),
            want,
            "{format} output differs from tests/snapshots/{file}"
        );
    }
}

/// The analysis runs endpoint × visit cells (and bootstrap blocks) in parallel: the output must
/// be byte-identical for 1 and 2 threads.
#[test]
fn output_is_identical_for_any_thread_count() {
    let data = concat!(env!("CARGO_MANIFEST_DIR"), "/data/example_trial.csv");
    let run = |threads: &str| {
        let out = Command::cargo_bin("trialstat")
            .unwrap()
            .env("RAYON_NUM_THREADS", threads)
            .args([
                "analyze",
                data,
                "--format",
                "json",
                "--bootstrap",
                "500",
                "--seed",
                "3",
            ])
            .output()
            .unwrap();
        assert!(out.status.success());
        out.stdout
    };
    assert_eq!(run("1"), run("2"));
}

/// Regression: a chick with a weight at two visits only made every bootstrap resample of a
/// paired standardised difference undefined, and the BCa quantile of no finite replicate
/// indexed an empty vector (a panic, exit 1). It is now an empty interval with a note.
#[test]
fn bootstrap_with_no_finite_replicate_is_a_note_not_a_panic() {
    let (code, out, err) = run(&[
        "analyze",
        "tests/data/chickweight.csv",
        "--baseline",
        "day0",
        "--bootstrap",
        "200",
        "--format",
        "csv",
    ]);
    assert_eq!(code, 0, "stderr: {err}");
    assert!(!err.contains("panicked"), "{err}");
    let noted = out
        .lines()
        .filter(|l| {
            l.contains(",bca_bootstrap,") && l.contains("no bootstrap resample gave a finite value")
        })
        .count();
    assert!(noted >= 1, "no row carries the note:\n{out}");
}
