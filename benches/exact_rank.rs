//! Criterion benchmarks of the exact rank rows (issue 18):
//!     cargo bench --bench exact_rank
//! - `mann_whitney_exact` for 2 × 200 continuous values (no ties: Harding's product),
//! - 2 × 1,000 patients on a 0–10 scale (values, 11 levels; and their changes from baseline,
//!   21 levels), which is above the exact cost limit today and falls to
//!   `mann_whitney_asymptotic`: the bench prints which method each case ran before timing it,
//! - `wilcoxon_exact` of 1,000 tied changes (−10…10, with zeros),
//! - and, for comparison, the `--convention sas` rank rows on the same data.
//!
//! Results: bench/exact-rank-YYYY-MM-DD.md.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use std::hint::black_box;
use trialstat::rng::SplitMix64;
use trialstat::stats::{exact_rank, rank_sum_sas, signed_rank_sas, TestResult};

/// Continuous values (53 random bits: no ties).
fn continuous(n: usize, seed: u64, shift: f64) -> Vec<f64> {
    let mut rng = SplitMix64(seed);
    (0..n).map(|_| rng.next_f64() * 10.0 + shift).collect()
}

/// Integer scores 0..=10 (uniform).
fn scale_0_10(n: usize, seed: u64) -> Vec<f64> {
    let mut rng = SplitMix64(seed);
    (0..n).map(|_| (rng.next_u64() % 11) as f64).collect()
}

/// Changes of a 0–10 score: follow-up − baseline, −10…10 (zeros included).
fn changes_0_10(n: usize, seed: u64) -> Vec<f64> {
    let (b, f) = (scale_0_10(n, seed), scale_0_10(n, seed ^ 0xA5A5));
    f.iter().zip(&b).map(|(f, b)| f - b).collect()
}

fn describe(case: &str, r: &TestResult) {
    eprintln!(
        "{case}: p = {:?} ({:?}), interval = {:?}, diagnostics = {:?}",
        r.p_value,
        r.p_value_method,
        r.interval.as_ref().map(|i| (i.lower, i.upper)),
        r.diagnostics
    );
}

fn rank_sum(c: &mut Criterion) {
    let mut g = c.benchmark_group("exact_rank_sum");
    g.sample_size(10);
    let cases = [
        (
            "2x200_continuous",
            continuous(200, 1, 0.3),
            continuous(200, 2, 0.0),
        ),
        (
            "2x1000_scale_0_10",
            scale_0_10(1000, 3),
            scale_0_10(1000, 4),
        ),
        (
            "2x1000_changes_0_10",
            changes_0_10(1000, 5),
            changes_0_10(1000, 6),
        ),
    ];
    for (label, x, y) in &cases {
        let r = exact_rank::rank_sum_exact(x, y, 0.95, "shift");
        describe(&format!("rank_sum_exact {label}"), &r);
        g.bench_with_input(
            BenchmarkId::new("rank_sum_exact", label),
            &(x, y),
            |b, (x, y)| b.iter(|| black_box(exact_rank::rank_sum_exact(x, y, 0.95, "shift"))),
        );
        g.bench_with_input(
            BenchmarkId::new("rank_sum_sas", label),
            &(x, y),
            |b, (x, y)| b.iter(|| black_box(rank_sum_sas::rank_sum_sas(x, y, 0.95, "shift"))),
        );
    }
    g.finish();
}

fn signed_rank(c: &mut Criterion) {
    let mut g = c.benchmark_group("exact_signed_rank");
    g.sample_size(10);
    let x = changes_0_10(1000, 7);
    let r = exact_rank::signed_rank_exact(&x, 0.95, "hl");
    describe("signed_rank_exact 1000_tied_changes", &r);
    g.bench_function("signed_rank_exact/1000_tied_changes", |b| {
        b.iter(|| black_box(exact_rank::signed_rank_exact(&x, 0.95, "hl")))
    });
    g.bench_function("signed_rank_sas/1000_tied_changes", |b| {
        b.iter(|| black_box(signed_rank_sas::signed_rank_sas(&x)))
    });
    g.finish();
}

criterion_group!(benches, rank_sum, signed_rank);
criterion_main!(benches);
