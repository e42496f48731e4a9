//! Multiplicity adjustment of p-values, as R's `p.adjust` (Holm, Hochberg, Hommel, Bonferroni,
//! Benjamini–Hochberg, Benjamini–Yekutieli), and fixed-sequence (hierarchical) testing.

use serde::Serialize;

/// `--adjust`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum AdjustMethod {
    Holm,
    Hochberg,
    Hommel,
    Bonferroni,
    /// Benjamini–Hochberg false discovery rate.
    Bh,
    /// Benjamini–Yekutieli false discovery rate.
    By,
    None,
}

/// Indices that sort `p` ascending (stable, as R's `order`), or descending when `decreasing`.
fn order(p: &[f64], decreasing: bool) -> Vec<usize> {
    let mut o: Vec<usize> = (0..p.len()).collect();
    if decreasing {
        o.sort_by(|&a, &b| p[b].total_cmp(&p[a]));
    } else {
        o.sort_by(|&a, &b| p[a].total_cmp(&p[b]));
    }
    o
}

fn unorder(values_in_order: &[f64], o: &[usize]) -> Vec<f64> {
    let mut out = vec![0.0; o.len()];
    for (k, &i) in o.iter().enumerate() {
        out[i] = values_in_order[k];
    }
    out
}

/// Adjusted p-values of one family, in the order given.
pub fn p_adjust(p: &[f64], method: AdjustMethod) -> Vec<f64> {
    let n = p.len();
    if n <= 1 || method == AdjustMethod::None {
        return p.to_vec();
    }
    let nf = n as f64;
    let method = if n == 2 && method == AdjustMethod::Hommel {
        AdjustMethod::Hochberg
    } else {
        method
    };
    match method {
        AdjustMethod::Bonferroni => p.iter().map(|x| (nf * x).min(1.0)).collect(),
        AdjustMethod::Holm => {
            let o = order(p, false);
            let mut acc = f64::NEG_INFINITY;
            let v: Vec<f64> = o
                .iter()
                .enumerate()
                .map(|(k, &i)| {
                    acc = acc.max((nf - k as f64) * p[i]);
                    acc.min(1.0)
                })
                .collect();
            unorder(&v, &o)
        }
        AdjustMethod::Hochberg | AdjustMethod::Bh | AdjustMethod::By => {
            let o = order(p, true);
            let q = if method == AdjustMethod::By {
                (1..=n).map(|i| 1.0 / i as f64).sum::<f64>()
            } else {
                1.0
            };
            let mut acc = f64::INFINITY;
            let v: Vec<f64> = o
                .iter()
                .enumerate()
                .map(|(k, &i)| {
                    let rank = (n - k) as f64; // i = n:1
                    let candidate = match method {
                        AdjustMethod::Hochberg => (nf + 1.0 - rank) * p[i],
                        _ => q * nf / rank * p[i],
                    };
                    acc = acc.min(candidate);
                    acc.min(1.0)
                })
                .collect();
            unorder(&v, &o)
        }
        AdjustMethod::Hommel => {
            let o = order(p, false);
            let ps: Vec<f64> = o.iter().map(|&i| p[i]).collect();
            let init = ps
                .iter()
                .enumerate()
                .map(|(k, x)| nf * x / (k + 1) as f64)
                .fold(f64::INFINITY, f64::min);
            let mut q = vec![init; n];
            let mut pa = vec![init; n];
            for m in (2..n).rev() {
                let mf = m as f64;
                // i1 = 1..=n-m+1, i2 = n-m+2..=n (1-based)
                let q1 = (n - m + 1..n)
                    .zip(2..=m)
                    .map(|(idx, d)| mf * ps[idx] / d as f64)
                    .fold(f64::INFINITY, f64::min);
                for idx in 0..=n - m {
                    q[idx] = (mf * ps[idx]).min(q1);
                }
                for idx in n - m + 1..n {
                    q[idx] = q[n - m];
                }
                for idx in 0..n {
                    pa[idx] = pa[idx].max(q[idx]);
                }
            }
            let v: Vec<f64> = pa.iter().zip(&ps).map(|(a, b)| a.max(*b)).collect();
            unorder(&v, &o)
        }
        AdjustMethod::None => p.to_vec(),
    }
}

/// Fixed-sequence testing: adjusted p of the k-th hypothesis in the prespecified order is the
/// largest p among the first k (a hypothesis is rejected only if all before it were).
pub fn fixed_sequence(p_in_order: &[f64]) -> Vec<f64> {
    let mut acc = 0.0f64;
    p_in_order
        .iter()
        .map(|&x| {
            acc = acc.max(x);
            acc
        })
        .collect()
}
