//! How far a set of simulated values is from meeting one claim (0 = met): the cohort search's
//! objective. The distance to a reported number is [`Reported::miss`] (the rounding model).

use super::estimand::{is_rate_estimand, search_responder_threshold};
use super::reported::ReportedP;
use super::rounding::{RESPONDER_SLACK, TINY};
use super::schema::Claim;
use crate::stats::descriptive::{mean, sd};
use crate::stats::distributions::{t_quantile, t_sf};

fn qt2(conf: f64, df: f64) -> f64 {
    t_quantile(1.0 - (1.0 - conf) / 2.0, df)
}

fn p_miss(p: f64, rp: &ReportedP, alpha: f64) -> f64 {
    if rp.admits(p, alpha) {
        return 0.0;
    }
    let target = match rp {
        ReportedP::Equal(r) | ReportedP::Less(r) | ReportedP::Greater(r) => r.value.max(TINY),
        ReportedP::NotSignificant => alpha,
    };
    1.0 + (p.max(TINY).log10() - target.log10()).abs()
}

/// How far a set of values is from meeting one claim (0 = met).
pub(crate) fn violation(c: &Claim, base: &[f64], follow: &[f64], clear_value: f64) -> f64 {
    let n = base.len();
    let est = c.estimand.as_str();
    let mut v = 0.0;
    let series: Option<Vec<f64>> = match est {
        "mean_pct_change" => Some(
            base.iter()
                .zip(follow)
                .map(|(b, f)| 100.0 * (f - b) / b)
                .collect(),
        ),
        "mean_change" | "cohen_dz" => Some(base.iter().zip(follow).map(|(b, f)| f - b).collect()),
        "mean" | "sd" => Some(follow.to_vec()),
        _ => None,
    };
    if let Some(x) = series {
        let m = mean(&x).unwrap_or(0.0);
        let s = sd(&x).unwrap_or(0.0);
        let nf = n as f64;
        if est == "sd" {
            if let Some(e) = &c.estimate {
                v += e.miss(s, 1.0);
            }
            return v;
        }
        if est == "cohen_dz" {
            if let Some(e) = &c.estimate {
                v += e.miss(if s > 0.0 { m / s } else { 0.0 }, 1.0);
            }
            return v;
        }
        if let Some(e) = &c.estimate {
            v += e.miss(m, 1.0);
        }
        if let Some(r) = &c.sd {
            v += r.miss(s, 1.0);
        }
        if n >= 2 {
            let se = s / nf.sqrt();
            if let Some((lo, hi)) = &c.ci {
                let q = qt2(c.conf_level, nf - 1.0);
                v += lo.miss(m - q * se, 1.0) + hi.miss(m + q * se, 1.0);
            }
            if let Some(rp) = &c.p {
                let p = if se > 0.0 {
                    2.0 * t_sf((m / se).abs(), nf - 1.0)
                } else if m == 0.0 {
                    1.0
                } else {
                    0.0
                };
                v += p_miss(p, rp, c.alpha);
            }
        }
        return v;
    }
    if is_rate_estimand(est) {
        let k = if est == "clearance_rate" {
            follow.iter().filter(|&&f| f == clear_value).count()
        } else {
            let p = search_responder_threshold(est);
            let slack = RESPONDER_SLACK * p.max(1.0);
            base.iter()
                .zip(follow)
                .filter(|(b, f)| {
                    let pct = 100.0 * (**f - **b) / **b;
                    let improvement = if c.higher_is_better { pct } else { -pct };
                    improvement >= p - slack
                })
                .count()
        };
        if let Some(want) = c.k {
            v += 2.0 * (k as f64 - want as f64).abs();
        }
        if let Some(e) = &c.estimate {
            let scale = if e.percent || e.value > 1.0 {
                100.0
            } else {
                1.0
            };
            v += e.miss(k as f64 / n as f64 * scale, 1.0);
        }
    }
    v
}
