//! Stratified 2×2 tables (arm × response × stratum): the Cochran–Mantel–Haenszel statistic
//! without continuity correction (R `mantelhaen.test(correct = FALSE)`, SAS PROC FREQ `CMH`),
//! the Mantel–Haenszel common odds ratio with the Robins–Breslow–Greenland interval (R
//! `mantelhaen.test`), and the Breslow–Day test of homogeneous odds ratios with Tarone's
//! correction (Breslow & Day 1980; Tarone 1985; as SAS `CMH(BDT)`).
//! References: tests/reference/responders/responders_reference.R.
//!
//! Sparse strata as SAS treats them: a stratum with one arm only, or in which everyone or no
//! one responds, adds 0 to the CMH sums and to the MH odds ratio; a stratum of one patient has
//! no variance term (0/0, taken as 0). Breslow–Day leaves out strata with a zero margin (their
//! variance is 0) and counts its degrees of freedom over the strata left.

use super::distributions::{norm_quantile, norm_sf};
use super::strata::{all_or_none_diagnostic, one_arm_diagnostic, Stratum};
use super::{
    Alternative, ConfidenceInterval, DegreesOfFreedom, DfMethod, Diagnostic, Estimate,
    IntervalMethod, PValueMethod, Statistic, TestResult,
};
use statrs::distribution::{ChiSquared, ContinuousCDF};

/// P(X > x) for a chi-square with `df` degrees of freedom; through the normal for df 1 (exact
/// in the far tail).
pub fn chisq_sf(x: f64, df: f64) -> Option<f64> {
    if !(x.is_finite() && df > 0.0) {
        return None;
    }
    if x <= 0.0 {
        return Some(1.0);
    }
    if df == 1.0 {
        return Some(2.0 * norm_sf(x.sqrt()));
    }
    Some(ChiSquared::new(df).ok()?.sf(x))
}

/// A chi-square statistic with its df and upper-tail p in a result.
pub(crate) fn set_chisq(out: &mut TestResult, name: &'static str, value: f64, df: f64) {
    out.statistic = Some(Statistic { name, value });
    out.df = Some(DegreesOfFreedom {
        value: df,
        method: DfMethod::TableDimensions,
    });
    out.p_value = chisq_sf(value, df);
    out.p_value_method = out.p_value.map(|_| PValueMethod::ChiSquare);
}

fn total(strata: &[Stratum]) -> usize {
    strata.iter().map(Stratum::n).sum()
}

fn sparse_diagnostics(strata: &[Stratum], out: &mut TestResult) {
    out.diagnostics.extend(one_arm_diagnostic(strata));
    out.diagnostics.extend(all_or_none_diagnostic(strata));
}

/// The CMH chi-square (df 1) of no association between arm and response given the strata:
/// (Σ (a − E a))² / Σ Var a, E a = n1 m1 / n, Var a = n1 n2 m1 m2 / (n² (n − 1)).
pub fn cmh(strata: &[Stratum]) -> TestResult {
    let mut out = TestResult::empty(total(strata), Alternative::TwoSided);
    let (mut num, mut var) = (0.0, 0.0);
    for s in strata.iter().filter(|s| s.n() >= 2) {
        let (k1, n1, k2, n2) = s.f64s();
        let (m1, n) = (k1 + k2, n1 + n2);
        num += k1 - n1 * m1 / n;
        var += n1 * n2 * m1 * (n - m1) / (n * n * (n - 1.0));
    }
    sparse_diagnostics(strata, &mut out);
    if var > 0.0 {
        set_chisq(&mut out, "CMH chi-square", num * num / var, 1.0);
    } else {
        out.diagnostics.push(Diagnostic::NotComputed {
            reason: "no stratum with both arms and both outcomes",
        });
    }
    out
}

/// The MH common odds ratio Σ a d / n ÷ Σ b c / n with the Robins–Breslow–Greenland variance
/// of its log (as R's `mantelhaen.test`). 0 or ∞ without an interval when one sum is 0.
pub fn mh_odds_ratio(strata: &[Stratum], conf_level: f64, label: &'static str) -> TestResult {
    let mut out = TestResult::empty(total(strata), Alternative::TwoSided);
    sparse_diagnostics(strata, &mut out);
    let (mut r, mut s, mut pr, mut ps_qr, mut qs) = (0.0, 0.0, 0.0, 0.0, 0.0);
    for st in strata.iter().filter(|s| s.n() > 0) {
        let (a, n1, c, n2) = st.f64s();
        let (b, d, n) = (n1 - a, n2 - c, n1 + n2);
        let (rk, sk) = (a * d / n, b * c / n);
        let (p, q) = ((a + d) / n, (b + c) / n);
        r += rk;
        s += sk;
        pr += p * rk;
        ps_qr += p * sk + q * rk;
        qs += q * sk;
    }
    if r == 0.0 && s == 0.0 {
        out.diagnostics.push(Diagnostic::NoEvents);
        return out;
    }
    let or = r / s;
    out.estimate = Some(Estimate { label, value: or });
    if r == 0.0 || s == 0.0 {
        out.diagnostics.push(Diagnostic::ZeroCell);
        return out;
    }
    let var = pr / (2.0 * r * r) + ps_qr / (2.0 * r * s) + qs / (2.0 * s * s);
    let z = -norm_quantile((1.0 - conf_level) / 2.0);
    let half = z * var.sqrt();
    out.interval = Some(ConfidenceInterval {
        lower: (or.ln() - half).exp(),
        upper: (or.ln() + half).exp(),
        level: conf_level,
        method: IntervalMethod::RobinsBreslowGreenland,
    });
    out
}

/// E(a) of a stratum with margins n1, n2, m1 under a common odds ratio ψ: the root in
/// [max(0, m1 − n2), min(n1, m1)] of A (n2 − m1 + A) = ψ (n1 − A)(m1 − A).
fn expected_a(n1: f64, n2: f64, m1: f64, psi: f64) -> f64 {
    let (lo, hi) = ((m1 - n2).max(0.0), n1.min(m1));
    if psi == 1.0 {
        return n1 * m1 / (n1 + n2);
    }
    let qa = 1.0 - psi;
    let qb = (n2 - m1) + psi * (n1 + m1);
    let qc = -psi * n1 * m1;
    let disc = (qb * qb - 4.0 * qa * qc).max(0.0).sqrt();
    // The two roots without cancellation: q = −(b + sign(b) √disc)/2, roots q/a and c/q.
    let q = -0.5 * (qb + qb.signum() * disc);
    let roots = [q / qa, qc / q];
    let slack = 1e-9 * (1.0 + hi);
    roots
        .into_iter()
        .find(|x| *x >= lo - slack && *x <= hi + slack)
        .unwrap_or(f64::NAN)
        .clamp(lo, hi)
}

/// Breslow–Day chi-square of equal odds ratios across strata at the MH odds ratio, minus
/// Tarone's correction (Σ a − Σ E a)² / Σ Var a; df = strata used − 1.
pub fn breslow_day(strata: &[Stratum]) -> TestResult {
    let mut out = TestResult::empty(total(strata), Alternative::TwoSided);
    sparse_diagnostics(strata, &mut out);
    let used: Vec<Stratum> = strata
        .iter()
        .copied()
        .filter(Stratum::informative)
        .collect();
    if used.len() < 2 {
        out.diagnostics.push(Diagnostic::NotComputed {
            reason: "fewer than 2 strata with both arms and both outcomes",
        });
        return out;
    }
    let (mut r, mut s) = (0.0, 0.0);
    for st in &used {
        let (a, n1, c, n2) = st.f64s();
        let n = n1 + n2;
        r += a * (n2 - c) / n;
        s += (n1 - a) * c / n;
    }
    if r == 0.0 || s == 0.0 {
        out.diagnostics.push(Diagnostic::NotComputed {
            reason: "the MH odds ratio is 0 or infinite",
        });
        return out;
    }
    let psi = r / s;
    let (mut bd, mut sum_a, mut sum_e, mut sum_v) = (0.0, 0.0, 0.0, 0.0);
    for st in &used {
        let (a, n1, c, n2) = st.f64s();
        let m1 = a + c;
        let e = expected_a(n1, n2, m1, psi);
        let v = 1.0 / (1.0 / e + 1.0 / (n1 - e) + 1.0 / (m1 - e) + 1.0 / (n2 - m1 + e));
        bd += (a - e) * (a - e) / v;
        sum_a += a;
        sum_e += e;
        sum_v += v;
    }
    let tarone = (sum_a - sum_e).powi(2) / sum_v;
    set_chisq(
        &mut out,
        "Breslow-Day chi-square (Tarone)",
        bd - tarone,
        (used.len() - 1) as f64,
    );
    out
}
