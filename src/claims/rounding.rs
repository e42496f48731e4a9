//! The rounding model: a reported number stands for every true value that rounds to it (up or
//! down at a 5), so every figure recomputed from reported numbers is a [`Range`], and "agrees"
//! means "some value in the range rounds to the report".
//!
//! Every slack constant of the claims feature is here, once, with the reason it exists
//! (statrs keeps its tolerances in `prec.rs` for the same reason). Nothing else in `claims/`
//! or `report/` may write a tolerance literal; parsing is in [`super::reported`], and nothing
//! here formats text.

use super::reported::{Reported, ReportedP};
use serde::Serialize;

/// Relative widening of half a unit in the last reported decimal. The bounds `value ± half
/// unit` are sums of binary approximations of decimals (0.05 has no exact binary form), so a
/// true value lying exactly on a rounding boundary can land a few ulps outside them.
pub const HALF_UNIT_SLACK: f64 = 1e-9;

/// Absolute slack relative to the magnitude of the value compared: for values far above 1
/// (e.g. 123456.7), `half unit × HALF_UNIT_SLACK` is below one ulp of the value itself, and
/// for "p < 0.01" a p computed exactly at the bound must still count as below it.
pub const VALUE_SLACK: f64 = 1e-12;

/// Relative slack when two recomputed ranges touch at an end point: both ends were computed
/// by different monotone formulas, each a few ulps off; the absolute term covers ranges at 0.
pub const RANGE_TOUCH_SLACK: f64 = 1e-12;

/// Relative margin before a recomputed limit (largest SD a bounded scale allows, smallest SD a
/// split of patients forces) is declared exceeded: the limit comes from a closed form whose
/// last bits depend on evaluation order, and an inconsistency must not hang on them.
pub const LIMIT_SLACK: f64 = 1e-9;

/// Two degrees of freedom (one from the claims file as a float, one from n) are the same
/// when they differ by less than this: both are whole numbers written in decimal.
pub const DF_TOLERANCE: f64 = 1e-9;

/// CLOSURE runs only on scales that are a whole number of steps (within this, for steps such
/// as 0.1 that have no exact binary form), and the mean and SD tolerances it is handed are
/// widened by this many units for the same reason.
pub const GRID_TOLERANCE: f64 = 1e-9;

/// Two confidence levels (a claim's and the one an analysis was run at) are the same level
/// when they differ by less than this: both are short decimals such as 0.95.
pub const LEVEL_TOLERANCE: f64 = 1e-12;

/// A recomputed range narrower than this, relative to its upper end, is shown as one number:
/// its two ends are the same value up to floating-point noise.
pub const POINT_RANGE_RELATIVE: f64 = 1e-12;

/// Smallest positive p (or t) used where a formula would divide by zero or take a quantile at
/// 1: far below any p that can be reported, so it changes no verdict.
pub const TINY: f64 = 1e-300;

/// The cohort search aims strictly inside the rounding bounds, by this share of half a unit, so
/// that the re-analysis (which sums in another order) still rounds to the reported value.
pub const SEARCH_INSET: f64 = 1e-6;

/// A simulated patient is a responder at P% when the improvement is at least P − this × P: the
/// percent change of grid values is a quotient that can fall a few ulps short of P exactly.
pub const RESPONDER_SLACK: f64 = 1e-9;

impl Reported {
    /// Half a unit in the last reported decimal: the reported value stands for any true value
    /// within ± this (rounding up or down at 5 both allowed).
    pub fn half_unit(&self) -> f64 {
        0.5 * 10f64.powi(-(self.decimals as i32))
    }

    /// The interval of true values that round to the reported text.
    pub fn bounds(&self) -> (f64, f64) {
        let h = self.half_unit();
        (self.value - h, self.value + h)
    }

    /// Whether `x` rounds to the reported value (either rounding direction at a 5).
    pub fn matches(&self, x: f64) -> bool {
        let h = self.half_unit();
        (x - self.value).abs() <= h * (1.0 + HALF_UNIT_SLACK) + VALUE_SLACK * self.value.abs()
    }

    /// How far `x × scale` is from rounding to the report, in half units beyond its rounding (0
    /// when it rounds to it, aiming [`SEARCH_INSET`] inside): the cohort search's distance.
    pub fn miss(&self, x: f64, scale: f64) -> f64 {
        let h = self.half_unit() * scale;
        let v = self.value * scale;
        let d = (x - v).abs() - h * (1.0 - SEARCH_INSET);
        if d <= 0.0 {
            0.0
        } else {
            1.0 + d / h
        }
    }
}

impl ReportedP {
    /// Whether a computed p-value agrees with the reported one (at its precision; "ns" at alpha).
    pub fn admits(&self, p: f64, alpha: f64) -> bool {
        match self {
            ReportedP::Equal(r) => {
                // "p = 0.000" is how some software prints p < 0.0005.
                r.matches(p) || (r.value == 0.0 && p < r.half_unit())
            }
            ReportedP::Less(r) => p < r.value * (1.0 + VALUE_SLACK),
            ReportedP::Greater(r) => p > r.value * (1.0 - VALUE_SLACK),
            ReportedP::NotSignificant => p >= alpha,
        }
    }

    /// Whether a p-value range [lo, hi] contains a value the report admits.
    pub fn admits_range(&self, lo: f64, hi: f64, alpha: f64) -> bool {
        match self {
            ReportedP::Equal(r) => {
                let (a, b) = r.bounds();
                let a = if r.value == 0.0 { 0.0 } else { a };
                hi >= a * (1.0 - HALF_UNIT_SLACK) && lo <= b * (1.0 + HALF_UNIT_SLACK)
            }
            ReportedP::Less(r) => lo < r.value * (1.0 + VALUE_SLACK),
            ReportedP::Greater(r) => hi > r.value * (1.0 - VALUE_SLACK),
            ReportedP::NotSignificant => hi >= alpha,
        }
    }

    /// Whether the report declares significance at alpha (None when it cannot be told).
    pub fn significant(&self, alpha: f64) -> Option<bool> {
        match self {
            ReportedP::Equal(r) => Some(r.value < alpha),
            ReportedP::Less(r) => (r.value <= alpha).then_some(true),
            ReportedP::Greater(r) => (r.value >= alpha).then_some(false),
            ReportedP::NotSignificant => Some(false),
        }
    }
}

/// Whether `x` is above `limit` by more than [`LIMIT_SLACK`].
pub fn clearly_above(x: f64, limit: f64) -> bool {
    x > limit * (1.0 + LIMIT_SLACK)
}

/// Whether two confidence levels are the same level ([`LEVEL_TOLERANCE`]).
pub fn same_level(a: f64, b: f64) -> bool {
    (a - b).abs() < LEVEL_TOLERANCE
}

/// A closed range of values a recomputed figure can take, given the reported rounding.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Range {
    pub low: f64,
    pub high: f64,
}

impl Range {
    /// The range between two values, in either order.
    pub fn new(a: f64, b: f64) -> Range {
        Range {
            low: a.min(b),
            high: a.max(b),
        }
    }

    /// The values in both ranges; ranges that touch within [`RANGE_TOUCH_SLACK`] meet.
    pub fn intersect(&self, o: &Range) -> Option<Range> {
        let (a, b) = (self.low.max(o.low), self.high.min(o.high));
        (a <= b * (1.0 + RANGE_TOUCH_SLACK) + RANGE_TOUCH_SLACK).then_some(Range {
            low: a,
            high: b.max(a),
        })
    }

    pub fn contains_zero(&self) -> bool {
        self.low <= 0.0 && self.high >= 0.0
    }

    /// The range of |x|.
    pub fn abs(&self) -> Range {
        if self.contains_zero() {
            Range::new(0.0, self.low.abs().max(self.high.abs()))
        } else {
            Range::new(self.low.abs(), self.high.abs())
        }
    }

    /// Whether both ends are the same value up to [`POINT_RANGE_RELATIVE`] (for showing one
    /// number instead of a range).
    pub fn is_point(&self) -> bool {
        (self.high - self.low).abs() <= POINT_RANGE_RELATIVE * self.high.abs().max(TINY)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reported_number_stands_for_its_rounding_interval() {
        let r = Reported::parse("-52").unwrap();
        assert!(r.matches(-52.43) && r.matches(-51.5) && !r.matches(-52.51));
        // 0.05 ± 0.005 at the boundary: binary noise must not decide.
        let r = Reported::parse("0.05").unwrap();
        assert!(r.matches(0.055) && r.matches(0.045) && !r.matches(0.0551));
    }

    #[test]
    fn p_admits_at_its_precision() {
        let p = ReportedP::parse("0.003").unwrap();
        assert!(p.admits(0.0034, 0.05) && !p.admits(0.0036, 0.05));
        let zero = ReportedP::parse("0.000").unwrap();
        assert!(zero.admits(1e-9, 0.05));
        let less = ReportedP::parse("<0.01").unwrap();
        assert!(less.admits(0.01, 0.05) && !less.admits(0.0101, 0.05));
    }

    #[test]
    fn the_search_aims_inside_the_rounding() {
        let r = Reported::parse("5.2").unwrap();
        assert_eq!(r.miss(5.2, 1.0), 0.0);
        assert!(
            r.miss(5.25, 1.0) > 0.0,
            "the boundary itself is not aimed at"
        );
        assert!(r.miss(5.4, 1.0) > r.miss(5.3, 1.0));
    }
}
