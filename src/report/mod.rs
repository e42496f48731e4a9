//! Rendering the results: the tidy table as CSV and JSON (the public interface of
//! `../shared/RESULTS.md`) and a table for people. Owns rounding and layout; computes nothing.

pub mod document;
mod human;
mod number;
pub mod render;
mod responder_table;
mod table;

pub use human::render_human;
pub use number::shortest;
pub mod claims;
pub use table::{
    render_csv, render_json, render_rows_csv, render_rows_json, to_row, Meta, TableRow, COLUMNS,
};
pub mod safety;
pub mod survival;
