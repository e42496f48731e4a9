//! SAS data sets (sas7bdat) through the binary and the front door:
//! - the example trial written by `haven::write_sas` (tests/data/make_sas7bdat.R) gives byte for
//!   byte the results of the CSV it came from (and so does the RLE-compressed copy ReadStat's
//!   writer made, tests/data/sas7bdat/rle_write.c), and its first 40 rows those of the same rows as
//!   CSV and as a transport file; the meta names the format and the data set;
//! - malformed files (truncated, a damaged header, the `sas7bdat` crate's own fuzz artifacts,
//!   and thousands of seeded byte mutations of real files) exit 2 with a message naming the
//!   file, or read (a mutation inside a value is still a file), and never panic.

use assert_cmd::Command;
use rand::{Rng, SeedableRng};
use std::path::{Path, PathBuf};
use trialstat::data::{read_cohort, ReadOptions};

fn repo(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(p)
}

fn run(args: &[&str]) -> std::process::Output {
    Command::cargo_bin("trialstat")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .output()
        .unwrap()
}

fn results(args: &[&str]) -> Vec<u8> {
    let out = run(args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

#[test]
fn the_example_trial_as_sas7bdat_gives_the_results_of_the_csv() {
    for extra in [
        &[][..],
        &["--missing", "locf", "--responder", "30"][..],
        &["--covariate", "site", "--covariate", "baseline_severity"][..],
    ] {
        let with = |file: &str| {
            let mut a = vec!["analyze", file, "--format", "csv"];
            a.extend_from_slice(extra);
            results(&a)
        };
        let from_csv = with("data/example_trial.csv");
        assert!(from_csv.len() > 10_000);
        assert!(
            from_csv == with("tests/data/example_trial.sas7bdat"),
            "{extra:?}"
        );
        assert!(
            from_csv == with("tests/data/sas7bdat/example_trial_rle.sas7bdat"),
            "RLE-compressed, {extra:?}"
        );
    }
}

#[test]
fn the_first_40_rows_give_the_results_of_the_same_rows_as_csv_and_xpt() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("head.csv");
    let text = std::fs::read_to_string(repo("data/example_trial.csv")).unwrap();
    let head: Vec<&str> = text.lines().take(41).collect();
    std::fs::write(&csv, head.join("\n") + "\n").unwrap();
    let with = |file: &str| results(&["analyze", file, "--format", "csv"]);
    let from_csv = with(csv.to_str().unwrap());
    assert!(from_csv == with("tests/data/example_trial_head.sas7bdat"));
    assert!(from_csv == with("tests/data/example_trial_head.xpt"));
}

#[test]
fn the_meta_names_the_format_and_the_data_set() {
    let out = results(&[
        "analyze",
        "tests/data/example_trial.sas7bdat",
        "--format",
        "json",
    ]);
    let json: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let input = &json["meta"]["input"];
    assert_eq!(input["rows"], 2208);
    assert_eq!(input["file"]["format"], "sas7bdat");
    // haven names every data set it writes DATASET.
    assert_eq!(input["file"]["member"], "DATASET");
    let table = String::from_utf8(results(&[
        "analyze",
        "tests/data/example_trial.sas7bdat",
        "--format",
        "table",
    ]))
    .unwrap();
    assert!(table.contains("example_trial.sas7bdat, data set DATASET"));
    // --member must name that data set.
    let out = run(&[
        "analyze",
        "tests/data/example_trial.sas7bdat",
        "--member",
        "ADSL",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("'DATASET'"));
}

fn refused(file: &Path, words: &[&str]) {
    let out = run(&["analyze", file.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{}: {err}", file.display());
    assert!(!err.contains("panicked"), "{err}");
    assert!(err.contains(file.to_str().unwrap()), "{err}");
    for w in words {
        assert!(err.contains(w), "{w}: {err}");
    }
}

#[test]
fn truncated_and_damaged_files_exit_2_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = std::fs::read(repo("tests/data/example_trial.sas7bdat")).unwrap();
    for cut in [32, 100, 1024, 4096, 8192, bytes.len() / 2, bytes.len() - 1] {
        let f = dir.path().join(format!("cut{cut}.sas7bdat"));
        std::fs::write(&f, &bytes[..cut]).unwrap();
        refused(&f, &["not a readable SAS data set (sas7bdat)"]);
    }
    // The header's fields after the magic number overwritten.
    let mut damaged = bytes.clone();
    damaged[32..400].fill(0xff);
    let f = dir.path().join("damaged_header.sas7bdat");
    std::fs::write(&f, &damaged).unwrap();
    refused(&f, &["not a readable SAS data set (sas7bdat)"]);
    // The first page after the header (haven writes an 8 KiB header; the bytes up to it are
    // zeros) zeroed: the variables' descriptions are lost.
    let mut damaged = bytes.clone();
    assert!(bytes[1024..8192].iter().all(|&b| b == 0));
    damaged[8192..12288].fill(0);
    let f = dir.path().join("damaged_metadata.sas7bdat");
    std::fs::write(&f, &damaged).unwrap();
    refused(&f, &["not a readable SAS data set (sas7bdat)"]);
}

/// The inputs on which `cargo fuzz` once made the `sas7bdat` crate panic or exhaust memory
/// (copied from its tests/fixtures/fuzz, MIT).
#[test]
fn the_crates_fuzz_artifacts_exit_2_naming_the_file() {
    let dir = repo("tests/data/sas7bdat/fuzz");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        refused(
            path.strip_prefix(env!("CARGO_MANIFEST_DIR")).unwrap(),
            &["not a readable SAS data set (sas7bdat)"],
        );
        n += 1;
    }
    assert_eq!(n, 5);
}

/// Damage a copy of `bytes`: a few bytes set at random (anywhere, or in the header and
/// metadata where the layout is described), a 4-byte field set to an extreme, or a truncation.
fn mutate(bytes: &[u8], rng: &mut rand_chacha::ChaCha8Rng) -> Vec<u8> {
    let mut b = bytes.to_vec();
    let len = b.len();
    match rng.gen_range(0..4) {
        0 => {
            for _ in 0..rng.gen_range(1..=4) {
                let at = rng.gen_range(0..len);
                b[at] = rng.gen();
            }
        }
        1 => {
            for _ in 0..rng.gen_range(1..=8) {
                let at = rng.gen_range(32..len.min(16384));
                b[at] = rng.gen();
            }
        }
        2 => {
            let at = rng.gen_range(32..len.min(16384) - 8) & !3;
            let v: u32 = [0, 0xffff_ffff, 0x7fff_ffff, 0x8000_0000, rng.gen()][rng.gen_range(0..5)];
            b[at..at + 4].copy_from_slice(&v.to_le_bytes());
        }
        _ => b.truncate(rng.gen_range(0..len)),
    }
    b
}

/// Seeded mutations of three real files (one RLE-compressed) read through the front door, in-process: each is read or
/// refused with an error naming the file; a panic fails the test. Prints the counts.
#[test]
fn seeded_mutations_are_read_or_refused_never_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let mut rng = <rand_chacha::ChaCha8Rng as SeedableRng>::seed_from_u64(16);
    let (mut read, mut refused, mut contained) = (0, 0, 0);
    for (file, count) in [
        ("tests/data/example_trial_head.sas7bdat", 2000),
        ("tests/data/sas7bdat/edge_values.sas7bdat", 1000),
        ("tests/data/sas7bdat/example_trial_rle.sas7bdat", 1000),
    ] {
        let bytes = std::fs::read(repo(file)).unwrap();
        for i in 0..count {
            // A new file each time, the last one removed (not rewritten: the hash thread of a
            // refused file may still have it mapped, and a mapped file must not shrink).
            let path = dir.path().join(format!("mutated{i}.sas7bdat"));
            std::fs::write(&path, mutate(&bytes, &mut rng)).unwrap();
            // The error as its message: the panic check needs nothing else.
            let outcome = std::panic::catch_unwind(|| {
                read_cohort(&path, &ReadOptions::default()).map_err(|e| e.to_string())
            });
            match outcome {
                Err(_) => {
                    let keep = dir.path().join(format!("panic{i}.sas7bdat"));
                    std::fs::copy(&path, &keep).unwrap();
                    panic!("{file}, mutation {i}: a panic (kept as {})", keep.display());
                }
                Ok(Ok(_)) => read += 1,
                Ok(Err(message)) => {
                    assert!(
                        message.contains(path.to_str().unwrap()),
                        "{file}, mutation {i}: {message}"
                    );
                    if message.contains("reader failed") {
                        contained += 1;
                    }
                    refused += 1;
                }
            }
            std::fs::remove_file(&path).unwrap();
        }
    }
    eprintln!(
        "4000 mutations: {read} read, {refused} refused ({contained} of them a panic of the \
         sas7bdat crate, contained)"
    );
    assert_eq!(read + refused, 4000);
    assert!(refused > 500, "{refused}");
}

/// The same through the binary, for a sample: exit 0 or 2, never 101 (a panic).
#[test]
fn seeded_mutations_through_the_binary_exit_0_or_2() {
    let dir = tempfile::tempdir().unwrap();
    let mut rng = <rand_chacha::ChaCha8Rng as SeedableRng>::seed_from_u64(61);
    let bytes = std::fs::read(repo("tests/data/example_trial_head.sas7bdat")).unwrap();
    for i in 0..60 {
        let path = dir.path().join(format!("m{i}.sas7bdat"));
        std::fs::write(&path, mutate(&bytes, &mut rng)).unwrap();
        let out = run(&["analyze", path.to_str().unwrap(), "--format", "csv"]);
        let err = String::from_utf8_lossy(&out.stderr);
        match out.status.code() {
            Some(0) => {}
            Some(2) => assert!(err.contains(path.to_str().unwrap()), "{i}: {err}"),
            other => panic!("mutation {i}: exit {other:?}: {err}"),
        }
        assert!(!err.contains("panicked"), "{i}: {err}");
    }
}
