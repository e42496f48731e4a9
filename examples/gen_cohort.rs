//! Writes a synthetic long-format cohort for benchmarks (issue: performance at scale).
//!
//!     cargo run --release --example gen_cohort -- PATIENTS OUT.csv [SEED]
//!
//! `patient_id,arm,visit,week,endpoint,value`: PATIENTS patients, arms tofacitinib / baricitinib
//! / placebo round-robin, endpoints plaque_thickness_mm (mm, one decimal), erythema and induration
//! (0–4), pruritus (0–10), visits baseline, week4, week8, week12, week24; 3% of follow-up rows
//! missing (absent). Seeded SplitMix64: the same arguments give the same bytes. Sizes used by
//! bench/run.sh: S = 12, M = 10,000, L = 200,000, XL = 600,000 patients.

use std::io::Write;

use trialstat::rng::SplitMix64 as Rng;

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 3 {
        eprintln!("usage: gen_cohort PATIENTS OUT.csv [SEED]");
        std::process::exit(2);
    }
    let patients: usize = args[1].parse().expect("PATIENTS: a whole number");
    let seed: u64 = args
        .get(3)
        .map(|s| s.parse().expect("SEED: a whole number"))
        .unwrap_or(1);
    let mut rng = Rng(seed);
    let file = std::fs::File::create(&args[2])?;
    let mut w = std::io::BufWriter::with_capacity(1 << 20, file);
    w.write_all(b"patient_id,arm,visit,week,endpoint,value\n")?;
    let arms = ["tofacitinib", "baricitinib", "placebo"];
    // Mean fraction of baseline remaining at each follow-up visit, by arm.
    let remaining = [
        [0.75, 0.6, 0.48, 0.4],
        [0.78, 0.64, 0.52, 0.45],
        [0.97, 0.93, 0.9, 0.88],
    ];
    let visits = [("week4", 4), ("week8", 8), ("week12", 12), ("week24", 24)];
    let endpoints: [(&str, f64, f64, u32); 4] = [
        ("plaque_thickness_mm", 1.5, 4.5, 1),
        ("erythema", 1.0, 4.0, 0),
        ("induration", 1.0, 4.0, 0),
        ("pruritus", 3.0, 10.0, 0),
    ];
    let width = patients.to_string().len().max(6);
    for p in 0..patients {
        let arm = p % 3;
        let id = format!("P{:0width$}", p + 1);
        let response = (1.0 + 0.35 * rng.standard_normal()).max(0.0);
        for &(name, lo, hi, decimals) in &endpoints {
            let scale = 10f64.powi(decimals as i32);
            let base = ((lo + (hi - lo) * rng.uniform(0.0, 1.0)) * scale).round() / scale;
            writeln!(
                w,
                "{id},{},baseline,0,{name},{base:.*}",
                arms[arm], decimals as usize
            )?;
            for (v, &(visit, week)) in visits.iter().enumerate() {
                let keep =
                    1.0 - (1.0 - remaining[arm][v]) * response + 0.12 * rng.standard_normal();
                let value = ((base * keep.max(0.0)) * scale).round() / scale;
                let value = value.min(if decimals == 0 { hi } else { 9.9 });
                if rng.uniform(0.0, 1.0) < 0.03 {
                    continue; // a missing follow-up row
                }
                writeln!(
                    w,
                    "{id},{},{visit},{week},{name},{value:.*}",
                    arms[arm], decimals as usize
                )?;
            }
        }
    }
    w.flush()
}
