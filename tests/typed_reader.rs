//! The typed fast path for long files builds exactly the cohort the validating string reader
//! builds (and is the one taken for well-formed long files).

use std::path::Path;
use trialstat::data::{read_cohort, read_cohort_string_reader_only, ReadOptions, ReaderKind};

/// The cohort as read by default and by the string reader alone (each printed with the reader
/// field set alike), and the reader the default read took.
fn both(path: &Path, options: ReadOptions) -> (String, String, ReaderKind) {
    let mut fast = read_cohort(path, &options).unwrap();
    let slow = read_cohort_string_reader_only(path, &options).unwrap();
    assert_eq!(slow.source.reader, ReaderKind::CsvStrings);
    let reader = fast.source.reader;
    fast.source.reader = ReaderKind::CsvStrings;
    (format!("{fast:?}"), format!("{slow:?}"), reader)
}

#[test]
fn fast_and_string_readers_agree_on_long_files() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for file in [
        "data/baricitinib_case_series.csv",
        "data/example_trial.csv",
        "tests/data/chickweight.csv",
        "tests/data/anorexia.csv",
        "tests/data/sleep.csv",
        "tests/data/long_unsorted.csv",
    ] {
        let path = root.join(file);
        let (fast, slow, reader) = both(&path, ReadOptions::default());
        assert_eq!(fast, slow, "{file}");
        if file.starts_with("data/") || file.contains("long_") {
            assert_eq!(
                reader,
                ReaderKind::CsvTyped,
                "{file} should take the typed path"
            );
        }
    }
    // With endpoints chosen: left-out rows are accounted for identically.
    let path = root.join("data/example_trial.csv");
    let (fast, slow, reader) = both(
        &path,
        ReadOptions {
            endpoints: Some(vec!["ERYTHEMA".into(), "pruritus".into()]),
            ..ReadOptions::default()
        },
    );
    assert_eq!(reader, ReaderKind::CsvTyped);
    assert_eq!(fast, slow);
}

#[test]
fn blank_lines_are_skipped_with_a_warning_by_both_readers() {
    let dir = tempfile::tempdir().unwrap();
    let body = "patient_id,arm,visit,week,endpoint,value\nP1,a,baseline,0,x,1\nP1,a,week1,1,x,2\nP2,a,baseline,0,x,3\nP2,a,week1,1,x,1\n";
    let blank_in_the_middle = body.replace("P2,a,baseline", "\nP2,a,baseline");
    for (i, (text, blanks, expected)) in [
        (format!("{body}\n"), 1, ReaderKind::CsvTyped),
        (format!("{body}\r\n\n"), 2, ReaderKind::CsvTyped),
        (blank_in_the_middle, 1, ReaderKind::CsvStrings),
    ]
    .iter()
    .enumerate()
    {
        let path = dir.path().join(format!("b{i}.csv"));
        std::fs::write(&path, text).unwrap();
        let (fast, slow, reader) = both(&path, ReadOptions::default());
        assert_eq!(fast, slow, "case {i}");
        assert_eq!(reader, *expected, "case {i}");
        let cohort = read_cohort(&path, &ReadOptions::default()).unwrap();
        assert_eq!(
            cohort.warnings[0],
            format!("{blanks} blank line(s) skipped")
        );
        assert_eq!(cohort.rows_read, 4);
    }
    // A row of empty fields is not a blank line: still an error naming it.
    let path = dir.path().join("empty_fields.csv");
    std::fs::write(&path, format!("{body},,,,,\n")).unwrap();
    assert!(read_cohort(&path, &ReadOptions::default()).is_err());
}

#[test]
fn a_file_with_quotes_takes_the_whole_file_parse() {
    // Quotes rule out cutting the file at newlines: polars parses it whole (Enums over the
    // sampled names, ids indexed in parallel parts), with the same cohort as the string reader.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join("tests/data/long_unsorted.csv")).unwrap();
    let mut lines = text.lines();
    let mut quoted = format!("{}\n", lines.next().unwrap());
    for line in lines {
        let (id, rest) = line.split_once(',').unwrap();
        quoted.push_str(&format!("\"{id}\",{rest}\n"));
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("quoted.csv");
    std::fs::write(&path, quoted).unwrap();
    let (fast, slow, reader) = both(&path, ReadOptions::default());
    assert_eq!(reader, ReaderKind::CsvTyped);
    assert_eq!(fast, slow);
}

/// Files the typed reader does not take are read by the string reader, with the same cohort a
/// well-formed file gives; a file that is unusual but well-formed stays on the typed path.
#[test]
fn anything_unusual_falls_back_to_the_string_reader() {
    let dir = tempfile::tempdir().unwrap();
    let header = "patient_id,arm,visit,week,endpoint,value";
    let body = "P1,a,baseline,0,x,1\nP1,a,week1,1,x,2\nP2,a,baseline,0,x,3\nP2,a,week1,1,x,1\n";
    let cases = [
        // Typed: negative values and NA give a warning with the line, identical from both.
        (
            "negative values".to_string(),
            format!("{header}\nP1,a,baseline,0,x,-1\nP1,a,week1,1,x,2\nP2,a,baseline,0,x,3\nP2,a,week1,1,x,NA\n"),
            ReaderKind::CsvTyped,
        ),
        // The rest fall back: the string reader trims, strips and normalises.
        (
            "padded patient id".to_string(),
            format!("{header}\n P1,a,baseline,0,x,1\nP1,a,week1,1,x,2\n"),
            ReaderKind::CsvStrings,
        ),
        (
            "padded visit".to_string(),
            format!("{header}\n{}", body.replace(",week1,", ", week1,")),
            ReaderKind::CsvStrings,
        ),
        (
            "padded column name".to_string(),
            format!("{}\n{body}", header.replace(",value", ", value")),
            ReaderKind::CsvStrings,
        ),
        (
            "byte-order mark".to_string(),
            format!("\u{feff}{header}\n{body}"),
            ReaderKind::CsvStrings,
        ),
    ];
    let mut checked = 0;
    for (i, (what, text, expected)) in cases.iter().enumerate() {
        let path = dir.path().join(format!("c{i}.csv"));
        std::fs::write(&path, text).unwrap();
        let (fast, slow, reader) = both(&path, ReadOptions::default());
        assert_eq!(reader, *expected, "{what}: read by the wrong reader");
        assert_eq!(fast, slow, "{what}");
        checked += 1;
    }
    assert_eq!(checked, 5);
}
