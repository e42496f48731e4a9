//! Percent change as a ratio: of the means (Fieller's interval and the delta method) and of the
//! geometric means (mean of log ratios with a t interval, back-transformed), for paired data.
//! Published "52% reduction" figures can mean any of these or the mean of the patients' percent
//! changes; each is labelled.

use super::descriptive::{covariance_about, mean, variance, SampleMoments};
use super::distributions::StudentT;
use super::result::{
    Alternative, ConfidenceInterval, DegreesOfFreedom, DfMethod, Diagnostic, Estimate,
    IntervalMethod, PValueMethod, Statistic, TestResult,
};

fn covariance(x: &[f64], y: &[f64]) -> Option<f64> {
    covariance_about(x, y, mean(x)?, mean(y)?)
}

/// Which interval for the ratio of means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RatioInterval {
    /// Fieller's theorem with the t quantile on n − 1 df.
    Fieller,
    /// Delta method: R ± t × SE(R), SE from the first-order expansion, t on n − 1 df.
    Delta,
}

/// 100 × (mean(follow-up) / mean(baseline) − 1) with an interval; no test.
pub fn ratio_of_means_pct(
    baseline: &[f64],
    follow_up: &[f64],
    conf_level: f64,
    interval: RatioInterval,
) -> TestResult {
    ratio_of_means_pct_from(
        &RatioMoments::new(baseline, follow_up),
        conf_level,
        interval,
    )
}

/// Means, variances and covariance of paired baseline and follow-up values, computed once for
/// both intervals of [`ratio_of_means_pct`].
#[derive(Debug, Clone, Copy)]
pub struct RatioMoments {
    n: usize,
    moments: Option<(f64, f64, f64, f64, f64)>,
}

impl RatioMoments {
    pub fn new(baseline: &[f64], follow_up: &[f64]) -> Self {
        let (b, f) = (SampleMoments::of(baseline), SampleMoments::of(follow_up));
        Self::from_moments(&b, &f, covariance(baseline, follow_up))
    }

    /// From the moments of the baselines and follow-up values and their covariance.
    pub fn from_moments(
        baseline: &SampleMoments,
        follow_up: &SampleMoments,
        covariance: Option<f64>,
    ) -> Self {
        let moments = match (
            baseline.mean,
            follow_up.mean,
            baseline.variance,
            follow_up.variance,
            covariance,
        ) {
            (Some(mb), Some(mf), Some(vb), Some(vf), Some(c)) => Some((mb, mf, vb, vf, c)),
            _ => None,
        };
        RatioMoments {
            n: baseline.n,
            moments,
        }
    }
}

/// [`ratio_of_means_pct`] from moments computed once.
pub fn ratio_of_means_pct_from(
    moments: &RatioMoments,
    conf_level: f64,
    interval: RatioInterval,
) -> TestResult {
    let n = moments.n;
    let mut out = TestResult::empty(n, Alternative::TwoSided);
    let Some((mb, mf, vb, vf, c)) = moments.moments else {
        out.diagnostics
            .push(Diagnostic::TooFewObservations { n, required: 2 });
        return out;
    };
    if mb == 0.0 {
        out.diagnostics
            .push(Diagnostic::TooFewObservations { n, required: 2 });
        return out;
    }
    let nf = n as f64;
    let (vb, vf, c) = (vb / nf, vf / nf, c / nf); // variances of the means
    let r = mf / mb;
    out.estimate = Some(Estimate {
        label: "percent change of the means",
        value: 100.0 * (r - 1.0),
    });
    let df = nf - 1.0;
    let t = StudentT::new(df)
        .and_then(|d| d.quantile(0.5 + conf_level / 2.0))
        .unwrap_or(f64::NAN);
    out.df = Some(DegreesOfFreedom {
        value: df,
        method: DfMethod::NMinusOne,
    });
    let bounds = match interval {
        RatioInterval::Delta => {
            let se = ((vf - 2.0 * r * c + r * r * vb).max(0.0)).sqrt() / mb.abs();
            Some((r - t * se, r + t * se))
        }
        RatioInterval::Fieller => {
            // (mf − θ mb)² = t² (vf − 2θ c + θ² vb)  ⇔  a θ² + b θ + c0 = 0
            let t2 = t * t;
            let a = mb * mb - t2 * vb;
            let b = -2.0 * (mf * mb - t2 * c);
            let c0 = mf * mf - t2 * vf;
            let disc = b * b - 4.0 * a * c0;
            if a <= 0.0 || disc < 0.0 {
                out.diagnostics.push(Diagnostic::UnboundedInterval);
                None
            } else {
                let s = disc.sqrt();
                Some(((-b - s) / (2.0 * a), (-b + s) / (2.0 * a)))
            }
        }
    };
    if let Some((lo, hi)) = bounds {
        out.interval = Some(ConfidenceInterval {
            lower: 100.0 * (lo - 1.0),
            upper: 100.0 * (hi - 1.0),
            level: conf_level,
            method: match interval {
                RatioInterval::Fieller => IntervalMethod::Fieller,
                RatioInterval::Delta => IntervalMethod::DeltaMethod,
            },
        });
    }
    out
}

/// 100 × (exp(mean log(f/b)) − 1) with the back-transformed t interval and the t test of the
/// mean log ratio against 0. Pairs with a zero or negative value have no log ratio and are left
/// out (counted in `n_left_out`).
pub fn geometric_mean_pct(baseline: &[f64], follow_up: &[f64], conf_level: f64) -> TestResult {
    let logs: Vec<f64> = baseline
        .iter()
        .zip(follow_up)
        .filter(|(b, f)| **b > 0.0 && **f > 0.0)
        .map(|(b, f)| (f / b).ln())
        .collect();
    let n = logs.len();
    let mut out = TestResult::empty(n, Alternative::TwoSided);
    out.n_left_out = baseline.len() - n;
    if out.n_left_out > 0 {
        out.diagnostics.push(Diagnostic::NonPositiveLeftOut {
            count: out.n_left_out,
        });
    }
    let Some(m) = mean(&logs) else {
        out.diagnostics
            .push(Diagnostic::TooFewObservations { n, required: 2 });
        return out;
    };
    out.estimate = Some(Estimate {
        label: "geometric mean percent change",
        value: 100.0 * m.exp_m1(),
    });
    let Some(v) = variance(&logs) else {
        out.diagnostics
            .push(Diagnostic::TooFewObservations { n, required: 2 });
        return out;
    };
    let se = (v / n as f64).sqrt();
    if se == 0.0 {
        out.diagnostics.push(Diagnostic::ZeroVariance);
        return out;
    }
    let df = n as f64 - 1.0;
    let dist = StudentT::new(df).expect("n ≥ 2 here, so df ≥ 1");
    let q = dist.quantile(0.5 + conf_level / 2.0).unwrap_or(f64::NAN);
    let t = m / se;
    out.statistic = Some(Statistic {
        name: "t",
        value: t,
    });
    out.df = Some(DegreesOfFreedom {
        value: df,
        method: DfMethod::NMinusOne,
    });
    out.p_value = dist.sf(t.abs()).map(|p| (2.0 * p).min(1.0));
    out.p_value_method = Some(PValueMethod::StudentT);
    out.interval = Some(ConfidenceInterval {
        lower: 100.0 * (m - q * se).exp_m1(),
        upper: 100.0 * (m + q * se).exp_m1(),
        level: conf_level,
        method: IntervalMethod::LogT,
    });
    out
}
