//! `analyze --response NAME="ENDPOINT: CONDITION [where CONDITION]"`: the named rows with the
//! counts of tests/reference/responders/example_trial_named.R, the same numbers as the built-in
//! responder rows for the same definition, and exit-2 errors that point at the character.

mod common;

use common::{parse_table, run_trialstat as run};

const ER1: &str = "er1=erythema: value <= 1 and change <= -1";
const ITCH4: &str = "itch4=pruritus: change <= -4 where baseline >= 4";

#[test]
fn named_rows_match_r_counts() {
    let (code, out, err) = run(&[
        "analyze",
        "data/example_trial.csv",
        "--response",
        ER1,
        "--response",
        ITCH4,
        "--strata",
        "site",
        "--format",
        "csv",
    ]);
    assert_eq!(code, 0, "{err}");
    let rows = parse_table(&out);
    let mut reference =
        csv::Reader::from_path("tests/reference/responders/example_trial_named.csv")
            .expect("reference");
    let mut checked = 0;
    for rec in reference.records() {
        let rec = rec.expect("record");
        let (response, arm) = (&rec[0], &rec[1]);
        let (k, n): (f64, usize) = (rec[2].parse().expect("k"), rec[3].parse().expect("n"));
        let row = rows
            .iter()
            .find(|r| {
                r["arm"] == arm
                    && r["visit"] == "week12"
                    && r["comparison"] == "within"
                    && r["estimand"] == format!("{response}_rate")
                    && r["method"] == "clopper_pearson"
            })
            .unwrap_or_else(|| panic!("no {response}_rate row for {arm}"));
        assert_eq!(row["n"].parse::<usize>().expect("n"), n, "{response} {arm}");
        let rate: f64 = row["estimate"].parse().expect("estimate");
        assert!(
            (rate - k / n as f64).abs() < 1e-15,
            "{response} {arm}: {rate}"
        );
        checked += 1;
    }
    assert_eq!(checked, 6);
    for (estimand, method) in [
        ("er1_rate", "wilson"),
        ("er1_diff", "newcombe"),
        ("er1_odds_ratio", "fisher_exact"),
        ("er1_risk_ratio", "log"),
        ("er1_diff", "miettinen_nurminen"),
        ("er1_cmh", "cmh"),
        ("itch4_diff", "mh_sato"),
        ("itch4_homogeneity", "breslow_day"),
    ] {
        assert!(
            rows.iter()
                .any(|r| r["estimand"] == estimand && r["method"] == method),
            "no {estimand}/{method}"
        );
    }
    let (_, out, _) = run(&[
        "analyze",
        "data/example_trial.csv",
        "--response",
        ER1,
        "--format",
        "json",
    ]);
    let json: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(
        json["meta"]["options"]["responses"],
        serde_json::json!([ER1])
    );
}

/// `pct_change <= -50` is responder50 of a lower-is-better endpoint: the same rows, numbers
/// and notes.
#[test]
fn a_definition_equal_to_responder50_gives_its_numbers() {
    let (code, out, err) = run(&[
        "analyze",
        "data/example_trial.csv",
        "--response",
        "r50=erythema: pct_change <= -50",
        "--format",
        "csv",
    ]);
    assert_eq!(code, 0, "{err}");
    let rows = parse_table(&out);
    let mut checked = 0;
    for r in rows
        .iter()
        .filter(|r| r["endpoint"] == "erythema" && r["estimand"].starts_with("r50_"))
    {
        let twin = rows
            .iter()
            .find(|t| {
                t["endpoint"] == "erythema"
                    && t["arm"] == r["arm"]
                    && t["visit"] == r["visit"]
                    && t["comparison"] == r["comparison"]
                    && t["method"] == r["method"]
                    && t["estimand"] == r["estimand"].replace("r50_", "responder50_")
            })
            .unwrap_or_else(|| panic!("no twin of {r:?}"));
        for col in ["estimate", "ci_low", "ci_high", "statistic", "p_value", "n"] {
            assert_eq!(
                r[col], twin[col],
                "{} {} {}",
                r["estimand"], r["method"], col
            );
        }
        checked += 1;
    }
    assert!(checked >= 4 * (3 * 3 + 2 * 5), "{checked}");
}

#[test]
fn errors_are_exit_2_and_point_at_the_character() {
    let (code, _, err) = run(&[
        "analyze",
        "data/example_trial.csv",
        "--response",
        "iga01=erythema: value <= 1 and chnge <= -2",
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("unknown variable 'chnge'") && err.contains("at character 32"),
        "{err}"
    );
    let caret = err.lines().find(|l| l.trim() == "^").expect("caret line");
    let text = err
        .lines()
        .find(|l| l.starts_with("  iga01="))
        .expect("text line");
    let col = caret.find('^').expect("caret");
    assert_eq!(&text[col..col + 5], "chnge", "{err}");
    let (code, _, err) = run(&[
        "analyze",
        "data/example_trial.csv",
        "--response",
        "iga01=iga: value <= 1",
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("endpoint 'iga' is not in the data") && err.contains("erythema"),
        "{err}"
    );
}
