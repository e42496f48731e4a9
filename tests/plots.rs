//! Figures: every file is written, decodes, has the expected size, is not blank, shows the
//! expected number of bars and points, and is byte-identical across runs.

use assert_cmd::Command;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const DEMO: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/data/tofacitinib_case_series.csv"
);
const TRIAL: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/example_trial.csv");

fn plot(input: &str, dir: &Path, extra: &[&str]) -> Vec<PathBuf> {
    let out = Command::cargo_bin("trialstat")
        .unwrap()
        .args([
            "plot",
            input,
            "--out",
            dir.to_str().unwrap(),
            "--format",
            "both",
        ])
        .args(extra)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
}

fn decode(path: &Path) -> (u32, u32, Vec<u8>) {
    let decoder = png::Decoder::new(std::fs::File::open(path).unwrap());
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    buf.truncate(info.buffer_size());
    (info.width, info.height, buf)
}

/// Rectangles of each fill colour in an SVG file.
fn svg_fills(path: &Path) -> BTreeMap<String, usize> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut fills = BTreeMap::new();
    for rect in text.split("<rect").skip(1) {
        if let Some(i) = rect.find("fill=\"") {
            let colour = rect[i + 6..i + 13].to_string();
            *fills.entry(colour).or_insert(0) += 1;
        }
    }
    fills
}

#[test]
fn demo_figures_are_written_decode_and_are_not_blank() {
    let dir = tempfile::tempdir().unwrap();
    let files = plot(DEMO, dir.path(), &[]);
    // 2 endpoints (plaque thickness, induration) × (waterfall, spaghetti, responders,
    // distribution) + 1 forest, PNG and SVG
    assert_eq!(files.len(), 18, "{files:?}");
    for f in files.iter().filter(|f| f.extension().unwrap() == "png") {
        let (w, h, pixels) = decode(f);
        assert_eq!((w, h), (1600, 1000), "{}", f.display());
        let non_white = pixels
            .chunks(3)
            .filter(|p| p.iter().any(|&c| c < 235))
            .count();
        let share = non_white as f64 / (w * h) as f64;
        assert!(
            share > 0.02,
            "{} is nearly blank ({share:.3} non-white)",
            f.display()
        );
    }
    for f in files.iter().filter(|f| f.extension().unwrap() == "svg") {
        let text = std::fs::read_to_string(f).unwrap();
        assert!(
            text.starts_with("<svg") && text.contains("</svg>"),
            "{}",
            f.display()
        );
        assert!(text.contains("<text"), "{} has no text", f.display());
    }
}

#[test]
fn waterfall_has_one_bar_per_patient() {
    let dir = tempfile::tempdir().unwrap();
    plot(
        DEMO,
        dir.path(),
        &["--endpoint", "plaque_thickness_mm", "--visit", "week12"],
    );
    let fills = svg_fills(&dir.path().join("waterfall_plaque_thickness_mm_week12.svg"));
    // 12 bars in the arm's colour (Okabe–Ito blue) plus its legend swatch.
    assert_eq!(fills.get("#0072B2"), Some(&13), "{fills:?}");
    let svg = std::fs::read_to_string(dir.path().join("waterfall_plaque_thickness_mm_week12.svg"))
        .unwrap();
    assert!(svg.contains("(n = 12)"), "title states n");
    // The distribution chart has one point per patient: 12 filled circles of the arm colour.
    let svg = std::fs::read_to_string(
        dir.path()
            .join("distribution_plaque_thickness_mm_week12.svg"),
    )
    .unwrap();
    assert_eq!(
        svg.matches("<circle").count(),
        24,
        "12 points, each filled and outlined"
    );
}

#[test]
fn trial_figures_have_all_arms() {
    let dir = tempfile::tempdir().unwrap();
    plot(
        TRIAL,
        dir.path(),
        &["--endpoint", "plaque_thickness_mm", "--visit", "week12"],
    );
    let fills = svg_fills(&dir.path().join("waterfall_plaque_thickness_mm_week12.svg"));
    // one bar per patient with a week-12 value, in three arm colours (+ 1 legend swatch each)
    let bars: usize = ["#0072B2", "#D55E00", "#787878"]
        .iter()
        .map(|c| fills.get(*c).copied().unwrap_or(0) - 1)
        .sum();
    assert_eq!(bars, 103, "{fills:?}");
    // responder chart: 3 groups × 3 arms = 9 bars (+ 3 legend swatches)
    let fills = svg_fills(&dir.path().join("responders_plaque_thickness_mm_week12.svg"));
    let bars: usize = ["#0072B2", "#D55E00", "#787878"]
        .iter()
        .map(|c| fills.get(*c).copied().unwrap_or(0))
        .sum();
    assert_eq!(bars, 12, "{fills:?}");
    // forest: 4 endpoints... here one endpoint × 2 contrasts
    let svg = std::fs::read_to_string(dir.path().join("forest_week12.svg")).unwrap();
    assert!(svg.contains("baricitinib − placebo") && svg.contains("tofacitinib − placebo"));
}

#[test]
fn figures_are_byte_identical_across_runs() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let fa = plot(TRIAL, a.path(), &["--endpoint", "erythema"]);
    let fb = plot(TRIAL, b.path(), &["--endpoint", "erythema"]);
    assert_eq!(fa.len(), fb.len());
    for (x, y) in fa.iter().zip(&fb) {
        assert_eq!(
            std::fs::read(x).unwrap(),
            std::fs::read(y).unwrap(),
            "{} differs",
            x.display()
        );
    }
}

#[test]
fn analyze_writes_figures_with_plots_and_rejects_unknown_names() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::cargo_bin("trialstat")
        .unwrap()
        .args([
            "analyze",
            DEMO,
            "--format",
            "csv",
            "--plots",
            dir.path().to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 9);
    let out = Command::cargo_bin("trialstat")
        .unwrap()
        .args([
            "plot",
            DEMO,
            "--endpoint",
            "pasi",
            "--out",
            dir.path().to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("endpoint 'pasi' is not in the data"));
}

/// Regression: a value of 1e308 made the axis range infinite and plotters' tick search loop
/// forever (`plot` hung). The figures are now drawn over the finite range; a hang fails here
/// after the timeout instead of stalling the suite.
#[test]
fn a_value_near_the_largest_double_does_not_hang_the_figures() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string("data/example_trial.csv").unwrap();
    let mutated = text.replacen(
        "E001,tofacitinib,S1,moderate,baseline,0,plaque_thickness_mm,2.9",
        "E001,tofacitinib,S1,moderate,baseline,0,plaque_thickness_mm,1e308",
        1,
    );
    assert_ne!(mutated, text, "the row to mutate is in the file");
    let input = dir.path().join("big.csv");
    std::fs::write(&input, mutated).unwrap();
    let out = assert_cmd::Command::cargo_bin("trialstat")
        .unwrap()
        .args(["plot", input.to_str().unwrap(), "--out"])
        .arg(dir.path().join("figures"))
        .timeout(std::time::Duration::from_secs(120))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let figures = std::fs::read_dir(dir.path().join("figures"))
        .unwrap()
        .count();
    assert!(figures >= 10, "{figures} figures");
}
