//! Permutation tests of a mean change: sign flips for one sample of paired changes, label
//! permutations for two arms. Exact (complete enumeration) when the number of permutations is at
//! most [`EXACT_LIMIT`], else a seeded Monte-Carlo estimate with its standard error.

use super::descriptive::mean;
use super::result::{Alternative, Diagnostic, Estimate, PValueMethod, Statistic, TestResult};
use rand::seq::SliceRandom;
use rand::Rng;
use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// Enumerate all permutations up to this many (2^20 sign patterns).
pub const EXACT_LIMIT: u64 = 1 << 20;
/// Monte-Carlo draws when enumeration is too large.
pub const MONTE_CARLO_DRAWS: usize = 100_000;

/// Relative slack so that permuted statistics equal to the observed one (up to rounding) count.
const SLACK: f64 = 1e-12;

fn monte_carlo(out: &mut TestResult, count: usize, draws: usize) {
    // Phipson & Smyth (2010): (count + 1) / (draws + 1), never 0.
    let p = (count as f64 + 1.0) / (draws as f64 + 1.0);
    out.p_value = Some(p);
    out.p_value_method = Some(PValueMethod::MonteCarlo);
    out.diagnostics.push(Diagnostic::MonteCarlo {
        draws,
        standard_error: (p * (1.0 - p) / draws as f64).sqrt(),
    });
}

/// Two-sided sign-flip test of mean(d) = 0 ([`MONTE_CARLO_DRAWS`] draws when not exact).
pub fn sign_flip(d: &[f64], seed: u64) -> TestResult {
    sign_flip_draws(d, MONTE_CARLO_DRAWS, seed)
}

/// Two-sided sign-flip test of mean(d) = 0: exact up to [`EXACT_LIMIT`] sign patterns, else
/// `draws` seeded Monte-Carlo draws.
pub fn sign_flip_draws(d: &[f64], draws: usize, seed: u64) -> TestResult {
    let n = d.len();
    let mut out = TestResult::empty(n, Alternative::TwoSided);
    let Some(m) = mean(d) else {
        out.diagnostics
            .push(Diagnostic::TooFewObservations { n, required: 1 });
        return out;
    };
    out.estimate = Some(Estimate {
        label: "mean change",
        value: m,
    });
    let observed: f64 = d.iter().sum::<f64>().abs();
    out.statistic = Some(Statistic {
        name: "sum",
        value: d.iter().sum::<f64>(),
    });
    let threshold = observed * (1.0 - SLACK);
    let abs: Vec<f64> = d.iter().map(|v| v.abs()).collect();
    if n < 64 && (1u64 << n) <= EXACT_LIMIT {
        // Gray-code order: each pattern differs from the previous one in one sign, so the sum
        // is updated in O(1). The sums are the same multiset as by plain enumeration.
        let total = 1u64 << n;
        let mut s: f64 = abs.iter().sum();
        let mut signs = vec![1.0f64; n];
        let mut count = u64::from(s.abs() >= threshold);
        for g in 1..total {
            let k = g.trailing_zeros() as usize;
            signs[k] = -signs[k];
            s += 2.0 * signs[k] * abs[k];
            if s.abs() >= threshold {
                count += 1;
            }
        }
        out.p_value = Some(count as f64 / total as f64);
        out.p_value_method = Some(PValueMethod::Exact);
    } else {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut count = 0;
        for _ in 0..draws {
            // 64 signs per random word.
            let mut s = 0.0;
            for chunk in abs.chunks(64) {
                let bits: u64 = rng.gen();
                for (k, a) in chunk.iter().enumerate() {
                    s += if bits >> k & 1 == 1 { -a } else { *a };
                }
            }
            if s.abs() >= threshold {
                count += 1;
            }
        }
        monte_carlo(&mut out, count, draws);
    }
    out
}

fn choose(n: u64, k: u64) -> Option<u64> {
    let k = k.min(n - k);
    let mut c: u64 = 1;
    for i in 0..k {
        c = c.checked_mul(n - i)? / (i + 1);
    }
    Some(c)
}

/// Two-sided label-permutation test of mean(x) − mean(y) = 0 ([`MONTE_CARLO_DRAWS`] draws
/// when not exact).
pub fn label_permutation(x: &[f64], y: &[f64], seed: u64) -> TestResult {
    label_permutation_draws(x, y, MONTE_CARLO_DRAWS, seed)
}

/// Two-sided label-permutation test of mean(x) − mean(y) = 0: exact up to [`EXACT_LIMIT`]
/// relabellings, else `draws` seeded Monte-Carlo draws.
pub fn label_permutation_draws(x: &[f64], y: &[f64], draws: usize, seed: u64) -> TestResult {
    let (nx, ny) = (x.len(), y.len());
    let mut out = TestResult::empty(nx + ny, Alternative::TwoSided);
    let (Some(mx), Some(my)) = (mean(x), mean(y)) else {
        out.diagnostics.push(Diagnostic::TooFewObservations {
            n: nx.min(ny),
            required: 1,
        });
        return out;
    };
    let diff = mx - my;
    out.estimate = Some(Estimate {
        label: "difference in mean change",
        value: diff,
    });
    out.statistic = Some(Statistic {
        name: "mean difference",
        value: diff,
    });
    let all: Vec<f64> = x.iter().chain(y).copied().collect();
    let total: f64 = all.iter().sum();
    let (nxf, nyf) = (nx as f64, ny as f64);
    // mean(x*) − mean(y*) from the sum of the x* labels.
    let stat = |sum_x: f64| sum_x / nxf - (total - sum_x) / nyf;
    let threshold = diff.abs() * (1.0 - SLACK);
    let big_n = nx + ny;
    match choose(big_n as u64, nx as u64).filter(|&c| c <= EXACT_LIMIT) {
        Some(combinations) => {
            // Enumerate subsets of size nx by the revolving-index method.
            let mut idx: Vec<usize> = (0..nx).collect();
            let mut count = 0u64;
            loop {
                let s: f64 = idx.iter().map(|&i| all[i]).sum();
                if stat(s).abs() >= threshold {
                    count += 1;
                }
                // next combination
                let mut i = nx;
                while i > 0 && idx[i - 1] == big_n - nx + i - 1 {
                    i -= 1;
                }
                if i == 0 {
                    break;
                }
                idx[i - 1] += 1;
                for j in i..nx {
                    idx[j] = idx[j - 1] + 1;
                }
            }
            out.p_value = Some(count as f64 / combinations as f64);
            out.p_value_method = Some(PValueMethod::Exact);
        }
        None => {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            let mut shuffled = all.clone();
            let mut count = 0;
            for _ in 0..draws {
                // Only the x labels matter: a partial Fisher–Yates of nx positions.
                let (chosen, _) = shuffled.partial_shuffle(&mut rng, nx);
                let s: f64 = chosen.iter().sum();
                if stat(s).abs() >= threshold {
                    count += 1;
                }
            }
            monte_carlo(&mut out, count, draws);
        }
    }
    out
}
