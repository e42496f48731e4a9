//! The log-rank test as R's `survdiff(Surv(time, event) ~ group [+ strata(s)])` (rho = 0):
//! observed and expected events per group summed over strata, the hypergeometric variance
//! matrix, and χ² = (O − E)ᵀ V⁻¹ (O − E) over the groups with expected events, the first one
//! dropped, df = that count − 1.

use super::{validate, SurvivalError};
use nalgebra::{DMatrix, DVector};
use statrs::distribution::{ChiSquared, ContinuousCDF};

/// A log-rank test.
#[derive(Debug, Clone, PartialEq)]
pub struct LogRank {
    /// Observed events per group (index = group).
    pub observed: Vec<f64>,
    /// Expected events per group under equal hazards.
    pub expected: Vec<f64>,
    /// χ² statistic; `None` when it cannot be computed (no events, a singular variance).
    pub chisq: Option<f64>,
    pub df: usize,
    pub p_value: Option<f64>,
    pub strata: usize,
}

/// Log-rank test of `groups` (0..k) with optional `strata` (any labels 0..m).
pub fn log_rank(
    time: &[f64],
    event: &[bool],
    groups: &[usize],
    strata: Option<&[usize]>,
) -> Result<LogRank, SurvivalError> {
    validate(time, event)?;
    let n = time.len();
    if groups.len() != n {
        return Err(SurvivalError::LengthMismatch {
            what: "group labels",
            found: groups.len(),
            expected: n,
        });
    }
    if let Some(s) = strata {
        if s.len() != n {
            return Err(SurvivalError::LengthMismatch {
                what: "strata labels",
                found: s.len(),
                expected: n,
            });
        }
    }
    let k = groups.iter().copied().max().map_or(0, |m| m + 1);
    let stratum = |i: usize| strata.map_or(0, |s| s[i]);
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| {
        stratum(a)
            .cmp(&stratum(b))
            .then(time[a].total_cmp(&time[b]))
    });
    let mut observed = vec![0.0; k];
    let mut expected = vec![0.0; k];
    let mut var = vec![0.0; k * k];
    let mut n_strata = 0;
    let mut start = 0;
    let mut at_risk = vec![0.0_f64; k];
    let mut deaths = vec![0.0_f64; k];
    while start < n {
        n_strata += 1;
        let s = stratum(order[start]);
        let mut end = start;
        at_risk.iter_mut().for_each(|x| *x = 0.0);
        while end < n && stratum(order[end]) == s {
            at_risk[groups[order[end]]] += 1.0;
            end += 1;
        }
        let mut total: f64 = at_risk.iter().sum();
        let mut i = start;
        while i < end {
            let t = time[order[i]];
            deaths.iter_mut().for_each(|x| *x = 0.0);
            let j0 = i;
            while i < end && time[order[i]] == t {
                if event[order[i]] {
                    deaths[groups[order[i]]] += 1.0;
                }
                i += 1;
            }
            let d: f64 = deaths.iter().sum();
            if d > 0.0 {
                let factor = if total > 1.0 {
                    d * (total - d) / (total - 1.0)
                } else {
                    0.0
                };
                for g in 0..k {
                    observed[g] += deaths[g];
                    expected[g] += d * at_risk[g] / total;
                    let pg = at_risk[g] / total;
                    for h in 0..k {
                        let ph = at_risk[h] / total;
                        let delta = if g == h { pg } else { 0.0 };
                        var[g * k + h] += factor * (delta - pg * ph);
                    }
                }
            }
            for &idx in &order[j0..i] {
                at_risk[groups[idx]] -= 1.0;
                total -= 1.0;
            }
        }
        start = end;
    }
    let kept: Vec<usize> = (0..k).filter(|&g| expected[g] > 0.0).collect();
    let df = kept.len().saturating_sub(1);
    let chisq = if df == 0 {
        None
    } else {
        let idx = &kept[1..];
        let v = DMatrix::from_fn(df, df, |a, b| var[idx[a] * k + idx[b]]);
        let o_e = DVector::from_iterator(df, idx.iter().map(|&g| observed[g] - expected[g]));
        v.clone()
            .cholesky()
            .map(|c| c.solve(&o_e).dot(&o_e))
            .filter(|x| x.is_finite())
    };
    let p_value = chisq.and_then(|x| Some(ChiSquared::new(df as f64).ok()?.sf(x)));
    Ok(LogRank {
        observed,
        expected,
        chisq,
        df,
        p_value,
        strata: n_strata,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_events_gives_no_statistic() {
        let r = log_rank(&[1.0, 2.0, 3.0], &[false; 3], &[0, 1, 1], None).unwrap();
        assert_eq!((r.chisq, r.p_value, r.df), (None, None, 0));
    }
}
