//! Generates the synthetic example trial in `data/`. (The two case series in `data/` are written
//! by `trialstat simulate` from the published claims in `data/reported/`; see data/README.md.)
//!
//! - `data/example_trial.csv` (long layout with a site and a baseline-severity column): a
//!   synthetic three-arm randomised trial (tofacitinib, baricitinib, placebo; 40 patients per
//!   arm, permuted blocks of 6 stratified by site) with all four endpoints at weeks 0, 4, 8, 12
//!   and 24, dropout (more on placebo) and a few single missing values.
//!
//! These are not real patients: values are drawn from a seeded generator (SplitMix64). Run:
//!     cargo run --example make_demo_data
//! The output is byte-identical on every run.

use std::fmt::Write as _;

use trialstat::rng::SplitMix64 as Rng;

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

fn example_trial() -> String {
    let mut rng = Rng(20261126);
    let arms = ["tofacitinib", "baricitinib", "placebo"];
    // (maximum mean improvement at week 24, dropout probability)
    let effect = [(0.58, 0.10), (0.52, 0.12), (0.12, 0.22)];
    let sites = ["S1", "S2", "S3", "S4"];
    let weeks = [0u32, 4, 8, 12, 24];
    let mut s = String::from("patient_id,arm,site,baseline_severity,visit,week,endpoint,value\n");
    let mut id = 0;
    for site in sites {
        // 30 patients per site in permuted blocks of 6 (2 per arm).
        for _block in 0..5 {
            let mut block = [0usize, 0, 1, 1, 2, 2];
            for i in (1..6).rev() {
                let j = (rng.next_u64() % (i as u64 + 1)) as usize;
                block.swap(i, j);
            }
            for arm in block {
                id += 1;
                let (max_gain, dropout_p) = effect[arm];
                let severe = rng.uniform(0.0, 1.0) < 0.4;
                let response = rng.normal(1.0, 0.35).max(0.0);
                let dropout_at = if rng.uniform(0.0, 1.0) < dropout_p {
                    rng.int(1, 4) as usize
                } else {
                    usize::MAX
                };
                let severity_shift = if severe { 0.8 } else { 0.0 };
                let b_thick = round1(rng.uniform(1.5, 3.6) + severity_shift);
                let b_ery = (rng.int(2, 3) + severe as i64) as f64;
                let b_ind = (rng.int(2, 3) + severe as i64) as f64;
                let b_pru = (rng.int(4, 8) + severe as i64) as f64;
                for (vi, &w) in weeks.iter().enumerate() {
                    if vi >= dropout_at {
                        break;
                    }
                    let gain = max_gain * response * (1.0 - (-(w as f64) / 6.0).exp())
                        / (1.0 - (-4.0f64).exp());
                    let visit = if w == 0 {
                        "baseline".to_string()
                    } else {
                        format!("week{w}")
                    };
                    let values = [
                        (
                            "plaque_thickness_mm",
                            if w == 0 {
                                b_thick
                            } else {
                                round1(
                                    (b_thick * (1.0 - gain) + rng.normal(0.0, 0.2)).clamp(0.0, 6.0),
                                )
                            },
                            true,
                        ),
                        (
                            "erythema",
                            if w == 0 {
                                b_ery
                            } else {
                                (b_ery * (1.0 - gain) + rng.normal(0.0, 0.5))
                                    .round()
                                    .clamp(0.0, 4.0)
                            },
                            false,
                        ),
                        (
                            "induration",
                            if w == 0 {
                                b_ind
                            } else {
                                (b_ind * (1.0 - gain) + rng.normal(0.0, 0.5))
                                    .round()
                                    .clamp(0.0, 4.0)
                            },
                            false,
                        ),
                        (
                            "pruritus",
                            if w == 0 {
                                b_pru
                            } else {
                                (b_pru * (1.0 - 1.1 * gain) + rng.normal(0.0, 1.0))
                                    .round()
                                    .clamp(0.0, 10.0)
                            },
                            false,
                        ),
                    ];
                    for (endpoint, v, decimal) in values {
                        // About 2% of follow-up values are missing at random.
                        let missing = w > 0 && rng.uniform(0.0, 1.0) < 0.02;
                        let text = if missing {
                            "NA".to_string()
                        } else if decimal {
                            format!("{v:.1}")
                        } else {
                            format!("{v}")
                        };
                        let _ = writeln!(
                            s,
                            "E{id:03},{},{site},{},{visit},{w},{endpoint},{text}",
                            arms[arm],
                            if severe { "severe" } else { "moderate" }
                        );
                    }
                }
            }
        }
    }
    s
}

fn main() -> std::io::Result<()> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    std::fs::create_dir_all(&dir)?;
    std::fs::write(dir.join("example_trial.csv"), example_trial())?;
    eprintln!("wrote data/example_trial.csv");
    Ok(())
}
