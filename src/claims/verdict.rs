//! The verdict on a claim.

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
    pub fn as_str(&self) -> &'static str {
        match self {
            Verdict::Consistent => "consistent",
            Verdict::Inconsistent => "inconsistent",
            Verdict::CannotCheck => "cannot_check",
        }
    }
}
