//! `trialstat report`: the three documents are written, every number of the HTML tables equals
//! the results table at the precision shown, user names are escaped, the RTF reads back through
//! pandoc, the page renders in headless Chromium, and the output is byte-identical across runs.
//!
//! pandoc and Chromium are optional on a developer's machine (the tests say they skipped);
//! `.ci/run` installs both and sets TRIALSTAT_REQUIRE_TOOLS=1, which turns a skip into a failure.

use assert_cmd::Command;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use trialstat::report::document::{fixed, Rounding};

const EPOCH: &str = "1764460800";

fn report(input: &str, out: &Path, extra: &[&str]) {
    Command::cargo_bin("trialstat")
        .unwrap()
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .arg("report")
        .arg(input)
        .arg("--out")
        .arg(out)
        .args(extra)
        .assert()
        .success();
}

/// Fields of the results CSV by data row.
fn csv_rows(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_path(path).unwrap();
    let header = r.headers().unwrap().iter().map(String::from).collect();
    let rows = r
        .records()
        .map(|rec| rec.unwrap().iter().map(String::from).collect())
        .collect();
    (header, rows)
}

/// (attributes, text) of every `<td data-row=…>` cell.
fn source_cells(html: &str) -> Vec<(HashMap<String, String>, String)> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find("<td data-row=") {
        rest = &rest[i + 3..];
        let close = rest.find('>').unwrap();
        let attrs: HashMap<String, String> = rest[..close]
            .split_whitespace()
            .filter_map(|kv| {
                let (k, v) = kv.split_once('=')?;
                Some((k.to_string(), v.trim_matches('"').to_string()))
            })
            .collect();
        let end = rest.find("</td>").unwrap();
        out.push((attrs, rest[close + 1..end].to_string()));
        rest = &rest[end..];
    }
    out
}

fn tool(name: &str) -> Option<PathBuf> {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join(name))
            .find(|p| p.is_file())
    });
    if found.is_none() {
        assert!(
            std::env::var_os("TRIALSTAT_REQUIRE_TOOLS").is_none(),
            "{name} is required (TRIALSTAT_REQUIRE_TOOLS is set) but not on PATH"
        );
        eprintln!("skipped: {name} is not installed");
    }
    found
}

#[test]
fn every_number_in_the_html_equals_the_results_table() {
    let dir = tempfile::tempdir().unwrap();
    report("data/example_trial.csv", dir.path(), &[]);
    for f in ["report.html", "report.rtf", "report.md", "results.csv"] {
        assert!(dir.path().join(f).is_file(), "{f}");
    }
    assert_eq!(
        std::fs::read_dir(dir.path().join("figures"))
            .unwrap()
            .count(),
        21
    );
    let html = std::fs::read_to_string(dir.path().join("report.html")).unwrap();
    let (header, rows) = csv_rows(&dir.path().join("results.csv"));
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (est, lo, hi, stat, p) = (
        col("estimate"),
        col("ci_low"),
        col("ci_high"),
        col("statistic"),
        col("p_value"),
    );
    let cells = source_cells(&html);
    assert!(cells.len() > 500, "{} cells", cells.len());
    let mut checked = 0;
    for (attrs, text) in &cells {
        let i: usize = attrs["data-row"].parse().unwrap();
        let scale: f64 = attrs["data-scale"].parse().unwrap();
        let d: usize = attrs["data-decimals"].parse().unwrap();
        let row = &rows[i];
        let num = |k: usize| row[k].parse::<f64>().ok();
        let f = |x: f64| fixed(scale * x, d, Rounding::Sas);
        let mut expected = String::new();
        match (num(est), num(lo), num(hi)) {
            (Some(e), Some(l), Some(h)) => expected = format!("{} ({}, {})", f(e), f(l), f(h)),
            (Some(e), None, None) => expected = f(e),
            (None, Some(l), Some(h)) => expected = format!("({}, {})", f(l), f(h)),
            _ => {
                if let Some(s) = num(stat) {
                    expected = format!("={}", fixed(s, 2, Rounding::Sas));
                }
            }
        }
        if let Some(pv) = num(p) {
            let pt = if pv < 0.001 {
                "p&lt;0.001".to_string()
            } else if pv > 0.999 {
                "p&gt;0.999".to_string()
            } else {
                format!("p={}", fixed(pv, 3, Rounding::Sas))
            };
            expected = if expected.is_empty() {
                pt
            } else {
                format!("{expected}; {pt}")
            };
        }
        assert!(
            text.contains(&expected),
            "row {i}: cell '{text}', expected '{expected}' from {row:?}"
        );
        checked += 1;
    }
    eprintln!("{checked} cells checked against results.csv");
    // Every row of the results table is in the report.
    let shown: std::collections::BTreeSet<usize> = cells
        .iter()
        .map(|(a, _)| a["data-row"].parse().unwrap())
        .collect();
    let missing: Vec<usize> = (0..rows.len()).filter(|i| !shown.contains(i)).collect();
    assert!(missing.is_empty(), "rows not in the report: {missing:?}");
}

#[test]
fn user_names_are_escaped() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("evil.csv");
    let mut text = String::from("patient_id,arm,visit,week,endpoint,value\n");
    for p in 1..=6 {
        let b = 3.0 + p as f64 * 0.1;
        text += &format!("p{p},<b>arm</b>,baseline,0,<script>alert(1)</script>,{b}\n");
        text += &format!(
            "p{p},<b>arm</b>,week12,12,<script>alert(1)</script>,{}\n",
            b - 1.0 - p as f64 * 0.05
        );
    }
    std::fs::write(&input, text).unwrap();
    let out = dir.path().join("out");
    report(input.to_str().unwrap(), &out, &[]);
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(!html.contains("<script"), "unescaped script tag");
    assert!(!html.contains("<b>arm"), "unescaped markup");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(md.contains(r"\<script\>alert(1)\</script\>"));
    let rtf = std::fs::read_to_string(out.join("report.rtf")).unwrap();
    assert!(rtf.contains("<script>alert(1)</script>"));
}

#[test]
fn reports_are_byte_identical_across_runs_and_thread_counts() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r");
    report("data/tofacitinib_case_series.csv", &out, &[]);
    let first: Vec<Vec<u8>> = ["report.html", "report.rtf", "report.md"]
        .iter()
        .map(|f| std::fs::read(out.join(f)).unwrap())
        .collect();
    Command::cargo_bin("trialstat")
        .unwrap()
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .env("RAYON_NUM_THREADS", "1")
        .args(["report", "data/tofacitinib_case_series.csv", "--out"])
        .arg(&out)
        .assert()
        .success();
    for (f, before) in ["report.html", "report.rtf", "report.md"].iter().zip(first) {
        assert!(std::fs::read(out.join(f)).unwrap() == before, "{f} differs");
    }
    // No temporary file is left behind.
    let names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| !n.starts_with('.')), "{names:?}");
}

#[test]
fn the_input_is_never_overwritten_and_bad_input_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("results.csv");
    std::fs::copy("data/tofacitinib_case_series.csv", &input).unwrap();
    let before = std::fs::read(&input).unwrap();
    Command::cargo_bin("trialstat")
        .unwrap()
        .args(["report"])
        .arg(&input)
        .arg("--out")
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "refusing to overwrite the input file",
        ));
    assert_eq!(std::fs::read(&input).unwrap(), before);
    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "patient_id,arm,visit,endpoint,value\np1,a,baseline,x,abc\n",
    )
    .unwrap();
    Command::cargo_bin("trialstat")
        .unwrap()
        .args(["report"])
        .arg(&bad)
        .arg("--out")
        .arg(dir.path().join("o"))
        .assert()
        .code(2)
        .stderr(predicates::str::contains("bad.csv"));
}

#[test]
fn rtf_reads_back_through_pandoc_with_the_table_text() {
    let Some(pandoc) = tool("pandoc") else { return };
    let dir = tempfile::tempdir().unwrap();
    report("data/tofacitinib_case_series.csv", dir.path(), &[]);
    let out = std::process::Command::new(pandoc)
        .args(["-f", "rtf", "-t", "plain", "--wrap=none"])
        .arg(dir.path().join("report.rtf"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let html = std::fs::read_to_string(dir.path().join("report.html")).unwrap();
    let cells = source_cells(&html);
    assert!(!cells.is_empty());
    for (_, cell) in &cells {
        let cell = cell.replace("&lt;", "<").replace("&gt;", ">");
        assert!(text.contains(&cell), "RTF text lacks '{cell}'");
    }
    assert!(text.contains("Table 1. plaque_thickness_mm: change from baseline to week12"));
    assert!(text.contains("Statistical methods"));
    // Non-ASCII text survives (en dash, minus sign).
    assert!(
        text.contains("Pseudo-median change (Hodges–Lehmann)"),
        "{text}"
    );
}

#[test]
fn html_renders_in_headless_chromium() {
    let Some(chromium) = tool("chromium").or_else(|| tool("chromium-browser")) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    report("data/example_trial.csv", dir.path(), &[]);
    let page = dir.path().join("report.html");
    let url = format!("file://{}", page.display());
    let shot = dir.path().join("shot.png");
    let common = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--hide-scrollbars",
        "--enable-logging=stderr",
        "--v=0",
    ];
    let out = std::process::Command::new(&chromium)
        .args(common)
        .arg("--window-size=1280,2000")
        .arg(format!("--screenshot={}", shot.display()))
        .arg(&url)
        .output()
        .unwrap();
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(shot.is_file(), "no screenshot: {log}");
    assert!(
        !log.lines()
            .any(|l| l.contains(":CONSOLE(") || l.contains("Uncaught")),
        "console messages: {log}"
    );
    // The page rendered: a large share of the screenshot is not white, and it has dark text.
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&shot).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    let px = info.color_type.samples();
    let pixels = &buf[..info.buffer_size()];
    let dark = pixels
        .chunks(px)
        .filter(|p| p[0] < 80 && p[1] < 80 && p[2] < 80)
        .count();
    let total = pixels.len() / px;
    assert!(
        dark * 1000 > total,
        "blank page: {dark} dark of {total} pixels"
    );
    // Every table and figure is in the rendered DOM.
    let dom = std::process::Command::new(&chromium)
        .args(common)
        .arg("--dump-dom")
        .arg(&url)
        .output()
        .unwrap();
    let dom = String::from_utf8_lossy(&dom.stdout);
    assert_eq!(dom.matches("<table class=\"csr\"").count(), 16);
    assert_eq!(dom.matches("<figure id=").count(), 21);
    assert_eq!(dom.matches("<svg").count(), 21);
}
