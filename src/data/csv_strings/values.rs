//! The string reader's passes over the rows: the keys (patients, arms, visits, weeks) indexed
//! in order of first appearance, the patient-level covariates, and the values of the wide or
//! long layout, each cell checked and any problem reported with its line. It reads the parsed
//! strings only: it must not resolve columns (that is `columns`) or place cells (`assemble`).

use super::super::assemble::Keys;
use super::super::columns::display_name;
use super::super::natural::natural_cmp;
use super::super::{Covariate, CovariateValues, DataError, ReadExclusion};
use super::{Plan, Table};
use std::collections::HashMap;

/// One value before it is placed in the cohort table: endpoint, data row, value (NaN = missing).
/// 16 bytes, so that 12 million rows take 190 MB here, not 380.
#[derive(Clone, Copy)]
pub(super) struct Cell {
    pub e: u32,
    pub row: u32,
    pub v: f64,
}

/// The endpoints and their values, from either layout.
pub(super) struct Values {
    /// In the order of the `e` of the cells.
    pub endpoint_names: Vec<String>,
    pub cells: Vec<Cell>,
    pub rows_excluded: Vec<(u32, ReadExclusion)>,
    pub negatives: Negatives,
}

/// Negative values: how many, and the first (row, endpoint, value).
#[derive(Default)]
pub(super) struct Negatives {
    pub count: usize,
    pub first: Option<(usize, String, f64)>,
}

impl Negatives {
    fn see(&mut self, row: usize, x: f64, endpoint: impl FnOnce() -> String) {
        if x < 0.0 {
            self.count += 1;
            if self.first.is_none() {
                self.first = Some((row, endpoint(), x));
            }
        }
    }
}

impl<'a> Table<'a> {
    /// Patients, arms and visits in order of first appearance, each row's patient and visit,
    /// each visit's week; an error for an empty key, a patient in two arms or a visit with two
    /// weeks.
    pub(super) fn index_keys(&self, plan: &Plan, n_rows: usize) -> Result<Keys<'a>, DataError> {
        let (id, arm, visit, week) = (&plan.id, &plan.arm, &plan.visit, &plan.week);
        let id_col = self.column(id)?;
        let visit_col = self.column(visit)?;
        let arm_col = match arm {
            Some(a) => Some(self.column(a)?),
            None => None,
        };
        let week_col = match week {
            Some(w) => Some(self.column(w)?),
            None => None,
        };

        // Index patients, arms, visits.
        let mut patient_ix: HashMap<&str, (u32, u32, u32)> = HashMap::new(); // id -> (patient, arm, first row)
        let mut arm_ix: HashMap<&str, u32> = HashMap::new();
        let mut arm_names: Vec<&str> = Vec::new();
        let mut patient_names: Vec<&str> = Vec::new();
        let mut visit_ix: HashMap<&str, u32> = HashMap::new();
        let mut visit_names: Vec<&str> = Vec::new();
        let mut visit_week: Vec<Option<(f64, u32)>> = Vec::new();
        let mut row_patient = Vec::with_capacity(n_rows);
        let mut row_visit = Vec::with_capacity(n_rows);

        let mut ids = id_col.iter();
        let mut visits = visit_col.iter();
        let mut arms = arm_col.map(|c| c.iter());
        let mut weeks = week_col.map(|c| c.iter());
        for row in 0..n_rows {
            let pid = self.key(ids.next().flatten(), row, id, "patient id")?;
            let vname = self.key(visits.next().flatten(), row, visit, "visit name")?;
            let aname = match arms.as_mut() {
                Some(it) => self.key(
                    it.next().flatten(),
                    row,
                    arm.as_deref().unwrap_or(""),
                    "treatment arm",
                )?,
                None => "all",
            };
            let a = match arm_ix.get(aname) {
                Some(&a) => a,
                None => {
                    let a = arm_names.len() as u32;
                    arm_ix.insert(aname, a);
                    arm_names.push(aname);
                    a
                }
            };
            let p = match patient_ix.get(pid) {
                Some(&(p, pa, first)) => {
                    if pa != a {
                        return Err(DataError::PatientInTwoArms {
                            path: self.path.to_path_buf(),
                            line: self.line_of(row),
                            first_line: self.line_of(first as usize),
                            patient: pid.to_string(),
                            arm: aname.to_string(),
                            first_arm: arm_names[pa as usize].to_string(),
                        });
                    }
                    p
                }
                None => {
                    let p = patient_names.len() as u32;
                    patient_ix.insert(pid, (p, a, row as u32));
                    patient_names.push(pid);
                    p
                }
            };
            let v = match visit_ix.get(vname) {
                Some(&v) => v,
                None => {
                    let v = visit_names.len() as u32;
                    visit_ix.insert(vname, v);
                    visit_names.push(vname);
                    visit_week.push(None);
                    v
                }
            };
            if let Some(it) = weeks.as_mut() {
                if let Some(text) = it.next().flatten() {
                    let w = self.parse_number(text, row, week.as_deref().unwrap_or("week"), "")?;
                    match visit_week[v as usize] {
                        None => visit_week[v as usize] = Some((w, row as u32)),
                        Some((w0, r0)) if w0 != w => {
                            return Err(DataError::InconsistentWeek {
                                path: self.path.to_path_buf(),
                                line: self.line_of(row),
                                first_line: self.line_of(r0 as usize),
                                visit: vname.to_string(),
                                week: w,
                                first_week: w0,
                            })
                        }
                        _ => {}
                    }
                }
            }
            row_patient.push(p);
            row_visit.push(v);
        }

        let mut patient_arm = vec![0u32; patient_names.len()];
        for &(p, a, _) in patient_ix.values() {
            patient_arm[p as usize] = a;
        }
        Ok(Keys {
            arm_names,
            patient_names,
            patient_arm,
            visit_names,
            visit_week,
            row_patient,
            row_visit,
        })
    }

    /// Patient-level covariates, in cohort patient order: numeric if every value is a number,
    /// else categorical; an error if one changes within a patient.
    pub(super) fn covariates(
        &self,
        covariate_cols: &[String],
        keys: &Keys,
        patient_order: &[usize],
    ) -> Result<Vec<Covariate>, DataError> {
        let (patient_names, row_patient) = (&keys.patient_names, &keys.row_patient);
        let mut covariates = Vec::new();
        for col in covariate_cols {
            let values = self.column(col)?;
            let mut per_patient: Vec<Option<(&str, u32)>> = vec![None; patient_names.len()];
            for (row, text) in values.iter().enumerate() {
                let Some(t) = text.map(str::trim).filter(|t| !t.is_empty() && *t != "NA") else {
                    continue;
                };
                let p = row_patient[row] as usize;
                match per_patient[p] {
                    None => per_patient[p] = Some((t, row as u32)),
                    Some((t0, r0)) if t0 != t => {
                        return Err(DataError::CovariateNotConstant {
                            path: self.path.to_path_buf(),
                            line: self.line_of(row),
                            first_line: self.line_of(r0 as usize),
                            column: display_name(col),
                            patient: patient_names[p].to_string(),
                            value: t.to_string(),
                            first_value: t0.to_string(),
                        })
                    }
                    _ => {}
                }
            }
            let ordered: Vec<Option<&str>> = patient_order
                .iter()
                .map(|&p| per_patient[p].map(|v| v.0))
                .collect();
            let numeric: Option<Vec<Option<f64>>> = ordered
                .iter()
                .map(|v| match v {
                    None => Some(None),
                    Some(t) => t.parse::<f64>().ok().filter(|x| x.is_finite()).map(Some),
                })
                .collect();
            let values = match numeric {
                Some(v) => CovariateValues::Numeric(v),
                None => {
                    let mut levels: Vec<String> =
                        ordered.iter().flatten().map(|s| s.to_string()).collect();
                    levels.sort_by(|a, b| natural_cmp(a, b));
                    levels.dedup();
                    let codes = ordered
                        .iter()
                        .map(|v| v.map(|t| levels.iter().position(|l| l == t).unwrap() as u32))
                        .collect();
                    CovariateValues::Categorical { levels, codes }
                }
            };
            covariates.push(Covariate {
                name: display_name(col),
                values,
            });
        }
        Ok(covariates)
    }

    /// Wide layout: one endpoint per column, in column order; every cell is a value.
    pub(super) fn wide_values(
        &self,
        endpoint_columns: &[String],
        n_rows: usize,
    ) -> Result<Values, DataError> {
        let mut negatives = Negatives::default();
        let mut cells = Vec::with_capacity(n_rows * endpoint_columns.len());
        for (e, colname) in endpoint_columns.iter().enumerate() {
            let col = self.column(colname)?;
            let hint = format!(
                " (if '{}' is not an endpoint, name the endpoint columns with --endpoints)",
                display_name(colname)
            );
            for (row, text) in col.iter().enumerate() {
                let v = match text {
                    None => None,
                    Some(t) if t.trim().is_empty() || t.trim() == "NA" => None,
                    Some(t) => Some(self.parse_number(t, row, colname, &hint)?),
                };
                if let Some(x) = v {
                    negatives.see(row, x, || colname.clone());
                }
                cells.push(Cell {
                    e: e as u32,
                    row: row as u32,
                    v: v.unwrap_or(f64::NAN),
                });
            }
        }
        Ok(Values {
            endpoint_names: endpoint_columns.iter().map(|c| display_name(c)).collect(),
            cells,
            rows_excluded: Vec::new(),
            negatives,
        })
    }

    /// Long layout: the endpoint named on each row (those chosen with `--endpoints`; other
    /// rows are accounted for as left out), endpoints in natural order.
    pub(super) fn long_values(
        &self,
        plan: &Plan,
        chosen: Option<&Vec<String>>,
        n_rows: usize,
    ) -> Result<Values, DataError> {
        let ecol_name = plan.endpoint.as_deref().unwrap();
        let vcol_name = plan.value.as_deref().unwrap();
        let ecol = self.column(ecol_name)?;
        let vcol = self.column(vcol_name)?;
        let mut negatives = Negatives::default();
        let mut rows_excluded = Vec::new();
        let mut e_ix: HashMap<&str, usize> = HashMap::new();
        let mut e_names: Vec<&str> = Vec::new();
        let mut cells = Vec::with_capacity(n_rows);
        for (row, (et, vt)) in ecol.iter().zip(vcol.iter()).enumerate() {
            let ename = self.key(et, row, ecol_name, "endpoint name")?;
            if let Some(ch) = chosen {
                if !ch
                    .iter()
                    .any(|c| c == ename || c.eq_ignore_ascii_case(ename))
                {
                    rows_excluded.push((row as u32, ReadExclusion::EndpointNotSelected));
                    continue;
                }
            }
            let e = match e_ix.get(ename) {
                Some(&e) => e,
                None => {
                    e_ix.insert(ename, e_names.len());
                    e_names.push(ename);
                    e_names.len() - 1
                }
            };
            let v = match vt {
                None => None,
                Some(t) if t.trim().is_empty() || t.trim() == "NA" => None,
                Some(t) => Some(self.parse_number(t, row, vcol_name, "")?),
            };
            if let Some(x) = v {
                negatives.see(row, x, || ename.to_string());
            }
            cells.push(Cell {
                e: e as u32,
                row: row as u32,
                v: v.unwrap_or(f64::NAN),
            });
        }
        if e_names.is_empty() {
            return Err(DataError::NoEndpoints {
                path: self.path.to_path_buf(),
                detail: match chosen {
                    Some(c) => format!(
                        "none of the endpoints chosen with --endpoints ({}) is in column '{}'",
                        c.join(", "),
                        ecol_name
                    ),
                    None => "no rows".to_string(),
                },
            });
        }
        // Order endpoints by name; remap.
        let mut order: Vec<usize> = (0..e_names.len()).collect();
        order.sort_by(|&a, &b| natural_cmp(e_names[a], e_names[b]));
        let mut rank = vec![0usize; e_names.len()];
        for (r, &e) in order.iter().enumerate() {
            rank[e] = r;
        }
        for c in cells.iter_mut() {
            c.e = rank[c.e as usize] as u32;
        }
        Ok(Values {
            endpoint_names: order.iter().map(|&e| e_names[e].to_string()).collect(),
            cells,
            rows_excluded,
            negatives,
        })
    }
}
