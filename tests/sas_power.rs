//! `stats::power` against the worked examples of SAS PROC POWER's documentation: every printed
//! digit (power to 3 decimals, N as an integer). Sources, inputs and printed outputs:
//! tests/reference/sas_power/README.md.

use trialstat::stats::power::{power, sample_size, Design};

/// SAS prints power rounded to 3 decimals: ours must round to the same digits.
#[track_caller]
fn assert_printed(what: &str, ours: f64, sas: &str) {
    let printed = format!("{ours:.3}");
    assert_eq!(
        printed, sas,
        "{what}: ours {ours:.6} prints {printed}, SAS printed {sas}"
    );
}

fn two(delta: f64, sd: f64) -> Design {
    Design::TwoSampleT {
        delta,
        sd,
        sd2: sd,
        welch: false,
    }
}

/// Getting Started, "Computing Power for a One-Sample t Test": ONESAMPLEMEANS mean = 8,
/// stddev = 40, ntotal = 150 → power 0.682.
#[test]
fn onesamplemeans_power_jerseys() {
    let p = power(
        &Design::OneSampleT {
            delta: 8.0,
            sd: 40.0,
        },
        150,
        0,
        0.05,
    )
    .unwrap();
    assert_printed("mean 8, sd 40, n 150", p, "0.682");
}

/// UCLA OARC's SAS example (PROC POWER listing): ONESAMPLEMEANS nullmean = 850, mean = 810,
/// stddev = 50, power = 0.9 → N 19, actual power 0.909.
#[test]
fn onesamplemeans_n_light_bulbs() {
    let d = Design::OneSampleT {
        delta: 810.0 - 850.0,
        sd: 50.0,
    };
    let (n, p) = sample_size(&d, 0.9, 1.0, 0.05, true).unwrap();
    assert_eq!(n, 19);
    assert_printed("actual power", p, "0.909");
}

/// "Introduction to Power and Sample Size Analysis", Figure 18.1: TWOSAMPLEMEANS test=diff,
/// meandiff = 5 6, stddev = 12 18, alpha = 0.05 0.1, ntotal = 100 200 (balanced: 50 and 100
/// per group) → 16 powers.
#[test]
fn twosamplemeans_power_intro_table() {
    let table: [(f64, f64, f64, usize, &str); 16] = [
        (0.05, 5.0, 12.0, 100, "0.541"),
        (0.05, 5.0, 12.0, 200, "0.834"),
        (0.05, 5.0, 18.0, 100, "0.280"),
        (0.05, 5.0, 18.0, 200, "0.498"),
        (0.05, 6.0, 12.0, 100, "0.697"),
        (0.05, 6.0, 12.0, 200, "0.940"),
        (0.05, 6.0, 18.0, 100, "0.379"),
        (0.05, 6.0, 18.0, 200, "0.650"),
        (0.10, 5.0, 12.0, 100, "0.664"),
        (0.10, 5.0, 12.0, 200, "0.902"),
        (0.10, 5.0, 18.0, 100, "0.397"),
        (0.10, 5.0, 18.0, 200, "0.623"),
        (0.10, 6.0, 12.0, 100, "0.799"),
        (0.10, 6.0, 12.0, 200, "0.970"),
        (0.10, 6.0, 18.0, 100, "0.505"),
        (0.10, 6.0, 18.0, 200, "0.759"),
    ];
    for (alpha, diff, sd, total, sas) in table {
        let p = power(&two(diff, sd), total / 2, total / 2, alpha).unwrap();
        assert_printed(
            &format!("alpha {alpha}, diff {diff}, sd {sd}, N {total}"),
            p,
            sas,
        );
    }
}

/// Example "Customizing Plots", Output 8.1: TWOSAMPLEMEANS groupmeans = 12 | 15 18,
/// stddev = 7 9, power = 0.9, ntotal = . → N total 232, 382, 60, 98 with actual power 0.902,
/// 0.901, 0.904, 0.904 (balanced: N total / 2 per group).
#[test]
fn twosamplemeans_n_customizing_plots() {
    let table: [(f64, f64, usize, &str); 4] = [
        (15.0, 7.0, 232, "0.902"),
        (15.0, 9.0, 382, "0.901"),
        (18.0, 7.0, 60, "0.904"),
        (18.0, 9.0, 98, "0.904"),
    ];
    for (mean2, sd, total, sas) in table {
        let (n, p) = sample_size(&two(mean2 - 12.0, sd), 0.9, 1.0, 0.05, false).unwrap();
        assert_eq!(2 * n, total, "mean2 {mean2}, sd {sd}");
        assert_printed(&format!("mean2 {mean2}, sd {sd}"), p, sas);
    }
}
