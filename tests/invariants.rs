//! Invariants of the stats routines over many seeded random samples (a property test without
//! the dependency): intervals contain their estimates, p-values lie in [0, 1], flipping the
//! sign of the data flips estimates and intervals, and the order of the data does not matter.

use trialstat::rng::SplitMix64 as Rng;
use trialstat::stats::{effect_size, proportion, ttest, wilcoxon, Alternative};

fn sample(rng: &mut Rng) -> Vec<f64> {
    let n = 2 + (rng.next_f64() * 70.0) as usize;
    let shift = rng.next_f64() * 4.0 - 2.0;
    // Rounded to one decimal so that ties and zeros occur often.
    (0..n)
        .map(|_| ((rng.next_f64() * 6.0 - 3.0 + shift) * 10.0).round() / 10.0)
        .collect()
}

#[test]
fn intervals_contain_estimates_and_p_values_are_probabilities() {
    let mut rng = Rng(7);
    let (mut intervals, mut p_values) = ([0usize; 3], [0usize; 3]);
    for _ in 0..400 {
        let x = sample(&mut rng);
        for (k, r) in [
            ttest::one_sample_t(&x, 0.0, 0.95, Alternative::TwoSided, "mean"),
            wilcoxon::signed_rank(&x, 0.95, "hl"),
            effect_size::cohen_dz(&x, 0.95),
        ]
        .into_iter()
        .enumerate()
        {
            if let (Some(e), Some(ci)) = (&r.estimate, &r.interval) {
                assert!(ci.lower <= e.value && e.value <= ci.upper, "{x:?}: {r:?}");
                intervals[k] += 1;
            }
            if let Some(p) = r.p_value {
                assert!((0.0..=1.0).contains(&p), "{x:?}: p = {p}");
                p_values[k] += 1;
            }
        }
    }
    // Samples of 2 to 71 values rarely lack an interval (all equal, or all changes tied):
    // each routine must have been checked on nearly every one. Cohen's d_z has no p-value.
    for (k, name) in ["t", "Wilcoxon", "Cohen's d_z"].iter().enumerate() {
        assert!(
            intervals[k] >= 380,
            "{name}: {} intervals checked",
            intervals[k]
        );
    }
    assert!(
        p_values[0] >= 380 && p_values[1] >= 380,
        "p-values checked: {p_values:?}"
    );
}

#[test]
fn negating_the_data_flips_estimates_and_intervals() {
    let mut rng = Rng(11);
    let mut t_intervals = 0;
    for _ in 0..200 {
        let x = sample(&mut rng);
        let neg: Vec<f64> = x.iter().map(|v| -v).collect();
        let a = wilcoxon::signed_rank(&x, 0.95, "hl");
        let b = wilcoxon::signed_rank(&neg, 0.95, "hl");
        assert_eq!(
            a.estimate.as_ref().map(|e| e.value),
            b.estimate.as_ref().map(|e| -e.value)
        );
        assert!((a.p_value.unwrap() - b.p_value.unwrap()).abs() < 1e-12);
        let (t, u) = (
            ttest::one_sample_t(&x, 0.0, 0.9, Alternative::TwoSided, "m"),
            ttest::one_sample_t(&neg, 0.0, 0.9, Alternative::TwoSided, "m"),
        );
        if let (Some(c), Some(d)) = (&t.interval, &u.interval) {
            assert!((c.lower + d.upper).abs() < 1e-9 && (c.upper + d.lower).abs() < 1e-9);
            t_intervals += 1;
        }
    }
    assert!(t_intervals >= 190, "only {t_intervals} t intervals checked");
}

#[test]
fn order_of_the_data_does_not_matter() {
    let mut rng = Rng(13);
    for _ in 0..200 {
        let x = sample(&mut rng);
        let mut rev = x.clone();
        rev.reverse();
        assert_eq!(
            wilcoxon::signed_rank(&x, 0.95, "hl"),
            wilcoxon::signed_rank(&rev, 0.95, "hl")
        );
    }
}

#[test]
fn clopper_pearson_edges() {
    for n in 1..40 {
        for k in 0..=n {
            let r = proportion::clopper_pearson(k, n, 0.95, "rate");
            let ci = r.interval.unwrap();
            assert!(ci.lower <= k as f64 / n as f64 && k as f64 / n as f64 <= ci.upper);
            assert_eq!(ci.lower == 0.0, k == 0);
            assert_eq!(ci.upper == 1.0, k == n);
        }
    }
    assert!(proportion::clopper_pearson(0, 0, 0.95, "rate")
        .interval
        .is_none());
}
