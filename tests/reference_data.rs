//! The whole pipeline (binary → CSV) against R on real and demo data sets.
//! References: tests/reference/anorexia.R (MASS::anorexia, real trial data) and
//! tests/reference/case_series.R (the bundled demo data).

mod common;
use assert_cmd::Command;
use common::*;
use std::collections::HashMap;

type Key = (String, String, String, String, String, String);

fn key(row: &HashMap<String, String>) -> Key {
    (
        row["endpoint"].clone(),
        row["arm"].clone(),
        row["visit"].clone(),
        row.get("comparison")
            .cloned()
            .unwrap_or_else(|| "within".to_string()),
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
        // Root-finder results (noncentral t, Fisher's odds ratio) are compared with R run to 1e-12.
        let tol = if want["method"] == "noncentral_t" || want["method"] == "fisher_exact" {
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
                // exactRankTests reports ±Inf as the estimate when one side of its estimator is
                // empty; trialstat gives the Hodges–Lehmann median there and says so.
                ("-Inf" | "Inf", g)
                    if col == "estimate"
                        && matches!(
                            want["method"].as_str(),
                            "wilcoxon_exact" | "mann_whitney_exact"
                        ) =>
                {
                    assert!(g.parse::<f64>().unwrap().is_finite(), "{k:?}: {g}");
                }
                (w, g) => {
                    let (g, w): (f64, f64) = (g.parse().unwrap(), w.parse().unwrap());
                    // Rank-interval limits come from R's uniroot (absolute tolerance 1e-4): a
                    // limit at 0 is "zero to within 1e-4", so there compare absolutely.
                    let rank_limit = matches!(
                        want["method"].as_str(),
                        "mann_whitney" | "wilcoxon_signed_rank"
                    ) && col.starts_with("ci_");
                    if rank_limit && w.abs() < 1e-6 {
                        assert!(
                            (g - w).abs() < 1e-12,
                            "{k:?} {col}: got {g:e}, R gives {w:e}"
                        );
                    } else {
                        assert_close(&format!("{k:?} {col}"), g, w, tol);
                    }
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
            "--control",
            "Cont",
        ],
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/reference/anorexia_reference.csv"
        ),
    );
    assert!(n >= 200, "only {n} numbers compared");
}

#[test]
fn tofacitinib_demo_rows_match_r() {
    let n = compare_with_reference(
        &[
            "analyze",
            concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/data/tofacitinib_case_series.csv"
            ),
        ],
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/reference/tofacitinib_reference.csv"
        ),
    );
    assert!(n >= 150, "only {n} numbers compared");
}

#[test]
fn baricitinib_demo_rows_match_r() {
    let n = compare_with_reference(
        &[
            "analyze",
            concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/data/baricitinib_case_series.csv"
            ),
        ],
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/reference/baricitinib_reference.csv"
        ),
    );
    assert!(n >= 150, "only {n} numbers compared");
}

fn row<'a>(
    rows: &'a [HashMap<String, String>],
    endpoint: &str,
    visit: &str,
    estimand: &str,
) -> &'a HashMap<String, String> {
    rows.iter()
        .find(|r| r["endpoint"] == endpoint && r["visit"] == visit && r["estimand"] == estimand)
        .unwrap_or_else(|| panic!("no {endpoint} {visit} {estimand} row"))
}

fn num(r: &HashMap<String, String>, col: &str) -> f64 {
    r[col].parse().unwrap()
}

/// The published claims: mean plaque-thickness reduction 52% (95% CI 45–60%, p < 0.01) at
/// week 12; full clearance in 4 of 12 at week 24 (exact interval 9.9% to 65.1%).
#[test]
fn tofacitinib_demo_reproduces_the_report() {
    let out = Command::cargo_bin("trialstat")
        .unwrap()
        .args([
            "analyze",
            concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/data/tofacitinib_case_series.csv"
            ),
            "--format",
            "csv",
        ])
        .output()
        .unwrap();
    let rows = parse_table(&String::from_utf8(out.stdout).unwrap());
    let pct = row(&rows, "plaque_thickness_mm", "week12", "mean_pct_change");
    assert_eq!(num(pct, "estimate").round(), -52.0);
    assert_eq!(num(pct, "ci_low").round(), -60.0);
    assert_eq!(num(pct, "ci_high").round(), -45.0);
    assert!(num(pct, "p_value") < 0.01);
    assert_eq!(pct["n"], "12");
    let clear = row(&rows, "plaque_thickness_mm", "week24", "clearance_rate");
    assert_eq!(num(clear, "estimate"), 4.0 / 12.0);
    assert_eq!((num(clear, "ci_low") * 1000.0).round() / 10.0, 9.9);
    assert_eq!((num(clear, "ci_high") * 1000.0).round() / 10.0, 65.1);

    // The human table says it in words.
    let table = Command::cargo_bin("trialstat")
        .unwrap()
        .args([
            "analyze",
            concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/data/tofacitinib_case_series.csv"
            ),
            "--format",
            "table",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8(table.stdout).unwrap();
    assert!(
        text.contains("52.4% reduction (95% CI 44.6 to 60.2), p < 0.001"),
        "{text}"
    );
    assert!(text.contains("4/12 = 33.3% (95% CI 9.9 to 65.1)"), "{text}");
}

/// Baricitinib: mean week-12 reductions of 60% (erythema), 55% (induration), 65% (pruritus),
/// erythema and induration p < 0.01.
#[test]
fn baricitinib_demo_reproduces_the_report() {
    let out = Command::cargo_bin("trialstat")
        .unwrap()
        .args([
            "analyze",
            concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/data/baricitinib_case_series.csv"
            ),
            "--format",
            "csv",
        ])
        .output()
        .unwrap();
    let rows = parse_table(&String::from_utf8(out.stdout).unwrap());
    for (endpoint, whole, p_below) in [
        ("erythema", -60.0, Some(0.01)),
        ("induration", -55.0, Some(0.01)),
        ("pruritus", -65.0, None),
    ] {
        let r = row(&rows, endpoint, "week12", "mean_pct_change");
        assert_eq!(num(r, "estimate").round(), whole, "{endpoint}");
        if let Some(p) = p_below {
            assert!(num(r, "p_value") < p, "{endpoint}");
        }
    }
}

#[test]
fn sleep_paired_rows_match_r() {
    let n = compare_with_reference(
        &[
            "analyze",
            concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/sleep.csv"),
            "--baseline",
            "drug1",
            "--higher-is-better",
            "extra_sleep_h",
        ],
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/reference/sleep_reference.csv"
        ),
    );
    assert!(n >= 25, "only {n} numbers compared");
}

/// Four arms, missing visits (chicks that died), 11 follow-up visits: every within- and
/// between-arm row against R (tests/reference/chickweight.R).
#[test]
fn chickweight_rows_match_r() {
    let n = compare_with_reference(
        &[
            "analyze",
            concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/chickweight.csv"),
            "--week-col",
            "day",
            "--control",
            "diet1",
            "--higher-is-better",
            "weight_g",
            "--responder",
            "50,100",
        ],
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/reference/chickweight_reference.csv"
        ),
    );
    assert!(n >= 3500, "only {n} numbers compared");
}

/// The bundled three-arm example trial, ANCOVA adjusted for two categorical covariates:
/// every row against R (tests/reference/example_trial.R).
#[test]
fn example_trial_rows_match_r() {
    let n = compare_with_reference(
        &[
            "analyze",
            concat!(env!("CARGO_MANIFEST_DIR"), "/data/example_trial.csv"),
            "--covariate",
            "site",
            "--covariate",
            "baseline_severity",
        ],
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/reference/example_trial_reference.csv"
        ),
    );
    assert!(n >= 3000, "only {n} numbers compared");
}
