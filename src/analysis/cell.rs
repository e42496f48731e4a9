//! The patients and values behind one arm at one follow-up visit, under a missing-data rule.

use super::Direction;
use crate::data::Cohort;
use crate::stats::descriptive::{covariance_about, SampleMoments};
use serde::Serialize;

/// How a missing follow-up value is handled (`--missing`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MissingRule {
    /// Patients without a value at the visit are left out.
    #[default]
    CompleteCase,
    /// Last observation carried forward: the latest earlier value, the baseline included.
    Locf,
    /// Baseline observation carried forward.
    Bocf,
    /// Non-responder imputation: in responder and clearance rows a patient without a value
    /// counts as not responding; other rows are complete-case.
    Nri,
}

impl MissingRule {
    pub fn describe(&self) -> &'static str {
        match self {
            MissingRule::CompleteCase => "complete cases (patients without a value at the visit are left out)",
            MissingRule::Locf => "last observation carried forward (LOCF, baseline included)",
            MissingRule::Bocf => "baseline observation carried forward (BOCF)",
            MissingRule::Nri => "non-responder imputation (NRI) for responder and clearance rows; complete cases elsewhere",
        }
    }
}

/// One arm at one follow-up visit.
#[derive(Debug, Clone)]
pub(super) struct ArmVisit {
    pub patients: Vec<usize>,
    pub base: Vec<f64>,
    pub follow: Vec<f64>,
    /// Follow-up values filled in by LOCF or BOCF.
    pub imputed: usize,
    /// Baselines of the arm's patients who have a baseline but no (imputed) follow-up value.
    pub missing_follow_up_base: Vec<f64>,
    /// The patients of `missing_follow_up_base`, in the same order.
    pub missing_follow_up_patients: Vec<usize>,
    /// Composite strategy (`--intercurrent`): patients of the cell (with a baseline) who had the
    /// intercurrent event by this visit; non-responders whatever their value. Sorted.
    pub composite_failures: Vec<usize>,
    /// Patients of the arm with values on the endpoint but none at baseline.
    pub no_baseline: usize,
    /// Patients of the arm with any value on the endpoint.
    pub with_data: usize,
    /// follow − base per patient, computed once for every row that uses it.
    changes: Vec<f64>,
    /// The changes sorted ascending (total order), for the rank statistics.
    sorted_changes: Vec<f64>,
    /// 100 (follow − base) / base for the patients with a non-zero baseline.
    pct: Vec<f64>,
    /// Patients with baseline 0 (no percent change).
    zero_baseline: usize,
    /// Moments of the baselines, follow-up values, changes and percent changes.
    pub moments: Moments,
}

/// Sample moments of a cell, computed once for the t tests, standardised differences, ratios
/// of means and summaries that need them: bit for bit what those functions compute from the
/// values themselves.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Moments {
    pub base: SampleMoments,
    pub follow: SampleMoments,
    pub changes: SampleMoments,
    pub pct: SampleMoments,
    /// Covariance of baseline and follow-up values; `None` below 2 patients.
    pub covariance: Option<f64>,
}

/// Gather every arm at a visit, in one pass over the patients. `earlier` lists the visits whose
/// values LOCF may carry forward, latest last (the baseline and the follow-ups before `visit`).
pub(super) fn arm_visits(
    cohort: &Cohort,
    e: usize,
    baseline: usize,
    visit: usize,
    earlier: &[usize],
    rule: MissingRule,
) -> Vec<ArmVisit> {
    let mut cells: Vec<ArmVisit> = (0..cohort.arms.len())
        .map(|_| ArmVisit {
            patients: Vec::new(),
            base: Vec::new(),
            follow: Vec::new(),
            imputed: 0,
            missing_follow_up_base: Vec::new(),
            missing_follow_up_patients: Vec::new(),
            composite_failures: Vec::new(),
            no_baseline: 0,
            with_data: 0,
            changes: Vec::new(),
            sorted_changes: Vec::new(),
            pct: Vec::new(),
            zero_baseline: 0,
            moments: Moments::default(),
        })
        .collect();
    for (p, patient) in cohort.patients.iter().enumerate() {
        let out = &mut cells[patient.arm];
        if !(0..cohort.visits.len()).any(|v| cohort.value(e, p, v).is_some()) {
            continue;
        }
        out.with_data += 1;
        let Some(b) = cohort.value(e, p, baseline) else {
            out.no_baseline += 1;
            continue;
        };
        let observed = cohort.value(e, p, visit);
        let value = match (observed, rule) {
            (Some(f), _) => Some(f),
            (None, MissingRule::Bocf) => {
                out.imputed += 1;
                Some(b)
            }
            (None, MissingRule::Locf) => {
                out.imputed += 1;
                earlier
                    .iter()
                    .rev()
                    .find_map(|&v| cohort.value(e, p, v))
                    .or(Some(b))
            }
            (None, _) => None,
        };
        match value {
            Some(f) => {
                out.patients.push(p);
                out.base.push(b);
                out.follow.push(f);
            }
            None => {
                out.missing_follow_up_base.push(b);
                out.missing_follow_up_patients.push(p);
            }
        }
    }
    for out in cells.iter_mut() {
        out.derive();
    }
    cells
}

impl ArmVisit {
    /// Changes and percent changes, computed once for every row that uses them.
    fn derive(&mut self) {
        let out = self;
        out.changes = out
            .base
            .iter()
            .zip(&out.follow)
            .map(|(b, f)| f - b)
            .collect();
        out.sorted_changes = out.changes.clone();
        out.sorted_changes.sort_unstable_by(f64::total_cmp);
        out.pct = Vec::with_capacity(out.base.len());
        for (b, f) in out.base.iter().zip(&out.follow) {
            if *b == 0.0 {
                out.zero_baseline += 1;
            } else {
                out.pct.push(100.0 * (f - b) / b);
            }
        }
        let (base, follow) = (SampleMoments::of(&out.base), SampleMoments::of(&out.follow));
        out.moments = Moments {
            base,
            follow,
            changes: SampleMoments::of(&out.changes),
            pct: SampleMoments::of(&out.pct),
            covariance: match (base.mean, follow.mean) {
                (Some(mb), Some(mf)) => covariance_about(&out.base, &out.follow, mb, mf),
                _ => None,
            },
        };
    }
}

/// A percentage improvement counts as reaching threshold P when it is at least P minus this
/// relative slack, so that e.g. 3.0 → 1.5 (exactly 50%) is not lost to rounding in
/// 100 × (f − b) / b when the inputs are decimal fractions.
const THRESHOLD_SLACK: f64 = 1e-9;

impl ArmVisit {
    pub fn n(&self) -> usize {
        self.base.len()
    }

    pub fn changes(&self) -> &[f64] {
        &self.changes
    }

    /// The changes sorted ascending. The rank statistics depend on the values only, not on
    /// their order (rank sums are exact half-integers, Walsh averages and differences are
    /// sorted before use), and give bit-identical results on this copy while the sorts inside
    /// them become linear passes over sorted data; order-dependent sums (means, variances)
    /// and the seeded permutation tests keep the patients' order.
    pub fn sorted_changes(&self) -> &[f64] {
        &self.sorted_changes
    }

    /// Percent changes of the patients with a non-zero baseline, and how many had baseline 0.
    pub fn pct_changes(&self) -> (&[f64], usize) {
        (&self.pct, self.zero_baseline)
    }

    /// Responders to a threshold: (k, n). With NRI, patients without a follow-up value (and a
    /// non-zero baseline) are in n and not in k.
    pub fn responders(
        &self,
        threshold: f64,
        direction: Direction,
        rule: MissingRule,
    ) -> (usize, usize) {
        if !self.composite_failures.is_empty() {
            let flags = self.responder_flags(threshold, direction, rule);
            return (flags.iter().filter(|f| f.1).count(), flags.len());
        }
        let (pct, _) = self.pct_changes();
        let slack = THRESHOLD_SLACK * threshold.max(1.0);
        let k = pct
            .iter()
            .filter(|&&x| {
                let improvement = match direction {
                    Direction::LowerIsBetter => -x,
                    Direction::HigherIsBetter => x,
                };
                improvement >= threshold - slack
            })
            .count();
        let extra = if rule == MissingRule::Nri {
            self.missing_follow_up_base
                .iter()
                .filter(|b| **b != 0.0)
                .count()
        } else {
            0
        };
        (k, pct.len() + extra)
    }

    /// Each patient behind [`ArmVisit::responders`] with whether they respond, in the same
    /// patients and counts: those with a percent change, then (NRI) those without a follow-up
    /// value and a non-zero baseline, as non-responders.
    pub fn responder_flags(
        &self,
        threshold: f64,
        direction: Direction,
        rule: MissingRule,
    ) -> Vec<(usize, bool)> {
        let slack = THRESHOLD_SLACK * threshold.max(1.0);
        let mut out: Vec<(usize, bool)> = Vec::with_capacity(self.n());
        for ((&p, &b), &f) in self.patients.iter().zip(&self.base).zip(&self.follow) {
            if b == 0.0 {
                continue;
            }
            let x = 100.0 * (f - b) / b;
            let improvement = match direction {
                Direction::LowerIsBetter => -x,
                Direction::HigherIsBetter => x,
            };
            out.push((p, improvement >= threshold - slack));
        }
        let missing = self.missing_follow_up_patients.iter();
        for (&p, &b) in missing.zip(&self.missing_follow_up_base) {
            if b != 0.0 && (rule == MissingRule::Nri || self.failed(p)) {
                out.push((p, false));
            }
        }
        self.apply_composite(&mut out);
        out
    }

    /// Whether patient `p` had the intercurrent event by this visit (composite strategy).
    pub fn failed(&self, p: usize) -> bool {
        self.composite_failures.binary_search(&p).is_ok()
    }

    /// Composite strategy: every patient with the event is a non-responder.
    pub fn apply_composite(&self, flags: &mut [(usize, bool)]) {
        if self.composite_failures.is_empty() {
            return;
        }
        for f in flags.iter_mut() {
            if self.failed(f.0) {
                f.1 = false;
            }
        }
    }

    /// Each patient behind [`ArmVisit::cleared`] with whether they are clear.
    pub fn clearance_flags(&self, clear_value: f64, rule: MissingRule) -> Vec<(usize, bool)> {
        let mut out: Vec<(usize, bool)> = self
            .patients
            .iter()
            .zip(&self.follow)
            .map(|(&p, &f)| (p, f == clear_value))
            .collect();
        let missing = self.missing_follow_up_patients.iter();
        out.extend(
            missing
                .filter(|&&p| rule == MissingRule::Nri || self.failed(p))
                .map(|&p| (p, false)),
        );
        self.apply_composite(&mut out);
        out
    }

    /// Patients whose follow-up equals the clear value: (k, n), NRI as for responders.
    pub fn cleared(&self, clear_value: f64, rule: MissingRule) -> (usize, usize) {
        if !self.composite_failures.is_empty() {
            let flags = self.clearance_flags(clear_value, rule);
            return (flags.iter().filter(|f| f.1).count(), flags.len());
        }
        let k = self.follow.iter().filter(|&&f| f == clear_value).count();
        let extra = if rule == MissingRule::Nri {
            self.missing_follow_up_base.len()
        } else {
            0
        };
        (k, self.n() + extra)
    }

    /// Notes on who is not behind the rows, for the `note` column.
    pub fn notes(&self, visit: &str, rule: MissingRule, for_rates: bool) -> Vec<String> {
        let mut notes = Vec::new();
        let missing = self.missing_follow_up_base.len();
        if missing > 0 {
            if for_rates && rule == MissingRule::Nri {
                notes.push(format!(
                    "{missing} patient(s) without a {visit} value counted as non-responders (NRI)"
                ));
            } else {
                notes.push(format!("{missing} patient(s) without a {visit} value"));
            }
        }
        if self.imputed > 0 {
            let how = if rule == MissingRule::Locf {
                "LOCF"
            } else {
                "BOCF"
            };
            notes.push(format!(
                "{} missing {visit} value(s) imputed by {how}",
                self.imputed
            ));
        }
        if for_rates && !self.composite_failures.is_empty() {
            notes.push(format!(
                "{} patient(s) with the intercurrent event by {visit} counted as non-responders (composite strategy)",
                self.composite_failures.len()
            ));
        }
        if self.no_baseline > 0 {
            notes.push(format!(
                "{} patient(s) without a baseline value",
                self.no_baseline
            ));
        }
        notes
    }
}
