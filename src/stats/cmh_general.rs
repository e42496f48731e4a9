//! Generalized Cochran–Mantel–Haenszel statistics for r×c×K tables (Landis, Heyman & Koch
//! 1978), as SAS PROC FREQ `CMH` prints them with table scores: general association
//! (df (r−1)(c−1)), row mean scores differ (df r−1) and nonzero correlation (df 1).
//! Rows are the arms (scores 1, 2, … in the order given), columns the ordinal values (scores
//! the values). Checked against formulas in R and R's generalized `mantelhaen.test` (general
//! association): tests/reference/responders/responders_reference.R.
//!
//! For stratum h with counts N_h, row and column shares p_r, p_c and total n_h:
//! G = Σ_h vec(R (N_h − n_h p_r p_cᵀ) Cᵀ), V = Σ_h n_h²/(n_h − 1) (C V_c Cᵀ) ⊗ (R V_r Rᵀ),
//! V_r = diag(p_r) − p_r p_rᵀ (likewise V_c), Q = Gᵀ V⁻¹ G. A stratum of one patient has no
//! variance and is left out; rows or columns empty in every stratum are dropped.

use super::cmh::set_chisq;
use super::{Alternative, Diagnostic, TestResult};
use nalgebra::{DMatrix, DVector};

/// Which of the three CMH statistics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum CmhAlternative {
    GeneralAssociation,
    RowMeanScores,
    Correlation,
}

/// An r×c×K table of counts: `counts[h][i][j]` patients of stratum h in row i, column j.
#[derive(Debug, Clone)]
pub struct OrdinalTable {
    pub row_scores: Vec<f64>,
    pub col_scores: Vec<f64>,
    pub counts: Vec<Vec<Vec<usize>>>,
}

impl OrdinalTable {
    /// The table without rows and columns that are empty in every stratum.
    fn trimmed(&self) -> OrdinalTable {
        let r = self.row_scores.len();
        let c = self.col_scores.len();
        let row_tot =
            |i: usize| -> usize { self.counts.iter().map(|t| t[i].iter().sum::<usize>()).sum() };
        let col_tot = |j: usize| -> usize {
            self.counts
                .iter()
                .map(|t| t.iter().map(|row| row[j]).sum::<usize>())
                .sum()
        };
        let rows: Vec<usize> = (0..r).filter(|&i| row_tot(i) > 0).collect();
        let cols: Vec<usize> = (0..c).filter(|&j| col_tot(j) > 0).collect();
        OrdinalTable {
            row_scores: rows.iter().map(|&i| self.row_scores[i]).collect(),
            col_scores: cols.iter().map(|&j| self.col_scores[j]).collect(),
            counts: self
                .counts
                .iter()
                .map(|t| {
                    rows.iter()
                        .map(|&i| cols.iter().map(|&j| t[i][j]).collect())
                        .collect()
                })
                .collect(),
        }
    }
}

/// [I_{k−1} 0]: k − 1 contrasts of k categories.
fn identity_contrast(k: usize) -> DMatrix<f64> {
    DMatrix::from_fn(k - 1, k, |i, j| if i == j { 1.0 } else { 0.0 })
}

fn multinomial_cov(p: &DVector<f64>) -> DMatrix<f64> {
    DMatrix::from_diagonal(p) - p * p.transpose()
}

/// One CMH statistic of `table` with df and p.
pub fn generalized_cmh(table: &OrdinalTable, which: CmhAlternative) -> TestResult {
    let n_total: usize = table.counts.iter().flatten().flatten().sum();
    let mut out = TestResult::empty(n_total, Alternative::TwoSided);
    let t = table.trimmed();
    let (r, c) = (t.row_scores.len(), t.col_scores.len());
    if r < 2 || c < 2 {
        out.diagnostics.push(Diagnostic::TooFewObservations {
            n: r.min(c),
            required: 2,
        });
        return out;
    }
    let (rm, cm) = match which {
        CmhAlternative::GeneralAssociation => (identity_contrast(r), identity_contrast(c)),
        CmhAlternative::RowMeanScores => (
            identity_contrast(r),
            DMatrix::from_row_slice(1, c, &t.col_scores),
        ),
        CmhAlternative::Correlation => (
            DMatrix::from_row_slice(1, r, &t.row_scores),
            DMatrix::from_row_slice(1, c, &t.col_scores),
        ),
    };
    let dim = rm.nrows() * cm.nrows();
    let mut g = DVector::<f64>::zeros(dim);
    let mut v = DMatrix::<f64>::zeros(dim, dim);
    let mut single = 0;
    for stratum in &t.counts {
        let nh: usize = stratum.iter().flatten().sum();
        if nh < 2 {
            single += usize::from(nh == 1);
            continue;
        }
        let nf = nh as f64;
        let obs = DMatrix::from_fn(r, c, |i, j| stratum[i][j] as f64);
        let pr = DVector::from_fn(r, |i, _| obs.row(i).sum() / nf);
        let pc = DVector::from_fn(c, |j, _| obs.column(j).sum() / nf);
        let resid = &obs - (&pr * pc.transpose()) * nf;
        // vec(R N Cᵀ), column-major like the Kronecker order (C ⊗ R).
        let gh = &rm * resid * cm.transpose();
        g += DVector::from_column_slice(gh.as_slice());
        let vr = &rm * multinomial_cov(&pr) * rm.transpose();
        let vc = &cm * multinomial_cov(&pc) * cm.transpose();
        v += vc.kronecker(&vr) * (nf * nf / (nf - 1.0));
    }
    if single > 0 {
        out.diagnostics.push(Diagnostic::StrataWithoutInformation {
            count: single,
            reason: "a single patient",
        });
    }
    // Q = Gᵀ V⁻¹ G; a singular V (a contrast without variance in every stratum) through the
    // Moore–Penrose inverse with df its rank, as a generalized inverse in SAS.
    let (q, df) = match v.clone().cholesky() {
        Some(ch) => (g.dot(&ch.solve(&g)), dim),
        None => {
            let svd = v.svd(true, true);
            let tol = 1e-10 * svd.singular_values.max().max(f64::MIN_POSITIVE);
            let rank = svd.singular_values.iter().filter(|s| **s > tol).count();
            match svd.pseudo_inverse(tol) {
                Ok(pinv) if rank > 0 => (g.dot(&(pinv * &g)), rank),
                _ => {
                    out.diagnostics
                        .push(Diagnostic::TooFewObservations { n: 0, required: 1 });
                    return out;
                }
            }
        }
    };
    let name = match which {
        CmhAlternative::GeneralAssociation => "CMH general association",
        CmhAlternative::RowMeanScores => "CMH row mean scores",
        CmhAlternative::Correlation => "CMH nonzero correlation",
    };
    set_chisq(&mut out, name, q, df as f64);
    out
}
