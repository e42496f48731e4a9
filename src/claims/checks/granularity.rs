//! GRIM, GRIMMER, DEBIT, CLOSURE and the SD bounds of a bounded scale.

use super::*;
use crate::stats::granularity;

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
            ck.pass(format!(
                "GRIM: a mean of {} is possible for {n} values in steps of {step}",
                c.estimate.as_ref().unwrap()
            ));
        } else {
            ck.fail(format!(
                "GRIM: no {n} values in steps of {step} have a mean that rounds to {}",
                c.estimate.as_ref().unwrap()
            ));
        }
        if let Some(sd) = &c.sd {
            let (s0, s1) = sd.bounds();
            let binary =
                est == "mean" && scale.min == Some(0.0) && scale.max == Some(1.0) && step == 1.0;
            if binary {
                let d = granularity::debit(m.low, m.high, s0, s1, n);
                if d.consistent {
                    ck.pass(format!(
                        "DEBIT: binary data with this mean have SD {}–{}, reported {}",
                        fmt(d.sd_min),
                        fmt(d.sd_max),
                        sd
                    ));
                } else {
                    ck.fail(format!(
                        "DEBIT: binary data with mean {} and n = {n} have SD {}–{}, but {} is reported",
                        c.estimate.as_ref().unwrap(),
                        fmt(d.sd_min),
                        fmt(d.sd_max),
                        sd
                    ));
                }
            } else {
                let gm =
                    granularity::grimmer(m.low - offset, m.high - offset, half, s0, s1, n, step);
                if !gm.consistent && gm.reason == Some("sum of squares") {
                    ck.fail(format!(
                        "GRIMMER: no {n} values in steps of {step} with a mean of {} have an SD that rounds to {}",
                        c.estimate.as_ref().unwrap(),
                        sd
                    ));
                } else if gm.consistent {
                    ck.pass("GRIMMER: the SD is possible for this mean and n".into());
                }
                if let (Some(lo), Some(hi), true) = (scale.min, scale.max, est == "mean") {
                    closure_check(c, m, half, s0, s1, n, lo, hi, step, ck);
                }
            }
        }
    }
    if let (Some(lo), Some(hi), Some(sd), true) = (scale.min, scale.max, &c.sd, est == "mean") {
        // The admissible mean nearest the scale's centre allows the largest SD.
        let best = ((lo + hi) / 2.0).clamp(m.low, m.high);
        let max_sd = granularity::max_sd_bounded(best, lo, hi, n);
        if sd.bounds().0 > max_sd * (1.0 + 1e-9) {
            ck.fail(format!(
                "values between {lo} and {hi} with mean {} cannot have an SD above {}; reported {}",
                c.estimate.as_ref().unwrap(),
                fmt(max_sd),
                sd
            ));
        }
    }
}

/// CLOSURE (closure-core): all samples of n values on an integer scale with the reported mean
/// and SD; none means the pair is impossible. Only run where the search is small.
#[allow(clippy::too_many_arguments)]
pub(crate) fn closure_check(
    c: &Claim,
    m: Range,
    m_half: f64,
    s0: f64,
    s1: f64,
    n: usize,
    lo: f64,
    hi: f64,
    step: f64,
    ck: &mut Checks,
) {
    let levels = ((hi - lo) / step).round();
    if !(2..=16).contains(&n) || levels > 10.0 || ((hi - lo) / step - levels).abs() > 1e-9 {
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
        m_half / step + 1e-9,
        (s1 - s0) / 2.0 / step + 1e-9,
    );
    if samples.is_empty() {
        ck.fail(format!(
            "CLOSURE: no sample of {n} values on the scale {lo}–{hi} (step {step}) has mean {} and SD {}",
            c.estimate.as_ref().unwrap(),
            c.sd.as_ref().unwrap()
        ));
    } else {
        ck.pass(format!(
            "CLOSURE: {} distinct samples of {n} values on the scale have this mean and SD",
            samples.len()
        ));
    }
}

pub(crate) fn check_sd(c: &Claim, ck: &mut Checks) {
    let (Some(e), Some(SampleSize::One(n)), Some(scale)) = (&c.estimate, c.n, c.scale) else {
        return;
    };
    if let (Some(lo), Some(hi)) = (scale.min, scale.max) {
        let max_sd = granularity::max_sd_bounded((lo + hi) / 2.0, lo, hi, n);
        if e.bounds().0 > max_sd * (1.0 + 1e-9) {
            ck.fail(format!(
                "{n} values between {lo} and {hi} cannot have an SD above {}; reported {e}",
                fmt(max_sd)
            ));
        } else {
            ck.pass(format!(
                "the SD is below the most {n} values between {lo} and {hi} allow ({})",
                fmt(max_sd)
            ));
        }
    }
}
