//! One-sample (and paired, on the differences) t test and t interval, as R's `t.test`.

use super::distributions::StudentT;
use super::result::{
    Alternative, ConfidenceInterval, DegreesOfFreedom, DfMethod, Diagnostic, Estimate,
    IntervalMethod, PValueMethod, Statistic, TestResult,
};

/// One-sample t test of `mean(x) = mu` with a `conf_level` interval for the mean.
///
/// With n = 1 only the estimate is given; with zero variance the t statistic is undefined and
/// only the estimate is given, with [`Diagnostic::ZeroVariance`]. R's `t.test` stops with an
/// error in both cases.
pub fn one_sample_t(
    x: &[f64],
    mu: f64,
    conf_level: f64,
    alternative: Alternative,
    label: &'static str,
) -> TestResult {
    one_sample_t_from(&SampleMoments::of(x), mu, conf_level, alternative, label)
}

/// [`one_sample_t`] from the sample's moments.
pub fn one_sample_t_from(
    x: &SampleMoments,
    mu: f64,
    conf_level: f64,
    alternative: Alternative,
    label: &'static str,
) -> TestResult {
    let n = x.n;
    let mut out = TestResult::empty(n, alternative);
    let Some(m) = x.mean else {
        out.diagnostics
            .push(Diagnostic::TooFewObservations { n, required: 2 });
        return out;
    };
    out.estimate = Some(Estimate { label, value: m });
    let Some(s) = x.sd() else {
        out.diagnostics
            .push(Diagnostic::TooFewObservations { n, required: 2 });
        return out;
    };
    let df = n as f64 - 1.0;
    let se = s / (n as f64).sqrt();
    // R's t.test: "data are essentially constant" when stderr < 10 * eps * |mean|.
    if se == 0.0 || se < 10.0 * f64::EPSILON * m.abs() {
        out.diagnostics.push(Diagnostic::ZeroVariance);
        return out;
    }
    let t = (m - mu) / se;
    let dist = StudentT::new(df).expect("n ≥ 2 here, so df ≥ 1");
    // A NaN t or bound (from a variance that overflowed) is left for `TestResult::without_nan`.
    let (p, lower, upper) = match alternative {
        Alternative::TwoSided => {
            let q = dist.quantile(0.5 + conf_level / 2.0).unwrap_or(f64::NAN);
            (dist.sf(t.abs()).map(|p| 2.0 * p), m - q * se, m + q * se)
        }
        Alternative::Less => {
            let q = dist.quantile(conf_level).unwrap_or(f64::NAN);
            (dist.cdf(t), f64::NEG_INFINITY, m + q * se)
        }
        Alternative::Greater => {
            let q = dist.quantile(conf_level).unwrap_or(f64::NAN);
            (dist.sf(t), m - q * se, f64::INFINITY)
        }
    };
    out.statistic = Some(Statistic {
        name: "t",
        value: t,
    });
    out.df = Some(DegreesOfFreedom {
        value: df,
        method: DfMethod::NMinusOne,
    });
    out.p_value = p.map(|p| p.min(1.0));
    out.p_value_method = Some(PValueMethod::StudentT);
    out.interval = Some(ConfidenceInterval {
        lower,
        upper,
        level: conf_level,
        method: IntervalMethod::StudentT,
    });
    out
}

/// Two-sample t test of mean(x) − mean(y) = 0 with a `conf_level` interval for the difference:
/// Welch (`pooled = false`, R's default) or Student with pooled variance (`pooled = true`), as
/// R's `t.test(x, y, var.equal = pooled)`.
pub fn two_sample_t(
    x: &[f64],
    y: &[f64],
    conf_level: f64,
    pooled: bool,
    label: &'static str,
) -> TestResult {
    two_sample_t_from(
        &SampleMoments::of(x),
        &SampleMoments::of(y),
        conf_level,
        pooled,
        label,
    )
}

pub use super::descriptive::SampleMoments;

/// [`two_sample_t`] from the samples' moments.
pub fn two_sample_t_from(
    x: &SampleMoments,
    y: &SampleMoments,
    conf_level: f64,
    pooled: bool,
    label: &'static str,
) -> TestResult {
    let (nx, ny) = (x.n, y.n);
    let mut out = TestResult::empty(nx + ny, Alternative::TwoSided);
    let (Some(mx), Some(my)) = (x.mean, y.mean) else {
        out.diagnostics.push(Diagnostic::TooFewObservations {
            n: nx.min(ny),
            required: 2,
        });
        return out;
    };
    let diff = mx - my;
    out.estimate = Some(Estimate { label, value: diff });
    let (Some(sx), Some(sy)) = (x.sd(), y.sd()) else {
        out.diagnostics.push(Diagnostic::TooFewObservations {
            n: nx.min(ny),
            required: 2,
        });
        return out;
    };
    let (nxf, nyf) = (nx as f64, ny as f64);
    let (vx, vy) = (sx * sx, sy * sy);
    let (se, df, method) = if pooled {
        let df = nxf + nyf - 2.0;
        let v = ((nxf - 1.0) * vx + (nyf - 1.0) * vy) / df;
        ((v * (1.0 / nxf + 1.0 / nyf)).sqrt(), df, DfMethod::Pooled)
    } else {
        let (ax, ay) = (vx / nxf, vy / nyf);
        let se = (ax + ay).sqrt();
        let df = (ax + ay).powi(2) / (ax * ax / (nxf - 1.0) + ay * ay / (nyf - 1.0));
        (se, df, DfMethod::WelchSatterthwaite)
    };
    // R: "data are essentially constant"
    if se == 0.0 || se < 10.0 * f64::EPSILON * mx.abs().max(my.abs()) {
        out.diagnostics.push(Diagnostic::ZeroVariance);
        return out;
    }
    let t = diff / se;
    // Welch's df is NaN when both variances overflow (∞/∞): no t distribution, empty cells.
    let dist = StudentT::new(df);
    let q = dist
        .and_then(|d| d.quantile(0.5 + conf_level / 2.0))
        .unwrap_or(f64::NAN);
    out.statistic = Some(Statistic {
        name: "t",
        value: t,
    });
    out.df = Some(DegreesOfFreedom { value: df, method });
    out.p_value = dist.and_then(|d| d.sf(t.abs())).map(|p| (2.0 * p).min(1.0));
    out.p_value_method = Some(PValueMethod::StudentT);
    out.interval = Some(ConfidenceInterval {
        lower: diff - q * se,
        upper: diff + q * se,
        level: conf_level,
        method: IntervalMethod::StudentT,
    });
    out
}

/// Estimate ± t quantile × SE with `df` degrees of freedom, and the t test of estimate = 0:
/// for contrasts from a linear model.
pub fn t_from_estimate(
    estimate: f64,
    se: f64,
    df: f64,
    conf_level: f64,
    label: &'static str,
    test: bool,
) -> TestResult {
    let mut out = TestResult::empty(0, Alternative::TwoSided);
    out.estimate = Some(Estimate {
        label,
        value: estimate,
    });
    let dist = match StudentT::new(df) {
        Some(dist) if se > 0.0 => dist,
        _ => {
            out.diagnostics.push(Diagnostic::ZeroVariance);
            return out;
        }
    };
    let q = dist.quantile(0.5 + conf_level / 2.0).unwrap_or(f64::NAN);
    out.df = Some(DegreesOfFreedom {
        value: df,
        method: DfMethod::Residual,
    });
    out.interval = Some(ConfidenceInterval {
        lower: estimate - q * se,
        upper: estimate + q * se,
        level: conf_level,
        method: IntervalMethod::StudentT,
    });
    if test {
        let t = estimate / se;
        out.statistic = Some(Statistic {
            name: "t",
            value: t,
        });
        out.p_value = dist.sf(t.abs()).map(|p| (2.0 * p).min(1.0));
        out.p_value_method = Some(PValueMethod::StudentT);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn degenerate_inputs_do_not_panic() {
        let r = one_sample_t(&[], 0.0, 0.95, Alternative::TwoSided, "mean");
        assert!(r.estimate.is_none());
        let r = one_sample_t(&[3.0], 0.0, 0.95, Alternative::TwoSided, "mean");
        assert_eq!(r.estimate.unwrap().value, 3.0);
        assert!(r.p_value.is_none());
        let r = one_sample_t(&[2.0, 2.0, 2.0], 0.0, 0.95, Alternative::TwoSided, "mean");
        assert_eq!(r.diagnostics, vec![Diagnostic::ZeroVariance]);
        assert!(r.statistic.is_none());
    }
}
