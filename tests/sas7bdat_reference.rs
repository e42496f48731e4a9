//! The SAS data set reader (`trialstat::data::sas7bdat`, through the `sas7bdat` crate) against R
//! `haven::read_sas` (ReadStat): `tests/reference/sas7bdat/make_references.R` wrote the edge-case
//! files with `haven::write_sas` and, for them, haven's own example `haven_iris.sas7bdat` and
//! `tests/data/example_trial_head.sas7bdat`, haven's values as CSV. Every value is compared:
//! numbers bit for bit (dates, datetimes and times as SAS's numbers), special missing values
//! `.A`–`.Z` and `.` as missing, text with trailing blanks removed (blank = missing), and the
//! variables' names, labels and formats. Two of the files are RLE-compressed (written by
//! ReadStat's own writer through `tests/data/sas7bdat/rle_write.c`, as haven cannot); no
//! RDC-compressed ("COMPRESS=BINARY") file could be written or found here.

use std::path::{Path, PathBuf};
use trialstat::data::sas7bdat::{read, SasTable};

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// Compare a data set with haven's CSV; returns the number of values compared.
fn compare(table: &SasTable, name: &str) -> usize {
    let csv_path = repo(&format!("tests/reference/sas7bdat/{name}.csv"));
    let mut rdr = csv::Reader::from_path(&csv_path).unwrap();
    let header: Vec<String> = rdr.headers().unwrap().iter().map(String::from).collect();
    let names: Vec<&str> = table.variables.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(header, names, "{name}");
    let rows: Vec<csv::StringRecord> = rdr.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), table.frame.height(), "{name}");
    let mut compared = 0;
    for (j, var) in table.variables.iter().enumerate() {
        let column = table
            .frame
            .column(&var.name)
            .unwrap()
            .str()
            .unwrap()
            .clone();
        for (i, row) in rows.iter().enumerate() {
            let at = format!("{name} row {} {}", i + 1, var.name);
            let got = column.get(i);
            if var.numeric {
                let want = &row[j];
                match got {
                    None => assert!(want.is_empty(), "{at}: missing, haven reads {want}"),
                    Some(got) => {
                        let x: f64 = got.parse().unwrap();
                        let y: f64 = want
                            .parse()
                            .unwrap_or_else(|_| panic!("{at}: {got}, haven reads {want:?}"));
                        assert_eq!(x.to_bits(), y.to_bits(), "{at}: {got} vs {want}");
                    }
                }
            } else {
                let want = row[j].trim_end_matches([' ', '\0']);
                assert_eq!(got.unwrap_or(""), want, "{at}");
            }
            compared += 1;
        }
    }
    let mut vars = csv::Reader::from_path(repo(&format!(
        "tests/reference/sas7bdat/{name}_variables.csv"
    )))
    .unwrap();
    for (var, record) in table.variables.iter().zip(vars.records()) {
        let record = record.unwrap();
        assert_eq!(var.name, &record[0], "{name}");
        assert_eq!(var.label, &record[1], "{name} {}: label", var.name);
        // haven gives the format's name (DATE), the crate the name with its width (DATE9).
        assert!(
            var.format.starts_with(&record[2]),
            "{name} {}: format {} vs haven's {}",
            var.name,
            var.format,
            &record[2]
        );
    }
    compared
}

fn read_ok(path: &str) -> SasTable {
    read(&repo(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn every_value_equals_what_haven_reads() {
    let mut total = 0;
    for (file, name) in [
        (
            "tests/data/example_trial_head.sas7bdat",
            "example_trial_head",
        ),
        ("tests/data/sas7bdat/haven_iris.sas7bdat", "haven_iris"),
        ("tests/data/sas7bdat/edge_values.sas7bdat", "edge_values"),
        ("tests/data/sas7bdat/many_rows.sas7bdat", "many_rows"),
        ("tests/data/sas7bdat/many_columns.sas7bdat", "many_columns"),
        ("tests/data/sas7bdat/rle_edge.sas7bdat", "rle_edge"),
        (
            "tests/data/sas7bdat/example_trial_rle.sas7bdat",
            "example_trial_rle",
        ),
    ] {
        let n = compare(&read_ok(file), name);
        eprintln!("{name}: {n} values equal to haven's");
        total += n;
    }
    eprintln!("{total} values in all");
    assert_eq!(
        total,
        40 * 8 + 150 * 5 + 60 * 10 + 3000 * 4 + 20 * 401 + 1500 * 5 + 2208 * 8
    );
}

/// The compressed files are compressed, and read whole with the data set's label.
#[test]
fn rle_compressed_files_are_read() {
    for (file, label, rows) in [
        (
            "tests/data/sas7bdat/rle_edge.sas7bdat",
            "RLE edge cases",
            1500,
        ),
        (
            "tests/data/sas7bdat/example_trial_rle.sas7bdat",
            "Example trial, RLE-compressed",
            2208,
        ),
    ] {
        let bytes = std::fs::read(repo(file)).unwrap();
        assert!(bytes.windows(8).any(|w| w == b"SASYZCRL"), "{file}");
        let t = read_ok(file);
        assert_eq!(t.label, label);
        assert_eq!(t.frame.height(), rows);
    }
    let t = read_ok("tests/data/sas7bdat/rle_edge.sas7bdat");
    let note = t.frame.column("note").unwrap().str().unwrap().clone();
    assert_eq!(note.get(6).unwrap(), "w".repeat(300));
    let x = t.frame.column("x").unwrap().str().unwrap().clone();
    assert_eq!(x.get(10), None); // .A
}

/// The edge cases, spelled out: the values that a lossy reader gets wrong.
#[test]
fn edge_values_are_read_exactly() {
    let t = read_ok("tests/data/sas7bdat/edge_values.sas7bdat");
    let col = |name: &str| t.frame.column(name).unwrap().str().unwrap().clone();
    let num = col("num");
    // 0, -0, -1, 1, -2.5, pi, 1e-17, -1e-17, 1e-300, 5e-324 (subnormal), ±1e308, 2^53, 2^53 + 2.
    let want = [
        0.0,
        -0.0,
        -1.0,
        1.0,
        -2.5,
        std::f64::consts::PI,
        1e-17,
        -1e-17,
        1e-300,
        5e-324,
        1e308,
        -1e308,
        9007199254740992.0,
        9007199254740994.0,
    ];
    for (i, w) in want.iter().enumerate() {
        let got: f64 = num.get(i).unwrap().parse().unwrap();
        assert_eq!(got.to_bits(), w.to_bits(), "num[{i}]: {got:e} vs {w:e}");
    }
    // Special missing values (.A–.Z) on even rows, `.` on row 4.
    let special = col("special");
    for i in (1..60).step_by(2) {
        assert_eq!(special.get(i), None, "special[{i}]");
    }
    assert!(col("all_missing").iter().all(|v| v.is_none()));
    // Dates stay SAS numbers (days since 1960-01-01), as in a transport file; one is missing.
    assert_eq!(col("date").get(4), None);
    assert!(col("date").get(0).unwrap().parse::<f64>().is_ok());
    // 1,200 characters kept whole; labels and the formats of dates.
    assert_eq!(col("long").get(2).unwrap(), "x".repeat(1200));
    let var = |n: &str| t.variables.iter().find(|v| v.name == n).unwrap().clone();
    assert_eq!(var("num").label, "A number with a label");
    assert_eq!(var("text").label, "Text, with a label");
    assert!(var("date").format.starts_with("DATE"));
    assert!(!var("text").numeric && var("date").numeric);
}

/// The data set that `make_sas7bdat.R` wrote from the first 40 rows of the example trial: every
/// value equal to the CSV it came from.
#[test]
fn example_trial_head_equals_its_csv() {
    let t = read_ok("tests/data/example_trial_head.sas7bdat");
    let mut rdr = csv::Reader::from_path(repo("data/example_trial.csv")).unwrap();
    let header: Vec<String> = rdr.headers().unwrap().iter().map(String::from).collect();
    let names: Vec<&str> = t.variables.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(header, names);
    let rows: Vec<csv::StringRecord> = rdr.records().take(40).map(|r| r.unwrap()).collect();
    assert_eq!(t.frame.height(), 40);
    for (j, var) in t.variables.iter().enumerate() {
        let column = t.frame.column(&var.name).unwrap().str().unwrap().clone();
        for (i, row) in rows.iter().enumerate() {
            let got = column.get(i).unwrap_or("");
            if var.numeric {
                let x: f64 = got.parse().unwrap();
                let y: f64 = row[j].parse().unwrap();
                assert_eq!(x.to_bits(), y.to_bits(), "row {} {}", i + 1, var.name);
            } else {
                assert_eq!(got, &row[j], "row {} {}", i + 1, var.name);
            }
        }
    }
}
