//! Timing of the heavy statistical kernels (a bench script; run it in release mode):
//!     cargo run --release --example bench_kernels
//! Prints the median wall time of 5 runs of each kernel, and the threads rayon used.

use std::time::Instant;
use trialstat::stats::{bootstrap, exact_rank, permutation, walsh, wilcoxon};

fn median_time<F: FnMut()>(mut f: F) -> f64 {
    let mut times: Vec<f64> = (0..5)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64()
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[2]
}

fn sample(n: usize, seed: u64) -> Vec<f64> {
    // Deterministic, with ties (one decimal).
    (0..n)
        .map(|i| (((i as u64 * 2654435761 + seed) % 1000) as f64 / 10.0 - 40.0).round() / 1.0)
        .collect()
}

fn main() {
    println!("threads: {}", rayon::current_num_threads());
    println!("{:<52} {:>12}", "kernel", "median (s)");
    for n in [12usize, 10_000] {
        let x = sample(n, 1);
        let t = median_time(|| {
            let b = bootstrap::one_sample_mean(&x, 10_000, 1);
            std::hint::black_box(b.intervals(0.95).bca);
        });
        println!(
            "{:<52} {:>12.4}",
            format!("BCa bootstrap of the mean, n = {n}, 10,000 resamples"),
            t
        );
    }
    let x = sample(200, 3);
    let t = median_time(|| {
        std::hint::black_box(exact_rank::signed_rank_exact(&x, 0.95, "hl"));
    });
    println!(
        "{:<52} {:>12.4}",
        "exact signed-rank with ties, n = 200 (p and interval)", t
    );
    let (x, y) = (sample(100, 5), sample(100, 9));
    let t = median_time(|| {
        std::hint::black_box(exact_rank::rank_sum_exact(&x, &y, 0.95, "shift"));
    });
    println!("{:<52} {:>12.4}", "exact rank-sum with ties, 100 + 100", t);
    let x = sample(200_000, 7);
    let t = median_time(|| {
        let mut s = x.clone();
        s.sort_by(f64::total_cmp);
        std::hint::black_box(walsh::WalshSums::new(&s).median_average());
    });
    println!("{:<52} {:>12.4}", "Hodges-Lehmann estimate, n = 200,000", t);
    let t = median_time(|| {
        std::hint::black_box(wilcoxon::signed_rank(&x, 0.95, "hl"));
    });
    println!(
        "{:<52} {:>12.4}",
        "Wilcoxon signed-rank (R's algorithm), n = 200,000", t
    );
    let x = sample(20, 11);
    let t = median_time(|| {
        std::hint::black_box(permutation::sign_flip(&x, 1));
    });
    println!(
        "{:<52} {:>12.4}",
        "exact sign-flip permutation, n = 20 (2^20)", t
    );
}
