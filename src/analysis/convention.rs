//! `--convention r|sas`: whose numbers the analysis gives where R and SAS differ. `r` (the
//! default) is trialstat's behaviour as before; `sas` adds the rows SAS prints by default
//! (PROC UNIVARIATE's signed rank test, PROC NPAR1WAY's Wilcoxon test with Moses' interval,
//! PROC FREQ's sample odds ratio with Woolf's interval) under method names of their own, and
//! the table for people rounds half away from zero. The R rows stay as they are, so a script
//! that reads them is unaffected. Each difference, with the SAS documentation page that
//! defines it: `docs/sas-convention.md`.

use serde::Serialize;

/// Whose conventions decide the numbers where R and SAS differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Convention {
    /// R's (trialstat's default, unchanged output).
    #[default]
    R,
    /// SAS/STAT's defaults in addition (rows `wilcoxon_signed_rank_sas`, `mann_whitney_sas`,
    /// `woolf`; rounding half away from zero in the table for people).
    Sas,
}

impl Convention {
    pub fn is_r(&self) -> bool {
        *self == Convention::R
    }

    pub fn is_sas(&self) -> bool {
        *self == Convention::Sas
    }

    /// One line for the table's footnote.
    pub fn describe(&self) -> &'static str {
        match self {
            Convention::R => "R (wilcox.test, fisher.test; numbers rounded as R prints them)",
            Convention::Sas => "SAS: rows wilcoxon_signed_rank_sas (PROC UNIVARIATE: exact p for n ≤ 20, else t approximation of S on n − 1 df), mann_whitney_sas (PROC NPAR1WAY WILCOXON HL: Z with continuity correction 0.5, Moses interval), mann_whitney_exact_sas (EXACT WILCOXON HL: exact p, exact limits from the tied null distribution) and woolf (PROC FREQ sample odds ratio, Wald/logit interval) beside the R rows; numbers in this table rounded half away from zero (see docs/sas-convention.md)",
        }
    }
}
