//! Numbers as a report prints them: fixed decimals under SAS's or R's rounding, p-values as
//! "<0.001", and the cell texts "estimate (lower, upper)", "n/N (%)", "mean (SD)".

use super::Cell;
use crate::analysis::ResultRow;
use crate::report::shortest;

/// How a number is rounded to the decimals shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rounding {
    /// Half away from zero on the decimal number as written (SAS's ROUND and its formats:
    /// 0.125 → 0.13, 2.675 → 2.68). The default of the report: what reviewers compare with.
    Sas,
    /// The exact binary value rounded, ties to even (C's printf, hence R's sprintf/format:
    /// 0.125 → 0.12, 2.675 → 2.67 because 2.675 is stored as 2.67499999…).
    R,
}

/// `x` with `decimals` decimals. NaN is "NE" (not estimable, SAS's wording); infinities
/// "Inf"/"-Inf"; a result that rounds to zero is never "-0.00".
pub fn fixed(x: f64, decimals: usize, rounding: Rounding) -> String {
    if x.is_nan() {
        return "NE".into();
    }
    if x.is_infinite() {
        return if x > 0.0 { "Inf".into() } else { "-Inf".into() };
    }
    let s = match rounding {
        Rounding::R => format!("{x:.decimals$}"),
        Rounding::Sas => half_away(x, decimals),
    };
    if s.starts_with('-') && s[1..].chars().all(|c| c == '0' || c == '.') {
        s[1..].to_string()
    } else {
        s
    }
}

/// Round the shortest decimal representation of `x` half away from zero.
fn half_away(x: f64, decimals: usize) -> String {
    // The shortest digits that read back to x, as an exact decimal: "digits" and a power of ten.
    let text = format!("{:e}", x.abs());
    let (mantissa, exp) = text.split_once('e').unwrap_or((&text, "0"));
    let exp: i64 = exp.parse().unwrap_or(0);
    let digits: Vec<u8> = mantissa
        .bytes()
        .filter(u8::is_ascii_digit)
        .map(|b| b - b'0')
        .collect();
    // x = 0.d1 d2 d3 … × 10^(exp + 1): position of the decimal point after `point` digits.
    let point = exp + 1;
    // Keep digits up to `decimals` places after the point.
    let keep = point + decimals as i64;
    let mut kept: Vec<u8> = if keep <= 0 {
        Vec::new()
    } else {
        (0..keep as usize)
            .map(|i| digits.get(i).copied().unwrap_or(0))
            .collect()
    };
    let next = if keep < 0 {
        0
    } else {
        digits.get(keep as usize).copied().unwrap_or(0)
    };
    // Digits start at 10^(point-1); with keep <= 0 everything kept is zero.
    let mut int_len = point.max(0) as usize; // digits before the point in `kept`
    if keep <= 0 {
        kept = vec![0; decimals];
        int_len = 0;
    }
    if next >= 5 {
        // Carry.
        let mut i = kept.len();
        loop {
            if i == 0 {
                kept.insert(0, 1);
                int_len += 1;
                break;
            }
            i -= 1;
            if kept[i] == 9 {
                kept[i] = 0;
            } else {
                kept[i] += 1;
                break;
            }
        }
    }
    // Left-pad when the point is before the first digit (x < 1).
    let frac_start = kept.len().saturating_sub(decimals);
    let int_digits: String = if int_len == 0 || frac_start == 0 {
        "0".into()
    } else {
        kept[..frac_start]
            .iter()
            .map(|d| (b'0' + d) as char)
            .collect()
    };
    let mut frac: String = kept[frac_start..]
        .iter()
        .map(|d| (b'0' + d) as char)
        .collect();
    while frac.len() < decimals {
        frac.insert(0, '0');
    }
    let sign = if x < 0.0 { "-" } else { "" };
    if decimals == 0 {
        format!("{sign}{int_digits}")
    } else {
        format!("{sign}{int_digits}.{frac}")
    }
}

/// p-values as study reports print them: three decimals, "<0.001" below, ">0.999" above.
pub fn p_value(p: f64, rounding: Rounding) -> String {
    if p.is_nan() {
        "NE".into()
    } else if p < 0.001 {
        "<0.001".into()
    } else if p > 0.999 {
        ">0.999".into()
    } else {
        fixed(p, 3, rounding)
    }
}

/// "est (lower, upper); p=…" from a result row, scaled and rounded; statistic and p when there
/// is no estimate (a test without an estimand, e.g. CMH). `index` is the row's place in the
/// results table.
pub fn result_cell(
    row: &ResultRow,
    index: usize,
    scale: f64,
    decimals: usize,
    rounding: Rounding,
) -> Cell {
    let res = &row.result;
    let f = |x: f64| fixed(scale * x, decimals, rounding);
    let mut text = String::new();
    match (&res.estimate, &res.interval) {
        (Some(e), Some(ci)) => {
            text = format!("{} ({}, {})", f(e.value), f(ci.lower), f(ci.upper));
        }
        (Some(e), None) => text = f(e.value),
        (None, Some(ci)) => text = format!("({}, {})", f(ci.lower), f(ci.upper)),
        (None, None) => {
            if let Some(st) = &res.statistic {
                text = format!("{}={}", st.name, fixed(st.value, 2, rounding));
                if let Some(df) = &res.df {
                    text.push_str(&format!(" (df {})", shortest(df.value)));
                }
            }
        }
    }
    if let Some(p) = res.p_value {
        let p = p_value(p, rounding);
        let sep = if text.is_empty() { "" } else { "; " };
        if let Some(stripped) = p.strip_prefix('<') {
            text.push_str(&format!("{sep}p<{stripped}"));
        } else if let Some(stripped) = p.strip_prefix('>') {
            text.push_str(&format!("{sep}p>{stripped}"));
        } else {
            text.push_str(&format!("{sep}p={p}"));
        }
    }
    if text.is_empty() {
        text = "NE".into();
    }
    Cell {
        text,
        source: Some(index),
        scale,
        decimals,
    }
}

/// "mean (SD)" of a descriptive summary.
pub fn mean_sd(mean: Option<f64>, sd: Option<f64>, rounding: Rounding) -> Cell {
    let text = match (mean, sd) {
        (Some(m), Some(s)) => format!("{} ({})", fixed(m, 2, rounding), fixed(s, 2, rounding)),
        (Some(m), None) => fixed(m, 2, rounding),
        _ => "NE".into(),
    };
    Cell::plain(text)
}

/// "k/n (x.x%)".
pub fn count_percent(k: usize, n: usize, rounding: Rounding) -> Cell {
    if n == 0 {
        return Cell::plain("0/0");
    }
    Cell::plain(format!(
        "{k}/{n} ({}%)",
        fixed(100.0 * k as f64 / n as f64, 1, rounding)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sas_rounds_half_away_from_the_decimal_text() {
        let cases = [
            (0.125, 2, "0.13"),
            (2.675, 2, "2.68"),
            (1.005, 2, "1.01"),
            (2.5, 0, "3"),
            (-0.125, 2, "-0.13"),
            (-2.5, 0, "-3"),
            (0.0004, 3, "0.000"),
            (-0.0004, 3, "0.000"),
            (0.0005, 3, "0.001"),
            (9.995, 2, "10.00"),
            (99.95, 1, "100.0"),
            (123.456, 1, "123.5"),
            (0.0, 2, "0.00"),
            (1e-20, 2, "0.00"),
            (52.35, 1, "52.4"),
            (1234567.0, 0, "1234567"),
            (0.96, 0, "1"),
            (0.4, 0, "0"),
        ];
        for (x, d, want) in cases {
            assert_eq!(fixed(x, d, Rounding::Sas), want, "{x} to {d}");
        }
    }

    #[test]
    fn r_rounds_the_binary_value_ties_to_even() {
        assert_eq!(fixed(0.125, 2, Rounding::R), "0.12");
        assert_eq!(fixed(2.675, 2, Rounding::R), "2.67");
        assert_eq!(fixed(-0.001, 2, Rounding::R), "0.00");
        assert_eq!(fixed(f64::NAN, 2, Rounding::R), "NE");
    }

    #[test]
    fn sas_agrees_with_r_away_from_ties() {
        let mut x = 0.000_123_f64;
        while x < 1e7 {
            for d in 0..4 {
                let a = fixed(x, d, Rounding::Sas);
                let b = fixed(x, d, Rounding::R);
                let tie = (x * 10f64.powi(d as i32)).fract();
                if (tie - 0.5).abs() > 1e-6 {
                    assert_eq!(a, b, "{x} {d}");
                }
            }
            x *= 1.37;
        }
    }

    #[test]
    fn p_values() {
        assert_eq!(p_value(0.0004, Rounding::Sas), "<0.001");
        assert_eq!(p_value(0.0125, Rounding::Sas), "0.013");
        assert_eq!(p_value(0.9999, Rounding::Sas), ">0.999");
    }
}
