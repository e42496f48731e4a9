//! The Jeffreys interval of a proportion (rows `{resp}_rate/jeffreys`) against R's `qbeta`:
//! tests/reference/jeffreys_reference.R. Beta quantiles come out of an iteration (ours and R's
//! `qbeta`), hence the root tolerance rather than the closed-form one.

mod common;

use common::{close, TOL_ROOT};
use trialstat::stats::proportion::jeffreys;

#[test]
fn jeffreys_interval_matches_r_qbeta() {
    let text = std::fs::read_to_string("tests/reference/jeffreys_reference.csv").unwrap();
    let mut checked = 0;
    for line in text.lines().skip(1) {
        let f: Vec<f64> = line.split(',').map(|x| x.parse().unwrap()).collect();
        let (k, n, cl, lower, upper) = (f[0] as usize, f[1] as usize, f[2], f[3], f[4]);
        let r = jeffreys(k, n, cl, "rate");
        let ci = r.interval.expect("an interval");
        let e = r.estimate.expect("an estimate").value;
        assert_eq!(e, k as f64 / n as f64);
        assert!(
            close(ci.lower, lower, TOL_ROOT),
            "{k}/{n} at {cl}: lower {} vs R {lower}",
            ci.lower
        );
        assert!(
            close(ci.upper, upper, TOL_ROOT),
            "{k}/{n} at {cl}: upper {} vs R {upper}",
            ci.upper
        );
        assert!(ci.lower <= e && e <= ci.upper);
        checked += 1;
    }
    assert!(checked >= 16, "{checked}");
}

#[test]
fn jeffreys_rows_are_emitted_beside_clopper_pearson() {
    let (code, out, err) = common::run_trialstat(&[
        "analyze",
        "data/tofacitinib_case_series.csv",
        "--format",
        "csv",
    ]);
    assert_eq!(code, 0, "{err}");
    let rows = |method: &str| {
        out.lines()
            .filter(|l| l.contains(&format!("_rate,{method},")))
            .count()
    };
    assert!(rows("jeffreys") > 0);
    assert_eq!(rows("jeffreys"), rows("clopper_pearson"));
}
