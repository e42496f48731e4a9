//! `trialstat analyze --convention sas`: each documented difference between SAS and R (see
//! docs/sas-convention.md) against the SAS documentation's worked example (data and printed
//! values transcribed in tests/reference/sas_convention/README.md) and against the SAS formula
//! evaluated in R (tests/reference/sas_convention/sas_convention.R → sas_convention.csv).

mod common;

use common::{assert_close, parse_table, read_reference, run_trialstat as run, TOL_CLOSED};
use trialstat::stats::{odds_ratio, rank_sum_sas, signed_rank_sas, PValueMethod};

const REFERENCE: &str = "tests/reference/sas_convention/sas_convention.csv";

fn reference(case: &str, quantity: &str) -> f64 {
    let map = read_reference(REFERENCE);
    map.get(&(case.to_string(), quantity.to_string()))
        .unwrap_or_else(|| panic!("{case} {quantity} missing from {REFERENCE}"))
        .parse()
        .expect("number")
}

/// SAS's printed values are rounded to the digits shown: a match is within half a unit.
fn printed(what: &str, got: f64, shown: f64, decimals: i32) {
    let half = 0.5 * 10f64.powi(-decimals);
    assert!(
        (got - shown).abs() <= half + 1e-12,
        "{what}: got {got}, SAS prints {shown}"
    );
}

fn heights() -> Vec<f64> {
    let text =
        std::fs::read_to_string("tests/reference/sas_convention/heights.txt").expect("heights.txt");
    text.split_whitespace()
        .map(|v| v.parse::<f64>().expect("height"))
        .collect()
}

/// PROC UNIVARIATE, "Testing for Location" (Heights, μ₀ = 66): 72 values differ from 66,
/// S = −849, Pr >= |S| < .0001 by the t approximation (n > 20).
#[test]
fn univariate_signed_rank_t_approximation_heights() {
    let x: Vec<f64> = heights().iter().map(|h| h - 66.0).collect();
    assert_eq!(x.len(), 75);
    let r = signed_rank_sas::signed_rank_sas(&x);
    assert_eq!(r.n_used, 72);
    assert_eq!(r.p_value_method, Some(PValueMethod::StudentT));
    let s = r.statistic.as_ref().expect("S").value;
    assert_eq!(s, -849.0);
    let p = r.p_value.expect("p");
    assert!(p < 1e-4, "SAS prints <.0001, got {p}");
    assert_close(
        "Heights t-approximation p",
        p,
        reference("univariate_heights", "p"),
        1e-9,
    );
    assert_eq!(r.df.as_ref().map(|d| d.value), Some(71.0));
}

/// PROC UNIVARIATE, "Performing a Sign Test Using Paired Data" (Score): S = −8.5 on 12 paired
/// changes (n ≤ 20: exact p, equal to `wilcox.exact`'s).
#[test]
fn univariate_signed_rank_exact_score_changes() {
    let pairs = [
        (94.0, 91.0),
        (51.0, 65.0),
        (95.0, 97.0),
        (63.0, 75.0),
        (80.0, 75.0),
        (92.0, 55.0),
        (75.0, 78.0),
        (89.0, 82.0),
        (79.0, 76.0),
        (71.0, 77.0),
        (75.0, 70.0),
        (87.0, 73.0),
    ];
    let x: Vec<f64> = pairs.iter().map(|(pre, post)| post - pre).collect();
    let r = signed_rank_sas::signed_rank_sas(&x);
    assert_eq!(r.statistic.as_ref().map(|s| s.value), Some(-8.5));
    assert_eq!(r.p_value_method, Some(PValueMethod::Exact));
    assert_close(
        "Score exact p",
        r.p_value.expect("p"),
        reference("univariate_score", "p"),
        1e-9,
    );
}

/// A tied 0–10 change score with zeros (n > 20): the t approximation as R evaluates SAS's
/// formula; R's wilcox.test (normal, corrected) differs.
#[test]
fn univariate_signed_rank_tied_against_formula() {
    let x = [
        4, -5, -4, 0, 3, 5, -2, 3, 3, 0, -2, -5, -4, 2, 5, -1, 0, 5, 2, 3, 1, 3, 4, -5, 2, 4, -5,
        -2, -2, 3, 1, -1, -1, 4, -4, 5, -5, 3, -1, 5, -5, 2, 4, 2, -2, -1, 4, -3, 0, -5, 5, 3, 5,
        5, -5, 2, -3, 0, 0, 3,
    ]
    .map(f64::from);
    let r = signed_rank_sas::signed_rank_sas(&x);
    assert_eq!(r.n_used as f64, reference("tied_signed_rank", "n"));
    assert_eq!(
        r.statistic.as_ref().map(|s| s.value),
        Some(reference("tied_signed_rank", "S"))
    );
    let p = r.p_value.expect("p");
    assert_close("tied t p", p, reference("tied_signed_rank", "p"), 1e-9);
    assert!((p - reference("tied_signed_rank", "r_wilcox_test_p")).abs() > 1e-3);
}

fn react() -> (Vec<f64>, Vec<f64>) {
    let s1 = vec![
        1.94, 1.94, 2.92, 2.92, 2.92, 2.92, 3.27, 3.27, 3.27, 3.27, 3.70, 3.70, 3.74,
    ];
    let s2 = vec![3.27, 3.27, 3.27, 3.70, 3.70, 3.74];
    (s2, s1)
}

/// PROC NPAR1WAY, "Exact Wilcoxon Two-Sample Test" and "Hodges-Lehmann Estimation" (React,
/// stimulant 2 against stimulant 1): Z = 1.7265 with the default continuity correction,
/// two-sided p 0.0843; location shift 0.3500 with 98 % Moses limits 0.0000 and 0.8200.
#[test]
fn npar1way_wilcoxon_and_moses_react() {
    let (x, y) = react();
    let r = rank_sum_sas::rank_sum_sas(&x, &y, 0.98, "shift");
    let z = r.statistic.as_ref().expect("Z").value;
    printed("Z", z, 1.7265, 4);
    printed("p", r.p_value.expect("p"), 0.0843, 4);
    printed("shift", r.estimate.as_ref().expect("HL").value, 0.35, 4);
    let ci = r.interval.as_ref().expect("Moses");
    printed("lower", ci.lower, 0.0, 4);
    printed("upper", ci.upper, 0.82, 4);
    assert_close("Z", z, reference("npar1way_react", "Z"), TOL_CLOSED);
    assert_close(
        "p",
        r.p_value.unwrap_or(f64::NAN),
        reference("npar1way_react", "p"),
        1e-9,
    );
    // The sign follows the arm: control against arm gives −Z and the reflected interval.
    let back = rank_sum_sas::rank_sum_sas(&y, &x, 0.98, "shift");
    assert_eq!(back.statistic.as_ref().map(|s| s.value), Some(-z));
    let bci = back.interval.as_ref().expect("Moses");
    assert!((bci.lower + ci.upper).abs() < 1e-12 && (bci.upper + ci.lower).abs() < 1e-12);
}

/// Tied and untied samples against SAS's formulas evaluated in R; with ties R's wilcox.test p
/// is the same number (both corrected normal), without ties R's is exact and differs.
#[test]
fn npar1way_wilcoxon_against_formula() {
    let parse = |line: &str| -> Vec<f64> {
        line.split_whitespace()
            .map(|v| v.parse::<f64>().expect("value"))
            .collect()
    };
    let data = std::fs::read_to_string("tests/reference/sas_convention/data.txt").expect("data");
    let mut lines = data.lines().filter(|l| l.starts_with("# tied_rank_sum"));
    let x = parse(lines.next().expect("x").split(':').nth(1).expect("x"));
    let y = parse(lines.next().expect("y").split(':').nth(1).expect("y"));
    assert_eq!((x.len(), y.len()), (40, 45));
    let r = rank_sum_sas::rank_sum_sas(&x, &y, 0.95, "shift");
    let ci = r.interval.as_ref().expect("interval");
    let mut checked = 0;
    for (q, got) in [
        ("Z", r.statistic.as_ref().map(|s| s.value)),
        ("p", r.p_value),
        ("r_wilcox_test_p", r.p_value),
        ("hl", r.estimate.as_ref().map(|e| e.value)),
        ("lower", Some(ci.lower)),
        ("upper", Some(ci.upper)),
    ] {
        let want = reference("tied_rank_sum", q);
        let got = got.expect(q);
        assert!(
            (got - want).abs() <= 1e-9 * want.abs().max(1.0),
            "{q}: {got} vs {want}"
        );
        checked += 1;
    }
    assert_eq!(checked, 6);
    let u1 = [
        1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30, 2.91, 0.77, 2.12,
    ];
    let u2 = [
        0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.07, 3.15, 1.31, 0.45,
    ];
    let r = rank_sum_sas::rank_sum_sas(&u1, &u2, 0.95, "shift");
    let p = r.p_value.expect("p");
    assert_close("untied p", p, reference("untied_rank_sum", "p"), 1e-9);
    let ci = r.interval.as_ref().expect("interval");
    assert_close(
        "untied lower",
        ci.lower,
        reference("untied_rank_sum", "lower"),
        1e-12,
    );
    assert_close(
        "untied upper",
        ci.upper,
        reference("untied_rank_sum", "upper"),
        1e-12,
    );
    assert!((p - reference("untied_rank_sum", "r_wilcox_test_p")).abs() > 1e-5);
}

/// PROC FREQ, "Analysis of a 2x2 Contingency Table" (FatComp: 11 of 15 and 2 of 8): the
/// sample odds ratio 8.25 with Wald (logit) limits, beside R's conditional MLE 7.40.
#[test]
fn freq_sample_odds_ratio() {
    let mut checked = 0;
    for (case, (k1, n1, k2, n2)) in [
        ("freq_fatcomp", (11, 15, 2, 8)),
        ("responders_34_100_21_100", (34, 100, 21, 100)),
    ] {
        let r = odds_ratio::woolf(k1, n1, k2, n2, 0.95, "odds ratio");
        let ci = r.interval.as_ref().expect("interval");
        assert_close(
            "OR",
            r.estimate.as_ref().expect("OR").value,
            reference(case, "or"),
            TOL_CLOSED,
        );
        assert_close("lower", ci.lower, reference(case, "lower"), TOL_CLOSED);
        assert_close("upper", ci.upper, reference(case, "upper"), TOL_CLOSED);
        checked += 1;
    }
    assert_eq!(checked, 2);
    let zero = odds_ratio::woolf(0, 10, 3, 10, 0.95, "odds ratio");
    assert_eq!(zero.estimate.as_ref().map(|e| e.value), Some(0.0));
    assert!(zero.interval.is_none());
}

/// The binary: `--convention sas` adds the SAS rows beside the R rows (same count of cells),
/// records the convention in the JSON meta and the table's footnote; the default has none of
/// it. Where R also uses the corrected normal approximation (ties), SAS's rank-sum p is R's.
#[test]
fn cli_adds_sas_rows_and_says_so() {
    let file = "data/example_trial.csv";
    let (code, out_r, err) = run(&["analyze", file, "--format", "csv"]);
    assert_eq!(code, 0, "{err}");
    let (code, out_sas, err) = run(&["analyze", file, "--format", "csv", "--convention", "sas"]);
    assert_eq!(code, 0, "{err}");
    let (rows_r, rows_sas) = (parse_table(&out_r), parse_table(&out_sas));
    let count = |rows: &[std::collections::HashMap<String, String>], m: &str| {
        rows.iter().filter(|r| r["method"] == m).count()
    };
    for m in [
        "wilcoxon_signed_rank_sas",
        "mann_whitney_sas",
        "mann_whitney_exact_sas",
        "woolf",
    ] {
        assert_eq!(count(&rows_r, m), 0, "{m} in the default output");
    }
    assert_eq!(
        count(&rows_sas, "mann_whitney_exact_sas"),
        count(&rows_sas, "mann_whitney")
    );
    // SAS's exact p (Pr >= |S - Mean|) is exactRankTests' exact p: one null distribution.
    let mut same_exact = 0;
    for r in rows_sas
        .iter()
        .filter(|r| r["method"] == "mann_whitney_exact_sas")
    {
        let exact = rows_sas
            .iter()
            .find(|s| {
                s["method"] == "mann_whitney_exact"
                    && s["endpoint"] == r["endpoint"]
                    && s["arm"] == r["arm"]
                    && s["visit"] == r["visit"]
            })
            .expect("exact row");
        let (a, b): (f64, f64) = (
            r["p_value"].parse().expect("p"),
            exact["p_value"].parse().expect("p"),
        );
        assert!((a - b).abs() <= 1e-9 * b, "{a} vs {b}");
        assert!(!r["ci_low"].is_empty() && !r["ci_high"].is_empty());
        same_exact += 1;
    }
    assert!(same_exact > 0);
    assert_eq!(
        count(&rows_sas, "wilcoxon_signed_rank_sas"),
        count(&rows_sas, "wilcoxon_signed_rank")
    );
    assert_eq!(
        count(&rows_sas, "mann_whitney_sas"),
        count(&rows_sas, "mann_whitney")
    );
    assert_eq!(count(&rows_sas, "woolf"), count(&rows_sas, "fisher_exact"));
    assert!(count(&rows_sas, "woolf") > 0);
    // Every R row is unchanged.
    let without: Vec<_> = rows_sas
        .iter()
        .filter(|r| {
            ![
                "wilcoxon_signed_rank_sas",
                "mann_whitney_sas",
                "mann_whitney_exact_sas",
                "woolf",
            ]
            .contains(&r["method"].as_str())
        })
        .cloned()
        .collect();
    assert_eq!(without, rows_r);
    let mut same_p = 0;
    for r in rows_sas.iter().filter(|r| r["method"] == "mann_whitney") {
        if !r["note"].contains("normal approximation") {
            continue;
        }
        let sas = rows_sas
            .iter()
            .find(|s| {
                s["method"] == "mann_whitney_sas"
                    && s["endpoint"] == r["endpoint"]
                    && s["arm"] == r["arm"]
                    && s["visit"] == r["visit"]
            })
            .expect("SAS row");
        let (a, b): (f64, f64) = (
            r["p_value"].parse().expect("p"),
            sas["p_value"].parse().expect("p"),
        );
        assert!((a - b).abs() <= 1e-12 * b.max(1e-300), "{a} vs {b}");
        same_p += 1;
    }
    assert!(same_p > 0);

    let (_, json_r, _) = run(&["analyze", file, "--format", "json"]);
    let (_, json_sas, _) = run(&["analyze", file, "--format", "json", "--convention", "sas"]);
    let meta = |t: &str| {
        serde_json::from_str::<serde_json::Value>(t).expect("json")["meta"]["options"].clone()
    };
    assert!(meta(&json_r).get("convention").is_none());
    assert_eq!(meta(&json_sas)["convention"], "sas");

    let (_, table_r, _) = run(&["analyze", file, "--format", "table"]);
    let (_, table_sas, _) = run(&["analyze", file, "--format", "table", "--convention", "sas"]);
    assert!(!table_r.contains("Convention:"));
    assert!(table_sas.contains("Convention: SAS"));
    assert!(table_sas.contains("Moses CI (SAS)"));
}
