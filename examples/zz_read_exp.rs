use polars::prelude::*;
use std::time::Instant;

fn main() -> PolarsResult<()> {
    let path: std::path::PathBuf = std::env::args().nth(1).unwrap().into();
    let mode = std::env::args().nth(2).unwrap();
    let t = Instant::now();
    let cat =
        || DataType::from_categories(Categories::random("x".into(), CategoricalPhysical::U32));
    let mut schema = Schema::default();
    let cols = ["patient_id", "arm", "visit", "endpoint", "value"];
    for c in cols {
        let dt = match (mode.as_str(), c) {
            (_, "value") => DataType::Float64,
            ("cat", _) => cat(),
            ("str", _) => DataType::String,
            ("mix", "patient_id") => DataType::String,
            ("mix", _) => cat(),
            _ => panic!(),
        };
        schema.with_column(c.into(), dt);
    }
    let nulls = std::env::args().nth(3).is_some();
    let df = CsvReadOptions::default()
        .with_has_header(true)
        .with_columns(Some(
            cols.iter()
                .map(|c| PlSmallStr::from(*c))
                .collect::<Vec<_>>()
                .into(),
        ))
        .with_schema_overwrite(Some(Arc::new(schema)))
        .map_parse_options(|p| {
            let p = p.with_quote_char(Some(b'"'));
            if nulls {
                p.with_null_values(Some(NullValues::AllColumns(vec!["NA".into(), "".into()])))
                    .with_missing_is_null(true)
            } else {
                p
            }
        })
        .try_into_reader_with_file_path(Some(path))?
        .finish()?;
    eprintln!(
        "{mode} nulls={nulls}: {} rows, {:.3} s, chunks {}",
        df.height(),
        t.elapsed().as_secs_f64(),
        df.column("patient_id")?.as_materialized_series().n_chunks()
    );
    Ok(())
}
