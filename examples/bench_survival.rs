//! Benchmark of `stats::survival` (issue 19): Kaplan–Meier per arm + log-rank on 1,000,000
//! patients, Cox with 5 covariates (Efron) on 100,000. Synthetic, seeded (SplitMix64): exponential
//! times with hazard exp(0.3·arm + covariates·β), uniform censoring, times rounded to whole days
//! (so there are ties). Writes the data to `bench/` CSVs when given `--write` so that
//! bench/survival_bench.R times R on the same data.
//!
//!     cargo run --release --example bench_survival [-- --write]

use std::time::Instant;
use trialstat::rng::SplitMix64;
use trialstat::stats::survival::{cox, kaplan_meier, log_rank, CoxOptions};

fn data(n: usize, p: usize, seed: u64) -> (Vec<f64>, Vec<bool>, Vec<usize>, Vec<f64>) {
    let mut rng = SplitMix64(seed);
    let beta = [0.5, -0.3, 0.2, 0.1, -0.2];
    let (mut t, mut e, mut g, mut x) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for _ in 0..n {
        let arm = usize::from(rng.next_f64() < 0.5);
        let mut eta: f64 = 0.3 * arm as f64;
        for b in beta.iter().take(p) {
            let v = rng.next_f64() * 2.0 - 1.0;
            x.push(v);
            eta += b * v;
        }
        let event_time = -(1.0 - rng.next_f64()).ln() / (0.01 * eta.exp());
        let censor = rng.next_f64() * 300.0;
        t.push(event_time.min(censor).ceil());
        e.push(event_time <= censor);
        g.push(arm);
    }
    (t, e, g, x)
}

fn write(path: &str, t: &[f64], e: &[bool], g: &[usize], x: &[f64], p: usize) {
    use std::io::Write;
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).expect("bench file"));
    let cov: Vec<String> = (1..=p).map(|j| format!("x{j}")).collect();
    writeln!(
        f,
        "time,event,arm{}{}",
        if p > 0 { "," } else { "" },
        cov.join(",")
    )
    .unwrap();
    for i in 0..t.len() {
        let xs: Vec<String> = x[i * p..(i + 1) * p]
            .iter()
            .map(|v| format!("{v}"))
            .collect();
        writeln!(
            f,
            "{},{},{}{}{}",
            t[i],
            u8::from(e[i]),
            g[i],
            if p > 0 { "," } else { "" },
            xs.join(",")
        )
        .unwrap();
    }
}

fn main() {
    let write_files = std::env::args().any(|a| a == "--write");
    // KM + log-rank, 1,000,000 patients
    let (t, e, g, _) = data(1_000_000, 0, 19);
    if write_files {
        write("bench/surv_1m.csv", &t, &e, &g, &[], 0);
    }
    let mut best = f64::INFINITY;
    for _ in 0..3 {
        let s = Instant::now();
        for arm in 0..2 {
            let idx: Vec<usize> = (0..t.len()).filter(|&i| g[i] == arm).collect();
            let ta: Vec<f64> = idx.iter().map(|&i| t[i]).collect();
            let ea: Vec<bool> = idx.iter().map(|&i| e[i]).collect();
            let km = kaplan_meier(&ta, &ea, 0.95).unwrap();
            std::hint::black_box(km.quantile(0.5));
        }
        let lr = log_rank(&t, &e, &g, None).unwrap();
        std::hint::black_box(lr.chisq);
        best = best.min(s.elapsed().as_secs_f64());
    }
    println!("km_logrank_1e6_seconds {best:.3}");
    // Cox, 5 covariates, 100,000 patients
    let p = 5;
    let (t, e, g, x) = data(100_000, p, 20);
    if write_files {
        write("bench/surv_cox_100k.csv", &t, &e, &g, &x, p);
    }
    let mut xx = Vec::with_capacity(t.len() * (p + 1));
    for i in 0..t.len() {
        xx.push(g[i] as f64);
        xx.extend_from_slice(&x[i * p..(i + 1) * p]);
    }
    let mut best = f64::INFINITY;
    let mut coef = Vec::new();
    for _ in 0..3 {
        let s = Instant::now();
        let fit = cox(&t, &e, &xx, p + 1, None, CoxOptions::default()).unwrap();
        best = best.min(s.elapsed().as_secs_f64());
        coef = fit.coef;
    }
    println!("cox_5cov_1e5_seconds {best:.3}");
    println!("cox_coef {coef:?}");
}
