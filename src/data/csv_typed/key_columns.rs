//! The typed reader's key and value columns as it reads them: codes over names ([`CatColumn`],
//! borrowed from the parsed buffers, never copied per row), patient ids indexed in order of
//! first appearance, finite Float64 values, and the first-seen indexing of codes. It must not
//! parse files (that is `polars_csv`) or build the cohort (that is `index`).

use super::super::polars_csv::{categorical_codes, enum_codes};
use polars::prelude::*;

/// Codes of a key column (as parsed, not copied, or computed here) and the name of each code.
pub(super) struct CatColumn<'a, T> {
    pub owned: Vec<T>,
    pub chunks: Vec<&'a [T]>,
    /// Borrowed from the parsed columns (or the sampled names): nothing is copied per key.
    pub names: Vec<&'a str>,
}

impl<T: Copy + Into<u32>> CatColumn<'_, T> {
    pub(super) fn codes(&self) -> impl Iterator<Item = u32> + '_ {
        self.owned
            .iter()
            .chain(self.chunks.iter().flat_map(|c| c.iter()))
            .map(|&x| x.into())
    }
}

/// Keys must already be trimmed, non-empty and not `NA` (else the string reader reports them:
/// the typed parse takes `NA` as missing only in the value and week columns).
pub(super) fn clean(name: &str) -> bool {
    !name.is_empty() && name.trim() == name && name != "NA"
}

/// A categorical column: u32 codes and the dictionary polars built.
pub(super) fn categorical<'a>(df: &'a DataFrame, name: &str) -> Option<CatColumn<'a, u32>> {
    let (chunks, names) = categorical_codes(df, name)?;
    if names.iter().any(|n| n.trim() != *n || *n == "NA") {
        return None;
    }
    Some(CatColumn {
        owned: Vec::new(),
        chunks,
        names,
    })
}

/// An Enum column parsed over `names` (code i is `names[i]`): u8 codes.
pub(super) fn enumerated<'a>(
    df: &'a DataFrame,
    name: &str,
    names: &'a [String],
) -> Option<CatColumn<'a, u8>> {
    Some(CatColumn {
        owned: Vec::new(),
        chunks: enum_codes(df, name)?,
        names: names.iter().map(String::as_str).collect(),
    })
}

/// The arrays of a String column.
pub(super) type StrArray = <StringType as PolarsDataType>::Array;

/// Index string views in order of first appearance: each row is compared with the row before
/// (equal views are equal strings: inline up to 12 bytes, else the same bytes), and a hash map
/// is consulted only where the view changes. `new_id` sees each new id; `None` if one is not
/// [`clean`]. The map (id to code) and each row's code.
pub(super) fn first_seen_codes<'s>(
    arrays: &[&'s StrArray],
    mut new_id: impl FnMut(&'s str),
) -> Option<(PlHashMap<&'s str, u32>, Vec<u32>)> {
    let rows: usize = arrays.iter().map(|a| a.len()).sum();
    let mut index: PlHashMap<&str, u32> = PlHashMap::with_capacity(rows / 8);
    let mut codes = Vec::with_capacity(rows);
    let (mut previous_view, mut code) = (None::<u128>, 0u32);
    for array in arrays {
        for (i, view) in array.views().iter().enumerate() {
            let bits = view.as_u128();
            if previous_view != Some(bits) {
                previous_view = Some(bits);
                let id = array.value(i);
                code = match index.get(id) {
                    Some(&c) => c,
                    None => {
                        if !clean(id) {
                            return None;
                        }
                        let c = index.len() as u32;
                        index.insert(id, c);
                        new_id(id);
                        c
                    }
                };
            }
            codes.push(code);
        }
    }
    Some((index, codes))
}

/// A String column indexed in order of first appearance: each row is compared with the row
/// before (cheap: a long file keeps a patient's rows together), and a hash map is consulted
/// only where the id changes. Codes are the first-seen indices. The rows are split in as many
/// parts as threads, indexed in parallel, and the parts' ids then merged in order.
pub(super) fn first_seen_strings<'a>(df: &'a DataFrame, name: &str) -> Option<CatColumn<'a, u32>> {
    use rayon::prelude::*;
    let ca = df.column(name).ok()?.as_materialized_series().str().ok()?;
    if ca.null_count() > 0 {
        return None;
    }
    // Parts: consecutive chunks with about equal numbers of rows.
    let arrays: Vec<_> = ca.downcast_iter().collect();
    let n_parts = rayon::current_num_threads().clamp(1, arrays.len().max(1));
    let per_part = ca.len().div_ceil(n_parts).max(1);
    let mut parts: Vec<Vec<_>> = vec![Vec::new()];
    let mut rows_in_part = 0;
    for array in arrays {
        if rows_in_part >= per_part {
            parts.push(Vec::new());
            rows_in_part = 0;
        }
        rows_in_part += array.len();
        parts.last_mut()?.push(array);
    }
    // Each part: its distinct ids in order of first appearance and its rows' local codes.
    type Part<'s> = (PlHashMap<&'s str, u32>, Vec<&'s str>, Vec<u32>);
    let indexed: Vec<Option<Part<'a>>> = parts
        .par_iter()
        .map(|arrays| {
            let mut names: Vec<&str> = Vec::new();
            let (index, codes) = first_seen_codes(arrays, |id| names.push(id))?;
            Some((index, names, codes))
        })
        .collect();
    let mut indexed = indexed.into_iter().collect::<Option<Vec<_>>>()?.into_iter();
    // The first part's map becomes the global one; later parts' ids are looked up in it.
    let (mut index, mut names, mut codes) = indexed.next()?;
    for (_, part_names, part_codes) in indexed {
        let global: Vec<u32> = part_names
            .iter()
            .map(|id| {
                let next = names.len() as u32;
                *index.entry(id).or_insert_with(|| {
                    names.push(id);
                    next
                })
            })
            .collect();
        codes.extend(part_codes.iter().map(|&c| global[c as usize]));
    }
    Some(CatColumn {
        owned: codes,
        chunks: Vec::new(),
        names,
    })
}

/// A Float64 column's chunks as parsed (not copied); `None` if any value is not finite.
pub(super) struct FloatColumn<'a> {
    ca: &'a Float64Chunked,
}

impl FloatColumn<'_> {
    pub(super) fn iter(&self) -> impl Iterator<Item = Option<f64>> + '_ {
        self.ca
            .downcast_iter()
            .flat_map(|a| a.iter().map(|v| v.copied()))
    }
}

pub(super) fn float<'a>(df: &'a DataFrame, name: &str) -> Option<FloatColumn<'a>> {
    let ca = df.column(name).ok()?.as_materialized_series().f64().ok()?;
    for a in ca.downcast_iter() {
        // Slots under nulls hold an arbitrary number: look at them only if one is not finite.
        if !a.values().iter().all(|x| x.is_finite()) && a.iter().flatten().any(|x| !x.is_finite()) {
            return None;
        }
    }
    Some(FloatColumn { ca })
}

/// Index a categorical key column in order of first appearance; `index_of[code]`.
pub(super) struct FirstSeen {
    pub index_of: Vec<u32>,
    pub order: Vec<u32>, // codes by index
}

impl FirstSeen {
    pub(super) fn new(dictionary_len: usize) -> Self {
        FirstSeen {
            index_of: vec![u32::MAX; dictionary_len],
            order: Vec::new(),
        }
    }
    pub(super) fn index(&mut self, code: u32) -> u32 {
        let slot = &mut self.index_of[code as usize];
        if *slot == u32::MAX {
            *slot = self.order.len() as u32;
            self.order.push(code);
        }
        *slot
    }
}
