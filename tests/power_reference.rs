//! `stats::power` against R (power.t.test, power.prop.test, pwr, fisher.test enumeration) and
//! the `trialstat power` command's checks of bad input.
//! Reference: tests/reference/power/power.R (power.csv).

mod common;
use common::*;
use trialstat::stats::power::{power, sample_size, wmw_power_simulated, Design};

/// Analytic power: 1e-6 relative (the noncentral t is summed to 1e-12; R's own pnt to ~1e-12).
const TOL: f64 = 1e-6;

#[test]
fn power_matches_r() {
    let r = read_reference(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/reference/power/power.csv"
    ));
    let want = |c: &str, q: &str| -> f64 { r[&(c.to_string(), q.to_string())].parse().unwrap() };
    let one = |delta, sd| Design::OneSampleT { delta, sd };
    let two = |delta, sd| Design::TwoSampleT {
        delta,
        sd,
        sd2: sd,
        welch: false,
    };
    let cases: Vec<(&str, Design, usize, usize, f64)> = vec![
        ("one_sample_n20_d1_sd1.5", one(1.0, 1.5), 20, 0, 0.05),
        ("paired_n12_d0.8_a0.01", one(0.8, 1.0), 12, 0, 0.01),
        ("two_sample_n20_d1_sd1.5", two(1.0, 1.5), 20, 20, 0.05),
        ("pwr_paired_n25_d0.6", one(0.6, 1.0), 25, 0, 0.05),
        ("pwr_t2n_30_45_d0.5", two(0.5, 1.0), 30, 45, 0.05),
        ("pwr_two_n40_d0.5", two(0.5, 1.0), 40, 40, 0.05),
        (
            "prop_n50_0.6_0.3",
            Design::TwoProportions {
                p1: 0.6,
                p2: 0.3,
                continuity: false,
            },
            50,
            50,
            0.05,
        ),
        (
            "welch_20_30_sd1_2_d1",
            Design::TwoSampleT {
                delta: 1.0,
                sd: 1.0,
                sd2: 2.0,
                welch: true,
            },
            20,
            30,
            0.05,
        ),
        (
            "ancova_n25_d4_sd10_rho0.6",
            Design::Ancova {
                delta: 4.0,
                sd: 10.0,
                rho: 0.6,
            },
            25,
            25,
            0.05,
        ),
        (
            "fisher_25_25_0.6_0.2",
            Design::TwoProportionsExact { p1: 0.6, p2: 0.2 },
            25,
            25,
            0.05,
        ),
        (
            "fisher_15_20_0.7_0.3",
            Design::TwoProportionsExact { p1: 0.7, p2: 0.3 },
            15,
            20,
            0.05,
        ),
        (
            "noether_60_60_d0.5",
            Design::WmwNoether {
                p_greater: trialstat::stats::power::p_greater_normal(0.5, 1.0),
            },
            60,
            60,
            0.05,
        ),
    ];
    let mut checked = 0;
    for (case, d, n1, n2, alpha) in &cases {
        let got = power(d, *n1, *n2, *alpha).unwrap();
        assert_close(case, got, want(case, "power"), TOL);
        checked += 1;
    }
    // Sample sizes: R's continuous n rounded up.
    let (n, _) = sample_size(&two(5.0, 10.0), 0.9, 1.0, 0.05, false).unwrap();
    assert_eq!(n as f64, want("two_sample_d5_sd10_pw0.9", "n"));
    let (n, _) = sample_size(&one(0.5, 1.0), 0.8, 1.0, 0.05, true).unwrap();
    assert_eq!(n as f64, want("one_sample_d0.5_pw0.8", "n"));
    let prop = Design::TwoProportions {
        p1: 0.5,
        p2: 0.75,
        continuity: false,
    };
    let (n, _) = sample_size(&prop, 0.9, 1.0, 0.05, false).unwrap();
    assert_eq!(n as f64, want("prop_0.5_0.75_pw0.9", "n"));
    checked += 3;
    assert_eq!(checked, cases.len() + 3);
    assert!(checked >= 15);
}

/// Fleiss' continuity-corrected n for equal arms: n' = n/4 (1 + √(1 + 4/(n|Δ|)))², with n the
/// uncorrected one; our search with the corrected power lands on its ceiling (±1).
#[test]
fn continuity_correction_matches_fleiss_formula() {
    let (p1, p2) = (0.5, 0.75);
    let plain = Design::TwoProportions {
        p1,
        p2,
        continuity: false,
    };
    let cc = Design::TwoProportions {
        p1,
        p2,
        continuity: true,
    };
    let (n, _) = sample_size(&plain, 0.9, 1.0, 0.05, false).unwrap();
    // The uncorrected continuous n from the same formula: solve power = 0.9 by bisection.
    let (mut lo, mut hi) = (2.0f64, 1e4);
    let f = |m: f64| {
        let pbar = (p1 + p2) / 2.0;
        let z = 1.959963984540054;
        let num = (p1 - p2).abs() * m.sqrt() - z * (2.0 * pbar * (1.0 - pbar)).sqrt();
        num / (p1 * (1.0 - p1) + p2 * (1.0 - p2)).sqrt() - 1.2815515655446004
    };
    for _ in 0..200 {
        let mid = (lo + hi) / 2.0;
        if f(mid) < 0.0 {
            lo = mid
        } else {
            hi = mid
        }
    }
    let fleiss = hi / 4.0 * (1.0 + (1.0 + 4.0 / (hi * (p1 - p2).abs())).sqrt()).powi(2);
    let (n_cc, _) = sample_size(&cc, 0.9, 1.0, 0.05, false).unwrap();
    assert!(n_cc > n);
    assert!(
        (n_cc as f64 - fleiss.ceil()).abs() <= 1.0,
        "{n_cc} vs Fleiss {fleiss}"
    );
}

/// The simulated WMW power lies within 3 Monte-Carlo SEs of Noether's approximation at a size
/// where it is accurate, and the same seed gives the same answer.
#[test]
fn simulated_wmw_power_agrees_with_noether() {
    let (p, se) = wmw_power_simulated(0.5, 1.0, 60, 60, 0.05, 2000, 7);
    let noether = power(
        &Design::WmwNoether {
            p_greater: trialstat::stats::power::p_greater_normal(0.5, 1.0),
        },
        60,
        60,
        0.05,
    )
    .unwrap();
    assert!(
        (p - noether).abs() <= 3.0 * se + 0.01,
        "{p} ± {se} vs {noether}"
    );
    assert_eq!(
        wmw_power_simulated(0.5, 1.0, 60, 60, 0.05, 2000, 7),
        (p, se)
    );
}

#[test]
fn bad_power_inputs_exit_2_naming_the_option() {
    let mut checked = 0;
    for (args, option) in [
        (
            vec!["--delta", "5", "--sd", "10", "--power", "1.2"],
            "--power",
        ),
        (vec!["--delta", "5", "--sd", "-1", "--power", "0.9"], "--sd"),
        (
            vec!["--delta", "0", "--sd", "10", "--power", "0.9"],
            "--delta",
        ),
        (
            vec![
                "--from",
                "data/reported/tofacitinib_case_series.toml",
                "--claim",
                "nope",
                "--control-pct-change",
                "-10",
                "--power",
                "0.9",
            ],
            "--claim",
        ),
        (
            vec!["--delta", "0.0000001", "--sd", "10", "--power", "0.9"],
            "--power",
        ),
    ] {
        let mut full = vec!["power"];
        full.extend(args.iter());
        let out = assert_cmd::Command::cargo_bin("trialstat")
            .unwrap()
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(&full)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{full:?}: {err}");
        assert!(err.contains(option), "{full:?}: {err}");
        checked += 1;
    }
    assert_eq!(checked, 5);
}

#[test]
fn power_from_a_claim_prints_n_over_the_sd_range() {
    let (code, out, err) = run_trialstat(&[
        "power",
        "--from",
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/data/reported/tofacitinib_case_series.toml"
        ),
        "--claim",
        "thickness_wk12",
        "--control-pct-change",
        "-10",
        "--power",
        "0.9",
    ]);
    assert_eq!(code, 0, "{err}");
    for end in ["lower end", "middle", "upper end"] {
        assert!(out.contains(end) && out.contains("per arm"), "{out}");
    }
}
