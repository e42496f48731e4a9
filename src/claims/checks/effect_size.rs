//! Cohen's dz: dz × √n is the one-sample t, so a reported dz and n imply p and t.

use super::statcheck::check_statistic;
use super::{estimate_bounds, two_sided_p_range, Checks, Recomputed};
use crate::claims::finding::{Failed, Passed};
use crate::claims::rounding::Range;
use crate::claims::schema::{Claim, SampleSize};

pub(crate) fn check_dz(c: &Claim, ck: &mut Checks, rec: &mut Recomputed) {
    let (Some(e), Some(SampleSize::One(n))) = (estimate_bounds(c), c.n) else {
        return;
    };
    if n < 2 {
        return;
    }
    let sq = (n as f64).sqrt();
    let t = Range::new(e.low * sq, e.high * sq);
    rec.statistic = Some(t);
    let pr = two_sided_p_range(&t.abs(), (n - 1) as f64);
    rec.p = Some(pr);
    if let Some(rp) = &c.p {
        if rp.admits_range(pr.low, pr.high, c.alpha) {
            ck.pass(Passed::DzPAgrees {
                p: pr,
                reported: rp.clone(),
            });
        } else {
            ck.fail(Failed::DzPDisagrees {
                p: pr,
                reported: rp.clone(),
            });
        }
    }
    check_statistic(c, Some(t.abs()), Some((n - 1) as f64), ck, rec);
}
