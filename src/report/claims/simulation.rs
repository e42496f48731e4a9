//! What `simulate` prints for people: why the last candidate cohort was turned down, and the
//! spread of the kept cohorts. Lays out; computes nothing (the spread is
//! `claims::simulate::cohort_spread`).

use super::reason;
use crate::claims::simulate::{CellSpread, Rejection};

/// Why the last candidate was turned down, in one line.
pub fn rejection_text(r: Option<&Rejection>) -> String {
    match r {
        None => String::new(),
        Some(Rejection::Repeated) => "the search repeated an earlier cohort".into(),
        Some(Rejection::NotReproduced(failed)) => failed
            .iter()
            .map(|c| format!("{}: {}", c.claim.id, reason(c)))
            .collect::<Vec<_>>()
            .join("; "),
    }
}

/// `lo – hi` at `d` decimals, or one number when both round alike.
fn span(v: &[f64], d: usize) -> String {
    let lo = v.iter().cloned().fold(f64::INFINITY, f64::min);
    let hi = v.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    if (hi - lo).abs() < 0.5 * 10f64.powi(-(d as i32)) {
        format!("{lo:.d$}")
    } else {
        format!("{lo:.d$} – {hi:.d$}")
    }
}

/// How much `cohorts` cohorts vary in what the claims do not pin down, one line per cell.
pub fn render_spread(cohorts: usize, cells: &[CellSpread]) -> String {
    let mut s =
        format!("\nacross {cohorts} cohort(s), per claimed endpoint · arm · visit (min – max):\n");
    s.push_str(&format!(
        "{:<34} {:>17} {:>17} {:>17} {:>9} {:>9} {:>9}\n",
        "endpoint · arm · visit",
        "mean % change",
        "SD % change",
        "median % change",
        "resp50",
        "resp75",
        "cleared"
    ));
    for c in cells {
        s.push_str(&format!(
            "{:<34} {:>17} {:>17} {:>17} {:>9} {:>9} {:>9}\n",
            format!("{} · {} · {}", c.endpoint, c.arm, c.visit),
            span(&c.mean_pct_change, 2),
            span(&c.sd_pct_change, 2),
            span(&c.median_pct_change, 2),
            span(&c.responders50, 0),
            span(&c.responders75, 0),
            span(&c.cleared, 0)
        ));
    }
    s
}
