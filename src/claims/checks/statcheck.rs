//! statcheck: the p-value recomputed from a reported test statistic and its df (Nuijten et
//! al. 2016), the Student df that n implies, and |t| from the estimate and interval.

use super::{Checks, Recomputed};
use crate::claims::finding::{DecisionError, Failed, Passed, Statcheck, Unchecked};
use crate::claims::rounding::{Range, DF_TOLERANCE};
use crate::claims::schema::Claim;
use crate::stats::granularity::{self, StatKind};

/// statcheck: p recomputed from the reported statistic and df.
pub(crate) fn check_statistic(
    c: &Claim,
    t_from_figures: Option<Range>,
    df_expected: Option<f64>,
    ck: &mut Checks,
    rec: &mut Recomputed,
) {
    let Some(st) = &c.statistic else { return };
    let name = st.name.to_ascii_lowercase();
    let df = st.df.unwrap_or(f64::NAN);
    let kind = match name.as_str() {
        "t" => StatKind::T { df },
        "z" => StatKind::Z,
        "f" => StatKind::F {
            df1: df,
            df2: st.df2.unwrap_or(f64::NAN),
        },
        "chi2" => StatKind::Chi2 { df },
        _ => StatKind::R { df },
    };
    let (s0, s1) = st.value.bounds();
    let Some((p_lo, p_hi)) = granularity::p_range_from_statistic(kind, s0, s1) else {
        ck.cannot(Unchecked::StatisticOutOfRange {
            name: st.name.clone(),
            value: st.value.clone(),
        });
        return;
    };
    let pr = Range::new(p_lo, p_hi);
    if rec.p.is_none() {
        rec.p = Some(pr);
    }
    if let Some(rp) = &c.p {
        let statcheck = Statcheck {
            name: st.name.clone(),
            df,
            value: st.value.clone(),
            p: pr,
            reported: rp.clone(),
        };
        if rp.admits_range(pr.low, pr.high, c.alpha) {
            ck.pass(Passed::StatcheckAgrees(statcheck));
        } else {
            let one_sided = Range::new(pr.low / 2.0, pr.high / 2.0);
            let one_ok = matches!(kind, StatKind::T { .. } | StatKind::Z)
                && rp.admits_range(one_sided.low, one_sided.high, c.alpha);
            if one_ok {
                ck.pass(Passed::StatcheckOneSided(statcheck));
            } else {
                let decision_error = match rp.significant(c.alpha) {
                    Some(true) if pr.low >= c.alpha => Some(DecisionError::ReportedSignificant),
                    Some(false) if pr.high < c.alpha => Some(DecisionError::ReportedNotSignificant),
                    _ => None,
                };
                ck.fail(Failed::StatcheckDisagrees {
                    statcheck,
                    decision_error,
                });
            }
        }
    }
    if let (Some(expected), "t", Some(d)) = (df_expected, name.as_str(), st.df) {
        if (expected - d).abs() > DF_TOLERANCE {
            ck.fail(Failed::DfDisagrees {
                reported: d,
                implied: expected,
            });
        }
    }
    if let (Some(tf), "t") = (t_from_figures, name.as_str()) {
        let rep = Range::new(s0.abs().min(s1.abs()), s0.abs().max(s1.abs()));
        if tf.intersect(&rep).is_some() {
            ck.pass(Passed::TAgrees {
                implied: tf,
                reported: st.value.clone(),
            });
        } else {
            ck.fail(Failed::TDisagrees {
                implied: tf,
                reported: st.value.clone(),
            });
        }
    }
}
