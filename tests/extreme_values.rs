//! Extreme but finite values (1e308, 5e-324, the largest double, …) in an ordinary file must give
//! results, or empty cells with a note, and never a panic ("internal error", exit 1).
//!
//! Regression: one value of 1e308 in `data/example_trial.csv` overflowed a variance to ∞, the t
//! statistic became NaN and statrs' `beta_reg` panicked on it (`XOutOfRange`); seeded mutations
//! of ordinary files found the same crash again. The test below mutates the example trial with a
//! fixed seed and runs the binary on every mutated file.

mod common;

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use trialstat::rng::SplitMix64;

const EXTREMES: [&str; 9] = [
    "1e308",
    "-1e308",
    "1e-308",
    "-1e-308",
    "5e-324",
    "1.7976931348623157e308",
    "-1.7976931348623157e308",
    "2.2250738585072014e-308",
    "1e300",
];

const ENDPOINTS: [&str; 4] = ["plaque_thickness_mm", "erythema", "induration", "pruritus"];

/// The option sets each mutated file is analysed with, in turn.
const OPTIONS: [&[&str]; 7] = [
    &["--format", "csv"],
    &["--format", "table", "--conf-level", "0.9"],
    &["--format", "json", "--pratt", "--adjust", "holm"],
    &["--format", "csv", "--bootstrap", "200", "--seed", "3"],
    &["--format", "csv", "--missing", "locf"],
    &[
        "--format",
        "csv",
        "--covariate",
        "site",
        "--covariate",
        "baseline_severity",
    ],
    &["--format", "csv", "--missing", "nri", "--layout", "long"],
];

/// `k`-th mutated copy of the example trial: extreme values put into rows of one endpoint, in one
/// of three patterns (scattered rows, a whole arm × visit cell, baselines only).
fn mutate(lines: &[&str], k: usize, rng: &mut SplitMix64) -> (String, &'static str) {
    let endpoint = ENDPOINTS[k % ENDPOINTS.len()];
    let rows: Vec<usize> = (1..lines.len())
        .filter(|&i| lines[i].split(',').nth(6) == Some(endpoint))
        .collect();
    let mut out: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    let mut set = |i: usize, value: &str| {
        let mut fields: Vec<&str> = lines[i].split(',').collect();
        fields[7] = value;
        out[i] = fields.join(",");
    };
    let pick = |rng: &mut SplitMix64| EXTREMES[rng.next_u64() as usize % EXTREMES.len()];
    match (k / ENDPOINTS.len()) % 3 {
        0 => {
            for _ in 0..1 + rng.next_u64() % 6 {
                let i = rows[rng.next_u64() as usize % rows.len()];
                set(i, pick(rng));
            }
        }
        1 => {
            // Every value of one arm at one visit, all the same or all different.
            let i = rows[rng.next_u64() as usize % rows.len()];
            let f: Vec<&str> = lines[i].split(',').collect();
            let same = rng.next_u64().is_multiple_of(2);
            let v = pick(rng);
            for &j in &rows {
                let g: Vec<&str> = lines[j].split(',').collect();
                if g[1] == f[1] && g[4] == f[4] {
                    set(j, if same { v } else { pick(rng) });
                }
            }
        }
        _ => {
            let baselines: Vec<usize> = rows
                .iter()
                .copied()
                .filter(|&i| lines[i].split(',').nth(4) == Some("baseline"))
                .collect();
            for _ in 0..1 + rng.next_u64() % 10 {
                let i = baselines[rng.next_u64() as usize % baselines.len()];
                set(i, pick(rng));
            }
        }
    }
    (out.join("\n") + "\n", endpoint)
}

#[test]
fn extreme_finite_values_never_cause_an_internal_error() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("data/example_trial.csv"),
    )
    .unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let dir = tempfile::tempdir().unwrap();
    // TRIALSTAT_MUTATIONS=N checks N files (and other seeds' mutations) for a deeper search.
    let files: usize = std::env::var("TRIALSTAT_MUTATIONS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(42);
    let mut rng = SplitMix64(13 + files as u64);
    let cases: Vec<(std::path::PathBuf, &str, &[&str])> = (0..files)
        .map(|k| {
            let (content, endpoint) = mutate(&lines, k, &mut rng);
            let path = dir.path().join(format!("mutated_{k}.csv"));
            std::fs::write(&path, content).unwrap();
            (path, endpoint, OPTIONS[k % OPTIONS.len()])
        })
        .collect();
    let (checked, analysed) = (AtomicUsize::new(0), AtomicUsize::new(0));
    let failures = std::sync::Mutex::new(Vec::new());
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get().min(4));
    std::thread::scope(|s| {
        for t in 0..threads {
            let (cases, checked, analysed, failures) = (&cases, &checked, &analysed, &failures);
            s.spawn(move || {
                for (path, endpoint, options) in cases.iter().skip(t).step_by(threads) {
                    // One endpoint per run (the mutated one) keeps the test quick.
                    let mut args = vec!["analyze", path.to_str().unwrap(), "--endpoints"];
                    args.push(endpoint);
                    args.extend_from_slice(options);
                    let (code, out, err) = common::run_trialstat(&args);
                    checked.fetch_add(1, Ordering::Relaxed);
                    if code == 0 {
                        analysed.fetch_add(1, Ordering::Relaxed);
                    }
                    if !(code == 0 || code == 2) || err.contains("panicked") || out.contains("NaN")
                    {
                        let content = std::fs::read_to_string(path).unwrap();
                        let changed: Vec<&str> = content
                            .lines()
                            .filter(|l| EXTREMES.iter().any(|e| l.ends_with(&format!(",{e}"))))
                            .take(8)
                            .collect();
                        let nan = out.lines().find(|l| l.contains("NaN")).unwrap_or("");
                        failures.lock().unwrap().push(format!(
                            "{args:?} exit {code}; mutated rows (first 8) {changed:?}\n{}\n{nan}",
                            err.lines().take(3).collect::<Vec<_>>().join("\n")
                        ));
                    }
                }
            });
        }
    });
    let failures = failures.into_inner().unwrap();
    assert!(
        failures.is_empty(),
        "{} of {files} mutated files failed:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
    assert_eq!(checked.into_inner(), files);
    // Extreme values are valid numbers: the analysis runs (exit 0), it is not refused.
    assert_eq!(
        analysed.into_inner(),
        files,
        "some mutated files were refused"
    );
}

/// The first file that crashed: one baseline of 1e308. The rows whose numbers overflow are
/// empty with a note saying why; the others are computed; no cell is NaN.
#[test]
fn one_value_of_1e308_gives_results_or_empty_cells_with_a_note() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("data/example_trial.csv"),
    )
    .unwrap();
    let mutated = text.replacen(
        "E001,tofacitinib,S1,moderate,baseline,0,pruritus,7\n",
        "E001,tofacitinib,S1,moderate,baseline,0,pruritus,1e308\n",
        1,
    );
    assert_ne!(mutated, text);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("one_1e308.csv");
    std::fs::write(&path, mutated).unwrap();
    let rows = common::analyze_rows(&[path.to_str().unwrap(), "--endpoints", "pruritus"]);
    let (mut emptied, mut computed) = (0, 0);
    for r in rows.iter().filter(|r| r["arm"] == "tofacitinib") {
        assert!(r.values().all(|v| v != "NaN"), "a NaN cell: {r:?}");
        if !["paired_t", "one_sample_t", "welch_t", "student_t"].contains(&r["method"].as_str()) {
            continue;
        }
        if r["p_value"].is_empty() {
            assert!(
                r["note"].contains("beyond the range of double precision"),
                "an empty p-value without its reason: {r:?}"
            );
            emptied += 1;
        } else {
            computed += 1;
        }
    }
    // Percent change overflows (100 × (7 − 1e308) / 1e308 = −∞) and Welch's df is ∞/∞; the
    // paired t of the change itself is computed (t = 0, as R's t.test gives).
    assert!(
        emptied >= 4 && computed >= 4,
        "{emptied} emptied, {computed} computed"
    );
}
