//! The typed reader's modes agree with each other, and its sampling and parses are the ones
//! taken.

use super::*;

/// The Enum + string mode and the categorical mode build the same cohort.
#[test]
fn both_typed_modes_agree() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for file in [
        "data/baricitinib_case_series.csv",
        "data/example_trial.csv",
        "tests/data/long_unsorted.csv",
    ] {
        let path = root.join(file);
        let head = std::fs::read_to_string(&path).unwrap();
        let options = ReadOptions::default();
        let read = |try_enum| {
            read_long_typed(&path, &options, &head, b',', try_enum)
                .expect("typed path taken")
                .unwrap()
        };
        let categorical = format!("{:?}", read(None));
        // The chunked parse is the one taken (not the whole-file fallback).
        let header: Vec<String> = head
            .lines()
            .next()
            .unwrap()
            .split(',')
            .map(String::from)
            .collect();
        let cols = Columns::resolve(&header, &options).unwrap();
        let sampled = sample_names(&path, b',', &header, &cols).unwrap();
        for chunk_bytes in [1, 100, CHUNK_BYTES] {
            let ChunkedParse { df, ids, .. } =
                parse_chunked(&path, b',', &header, &cols, &sampled, chunk_bytes)
                    .expect("chunked parse");
            assert_eq!(
                ids.iter().map(|c| c.codes.len()).sum::<usize>(),
                df.height()
            );
            if chunk_bytes == 1 {
                assert_eq!(ids.len(), df.height(), "one row per chunk");
            }
        }
        // One chunk, and chunks of a few lines (ids merged across chunks).
        for chunk_bytes in [CHUNK_BYTES, 1, 100, 1000] {
            assert_eq!(
                format!("{:?}", read(Some(chunk_bytes))),
                categorical,
                "{file}, chunks of {chunk_bytes} bytes"
            );
        }
    }
}

/// A long file without an arm column takes the Enum parse too.
#[test]
fn no_arm_column_parses_with_enums() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("no_arm.csv");
    std::fs::write(
        &path,
        "id,visit,week,endpoint,value\nP1,baseline,0,x,3\nP1,week4,4,x,2\nP2,baseline,0,x,4\nP2,week4,4,x,1\n",
    )
    .unwrap();
    let cols = Columns {
        id: "id".into(),
        arm: None,
        visit: "visit".into(),
        week: Some("week".into()),
        endpoint: "endpoint".into(),
        value: "value".into(),
    };
    let header: Vec<String> = ["id", "visit", "week", "endpoint", "value"]
        .map(String::from)
        .to_vec();
    let sampled = sample_names(&path, b',', &header, &cols).unwrap();
    assert_eq!(sampled.visits, vec!["baseline", "week4"]);
    let df = parse(&path, b',', &cols, &Mode::Enum(&sampled)).expect("Enum parse");
    assert_eq!(df.height(), 4);
}

#[test]
fn a_name_the_sample_missed_falls_back_to_categoricals() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.csv");
    // 16 MiB, so that 64 windows of 64 KiB are sampled; one endpoint appears on a single
    // row only, half-way between two windows.
    let mut text = String::from("patient_id,arm,visit,week,endpoint,value\n");
    let mut p = 0;
    while text.len() < (16 << 20) {
        p += 1;
        for (v, w) in [("baseline", 0), ("week12", 12)] {
            let arm = ["a", "b"][p % 2];
            text.push_str(&format!("P{p:07},{arm},{v},{w},erythema,{}\n", 1 + p % 3));
        }
    }
    let gap = text.len() / 63;
    let at = 31 * gap + gap / 2;
    let at = at + text[at..].find('\n').unwrap() + 1;
    text.insert_str(at, "P0000001,b,week12,12,rare_endpoint,1\n");
    std::fs::write(&path, &text).unwrap();
    let options = ReadOptions::default();
    let cols = Columns {
        id: "patient_id".into(),
        arm: Some("arm".into()),
        visit: "visit".into(),
        week: Some("week".into()),
        endpoint: "endpoint".into(),
        value: "value".into(),
    };
    let header: Vec<String> = ["patient_id", "arm", "visit", "week", "endpoint", "value"]
        .map(String::from)
        .to_vec();
    let sampled = sample_names(&path, b',', &header, &cols).unwrap();
    assert!(!sampled.endpoints.iter().any(|e| e == "rare_endpoint"));
    let head = &text[..4096];
    let fast = read_long_typed(&path, &options, head, b',', Some(CHUNK_BYTES))
        .unwrap()
        .unwrap();
    let slow = read_long_typed(&path, &options, head, b',', None)
        .unwrap()
        .unwrap();
    assert_eq!(fast.endpoints, vec!["erythema", "rare_endpoint"]);
    assert_eq!(format!("{fast:?}"), format!("{slow:?}"));
}
