//! Kaplan–Meier estimate as R's `survfit(Surv(time, event) ~ 1)` (survival 3.5, defaults):
//! one step per distinct time (events and censorings), Greenwood's variance of the cumulative
//! hazard, the log-transformed interval `S·exp(±z·se)` capped at 1 (`conf.type = "log"`; or,
//! with [`ConfType::LogLog`], R's `conf.type = "log-log"`, which is SAS PROC LIFETEST's default
//! `CONFTYPE=LOGLOG`: `S^exp(∓z·se/log S)`, none where S is 0 or 1),
//! quantiles by R's `quantile.survfit` (the `findq` rule: the first time the curve reaches
//! 1 − p, the mid-point of a flat stretch lying exactly at 1 − p) and their Brookmeyer–Crowley
//! intervals read off the confidence band the same way.

use super::{order_by_time, validate, z_for, SurvivalError};

/// R's `quantile.survfit` tolerance: `sqrt(.Machine$double.eps)`.
const QUANTILE_TOL: f64 = 1.490_116_119_384_765_6e-8;

/// One distinct time of the curve.
#[derive(Debug, Clone, PartialEq)]
pub struct KmStep {
    pub time: f64,
    pub n_risk: usize,
    pub n_event: usize,
    pub n_censor: usize,
    /// S(t) just after `time`.
    pub surv: f64,
    /// Greenwood standard error of the cumulative hazard (R's `survfit()$std.err`); infinite
    /// once the curve has reached 0.
    pub se_log: f64,
    /// Lower and upper confidence limits (log transform); `None` once the curve is 0 (R: NA).
    pub lower: Option<f64>,
    pub upper: Option<f64>,
}

impl KmStep {
    /// Standard error of S(t) (R's `summary(fit)$std.err`): S · se_log; `None` when S = 0.
    pub fn se_surv(&self) -> Option<f64> {
        (self.surv > 0.0).then_some(self.surv * self.se_log)
    }
}

/// A Kaplan–Meier curve.
#[derive(Debug, Clone, PartialEq)]
pub struct KaplanMeier {
    pub steps: Vec<KmStep>,
    pub n: usize,
    pub events: usize,
    pub conf_level: f64,
}

/// The time by which a share `prob` has had the event, with its interval; `None` where the
/// curve (or its band) does not reach 1 − prob ("not reached").
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KmQuantile {
    pub prob: f64,
    pub estimate: Option<f64>,
    pub lower: Option<f64>,
    pub upper: Option<f64>,
}

/// S(t) at a requested time, as `summary(fit, times = t)`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SurvivalAt {
    pub time: f64,
    pub n_risk: usize,
    pub surv: f64,
    /// Greenwood SE of S(t); `None` when S(t) = 0.
    pub se: Option<f64>,
    pub lower: Option<f64>,
    pub upper: Option<f64>,
}

/// The transformation under which the pointwise interval of S(t) is symmetric.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ConfType {
    /// log S (R `survfit`'s default `conf.type = "log"`), upper limit capped at 1.
    #[default]
    Log,
    /// log(−log S) (R `conf.type = "log-log"`; SAS PROC LIFETEST's default `CONFTYPE=LOGLOG`,
    /// "Pointwise Confidence Limits in the OUTSURV= Data Set":
    /// https://support.sas.com/documentation/cdl/en/statug/68162/HTML/default/statug_lifetest_details08.htm).
    LogLog,
}

impl ConfType {
    /// The limits of S from `surv` and the standard error of the cumulative hazard `se_log`,
    /// as R's `survfit_confint`; None where R gives NA.
    fn limits(self, surv: f64, se_log: f64, z: f64) -> (Option<f64>, Option<f64>) {
        if !(surv > 0.0 && se_log.is_finite()) {
            return (None, None);
        }
        match self {
            ConfType::Log => (
                Some(surv * (-z * se_log).exp()),
                Some((surv * (z * se_log).exp()).min(1.0)),
            ),
            ConfType::LogLog => {
                if surv >= 1.0 {
                    return (None, None);
                }
                let (l, g) = (surv.ln(), (-surv.ln()).ln());
                let half = z * se_log / l;
                (
                    Some((-(g - half).exp()).exp()),
                    Some((-(g + half).exp()).exp()),
                )
            }
        }
    }
}

/// The Kaplan–Meier curve of `time` (≥ 0, finite) with `event` (true = event, false = censored).
pub fn kaplan_meier(
    time: &[f64],
    event: &[bool],
    conf_level: f64,
) -> Result<KaplanMeier, SurvivalError> {
    kaplan_meier_with(time, event, conf_level, ConfType::Log)
}

/// [`kaplan_meier`] with the pointwise interval under `conf_type`.
pub fn kaplan_meier_with(
    time: &[f64],
    event: &[bool],
    conf_level: f64,
    conf_type: ConfType,
) -> Result<KaplanMeier, SurvivalError> {
    validate(time, event)?;
    let z = z_for(conf_level);
    let order = order_by_time(time);
    let n = time.len();
    let mut steps = Vec::new();
    let (mut surv, mut var_hazard) = (1.0_f64, 0.0_f64);
    let mut at_risk = n;
    let mut i = 0;
    let mut events = 0;
    while i < n {
        let t = time[order[i]];
        let (mut d, mut c) = (0, 0);
        while i < n && time[order[i]] == t {
            if event[order[i]] {
                d += 1;
            } else {
                c += 1;
            }
            i += 1;
        }
        if d > 0 {
            let (nr, df) = (at_risk as f64, d as f64);
            surv *= (nr - df) / nr;
            // Greenwood: Σ d / (n (n − d)); infinite when everyone at risk has the event.
            var_hazard += if d < at_risk {
                df / (nr * (nr - df))
            } else {
                f64::INFINITY
            };
        }
        let se_log = var_hazard.sqrt();
        let (lower, upper) = conf_type.limits(surv, se_log, z);
        steps.push(KmStep {
            time: t,
            n_risk: at_risk,
            n_event: d,
            n_censor: c,
            surv,
            se_log,
            lower,
            upper,
        });
        events += d;
        at_risk -= d + c;
    }
    Ok(KaplanMeier {
        steps,
        n,
        events,
        conf_level,
    })
}

impl KaplanMeier {
    /// Quantile `prob` (0.5 = median) with its Brookmeyer–Crowley interval, as
    /// `quantile(survfit(...), prob)`.
    pub fn quantile(&self, prob: f64) -> KmQuantile {
        let x: Vec<f64> = std::iter::once(0.0)
            .chain(self.steps.iter().map(|s| s.time))
            .collect();
        let curve = |f: &dyn Fn(&KmStep) -> Option<f64>| -> Vec<Option<f64>> {
            std::iter::once(Some(0.0))
                .chain(self.steps.iter().map(|s| f(s).map(|v| 1.0 - v)))
                .collect()
        };
        let est = curve(&|s| Some(s.surv));
        // The lower band reaches 1 − p first: it gives the lower limit of the time.
        let from_lower = curve(&|s| s.lower);
        let from_upper = curve(&|s| s.upper);
        KmQuantile {
            prob,
            estimate: findq(&x, &est, prob),
            lower: findq(&x, &from_lower, prob),
            upper: findq(&x, &from_upper, prob),
        }
    }

    /// S(t) at `t` as `summary(fit, times = t, extend = FALSE)`: the last step at or before `t`;
    /// `None` beyond the last observed time (R leaves such times out).
    pub fn at(&self, t: f64) -> Option<SurvivalAt> {
        let last = self.steps.last()?;
        if t > last.time || t.is_nan() {
            return None;
        }
        let k = self.steps.partition_point(|s| s.time <= t);
        if k == 0 {
            return Some(SurvivalAt {
                time: t,
                n_risk: self.n,
                surv: 1.0,
                se: Some(0.0),
                lower: Some(1.0),
                upper: Some(1.0),
            });
        }
        let s = &self.steps[k - 1];
        // Patients at risk at t: those whose time is ≥ t.
        let n_risk = self.steps[k - 1..]
            .iter()
            .filter(|x| x.time >= t)
            .map(|x| x.n_risk)
            .next()
            .unwrap_or(s.n_risk - s.n_event - s.n_censor);
        Some(SurvivalAt {
            time: t,
            n_risk,
            surv: s.surv,
            se: s.se_surv(),
            lower: s.lower,
            upper: s.upper,
        })
    }
}

/// R's `survival:::findq(x, y, p, tol)` for one `p`: `y` is 1 − S (non-decreasing, `None` for
/// R's NA). Duplicated `y` values keep their first time; the quantile is the mean of the first
/// times where y + tol ≥ p and y − tol ≥ p (so a flat stretch at exactly 1 − p gives its
/// mid-point), and at the last distinct value the mid-point with the last time.
fn findq(x: &[f64], y: &[Option<f64>], p: f64) -> Option<f64> {
    let max_y = y.iter().flatten().fold(f64::NEG_INFINITY, |a, &b| a.max(b));
    if max_y < p {
        return None;
    }
    let xmax = *x.last()?;
    // duplicated(y): keep the first of each value (NA counts as a value).
    let mut seen = std::collections::HashSet::with_capacity(x.len());
    let kept: Vec<(f64, Option<f64>)> = x
        .iter()
        .zip(y)
        .filter(|&(_, &yi)| seen.insert(yi.map(f64::to_bits)))
        .map(|(&xi, &yi)| (xi, yi))
        .collect();
    // approx(y ± tol, 1:n, p, method = "constant", f = 1): the knot with the smallest value at
    // or above p (approx sorts its knots; the band need not be monotone), NA outside the knots'
    // range (NA knots dropped).
    let first_at_or_above = |shift: f64| -> Option<usize> {
        let knots = kept
            .iter()
            .enumerate()
            .filter_map(|(i, &(_, v))| v.map(|v| (i, v + shift)));
        let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
        let mut best: Option<(usize, f64)> = None;
        for (i, v) in knots {
            lo = lo.min(v);
            hi = hi.max(v);
            if v >= p && best.is_none_or(|(_, b)| v < b) {
                best = Some((i, v));
            }
        }
        if p < lo || p > hi {
            return None;
        }
        best.map(|(i, _)| i)
    };
    let i1 = first_at_or_above(QUANTILE_TOL);
    let i2 = first_at_or_above(-QUANTILE_TOL);
    if p == 0.0 {
        return Some(kept[0].0);
    }
    if let (Some(Some(last)), Some(i1)) = (kept.last().map(|k| k.1), i1) {
        if (p - last).abs() < QUANTILE_TOL {
            return Some((kept[i1].0 + xmax) / 2.0);
        }
    }
    Some((kept[i1?].0 + kept[i2?].0) / 2.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    // R: survfit(Surv(c(1,2,2,3,4,4), c(1,1,0,1,1,1)) ~ 1), /tmp/edge.R in the commit message
    #[test]
    fn curve_reaching_zero_as_r() {
        let km = kaplan_meier(
            &[1.0, 2.0, 2.0, 3.0, 4.0, 4.0],
            &[true, true, false, true, true, true],
            0.95,
        )
        .unwrap();
        assert_eq!(km.steps.len(), 4);
        let s = &km.steps[3];
        assert_eq!((s.surv, s.lower, s.upper), (0.0, None, None));
        assert!((km.steps[2].se_log - 0.5).abs() < 1e-15);
        let q = |p| {
            let q = km.quantile(p);
            (q.estimate, q.lower, q.upper)
        };
        assert_eq!(q(0.25), (Some(2.0), Some(1.0), None));
        assert_eq!(q(0.5), (Some(3.0), Some(2.0), None));
        assert_eq!(q(0.75), (Some(4.0), Some(3.0), None));
        // all events, no ties: quantiles at mid-points of flat stretches at exactly 1 − p
        let km = kaplan_meier(&[1.0, 2.0, 3.0, 4.0], &[true; 4], 0.95).unwrap();
        assert_eq!(km.quantile(0.5).estimate, Some(2.5));
        assert_eq!(km.quantile(0.25).estimate, Some(1.5));
        assert_eq!(km.quantile(0.75).lower, Some(2.0));
        // all censored: nothing reached
        let km = kaplan_meier(&[1.0, 2.0, 3.0, 4.0], &[false; 4], 0.95).unwrap();
        assert_eq!(
            km.quantile(0.5),
            KmQuantile {
                prob: 0.5,
                estimate: None,
                lower: None,
                upper: None
            }
        );
        assert_eq!(km.at(2.0).map(|a| a.surv), Some(1.0));
        assert_eq!(km.at(5.0), None);
    }

    #[test]
    fn bad_times_are_errors_not_panics() {
        assert!(matches!(
            kaplan_meier(&[1.0, -2.0], &[true, false], 0.95),
            Err(SurvivalError::BadTime { index: 1, .. })
        ));
        assert!(kaplan_meier(&[f64::NAN], &[true], 0.95).is_err());
        assert!(kaplan_meier(&[1.0], &[true, false], 0.95).is_err());
        let empty = kaplan_meier(&[], &[], 0.95).unwrap();
        assert_eq!(empty.quantile(0.5).estimate, None);
        assert_eq!(empty.at(1.0), None);
    }
}
