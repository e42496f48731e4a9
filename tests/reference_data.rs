//! The whole pipeline (binary → CSV) against R on real and demo data sets.
//! References: tests/reference/anorexia.R (MASS::anorexia, real trial data) and
//! tests/reference/case_series.R (the bundled demo data).

mod common;
use assert_cmd::Command;
use common::*;
use std::collections::HashMap;

type Key = (String, String, String, String, String);

fn parse_table(text: &str) -> Vec<HashMap<String, String>> {
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let headers = rdr.headers().unwrap().clone();
    rdr.records()
        .map(|r| {
            let r = r.unwrap();
            headers
                .iter()
                .zip(r.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

fn key(row: &HashMap<String, String>) -> Key {
    (
        row["endpoint"].clone(),
        row["arm"].clone(),
        row["visit"].clone(),
        row["estimand"].clone(),
        row["method"].clone(),
    )
}

/// Run `trialstat analyze` with `args` and compare every row of `reference` (a CSV with the
/// results-table columns) with what it prints.
pub fn compare_with_reference(args: &[&str], reference: &str) -> usize {
    let out = Command::cargo_bin("trialstat")
        .unwrap()
        .args(args)
        .args(["--format", "csv"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let ours: HashMap<Key, HashMap<String, String>> =
        parse_table(&String::from_utf8(out.stdout).unwrap())
            .into_iter()
            .map(|r| (key(&r), r))
            .collect();
    let refs = parse_table(&std::fs::read_to_string(reference).unwrap());
    let mut compared = 0;
    for want in &refs {
        let k = key(want);
        let got = ours.get(&k).unwrap_or_else(|| panic!("no row {k:?}"));
        assert_eq!(got["n"], want["n"], "{k:?} n");
        let tol = if want["method"] == "noncentral_t" {
            TOL_ROOT
        } else {
            TOL_CLOSED
        };
        for col in [
            "estimate",
            "ci_low",
            "ci_high",
            "statistic",
            "df",
            "p_value",
        ] {
            match (want[col].as_str(), got[col].as_str()) {
                ("", g) => assert!(
                    g.is_empty() || col == "statistic" || col == "df",
                    "{k:?} {col}: R has none, we have {g}"
                ),
                (w, "") => panic!("{k:?} {col}: R gives {w}, we give nothing"),
                (w, g) => {
                    assert_close(
                        &format!("{k:?} {col}"),
                        g.parse().unwrap(),
                        w.parse().unwrap(),
                        tol,
                    );
                    compared += 1;
                }
            }
        }
    }
    compared
}

#[test]
fn anorexia_within_arm_rows_match_r() {
    let n = compare_with_reference(
        &[
            "analyze",
            concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/anorexia.csv"),
            "--baseline",
            "pre",
            "--higher-is-better",
            "weight_lb",
            "--responder",
            "5,10",
        ],
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/reference/anorexia_reference.csv"
        ),
    );
    assert!(n >= 60, "only {n} numbers compared");
}
