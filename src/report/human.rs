//! The table for people: one block per endpoint × arm × follow-up visit, then the audit.

use super::document::Rounding;
use crate::analysis::{
    Analysis, CellSummary, Comparison, Direction, Estimand, Measure, Method, RateStat, Response,
    ResultRow, RowKey,
};
use std::fmt::Write as _;

thread_local! {
    /// The rounding of the table being rendered: R's (the binary value rounded, ties to even)
    /// unless [`render_human`] renders an analysis run with `--convention sas`, which rounds
    /// half away from zero as SAS's formats do. Set for the duration of one rendering.
    static ROUNDING: std::cell::Cell<Rounding> = const { std::cell::Cell::new(Rounding::R) };
}

/// `x` with `decimals` decimals under the table's rounding ([`ROUNDING`]); under R's the same
/// text as `format!("{x:.decimals$}")`.
fn d(x: f64, decimals: usize) -> String {
    match ROUNDING.with(|r| r.get()) {
        Rounding::Sas if x.is_finite() => super::document::fixed(x, decimals, Rounding::Sas),
        _ => format!("{x:.decimals$}"),
    }
}

/// Magnitudes from which fixed decimals would print hundreds of digits: exponent notation.
const HUGE: f64 = 1e15;

/// Raw-scale values: two decimals (one above 1000, exponent notation from [`HUGE`]).
fn value(x: f64) -> String {
    if x.is_nan() {
        "–".into()
    } else if x.abs() >= HUGE && x.is_finite() {
        format!("{x:.3e}")
    } else if x.abs() >= 1000.0 {
        d(x, 1)
    } else {
        d(x, 2)
    }
}

fn opt_value(x: Option<f64>) -> String {
    x.map(value).unwrap_or_else(|| "–".into())
}

/// p-values as journals print them.
pub fn p_text(p: f64) -> String {
    if p < 0.001 {
        "p < 0.001".into()
    } else {
        format!("p = {}", d(p, 3))
    }
}

fn pct_level(level: f64) -> String {
    let s = format!("{}", (level * 1000.0).round() / 10.0);
    format!("{s}%")
}

/// The row of an estimand and method in one arm at one visit (`within`), or of the arm against
/// the control (`Versus`).
fn row_of<'a>(
    analysis: &'a Analysis,
    endpoint: &str,
    arm: &str,
    visit: &str,
    comparison: &Comparison,
    estimand: impl Into<Estimand>,
    method: Method,
) -> Option<&'a ResultRow> {
    let key = RowKey::new(endpoint, arm, visit, comparison.clone(), estimand, method);
    analysis.row(&key)
}

/// A within-arm row of a cell.
fn find<'a>(
    analysis: &'a Analysis,
    cell: &CellSummary,
    estimand: impl Into<Estimand>,
    method: Method,
) -> Option<&'a ResultRow> {
    let within = Comparison::Within;
    row_of(
        analysis,
        &cell.endpoint,
        &cell.arm,
        &cell.visit,
        &within,
        estimand,
        method,
    )
}

/// "52.0% reduction (95% CI 45.0 to 60.0), p < 0.001"
fn pct_phrase(r: &ResultRow) -> String {
    let res = &r.result;
    let Some(est) = res.estimate.as_ref().map(|e| e.value) else {
        return format!("not computed ({})", r.note);
    };
    let (word, sign) = if est < 0.0 {
        ("reduction", -1.0)
    } else {
        ("increase", 1.0)
    };
    let mut s = format!("{}% {word}", d(sign * est, 1));
    if let Some(ci) = &res.interval {
        let (a, b) = if sign < 0.0 {
            (-ci.upper, -ci.lower)
        } else {
            (ci.lower, ci.upper)
        };
        let _ = write!(
            s,
            " ({} CI {} to {})",
            pct_level(ci.level),
            d(a, 1),
            d(b, 1)
        );
    }
    if let Some(p) = res.p_value {
        let _ = write!(s, ", {}", p_text(p));
    }
    s
}

fn estimate_phrase(r: &ResultRow, decimals: usize) -> String {
    let res = &r.result;
    let Some(est) = res.estimate.as_ref().map(|e| e.value) else {
        return "not computed".into();
    };
    let mut s = d(est, decimals);
    if let Some(ci) = &res.interval {
        let _ = write!(
            s,
            " ({} CI {} to {})",
            pct_level(ci.level),
            d(ci.lower, decimals),
            d(ci.upper, decimals)
        );
    }
    if let (Some(st), Some(df)) = (&res.statistic, &res.df) {
        if r.key.method != Method::NoncentralT {
            let _ = write!(s, ", {}({}) = {}", st.name, df.value, d(st.value, 2));
        }
    } else if let Some(st) = &res.statistic {
        let _ = write!(s, ", {} = {}", st.name, st.value);
    }
    if let Some(p) = res.p_value {
        let _ = write!(s, ", {}", p_text(p));
        if r.key.method == Method::WilcoxonSignedRank {
            s.push_str(match res.p_value_method {
                Some(crate::stats::PValueMethod::Exact) => " (exact)",
                _ => " (normal approx.)",
            });
        }
    }
    s
}

/// "S = -8.50, p = 0.528 (exact)": PROC UNIVARIATE's line.
fn sas_signed_rank_phrase(r: &ResultRow) -> String {
    let res = &r.result;
    let mut s = match &res.statistic {
        Some(st) => format!("S = {}", d(st.value, 2)),
        None => "not computed".into(),
    };
    if let Some(p) = res.p_value {
        let _ = write!(s, ", {}", p_text(p));
        s.push_str(match res.p_value_method {
            Some(crate::stats::PValueMethod::Exact) => " (exact)",
            _ => " (t approx.)",
        });
    }
    s
}

fn rate_phrase(r: &ResultRow, k: usize, n: usize) -> String {
    match (&r.result.estimate, &r.result.interval) {
        (Some(e), Some(ci)) => format!(
            "{k}/{n} = {}% ({} CI {} to {})",
            d(100.0 * e.value, 1),
            pct_level(ci.level),
            d(100.0 * ci.lower, 1),
            d(100.0 * ci.upper, 1)
        ),
        _ => format!("{k}/{n}: not computed"),
    }
}

/// Render the analysis for people. `source` is a one-line description of the input.
pub fn render_human(analysis: &Analysis, source: &str) -> String {
    let rounding = if analysis.options.convention.is_sas() {
        Rounding::Sas
    } else {
        Rounding::R
    };
    let previous = ROUNDING.with(|r| r.replace(rounding));
    let s = render_human_rounded(analysis, source);
    ROUNDING.with(|r| r.set(previous));
    s
}

fn render_human_rounded(analysis: &Analysis, source: &str) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "trialstat {} — {source}", env!("CARGO_PKG_VERSION"));
    let _ = writeln!(
        s,
        "Baseline visit: {}. Change = follow-up − baseline; % change = 100 × change / baseline (negative = reduction). Two-sided tests.",
        analysis.baseline_visit
    );
    if analysis.control_arm.is_some() {
        render_trial(&mut s, analysis);
    } else {
        render_cells(&mut s, analysis);
    }
    super::responder_table::render_responder_table(&mut s, analysis);
    render_mmrm(&mut s, analysis);
    render_footer(&mut s, analysis);
    s
}

fn direction_text(d: Direction) -> &'static str {
    match d {
        Direction::LowerIsBetter => "lower is better",
        Direction::HigherIsBetter => "higher is better",
    }
}

/// One block per endpoint × arm × visit (no control arm).
fn render_cells(s: &mut String, analysis: &Analysis) {
    for cell in &analysis.cells {
        let _ = writeln!(
            s,
            "\n{} ({}) · {} · {} vs {}",
            cell.endpoint,
            direction_text(cell.direction),
            cell.arm,
            cell.visit,
            analysis.baseline_visit
        );
        let _ = writeln!(
            s,
            "  n = {}   baseline mean {} (SD {})   {} mean {} (SD {})",
            cell.n,
            opt_value(cell.baseline_mean),
            opt_value(cell.baseline_sd),
            cell.visit,
            opt_value(cell.follow_up_mean),
            opt_value(cell.follow_up_sd)
        );
        let mut line = |label: &str, text: String| {
            let _ = writeln!(s, "  {label:<24} {text}");
        };
        let rows = &analysis.rows;
        if let Some(r) = find(analysis, cell, Measure::MeanChange, Method::PairedT) {
            line("mean change", estimate_phrase(r, 2));
        }
        if let Some(r) = find(analysis, cell, Measure::MeanPctChange, Method::OneSampleT) {
            line("mean % change", pct_phrase(r));
        }
        let pseudo_median = Measure::PseudoMedianChange;
        if let Some(r) = find(analysis, cell, pseudo_median, Method::WilcoxonSignedRank) {
            line("pseudo-median change", estimate_phrase(r, 2));
        }
        if let Some(r) = find(analysis, cell, pseudo_median, Method::WilcoxonSignedRankSas) {
            line("signed rank (SAS)", sas_signed_rank_phrase(r));
        }
        if let Some(r) = find(
            analysis,
            cell,
            Measure::RatioOfMeansPctChange,
            Method::Fieller,
        ) {
            line("% change of the means", pct_phrase(r));
        }
        if let Some(r) = find(
            analysis,
            cell,
            Measure::GeometricMeanPctChange,
            Method::LogT,
        ) {
            line("geometric mean % change", pct_phrase(r));
        }
        if let Some(r) = find(analysis, cell, Measure::CohenDz, Method::NoncentralT) {
            line("Cohen's dz", estimate_phrase(r, 2));
        }
        let rate = |response| Estimand::Response(response, RateStat::Rate);
        for &(threshold, k, n) in &cell.responders {
            let responder = rate(Response::Responder(threshold));
            if let Some(r) = find(analysis, cell, responder, Method::ClopperPearson) {
                line(&format!("≥{threshold}% improvement"), rate_phrase(r, k, n));
            }
        }
        if let Some(r) = find(
            analysis,
            cell,
            rate(Response::Clearance),
            Method::ClopperPearson,
        ) {
            line(
                &format!("clearance (= {})", analysis.options.clear_value),
                rate_phrase(r, cell.cleared.0, cell.cleared.1),
            );
        }
        let notes = collect_notes(rows.iter().filter(|r| {
            r.key.endpoint == cell.endpoint
                && r.key.arm == cell.arm
                && r.key.visit == cell.visit
                && r.key.is_within()
                && r.key.method != Method::PointEstimate
                && r.key.method != Method::Mmrm
        }));
        if !notes.is_empty() {
            let _ = writeln!(s, "  note: {}", notes.join("; "));
        }
    }
}

fn collect_notes<'a>(rows: impl Iterator<Item = &'a ResultRow>) -> Vec<&'a str> {
    let mut notes: Vec<&str> = Vec::new();
    for r in rows {
        for part in r.note.split("; ").filter(|p| !p.is_empty()) {
            if !notes.contains(&part) {
                notes.push(part);
            }
        }
    }
    notes
}

/// Fixed decimals without a minus sign on a value that rounds to zero (exponent notation from
/// [`HUGE`]).
fn fixed(x: f64, decimals: usize) -> String {
    if x.is_nan() {
        return "–".into();
    }
    if x.abs() >= HUGE && x.is_finite() {
        return format!("{x:.3e}");
    }
    let t = d(x, decimals);
    if t.starts_with('-') && t[1..].chars().all(|c| c == '0' || c == '.') {
        t[1..].to_string()
    } else {
        t
    }
}

/// "-1.20 (-1.45 to -0.95)"
fn est_ci(r: Option<&ResultRow>, decimals: usize, scale: f64) -> String {
    let Some(r) = r else { return "–".into() };
    match (&r.result.estimate, &r.result.interval) {
        (Some(e), Some(ci)) => format!(
            "{} ({} to {})",
            fixed(scale * e.value, decimals),
            fixed(scale * ci.lower, decimals),
            fixed(scale * ci.upper, decimals)
        ),
        (Some(e), None) => fixed(scale * e.value, decimals),
        _ => "–".into(),
    }
}

fn with_p(r: Option<&ResultRow>, decimals: usize, scale: f64) -> String {
    let mut t = est_ci(r, decimals, scale);
    if let Some(p) = r.and_then(|r| r.result.p_value) {
        let _ = write!(t, ", {}", p_text(p));
    }
    if let Some(p) = r.and_then(|r| r.p_adjusted) {
        let _ = write!(t, " (adjusted {})", p_text(p));
    }
    t
}

/// Number needed to treat from a difference in proportions (ARM − CONTROL, improvement
/// positive) and its `level` interval, after Altman (BMJ 1998): when the interval of the
/// difference includes 0 the NNT interval runs from NNT(benefit) through infinity to NNT(harm).
pub fn nnt_text(diff: f64, lower: f64, upper: f64, level: f64) -> String {
    if diff == 0.0 {
        return "NNT ∞".into();
    }
    let point = 1.0 / diff.abs();
    let level = pct_level(level);
    let kind = if diff > 0.0 {
        "NNT(benefit)"
    } else {
        "NNT(harm)"
    };
    if lower > 0.0 {
        format!(
            "{kind} {} ({level} CI {} to {})",
            d(point, 1),
            d(1.0 / upper, 1),
            d(1.0 / lower, 1)
        )
    } else if upper < 0.0 {
        format!(
            "{kind} {} ({level} CI {} to {})",
            d(point, 1),
            d(1.0 / -lower, 1),
            d(1.0 / -upper, 1)
        )
    } else {
        let benefit = if upper > 0.0 {
            format!("NNT(benefit) {}", d(1.0 / upper, 1))
        } else {
            "NNT(benefit) ∞".into()
        };
        let harm = if lower < 0.0 {
            format!("NNT(harm) {}", d(1.0 / -lower, 1))
        } else {
            "NNT(harm) ∞".into()
        };
        format!(
            "{kind} {} ({level} CI {benefit} to ∞ to {harm})",
            d(point, 1)
        )
    }
}

/// Clinical-study-report tables: per endpoint and visit, a column per arm (control last),
/// then each arm's contrasts against the control.
fn render_trial(s: &mut String, analysis: &Analysis) {
    let control = analysis.control_arm.clone().unwrap_or_default();
    let level = pct_level(analysis.options.conf_level);
    for (endpoint, direction) in &analysis.directions {
        for visit in &analysis.follow_up_visits {
            let mut cells: Vec<&CellSummary> = analysis
                .cells
                .iter()
                .filter(|c| &c.endpoint == endpoint && &c.visit == visit)
                .collect();
            cells.sort_by_key(|c| c.arm == control);
            if cells.is_empty() {
                continue;
            }
            let _ = writeln!(
                s,
                "\n{endpoint} ({}) · {visit} vs {} · estimates with {level} CI",
                direction_text(*direction),
                analysis.baseline_visit
            );
            let width = 26usize;
            let mut line = |label: &str, values: Vec<String>| {
                let mut t = format!("  {label:<30}");
                for v in values {
                    let _ = write!(t, "{v:<width$}");
                }
                let _ = writeln!(s, "{}", t.trim_end());
            };
            line(
                "",
                cells
                    .iter()
                    .map(|c| {
                        if c.arm == control {
                            format!("{} (control)", c.arm)
                        } else {
                            c.arm.clone()
                        }
                    })
                    .collect(),
            );
            line("n", cells.iter().map(|c| c.n.to_string()).collect());
            line(
                "baseline, mean (SD)",
                cells
                    .iter()
                    .map(|c| {
                        format!(
                            "{} ({})",
                            opt_value(c.baseline_mean),
                            opt_value(c.baseline_sd)
                        )
                    })
                    .collect(),
            );
            line(
                &format!("{visit}, mean (SD)"),
                cells
                    .iter()
                    .map(|c| {
                        format!(
                            "{} ({})",
                            opt_value(c.follow_up_mean),
                            opt_value(c.follow_up_sd)
                        )
                    })
                    .collect(),
            );
            let get = |c: &CellSummary, est: Measure, method: Method| {
                row_of(
                    analysis,
                    endpoint,
                    &c.arm,
                    visit,
                    &Comparison::Within,
                    est,
                    method,
                )
            };
            line(
                "change, mean (CI)",
                cells
                    .iter()
                    .map(|c| est_ci(get(c, Measure::MeanChange, Method::PairedT), 2, 1.0))
                    .collect(),
            );
            line(
                &format!("{visit}, ANCOVA LS mean (CI)"),
                cells
                    .iter()
                    .map(|c| est_ci(get(c, Measure::LsMean, Method::Ancova), 2, 1.0))
                    .collect(),
            );
            line(
                "% change, mean (CI)",
                cells
                    .iter()
                    .map(|c| est_ci(get(c, Measure::MeanPctChange, Method::OneSampleT), 1, 1.0))
                    .collect(),
            );
            for &(threshold, _, _) in &cells[0].responders {
                line(
                    &format!("≥{threshold}% improvement, n/N (%)"),
                    cells
                        .iter()
                        .map(|c| {
                            let (_, k, n) = c
                                .responders
                                .iter()
                                .find(|r| r.0 == threshold)
                                .copied()
                                .unwrap_or((threshold, 0, 0));
                            count_pct(k, n)
                        })
                        .collect(),
                );
            }
            line(
                &format!("clearance (= {}), n/N (%)", analysis.options.clear_value),
                cells
                    .iter()
                    .map(|c| count_pct(c.cleared.0, c.cleared.1))
                    .collect(),
            );

            for c in cells.iter().filter(|c| c.arm != control) {
                let versus = Comparison::Versus(control.clone());
                let g = |est: Estimand, method: Method| {
                    row_of(analysis, endpoint, &c.arm, visit, &versus, est, method)
                };
                let _ = writeln!(s, "  {} vs {control}", c.arm);
                let mut l = |label: &str, text: String| {
                    let _ = writeln!(s, "    {label:<40}{text}");
                };
                l(
                    "change, ANCOVA-adjusted difference",
                    with_p(g(Measure::MeanChangeDiff.into(), Method::Ancova), 2, 1.0),
                );
                l(
                    "change, difference in means (Welch)",
                    with_p(g(Measure::MeanChangeDiff.into(), Method::WelchT), 2, 1.0),
                );
                l(
                    "% change, difference in means (Welch)",
                    with_p(g(Measure::MeanPctChangeDiff.into(), Method::WelchT), 1, 1.0),
                );
                l(
                    "change, Hodges–Lehmann shift",
                    with_p(
                        g(Measure::LocationShiftChange.into(), Method::MannWhitney),
                        2,
                        1.0,
                    ),
                );
                if analysis.options.convention.is_sas() {
                    l(
                        "change, HL shift, Moses CI (SAS)",
                        with_p(
                            g(Measure::LocationShiftChange.into(), Method::MannWhitneySas),
                            2,
                            1.0,
                        ),
                    );
                    l(
                        "change, HL shift, exact CI (SAS)",
                        with_p(
                            g(
                                Measure::LocationShiftChange.into(),
                                Method::MannWhitneyExactSas,
                            ),
                            2,
                            1.0,
                        ),
                    );
                }
                l(
                    "change, Hedges' g",
                    est_ci(
                        g(Measure::HedgesGChange.into(), Method::NoncentralT),
                        2,
                        1.0,
                    ),
                );
                let mut binary = |label: String, response: Response| {
                    let diff = g(
                        Estimand::Response(response, RateStat::Diff),
                        Method::Newcombe,
                    );
                    let mut t = format!("difference {} pp", est_ci(diff, 1, 100.0));
                    if let Some((e, ci)) = diff
                        .and_then(|r| r.result.estimate.as_ref().zip(r.result.interval.as_ref()))
                    {
                        let nnt = nnt_text(e.value, ci.lower, ci.upper, ci.level);
                        let _ = write!(t, "; {nnt}");
                    }
                    let odds_ratio = Estimand::Response(response, RateStat::OddsRatio);
                    let or = g(odds_ratio, Method::FisherExact);
                    let _ = write!(t, "; OR {}", with_p(or, 2, 1.0));
                    if analysis.options.convention.is_sas() {
                        let woolf = g(odds_ratio, Method::Woolf);
                        let _ = write!(t, "; sample OR (Woolf) {}", est_ci(woolf, 2, 1.0));
                    }
                    l(&label, t);
                };
                for &(threshold, _, _) in &cells[0].responders {
                    binary(
                        format!("≥{threshold}% improvement"),
                        Response::Responder(threshold),
                    );
                }
                binary("clearance".into(), Response::Clearance);
            }
            for c in &cells {
                let notes = collect_notes(analysis.rows.iter().filter(|r| {
                    &r.key.endpoint == endpoint
                        && &r.key.visit == visit
                        && r.key.arm == c.arm
                        && r.key.is_within()
                        && r.key.method != Method::Ancova
                        && r.key.method != Method::Mmrm
                }));
                if !notes.is_empty() {
                    let _ = writeln!(s, "  note, {}: {}", c.arm, notes.join("; "));
                }
            }
            for c in cells.iter().filter(|c| c.arm != control) {
                let notes = collect_notes(analysis.rows.iter().filter(|r| {
                    &r.key.endpoint == endpoint
                        && &r.key.visit == visit
                        && r.key.arm == c.arm
                        && !r.key.is_within()
                        && r.key.method != Method::Mmrm
                }));
                // The missing-value notes repeat those of the arms above.
                let notes: Vec<&str> = notes
                    .into_iter()
                    .filter(|n| !n.contains(": ") || n.starts_with("ANCOVA"))
                    .collect();
                if !notes.is_empty() {
                    let _ = writeln!(s, "  note, {} vs {control}: {}", c.arm, notes.join("; "));
                }
            }
        }
    }
}

/// The MMRM rows (one model per endpoint over all follow-up visits), with the model as footnote.
fn render_mmrm(s: &mut String, analysis: &Analysis) {
    let rows: Vec<&ResultRow> = analysis
        .rows
        .iter()
        .filter(|r| r.key.method == Method::Mmrm)
        .collect();
    if rows.is_empty() {
        return;
    }
    let _ = writeln!(
        s,
        "\nMixed model for repeated measures: LS mean change per arm and visit, and the difference against control"
    );
    let mut endpoint = "";
    for r in &rows {
        if r.key.endpoint != endpoint {
            endpoint = &r.key.endpoint;
            let _ = writeln!(s, "{endpoint}");
        }
        let level = r.result.interval.as_ref().map_or(0.95, |i| i.level);
        let what = match &r.key.comparison {
            Comparison::Within => format!("{} {}", r.key.visit, r.key.arm),
            Comparison::Versus(c) => format!("{} {} − {c}", r.key.visit, r.key.arm),
            Comparison::AllArms => format!("{} {}", r.key.visit, r.key.comparison_label()),
        };
        let mut line = format!("  {what:<36} {}", est_ci(Some(r), 2, 1.0));
        if let Some(p) = r.result.p_value {
            line.push_str(&format!("  {}", p_text(p)));
        }
        if let Some(df) = &r.result.df {
            line.push_str(&format!(
                "  (KR df {}, {} CI)",
                d(df.value, 1),
                pct_level(level)
            ));
        }
        let _ = writeln!(s, "{line}");
    }
    let notes = collect_notes(rows.iter().copied());
    if !notes.is_empty() {
        let _ = writeln!(s, "  note: {}", notes.join("; "));
    }
}

fn count_pct(k: usize, n: usize) -> String {
    if n == 0 {
        return "0/0".into();
    }
    format!("{k}/{n} ({}%)", d(100.0 * k as f64 / n as f64, 1))
}

fn render_footer(s: &mut String, analysis: &Analysis) {
    let a = &analysis.audit;
    let _ = writeln!(
        s,
        "\nAudit: {} rows read, {} used, {} left out.",
        a.rows_read,
        a.rows_used,
        a.rows_read - a.rows_used
    );
    for (reason, count) in &a.rows_left_out {
        let _ = writeln!(s, "  left out, {reason}: {count}");
    }
    if a.baseline_zero > 0 {
        let _ = writeln!(
            s,
            "  baseline 0 (left out of percent rows only): {} patient × endpoint pair(s)",
            a.baseline_zero
        );
    }
    for w in &a.warnings {
        let _ = writeln!(s, "  warning: {w}");
    }
    let _ = writeln!(
        s,
        "Missing follow-up: {}.",
        analysis.options.missing.describe()
    );
    if analysis.options.convention.is_sas() {
        let _ = writeln!(s, "Convention: {}.", analysis.options.convention.describe());
    }
    if let Some(ic) = &analysis.options.intercurrent {
        let _ = writeln!(
            s,
            "Intercurrent events ({}): {}; {} patient(s) with an event, {} value(s) set to missing.",
            ic.column,
            ic.strategy.describe(),
            ic.patients_with_event,
            ic.values_set_missing
        );
    }
}

#[cfg(test)]
mod rounding_tests {
    use super::*;

    /// `--convention sas` rounds the table half away from zero on the decimal text; R's rounds
    /// the binary value (2.675 is stored as 2.67499…).
    #[test]
    fn sas_convention_rounds_half_away_from_zero() {
        let previous = ROUNDING.with(|r| r.replace(Rounding::Sas));
        let sas = (d(2.675, 2), d(0.125, 2), d(-0.125, 2), d(1.0, 1));
        ROUNDING.with(|r| r.set(Rounding::R));
        let r = (d(2.675, 2), d(0.125, 2), d(-0.125, 2), d(1.0, 1));
        ROUNDING.with(|r| r.set(previous));
        assert_eq!(
            sas,
            ("2.68".into(), "0.13".into(), "-0.13".into(), "1.0".into())
        );
        assert_eq!(
            r,
            ("2.67".into(), "0.12".into(), "-0.12".into(), "1.0".into())
        );
    }
}
