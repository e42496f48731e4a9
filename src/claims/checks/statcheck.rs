//! statcheck: p recomputed from a reported test statistic.

use super::*;
use crate::stats::granularity;

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
        ck.fail(format!(
            "cannot check: the {} statistic {} is out of range",
            st.name, st.value
        ));
        return;
    };
    let pr = Range::new(p_lo, p_hi);
    if rec.p.is_none() {
        rec.p = Some(pr);
    }
    if let (Some(rp), true) = (&c.p, true) {
        if rp.admits_range(pr.low, pr.high, c.alpha) {
            ck.pass(format!(
                "statcheck: {}({}) = {} gives p {}, as reported ({})",
                st.name,
                fmt(df),
                st.value,
                fmt_p_range(&pr),
                rp.describe()
            ));
        } else {
            let one_sided = Range::new(pr.low / 2.0, pr.high / 2.0);
            let one_ok = matches!(kind, StatKind::T { .. } | StatKind::Z)
                && rp.admits_range(one_sided.low, one_sided.high, c.alpha);
            if one_ok {
                ck.pass(format!(
                    "statcheck: {}({}) = {} gives two-sided p {}; the reported {} is the one-sided p",
                    st.name,
                    fmt(df),
                    st.value,
                    fmt_p_range(&pr),
                    rp.describe()
                ));
            } else {
                let decision = match rp.significant(c.alpha) {
                    Some(true) if pr.low >= c.alpha => {
                        " — a decision error: reported significant, recomputed not"
                    }
                    Some(false) if pr.high < c.alpha => {
                        " — a decision error: reported not significant, recomputed significant"
                    }
                    _ => "",
                };
                ck.fail(format!(
                    "statcheck: {}({}) = {} gives p {}, but {} is reported{decision}",
                    st.name,
                    fmt(df),
                    st.value,
                    fmt_p_range(&pr),
                    rp.describe()
                ));
            }
        }
    }
    if let (Some(expected), "t", Some(d)) = (df_expected, name.as_str(), st.df) {
        if (expected - d).abs() > 1e-9 {
            ck.fail(format!(
                "the t statistic has df = {} but n implies {} (Student df; a Welch df would be fractional)",
                fmt(d),
                fmt(expected)
            ));
        }
    }
    if let (Some(tf), "t") = (t_from_figures, name.as_str()) {
        let rep = Range::new(s0.abs().min(s1.abs()), s0.abs().max(s1.abs()));
        if tf.intersect(&rep).is_some() {
            ck.pass(format!(
                "the estimate and interval give |t| {}, reported {}",
                fmt_range(&tf),
                st.value
            ));
        } else {
            ck.fail(format!(
                "the estimate and interval give |t| {}, but t = {} is reported",
                fmt_range(&tf),
                st.value
            ));
        }
    }
}
