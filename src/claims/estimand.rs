//! What the claims feature needs to know about the results table's estimand names, in one
//! place: which are shares (k of n), which method a claim means when it names none, and which
//! responder threshold a name carries.
//!
//! These are the only string matches on estimand names in `claims/` that are about the
//! results table; when the analysis gets a typed `Estimand`, these functions map onto it.
//! Nothing here reads files or computes statistics.

/// Estimands whose value is a share (k of n) on the results table's 0–1 scale.
pub fn is_rate_estimand(estimand: &str) -> bool {
    estimand == "clearance_rate"
        || (estimand.starts_with("responder") && estimand.ends_with("_rate"))
}

/// The default method of an estimand in the results table.
pub fn default_method(estimand: &str) -> Option<&'static str> {
    Some(match estimand {
        "mean_change" => "paired_t",
        "mean_pct_change" => "one_sample_t",
        "pseudo_median_change" => "wilcoxon_signed_rank",
        "cohen_dz" | "hedges_g_change" | "hedges_gz" => "noncentral_t",
        "mean_change_diff" | "mean_pct_change_diff" => "welch_t",
        "location_shift_change" => "mann_whitney",
        "clearance_diff" => "newcombe",
        "clearance_odds_ratio" => "fisher_exact",
        e if is_rate_estimand(e) => "clopper_pearson",
        e if e.starts_with("responder") && e.ends_with("_diff") => "newcombe",
        e if e.starts_with("responder") && e.ends_with("_odds_ratio") => "fisher_exact",
        _ => return None,
    })
}

/// The responder threshold a `responder{P}_…` estimand names (responder50_rate → 50), for
/// the analysis options of a claim set.
pub fn named_responder_threshold(estimand: &str) -> Option<f64> {
    estimand
        .strip_prefix("responder")
        .and_then(|r| r.split('_').next())
        .and_then(|p| p.parse::<f64>().ok())
}

/// Where a rate estimand puts its patients on the percent-change scale: responders have a
/// percent change ≤ the threshold (`true`: the low side) or ≥ it. Clearance is a 100%
/// reduction; `responder{P}_rate` is a P% improvement in the endpoint's direction.
pub fn rate_threshold(estimand: &str, higher_is_better: bool) -> Option<(f64, bool)> {
    if estimand == "clearance_rate" {
        return Some((-100.0, true));
    }
    let p: f64 = estimand
        .strip_prefix("responder")?
        .strip_suffix("_rate")?
        .parse()
        .ok()?;
    if higher_is_better {
        Some((p, false))
    } else {
        Some((-p, true))
    }
}

/// The improvement threshold of a `responder{P}_rate` claim as the cohort search reads it
/// (50 when the name carries no number).
pub fn search_responder_threshold(estimand: &str) -> f64 {
    estimand
        .trim_start_matches("responder")
        .trim_end_matches("_rate")
        .parse()
        .unwrap_or(50.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_estimands_and_their_thresholds() {
        assert!(is_rate_estimand("clearance_rate") && is_rate_estimand("responder75_rate"));
        assert!(!is_rate_estimand("responder75_diff") && !is_rate_estimand("mean"));
        assert_eq!(default_method("responder50_rate"), Some("clopper_pearson"));
        assert_eq!(default_method("responder50_diff"), Some("newcombe"));
        assert_eq!(default_method("sd"), None);
        assert_eq!(named_responder_threshold("responder90_diff"), Some(90.0));
        assert_eq!(
            rate_threshold("responder50_rate", false),
            Some((-50.0, true))
        );
        assert_eq!(rate_threshold("clearance_rate", true), Some((-100.0, true)));
        assert_eq!(search_responder_threshold("responder75_rate"), 75.0);
    }
}
