//! `analyze --ordinal ENDPOINT`: the CMH rows of the CDISC pilot's CIBIC+ at week 24 (efficacy
//! population, tests/data/cibic_efficacy.csv written by
//! tests/reference/responders/responders_reference.R), each Xanomeline arm vs placebo,
//! stratified by pooled site (SITEGR1) and not, against cibic_week24_pairwise.csv.

mod common;

use common::{parse_table, run_trialstat as run};

/// The CSV rows of `analyze --ordinal CIBICVAL` on the pilot's efficacy population, by pooled
/// site or not.
fn cibic_rows(stratified: bool) -> Vec<std::collections::HashMap<String, String>> {
    let mut args = vec![
        "analyze",
        "tests/data/cibic_efficacy.csv",
        "--arm-col",
        "TRTP",
        "--control",
        "Placebo",
        "--ordinal",
        "CIBICVAL",
        "--format",
        "csv",
    ];
    if stratified {
        args.extend(["--strata", "SITEGR1"]);
    }
    let (code, out, err) = run(&args);
    assert_eq!(code, 0, "{err}");
    parse_table(&out)
}

#[test]
fn cibic_week24_rows_match_r() {
    let mut checked = 0;
    for stratified in [true, false] {
        let rows = cibic_rows(stratified);
        let mut reference =
            csv::Reader::from_path("tests/reference/responders/cibic_week24_pairwise.csv")
                .expect("reference");
        for rec in reference.records() {
            let rec = rec.expect("record");
            if (&rec[1] == "TRUE") != stratified {
                continue;
            }
            let method = match &rec[2] {
                "ga" => "cmh_general_association",
                "rm" => "cmh_row_mean_scores",
                _ => "cmh_correlation",
            };
            let row = rows
                .iter()
                .find(|r| {
                    r["arm"] == rec[0]
                        && r["visit"] == "Week 24"
                        && r["estimand"] == "CIBICVAL_distribution"
                        && r["method"] == method
                })
                .unwrap_or_else(|| panic!("no row {} {method}", &rec[0]));
            for (col, i) in [("statistic", 3), ("df", 4), ("p_value", 5), ("n", 6)] {
                let got: f64 = row[col].parse().expect("number");
                let want: f64 = rec[i].parse().expect("number");
                assert!(
                    (got - want).abs() <= 1e-9 * want.abs(),
                    "{} {method} {col}: {got} vs R {want}",
                    &rec[0]
                );
            }
            assert_eq!(
                row["note"].contains("11 strata"),
                stratified,
                "{}",
                row["note"]
            );
            checked += 1;
        }
    }
    assert_eq!(checked, 12);
}

/// Three arms: one general-association and one row-mean-scores row over all arms (arm and
/// comparison `all arms`), against cibic_week24_cmh.csv (the 3 × c × K table in R); no
/// correlation row there (it would depend on the order of the arms).
#[test]
fn cibic_week24_all_arms_rows_match_r() {
    let mut checked = 0;
    for stratified in [true, false] {
        let rows = cibic_rows(stratified);
        let all: Vec<_> = rows
            .iter()
            .filter(|r| r["comparison"] == "all arms" && r["visit"] == "Week 24")
            .collect();
        assert_eq!(all.len(), 2, "{all:?}");
        let mut reference =
            csv::Reader::from_path("tests/reference/responders/cibic_week24_cmh.csv")
                .expect("reference");
        for rec in reference.records() {
            let rec = rec.expect("record");
            if (&rec[0] == "TRUE") != stratified || &rec[1] == "co" {
                continue;
            }
            let method = if &rec[1] == "ga" {
                "cmh_general_association"
            } else {
                "cmh_row_mean_scores"
            };
            let row = all
                .iter()
                .find(|r| r["method"] == method && r["arm"] == "all arms")
                .unwrap_or_else(|| panic!("no all-arms row {method}"));
            assert_eq!(row["estimand"], "CIBICVAL_distribution");
            for (col, i) in [("statistic", 2), ("df", 3), ("p_value", 4)] {
                let got: f64 = row[col].parse().expect("number");
                let want: f64 = rec[i].parse().expect("number");
                assert!(
                    (got - want).abs() <= 1e-9 * want.abs(),
                    "{method} {col}: {got} vs R {want}"
                );
            }
            checked += 1;
        }
    }
    assert_eq!(checked, 4);
}

#[test]
fn an_unknown_ordinal_endpoint_is_an_error() {
    let (code, _, err) = run(&["analyze", "data/example_trial.csv", "--ordinal", "iga"]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("'iga' (from --ordinal)") && err.contains("erythema"),
        "{err}"
    );
}

#[test]
fn non_integer_values_are_said() {
    let (code, out, err) = run(&[
        "analyze",
        "data/example_trial.csv",
        "--ordinal",
        "plaque_thickness_mm",
        "--format",
        "csv",
    ]);
    assert_eq!(code, 0, "{err}");
    let rows = parse_table(&out);
    let r = rows
        .iter()
        .find(|r| r["estimand"] == "plaque_thickness_mm_distribution")
        .expect("row");
    assert!(
        r["statistic"].is_empty() && r["note"].contains("not integer-coded"),
        "{r:?}"
    );
}
