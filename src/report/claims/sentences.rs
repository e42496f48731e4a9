//! The English of `reproduce` and `simulate`: one sentence per finding of the claims checks
//! (`claims::finding`), and the numbers in them rounded for people. Computes nothing; every
//! number arrives at full precision.

use crate::claims::finding::{
    Conflict, DataReason, DecisionError, Failed, Figure, Passed, Split, SplitSide, Statcheck,
    Unchecked,
};
use crate::claims::{ClaimCheck, Problem, Range, Verdict};

/// A number in a sentence: four significant digits, trailing zeros dropped, scientific
/// notation outside [1e-4, 1e6).
pub(crate) fn fmt(x: f64) -> String {
    if x == 0.0 {
        return "0".into();
    }
    let a = x.abs();
    if !(1e-4..1e6).contains(&a) {
        return format!("{x:.2e}");
    }
    let digits = (3 - a.log10().floor() as i32).clamp(0, 6) as usize;
    let s = format!("{x:.digits$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// A share as a percentage.
fn pct(x: f64) -> String {
    format!("{}%", fmt(100.0 * x))
}

/// A range, or one number when its ends are the same.
fn fmt_range(r: &Range) -> String {
    if r.is_point() {
        fmt(r.low)
    } else {
        format!("{} to {}", fmt(r.low), fmt(r.high))
    }
}

/// A p-value range; "below x" when all of it is tiny.
fn fmt_p_range(r: &Range) -> String {
    if r.high < 1e-4 {
        format!("below {}", fmt(r.high))
    } else {
        fmt_range(r)
    }
}

/// An SD range, open ranges as "at most" / "at least".
fn describe_sd_range(sd: &Range) -> String {
    if sd.low <= 0.0 && sd.high.is_finite() {
        format!("at most {}", fmt(sd.high))
    } else if !sd.high.is_finite() {
        format!("at least {}", fmt(sd.low))
    } else {
        fmt_range(sd)
    }
}

/// One line: the problems of an inconsistent (or uncheckable) claim, else what was checked;
/// then what the data say, unless the claim is inconsistent on its own and the data are not.
pub fn reason(c: &ClaimCheck) -> String {
    let mut parts: Vec<String> = claim_reasons(c);
    if let Some(d) = &c.data {
        if d.verdict == Verdict::Inconsistent || c.verdict != Verdict::Inconsistent {
            parts.extend(
                d.reasons
                    .iter()
                    .map(|r| format!("data: {}", data_reason(r))),
            );
        }
    }
    parts.join("; ")
}

/// The sentences behind a verdict: what held for a consistent claim, the problems otherwise.
pub(crate) fn claim_reasons(c: &ClaimCheck) -> Vec<String> {
    match c.verdict {
        Verdict::Inconsistent | Verdict::CannotCheck => c.problems.iter().map(problem).collect(),
        Verdict::Consistent => c.passed.iter().map(passed).collect(),
    }
}

/// A problem: a failed check, or "cannot check: …".
pub fn problem(p: &Problem) -> String {
    match p {
        Problem::Failed(f) => failed(f),
        Problem::Unchecked(u) => format!("cannot check: {}", unchecked(u)),
    }
}

fn statcheck_head(s: &Statcheck) -> String {
    format!("statcheck: {}({}) = {}", s.name, fmt(s.df), s.value)
}

/// A check that held.
pub fn passed(p: &Passed) -> String {
    match p {
        Passed::IntervalSdAgrees { implied, reported } => format!(
            "the interval implies SD {}, the reported SD is {reported}",
            fmt_range(implied)
        ),
        Passed::MidpointAgrees { estimate, midpoint } => format!(
            "the estimate {estimate} lies at the interval's midpoint ({})",
            fmt_range(midpoint)
        ),
        Passed::IntervalImpliesSeSd { se, sd, df } => format!(
            "the interval implies SE {} and SD {} (t quantile with {df} df)",
            fmt_range(se),
            fmt_range(sd)
        ),
        Passed::PAgrees {
            recomputed,
            reported,
        } => format!(
            "recomputed p {} agrees with the reported {}",
            fmt_p_range(recomputed),
            reported.describe()
        ),
        Passed::PHoldsIfSd { reported, n, sd } => format!(
            "{} holds at n = {n} if the SD is {}",
            reported.describe(),
            describe_sd_range(sd)
        ),
        Passed::SampleSizesFit {
            first,
            last,
            gaps,
            sd_at,
        } => {
            let examples: Vec<String> = sd_at
                .iter()
                .map(|(n, s)| format!("n = {n}: SD {}", describe_sd_range(s)))
                .collect();
            format!(
                "n is not reported: the figures hold for n = {first}{}{last}{} ({})",
                if first == last { "" } else { " to " },
                if *gaps { " (not every n between)" } else { "" },
                examples.join("; ")
            )
        }
        Passed::GrimPossible { estimate, n, step } => {
            format!("GRIM: a mean of {estimate} is possible for {n} values in steps of {step}")
        }
        Passed::DebitAgrees { sd_min, sd_max, sd } => format!(
            "DEBIT: binary data with this mean have SD {}–{}, reported {sd}",
            fmt(*sd_min),
            fmt(*sd_max)
        ),
        Passed::GrimmerPossible => "GRIMMER: the SD is possible for this mean and n".into(),
        Passed::ClosureSamples { count, n } => format!(
            "CLOSURE: {count} distinct samples of {n} values on the scale have this mean and SD"
        ),
        Passed::SdBelowBoundedMax {
            n,
            low,
            high,
            max_sd,
        } => format!(
            "the SD is below the most {n} values between {low} and {high} allow ({})",
            fmt(*max_sd)
        ),
        Passed::StatcheckAgrees(s) => format!(
            "{} gives p {}, as reported ({})",
            statcheck_head(s),
            fmt_p_range(&s.p),
            s.reported.describe()
        ),
        Passed::StatcheckOneSided(s) => format!(
            "{} gives two-sided p {}; the reported {} is the one-sided p",
            statcheck_head(s),
            fmt_p_range(&s.p),
            s.reported.describe()
        ),
        Passed::TAgrees { implied, reported } => format!(
            "the estimate and interval give |t| {}, reported {reported}",
            fmt_range(implied)
        ),
        Passed::ShareRounds {
            k,
            n,
            share,
            estimate,
        } => format!("{k}/{n} = {} rounds to the reported {estimate}", pct(*share)),
        Passed::ExactIntervalAgrees { k, n, low, high } => format!(
            "{k}/{n}: the exact (Clopper–Pearson) interval {}–{} rounds to the reported one",
            fmt(*low),
            fmt(*high)
        ),
        Passed::WilsonInterval {
            k,
            n,
            wilson,
            exact,
        } => format!(
            "{k}/{n}: the reported interval is Wilson's score interval ({}–{}), not the exact one ({}–{})",
            fmt(wilson.0),
            fmt(wilson.1),
            fmt(exact.0),
            fmt(exact.1)
        ),
        Passed::ExactInterval {
            k,
            n,
            share,
            conf_level,
            low,
            high,
        } => format!(
            "{k}/{n} = {}: exact (Clopper–Pearson) {}% interval {} to {}",
            pct(*share),
            fmt(conf_level * 100.0),
            pct(*low),
            pct(*high)
        ),
        Passed::SharePossible { ks, n, estimate } => format!(
            "GRIM: {} of {n} round to {estimate}",
            ks.iter()
                .map(|k| k.to_string())
                .collect::<Vec<_>>()
                .join(" or ")
        ),
        Passed::SharesFitSampleSizes { ns } => {
            let shown: Vec<String> = ns.iter().take(8).map(|n| n.to_string()).collect();
            format!(
                "n is not reported: {} of n ≤ 100 give the reported share (n = {}{})",
                ns.len(),
                shown.join(", "),
                if ns.len() > 8 { ", …" } else { "" }
            )
        }
        Passed::DzPAgrees { p, reported } => format!(
            "dz × √n gives p {}, as reported ({})",
            fmt_p_range(p),
            reported.describe()
        ),
    }
}

/// A check that failed.
pub fn failed(f: &Failed) -> String {
    match f {
        Failed::IntervalSdDisagrees { implied, reported } => format!(
            "the interval implies SD {} but the reported SD is {reported}",
            fmt_range(implied)
        ),
        Failed::MidpointOff {
            estimate,
            low,
            high,
            midpoint,
        } => format!(
            "the estimate {estimate} is not the midpoint of [{low}, {high}] (midpoint {}): a t interval is symmetric, so only an asymmetric method (log scale, bootstrap, Fieller) could give it",
            fmt_range(midpoint)
        ),
        Failed::PDisagrees {
            recomputed,
            reported,
            decision_error_at,
        } => format!(
            "recomputed p is {} but {} is reported{}",
            fmt_p_range(recomputed),
            reported.describe(),
            decision_error_at
                .map(|alpha| format!(" — a decision error at alpha = {alpha}"))
                .unwrap_or_default()
        ),
        Failed::NoSampleSizeFits => "no n from 3 to 100 makes the reported figures agree".into(),
        Failed::GrimImpossible { estimate, n, step } => format!(
            "GRIM: no {n} values in steps of {step} have a mean that rounds to {estimate}"
        ),
        Failed::DebitDisagrees {
            estimate,
            n,
            sd_min,
            sd_max,
            sd,
        } => format!(
            "DEBIT: binary data with mean {estimate} and n = {n} have SD {}–{}, but {sd} is reported",
            fmt(*sd_min),
            fmt(*sd_max)
        ),
        Failed::GrimmerImpossible {
            n,
            step,
            estimate,
            sd,
        } => format!(
            "GRIMMER: no {n} values in steps of {step} with a mean of {estimate} have an SD that rounds to {sd}"
        ),
        Failed::MeanSdAboveBoundedMax {
            low,
            high,
            estimate,
            max_sd,
            sd,
        } => format!(
            "values between {low} and {high} with mean {estimate} cannot have an SD above {}; reported {sd}",
            fmt(*max_sd)
        ),
        Failed::ClosureNone {
            n,
            low,
            high,
            step,
            estimate,
            sd,
        } => format!(
            "CLOSURE: no sample of {n} values on the scale {low}–{high} (step {step}) has mean {estimate} and SD {sd}"
        ),
        Failed::SdAboveBoundedMax {
            n,
            low,
            high,
            max_sd,
            sd,
        } => format!(
            "{n} values between {low} and {high} cannot have an SD above {}; reported {sd}",
            fmt(*max_sd)
        ),
        Failed::StatcheckDisagrees {
            statcheck: s,
            decision_error,
        } => format!(
            "{} gives p {}, but {} is reported{}",
            statcheck_head(s),
            fmt_p_range(&s.p),
            s.reported.describe(),
            match decision_error {
                Some(DecisionError::ReportedSignificant) => {
                    " — a decision error: reported significant, recomputed not"
                }
                Some(DecisionError::ReportedNotSignificant) => {
                    " — a decision error: reported not significant, recomputed significant"
                }
                None => "",
            }
        ),
        Failed::DfDisagrees { reported, implied } => format!(
            "the t statistic has df = {} but n implies {} (Student df; a Welch df would be fractional)",
            fmt(*reported),
            fmt(*implied)
        ),
        Failed::TDisagrees { implied, reported } => format!(
            "the estimate and interval give |t| {}, but t = {reported} is reported",
            fmt_range(implied)
        ),
        Failed::ShareDoesNotRound {
            k,
            n,
            share,
            estimate,
        } => format!(
            "{k}/{n} = {} does not round to the reported {estimate}",
            pct(*share)
        ),
        Failed::IntervalNeitherExactNorWilson {
            k,
            n,
            exact,
            wilson,
            reported,
        } => format!(
            "{k}/{n}: the exact interval is {}–{} (Wilson {}–{}), but [{}, {}] is reported",
            fmt(exact.0),
            fmt(exact.1),
            fmt(wilson.0),
            fmt(wilson.1),
            reported.0,
            reported.1
        ),
        Failed::ShareImpossible { n, estimate } => {
            format!("GRIM: no k of n = {n} gives a share that rounds to {estimate}")
        }
        Failed::NoShareUpTo100 { estimate } => {
            format!("no k of n ≤ 100 gives a share that rounds to {estimate}")
        }
        Failed::DzPDisagrees { p, reported } => format!(
            "dz × √n gives p {}, but {} is reported",
            fmt_p_range(p),
            reported.describe()
        ),
        Failed::Conflict { other, conflict } => {
            format!("conflicts with claim {other:?}: {}", conflict_text(conflict))
        }
    }
}

/// "k of n cleared …": where a rate claim puts its patients.
fn split_text(s: &Split) -> String {
    let (k, n) = (s.k, s.n);
    match s.side {
        SplitSide::Cleared => format!("{k} of {n} cleared (a 100% reduction)"),
        SplitSide::AtMost(c) => format!("{k} of {n} with a change ≤ {}%", fmt(c)),
        SplitSide::AtLeast(c) => format!("{k} of {n} with a change ≥ {}%", fmt(c)),
    }
}

fn conflict_text(c: &Conflict) -> String {
    match c {
        Conflict::SplitCannotGiveMean {
            split,
            mean,
            of_other,
        } => format!(
            "{} cannot give {} mean percent change of {mean}",
            split_text(split),
            if *of_other { "its" } else { "a" }
        ),
        Conflict::SplitForcesSd {
            split,
            sd_min,
            sd_max,
            interval,
        } => format!(
            "{} force an SD of percent change of at least {}, but this claim allows at most {}{}",
            split_text(split),
            fmt(*sd_min),
            fmt(*sd_max),
            interval
                .map(|w| format!(
                    "; its {}% interval would be at least ±{} wide, reported ±{}",
                    fmt(w.conf_level * 100.0),
                    fmt(w.half_width_min),
                    fmt(w.half_width_reported)
                ))
                .unwrap_or_default()
        ),
        Conflict::SplitForcesOtherSd {
            split,
            sd_min,
            sd_max,
            short_by,
        } => format!(
            "{} force an SD of percent change of at least {}, but that claim allows at most {} (short by {})",
            split_text(split),
            fmt(*sd_min),
            fmt(*sd_max),
            fmt(*short_by)
        ),
        Conflict::RatesOutOfOrder {
            n,
            harder_k,
            harder,
            easier_k,
            easier,
        } => format!(
            "{harder_k} of {n} meet {harder} but only {easier_k} meet the less demanding {easier}"
        ),
    }
}

/// Why a check could not be made (after "cannot check: ").
pub fn unchecked(u: &Unchecked) -> String {
    match u {
        Unchecked::NotRecomputed { estimand } => format!(
            "trialstat does not recompute {estimand} from summary figures (it is compared with the data under --data)"
        ),
        Unchecked::NothingToRecomputeFrom { given } => {
            let names: Vec<&str> = given
                .iter()
                .map(|f| match f {
                    Figure::Estimate => "an estimate",
                    Figure::N => "n",
                    Figure::Interval => "an interval",
                    Figure::Sd => "an SD",
                    Figure::P => "a p-value",
                    Figure::K => "k",
                })
                .collect();
            let what = if names.is_empty() {
                "no figures are reported".to_string()
            } else {
                format!("only {} reported", names.join(", "))
            };
            format!("{what} — nothing to recompute from")
        }
        Unchecked::SampleSizeDoesNotFit => "the sample size does not fit the estimand".into(),
        Unchecked::TooFewForT { n } => format!("n = {n} is too small for a t interval"),
        Unchecked::GroupSizesNotReported => {
            "the group sizes n = [n_arm, n_control] are not reported".into()
        }
        Unchecked::StatisticOutOfRange { name, value } => {
            format!("the {name} statistic {value} is out of range")
        }
        Unchecked::RateNeedsOneN => "a rate within one arm has one n".into(),
    }
}

/// What the comparison with the data found.
pub fn data_reason(r: &DataReason) -> String {
    match r {
        DataReason::Reproduced {
            method,
            estimate,
            ci,
            p,
        } => format!(
            "reproduced at the reported precision ({method} = {}{}{})",
            fmt(*estimate),
            ci.map(|(l, h)| format!(", CI {} to {}", fmt(l), fmt(h)))
                .unwrap_or_default(),
            p.map(|p| format!(", p = {}", fmt(p))).unwrap_or_default()
        ),
        DataReason::NoCell {
            endpoint,
            arm,
            visit,
            follow_up_visits,
        } => format!(
            "no {endpoint} / {arm} / {visit} in the data (follow-up visits: {})",
            follow_up_visits.join(", ")
        ),
        DataReason::NoDefaultMethod { estimand } => {
            format!("no default method for {estimand}: name one with method = …")
        }
        DataReason::NoRow {
            endpoint,
            arm,
            visit,
            comparison,
            estimand,
            method,
        } => format!(
            "the analysis has no row {endpoint} / {arm} / {visit} / {comparison} / {estimand} / {method}"
        ),
        DataReason::NoEstimate => "the analysis gives no estimate".into(),
        DataReason::SdDiffers { data, reported } => {
            format!("SD {} does not round to the reported {reported}", fmt(*data))
        }
        DataReason::PDiffers { data, reported } => format!(
            "p = {} does not agree with the reported {}",
            fmt(*data),
            reported.describe()
        ),
        DataReason::NoPValue => "the analysis gives no p-value".into(),
        DataReason::CountDiffers { data, n, reported } => {
            format!("{data} of {n} in the data, {reported} reported")
        }
        DataReason::IntervalDiffers {
            low,
            high,
            reported,
        } => format!(
            "interval {} to {} does not round to the reported [{}, {}]",
            fmt(*low),
            fmt(*high),
            reported.0,
            reported.1
        ),
        DataReason::EstimateDiffers { data, reported } => format!(
            "estimate {} does not round to the reported {reported}",
            fmt(*data)
        ),
        DataReason::NDiffers { data, reported } => {
            format!("n = {data} in the data, {reported} reported")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_for_people() {
        assert_eq!(fmt(0.0), "0");
        assert_eq!(fmt(-52.4166), "-52.42");
        assert_eq!(fmt(11.0), "11");
        assert_eq!(fmt(0.000012), "1.20e-5");
        assert_eq!(pct(4.0 / 12.0), "33.33%");
        assert_eq!(fmt_range(&Range::new(2.0, 2.0)), "2");
        assert_eq!(fmt_range(&Range::new(1.0, 2.5)), "1 to 2.5");
        assert_eq!(fmt_p_range(&Range::new(1e-9, 2e-6)), "below 2.00e-6");
        assert_eq!(describe_sd_range(&Range::new(0.0, 3.0)), "at most 3");
        assert_eq!(
            describe_sd_range(&Range::new(3.0, f64::INFINITY)),
            "at least 3"
        );
    }
}
