//! A transport file's member as the table of strings the validating reader checks: numbers in
//! their shortest decimal form that reads back to the same double (so nothing is lost), missing
//! values and blank text as null.

use super::{XptColumn, XptMember};
use polars::prelude::*;

/// The member as a DataFrame of string columns, in variable order.
pub(crate) fn to_string_frame(member: &XptMember) -> PolarsResult<DataFrame> {
    let columns: Vec<Column> = member
        .variables
        .iter()
        .zip(&member.columns)
        .map(|(var, column)| {
            let values: Vec<Option<String>> = match column {
                XptColumn::Numeric(v) => v
                    .iter()
                    .map(|x| (!x.is_nan()).then(|| format!("{x}")))
                    .collect(),
                XptColumn::Character(c) => (0..c.len())
                    .map(|i| {
                        let s = c.get(i);
                        (!s.is_empty()).then(|| s.to_string())
                    })
                    .collect(),
            };
            Column::new(var.name.as_str().into(), values)
        })
        .collect();
    DataFrame::new(member.n_obs, columns)
}
