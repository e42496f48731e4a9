//! `trialstat reproduce` and `trialstat simulate` on the shipped claims files, against R
//! (tests/reference/reproduce_reference.R) and the published worked examples of the checks.

mod common;

use common::{assert_close, parse_table, run_trialstat as run, TOL_CLOSED};
use std::collections::HashMap;

const TOFA: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/data/reported/tofacitinib_case_series.toml"
);
const BARI: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/data/reported/baricitinib_case_series.toml"
);

fn claims_csv(args: &[&str]) -> Vec<HashMap<String, String>> {
    let mut all = vec!["reproduce"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "csv"]);
    let (code, out, err) = run(&all);
    assert_eq!(code, 0, "{err}");
    parse_table(&out)
}

fn by_id<'a>(rows: &'a [HashMap<String, String>], id: &str) -> &'a HashMap<String, String> {
    rows.iter()
        .find(|r| r["id"] == id)
        .unwrap_or_else(|| panic!("no claim {id}"))
}

fn reference() -> HashMap<String, f64> {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/reference/reproduce_reference.csv"
    ))
    .unwrap();
    text.lines()
        .skip(1)
        .map(|l| {
            let (k, v) = l.split_once(',').unwrap();
            (k.to_string(), v.parse().unwrap())
        })
        .collect()
}

fn num(r: &HashMap<String, String>, col: &str) -> f64 {
    r[col]
        .parse()
        .unwrap_or_else(|_| panic!("{col} = {:?}", r[col]))
}

fn write_tmp(dir: &tempfile::TempDir, name: &str, text: &str) -> String {
    let p = dir.path().join(name);
    std::fs::write(&p, text).unwrap();
    p.to_str().unwrap().to_string()
}

/// The issue's acceptance figures: implied SD of percent change about 11.0–12.6, p far below
/// 0.01, 4/12 → 9.9%–65.1%, no conflict between week 12 and week 24; every figure equal to R's.
#[test]
fn tofacitinib_claims_imply_what_r_computes() {
    let rows = claims_csv(&[TOFA]);
    assert_eq!(&rows[0].keys().len(), &rows[0].len());
    let r = reference();
    let t = by_id(&rows, "thickness_wk12");
    assert_eq!(t["verdict"], "consistent", "{}", t["reason"]);
    for (col, key) in [
        ("recomputed_se_low", "se_low"),
        ("recomputed_se_high", "se_high"),
        ("recomputed_sd_low", "sd_low"),
        ("recomputed_sd_high", "sd_high"),
        ("recomputed_statistic_low", "t_low"),
        ("recomputed_statistic_high", "t_high"),
        ("recomputed_p_low", "p_low"),
        ("recomputed_p_high", "p_high"),
        ("recomputed_dz_low", "dz_low"),
        ("recomputed_dz_high", "dz_high"),
    ] {
        assert_close(col, num(t, col), r[key], TOL_CLOSED);
    }
    assert!((11.0..11.1).contains(&num(t, "recomputed_sd_low")));
    assert!((12.5..12.6).contains(&num(t, "recomputed_sd_high")));
    assert!(num(t, "recomputed_p_high") < 0.01);
    let c = by_id(&rows, "clearance_wk24");
    assert_eq!(c["verdict"], "consistent", "{}", c["reason"]);
    assert_close(
        "cp low",
        num(c, "recomputed_ci_low"),
        r["cp_low"],
        TOL_CLOSED,
    );
    assert_close(
        "cp high",
        num(c, "recomputed_ci_high"),
        r["cp_high"],
        TOL_CLOSED,
    );
    assert!(c["reason"].contains("9.925% to 65.11%"), "{}", c["reason"]);
    // Columns: id, verdict, reason first.
    let (_, out, _) = run(&["reproduce", TOFA, "--format", "csv"]);
    assert!(out.starts_with("id,verdict,reason,"));
    // The table for people says the same.
    let (_, table, _) = run(&["reproduce", TOFA, "--format", "table"]);
    assert!(table.contains("SD 11.02 to 12.59"), "{table}");
    assert!(table.contains("exact CI 9.9% to 65.1%"), "{table}");
}

/// The same claims placed at one visit conflict: 4 of 12 at −100% force an SD of percent
/// change of at least 35.08, the interval allows at most 12.59.
#[test]
fn the_same_claims_at_one_visit_conflict() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(TOFA)
        .unwrap()
        .replace("visit = \"week24\"", "visit = \"week12\"");
    let path = write_tmp(&dir, "one_visit.toml", &text);
    let rows = claims_csv(&[&path]);
    let r = reference();
    let t = by_id(&rows, "thickness_wk12");
    let c = by_id(&rows, "clearance_wk24");
    assert_eq!(t["verdict"], "inconsistent");
    assert_eq!(c["verdict"], "inconsistent");
    assert!(
        t["reason"].contains("\"clearance_wk24\""),
        "{}",
        t["reason"]
    );
    assert!(
        c["reason"].contains("\"thickness_wk12\""),
        "{}",
        c["reason"]
    );
    let sd_min = format!("{:.2}", r["sd_min_one_visit"]);
    assert!(
        t["reason"].contains(&sd_min),
        "{} lacks {sd_min}",
        t["reason"]
    );
    // The induration clearance is another endpoint: no conflict with the thickness mean.
    assert_eq!(
        by_id(&rows, "induration_clear_wk24")["verdict"],
        "consistent"
    );
    // --strict: exit 3.
    let (code, _, err) = run(&["reproduce", &path, "--format", "csv", "--strict"]);
    assert_eq!(code, 3, "{err}");
    assert!(err.contains("inconsistent"));
    let (code, _, _) = run(&["reproduce", TOFA, "--format", "csv", "--strict"]);
    assert_eq!(code, 0);
}

/// Baricitinib's n is not reported: the largest SD that keeps p < 0.01 at each n, as R.
#[test]
fn baricitinib_unknown_n() {
    let rows = claims_csv(&[BARI]);
    let e = by_id(&rows, "erythema_wk12");
    assert_eq!(e["verdict"], "consistent", "{}", e["reason"]);
    assert_eq!((e["n_low"].as_str(), e["n_high"].as_str()), ("3", "100"));
    assert_eq!(by_id(&rows, "pruritus_wk12")["verdict"], "cannot_check");
    assert!(by_id(&rows, "pruritus_wk12")["reason"].contains("only an estimate"));
    let (code, json, err) = run(&["reproduce", BARI, "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let by_n = v["claims"][0]["by_n"].as_array().unwrap();
    let r = reference();
    for (n, key) in [
        (3, "bari_sd_max_n3"),
        (12, "bari_sd_max_n12"),
        (100, "bari_sd_max_n100"),
    ] {
        let at = by_n.iter().find(|x| x["n"] == n).unwrap();
        assert_close(key, at["sd"]["high"].as_f64().unwrap(), r[key], TOL_CLOSED);
        assert_eq!(at["holds"], true);
    }
}

/// statcheck's manual example ("t(100) = 1, p < 0.001" is a decision error), GRIM (Brown &
/// Heathers 2017: a mean of 5.19 is impossible for 28 integers), DEBIT (scrutiny's pigs3, row 4)
/// and a bounded-scale SD, through the command line.
#[test]
fn published_worked_examples_through_claims() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_tmp(
        &dir,
        "examples.toml",
        r#"
[[claim]]
id = "statcheck_manual"
endpoint = "score"
arm = "a"
visit = "v1"
estimand = "mean_change"
p = "<0.001"
statistic = { name = "t", value = "1", df = 100 }

[[claim]]
id = "statcheck_ok"
endpoint = "score"
arm = "b"
visit = "v1"
estimand = "mean_change"
p = "0.04"
statistic = { name = "t", value = "2.10", df = 58 }

[[claim]]
id = "grim_5_19"
endpoint = "age"
arm = "a"
visit = "v1"
estimand = "mean"
n = 28
estimate = "5.19"
scale = { step = 1 }

[[claim]]
id = "grim_5_18"
endpoint = "age"
arm = "b"
visit = "v1"
estimand = "mean"
n = 28
estimate = "5.18"
scale = { step = 1 }

[[claim]]
id = "debit_pigs3_4"
endpoint = "yes"
arm = "a"
visit = "v1"
estimand = "mean"
n = 1683
estimate = "0.19"
sd = "0.35"
scale = { min = 0, max = 1, step = 1 }

[[claim]]
id = "debit_pigs3_7"
endpoint = "yes"
arm = "b"
visit = "v1"
estimand = "mean"
n = 1683
estimate = "0.12"
sd = "0.33"
scale = { min = 0, max = 1, step = 1 }

[[claim]]
id = "sd_too_large"
endpoint = "nrs"
arm = "a"
visit = "v1"
estimand = "mean"
n = 10
estimate = "5.0"
sd = "6.1"
scale = { min = 0, max = 10, step = 1 }

[[claim]]
id = "closure_ok"
endpoint = "likert"
arm = "a"
visit = "v1"
estimand = "mean"
n = 10
estimate = "3.50"
sd = "1.27"
scale = { min = 1, max = 5, step = 1 }
"#,
    );
    let rows = claims_csv(&[&path]);
    let r = reference();
    let s = by_id(&rows, "statcheck_manual");
    assert_eq!(s["verdict"], "inconsistent");
    assert!(s["reason"].contains("decision error"), "{}", s["reason"]);
    assert_close(
        "statcheck p low",
        num(s, "recomputed_p_low"),
        r["statcheck_p_low"],
        TOL_CLOSED,
    );
    assert_close(
        "statcheck p high",
        num(s, "recomputed_p_high"),
        r["statcheck_p_high"],
        TOL_CLOSED,
    );
    assert_eq!(by_id(&rows, "statcheck_ok")["verdict"], "consistent");
    assert_eq!(by_id(&rows, "grim_5_19")["verdict"], "inconsistent");
    assert!(by_id(&rows, "grim_5_19")["reason"].contains("GRIM"));
    assert_eq!(by_id(&rows, "grim_5_18")["verdict"], "consistent");
    assert_eq!(by_id(&rows, "debit_pigs3_4")["verdict"], "inconsistent");
    assert!(by_id(&rows, "debit_pigs3_4")["reason"].contains("DEBIT"));
    assert_eq!(by_id(&rows, "debit_pigs3_7")["verdict"], "consistent");
    assert_eq!(by_id(&rows, "sd_too_large")["verdict"], "inconsistent");
    let c = by_id(&rows, "closure_ok");
    assert_eq!(c["verdict"], "consistent", "{}", c["reason"]);
    assert!(c["reason"].contains("CLOSURE"), "{}", c["reason"]);
}

#[test]
fn malformed_claims_files_say_line_and_key() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "[[claim]]\nid = \"a\"\nendpoint = \"e\"\narm = \"x\"\nvisit = \"v\"\nestimand = \"mean\"\nestimmate = \"5\"\n",
            "estimmate",
            ":7",
        ),
        (
            "[[claim]]\nid = \"a\"\nendpoint = \"e\"\narm = \"x\"\nvisit = \"v\"\nestimand = \"mean\"\np = \"abc\"\n",
            "p-value",
            ":7",
        ),
        (
            "[[claim]]\nid = \"a\"\nendpoint = \"e\"\narm = \"x\"\nvisit = \"v\"\nestimand = \"mean\"\nci = [\"5\", \"3\"]\n",
            "`ci`",
            ":1",
        ),
        (
            "[[claim]]\nid = \"a\"\nendpoint = \"e\"\narm = \"x\"\nvisit = \"v\"\nestimand = \"clearance_rate\"\nn = 4\nk = 5\n",
            "`k`",
            ":1",
        ),
        ("[[claim]\nid = 3\n", "", ":1"),
        ("", "no [[claim]]", ""),
    ];
    for (i, (text, needle, line)) in cases.iter().enumerate() {
        let path = write_tmp(&dir, &format!("bad{i}.toml"), text);
        let (code, out, err) = run(&["reproduce", &path, "--format", "csv"]);
        assert_eq!(code, 2, "case {i}: {err}");
        assert!(out.is_empty());
        assert!(
            err.contains(&format!("bad{i}.toml{line}")),
            "case {i}: {err}"
        );
        assert!(err.contains(needle), "case {i}: {err}");
    }
    let (code, _, err) = run(&["reproduce", "/nonexistent/claims.toml"]);
    assert_eq!(code, 2);
    assert!(err.contains("cannot read"));
}

/// The shipped demo cohorts are `simulate` output: they reproduce every claim.
#[test]
fn shipped_cohorts_reproduce_the_claims() {
    for (claims, data) in [
        (
            TOFA,
            concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/data/tofacitinib_case_series.csv"
            ),
        ),
        (
            BARI,
            concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/data/baricitinib_case_series.csv"
            ),
        ),
    ] {
        let rows = claims_csv(&[claims, "--data", data]);
        for r in &rows {
            assert_eq!(
                r["data_verdict"], "consistent",
                "{}: {}",
                r["id"], r["reason"]
            );
            assert_eq!(r["verdict"], "consistent", "{}: {}", r["id"], r["reason"]);
        }
    }
}

/// `simulate` → `analyze` (through `reproduce --data`) reproduces every claim at its reported
/// precision, for both claims files and 20 cohorts each; the same seed gives the same bytes.
#[test]
fn simulated_cohorts_reproduce_every_claim() {
    let dir = tempfile::tempdir().unwrap();
    for (name, claims, extra) in [("tofa", TOFA, vec![]), ("bari", BARI, vec!["--n", "12"])] {
        let out = dir.path().join(format!("{name}.csv"));
        let mut args = vec![
            "simulate",
            claims,
            "--seed",
            "5",
            "--count",
            "20",
            "--out",
            out.to_str().unwrap(),
        ];
        args.extend(extra.iter().copied());
        let (code, stdout, err) = run(&args);
        assert_eq!(code, 0, "{err}");
        assert!(stdout.contains("seed 5"), "{stdout}");
        let mut seen = std::collections::BTreeSet::new();
        for i in 1..=20 {
            let f = dir.path().join(format!("{name}_{i:02}.csv"));
            let text = std::fs::read_to_string(&f).unwrap();
            assert!(seen.insert(text), "cohort {i} repeats an earlier one");
            let rows = claims_csv(&[claims, "--data", f.to_str().unwrap()]);
            for r in &rows {
                assert_eq!(
                    r["data_verdict"], "consistent",
                    "{name} #{i} {}: {}",
                    r["id"], r["reason"]
                );
            }
        }
        // Same seed, same first cohort.
        let again = dir.path().join(format!("{name}_again.csv"));
        let mut args = vec![
            "simulate",
            claims,
            "--seed",
            "5",
            "--out",
            again.to_str().unwrap(),
        ];
        args.extend(extra.iter().copied());
        assert_eq!(run(&args).0, 0);
        assert_eq!(
            std::fs::read(&again).unwrap(),
            std::fs::read(dir.path().join(format!("{name}_01.csv"))).unwrap()
        );
    }
}

/// Impossible claims: simulate stops, exit 2, and names the claims that block it.
#[test]
fn simulate_says_which_claims_block_it() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(TOFA)
        .unwrap()
        .replace("visit = \"week24\"", "visit = \"week12\"");
    let claims = write_tmp(&dir, "one_visit.toml", &text);
    let out = dir.path().join("x.csv");
    let (code, _, err) = run(&[
        "simulate",
        &claims,
        "--seed",
        "1",
        "--max-moves",
        "5000",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("thickness_wk12"), "{err}");
    assert!(!out.exists());
    // Unknown n without --n.
    let (code, _, err) = run(&[
        "simulate",
        BARI,
        "--seed",
        "1",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("--n"), "{err}");
    // Never overwrite the claims file.
    let (code, _, err) = run(&["simulate", &claims, "--seed", "1", "--out", &claims]);
    assert_eq!(code, 2);
    assert!(err.contains("refusing"), "{err}");
}

/// Regression: `df = 0` (or negative, or nan) in a statistic passed validation and then
/// panicked in the t distribution ("df must be positive"). It is a claims-file error: exit 2,
/// naming the file, the claim's line and the key.
#[test]
fn statistic_with_df_zero_negative_or_nan_is_a_claims_error() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        ("df = 0", "t"),
        ("df = -3", "t"),
        ("df = nan", "t"),
        ("df = inf", "t"),
        ("df = 0", "r"),
        ("df = 0", "chi2"),
        ("df = 2, df2 = 0", "F"),
        ("df = -1, df2 = 10", "F"),
    ];
    for (i, (df, name)) in cases.iter().enumerate() {
        let text = format!(
            "[source]\ntitle = \"x\"\n\n[[claim]]\nid = \"a\"\nendpoint = \"e\"\narm = \"x\"\nvisit = \"v\"\nestimand = \"mean_change\"\np = \"0.04\"\nstatistic = {{ name = \"{name}\", value = \"2.1\", {df} }}\n"
        );
        let path = write_tmp(&dir, &format!("df{i}.toml"), &text);
        for command in [
            vec!["reproduce", path.as_str(), "--format", "csv"],
            vec![
                "simulate",
                path.as_str(),
                "--seed",
                "1",
                "--n",
                "5",
                "--out",
            ],
        ] {
            let mut args = command.clone();
            let out = dir.path().join(format!("df{i}.csv"));
            let out = out.to_str().unwrap().to_string();
            if command[0] == "simulate" {
                args.push(&out);
            }
            let (code, stdout, err) = run(&args);
            assert_eq!(code, 2, "case {i} ({df}, {}): {err}", command[0]);
            assert!(stdout.is_empty(), "case {i}: {stdout}");
            assert!(err.contains(&format!("df{i}.toml:4:")), "case {i}: {err}");
            assert!(err.contains("`statistic`"), "case {i}: {err}");
            assert!(err.contains("df"), "case {i}: {err}");
            assert!(!err.contains("panicked"), "case {i}: {err}");
        }
    }
}
