//! Generates the synthetic demo case series in `data/`:
//!
//! - `data/tofacitinib_case_series.csv` (wide layout): 12 patients whose plaque thickness at
//!   week 12 falls by a mean of 52% (95% CI 45–60%, p < 0.01, each to the nearest whole
//!   percent) and who show full clearance (thickness 0, no palpable induration) in exactly
//!   4 of 12 at week 24.
//! - `data/baricitinib_case_series.csv` (long layout): 12 patients with mean week-12
//!   reductions of 60% in erythema, 55% in induration and 65% in pruritus (nearest whole
//!   percent), erythema and induration p < 0.01.
//!
//! - `data/example_trial.csv` (long layout with a site and a baseline-severity column): a
//!   synthetic three-arm randomised trial (tofacitinib, baricitinib, placebo; 40 patients per
//!   arm, permuted blocks of 6 stratified by site) with all four endpoints at weeks 0, 4, 8, 12
//!   and 24, dropout (more on placebo) and a few single missing values.
//!
//! These are not real patients: values are drawn from a seeded generator (SplitMix64) and
//! redrawn until the published summary figures are met. Run:
//!     cargo run --example make_demo_data
//! The output is byte-identical on every run.

use std::fmt::Write as _;
use trialstat::stats::{ttest, Alternative};

/// SplitMix64: tiny, fixed forever, so the files never change with a dependency update.
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn uniform(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * ((self.next_u64() >> 11) as f64 / (1u64 << 53) as f64)
    }
    fn int(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next_u64() % ((hi - lo + 1) as u64)) as i64
    }
    fn normal(&mut self, mean: f64, sd: f64) -> f64 {
        // Box–Muller
        let u1 = self.uniform(f64::EPSILON, 1.0);
        let u2 = self.uniform(0.0, 1.0);
        mean + sd * (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
    }
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

fn pct(b: &[f64], f: &[f64]) -> Vec<f64> {
    b.iter().zip(f).map(|(b, f)| 100.0 * (f - b) / b).collect()
}

/// (mean, lower, upper, p) of the mean percent change.
fn summary(b: &[f64], f: &[f64]) -> (f64, f64, f64, f64) {
    let r = ttest::one_sample_t(&pct(b, f), 0.0, 0.95, Alternative::TwoSided, "mean");
    let ci = r.interval.expect("interval");
    (
        r.estimate.unwrap().value,
        ci.lower,
        ci.upper,
        r.p_value.unwrap(),
    )
}

fn rounds_to(x: f64, whole: f64) -> bool {
    x.round() == whole
}

/// Scores on an integer scale lowered by about `mean_pct` percent.
fn score_follow_up(rng: &mut Rng, b: &[f64], mean_pct: f64, sd: f64, max: f64) -> Vec<f64> {
    b.iter()
        .map(|&x| {
            (x * (1.0 + rng.normal(mean_pct, sd) / 100.0))
                .round()
                .clamp(0.0, max.min(x))
        })
        .collect()
}

fn tofacitinib() -> String {
    let n = 12;
    for seed in 1u64.. {
        let mut rng = Rng(seed);
        let b: Vec<f64> = (0..n).map(|_| round1(rng.uniform(1.8, 4.2))).collect();
        let f12: Vec<f64> = b
            .iter()
            .map(|&x| round1(x * (1.0 + rng.normal(-52.3, 11.8).clamp(-88.0, -15.0) / 100.0)))
            .collect();
        let (m, lo, hi, p) = summary(&b, &f12);
        if !(rounds_to(m, -52.0) && rounds_to(lo, -60.0) && rounds_to(hi, -45.0) && p < 0.01) {
            continue;
        }
        // Week 24: the four largest week-12 responders clear fully.
        let improvements = pct(&b, &f12);
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by(|&i, &j| improvements[i].total_cmp(&improvements[j]));
        let cleared: Vec<usize> = order[..4].to_vec();
        let f24: Vec<f64> = (0..n)
            .map(|i| {
                if cleared.contains(&i) {
                    0.0
                } else {
                    round1(f12[i] * rng.uniform(0.55, 0.95)).max(0.2)
                }
            })
            .collect();
        // Erythema and induration 0–4, pruritus 0–10, tracking the thickness response.
        let ery_b: Vec<f64> = (0..n).map(|_| rng.int(2, 4) as f64).collect();
        let ind_b: Vec<f64> = (0..n).map(|_| rng.int(2, 4) as f64).collect();
        let pru_b: Vec<f64> = (0..n).map(|_| rng.int(5, 9) as f64).collect();
        let ery12 = score_follow_up(&mut rng, &ery_b, -50.0, 20.0, 4.0);
        let ind12 = score_follow_up(&mut rng, &ind_b, -50.0, 20.0, 4.0);
        let pru12 = score_follow_up(&mut rng, &pru_b, -55.0, 20.0, 10.0);
        let later = |rng: &mut Rng, x12: &[f64], i: usize| -> f64 {
            if cleared.contains(&i) {
                0.0
            } else {
                (x12[i] * rng.uniform(0.5, 1.0)).round().max(1.0)
            }
        };
        let ery24: Vec<f64> = (0..n).map(|i| later(&mut rng, &ery12, i)).collect();
        let ind24: Vec<f64> = (0..n).map(|i| later(&mut rng, &ind12, i)).collect();
        let pru24: Vec<f64> = (0..n)
            .map(|i| {
                if cleared.contains(&i) {
                    rng.int(0, 1) as f64
                } else {
                    (pru12[i] * rng.uniform(0.5, 1.0)).round()
                }
            })
            .collect();
        eprintln!("tofacitinib: seed {seed}: week 12 mean {m:.2}% (95% CI {lo:.2} to {hi:.2}), p = {p:.2e}");
        let mut s = String::from(
            "patient_id,arm,visit,week,plaque_thickness_mm,erythema,induration,pruritus\n",
        );
        for i in 0..n {
            let id = format!("T{:02}", i + 1);
            let _ = writeln!(
                s,
                "{id},tofacitinib,baseline,0,{:.1},{},{},{}",
                b[i], ery_b[i], ind_b[i], pru_b[i]
            );
            let _ = writeln!(
                s,
                "{id},tofacitinib,week12,12,{:.1},{},{},{}",
                f12[i], ery12[i], ind12[i], pru12[i]
            );
            let _ = writeln!(
                s,
                "{id},tofacitinib,week24,24,{:.1},{},{},{}",
                f24[i], ery24[i], ind24[i], pru24[i]
            );
        }
        return s;
    }
    unreachable!()
}

fn baricitinib() -> String {
    let n = 12;
    for seed in 1u64.. {
        let mut rng = Rng(seed ^ 0xBA41);
        let ery_b: Vec<f64> = (0..n).map(|_| rng.int(2, 4) as f64).collect();
        let ind_b: Vec<f64> = (0..n).map(|_| rng.int(2, 4) as f64).collect();
        let pru_b: Vec<f64> = (0..n).map(|_| rng.int(5, 9) as f64).collect();
        let ery12 = score_follow_up(&mut rng, &ery_b, -60.0, 18.0, 4.0);
        let ind12 = score_follow_up(&mut rng, &ind_b, -55.0, 18.0, 4.0);
        let pru12 = score_follow_up(&mut rng, &pru_b, -65.0, 15.0, 10.0);
        let (me, _, _, pe) = summary(&ery_b, &ery12);
        let (mi, _, _, pi) = summary(&ind_b, &ind12);
        let (mp, _, _, _) = summary(&pru_b, &pru12);
        if !(rounds_to(me, -60.0)
            && rounds_to(mi, -55.0)
            && rounds_to(mp, -65.0)
            && pe < 0.01
            && pi < 0.01)
        {
            continue;
        }
        let thick_b: Vec<f64> = (0..n).map(|_| round1(rng.uniform(1.8, 4.0))).collect();
        let thick12: Vec<f64> = thick_b
            .iter()
            .map(|&x| round1(x * rng.uniform(0.3, 0.7)))
            .collect();
        let thick24: Vec<f64> = thick12
            .iter()
            .map(|&x| round1(x * rng.uniform(0.4, 1.0)))
            .collect();
        let ery24: Vec<f64> = ery12
            .iter()
            .map(|&x| (x * rng.uniform(0.5, 1.0)).round())
            .collect();
        let ind24: Vec<f64> = ind12
            .iter()
            .map(|&x| (x * rng.uniform(0.5, 1.0)).round())
            .collect();
        let pru24: Vec<f64> = pru12
            .iter()
            .map(|&x| (x * rng.uniform(0.5, 1.0)).round())
            .collect();
        eprintln!("baricitinib: seed {seed}: erythema {me:.2}% (p = {pe:.1e}), induration {mi:.2}% (p = {pi:.1e}), pruritus {mp:.2}%");
        let mut s = String::from("patient_id,arm,visit,week,endpoint,value\n");
        let visits: [(&str, u32); 3] = [("baseline", 0), ("week12", 12), ("week24", 24)];
        let series: [(&str, [&Vec<f64>; 3], bool); 4] = [
            ("plaque_thickness_mm", [&thick_b, &thick12, &thick24], true),
            ("erythema", [&ery_b, &ery12, &ery24], false),
            ("induration", [&ind_b, &ind12, &ind24], false),
            ("pruritus", [&pru_b, &pru12, &pru24], false),
        ];
        for i in 0..n {
            let id = format!("B{:02}", i + 1);
            for (vi, (visit, week)) in visits.iter().enumerate() {
                for (endpoint, values, decimal) in &series {
                    let v = values[vi][i];
                    let text = if *decimal {
                        format!("{v:.1}")
                    } else {
                        format!("{v}")
                    };
                    let _ = writeln!(s, "{id},baricitinib,{visit},{week},{endpoint},{text}");
                }
            }
        }
        return s;
    }
    unreachable!()
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
    std::fs::write(dir.join("tofacitinib_case_series.csv"), tofacitinib())?;
    std::fs::write(dir.join("baricitinib_case_series.csv"), baricitinib())?;
    std::fs::write(dir.join("example_trial.csv"), example_trial())?;
    eprintln!("wrote data/tofacitinib_case_series.csv, data/baricitinib_case_series.csv and data/example_trial.csv");
    Ok(())
}
