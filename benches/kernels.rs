//! Criterion benchmarks of the statistical kernels that dominate large analyses:
//!     cargo bench --bench kernels
//! (The whole-pipeline comparison with polars, R and pandas is `bench/run.sh`.)

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use std::hint::black_box;
use trialstat::rng::SplitMix64;
use trialstat::stats::{bootstrap, exact_rank, fisher, mann_whitney, walsh, wilcoxon};

/// Deterministic data with ties, like clinical scores and one-decimal measurements.
fn sample(n: usize, seed: u64, levels: u64) -> Vec<f64> {
    let mut rng = SplitMix64(seed);
    (0..n)
        .map(|_| (rng.next_u64() % levels) as f64 / 10.0 - (levels as f64) / 25.0)
        .collect()
}

fn bootstrap_bca(c: &mut Criterion) {
    let mut g = c.benchmark_group("bca_bootstrap_mean_10000_resamples");
    g.sample_size(10);
    for n in [12usize, 10_000] {
        let x = sample(n, 1, 1000);
        g.bench_with_input(BenchmarkId::from_parameter(n), &x, |b, x| {
            b.iter(|| black_box(bootstrap::one_sample_mean(x, 10_000, 1).intervals(0.95).bca))
        });
    }
    g.finish();
}

fn rank_tests(c: &mut Criterion) {
    let mut g = c.benchmark_group("rank_tests");
    g.sample_size(10);
    for n in [1_000usize, 200_000] {
        let x = sample(n, 2, 60);
        g.bench_with_input(BenchmarkId::new("wilcoxon_signed_rank", n), &x, |b, x| {
            b.iter(|| black_box(wilcoxon::signed_rank(x, 0.95, "hl")))
        });
        let y = sample(n, 3, 60);
        g.bench_with_input(
            BenchmarkId::new("mann_whitney", n),
            &(x.clone(), y),
            |b, (x, y)| b.iter(|| black_box(mann_whitney::rank_sum(x, y, 0.95, "shift"))),
        );
    }
    let x = sample(200, 4, 40);
    g.bench_function("exact_signed_rank_ties_200", |b| {
        b.iter(|| black_box(exact_rank::signed_rank_exact(&x, 0.95, "hl")))
    });
    g.finish();
}

fn hodges_lehmann(c: &mut Criterion) {
    let mut g = c.benchmark_group("hodges_lehmann_median");
    g.sample_size(10);
    for (levels, label) in [(60u64, "tied"), (1u64 << 40, "continuous")] {
        let mut x = sample(200_000, 5, levels);
        x.sort_by(f64::total_cmp);
        g.bench_function(BenchmarkId::new("walsh_200000", label), |b| {
            b.iter(|| black_box(walsh::WalshSums::new(&x).median_average()))
        });
    }
    g.finish();
}

fn fisher_large(c: &mut Criterion) {
    c.bench_function("fisher_exact_200000_per_arm", |b| {
        b.iter(|| {
            black_box(fisher::fisher_exact(
                90_000, 110_000, 60_000, 140_000, 0.95, "or",
            ))
        })
    });
}

criterion_group!(
    benches,
    bootstrap_bca,
    rank_tests,
    hodges_lehmann,
    fisher_large
);
criterion_main!(benches);
