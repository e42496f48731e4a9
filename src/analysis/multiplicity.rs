//! Families of rows for multiplicity adjustment.

use super::{AnalysisOptions, ResultRow};
use crate::stats::multiplicity::{fixed_sequence, p_adjust, AdjustMethod};
use std::collections::BTreeMap;

/// (estimand, method, visit, arm) of a fixed sequence, and its (position, row) members.
type Sequences = BTreeMap<(String, &'static str, String, String), Vec<(usize, usize)>>;

/// Fill `p_adjusted`: within each family of rows that share comparison kind (within or between),
/// estimand, method and visit (so across endpoints and arms) by `--adjust`; with `--hierarchy`,
/// between-arm rows instead by fixed-sequence testing over the listed endpoints, separately for
/// each arm, estimand, method and visit. Rows without a p-value are left out of their family.
pub(super) fn adjust(rows: &mut [ResultRow], options: &AnalysisOptions) {
    if options.adjust.is_none() && options.hierarchy.is_empty() {
        return;
    }
    let method = options.adjust.unwrap_or(AdjustMethod::None);
    let mut families: BTreeMap<(bool, String, &'static str, String), Vec<usize>> = BTreeMap::new();
    let mut sequences: Sequences = BTreeMap::new();
    for (i, r) in rows.iter().enumerate() {
        if r.result.p_value.is_none() {
            continue;
        }
        let k = &r.key;
        let between = !k.is_within();
        // Families are keyed by the published names, so their order is the names' order.
        let (estimand, method) = (k.estimand.to_string(), k.method.name());
        if between && !options.hierarchy.is_empty() {
            if let Some(pos) = options.hierarchy.iter().position(|e| *e == k.endpoint) {
                sequences
                    .entry((estimand, method, k.visit.clone(), k.arm.clone()))
                    .or_default()
                    .push((pos, i));
            }
            continue;
        }
        if options.adjust.is_some() {
            families
                .entry((between, estimand, method, k.visit.clone()))
                .or_default()
                .push(i);
        }
    }
    for members in families.values() {
        let p: Vec<f64> = members
            .iter()
            .map(|&i| rows[i].result.p_value.unwrap_or(1.0))
            .collect();
        for (&i, q) in members.iter().zip(p_adjust(&p, method)) {
            rows[i].p_adjusted = Some(q);
        }
    }
    for members in sequences.values_mut() {
        members.sort();
        let p: Vec<f64> = members
            .iter()
            .map(|&(_, i)| rows[i].result.p_value.unwrap_or(1.0))
            .collect();
        for (&(_, i), q) in members.iter().zip(fixed_sequence(&p)) {
            rows[i].p_adjusted = Some(q);
        }
    }
}
