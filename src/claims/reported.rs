//! Numbers as a paper printed them: [`Reported`] keeps the value and its decimals, because
//! "5.20" and "5.2" carry different rounding and therefore different information;
//! [`ReportedP`] is a p-value as reported (exact, bounded or "ns").
//!
//! Only parsing lives here. Whether a computed value agrees with a reported one (the rounding
//! model and its slack) is in [`super::rounding`]; nothing here computes statistics.

use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;
use std::fmt;

/// A number as reported: its value and the number of decimals it was printed with.
#[derive(Debug, Clone, PartialEq)]
pub struct Reported {
    /// The text as written in the claims file (after trimming).
    pub text: String,
    pub value: f64,
    /// Digits after the decimal point in the reported text.
    pub decimals: u32,
    /// The value was written with a `%` sign (then `value` is still in percent units).
    pub percent: bool,
}

impl Reported {
    /// Parse reported text: optional sign (also U+2212), digits with an optional `.`, optional
    /// exponent, optional trailing `%`.
    pub fn parse(text: &str) -> Result<Reported, String> {
        let t = text.trim();
        let (body, percent) = match t.strip_suffix('%') {
            Some(b) => (b.trim_end(), true),
            None => (t, false),
        };
        let body = body.replace('\u{2212}', "-");
        if body.is_empty() {
            return Err(format!(
                "found {text:?}, expected a number such as \"-52\" or \"5.20\""
            ));
        }
        if body.contains(',') {
            return Err(format!(
                "found {text:?}: write the decimal separator as a point (\"5.2\", not \"5,2\")"
            ));
        }
        let value: f64 = body.parse().map_err(|_| {
            format!("found {text:?}, expected a number such as \"-52\" or \"5.20\"")
        })?;
        if !value.is_finite() {
            return Err(format!("found {text:?}, expected a finite number"));
        }
        let mantissa = body.split(['e', 'E']).next().unwrap_or("");
        let exponent: i32 = body
            .split(['e', 'E'])
            .nth(1)
            .map(|e| e.parse().unwrap_or(0))
            .unwrap_or(0);
        let frac = mantissa.split('.').nth(1).map(|f| f.len()).unwrap_or(0) as i32;
        let decimals = (frac - exponent).max(0) as u32;
        Ok(Reported {
            text: t.to_string(),
            value,
            decimals,
            percent,
        })
    }
}

impl fmt::Display for Reported {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

struct ReportedVisitor;

impl Visitor<'_> for ReportedVisitor {
    type Value = Reported;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a number, or a string holding a number as printed (\"5.20\")")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Reported, E> {
        Reported::parse(v).map_err(E::custom)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Reported, E> {
        Reported::parse(&v.to_string()).map_err(E::custom)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Reported, E> {
        Reported::parse(&v.to_string()).map_err(E::custom)
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Reported, E> {
        // A TOML float has lost its trailing zeros: its shortest text is all we know.
        Reported::parse(&format!("{v}")).map_err(E::custom)
    }
}

impl<'de> Deserialize<'de> for Reported {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ReportedVisitor)
    }
}

/// A reported p-value: exact ("0.003", "=0.003"), bounded ("<0.01", ">0.05") or "ns".
#[derive(Debug, Clone, PartialEq)]
pub enum ReportedP {
    Equal(Reported),
    Less(Reported),
    Greater(Reported),
    /// "ns" / "n.s.": not significant at the claims' alpha (0.05 unless `alpha` is given).
    NotSignificant,
}

impl ReportedP {
    pub fn parse(text: &str) -> Result<ReportedP, String> {
        let t = text.trim();
        let lower = t.to_ascii_lowercase();
        if matches!(lower.as_str(), "ns" | "n.s." | "n.s" | "not significant") {
            return Ok(ReportedP::NotSignificant);
        }
        let strip = |s: &str| {
            let s = s.trim();
            let s = s
                .strip_prefix('p')
                .or_else(|| s.strip_prefix('P'))
                .unwrap_or(s);
            s.trim().to_string()
        };
        let t2 = strip(t);
        let check = |r: Reported| -> Result<Reported, String> {
            if r.percent || !(0.0..=1.0).contains(&r.value) {
                Err(format!(
                    "found {text:?}, expected a p-value between 0 and 1"
                ))
            } else {
                Ok(r)
            }
        };
        let p = if let Some(rest) = t2.strip_prefix("<=").or_else(|| t2.strip_prefix('≤')) {
            ReportedP::Less(check(Reported::parse(rest)?)?)
        } else if let Some(rest) = t2.strip_prefix('<') {
            ReportedP::Less(check(Reported::parse(rest)?)?)
        } else if let Some(rest) = t2.strip_prefix(">=").or_else(|| t2.strip_prefix('≥')) {
            ReportedP::Greater(check(Reported::parse(rest)?)?)
        } else if let Some(rest) = t2.strip_prefix('>') {
            ReportedP::Greater(check(Reported::parse(rest)?)?)
        } else if let Some(rest) = t2.strip_prefix('=') {
            ReportedP::Equal(check(Reported::parse(rest)?)?)
        } else {
            ReportedP::Equal(check(Reported::parse(&t2).map_err(|_| {
                format!("found {text:?}, expected a p-value such as \"0.003\", \"<0.01\", \">0.05\" or \"ns\"")
            })?)?)
        };
        Ok(p)
    }

    /// The text as a reader would print it.
    pub fn describe(&self) -> String {
        match self {
            ReportedP::Equal(r) => format!("p = {r}"),
            ReportedP::Less(r) => format!("p < {r}"),
            ReportedP::Greater(r) => format!("p > {r}"),
            ReportedP::NotSignificant => "ns".into(),
        }
    }
}

impl<'de> Deserialize<'de> for ReportedP {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = ReportedP;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a p-value such as \"0.003\", \"<0.01\", \">0.05\" or \"ns\"")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<ReportedP, E> {
                ReportedP::parse(v).map_err(E::custom)
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<ReportedP, E> {
                ReportedP::parse(&format!("{v}")).map_err(E::custom)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<ReportedP, E> {
                ReportedP::parse(&v.to_string()).map_err(E::custom)
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reported_keeps_decimals() {
        let r = Reported::parse("5.20").unwrap();
        assert_eq!((r.value, r.decimals), (5.2, 2));
        assert_eq!(Reported::parse("-52").unwrap().decimals, 0);
        assert_eq!(Reported::parse("\u{2212}52").unwrap().value, -52.0);
        let pct = Reported::parse("33.3%").unwrap();
        assert!(pct.percent && pct.decimals == 1);
        assert_eq!(Reported::parse("1.5e-3").unwrap().decimals, 4);
        assert!(Reported::parse("5,2").is_err());
        assert!(Reported::parse("abc").is_err());
    }

    #[test]
    fn p_forms() {
        assert!(matches!(
            ReportedP::parse("<0.01").unwrap(),
            ReportedP::Less(_)
        ));
        assert!(matches!(
            ReportedP::parse("p < .001").unwrap(),
            ReportedP::Less(_)
        ));
        assert!(matches!(
            ReportedP::parse("=0.003").unwrap(),
            ReportedP::Equal(_)
        ));
        assert!(matches!(
            ReportedP::parse(">0.05").unwrap(),
            ReportedP::Greater(_)
        ));
        assert_eq!(ReportedP::parse("n.s.").unwrap(), ReportedP::NotSignificant);
        assert!(ReportedP::parse("1.3").is_err());
        assert!(ReportedP::parse("<<").is_err());
    }
}
