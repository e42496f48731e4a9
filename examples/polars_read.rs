//! The floor of the performance benchmark: polars' CSV reader with default options, reading the
//! whole file into a DataFrame (what `polars.read_csv` does), and nothing else.
//!
//!     cargo run --release --example polars_read -- FILE.csv

use polars::prelude::*;

fn main() -> PolarsResult<()> {
    let path = std::env::args()
        .nth(1)
        .expect("usage: polars_read FILE.csv");
    let df = CsvReadOptions::default()
        .with_has_header(true)
        .try_into_reader_with_file_path(Some(path.into()))?
        .finish()?;
    println!("{} rows × {} columns", df.height(), df.width());
    Ok(())
}
