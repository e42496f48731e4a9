//! Rates: k of n, exact and Wilson intervals, unknown n.

use super::*;

pub(crate) fn check_rate(c: &Claim, ck: &mut Checks, rec: &mut Recomputed, by_n: &mut Vec<AtN>) {
    let e = estimate_bounds(c);
    match (c.k, c.n) {
        (Some(k), Some(SampleSize::One(n))) => {
            let share = k as f64 / n as f64;
            rec.estimate = Some(Range::new(share, share));
            if let Some(e) = e {
                if e.intersect(&Range::new(share, share)).is_some() {
                    ck.pass(format!(
                        "{k}/{n} = {} rounds to the reported {}",
                        pct(share),
                        c.estimate.as_ref().unwrap()
                    ));
                } else {
                    ck.fail(format!(
                        "{k}/{n} = {} does not round to the reported {}",
                        pct(share),
                        c.estimate.as_ref().unwrap()
                    ));
                }
            }
            let cp = proportion::clopper_pearson(k, n, c.conf_level, "rate");
            let (lo, hi) = cp
                .interval
                .map(|i| (i.lower, i.upper))
                .unwrap_or((0.0, 1.0));
            rec.ci = Some((lo, hi));
            match &c.ci {
                Some((rl, rh)) => {
                    let scale = if rl.percent || rh.percent || rh.value > 1.0 {
                        100.0
                    } else {
                        1.0
                    };
                    if rl.matches(lo * scale) && rh.matches(hi * scale) {
                        ck.pass(format!(
                            "{k}/{n}: the exact (Clopper–Pearson) interval {}–{} rounds to the reported one",
                            fmt(lo),
                            fmt(hi)
                        ));
                    } else if let Some((wl, wh)) = proportion::wilson(k, n, c.conf_level) {
                        if rl.matches(wl * scale) && rh.matches(wh * scale) {
                            ck.pass(format!(
                                "{k}/{n}: the reported interval is Wilson's score interval ({}–{}), not the exact one ({}–{})",
                                fmt(wl), fmt(wh), fmt(lo), fmt(hi)
                            ));
                        } else {
                            ck.fail(format!(
                                "{k}/{n}: the exact interval is {}–{} (Wilson {}–{}), but [{rl}, {rh}] is reported",
                                fmt(lo), fmt(hi), fmt(wl), fmt(wh)
                            ));
                        }
                    }
                }
                None => ck.pass(format!(
                    "{k}/{n} = {}: exact (Clopper–Pearson) {}% interval {} to {}",
                    pct(share),
                    fmt(c.conf_level * 100.0),
                    pct(lo),
                    pct(hi)
                )),
            }
        }
        (None, Some(SampleSize::One(n))) => {
            if let Some(e) = e {
                let ks: Vec<usize> = (0..=n)
                    .filter(|&k| {
                        e.intersect(&Range::new(k as f64 / n as f64, k as f64 / n as f64))
                            .is_some()
                    })
                    .collect();
                if ks.is_empty() {
                    ck.fail(format!(
                        "GRIM: no k of n = {n} gives a share that rounds to {}",
                        c.estimate.as_ref().unwrap()
                    ));
                } else {
                    ck.pass(format!(
                        "GRIM: {} of {n} round to {}",
                        ks.iter()
                            .map(|k| k.to_string())
                            .collect::<Vec<_>>()
                            .join(" or "),
                        c.estimate.as_ref().unwrap()
                    ));
                    if ks.len() == 1 {
                        let cp = proportion::clopper_pearson(ks[0], n, c.conf_level, "rate");
                        rec.ci = cp.interval.map(|i| (i.lower, i.upper));
                    }
                }
            }
        }
        (k, None) => {
            let Some(e) = e else { return };
            let mut ns = Vec::new();
            for n in 1..=100usize {
                let ks: Vec<usize> = (0..=n)
                    .filter(|&kk| k.is_none_or(|k| k == kk))
                    .filter(|&kk| {
                        e.intersect(&Range::new(kk as f64 / n as f64, kk as f64 / n as f64))
                            .is_some()
                    })
                    .collect();
                let holds = !ks.is_empty();
                if holds {
                    ns.push(n);
                }
                by_n.push(AtN {
                    n,
                    holds,
                    sd: None,
                    p: None,
                    k: ks,
                });
            }
            if ns.is_empty() {
                ck.fail(format!(
                    "no k of n ≤ 100 gives a share that rounds to {}",
                    c.estimate.as_ref().unwrap()
                ));
            } else {
                rec.n_range = Some((ns[0], *ns.last().unwrap()));
                let shown: Vec<String> = ns.iter().take(8).map(|n| n.to_string()).collect();
                ck.pass(format!(
                    "n is not reported: {} of n ≤ 100 give the reported share (n = {}{})",
                    ns.len(),
                    shown.join(", "),
                    if ns.len() > 8 { ", …" } else { "" }
                ));
            }
        }
        (_, Some(SampleSize::Two(..))) => {
            ck.fail("cannot check: a rate within one arm has one n".into());
        }
    }
}
