//! A transport file's member as the table of strings the validating reader checks: numbers in
//! their shortest decimal form that reads back to the same double (so nothing is lost), missing
//! values and blank text as null.
//!
//! Memory: the member is consumed column by column, each column's values written straight into
//! polars' string array (no string per cell), and each column freed once converted, so that the
//! member and the table are not both held whole.

use super::{XptColumn, XptMember};
use polars::prelude::*;
use std::fmt::Write;

/// The member as a DataFrame of string columns, in variable order.
pub(crate) fn into_string_frame(member: XptMember) -> PolarsResult<DataFrame> {
    let height = member.n_obs;
    let mut columns: Vec<Column> = Vec::with_capacity(member.variables.len());
    for (var, column) in member.variables.iter().zip(member.columns) {
        let mut b = StringChunkedBuilder::new(var.name.as_str().into(), height);
        match column {
            XptColumn::Numeric(values) => {
                let mut text = String::with_capacity(32);
                for x in values {
                    if x.is_nan() {
                        b.append_null();
                    } else {
                        text.clear();
                        // Writing to a String cannot fail.
                        let _ = write!(text, "{x}");
                        b.append_value(text.as_str());
                    }
                }
            }
            XptColumn::Character(c) => {
                for i in 0..c.len() {
                    let s = c.get(i);
                    if s.is_empty() {
                        b.append_null();
                    } else {
                        b.append_value(s);
                    }
                }
            }
        }
        columns.push(b.finish().into_series().into_column());
    }
    DataFrame::new(height, columns)
}
