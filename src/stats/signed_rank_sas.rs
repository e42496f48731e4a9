//! SAS PROC UNIVARIATE's Wilcoxon signed rank test (`--convention sas`), as defined on the
//! UNIVARIATE chapter's "Signed Rank Statistic" page
//! (https://support.sas.com/documentation/cdl/en/procstat/66703/HTML/default/procstat_univariate_details16.htm,
//! "Tests for Location"):
//!
//! - S = Σ r⁺ − n(n + 1)/4 over the n values not equal to 0 (midranks of |x| for ties);
//! - for n ≤ 20, p from the exact distribution of S (the permutation distribution of the
//!   midranks, as `exactRankTests::wilcox.exact`);
//! - for n > 20, S √((n − 1)/(nV − S²)) as a Student t variate on n − 1 df, with
//!   V = n(n + 1)(2n + 1)/24 − Σ t(t + 1)(t − 1)/48 over the tie groups of |x|.
//!
//! R's `wilcox.test` uses the normal approximation with a continuity correction above 50
//! values or with ties, so the two p-values differ. UNIVARIATE prints no location estimate,
//! so the result has none (the Hodges–Lehmann estimate is in the R rows).

use super::distributions::t_sf;
use super::rank::signed_rank_sum_sorted;
use super::result::{
    Alternative, DegreesOfFreedom, DfMethod, Diagnostic, PValueMethod, Statistic, TestResult,
};

/// Up to this many non-zero values SAS gives the exact p-value.
pub const EXACT_MAX: usize = 20;

/// The signed rank test of location 0 as PROC UNIVARIATE computes it (two-sided).
pub fn signed_rank_sas(x: &[f64]) -> TestResult {
    let mut sorted: Vec<f64> = x.iter().copied().filter(|v| *v != 0.0).collect();
    let zeros = x.len() - sorted.len();
    let n = sorted.len();
    let mut out = TestResult::empty(n, Alternative::TwoSided);
    out.n_left_out = zeros;
    if zeros > 0 {
        out.diagnostics
            .push(Diagnostic::ZerosDropped { count: zeros });
    }
    if n == 0 {
        out.diagnostics
            .push(Diagnostic::TooFewObservations { n: 0, required: 1 });
        return out;
    }
    sorted.sort_unstable_by(f64::total_cmp);
    let (v_plus, ties) = signed_rank_sum_sorted(&sorted);
    let nf = n as f64;
    let s = v_plus - nf * (nf + 1.0) / 4.0 + 0.0;
    out.statistic = Some(Statistic {
        name: "S",
        value: s,
    });
    if !ties.is_empty() {
        out.diagnostics
            .push(Diagnostic::Ties { groups: ties.len() });
    }
    if n <= EXACT_MAX {
        // The exact distribution of S over the midranks is that of V⁺ shifted by n(n+1)/4.
        let exact = super::exact_rank::signed_rank_exact(&sorted, 0.95, "pseudo-median");
        out.p_value = exact.p_value;
        out.p_value_method = Some(PValueMethod::Exact);
        return out;
    }
    let tie_term: f64 = ties
        .iter()
        .map(|&t| {
            let t = t as f64;
            t * (t + 1.0) * (t - 1.0)
        })
        .sum();
    let v = nf * (nf + 1.0) * (2.0 * nf + 1.0) / 24.0 - tie_term / 48.0;
    let denominator = nf * v - s * s;
    if denominator.partial_cmp(&0.0) != Some(std::cmp::Ordering::Greater) {
        out.diagnostics.push(Diagnostic::NotComputed {
            reason: "nV − S² is not positive: the t approximation is undefined",
        });
        return out;
    }
    let t = s * ((nf - 1.0) / denominator).sqrt();
    out.df = Some(DegreesOfFreedom {
        value: nf - 1.0,
        method: DfMethod::NMinusOne,
    });
    out.p_value = Some((2.0 * t_sf(t.abs(), nf - 1.0)).min(1.0));
    out.p_value_method = Some(PValueMethod::StudentT);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The branch taken: t above 20 non-zero values (the numbers are checked against R in
    /// tests/sas_convention.rs), exact up to 20.
    #[test]
    fn t_branch_and_exact_branch() {
        // 25 values, ties in |x|, one zero.
        let x: Vec<f64> = (0..26).map(|i| ((i * 7) % 11) as f64 - 4.0).collect();
        let r = signed_rank_sas(&x);
        assert_eq!(r.p_value_method, Some(PValueMethod::StudentT));
        assert!(r.df.is_some());
        let small = signed_rank_sas(&[1.0, -2.0, 3.0, 4.0, 5.0]);
        assert_eq!(small.p_value_method, Some(PValueMethod::Exact));
        // V⁺ = 13 of 15; S = 13 − 7.5 = 5.5; exact two-sided p = 2 × 3/32 (subsets of
        // {1..5} with sum ≥ 13), as R's wilcox.test(c(1, -2, 3, 4, 5)): 0.1875.
        assert_eq!(small.statistic.as_ref().map(|s| s.value), Some(5.5));
        assert!((small.p_value.unwrap_or(0.0) - 0.1875).abs() < 1e-12);
    }
}
