//! `analyze --intercurrent COL --strategy S` on a small file whose responder counts are worked
//! out by hand in the comments: composite, treatment policy and hypothetical strategies, the
//! JSON meta and audit, the table footnote, and the exit-2 error on a bad flag.

mod common;

use common::{parse_table, run_trialstat as run};

// Drug: D1 10 → 4 → 2, rescue at week4; D2 10 → 8 → 4; D3 10 → 3 → (missing), rescue at week12.
// Placebo: P1 10 → 9 → 9; P2 10 → 4 → 5; P3 10 → 10 → 10.
const DATA: &str = "patient_id,arm,visit,week,endpoint,value,rescue
D1,drug,baseline,0,pasi,10,N
D1,drug,week4,4,pasi,4,Y
D1,drug,week12,12,pasi,2,y
D2,drug,baseline,0,pasi,10,
D2,drug,week4,4,pasi,8,0
D2,drug,week12,12,pasi,4,false
D3,drug,baseline,0,pasi,10,no
D3,drug,week4,4,pasi,3,N
D3,drug,week12,12,pasi,,1
P1,placebo,baseline,0,pasi,10,N
P1,placebo,week4,4,pasi,9,N
P1,placebo,week12,12,pasi,9,N
P2,placebo,baseline,0,pasi,10,
P2,placebo,week4,4,pasi,4,
P2,placebo,week12,12,pasi,5,
P3,placebo,baseline,0,pasi,10,0
P3,placebo,week4,4,pasi,10,0
P3,placebo,week12,12,pasi,10,TRUE
";

fn responders(strategy: &str, visit: &str) -> (String, String) {
    responders_named(strategy, visit, "responder50")
}

/// The drug arm's count at `visit` for the rate rows named `estimand_prefix` (`responder50`,
/// or `r50`, the same definition given with `--response`).
fn responders_named(strategy: &str, visit: &str, estimand_prefix: &str) -> (String, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = dir.path().join("input.csv");
    std::fs::write(&p, DATA).expect("write");
    let (code, out, err) = run(&[
        "analyze",
        p.to_str().expect("path"),
        "--intercurrent",
        "rescue",
        "--strategy",
        strategy,
        "--responder",
        "50",
        "--response",
        "r50=pasi: pct_change <= -50",
        "--format",
        "csv",
    ]);
    assert_eq!(code, 0, "{err}");
    let rows = parse_table(&out);
    let estimand = format!("{estimand_prefix}_rate");
    let r = rows
        .iter()
        .find(|r| {
            r["arm"] == "drug"
                && r["visit"] == visit
                && r["estimand"] == estimand
                && r["method"] == "clopper_pearson"
        })
        .expect("row");
    (
        format!(
            "{}/{}",
            (r["estimate"].parse::<f64>().expect("estimate") * r["n"].parse::<f64>().expect("n"))
                .round(),
            r["n"]
        ),
        r["note"].clone(),
    )
}

#[test]
fn the_three_strategies_count_as_worked_out() {
    // Treatment policy: week4 D1, D3 respond of 3; week12 D1, D2 of 2 (D3 missing).
    assert_eq!(responders("treatment-policy", "week4").0, "2/3");
    assert_eq!(responders("treatment-policy", "week12").0, "2/2");
    // Composite: week4 only D3 (D1 rescued) of 3; week12 D2 of 3 (D1 and D3 rescued, D3 in the
    // denominator although its value is missing).
    let (count, note) = responders("composite", "week4");
    assert_eq!(count, "1/3");
    assert!(
        note.contains("1 patient(s) with the intercurrent event by week4"),
        "{note}"
    );
    assert_eq!(responders("composite", "week12").0, "1/3");
    // Hypothetical: D1's week4 and week12 values set to missing; week4 D3 of D2, D3; week12 D2 of D2.
    assert_eq!(responders("hypothetical", "week4").0, "1/2");
    assert_eq!(responders("hypothetical", "week12").0, "1/1");
}

#[test]
fn a_named_response_counts_intercurrent_events_as_the_built_in_responder_does() {
    for strategy in ["treatment-policy", "composite", "hypothetical"] {
        for visit in ["week4", "week12"] {
            assert_eq!(
                responders_named(strategy, visit, "r50").0,
                responders_named(strategy, visit, "responder50").0,
                "{strategy} {visit}"
            );
        }
    }
}

#[test]
fn the_strategy_is_in_the_meta_the_audit_and_the_footnote() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = dir.path().join("input.csv");
    std::fs::write(&p, DATA).expect("write");
    let path = p.to_str().expect("path");
    let (code, out, err) = run(&[
        "analyze",
        path,
        "--intercurrent",
        "rescue",
        "--strategy",
        "hypothetical",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{err}");
    let json: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(
        json["meta"]["options"]["intercurrent"],
        serde_json::json!({"column": "rescue", "strategy": "hypothetical"})
    );
    let audit = &json["meta"]["audit"]["intercurrent"];
    // D1 (week4), D3 (week12) and P3 (week12) have an event; D1's two values are set missing
    // (D3's week12 is already missing, P3's week12 value 10 is the third).
    assert_eq!(audit["patients_with_event"], 3, "{audit}");
    assert_eq!(audit["values_set_missing"], 3, "{audit}");
    let (code, out, err) = run(&[
        "analyze",
        path,
        "--intercurrent",
        "rescue",
        "--format",
        "table",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("Intercurrent events (rescue): composite"),
        "{out}"
    );
}

#[test]
fn a_bad_flag_is_an_error_naming_line_column_and_value() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = dir.path().join("input.csv");
    std::fs::write(
        &p,
        DATA.replace("D2,drug,week4,4,pasi,8,0", "D2,drug,week4,4,pasi,8,maybe"),
    )
    .expect("write");
    let (code, _, err) = run(&[
        "analyze",
        p.to_str().expect("path"),
        "--intercurrent",
        "rescue",
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("input.csv:6") && err.contains("'rescue'") && err.contains("'maybe'"),
        "{err}"
    );
    let (code, _, err) = run(&[
        "analyze",
        p.to_str().expect("path"),
        "--intercurrent",
        "rescued",
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("'rescued'") && err.contains("--intercurrent"),
        "{err}"
    );
}
