use polars::prelude::*;
use std::time::Instant;

fn main() -> PolarsResult<()> {
    let path: std::path::PathBuf = std::env::args().nth(1).unwrap().into();
    let mode = std::env::args().nth(2).unwrap();
    let t = Instant::now();
    let cat =
        || DataType::from_categories(Categories::random("x".into(), CategoricalPhysical::U32));
    let mut schema = Schema::default();
    let cols = ["patient_id", "arm", "visit", "week", "endpoint", "value"];
    for c in cols {
        let dt = match (mode.as_str(), c) {
            (_, "value") | (_, "week") => DataType::Float64,
            ("cat", _) => cat(),
            ("str", _) => DataType::String,
            ("mix", "patient_id") => DataType::String,
            ("mix", _) => cat(),
            ("enum", "patient_id") => cat(),
            ("mixenum", "patient_id") => DataType::String,
            ("mixenum", "arm") => DataType::from_frozen_categories(
                FrozenCategories::new(["tofacitinib", "baricitinib", "placebo"]).unwrap(),
            ),
            ("mixenum", "visit") => DataType::from_frozen_categories(
                FrozenCategories::new(["baseline", "week4", "week8", "week12", "week24"]).unwrap(),
            ),
            ("mixenum", "endpoint") => DataType::from_frozen_categories(
                FrozenCategories::new([
                    "plaque_thickness_mm",
                    "erythema",
                    "induration",
                    "pruritus",
                ])
                .unwrap(),
            ),
            ("enum", "arm") => DataType::from_frozen_categories(
                FrozenCategories::new(["tofacitinib", "baricitinib", "placebo"]).unwrap(),
            ),
            ("enum", "visit") => DataType::from_frozen_categories(
                FrozenCategories::new(["baseline", "week4", "week8", "week12", "week24"]).unwrap(),
            ),
            ("enum", "endpoint") => DataType::from_frozen_categories(
                FrozenCategories::new([
                    "plaque_thickness_mm",
                    "erythema",
                    "induration",
                    "pruritus",
                ])
                .unwrap(),
            ),
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
    if mode == "mixenum" {
        zz_loops(&df);
    }
    eprintln!(
        "{mode} nulls={nulls}: {} rows, {:.3} s, chunks {}",
        df.height(),
        t.elapsed().as_secs_f64(),
        df.column("patient_id")?.as_materialized_series().n_chunks()
    );
    Ok(())
}

#[allow(dead_code)]
pub fn zz_loops(df: &DataFrame) {
    let ca = df
        .column("patient_id")
        .unwrap()
        .as_materialized_series()
        .str()
        .unwrap();
    let t = Instant::now();
    let mut runs = 0usize;
    let mut prev = u128::MAX;
    let mut codes: Vec<u32> = Vec::with_capacity(ca.len());
    for array in ca.downcast_iter() {
        for v in array.views().iter() {
            let b = v.as_u128();
            if b != prev {
                runs += 1;
                prev = b;
            }
            codes.push(runs as u32);
        }
    }
    eprintln!("views only: runs {runs} {:.3}", t.elapsed().as_secs_f64());
    let t = Instant::now();
    let mut index: PlHashMap<&str, u32> = PlHashMap::with_capacity(ca.len() / 8);
    let mut names: Vec<&str> = Vec::new();
    let mut prev = u128::MAX;
    for array in ca.downcast_iter() {
        for (i, v) in array.views().iter().enumerate() {
            let b = v.as_u128();
            if b != prev {
                prev = b;
                let id = array.value(i);
                let n = names.len() as u32;
                index.entry(id).or_insert_with(|| {
                    names.push(id);
                    n
                });
            }
        }
    }
    eprintln!("hash: {} {:.3}", names.len(), t.elapsed().as_secs_f64());
    let t = Instant::now();
    let owned: Vec<String> = names.iter().map(|s| s.to_string()).collect();
    eprintln!("strings: {} {:.3}", owned.len(), t.elapsed().as_secs_f64());
}
