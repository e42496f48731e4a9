//! The strata of a 2×2×K table (arm × response × stratum) and which of them carry information
//! for a stratified statistic: the one input type of `cmh`, `risk_difference` and the
//! stratified rows. Pure counting, no statistics.
//!
//! SAS PROC FREQ keeps every stratum in the sums; a stratum with one arm only, or in which
//! everyone or no one responds, adds 0 to the numerator and the variance of the CMH statistic,
//! and a stratum with one arm has MH weight 0. The functions here count those strata so that a
//! result can say how many contributed nothing ([`super::Diagnostic::StrataWithoutInformation`]).

use super::Diagnostic;

/// One stratum: `k1` responders of `n1` patients in the arm, `k2` of `n2` in the control arm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stratum {
    pub k1: usize,
    pub n1: usize,
    pub k2: usize,
    pub n2: usize,
}

impl Stratum {
    pub fn new(k1: usize, n1: usize, k2: usize, n2: usize) -> Self {
        debug_assert!(k1 <= n1 && k2 <= n2);
        Stratum { k1, n1, k2, n2 }
    }
    /// Patients in the stratum.
    pub fn n(&self) -> usize {
        self.n1 + self.n2
    }
    /// Responders in the stratum.
    pub fn responders(&self) -> usize {
        self.k1 + self.k2
    }
    /// Both arms have patients.
    pub fn both_arms(&self) -> bool {
        self.n1 > 0 && self.n2 > 0
    }
    /// Both arms present and both outcomes present: every margin of the 2×2 table is non-zero.
    pub fn informative(&self) -> bool {
        self.both_arms() && self.responders() > 0 && self.responders() < self.n()
    }
    /// As doubles: (k1, n1, k2, n2).
    pub fn f64s(&self) -> (f64, f64, f64, f64) {
        (
            self.k1 as f64,
            self.n1 as f64,
            self.k2 as f64,
            self.n2 as f64,
        )
    }
}

/// The strata summed into one table (the unstratified analysis).
pub fn pooled(strata: &[Stratum]) -> Stratum {
    strata
        .iter()
        .fold(Stratum::new(0, 0, 0, 0), |acc, s| Stratum {
            k1: acc.k1 + s.k1,
            n1: acc.n1 + s.n1,
            k2: acc.k2 + s.k2,
            n2: acc.n2 + s.n2,
        })
}

/// Diagnostics naming the strata with one arm only (weight 0 in every MH sum).
pub fn one_arm_diagnostic(strata: &[Stratum]) -> Option<Diagnostic> {
    let count = strata
        .iter()
        .filter(|s| s.n() > 0 && !s.both_arms())
        .count();
    (count > 0).then_some(Diagnostic::StrataWithoutInformation {
        count,
        reason: "one arm only",
    })
}

/// Diagnostics naming the strata with both arms in which everyone or no one responds (they
/// add nothing to the CMH statistic and to the MH odds ratio; they keep their weight in the
/// MH risk difference, whose stratum difference is 0).
pub fn all_or_none_diagnostic(strata: &[Stratum]) -> Option<Diagnostic> {
    let count = strata
        .iter()
        .filter(|s| s.both_arms() && !s.informative())
        .count();
    (count > 0).then_some(Diagnostic::StrataWithoutInformation {
        count,
        reason: "everyone or no one responds",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_strata_without_information() {
        let s = [
            Stratum::new(3, 10, 2, 9),
            Stratum::new(5, 8, 0, 0),
            Stratum::new(6, 6, 4, 4),
            Stratum::new(0, 5, 0, 6),
            Stratum::new(1, 1, 0, 0),
        ];
        assert_eq!(
            one_arm_diagnostic(&s),
            Some(Diagnostic::StrataWithoutInformation {
                count: 2,
                reason: "one arm only"
            })
        );
        assert_eq!(
            all_or_none_diagnostic(&s),
            Some(Diagnostic::StrataWithoutInformation {
                count: 2,
                reason: "everyone or no one responds"
            })
        );
        assert_eq!(pooled(&s), Stratum::new(15, 30, 6, 19));
        assert!(one_arm_diagnostic(&s[..1]).is_none());
    }
}
