//! From a long table (one row per patient × visit) and a term list to the MMRM design: treatment
//! coding with one reference level per factor (SAS's default: the last level in natural order;
//! `--ref FACTOR=LEVEL` to choose), products for interactions, LS-mean and type 3 hypothesis
//! vectors with equal weights over the levels of factors not in the effect and numeric covariates
//! at their mean over the analysed rows (SAS LSMEANS, emmeans).

use crate::data::natural::natural_cmp;
use std::collections::HashMap;

/// One variable of the long table.
#[derive(Debug, Clone)]
pub enum Variable {
    /// Numeric values (None = missing).
    Numeric(Vec<Option<f64>>),
    /// Categorical values (None = missing).
    Factor(Vec<Option<String>>),
}

/// The long table a model is built from.
#[derive(Debug, Clone)]
pub struct LongTable {
    /// Source name for messages (file name).
    pub source: String,
    /// Patient id per row.
    pub subject: Vec<String>,
    /// Visit per row.
    pub visit: Vec<String>,
    /// Response per row.
    pub y: Vec<Option<f64>>,
    /// Named variables usable in terms.
    pub variables: Vec<(String, Variable)>,
    /// Visit order; None = natural order of the names.
    pub visit_order: Option<Vec<String>>,
}

/// A term: the product of the named variables (one name = a main effect).
pub type Term = Vec<String>;

/// Parse `"baseline + arm*visit + region"` (R/SAS style: `a*b` = a + b + a:b; `a:b` the
/// interaction alone).
pub fn parse_terms(spec: &str) -> Result<Vec<Term>, String> {
    let mut out: Vec<Term> = Vec::new();
    let push = |t: Term, out: &mut Vec<Term>| {
        let mut key = t.clone();
        key.sort();
        if !out.iter().any(|o| {
            let mut k = o.clone();
            k.sort();
            k == key
        }) {
            out.push(t);
        }
    };
    for piece in spec.split('+') {
        let piece = piece.trim();
        if piece.is_empty() {
            return Err(format!("empty term in --fixed \"{spec}\""));
        }
        if piece.contains('*') {
            let vars: Vec<String> = piece.split('*').map(|s| s.trim().to_string()).collect();
            if vars.iter().any(String::is_empty) {
                return Err(format!("malformed term \"{piece}\" in --fixed"));
            }
            // All non-empty subsets, by size.
            let n = vars.len();
            let mut subsets: Vec<Vec<String>> = (1..(1u32 << n))
                .map(|mask| {
                    (0..n)
                        .filter(|i| mask & (1 << i) != 0)
                        .map(|i| vars[i].clone())
                        .collect()
                })
                .collect();
            subsets.sort_by_key(Vec::len);
            for s in subsets {
                push(s, &mut out);
            }
        } else {
            let vars: Vec<String> = piece.split(':').map(|s| s.trim().to_string()).collect();
            if vars.iter().any(String::is_empty) {
                return Err(format!("malformed term \"{piece}\" in --fixed"));
            }
            push(vars, &mut out);
        }
    }
    Ok(out)
}

/// A factor of the built model.
#[derive(Debug, Clone)]
pub struct FactorInfo {
    /// Variable name.
    pub name: String,
    /// Levels present in the analysed rows, natural order.
    pub levels: Vec<String>,
    /// Index of the reference level.
    pub reference: usize,
}

/// Per analysed row, the value of every variable in the model.
#[derive(Debug, Clone, Copy)]
enum Value {
    Level(usize),
    Number(f64),
}

/// One design column: intercept or a term at given non-reference levels.
#[derive(Debug, Clone)]
pub struct Column {
    /// Index into `Design::terms`, None for the intercept.
    pub term: Option<usize>,
    /// For each variable of the term: Some(level) for a factor, None for a numeric.
    pub levels: Vec<Option<usize>>,
    /// Display name, e.g. `ARMCD TRT × AVISIT VIS2`.
    pub name: String,
}

/// The built design.
#[derive(Debug, Clone)]
pub struct Design {
    /// Terms in model order.
    pub terms: Vec<Term>,
    /// Factors by name.
    pub factors: Vec<FactorInfo>,
    /// Numeric means over the analysed rows, by name.
    pub numeric_means: Vec<(String, f64)>,
    /// Columns (intercept first).
    pub columns: Vec<Column>,
    /// Visit levels (the repeated effect), in order.
    pub visits: Vec<String>,
    /// Analysed rows: (subject index, visit index, y, design row).
    pub rows: Vec<(usize, usize, f64, Vec<f64>)>,
    /// Subject ids (every subject in the table, also those without an analysed row).
    pub subjects: Vec<String>,
    /// Rows left out (missing response or covariate).
    pub rows_left_out: usize,
}

impl Design {
    /// The factor called `name`.
    pub fn factor(&self, name: &str) -> Option<&FactorInfo> {
        self.factors.iter().find(|f| f.name == name)
    }

    fn mean_of(&self, name: &str) -> f64 {
        self.numeric_means
            .iter()
            .find(|(n, _)| n == name)
            .map_or(0.0, |(_, m)| *m)
    }

    /// Hypothesis vector for effect `effect` (variable names) at `at` (a level per factor of the
    /// effect, by name). With `derivative`, the numeric variables of the effect are
    /// differentiated (slopes) instead of set to their means.
    pub fn effect_vector(&self, effect: &[String], at: &HashMap<String, usize>) -> Vec<f64> {
        self.columns
            .iter()
            .map(|c| {
                let Some(t) = c.term else { return 1.0 };
                let term = &self.terms[t];
                // A numeric of the effect must appear in the column's term (derivative).
                let effect_numerics = effect.iter().filter(|v| self.factor(v).is_none());
                let mut w = 1.0;
                for n in effect_numerics {
                    if !term.contains(n) {
                        return 0.0;
                    }
                }
                for (var, lev) in term.iter().zip(&c.levels) {
                    match (lev, effect.contains(var)) {
                        (Some(l), true) => {
                            w *= f64::from(u8::from(at.get(var) == Some(l)));
                        }
                        (Some(_), false) => {
                            let f = self.factor(var).map_or(1, |f| f.levels.len());
                            w /= f as f64;
                        }
                        (None, true) => {}
                        (None, false) => w *= self.mean_of(var),
                    }
                }
                w
            })
            .collect()
    }

    /// Type 3 hypothesis rows for term `t`: interaction contrasts (each non-reference level
    /// against the reference, products across the term's factors) of the equal-weight effect
    /// vectors.
    pub fn type3_rows(&self, t: usize) -> Vec<Vec<f64>> {
        let term = &self.terms[t];
        let factors: Vec<&FactorInfo> = term.iter().filter_map(|v| self.factor(v)).collect();
        // Each row: choose a non-reference level per factor; contrast = Σ over {level, ref}^k
        // with signs.
        let mut choices: Vec<Vec<usize>> = vec![vec![]];
        for f in &factors {
            let mut next = Vec::new();
            for c in &choices {
                for l in (0..f.levels.len()).filter(|&l| l != f.reference) {
                    let mut v = c.clone();
                    v.push(l);
                    next.push(v);
                }
            }
            choices = next;
        }
        let k = factors.len();
        choices
            .iter()
            .map(|choice| {
                let mut row = vec![0.0; self.columns.len()];
                for mask in 0..(1u32 << k) {
                    let mut at = HashMap::new();
                    let mut sign = 1.0;
                    for (i, f) in factors.iter().enumerate() {
                        if mask & (1 << i) != 0 {
                            at.insert(f.name.clone(), f.reference);
                            sign = -sign;
                        } else {
                            at.insert(f.name.clone(), choice[i]);
                        }
                    }
                    for (r, v) in row.iter_mut().zip(self.effect_vector(term, &at)) {
                        *r += sign * v;
                    }
                }
                row
            })
            .collect()
    }
}

/// Build the design. `visit_var` names the repeated effect as it may appear in terms.
pub fn build(
    table: &LongTable,
    terms: &[Term],
    visit_var: &str,
    refs: &HashMap<String, String>,
) -> Result<Design, String> {
    let n = table.subject.len();
    let src = &table.source;
    // Variables used.
    let mut used: Vec<String> = Vec::new();
    for t in terms {
        for v in t {
            if !used.contains(v) {
                used.push(v.clone());
            }
        }
    }
    let lookup = |name: &str| -> Result<Option<&Variable>, String> {
        if name == visit_var {
            return Ok(None);
        }
        table
            .variables
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| Some(v))
            .ok_or_else(|| {
                let known: Vec<&str> = table.variables.iter().map(|(n, _)| n.as_str()).collect();
                format!(
                    "{src}: --fixed names \"{name}\", which is not a column (columns: {}, and the visit \"{visit_var}\")",
                    known.join(", ")
                )
            })
    };
    for v in &used {
        lookup(v)?;
    }
    // Analysed rows: response and every used variable present.
    let mut keep = vec![true; n];
    for (r, k) in keep.iter_mut().enumerate() {
        if table.y[r].is_none_or(|y| !y.is_finite()) {
            *k = false;
            continue;
        }
        for v in &used {
            let present = match lookup(v)? {
                None => true,
                Some(Variable::Numeric(x)) => x[r].is_some(),
                Some(Variable::Factor(x)) => x[r].is_some(),
            };
            if !present {
                *k = false;
            }
        }
    }
    let rows_left_out = keep.iter().filter(|k| !**k).count();
    if rows_left_out == n {
        return Err(format!(
            "{src}: no row has a response and every model variable"
        ));
    }
    // Visits: every visit named in the table, in order; each must have analysed rows.
    let mut visits: Vec<String> = match &table.visit_order {
        Some(o) => o.clone(),
        None => {
            let mut v: Vec<String> = table.visit.clone();
            v.sort_by(|a, b| natural_cmp(a, b));
            v.dedup();
            v
        }
    };
    visits.retain(|v| table.visit.contains(v));
    for v in &visits {
        let count = (0..n).filter(|&r| keep[r] && &table.visit[r] == v).count();
        if count == 0 {
            return Err(format!(
                "{src}: visit \"{v}\" has no analysed observation (drop it from the data or check the response)"
            ));
        }
    }
    let visit_index: HashMap<&str, usize> = visits
        .iter()
        .enumerate()
        .map(|(i, v)| (v.as_str(), i))
        .collect();
    // Factors and numerics.
    let mut factors = Vec::new();
    let mut numeric_means = Vec::new();
    let mut values: HashMap<String, Vec<Option<Value>>> = HashMap::new();
    for v in &used {
        match lookup(v)? {
            None => {
                let levels = visits.clone();
                let reference = reference_index(src, v, &levels, refs)?;
                values.insert(
                    v.clone(),
                    (0..n)
                        .map(|r| {
                            visit_index
                                .get(table.visit[r].as_str())
                                .map(|&i| Value::Level(i))
                        })
                        .collect(),
                );
                factors.push(FactorInfo {
                    name: v.clone(),
                    levels,
                    reference,
                });
            }
            Some(Variable::Factor(x)) => {
                let mut levels: Vec<String> = (0..n)
                    .filter(|&r| keep[r])
                    .filter_map(|r| x[r].clone())
                    .collect();
                levels.sort_by(|a, b| natural_cmp(a, b));
                levels.dedup();
                if levels.len() < 2 {
                    return Err(format!(
                        "{src}: factor \"{v}\" has a single level in the analysed rows ({}); it cannot be estimated",
                        levels.first().map_or("none", String::as_str)
                    ));
                }
                let reference = reference_index(src, v, &levels, refs)?;
                let idx: HashMap<&str, usize> = levels
                    .iter()
                    .enumerate()
                    .map(|(i, l)| (l.as_str(), i))
                    .collect();
                values.insert(
                    v.clone(),
                    (0..n)
                        .map(|r| {
                            x[r].as_deref()
                                .and_then(|s| idx.get(s))
                                .map(|&i| Value::Level(i))
                        })
                        .collect(),
                );
                factors.push(FactorInfo {
                    name: v.clone(),
                    levels,
                    reference,
                });
            }
            Some(Variable::Numeric(x)) => {
                let vals: Vec<f64> = (0..n).filter(|&r| keep[r]).filter_map(|r| x[r]).collect();
                let mean = vals.iter().sum::<f64>() / vals.len() as f64;
                let spread = vals.iter().map(|a| (a - mean).abs()).fold(0.0, f64::max);
                if spread == 0.0 {
                    return Err(format!(
                        "{src}: covariate \"{v}\" is constant ({mean}) in the analysed rows; drop it from --fixed"
                    ));
                }
                numeric_means.push((v.clone(), mean));
                values.insert(v.clone(), x.iter().map(|o| o.map(Value::Number)).collect());
            }
        }
    }
    if refs.keys().any(|k| !factors.iter().any(|f| &f.name == k)) {
        let bad: Vec<&String> = refs
            .keys()
            .filter(|k| !factors.iter().any(|f| &f.name == *k))
            .collect();
        return Err(format!(
            "--ref names {bad:?}, which is not a factor of the model"
        ));
    }
    // Columns.
    let mut columns = vec![Column {
        term: None,
        levels: vec![],
        name: "Intercept".to_string(),
    }];
    for (ti, term) in terms.iter().enumerate() {
        let mut combos: Vec<Vec<Option<usize>>> = vec![vec![]];
        for var in term {
            let mut next = Vec::new();
            for c in &combos {
                match factors.iter().find(|f| &f.name == var) {
                    Some(f) => {
                        for l in (0..f.levels.len()).filter(|&l| l != f.reference) {
                            let mut v = c.clone();
                            v.push(Some(l));
                            next.push(v);
                        }
                    }
                    None => {
                        let mut v = c.clone();
                        v.push(None);
                        next.push(v);
                    }
                }
            }
            combos = next;
        }
        for levels in combos {
            let name = term
                .iter()
                .zip(&levels)
                .map(|(var, l)| match l {
                    Some(l) => {
                        let f = factors.iter().find(|f| &f.name == var).expect("factor");
                        format!("{var} {}", f.levels[*l])
                    }
                    None => var.clone(),
                })
                .collect::<Vec<_>>()
                .join(" × ");
            columns.push(Column {
                term: Some(ti),
                levels,
                name,
            });
        }
    }
    // Subjects and rows.
    let mut subjects: Vec<String> = Vec::new();
    let mut subject_index: HashMap<&str, usize> = HashMap::new();
    for s in &table.subject {
        if !subject_index.contains_key(s.as_str()) {
            subject_index.insert(s.as_str(), subjects.len());
            subjects.push(s.clone());
        }
    }
    let mut seen: HashMap<(usize, usize), usize> = HashMap::new();
    let mut rows = Vec::new();
    for r in 0..n {
        let s = subject_index[table.subject[r].as_str()];
        let Some(&v) = visit_index.get(table.visit[r].as_str()) else {
            continue;
        };
        if let Some(first) = seen.insert((s, v), r) {
            return Err(format!(
                "{src}: patient \"{}\" has two rows for visit \"{}\" (data rows {} and {}); one row per patient and visit",
                table.subject[r],
                table.visit[r],
                first + 1,
                r + 1
            ));
        }
        if !keep[r] {
            continue;
        }
        let x: Vec<f64> = columns
            .iter()
            .map(|c| {
                let Some(t) = c.term else { return 1.0 };
                let mut w = 1.0;
                for (var, lev) in terms[t].iter().zip(&c.levels) {
                    match (values[var][r], lev) {
                        (Some(Value::Level(a)), Some(l)) => w *= f64::from(u8::from(a == *l)),
                        (Some(Value::Number(x)), None) => w *= x,
                        _ => w = 0.0,
                    }
                }
                w
            })
            .collect();
        rows.push((s, v, table.y[r].unwrap_or(f64::NAN), x));
    }
    Ok(Design {
        terms: terms.to_vec(),
        factors,
        numeric_means,
        columns,
        visits,
        rows,
        subjects,
        rows_left_out,
    })
}

fn reference_index(
    src: &str,
    var: &str,
    levels: &[String],
    refs: &HashMap<String, String>,
) -> Result<usize, String> {
    match refs.get(var) {
        None => Ok(levels.len() - 1),
        Some(r) => levels.iter().position(|l| l == r).ok_or_else(|| {
            format!(
                "{src}: --ref {var}={r}: level \"{r}\" has no analysed row (levels: {})",
                levels.join(", ")
            )
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_expand_like_r() {
        let t = parse_terms("baseline + arm*visit + region").expect("terms");
        let names: Vec<String> = t.iter().map(|t| t.join(":")).collect();
        assert_eq!(names, ["baseline", "arm", "visit", "arm:visit", "region"]);
        let t = parse_terms("a*b + a:b + b").expect("terms");
        assert_eq!(t.len(), 3);
        assert!(parse_terms("a + + b").is_err());
        assert!(parse_terms("a * ").is_err());
    }
}
