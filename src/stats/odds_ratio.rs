//! The sample odds ratio with Woolf's logit interval, as SAS PROC FREQ prints it beside the
//! other relative risks (`RELRISK` / `OR`, Wald limits by default): "Odds Ratio and Relative
//! Risks for 2 x 2 Tables"
//! (https://support.sas.com/documentation/cdl/en/statug/66859/HTML/default/statug_freq_details62.htm):
//! OR = n₁₁n₂₂ / (n₁₂n₂₁), limits exp(ln OR ± z √(1/n₁₁ + 1/n₁₂ + 1/n₂₁ + 1/n₂₂)).
//!
//! R's `fisher.test` gives instead the conditional maximum-likelihood estimate and its exact
//! interval (the `fisher_exact` rows). With a zero cell the logit limits do not exist: the
//! estimate is 0 or ∞ where defined and the interval is left empty, with the reason.

use super::distributions::norm_quantile;
use super::result::{
    Alternative, ConfidenceInterval, Diagnostic, Estimate, IntervalMethod, TestResult,
};

/// Sample odds ratio of (k1 of n1) against (k2 of n2) with Woolf's logit interval.
pub fn woolf(
    k1: usize,
    n1: usize,
    k2: usize,
    n2: usize,
    conf_level: f64,
    label: &'static str,
) -> TestResult {
    let mut out = TestResult::empty(n1 + n2, Alternative::TwoSided);
    if n1 == 0 || n2 == 0 {
        out.diagnostics.push(Diagnostic::TooFewObservations {
            n: n1.min(n2),
            required: 1,
        });
        return out;
    }
    let (a, b, c, d) = (k1 as f64, (n1 - k1) as f64, k2 as f64, (n2 - k2) as f64);
    let (num, den) = (a * d, b * c);
    if num == 0.0 && den == 0.0 {
        out.diagnostics.push(Diagnostic::NotComputed {
            reason: "the sample odds ratio is 0/0 (a zero row or column)",
        });
        return out;
    }
    let or = if den == 0.0 { f64::INFINITY } else { num / den };
    out.estimate = Some(Estimate { label, value: or });
    if a * b * c * d == 0.0 {
        out.diagnostics.push(Diagnostic::ZeroCell);
        return out;
    }
    let se = (1.0 / a + 1.0 / b + 1.0 / c + 1.0 / d).sqrt();
    let z = norm_quantile(1.0 - (1.0 - conf_level) / 2.0);
    out.interval = Some(ConfidenceInterval {
        lower: (or.ln() - z * se).exp(),
        upper: (or.ln() + z * se).exp(),
        level: conf_level,
        method: IntervalMethod::Woolf,
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// PROC FREQ Example "Analysis of a 2x2 Contingency Table" (FatComp: 11 of 15 exposed and
    /// 2 of 8 unexposed with heart disease): odds ratio 8.25 and 95 % Wald limits 1.15354 and
    /// 59.00294, the documented formula evaluated in R
    /// (tests/reference/sas_convention/sas_convention.csv).
    #[test]
    fn fatcomp_example() {
        let r = woolf(11, 15, 2, 8, 0.95, "odds ratio");
        let (e, ci) = (r.estimate.unwrap(), r.interval.unwrap());
        assert!((e.value - 8.25).abs() < 1e-12);
        assert!((ci.lower - 1.1535).abs() < 5e-5, "{}", ci.lower);
        assert!((ci.upper - 59.0029).abs() < 5e-5, "{}", ci.upper);
    }
}
