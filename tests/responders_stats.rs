//! The stratified responder statistics (`stats::cmh`, `stats::cmh_general`,
//! `stats::risk_difference`) against tests/reference/responders/responders_reference.R and its
//! CSV outputs (R `mantelhaen.test(correct = FALSE)`, `prop.test`, and the published formulas
//! in R), and the SAS PROC FREQ documentation's Migraine example.

use std::collections::HashMap;
use trialstat::stats::cmh::{breslow_day, cmh, mh_odds_ratio};
use trialstat::stats::cmh_general::{generalized_cmh, CmhAlternative, OrdinalTable};
use trialstat::stats::risk_difference::{
    mh_sato, miettinen_nurminen, mn_stratified, wilson_result,
};
use trialstat::stats::strata::{pooled, Stratum};
use trialstat::stats::{Diagnostic, TestResult};

/// Closed forms and root searches to 1e-13: the issue asks 1e-6 relative; 1e-9 is kept.
const REL: f64 = 1e-9;

fn dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/reference/responders")
}

fn reference() -> HashMap<(String, String), f64> {
    let mut r = csv::Reader::from_path(dir().join("responders_reference.csv")).expect("reference");
    r.records()
        .map(|rec| {
            let rec = rec.expect("record");
            (
                (rec[0].to_string(), rec[1].to_string()),
                rec[2].parse().expect("number"),
            )
        })
        .collect()
}

fn sets() -> Vec<(&'static str, Vec<Stratum>)> {
    let s = |v: &[(usize, usize, usize, usize)]| {
        v.iter()
            .map(|&(a, b, c, d)| Stratum::new(a, b, c, d))
            .collect::<Vec<_>>()
    };
    vec![
        ("migraine", s(&[(16, 27, 5, 25), (12, 28, 7, 26)])),
        (
            "four_strata",
            s(&[
                (20, 50, 10, 48),
                (15, 40, 9, 42),
                (30, 60, 18, 61),
                (8, 25, 6, 24),
            ]),
        ),
        (
            "zero_cells",
            s(&[(3, 10, 0, 9), (5, 12, 1, 11), (7, 15, 2, 14)]),
        ),
        (
            "sparse",
            s(&[
                (12, 30, 6, 28),
                (5, 8, 0, 0),
                (6, 6, 4, 4),
                (0, 5, 0, 6),
                (9, 20, 7, 22),
                (1, 1, 0, 0),
            ]),
        ),
        (
            "negative",
            s(&[(4, 30, 10, 29), (6, 35, 12, 33), (3, 25, 9, 27)]),
        ),
    ]
}

fn close(what: &str, got: f64, want: f64) {
    let tol = REL * want.abs().max(1e-3);
    assert!((got - want).abs() <= tol, "{what}: {got} vs R {want}");
}

fn check(
    refs: &HashMap<(String, String), f64>,
    set: &str,
    q: &str,
    got: Option<f64>,
    n: &mut usize,
) {
    let want = refs[&(set.to_string(), q.to_string())];
    close(
        &format!("{set} {q}"),
        got.unwrap_or_else(|| panic!("{set} {q} missing")),
        want,
    );
    *n += 1;
}

fn ci(r: &TestResult) -> (Option<f64>, Option<f64>, Option<f64>) {
    (
        r.estimate.as_ref().map(|e| e.value),
        r.interval.as_ref().map(|c| c.lower),
        r.interval.as_ref().map(|c| c.upper),
    )
}

#[test]
fn stratified_2x2_statistics_match_r() {
    let refs = reference();
    let mut checked = 0;
    for (name, strata) in sets() {
        let c = cmh(&strata);
        check(
            &refs,
            name,
            "cmh_statistic",
            c.statistic.map(|s| s.value),
            &mut checked,
        );
        check(&refs, name, "cmh_p", c.p_value, &mut checked);
        let (e, l, u) = ci(&mh_odds_ratio(&strata, 0.95, "or"));
        check(&refs, name, "mh_or", e, &mut checked);
        check(&refs, name, "mh_or_lower", l, &mut checked);
        check(&refs, name, "mh_or_upper", u, &mut checked);
        let (e, l, u) = ci(&mh_sato(&strata, 0.95, "d"));
        check(&refs, name, "sato_est", e, &mut checked);
        check(&refs, name, "sato_lower", l, &mut checked);
        check(&refs, name, "sato_upper", u, &mut checked);
        let (e, l, u) = ci(&mn_stratified(&strata, 0.95, "d"));
        check(&refs, name, "mn_strat_est", e, &mut checked);
        check(&refs, name, "mn_strat_lower", l, &mut checked);
        check(&refs, name, "mn_strat_upper", u, &mut checked);
        let bd = breslow_day(&strata);
        check(
            &refs,
            name,
            "bd_statistic",
            bd.statistic.map(|s| s.value),
            &mut checked,
        );
        check(&refs, name, "bd_df", bd.df.map(|d| d.value), &mut checked);
        check(&refs, name, "bd_p", bd.p_value, &mut checked);
        let all = pooled(&strata);
        let (e, l, u) = ci(&miettinen_nurminen(&all, 0.95, "d"));
        check(&refs, name, "mn_est", e, &mut checked);
        check(&refs, name, "mn_lower", l, &mut checked);
        check(&refs, name, "mn_upper", u, &mut checked);
        let (_, l, u) = ci(&wilson_result(all.k1, all.n1, 0.95, "rate"));
        check(&refs, name, "wilson1_lower", l, &mut checked);
        check(&refs, name, "wilson1_upper", u, &mut checked);
    }
    assert_eq!(checked, 5 * 19);
}

#[test]
fn miettinen_nurminen_edges_match_r() {
    let refs = reference();
    let mut checked = 0;
    for (k1, n1, k2, n2) in [
        (0, 20, 0, 20),
        (20, 20, 0, 20),
        (0, 15, 3, 17),
        (10, 10, 9, 10),
        (5, 7, 5, 7),
    ] {
        let set = format!("mn_edge_{k1}_{n1}_{k2}_{n2}");
        let (e, l, u) = ci(&miettinen_nurminen(
            &Stratum::new(k1, n1, k2, n2),
            0.95,
            "d",
        ));
        check(&refs, &set, "mn_est", e, &mut checked);
        check(&refs, &set, "mn_lower", l, &mut checked);
        check(&refs, &set, "mn_upper", u, &mut checked);
    }
    assert_eq!(checked, 15);
}

/// SAS/STAT PROC FREQ Example "Cochran-Mantel-Haenszel Statistics" (Migraine) prints the
/// three CMH statistics 8.3052, p 0.0040.
#[test]
fn migraine_matches_the_sas_listing() {
    let strata = &sets()[0].1;
    let c = cmh(strata);
    assert_eq!(
        format!("{:.4}", c.statistic.expect("statistic").value),
        "8.3052"
    );
    assert_eq!(format!("{:.4}", c.p_value.expect("p")), "0.0040");
    let table = OrdinalTable {
        row_scores: vec![1.0, 2.0],
        col_scores: vec![1.0, 2.0],
        counts: strata
            .iter()
            .map(|s| vec![vec![s.k1, s.n1 - s.k1], vec![s.k2, s.n2 - s.k2]])
            .collect(),
    };
    for which in [
        CmhAlternative::GeneralAssociation,
        CmhAlternative::RowMeanScores,
        CmhAlternative::Correlation,
    ] {
        let r = generalized_cmh(&table, which);
        assert_eq!(
            format!("{:.4}", r.statistic.expect("statistic").value),
            "8.3052",
            "{which:?}"
        );
    }
}

#[test]
fn sparse_strata_are_named() {
    let strata = &sets()[3].1;
    let d = cmh(strata).diagnostics;
    assert!(
        d.contains(&Diagnostic::StrataWithoutInformation {
            count: 2,
            reason: "one arm only"
        }),
        "{d:?}"
    );
    assert!(
        d.contains(&Diagnostic::StrataWithoutInformation {
            count: 2,
            reason: "everyone or no one responds"
        }),
        "{d:?}"
    );
    // One arm only everywhere: nothing to compare.
    let none = [Stratum::new(3, 5, 0, 0), Stratum::new(0, 0, 2, 4)];
    assert!(cmh(&none).statistic.is_none());
    assert!(mh_sato(&none, 0.95, "d").estimate.is_none());
    assert!(mn_stratified(&none, 0.95, "d").estimate.is_none());
    assert!(breslow_day(&none).statistic.is_none());
}

/// CDISC pilot, CIBIC+ at week 24, efficacy population (ANL01FL), by planned treatment
/// (Placebo, Low, High), stratified by SITEGR1 and not: counts from cibic_week24_counts.csv,
/// statistics from cibic_week24_cmh.csv (R formulas; general association also equals R's
/// generalized mantelhaen.test, checked in the script).
#[test]
fn cdisc_pilot_cibic_week24_matches_r() {
    let mut counts: HashMap<(String, String, String), usize> = HashMap::new();
    let mut sites = Vec::new();
    let mut r = csv::Reader::from_path(dir().join("cibic_week24_counts.csv")).expect("counts");
    for rec in r.records() {
        let rec = rec.expect("record");
        if !sites.contains(&rec[0].to_string()) {
            sites.push(rec[0].to_string());
        }
        counts.insert(
            (rec[0].into(), rec[1].into(), rec[2].into()),
            rec[3].parse().expect("n"),
        );
    }
    let arms = ["Placebo", "Xanomeline Low Dose", "Xanomeline High Dose"];
    let values = ["2", "3", "4", "5", "6"];
    let stratum = |site: &str| -> Vec<Vec<usize>> {
        arms.iter()
            .map(|a| {
                values
                    .iter()
                    .map(|v| counts[&(site.into(), (*a).into(), (*v).into())])
                    .collect()
            })
            .collect()
    };
    let stratified: Vec<Vec<Vec<usize>>> = sites.iter().map(|s| stratum(s)).collect();
    let mut total = vec![vec![0; values.len()]; arms.len()];
    for t in &stratified {
        for (i, row) in t.iter().enumerate() {
            for (j, c) in row.iter().enumerate() {
                total[i][j] += c;
            }
        }
    }
    let mut r = csv::Reader::from_path(dir().join("cibic_week24_cmh.csv")).expect("cmh");
    let mut checked = 0;
    for rec in r.records() {
        let rec = rec.expect("record");
        let table = OrdinalTable {
            row_scores: vec![1.0, 2.0, 3.0],
            col_scores: vec![2.0, 3.0, 4.0, 5.0, 6.0],
            counts: if &rec[0] == "TRUE" {
                stratified.clone()
            } else {
                vec![total.clone()]
            },
        };
        let which = match &rec[1] {
            "ga" => CmhAlternative::GeneralAssociation,
            "rm" => CmhAlternative::RowMeanScores,
            _ => CmhAlternative::Correlation,
        };
        let got = generalized_cmh(&table, which);
        let num = |i: usize| rec[i].parse::<f64>().expect("number");
        close("statistic", got.statistic.expect("statistic").value, num(2));
        close("df", got.df.expect("df").value, num(3));
        close("p", got.p_value.expect("p"), num(4));
        checked += 1;
    }
    assert_eq!(checked, 6);
}
