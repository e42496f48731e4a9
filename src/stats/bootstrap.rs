//! Nonparametric bootstrap intervals — percentile, basic, normal, studentised and BCa — as R's
//! `boot::boot.ci` computes them from the resampled statistics (same order-statistic
//! interpolation `norm.inter`, same jackknife acceleration `usual.jack`).
//!
//! Resampling is split into blocks of [`BLOCK`] resamples; block k draws from its own ChaCha8
//! stream (seed, stream k), and blocks run in parallel with rayon. The resamples, and so every
//! interval, are the same for any number of threads.

use super::descriptive::{mean, variance};
use super::distributions::{norm_cdf, norm_quantile};
use rand::Rng;
use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

/// Resamples per random stream.
pub const BLOCK: usize = 1024;

/// How the data are resampled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Resampling {
    /// One sample (e.g. the patients' changes or percent changes): patients resampled.
    OneSample,
    /// Two independent samples resampled separately (stratified by arm).
    TwoSample,
}

/// The bootstrap replicates of a statistic and what the intervals need.
#[derive(Debug, Clone)]
pub struct Bootstrap {
    pub t0: f64,
    /// Replicates, in resample order.
    pub t: Vec<f64>,
    /// Variance estimates of each replicate (for the studentised interval), if given.
    pub v: Option<Vec<f64>>,
    /// Variance estimate of t0.
    pub v0: Option<f64>,
    /// Jackknife empirical influence values (boot's `usual.jack`).
    pub influence: Vec<f64>,
    pub resampling: Resampling,
    pub seed: u64,
}

/// n indices drawn uniformly from 0..n: 32-bit words from the stream in bulk, mapped by
/// Lemire's multiply-shift with rejection (exactly uniform: words in the biased zone are
/// skipped). Above 2^32 values, rand's `gen_range`.
fn resample_indices(rng: &mut ChaCha8Rng, n: usize, out: &mut Vec<usize>) {
    out.clear();
    if n > u32::MAX as usize {
        out.extend((0..n).map(|_| rng.gen_range(0..n)));
        return;
    }
    let m = n as u64;
    // Products whose low 32 bits fall below (2^32 − m) mod m would over-represent some indices.
    let threshold = ((1u64 << 32) - m) % m;
    let mut buffer = [0u32; 256];
    let words = &mut buffer[..n.min(256)];
    while out.len() < n {
        rng.fill(&mut words[..]);
        for &w in words.iter() {
            let product = w as u64 * m;
            if (product & 0xFFFF_FFFF) >= threshold {
                out.push((product >> 32) as usize);
                if out.len() == n {
                    break;
                }
            }
        }
    }
}

/// Replicates of `stat` (and of `var`, for the studentised interval) over `b` resamples of x.
pub fn one_sample<S, V>(x: &[f64], stat: S, var: Option<V>, b: usize, seed: u64) -> Bootstrap
where
    S: Fn(&[f64]) -> f64 + Sync,
    V: Fn(&[f64]) -> f64 + Sync,
{
    let n = x.len();
    // The variance replicates reuse the same streams, so they belong to the same resamples.
    let t = replicates(x, &stat, b, seed);
    let v: Vec<f64> = match &var {
        Some(f) => replicates(x, f, b, seed),
        None => Vec::new(),
    };
    let t0 = stat(x);
    // Jackknife: l_i = (n − 1)(t0 − t_{−i}).
    let influence: Vec<f64> = (0..n)
        .into_par_iter()
        .map(|i| {
            let rest: Vec<f64> = x
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .map(|(_, v)| *v)
                .collect();
            (n as f64 - 1.0) * (t0 - stat(&rest))
        })
        .collect();
    Bootstrap {
        t0,
        t,
        v0: var.as_ref().map(|f| f(x)),
        v: var.as_ref().map(|_| v),
        influence,
        resampling: Resampling::OneSample,
        seed,
    }
}

/// Bootstrap of the mean: the jackknife in O(n) (t₋ᵢ = (Σx − xᵢ)/(n − 1)) instead of O(n²);
/// the same resamples, and so the same replicates, as [`one_sample`] with the mean.
pub fn one_sample_mean(x: &[f64], b: usize, seed: u64) -> Bootstrap {
    let n = x.len();
    let t = replicates(x, |d| mean(d).unwrap_or(f64::NAN), b, seed);
    let t0 = mean(x).unwrap_or(f64::NAN);
    let total: f64 = x.iter().sum();
    let nf = n as f64;
    let influence = x
        .iter()
        .map(|xi| (nf - 1.0) * (t0 - (total - xi) / (nf - 1.0)))
        .collect();
    Bootstrap {
        t0,
        t,
        v: None,
        v0: None,
        influence,
        resampling: Resampling::OneSample,
        seed,
    }
}

/// The replicates of `stat` over `b` one-sample resamples (blocks of [`BLOCK`], one ChaCha8
/// stream each), in resample order.
fn replicates<S: Fn(&[f64]) -> f64 + Sync>(x: &[f64], stat: S, b: usize, seed: u64) -> Vec<f64> {
    let n = x.len();
    (0..b.div_ceil(BLOCK))
        .into_par_iter()
        .map(|k| {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            rng.set_stream(k as u64);
            let mut idx = Vec::with_capacity(n);
            let mut buf = vec![0.0; n];
            let count = BLOCK.min(b - k * BLOCK);
            (0..count)
                .map(|_| {
                    resample_indices(&mut rng, n, &mut idx);
                    for (slot, &i) in buf.iter_mut().zip(&idx) {
                        *slot = x[i];
                    }
                    stat(&buf)
                })
                .collect::<Vec<f64>>()
        })
        .collect::<Vec<Vec<f64>>>()
        .into_iter()
        .flatten()
        .collect()
}

/// Replicates of `stat(x, y)` over `b` resamples drawn separately within x and within y.
pub fn two_sample<S, V>(
    x: &[f64],
    y: &[f64],
    stat: S,
    var: Option<V>,
    b: usize,
    seed: u64,
) -> Bootstrap
where
    S: Fn(&[f64], &[f64]) -> f64 + Sync,
    V: Fn(&[f64], &[f64]) -> f64 + Sync,
{
    let (nx, ny) = (x.len(), y.len());
    let blocks = b.div_ceil(BLOCK);
    let per_block: Vec<Vec<(f64, f64)>> = (0..blocks)
        .into_par_iter()
        .map(|k| {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            rng.set_stream(k as u64);
            let mut idx = Vec::with_capacity(nx.max(ny));
            let (mut bx, mut by) = (vec![0.0; nx], vec![0.0; ny]);
            let count = BLOCK.min(b - k * BLOCK);
            (0..count)
                .map(|_| {
                    resample_indices(&mut rng, nx, &mut idx);
                    for (slot, &i) in bx.iter_mut().zip(&idx) {
                        *slot = x[i];
                    }
                    resample_indices(&mut rng, ny, &mut idx);
                    for (slot, &i) in by.iter_mut().zip(&idx) {
                        *slot = y[i];
                    }
                    (
                        stat(&bx, &by),
                        var.as_ref().map(|v| v(&bx, &by)).unwrap_or(f64::NAN),
                    )
                })
                .collect()
        })
        .collect();
    let (t, v): (Vec<f64>, Vec<f64>) = per_block.into_iter().flatten().unzip();
    let t0 = stat(x, y);
    let mut influence = Vec::with_capacity(nx + ny);
    for i in 0..nx {
        let rest: Vec<f64> = x
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != i)
            .map(|(_, v)| *v)
            .collect();
        influence.push((nx as f64 - 1.0) * (t0 - stat(&rest, y)));
    }
    for i in 0..ny {
        let rest: Vec<f64> = y
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != i)
            .map(|(_, v)| *v)
            .collect();
        influence.push((ny as f64 - 1.0) * (t0 - stat(x, &rest)));
    }
    Bootstrap {
        t0,
        t,
        v0: var.as_ref().map(|f| f(x, y)),
        v: var.as_ref().map(|_| v),
        influence,
        resampling: Resampling::TwoSample,
        seed,
    }
}

/// boot's `norm.inter`: quantiles of the replicates at `alpha`, interpolated on the normal
/// quantile scale between order statistics (R + 1) α.
fn norm_inter(t: &[f64], alpha: f64) -> f64 {
    let mut s: Vec<f64> = t.iter().copied().filter(|v| v.is_finite()).collect();
    s.sort_unstable_by(f64::total_cmp);
    let r = s.len();
    if r == 0 {
        // No finite replicate: no quantile (the caller reports it).
        return f64::NAN;
    }
    let rk = (r as f64 + 1.0) * alpha;
    let k = rk.trunc() as usize;
    if k == 0 {
        return s[0];
    }
    if k >= r {
        return s[r - 1];
    }
    if k as f64 == rk {
        return s[k - 1];
    }
    let z = norm_quantile(alpha);
    let z1 = norm_quantile(k as f64 / (r as f64 + 1.0));
    let z2 = norm_quantile((k as f64 + 1.0) / (r as f64 + 1.0));
    let (tk, tk1) = (s[k - 1], s[k]);
    tk + (z - z1) / (z2 - z1) * (tk1 - tk)
}

/// The five intervals.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BootstrapIntervals {
    pub percentile: (f64, f64),
    pub basic: (f64, f64),
    pub normal: (f64, f64),
    pub studentized: Option<(f64, f64)>,
    /// None when the bias correction or acceleration is not finite (e.g. all replicates equal).
    pub bca: Option<(f64, f64)>,
}

impl Bootstrap {
    /// Every interval at `conf_level`, as `boot.ci(type = "all")`.
    pub fn intervals(&self, conf_level: f64) -> BootstrapIntervals {
        let a_lo = (1.0 - conf_level) / 2.0;
        let a_hi = (1.0 + conf_level) / 2.0;
        let t = &self.t;
        let percentile = (norm_inter(t, a_lo), norm_inter(t, a_hi));
        let basic = (
            2.0 * self.t0 - norm_inter(t, a_hi),
            2.0 * self.t0 - norm_inter(t, a_lo),
        );
        let bias = mean(t).unwrap_or(f64::NAN) - self.t0;
        let merr = variance(t).unwrap_or(f64::NAN).sqrt() * norm_quantile(a_hi);
        let normal = (self.t0 - bias - merr, self.t0 - bias + merr);
        let studentized = match (&self.v, self.v0) {
            (Some(v), Some(v0)) if v0 > 0.0 => {
                let z: Vec<f64> = t
                    .iter()
                    .zip(v)
                    .map(|(ti, vi)| (ti - self.t0) / vi.sqrt())
                    .collect();
                Some((
                    self.t0 - v0.sqrt() * norm_inter(&z, a_hi),
                    self.t0 - v0.sqrt() * norm_inter(&z, a_lo),
                ))
            }
            _ => None,
        };
        let below = t.iter().filter(|v| **v < self.t0).count() as f64 / t.len() as f64;
        let w = norm_quantile(below);
        let l = &self.influence;
        let a = l.iter().map(|v| v.powi(3)).sum::<f64>()
            / (6.0 * l.iter().map(|v| v * v).sum::<f64>().powf(1.5));
        let bca = if w.is_finite() && a.is_finite() {
            let adj = |alpha: f64| {
                let z = norm_quantile(alpha);
                norm_cdf(w + (w + z) / (1.0 - a * (w + z)))
            };
            Some((norm_inter(t, adj(a_lo)), norm_inter(t, adj(a_hi))))
        } else {
            None
        };
        BootstrapIntervals {
            percentile,
            basic,
            normal,
            studentized,
            bca,
        }
    }
}

/// A results-table entry from a bootstrap: the statistic and its BCa interval.
pub fn bca_result(
    b: &Bootstrap,
    conf_level: f64,
    label: &'static str,
) -> super::result::TestResult {
    use super::result::{
        Alternative, ConfidenceInterval, Diagnostic, Estimate, IntervalMethod, TestResult,
    };
    let n = b.influence.len();
    let mut out = TestResult::empty(n, Alternative::TwoSided);
    // An undefined statistic (e.g. a standardised change of values that never vary) is no
    // estimate, not NaN.
    out.estimate = (!b.t0.is_nan()).then_some(Estimate { label, value: b.t0 });
    out.diagnostics.push(Diagnostic::Bootstrap {
        resamples: b.t.len(),
        seed: b.seed,
        resampling: match b.resampling {
            Resampling::OneSample => "patients resampled",
            Resampling::TwoSample => "patients resampled within each arm",
        },
    });
    match b.intervals(conf_level).bca {
        _ if !b.t.iter().any(|t| t.is_finite()) => {
            out.diagnostics.push(Diagnostic::NoFiniteReplicate)
        }
        Some((lower, upper)) => {
            out.interval = Some(ConfidenceInterval {
                lower,
                upper,
                level: conf_level,
                method: IntervalMethod::BcaBootstrap,
            })
        }
        None => out.diagnostics.push(Diagnostic::ZeroVariance),
    }
    out
}

#[cfg(test)]
mod index_tests {
    use super::*;
    use rand::SeedableRng;

    /// Every index is equally likely: 7 × 100,000 draws, each count within 5 SD of 100,000.
    #[test]
    fn resampled_indices_are_uniform() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let mut counts = [0usize; 7];
        let mut idx = Vec::new();
        for _ in 0..100_000 {
            resample_indices(&mut rng, 7, &mut idx);
            for &i in &idx {
                counts[i] += 1;
            }
        }
        let sd = (700_000.0f64 * (1.0 / 7.0) * (6.0 / 7.0)).sqrt();
        for c in counts {
            assert!((c as f64 - 100_000.0).abs() < 5.0 * sd, "{counts:?}");
        }
    }
}
