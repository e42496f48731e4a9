//! The verdict on a claim, decided from typed findings: a claim is inconsistent when a check
//! failed, consistent when a check held and none failed, and cannot be checked otherwise.
//! No sentence is read to decide it.

use super::finding::{Failed, Unchecked};
use serde::Serialize;

/// The verdict on one claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Consistent,
    Inconsistent,
    CannotCheck,
}

impl Verdict {
    /// The name in the CSV and JSON outputs.
    pub fn as_str(&self) -> &'static str {
        match self {
            Verdict::Consistent => "consistent",
            Verdict::Inconsistent => "inconsistent",
            Verdict::CannotCheck => "cannot_check",
        }
    }

    /// The verdict of a claim's own checks: `passed` checks held; `problems` in the order found.
    pub fn of_checks(passed: usize, problems: &[Problem]) -> Verdict {
        if problems.iter().any(|p| matches!(p, Problem::Failed(_))) {
            Verdict::Inconsistent
        } else if passed > 0 {
            Verdict::Consistent
        } else {
            Verdict::CannotCheck
        }
    }

    /// The overall verdict once the data were compared: the data reproduce the claim (or
    /// not); an internal inconsistency stays an inconsistency.
    pub fn with_data(self, data: Verdict) -> Verdict {
        match (self, data) {
            (Verdict::Inconsistent, _) | (_, Verdict::Inconsistent) => Verdict::Inconsistent,
            (_, Verdict::Consistent) => Verdict::Consistent,
            (v, Verdict::CannotCheck) => v,
        }
    }
}

/// Something wrong with a claim: a check that failed, or a reason a check could not be made.
#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    Failed(Failed),
    Unchecked(Unchecked),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failure_outweighs_passes_and_cannot_check_needs_no_pass() {
        let failed = Problem::Failed(Failed::NoSampleSizeFits);
        let unchecked = Problem::Unchecked(Unchecked::GroupSizesNotReported);
        assert_eq!(
            Verdict::of_checks(3, &[unchecked.clone(), failed]),
            Verdict::Inconsistent
        );
        assert_eq!(
            Verdict::of_checks(1, std::slice::from_ref(&unchecked)),
            Verdict::Consistent
        );
        assert_eq!(Verdict::of_checks(0, &[unchecked]), Verdict::CannotCheck);
        assert_eq!(Verdict::of_checks(0, &[]), Verdict::CannotCheck);
        assert_eq!(
            Verdict::Consistent.with_data(Verdict::Inconsistent),
            Verdict::Inconsistent
        );
        assert_eq!(
            Verdict::CannotCheck.with_data(Verdict::Consistent),
            Verdict::Consistent
        );
    }
}
