//! Standardised effect sizes with noncentral-t intervals.

use super::descriptive::SampleMoments;
use super::noncentral_t::ncp_interval;
use super::result::{
    Alternative, ConfidenceInterval, DegreesOfFreedom, DfMethod, Diagnostic, Estimate,
    IntervalMethod, Statistic, TestResult,
};

/// Cohen's d_z for paired data: mean of the changes / SD of the changes, sign kept.
///
/// The interval inverts the noncentral t distribution of t = d_z √n with n − 1 df
/// (Steiger & Fouladi 1997; as `effectsize::cohens_d(x, mu = 0)` / `repeated_measures_d(method = "z")`,
/// which solve the same equations by Nelder–Mead to about 1e-4).
/// The statistic is that t and df its degrees of freedom; no p-value is given (it is the
/// paired t test's).
pub fn cohen_dz(changes: &[f64], conf_level: f64) -> TestResult {
    cohen_dz_from(&SampleMoments::of(changes), conf_level)
}

/// [`cohen_dz`] from the changes' moments.
pub fn cohen_dz_from(changes: &SampleMoments, conf_level: f64) -> TestResult {
    let n = changes.n;
    let mut out = TestResult::empty(n, Alternative::TwoSided);
    let (Some(m), Some(s)) = (changes.mean, changes.sd()) else {
        out.diagnostics
            .push(Diagnostic::TooFewObservations { n, required: 2 });
        return out;
    };
    if s == 0.0 || s < 10.0 * f64::EPSILON * m.abs() {
        out.diagnostics.push(Diagnostic::ZeroVariance);
        return out;
    }
    let dz = m / s;
    let root_n = (n as f64).sqrt();
    let t = dz * root_n;
    let df = n as f64 - 1.0;
    out.estimate = Some(Estimate {
        label: "cohen_dz",
        value: dz,
    });
    out.statistic = Some(Statistic {
        name: "t",
        value: t,
    });
    out.df = Some(DegreesOfFreedom {
        value: df,
        method: DfMethod::NMinusOne,
    });
    match ncp_interval(t, df, conf_level) {
        Some((lo, hi)) => {
            out.interval = Some(ConfidenceInterval {
                lower: lo / root_n,
                upper: hi / root_n,
                level: conf_level,
                method: IntervalMethod::NoncentralT,
            })
        }
        None => out.diagnostics.push(Diagnostic::NonConvergence {
            routine: "noncentral t inversion",
        }),
    }
    out
}

/// Hedges' g for two independent samples: (mean(x) − mean(y)) / pooled SD, times the exact
/// small-sample correction J = Γ(df/2) / (√(df/2) Γ((df − 1)/2)), df = nx + ny − 2. The
/// interval inverts the noncentral t of t = d / √(1/nx + 1/ny) and is scaled by J, as
/// `effectsize::hedges_g(x, y)`.
pub fn hedges_g(x: &[f64], y: &[f64], conf_level: f64) -> TestResult {
    hedges_g_from(&SampleMoments::of(x), &SampleMoments::of(y), conf_level)
}

/// [`hedges_g`] from the samples' moments.
pub fn hedges_g_from(x: &SampleMoments, y: &SampleMoments, conf_level: f64) -> TestResult {
    let (nx, ny) = (x.n, y.n);
    let mut out = TestResult::empty(nx + ny, Alternative::TwoSided);
    let (Some(mx), Some(my), Some(sx), Some(sy)) = (x.mean, y.mean, x.sd(), y.sd()) else {
        out.diagnostics.push(Diagnostic::TooFewObservations {
            n: nx.min(ny),
            required: 2,
        });
        return out;
    };
    let (nxf, nyf) = (nx as f64, ny as f64);
    let df = nxf + nyf - 2.0;
    let pooled = (((nxf - 1.0) * sx * sx + (nyf - 1.0) * sy * sy) / df).sqrt();
    if pooled == 0.0 || pooled < 10.0 * f64::EPSILON * mx.abs().max(my.abs()) {
        out.diagnostics.push(Diagnostic::ZeroVariance);
        return out;
    }
    let d = (mx - my) / pooled;
    let hn = (1.0 / nxf + 1.0 / nyf).sqrt();
    let t = d / hn;
    let j = (statrs::function::gamma::ln_gamma(df / 2.0)
        - (df / 2.0).sqrt().ln()
        - statrs::function::gamma::ln_gamma((df - 1.0) / 2.0))
    .exp();
    out.estimate = Some(Estimate {
        label: "hedges_g",
        value: d * j,
    });
    out.statistic = Some(Statistic {
        name: "t",
        value: t,
    });
    out.df = Some(DegreesOfFreedom {
        value: df,
        method: DfMethod::Pooled,
    });
    match ncp_interval(t, df, conf_level) {
        Some((lo, hi)) => {
            out.interval = Some(ConfidenceInterval {
                lower: lo * hn * j,
                upper: hi * hn * j,
                level: conf_level,
                method: IntervalMethod::NoncentralT,
            })
        }
        None => out.diagnostics.push(Diagnostic::NonConvergence {
            routine: "noncentral t inversion",
        }),
    }
    out
}

/// Hedges' J for `df` degrees of freedom: Γ(df/2) / (√(df/2) Γ((df − 1)/2)).
pub fn hedges_j(df: f64) -> f64 {
    use statrs::function::gamma::ln_gamma;
    (ln_gamma(df / 2.0) - (df / 2.0).sqrt().ln() - ln_gamma((df - 1.0) / 2.0)).exp()
}

/// Hedges' g_z: Cohen's d_z × J(n − 1), interval scaled likewise (as
/// `effectsize::hedges_g(x, y, paired = TRUE)`).
pub fn hedges_gz(changes: &[f64], conf_level: f64) -> TestResult {
    hedges_gz_from_dz(cohen_dz(changes, conf_level))
}

/// [`hedges_gz`] from the [`cohen_dz`] result.
pub fn hedges_gz_from_dz(dz: TestResult) -> TestResult {
    let mut out = dz;
    if let Some(df) = out.df.as_ref().map(|d| d.value) {
        let j = hedges_j(df);
        if let Some(e) = out.estimate.as_mut() {
            e.label = "hedges_gz";
            e.value *= j;
        }
        if let Some(ci) = out.interval.as_mut() {
            ci.lower *= j;
            ci.upper *= j;
        }
    }
    out
}

/// Which standardiser of a paired mean change (Lakens 2013).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PairedStandardiser {
    /// d_av: the average of the baseline and follow-up SDs.
    Average,
    /// d_rm: √(s_b² + s_f² − 2 r s_b s_f) × … / √(2(1 − r)), i.e. d_z × √(2(1 − r)).
    RepeatedMeasures,
}

/// d_av or d_rm with optional small-sample correction J(n − 1); no interval (no exact pivot
/// exists; the bootstrap gives one).
pub fn paired_d(
    baseline: &[f64],
    follow_up: &[f64],
    standardiser: PairedStandardiser,
    corrected: bool,
) -> TestResult {
    paired_d_from(
        &PairedMoments::new(baseline, follow_up),
        standardiser,
        corrected,
    )
}

/// What [`paired_d`] needs of the pairs, computed once for all four standardisers.
#[derive(Debug, Clone, Copy)]
pub struct PairedMoments {
    n: usize,
    /// Mean change and the SDs of baseline, follow-up and change; `None` below 2 pairs.
    moments: Option<(f64, f64, f64, f64)>,
}

impl PairedMoments {
    pub fn new(baseline: &[f64], follow_up: &[f64]) -> Self {
        let changes: Vec<f64> = baseline.iter().zip(follow_up).map(|(b, f)| f - b).collect();
        Self::from_moments(
            &SampleMoments::of(baseline),
            &SampleMoments::of(follow_up),
            &SampleMoments::of(&changes),
        )
    }

    /// From the moments of the baselines, the follow-up values and the changes.
    pub fn from_moments(
        baseline: &SampleMoments,
        follow_up: &SampleMoments,
        changes: &SampleMoments,
    ) -> Self {
        let moments = match (changes.mean, baseline.sd(), follow_up.sd(), changes.sd()) {
            (Some(m), Some(sb), Some(sf), Some(sc)) => Some((m, sb, sf, sc)),
            _ => None,
        };
        PairedMoments {
            n: baseline.n,
            moments,
        }
    }
}

/// [`paired_d`] from moments computed once.
pub fn paired_d_from(
    moments: &PairedMoments,
    standardiser: PairedStandardiser,
    corrected: bool,
) -> TestResult {
    let n = moments.n;
    let mut out = TestResult::empty(n, Alternative::TwoSided);
    let Some((m, sb, sf, sd_change)) = moments.moments else {
        out.diagnostics
            .push(Diagnostic::TooFewObservations { n, required: 2 });
        return out;
    };
    let d = match standardiser {
        PairedStandardiser::Average => m / ((sb + sf) / 2.0),
        PairedStandardiser::RepeatedMeasures => {
            if sb == 0.0 || sf == 0.0 {
                f64::NAN
            } else {
                // r from the variance of the change: s_d² = s_b² + s_f² − 2 r s_b s_f
                let r = (sb * sb + sf * sf - sd_change * sd_change) / (2.0 * sb * sf);
                m / sd_change * (2.0 * (1.0 - r)).sqrt()
            }
        }
    };
    if !d.is_finite() {
        out.diagnostics.push(Diagnostic::ZeroVariance);
        return out;
    }
    let j = if corrected {
        hedges_j(n as f64 - 1.0)
    } else {
        1.0
    };
    out.estimate = Some(Estimate {
        label: "standardised mean change",
        value: d * j,
    });
    out
}

/// Glass's delta: (mean(x) − mean(y)) / SD(y), the control arm's SD, with the noncentral-t
/// interval of `effectsize::glass_delta`.
pub fn glass_delta(x: &[f64], y: &[f64], conf_level: f64) -> TestResult {
    glass_delta_from(&SampleMoments::of(x), &SampleMoments::of(y), conf_level)
}

/// [`glass_delta`] from the samples' moments.
pub fn glass_delta_from(x: &SampleMoments, y: &SampleMoments, conf_level: f64) -> TestResult {
    let (nx, ny) = (x.n, y.n);
    let mut out = TestResult::empty(nx + ny, Alternative::TwoSided);
    let (Some(mx), Some(my), Some(sx), Some(sy)) = (x.mean, y.mean, x.sd(), y.sd()) else {
        out.diagnostics.push(Diagnostic::TooFewObservations {
            n: nx.min(ny),
            required: 2,
        });
        return out;
    };
    if sy == 0.0 {
        out.diagnostics.push(Diagnostic::ZeroVariance);
        return out;
    }
    let (n1, n2) = (nx as f64, ny as f64);
    let d = (mx - my) / sy;
    let hn = 1.0 / n2 + sx * sx / (n1 * sy * sy);
    let se = sy * hn.sqrt();
    let df = n2 - 1.0;
    let t = (mx - my) / se;
    out.estimate = Some(Estimate {
        label: "glass_delta",
        value: d,
    });
    out.statistic = Some(Statistic {
        name: "t",
        value: t,
    });
    out.df = Some(DegreesOfFreedom {
        value: df,
        method: DfMethod::NMinusOne,
    });
    match ncp_interval(t, df, conf_level) {
        Some((lo, hi)) => {
            out.interval = Some(ConfidenceInterval {
                lower: lo * hn.sqrt(),
                upper: hi * hn.sqrt(),
                level: conf_level,
                method: IntervalMethod::NoncentralT,
            })
        }
        None => out.diagnostics.push(Diagnostic::NonConvergence {
            routine: "noncentral t inversion",
        }),
    }
    out
}

/// tanh(atanh(r) ± z SE); at |r| = 1 both limits are r, as effectsize reports.
fn fisher_z_interval(r: f64, se: f64, conf_level: f64) -> ConfidenceInterval {
    let z = -super::distributions::norm_quantile((1.0 - conf_level) / 2.0);
    let rf = r.atanh();
    ConfidenceInterval {
        lower: (rf - z * se).tanh(),
        upper: (rf + z * se).tanh(),
        level: conf_level,
        method: IntervalMethod::FisherZ,
    }
}

/// Matched-pairs rank-biserial correlation of the changes (zeros dropped), with the normal
/// interval on Fisher's z scale, as `effectsize::rank_biserial(x)`.
pub fn rank_biserial_paired(changes: &[f64], conf_level: f64) -> TestResult {
    let nonzero: Vec<f64> = changes.iter().copied().filter(|v| *v != 0.0).collect();
    let nd = nonzero.len();
    let mut out = TestResult::empty(nd, Alternative::TwoSided);
    out.n_left_out = changes.len() - nd;
    if nd == 0 {
        out.diagnostics
            .push(Diagnostic::TooFewObservations { n: 0, required: 1 });
        return out;
    }
    let mut sorted = nonzero;
    sorted.sort_unstable_by(f64::total_cmp);
    // Ranks of |change| by a merge: u1 over the positive changes, u2 the rest (exact sums).
    let (u1, _) = super::rank::signed_rank_sum_sorted(&sorted);
    let ndf = nd as f64;
    let s = ndf * (ndf + 1.0) / 2.0;
    let u2 = s - u1;
    let r = (u1 - u2) / s;
    out.estimate = Some(Estimate {
        label: "rank_biserial",
        value: r,
    });
    let se = ((2.0 * ndf.powi(3) + 3.0 * ndf * ndf + ndf) / 6.0).sqrt() / s;
    out.interval = Some(fisher_z_interval(r, se, conf_level));
    out
}

/// Two-sample rank-biserial correlation, equal to Cliff's delta: P(X > Y) − P(X < Y) with ties
/// counted half, with the Fisher-z normal interval of `effectsize::rank_biserial(x, y)`.
pub fn rank_biserial_two_sample(x: &[f64], y: &[f64], conf_level: f64) -> TestResult {
    let (nx, ny) = (x.len(), y.len());
    let mut out = TestResult::empty(nx + ny, Alternative::TwoSided);
    if nx == 0 || ny == 0 {
        out.diagnostics.push(Diagnostic::TooFewObservations {
            n: nx.min(ny),
            required: 1,
        });
        return out;
    }
    let (mut xs, mut ys) = (x.to_vec(), y.to_vec());
    xs.sort_unstable_by(f64::total_cmp);
    ys.sort_unstable_by(f64::total_cmp);
    // Rank sums by a merge; the pooled total N(N + 1)/2 gives y's (exact: half-integers).
    let (rank_sum_x, _) = super::rank::pooled_rank_sum_sorted(&xs, &ys);
    let (n1, n2) = (nx as f64, ny as f64);
    let big_n = n1 + n2;
    let u1 = rank_sum_x - n1 * (n1 + 1.0) / 2.0;
    let u2 = (big_n * (big_n + 1.0) / 2.0 - rank_sum_x) - n2 * (n2 + 1.0) / 2.0;
    let r = (u1 - u2) / (n1 * n2);
    out.estimate = Some(Estimate {
        label: "rank_biserial",
        value: r,
    });
    out.interval = Some(fisher_z_interval(
        r,
        ((n1 + n2 + 1.0) / (3.0 * n1 * n2)).sqrt(),
        conf_level,
    ));
    out
}
