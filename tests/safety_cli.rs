//! `trialstat safety` on the CDISC pilot ADAE + ADSL against R (tests/reference/safety/
//! safety_reference.R → safety_pilot.csv): incidence with Clopper–Pearson (binom.test),
//! Newcombe differences vs Placebo, events per 100 patient-years with poisson.test intervals.

use assert_cmd::Command;
use std::collections::HashMap;

const ADAE: &str = "../shared/reference/cdiscpilot01/adae.csv";
const ADSL: &str = "../shared/reference/cdiscpilot01/adsl.csv";

fn rows(text: &str) -> Vec<HashMap<String, String>> {
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

fn close(a: &str, b: &str, tol: f64, what: &str) {
    let (x, y): (f64, f64) = (a.parse().unwrap(), b.parse().unwrap());
    assert!(
        (x - y).abs() <= tol * y.abs().max(1e-12),
        "{what}: ours {x}, R {y}"
    );
}

#[test]
fn pilot_safety_table_equals_r() {
    if !std::path::Path::new(ADAE).exists() {
        return;
    }
    let out = Command::cargo_bin("trialstat")
        .unwrap()
        .args(["safety", ADAE, "--adsl", ADSL, "--format", "csv"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let ours = rows(&String::from_utf8_lossy(&out.stdout));
    let find = |term: &str, arm: &str, est: &str, level: &str, soc: &str| {
        ours.iter()
            .find(|r| {
                r["endpoint"] == term
                    && r["arm"] == arm
                    && r["estimand"] == est
                    && match level {
                        "pt" => r["note"].contains(&format!("preferred term in {soc}")),
                        "soc" => r["note"].starts_with("system organ class"),
                        _ => r["note"].starts_with("any"),
                    }
            })
            .unwrap_or_else(|| panic!("no row {term} {arm} {est}"))
    };
    let reference =
        rows(&std::fs::read_to_string("tests/reference/safety/safety_pilot.csv").unwrap());
    let mut checked = 0;
    for r in &reference {
        let (term, arm, level, soc) = (&r["term"], &r["arm"], &r["level"], &r["soc"]);
        let w = format!("{term} {arm}");
        let inc = find(term, arm, "ae_incidence", level, soc);
        assert_eq!(inc["n"], r["N"], "{w}");
        assert!(
            inc["note"].contains(&format!("; {} of {} patients", r["patients"], r["N"])),
            "{w}: {}",
            inc["note"]
        );
        close(&inc["estimate"], &r["incidence"], 1e-12, &w);
        close(&inc["ci_low"], &r["inc_lower"], 1e-9, &w);
        close(&inc["ci_high"], &r["inc_upper"], 1e-9, &w);
        let rate = find(term, arm, "ae_rate", level, soc);
        close(&rate["estimate"], &r["rate"], 1e-12, &w);
        close(&rate["ci_low"], &r["rate_lower"], 1e-9, &w);
        close(&rate["ci_high"], &r["rate_upper"], 1e-9, &w);
        if !r["diff"].is_empty() {
            let d = find(term, arm, "ae_incidence_diff", level, soc);
            assert_eq!(d["comparison"], format!("{arm} vs Placebo"));
            close(&d["estimate"], &r["diff"], 1e-12, &w);
            close(&d["ci_low"], &r["diff_lower"], 1e-9, &w);
            close(&d["ci_high"], &r["diff_upper"], 1e-9, &w);
        }
        checked += 1;
    }
    assert_eq!(checked, 762);
    let out = Command::cargo_bin("trialstat")
        .unwrap()
        .args(["safety", ADAE, "--adsl", ADSL, "--format", "table"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("ANY TREATMENT-EMERGENT EVENT") && text.contains("65 (75.6%) 800.6"),
        "{text}"
    );
}

/// The sponsor's SAS transport files give the same table, byte for byte, as their CSV
/// conversions (haven::read_xpt); a damaged transport file is a clear error (exit 2).
#[test]
fn pilot_xpt_files_equal_their_csv_conversions() {
    let (adae_xpt, adsl_xpt) = (ADAE.replace(".csv", ".xpt"), ADSL.replace(".csv", ".xpt"));
    if !std::path::Path::new(&adae_xpt).exists() {
        return;
    }
    let run = |adae: &str, adsl: &str| {
        Command::cargo_bin("trialstat")
            .unwrap()
            .args(["safety", adae, "--adsl", adsl, "--format", "csv"])
            .output()
            .unwrap()
    };
    let (x, c) = (run(&adae_xpt, &adsl_xpt), run(ADAE, ADSL));
    assert!(x.status.success(), "{}", String::from_utf8_lossy(&x.stderr));
    assert!(c.status.success());
    assert_eq!(
        String::from_utf8_lossy(&x.stdout),
        String::from_utf8_lossy(&c.stdout)
    );
    let dir = tempfile::tempdir().unwrap();
    let cut = dir.path().join("adae_cut.xpt");
    let bytes = std::fs::read(&adae_xpt).unwrap();
    std::fs::write(&cut, &bytes[..bytes.len() / 3 + 7]).unwrap();
    let out = run(cut.to_str().unwrap(), &adsl_xpt);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("adae_cut.xpt"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    // Cut at an 80-byte record boundary inside an observation: the partial observation is
    // seen (it is not blank padding), not silently dropped.
    std::fs::write(&cut, &bytes[..20_000]).unwrap();
    let out = run(cut.to_str().unwrap(), &adsl_xpt);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("adae_cut.xpt") && err.contains("incomplete"),
        "{err}"
    );
}
