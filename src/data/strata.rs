//! Stratification columns (`--strata`): patient-level columns read by the same path as the
//! ANCOVA covariates (`--covariate`, the string reader, one value per patient or an error
//! naming the line), then moved out of the covariates so that a stratum column does not enter
//! the ANCOVA unless it is also named with `--covariate`. Several columns combine into one
//! stratum per patient.

#![allow(clippy::result_large_err)] // as the readers: the error names file, line and values

use super::csv_text::line_of;
use super::{Cohort, CovariateValues, DataError};

/// Move the columns named in `strata` from `cohort.covariates` to `cohort.strata` (keeping a
/// copy among the covariates when `covariates` names it too). Every patient must have a value
/// in each: an empty one is [`DataError::EmptyStratum`] naming a line of that patient.
pub fn take_strata(
    cohort: &mut Cohort,
    strata: &[String],
    covariates: &[String],
) -> Result<(), DataError> {
    let same = |a: &str, b: &str| a == b || a.eq_ignore_ascii_case(b);
    for name in strata {
        let Some(i) = cohort.covariates.iter().position(|c| same(&c.name, name)) else {
            continue;
        };
        let column = if covariates.iter().any(|c| same(c, name)) {
            cohort.covariates[i].clone()
        } else {
            cohort.covariates.remove(i)
        };
        let missing = match &column.values {
            CovariateValues::Numeric(v) => v.iter().position(Option::is_none),
            CovariateValues::Categorical { codes, .. } => codes.iter().position(Option::is_none),
        };
        if let Some(p) = missing {
            return Err(DataError::EmptyStratum {
                path: cohort.source.path.clone(),
                line: first_line_of(cohort, p),
                column: column.name.clone(),
                patient: cohort.patients[p].id.clone(),
            });
        }
        cohort.strata.push(column);
    }
    Ok(())
}

/// The file line of the first row read for patient `p` (0 when none is known).
fn first_line_of(cohort: &Cohort, p: usize) -> u64 {
    let delimiter = match cohort.source.delimiter.as_str() {
        "tab" => b'\t',
        d => d.bytes().next().unwrap_or(b','),
    };
    let first_row = (0..cohort.endpoints.len())
        .flat_map(|e| (0..cohort.visits.len()).map(move |v| (e, v)))
        .filter_map(|(e, v)| cohort.source_row(e, p, v))
        .min();
    first_row.map_or(0, |r| line_of(&cohort.source.path, delimiter, r as usize))
}

/// One stratum per patient combining every strata column: (labels, code per patient), labels
/// like `EU` or `EU / <60 kg` in order of first appearance along the patients.
pub fn combined(cohort: &Cohort) -> (Vec<String>, Vec<u32>) {
    let text = |p: usize| -> String {
        cohort
            .strata
            .iter()
            .map(|c| match &c.values {
                CovariateValues::Numeric(v) => v[p].map(|x| x.to_string()).unwrap_or_default(),
                CovariateValues::Categorical { levels, codes } => codes[p]
                    .map(|k| levels[k as usize].clone())
                    .unwrap_or_default(),
            })
            .collect::<Vec<_>>()
            .join(" / ")
    };
    let mut labels: Vec<String> = Vec::new();
    let codes = (0..cohort.patients.len())
        .map(|p| {
            let t = text(p);
            match labels.iter().position(|l| *l == t) {
                Some(i) => i as u32,
                None => {
                    labels.push(t);
                    (labels.len() - 1) as u32
                }
            }
        })
        .collect();
    (labels, codes)
}
