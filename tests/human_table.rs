//! The table for people prints the confidence level in force, on every line that names one.

mod common;

/// Regression: with `--conf-level 0.9` the NNT intervals were still labelled "95% CI".
#[test]
fn nnt_lines_show_the_confidence_level_in_force() {
    let file = concat!(env!("CARGO_MANIFEST_DIR"), "/data/example_trial.csv");
    let (code, text, err) =
        common::run_trialstat(&["analyze", file, "--format", "table", "--conf-level", "0.9"]);
    assert_eq!(code, 0, "{err}");
    let nnt: Vec<&str> = text.lines().filter(|l| l.contains("NNT(")).collect();
    let with_interval = nnt.iter().filter(|l| l.contains("% CI")).count();
    assert!(
        with_interval >= 20,
        "only {with_interval} NNT intervals in:\n{text}"
    );
    for line in &nnt {
        assert!(!line.contains("95% CI"), "{line}");
    }
    assert!(nnt.iter().any(|l| l.contains("90% CI NNT(")), "{nnt:#?}");
    assert!(!text.contains("95%"), "a 95% label under --conf-level 0.9");
}
