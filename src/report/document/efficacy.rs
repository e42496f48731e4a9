//! The efficacy tables: one per endpoint and follow-up visit, a column per arm headed
//! "Arm (N=n)", the descriptive lines, then every within-arm result and every comparison with the
//! control arm that the analysis produced — grouped by estimand, one line per method. Rows the
//! report has no label for are shown under their results-table names, so nothing `analyze`
//! computes is left out.

use super::cells::{count_percent, mean_sd, result_cell, Rounding};
use super::methods::{estimand_label, method_label};
use super::{Cell, Line, Table};
use crate::analysis::{Analysis, Estimand, Measure, Method, RateStat, Response};

/// Scale and decimals of an estimand's numbers.
fn precision(e: &Estimand) -> (f64, usize) {
    match e {
        Estimand::Response(_, RateStat::Rate | RateStat::Diff) => (100.0, 1),
        Estimand::Response(..) => (1.0, 2),
        Estimand::Measure(
            Measure::MeanPctChange
            | Measure::RatioOfMeansPctChange
            | Measure::GeometricMeanPctChange
            | Measure::MeanPctChangeDiff,
        ) => (1.0, 1),
        #[allow(unreachable_patterns)]
        _ => (1.0, 2),
    }
}

/// The arms of an endpoint at a visit, in the analysis order (control first when there is one).
fn arms(analysis: &Analysis, endpoint: &str, visit: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for c in &analysis.cells {
        if c.endpoint == endpoint && c.visit == visit && !out.contains(&c.arm) {
            out.push(c.arm.clone());
        }
    }
    if let Some(control) = &analysis.control_arm {
        if let Some(i) = out.iter().position(|a| a == control) {
            let c = out.remove(i);
            out.insert(0, c);
        }
    }
    out
}

pub(super) fn tables(analysis: &Analysis, rounding: Rounding) -> Vec<Table> {
    let mut out = Vec::new();
    let endpoints: Vec<String> = analysis.directions.iter().map(|(e, _)| e.clone()).collect();
    for endpoint in &endpoints {
        for visit in &analysis.follow_up_visits {
            if let Some(t) = table(analysis, endpoint, visit, out.len() + 1, rounding) {
                out.push(t);
            }
        }
    }
    if let Some(t) = other_results(analysis, &out, out.len() + 1, rounding) {
        out.push(t);
    }
    out
}

/// Rows no endpoint × visit table shows (an analysis whose rows are not per follow-up visit):
/// one line each, so that the report leaves out nothing the results table has.
fn other_results(
    analysis: &Analysis,
    tables: &[Table],
    number: usize,
    rounding: Rounding,
) -> Option<Table> {
    let mut shown = vec![false; analysis.rows.len()];
    for t in tables {
        for line in &t.lines {
            for c in &line.cells {
                if let Some(i) = c.source {
                    shown[i] = true;
                }
            }
        }
    }
    let lines: Vec<Line> = analysis
        .rows
        .iter()
        .enumerate()
        .filter(|(i, _)| !shown[*i])
        .map(|(i, r)| {
            let (scale, decimals) = precision(&r.key.estimand);
            Line {
                label: format!(
                    "{} · {} · {} · {} ({})",
                    r.key.endpoint,
                    r.key.visit,
                    r.key.comparison_label(),
                    estimand_label(&r.key.estimand),
                    method_label(r.key.method)
                ),
                indent: 0,
                cells: vec![result_cell(r, i, scale, decimals, rounding)],
            }
        })
        .collect();
    if lines.is_empty() {
        return None;
    }
    Some(Table {
        number,
        title: format!("Table {number}. Other results"),
        population: "Rows of the results table that are not shown in the tables above.".into(),
        columns: vec!["Estimate (95% CI); p".into()],
        stub: "Endpoint · visit · comparison · estimand (method)".into(),
        lines,
        footnotes: vec!["CI: confidence interval; p: two-sided p-value; NE: not estimable.".into()],
    })
}

fn table(
    analysis: &Analysis,
    endpoint: &str,
    visit: &str,
    number: usize,
    rounding: Rounding,
) -> Option<Table> {
    let arms = arms(analysis, endpoint, visit);
    if arms.is_empty() {
        return None;
    }
    let cell_of = |arm: &str| {
        analysis
            .cells
            .iter()
            .find(|c| c.endpoint == endpoint && c.visit == visit && c.arm == arm)
    };
    let columns: Vec<String> = arms
        .iter()
        .map(|a| format!("{a} (N={})", cell_of(a).map(|c| c.n).unwrap_or(0)))
        .collect();
    let mut lines = Vec::new();

    // Descriptive lines.
    lines.push(Line {
        label: if analysis.baseline_visit.eq_ignore_ascii_case("baseline") {
            "Baseline, mean (SD)".to_string()
        } else {
            format!("Baseline ({}), mean (SD)", analysis.baseline_visit)
        },
        indent: 0,
        cells: arms
            .iter()
            .map(|a| {
                cell_of(a)
                    .map(|c| mean_sd(c.baseline_mean, c.baseline_sd, rounding))
                    .unwrap_or_default()
            })
            .collect(),
    });
    lines.push(Line {
        label: format!("{visit}, mean (SD)"),
        indent: 0,
        cells: arms
            .iter()
            .map(|a| {
                cell_of(a)
                    .map(|c| mean_sd(c.follow_up_mean, c.follow_up_sd, rounding))
                    .unwrap_or_default()
            })
            .collect(),
    });

    // Result rows of this endpoint and visit, in the results-table order, grouped by comparison
    // kind, then estimand, then method.
    let rows: Vec<(usize, &crate::analysis::ResultRow)> = analysis
        .rows
        .iter()
        .enumerate()
        .filter(|(_, r)| r.key.endpoint == endpoint && r.key.visit == visit)
        .collect();
    let mut methods_used: Vec<Method> = Vec::new();
    for within in [true, false] {
        let mut groups: Vec<(Estimand, Vec<Method>)> = Vec::new();
        for (_, r) in rows.iter().filter(|(_, r)| r.key.is_within() == within) {
            let e = r.key.estimand;
            match groups.iter_mut().find(|(g, _)| *g == e) {
                Some((_, ms)) => {
                    if !ms.contains(&r.key.method) {
                        ms.push(r.key.method);
                    }
                }
                None => groups.push((e, vec![r.key.method])),
            }
        }
        if groups.is_empty() {
            continue;
        }
        if !within {
            let control = analysis.control_arm.clone().unwrap_or_default();
            lines.push(Line {
                label: format!("Comparison with {control}: estimate (95% CI); p"),
                indent: 0,
                cells: Vec::new(),
            });
        } else {
            lines.push(Line {
                label: "Within arm: estimate (95% CI); p".into(),
                indent: 0,
                cells: Vec::new(),
            });
        }
        for (estimand, methods) in groups {
            let (scale, decimals) = precision(&estimand);
            // An estimand with one method and no counts is one line: "Cohen's d_z (noncentral t)".
            let is_rate = within && matches!(estimand, Estimand::Response(_, RateStat::Rate));
            let single = methods.len() == 1 && !is_rate;
            if !single {
                lines.push(Line {
                    label: estimand_label(&estimand),
                    indent: 1,
                    cells: Vec::new(),
                });
            }
            // Counts behind a within-arm rate.
            if within {
                if let Estimand::Response(resp, RateStat::Rate) = estimand {
                    lines.push(Line {
                        label: "n/N (%)".into(),
                        indent: 2,
                        cells: arms
                            .iter()
                            .map(|a| match (cell_of(a), resp) {
                                (Some(c), Response::Clearance) => {
                                    count_percent(c.cleared.0, c.cleared.1, rounding)
                                }
                                (Some(c), Response::Responder(p)) => c
                                    .responders
                                    .iter()
                                    .find(|(t, _, _)| *t == p)
                                    .map(|&(_, k, n)| count_percent(k, n, rounding))
                                    .unwrap_or_default(),
                                #[allow(unreachable_patterns)]
                                _ => Cell::default(),
                            })
                            .collect(),
                    });
                }
            }
            for m in methods {
                if !methods_used.contains(&m) {
                    methods_used.push(m);
                }
                let cells = arms
                    .iter()
                    .map(|a| {
                        rows.iter()
                            .find(|(_, r)| {
                                r.key.arm == *a
                                    && r.key.estimand == estimand
                                    && r.key.method == m
                                    && r.key.is_within() == within
                            })
                            .map(|(i, r)| result_cell(r, *i, scale, decimals, rounding))
                            .unwrap_or_else(|| {
                                Cell::plain(if within || Some(a) != analysis.control_arm.as_ref() {
                                    ""
                                } else {
                                    "—"
                                })
                            })
                    })
                    .collect();
                lines.push(if single {
                    Line {
                        label: format!("{} ({})", estimand_label(&estimand), method_label(m)),
                        indent: 1,
                        cells,
                    }
                } else {
                    Line {
                        label: method_label(m),
                        indent: 2,
                        cells,
                    }
                });
            }
        }
    }

    let direction = analysis
        .directions
        .iter()
        .find(|(e, _)| e == endpoint)
        .map(|(_, d)| *d);
    let mut footnotes = vec![
        format!(
            "N: patients with a baseline and a {visit} value. Change = {visit} − baseline; % change = 100 × change / baseline{}.",
            match direction {
                Some(crate::analysis::Direction::HigherIsBetter) => " (higher is better)",
                _ => " (negative = reduction; lower is better)",
            }
        ),
        "CI: confidence interval; p: two-sided p-value; NE: not estimable. Rates and rate differences in percent.".to_string(),
    ];
    if !methods_used.is_empty() {
        footnotes.push(format!(
            "Methods: {}. See Statistical methods.",
            methods_used
                .iter()
                .map(|m| method_label(*m))
                .collect::<Vec<_>>()
                .join("; ")
        ));
    }
    if let Some(adj) = analysis.options.adjust {
        footnotes.push(format!(
            "p-values not adjusted in the table; adjusted p-values ({adj:?}) are in the CSV column p_adjusted."
        ));
    }
    Some(Table {
        number,
        title: format!("Table {number}. {endpoint}: change from baseline to {visit}"),
        population: format!(
            "Population: all patients with a baseline value and a {visit} value. Missing values: {}.",
            match analysis.options.missing {
                crate::analysis::MissingRule::CompleteCase => "complete cases",
                crate::analysis::MissingRule::Locf => "last observation carried forward",
                crate::analysis::MissingRule::Bocf => "baseline observation carried forward",
                crate::analysis::MissingRule::Nri => "non-responder imputation in responder rows, complete cases otherwise",
            }
        ),
        columns,
        stub: "Statistic".into(),
        lines,
        footnotes,
    })
}
