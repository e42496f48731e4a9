//! The intermediate parts every reader produces, and `assemble`, which turns them into a
//! [`Cohort`]: keys indexed in order of first appearance ([`Keys`]), their stable orders
//! ([`Orders`]), each value with its keys ([`Placed`]) and the rest ([`Parts`]). A new reader
//! (another format, or another way to parse CSV) produces these and calls [`assemble`], so
//! that every reader builds the same cohort from the same data.
//!
//! It must not parse or resolve columns (that is the readers' and `columns`' work). The one
//! error it finds, a duplicate cell, names its lines through `csv_text::line_of`.

// Errors are the cold path and carry the file, line and values they report; boxing them
// would buy nothing measurable.
#![allow(clippy::result_large_err)]

use super::csv_text::line_of;
use super::natural::natural_cmp;
use super::{
    Cohort, ColumnMap, Covariate, DataError, FileDetails, Layout, Patient, ReadExclusion,
    ReaderKind, SourceInfo, Visit,
};
use rayon::slice::ParallelSliceMut;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The key columns indexed in order of first appearance (every reader produces them).
pub(super) struct Keys<'s> {
    pub arm_names: Vec<&'s str>,
    pub patient_names: Vec<&'s str>,
    /// Arm index of each patient index.
    pub patient_arm: Vec<u32>,
    pub visit_names: Vec<&'s str>,
    /// Week of each visit and the row that first gave it.
    pub visit_week: Vec<Option<(f64, u32)>>,
    /// Patient and visit index of each data row: the string reader's (the typed reader leaves
    /// them empty; its cells carry their keys, see [`Placed`]).
    pub row_patient: Vec<u32>,
    pub row_visit: Vec<u32>,
}

/// Stable, file-order-independent orders of arms, patients and visits.
pub(super) struct Orders {
    pub arm_order: Vec<usize>,
    pub arm_rank: Vec<usize>,
    pub patient_order: Vec<usize>,
    pub patient_rank: Vec<usize>,
    pub visit_order: Vec<usize>,
    pub visit_rank: Vec<usize>,
}

fn ranks_of(order: &[usize]) -> Vec<usize> {
    let mut rank = vec![0usize; order.len()];
    for (r, &i) in order.iter().enumerate() {
        rank[i] = r;
    }
    rank
}

/// A value with its keys, ready to be placed in the cohort table: endpoint, patient and visit
/// (indices in order of first appearance), data row, value (NaN = missing).
#[derive(Clone, Copy)]
pub(super) struct Placed {
    pub e: u32,
    pub patient: u32,
    pub visit: u32,
    pub row: u32,
    pub v: f64,
}

impl Keys<'_> {
    pub(super) fn orders(&self) -> Orders {
        let mut arm_order: Vec<usize> = (0..self.arm_names.len()).collect();
        arm_order.sort_by(|&a, &b| natural_cmp(self.arm_names[a], self.arm_names[b]));
        let mut patient_order: Vec<usize> = (0..self.patient_names.len()).collect();
        // natural_cmp is a total order, so the parallel sort gives the one possible result.
        patient_order
            .par_sort_by(|&a, &b| natural_cmp(self.patient_names[a], self.patient_names[b]));
        let mut visit_order: Vec<usize> = (0..self.visit_names.len()).collect();
        visit_order.sort_by(|&a, &b| {
            let wa = self.visit_week[a].map(|w| w.0);
            let wb = self.visit_week[b].map(|w| w.0);
            match (wa, wb) {
                (Some(x), Some(y)) => x.total_cmp(&y),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            }
            .then_with(|| natural_cmp(self.visit_names[a], self.visit_names[b]))
        });
        Orders {
            arm_rank: ranks_of(&arm_order),
            patient_rank: ranks_of(&patient_order),
            visit_rank: ranks_of(&visit_order),
            arm_order,
            patient_order,
            visit_order,
        }
    }
}

/// Where a data row came from, for messages: a CSV line, or the record (observation) number
/// of another format; through `kept` when the rows are those left by the ADaM filters.
#[derive(Clone, Default)]
pub(super) struct Origin {
    /// The CSV delimiter; None for a format without lines (SAS transport: record numbers).
    pub delimiter: Option<u8>,
    /// Row index → index of the record in the file, when records were filtered out.
    pub kept: Option<Arc<Vec<u32>>>,
}

impl Origin {
    pub(super) fn csv(delimiter: u8) -> Origin {
        Origin {
            delimiter: Some(delimiter),
            kept: None,
        }
    }

    /// The file's record index of data row `index`.
    pub(super) fn record(&self, index: usize) -> usize {
        match &self.kept {
            Some(kept) => kept.get(index).map_or(index, |&r| r as usize),
            None => index,
        }
    }

    /// The line (CSV) or 1-based record number (other formats) of data row `index`.
    pub(super) fn line(&self, path: &Path, index: usize) -> u64 {
        let record = self.record(index);
        match self.delimiter {
            Some(d) => line_of(path, d, record),
            None => record as u64 + 1,
        }
    }

    fn delimiter_name(&self) -> String {
        match self.delimiter {
            Some(b'\t') => "tab".to_string(),
            Some(d) => (d as char).to_string(),
            None => "none".to_string(),
        }
    }
}

/// Everything `assemble` needs besides the keys and the cells.
pub(super) struct Parts {
    pub path: PathBuf,
    pub origin: Origin,
    pub file: FileDetails,
    pub reader: ReaderKind,
    pub layout: Layout,
    pub columns: ColumnMap,
    pub endpoint_names: Vec<String>,
    pub rows_excluded: Vec<(u32, ReadExclusion)>,
    pub warnings: Vec<String>,
    pub covariates: Vec<Covariate>,
    pub n_rows: usize,
}

/// The warning for `n` blank lines skipped (every reader gives it first).
pub(super) fn blank_lines_warning(n: usize) -> String {
    format!("{n} blank line(s) skipped")
}

/// The warning for `count` negative values, the first on `line` (`column` = `x`).
pub(super) fn negative_values_warning(count: usize, line: u64, column: &str, x: f64) -> String {
    format!(
        "{count} negative value(s), first at line {line} ({column} = {x}); kept, but check that percent change is meaningful for this endpoint"
    )
}

/// Place the cells in the dense cohort table (rejecting duplicates) and build the [`Cohort`].
/// The SHA-256 is left empty: the front door fills it in.
pub(super) fn assemble(
    parts: Parts,
    keys: &Keys<'_>,
    orders: &Orders,
    cells: impl IntoIterator<Item = Placed>,
) -> Result<Cohort, DataError> {
    let (np, nv, ne) = (
        keys.patient_names.len(),
        keys.visit_names.len(),
        parts.endpoint_names.len(),
    );
    let mut values = vec![f64::NAN; ne * np * nv];
    let mut rows = vec![u32::MAX; ne * np * nv];
    for Placed {
        e,
        patient,
        visit,
        row,
        v,
    } in cells
    {
        let e = e as usize;
        let p = orders.patient_rank[patient as usize];
        let vi = orders.visit_rank[visit as usize];
        let slot = (e * np + p) * nv + vi;
        if rows[slot] != u32::MAX {
            return Err(DataError::Duplicate {
                line: parts.origin.line(&parts.path, row as usize),
                first_line: parts.origin.line(&parts.path, rows[slot] as usize),
                path: parts.path,
                patient: keys.patient_names[patient as usize].to_string(),
                visit: keys.visit_names[visit as usize].to_string(),
                endpoint: parts.endpoint_names[e].clone(),
            });
        }
        rows[slot] = row;
        if !v.is_nan() {
            values[slot] = v;
        }
    }
    let patients = orders
        .patient_order
        .iter()
        .map(|&p| Patient {
            id: keys.patient_names[p].to_string(),
            arm: orders.arm_rank[keys.patient_arm[p] as usize],
        })
        .collect();
    Ok(Cohort {
        source: SourceInfo {
            path: parts.path,
            sha256: String::new(),
            delimiter: parts.origin.delimiter_name(),
            layout: parts.layout,
            columns: parts.columns,
            file: parts.file,
            reader: parts.reader,
        },
        arms: orders
            .arm_order
            .iter()
            .map(|&a| keys.arm_names[a].to_string())
            .collect(),
        visits: orders
            .visit_order
            .iter()
            .map(|&v| Visit {
                name: keys.visit_names[v].to_string(),
                week: keys.visit_week[v].map(|w| w.0),
            })
            .collect(),
        endpoints: parts.endpoint_names,
        patients,
        rows_read: parts.n_rows as u64,
        rows_excluded: parts.rows_excluded,
        warnings: parts.warnings,
        covariates: parts.covariates,
        strata: Vec::new(),
        values,
        rows,
    })
}
