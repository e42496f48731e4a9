//! SAS PROC NPAR1WAY's Wilcoxon two-sample test with Hodges–Lehmann estimation (`WILCOXON HL`,
//! `--convention sas`), as the NPAR1WAY chapter defines them:
//! "Simple Linear Rank Tests for Two-Sample Data"
//! (https://support.sas.com/documentation/cdl/en/statug/65328/HTML/default/statug_npar1way_details04.htm)
//! and "Hodges-Lehmann Estimation of Location Shift"
//! (https://support.sas.com/documentation/cdl/en/statug/67523/HTML/default/statug_npar1way_details18.htm).
//!
//! - Z = (S − E₀(S) ∓ 0.5) / √Var₀(S), the rank sum standardised by its permutation mean and
//!   variance (midranks), with NPAR1WAY's default continuity correction of 0.5 (`CORRECT=NO`
//!   removes it); p = 2 P(N(0,1) > |Z|), always asymptotic (NPAR1WAY gives an exact p only with
//!   an `EXACT` statement: that is the `mann_whitney_exact` row). SAS sums the scores of the
//!   smaller sample; here Z is that of ARM (x), so its sign is ARM's and |Z| and p are SAS's.
//! - The shift is the median of the differences x_i − y_j (ARM − CONTROL), with the asymptotic
//!   (Moses) limits D(C) and D(M + 1 − C) among the M = n_x n_y ordered differences,
//!   C = ⌊M/2 − z_{α/2} √Var₀(S)⌋ with the tie-corrected Var₀(S) that NPAR1WAY prints as
//!   "Std Dev Under H0". (The React example of the chapter, 98 % limits 0.00 and 0.82, fixes
//!   the tie-corrected variance; ⌊·⌋ and rounding to the nearest integer agree on it.)
//!
//! R's `wilcox.test` gives the exact p without ties below 50 per arm and inverts the corrected
//! normal approximation by root finding for the interval, so both can differ from SAS.

use super::distributions::{norm_quantile, norm_sf};
use super::mann_whitney::sorted_samples;
use super::rank::pooled_rank_sum_sorted;
use super::result::{
    Alternative, ConfidenceInterval, Diagnostic, Estimate, IntervalMethod, PValueMethod, Statistic,
    TestResult,
};
use super::walsh::PairwiseDifferences;

/// Two-sided Wilcoxon rank-sum test of x against y and the Moses interval of the shift x − y.
pub fn rank_sum_sas(x: &[f64], y: &[f64], conf_level: f64, label: &'static str) -> TestResult {
    let (nx, ny) = (x.len(), y.len());
    let mut out = TestResult::empty(nx + ny, Alternative::TwoSided);
    let Some((xs, ys)) = sorted_samples(x, y, &mut out) else {
        return out;
    };
    let diffs = PairwiseDifferences::new(&xs, &ys);
    out.estimate = Some(Estimate {
        label,
        value: diffs.median(),
    });
    let (nxf, nyf) = (nx as f64, ny as f64);
    let big_n = nxf + nyf;
    let (rank_sum_x, ties) = pooled_rank_sum_sorted(&xs, &ys);
    if !ties.is_empty() {
        out.diagnostics
            .push(Diagnostic::Ties { groups: ties.len() });
    }
    let tie_term: f64 = ties.iter().map(|&t| (t * t * t - t) as f64).sum();
    let variance = if big_n > 1.0 {
        nxf * nyf / 12.0 * ((big_n + 1.0) - tie_term / (big_n * (big_n - 1.0)))
    } else {
        0.0
    };
    if variance.partial_cmp(&0.0) != Some(std::cmp::Ordering::Greater) {
        out.diagnostics.push(Diagnostic::AllTied);
        return out;
    }
    let sd = variance.sqrt();
    let deviation = rank_sum_x - nxf * (big_n + 1.0) / 2.0;
    let correction = if deviation > 0.0 {
        0.5
    } else if deviation < 0.0 {
        -0.5
    } else {
        0.0
    };
    let z = (deviation - correction) / sd + 0.0;
    out.statistic = Some(Statistic {
        name: "Z",
        value: z,
    });
    out.p_value = Some((2.0 * norm_sf(z.abs())).min(1.0));
    out.p_value_method = Some(PValueMethod::NormalApproximation);

    let m = nx as u64 * ny as u64;
    let zq = norm_quantile(1.0 - (1.0 - conf_level) / 2.0);
    let c = (m as f64 / 2.0 - zq * sd).floor();
    if c < 1.0 {
        out.diagnostics.push(Diagnostic::NotComputed {
            reason: "too few patients for the Moses interval at this level",
        });
        return out;
    }
    let c = c as u64;
    out.interval = Some(ConfidenceInterval {
        lower: diffs.kth(c),
        upper: diffs.kth(m + 1 - c),
        level: conf_level,
        method: IntervalMethod::Moses,
    });
    out
}
