//! The responder table of the table for people (`analyze --response ... [--strata COL]`): every
//! number in its blocks is the CSV row of the same run, rounded as printed (n/N from the rate
//! rows; differences in percentage points to one decimal; p to three decimals; odds ratios to
//! two). Without `--response` and `--strata` the table is not there (default output unchanged).

mod common;

use common::{parse_table, run_trialstat as run};
use std::collections::HashMap;

const ER1: &str = "er1=erythema: value <= 1 and change <= -1";
const ITCH4: &str = "itch4=pruritus: change <= -4 where baseline >= 4";

type Row = HashMap<String, String>;

/// The cells of one printed line, by the table's fixed column widths (in characters).
fn columns(line: &str) -> Vec<String> {
    let chars: Vec<char> = line.chars().collect();
    let mut out = Vec::new();
    let mut start = 2;
    for width in [9, 20, 16, 22, 17, 10] {
        let end = (start + width).min(chars.len());
        out.push(
            chars[start.min(end)..end]
                .iter()
                .collect::<String>()
                .trim()
                .to_string(),
        );
        start = end;
    }
    out.push(
        chars[start.min(chars.len())..]
            .iter()
            .collect::<String>()
            .trim()
            .to_string(),
    );
    out
}

fn find<'a>(rows: &'a [Row], want: &[(&str, &str)]) -> &'a Row {
    rows.iter()
        .find(|r| want.iter().all(|(k, v)| r[*k] == *v))
        .unwrap_or_else(|| panic!("no row {want:?}"))
}

fn num(r: &Row, column: &str) -> f64 {
    r[column]
        .parse()
        .unwrap_or_else(|_| panic!("{column}: {:?}", r[column]))
}

fn pp(x: f64) -> String {
    format!("{:.1}", 100.0 * x)
}

fn odds(x: f64) -> String {
    if x.is_finite() {
        format!("{x:.2}")
    } else {
        "∞".into()
    }
}

fn p_text(p: f64) -> String {
    if p < 0.001 {
        "<0.001".into()
    } else {
        format!("{p:.3}")
    }
}

/// Check every arm line of every block of `table` against `rows`; returns the lines checked.
fn check_blocks(table: &str, rows: &[Row], stratified: bool) -> usize {
    let (diff_method, second_method, test, or_method) = if stratified {
        (
            "mh_sato",
            "mn_stratified",
            ("cmh", "cmh"),
            "mantel_haenszel",
        )
    } else {
        (
            "newcombe",
            "miettinen_nurminen",
            ("odds_ratio", "fisher_exact"),
            "fisher_exact",
        )
    };
    let start = table.find("\nResponder table").expect("responder table");
    let mut checked = 0;
    let (mut endpoint, mut response, mut visit) = (String::new(), String::new(), String::new());
    for line in table[start..].lines().skip(1) {
        // The method footnote ends the section.
        if line.starts_with("  diff ") {
            break;
        }
        if let Some((e, rest)) = line.split_once(" · ") {
            endpoint = e.to_string();
            // "er1 = erythema: ..." or "responder50: ≥50% improvement"
            let name = rest.split(' ').next().unwrap_or_default();
            response = name.trim_end_matches(':').to_string();
            continue;
        }
        if !line.starts_with("  ") || line.starts_with("  visit") || line.starts_with("  note") {
            continue;
        }
        let c = columns(line);
        if c[1].is_empty() {
            continue; // footnote
        }
        if !c[0].is_empty() {
            visit = c[0].clone();
        }
        let arm = c[1].trim_end_matches(" (control)");
        let rate = find(
            rows,
            &[
                ("endpoint", &endpoint),
                ("arm", arm),
                ("visit", &visit),
                ("comparison", "within"),
                ("estimand", &format!("{response}_rate")),
                ("method", "wilson"),
            ],
        );
        let n: usize = rate["n"].parse().expect("n");
        let k = (num(rate, "estimate") * n as f64).round() as usize;
        assert_eq!(
            c[2],
            format!("{k}/{n} ({:.1}%)", 100.0 * k as f64 / n as f64),
            "{line}"
        );
        if c[1].ends_with("(control)") {
            checked += 1;
            continue;
        }
        let versus = rows
            .iter()
            .find(|r| r["arm"] == arm && r["comparison"] != "within")
            .expect("a contrast")["comparison"]
            .clone();
        let get = |stat: &str, method: &str| {
            find(
                rows,
                &[
                    ("endpoint", &endpoint),
                    ("arm", arm),
                    ("visit", &visit),
                    ("comparison", &versus),
                    ("estimand", &format!("{response}_{stat}")),
                    ("method", method),
                ],
            )
        };
        let d = get("diff", diff_method);
        let want = if d["ci_low"].is_empty() {
            "–".to_string()
        } else {
            format!(
                "{} ({} to {})",
                pp(num(d, "estimate")),
                pp(num(d, "ci_low")),
                pp(num(d, "ci_high"))
            )
        };
        assert_eq!(c[3], want, "{line}");
        let m = get("diff", second_method);
        let want = if m["ci_low"].is_empty() {
            "–".to_string()
        } else {
            format!("{} to {}", pp(num(m, "ci_low")), pp(num(m, "ci_high")))
        };
        assert_eq!(c[4], want, "{line}");
        let t = get(test.0, test.1);
        let want = if t["p_value"].is_empty() {
            "–".to_string() // not computed (reason in the note)
        } else {
            p_text(num(t, "p_value"))
        };
        assert_eq!(c[5], want, "{line}");
        let o = get("odds_ratio", or_method);
        let want = if o["estimate"].is_empty() {
            "–".to_string()
        } else if o["ci_low"].is_empty() {
            odds(num(o, "estimate"))
        } else {
            format!(
                "{} ({} to {})",
                odds(num(o, "estimate")),
                odds(num(o, "ci_low")),
                odds(num(o, "ci_high"))
            )
        };
        assert_eq!(c[6], want, "{line}");
        checked += 1;
    }
    checked
}

fn table_and_rows(extra: &[&str]) -> (String, Vec<Row>) {
    let mut args = vec!["analyze", "data/example_trial.csv"];
    args.extend_from_slice(extra);
    let mut table_args = args.clone();
    table_args.extend(["--format", "table"]);
    let (code, table, err) = run(&table_args);
    assert_eq!(code, 0, "{err}");
    args.extend(["--format", "csv"]);
    let (code, csv, err) = run(&args);
    assert_eq!(code, 0, "{err}");
    (table, parse_table(&csv))
}

#[test]
fn stratified_block_numbers_are_the_csv_rows() {
    let args = ["--strata", "site", "--response", ER1, "--response", ITCH4];
    let (table, rows) = table_and_rows(&args);
    assert!(table.contains("Responder table (stratified by site)"));
    assert!(table.contains("erythema · er1 = erythema: value <= 1 and change <= -1"));
    // 2 responses × 4 visits × 3 arms.
    assert_eq!(check_blocks(&table, &rows, true), 24);
    // The sparse stratum (no placebo responder) is said in a note.
    assert!(table.contains("stratum/strata without information"));
}

#[test]
fn unstratified_block_numbers_are_the_csv_rows() {
    let (table, rows) = table_and_rows(&["--response", ER1]);
    assert!(table.contains("Responder table (unstratified)"));
    assert_eq!(check_blocks(&table, &rows, false), 12);
}

#[test]
fn strata_alone_show_the_built_in_responders() {
    let (table, rows) = table_and_rows(&["--strata", "site", "--endpoints", "erythema"]);
    // responder50, responder75, clearance × 4 visits × 3 arms (erythema only).
    assert_eq!(check_blocks(&table, &rows, true), 36);
}

#[test]
fn default_output_has_no_responder_table() {
    let (code, table, err) = run(&["analyze", "data/example_trial.csv", "--format", "table"]);
    assert_eq!(code, 0, "{err}");
    assert!(!table.contains("Responder table"));
}

/// Regression: a stratum column that varies within a patient was reported as a "covariate".
#[test]
fn varying_stratum_names_strata_not_covariate() {
    let text = std::fs::read_to_string("data/example_trial.csv").expect("example");
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    // Line 3 (E001's second row): site S1 -> S9.
    lines[2] = lines[2].replacen(",S1,", ",S9,", 1);
    let path = std::env::temp_dir().join(format!("resp2_varying_{}.csv", std::process::id()));
    std::fs::write(&path, lines.join("\n") + "\n").expect("write");
    let file = path.to_string_lossy().into_owned();
    let (code, _, err) = run(&["analyze", &file, "--strata", "site"]);
    let _ = std::fs::remove_file(&path);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains(":3: stratum column 'site' (given with --strata)"),
        "{err}"
    );
    assert!(err.contains("'S9'") && err.contains("line 2"), "{err}");
    assert!(!err.contains("covariate"), "{err}");
}

/// The two responder figures come with `--response`/`--strata` (one rate-by-visit chart per
/// definition, one stratum forest per definition at the last visit), and not by default.
#[test]
fn responder_figures_only_with_response_or_strata() {
    let dir = std::env::temp_dir().join(format!("resp2_plots_{}", std::process::id()));
    let out = dir.to_string_lossy().into_owned();
    let (code, _, err) = run(&[
        "analyze",
        "data/example_trial.csv",
        "--strata",
        "site",
        "--response",
        ER1,
        "--response",
        ITCH4,
        "--plots",
        &out,
        "--format",
        "csv",
    ]);
    assert_eq!(code, 0, "{err}");
    for name in [
        "response_by_visit_erythema_er1.png",
        "response_by_visit_pruritus_itch4.png",
        "stratum_forest_erythema_er1_week24.png",
        "stratum_forest_pruritus_itch4_week24.png",
    ] {
        let meta = std::fs::metadata(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(meta.len() > 10_000, "{name}: {} bytes", meta.len());
    }
    let _ = std::fs::remove_dir_all(&dir);
    let (code, _, err) = run(&[
        "analyze",
        "data/example_trial.csv",
        "--plots",
        &out,
        "--format",
        "csv",
    ]);
    assert_eq!(code, 0, "{err}");
    let names: Vec<String> = std::fs::read_dir(&dir)
        .expect("plots")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        !names
            .iter()
            .any(|n| n.starts_with("response_by_visit") || n.starts_with("stratum_forest")),
        "{names:?}"
    );
}
