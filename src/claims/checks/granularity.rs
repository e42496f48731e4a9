//! Granular and bounded values: GRIM, GRIMMER, DEBIT, CLOSURE, and the largest SD values on a
//! bounded scale can have.

use super::Checks;
use crate::claims::finding::{Failed, Passed};
use crate::claims::rounding::{clearly_above, Range, GRID_TOLERANCE};
use crate::claims::schema::{Claim, SampleSize};
use crate::stats::granularity;

/// A scale with both bounds and a step: values are `low + j × step` up to `high`.
#[derive(Debug, Clone, Copy)]
struct SteppedScale {
    low: f64,
    high: f64,
    step: f64,
}

/// GRIM / GRIMMER / DEBIT / bounds for means of granular values.
pub(crate) fn check_granularity(c: &Claim, m: Option<Range>, n: usize, ck: &mut Checks) {
    let Some(scale) = c.scale else { return };
    let Some(m) = m else { return };
    let est = c.estimand.as_str();
    let granular = matches!(est, "mean" | "mean_change");
    let half = c.estimate.as_ref().map(|e| e.half_unit()).unwrap_or(0.0);
    if let (Some(step), true) = (scale.step, granular) {
        let offset = if est == "mean" {
            scale.min.unwrap_or(0.0)
        } else {
            0.0
        };
        // Values are offset + j × step: test the mean of the j's.
        let g = granularity::grim(m.low - offset, m.high - offset, half, n, step);
        if !g.testable {
            // Every mean is possible: nothing to say.
        } else if g.consistent {
            ck.pass(Passed::GrimPossible {
                estimate: c.estimate.clone().unwrap(),
                n,
                step,
            });
        } else {
            ck.fail(Failed::GrimImpossible {
                estimate: c.estimate.clone().unwrap(),
                n,
                step,
            });
        }
        if let Some(sd) = &c.sd {
            let (s0, s1) = sd.bounds();
            let binary =
                est == "mean" && scale.min == Some(0.0) && scale.max == Some(1.0) && step == 1.0;
            if binary {
                let d = granularity::debit(m.low, m.high, s0, s1, n);
                if d.consistent {
                    ck.pass(Passed::DebitAgrees {
                        sd_min: d.sd_min,
                        sd_max: d.sd_max,
                        sd: sd.clone(),
                    });
                } else {
                    ck.fail(Failed::DebitDisagrees {
                        estimate: c.estimate.clone().unwrap(),
                        n,
                        sd_min: d.sd_min,
                        sd_max: d.sd_max,
                        sd: sd.clone(),
                    });
                }
            } else {
                let gm =
                    granularity::grimmer(m.low - offset, m.high - offset, half, s0, s1, n, step);
                if !gm.consistent && gm.reason == Some("sum of squares") {
                    ck.fail(Failed::GrimmerImpossible {
                        n,
                        step,
                        estimate: c.estimate.clone().unwrap(),
                        sd: sd.clone(),
                    });
                } else if gm.consistent {
                    ck.pass(Passed::GrimmerPossible);
                }
                if let (Some(low), Some(high), true) = (scale.min, scale.max, est == "mean") {
                    let scale = SteppedScale { low, high, step };
                    closure_check(c, m, half, (s0, s1), n, scale, ck);
                }
            }
        }
    }
    if let (Some(lo), Some(hi), Some(sd), true) = (scale.min, scale.max, &c.sd, est == "mean") {
        // The admissible mean nearest the scale's centre allows the largest SD.
        let best = ((lo + hi) / 2.0).clamp(m.low, m.high);
        let max_sd = granularity::max_sd_bounded(best, lo, hi, n);
        if clearly_above(sd.bounds().0, max_sd) {
            ck.fail(Failed::MeanSdAboveBoundedMax {
                low: lo,
                high: hi,
                estimate: c.estimate.clone().unwrap(),
                max_sd,
                sd: sd.clone(),
            });
        }
    }
}

/// CLOSURE (closure-core): all samples of n values on an integer scale with the reported mean
/// (half a unit `m_half` of rounding) and SD (bounds `sd`); none means the pair is impossible.
/// Only run where the search is small.
fn closure_check(
    c: &Claim,
    m: Range,
    m_half: f64,
    sd: (f64, f64),
    n: usize,
    scale: SteppedScale,
    ck: &mut Checks,
) {
    let SteppedScale {
        low: lo,
        high: hi,
        step,
    } = scale;
    let (s0, s1) = sd;
    let levels = ((hi - lo) / step).round();
    if !(2..=16).contains(&n) || levels > 10.0 || ((hi - lo) / step - levels).abs() > GRID_TOLERANCE
    {
        return;
    }
    let mean_units = ((m.low + m.high) / 2.0 - lo) / step;
    let sd_units = ((s0 + s1) / 2.0) / step;
    let samples = closure_core::dfs_parallel::<f64, i32>(
        mean_units,
        sd_units,
        n as i32,
        0,
        levels as i32,
        m_half / step + GRID_TOLERANCE,
        (s1 - s0) / 2.0 / step + GRID_TOLERANCE,
    );
    if samples.is_empty() {
        ck.fail(Failed::ClosureNone {
            n,
            low: lo,
            high: hi,
            step,
            estimate: c.estimate.clone().unwrap(),
            sd: c.sd.clone().unwrap(),
        });
    } else {
        ck.pass(Passed::ClosureSamples {
            count: samples.len(),
            n,
        });
    }
}

/// An SD claim on a bounded scale: no larger than n values between the bounds allow.
pub(crate) fn check_sd(c: &Claim, ck: &mut Checks) {
    let (Some(e), Some(SampleSize::One(n)), Some(scale)) = (&c.estimate, c.n, c.scale) else {
        return;
    };
    if let (Some(lo), Some(hi)) = (scale.min, scale.max) {
        let max_sd = granularity::max_sd_bounded((lo + hi) / 2.0, lo, hi, n);
        if clearly_above(e.bounds().0, max_sd) {
            ck.fail(Failed::SdAboveBoundedMax {
                n,
                low: lo,
                high: hi,
                max_sd,
                sd: e.clone(),
            });
        } else {
            ck.pass(Passed::SdBelowBoundedMax {
                n,
                low: lo,
                high: hi,
                max_sd,
            });
        }
    }
}
