//! Published summary figures ("claims") read from a TOML file, keeping the decimals as reported.
//!
//! A claim says what a paper reports for one endpoint, arm (and control) and visit: an
//! estimate, its interval, SD, p-value, test statistic, k of n. Numbers are kept as the text
//! that was printed, because "5.20" and "5.2" carry different rounding and therefore different
//! information: [`Reported`] stores the value and its number of decimals.

use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;
use std::fmt;
use std::path::{Path, PathBuf};

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
    /// Half a unit in the last reported decimal: the reported value stands for any true value
    /// within ± this (rounding up or down at 5 both allowed).
    pub fn half_unit(&self) -> f64 {
        0.5 * 10f64.powi(-(self.decimals as i32))
    }

    /// The interval of true values that round to the reported text.
    pub fn bounds(&self) -> (f64, f64) {
        let h = self.half_unit();
        (self.value - h, self.value + h)
    }

    /// Whether `x` rounds to the reported value (either rounding direction at a 5; a relative
    /// slack of 1e-9 absorbs binary floating-point representation of the bounds).
    pub fn matches(&self, x: f64) -> bool {
        let h = self.half_unit();
        (x - self.value).abs() <= h * (1.0 + 1e-9) + 1e-12 * self.value.abs()
    }

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

    /// Whether a computed p-value agrees with the reported one (at its precision; "ns" at alpha).
    pub fn admits(&self, p: f64, alpha: f64) -> bool {
        match self {
            ReportedP::Equal(r) => {
                // "p = 0.000" is how some software prints p < 0.0005.
                r.matches(p) || (r.value == 0.0 && p < r.half_unit())
            }
            ReportedP::Less(r) => p < r.value * (1.0 + 1e-12),
            ReportedP::Greater(r) => p > r.value * (1.0 - 1e-12),
            ReportedP::NotSignificant => p >= alpha,
        }
    }

    /// Whether a p-value range [lo, hi] contains a value the report admits.
    pub fn admits_range(&self, lo: f64, hi: f64, alpha: f64) -> bool {
        match self {
            ReportedP::Equal(r) => {
                let (a, b) = r.bounds();
                let a = if r.value == 0.0 { 0.0 } else { a };
                hi >= a * (1.0 - 1e-9) && lo <= b * (1.0 + 1e-9)
            }
            ReportedP::Less(r) => lo < r.value * (1.0 + 1e-12),
            ReportedP::Greater(r) => hi > r.value * (1.0 - 1e-12),
            ReportedP::NotSignificant => hi >= alpha,
        }
    }

    /// Whether the report declares significance at alpha (None when it cannot be told).
    pub fn significant(&self, alpha: f64) -> Option<bool> {
        match self {
            ReportedP::Equal(r) => Some(r.value < alpha),
            ReportedP::Less(r) => (r.value <= alpha).then_some(true),
            ReportedP::Greater(r) => (r.value >= alpha).then_some(false),
            ReportedP::NotSignificant => Some(false),
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

/// A reported test statistic, statcheck-style: `{ name = "t", value = "15.3", df = 11 }`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportedStatistic {
    /// t, z, F or chi2 (r is converted to t with df = n − 2).
    pub name: String,
    pub value: Reported,
    pub df: Option<f64>,
    /// Second degrees of freedom of an F statistic (df is the first).
    pub df2: Option<f64>,
}

/// The measurement scale of the raw values: bounds and the smallest step between values.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scale {
    pub min: Option<f64>,
    pub max: Option<f64>,
    /// Values are multiples of `step` (1 for integer scores, 0.1 for mm with one decimal).
    pub step: Option<f64>,
}

/// The sample size: one group, or the arm and control of a contrast.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SampleSize {
    One(usize),
    Two(usize, usize),
}

impl SampleSize {
    pub fn total(&self) -> usize {
        match *self {
            SampleSize::One(n) => n,
            SampleSize::Two(a, b) => a + b,
        }
    }
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawN {
    One(u64),
    Two(Vec<u64>),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSource {
    title: Option<String>,
    citation: Option<String>,
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawClaim {
    id: String,
    endpoint: String,
    arm: String,
    control: Option<String>,
    visit: String,
    estimand: String,
    method: Option<String>,
    n: Option<RawN>,
    estimate: Option<Reported>,
    ci: Option<Vec<Reported>>,
    conf_level: Option<f64>,
    sd: Option<Reported>,
    p: Option<ReportedP>,
    alpha: Option<f64>,
    statistic: Option<ReportedStatistic>,
    k: Option<u64>,
    scale: Option<Scale>,
    higher_is_better: Option<bool>,
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    source: Option<RawSource>,
    #[serde(default)]
    claim: Vec<toml::Spanned<RawClaim>>,
}

/// Where the figures come from.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ClaimSource {
    pub title: Option<String>,
    pub citation: Option<String>,
    pub note: Option<String>,
}

/// One reported result.
#[derive(Debug, Clone, PartialEq)]
pub struct Claim {
    pub id: String,
    /// 1-based line of the `[[claim]]` header in the claims file.
    pub line: usize,
    pub endpoint: String,
    pub arm: String,
    /// The reference arm of a between-arm claim.
    pub control: Option<String>,
    pub visit: String,
    pub estimand: String,
    /// The method as in the results table, if the paper names it.
    pub method: Option<String>,
    pub n: Option<SampleSize>,
    pub estimate: Option<Reported>,
    pub ci: Option<(Reported, Reported)>,
    pub conf_level: f64,
    pub sd: Option<Reported>,
    pub p: Option<ReportedP>,
    /// Significance level for "ns" and decision errors (default 0.05).
    pub alpha: f64,
    pub statistic: Option<ReportedStatistic>,
    pub k: Option<usize>,
    pub scale: Option<Scale>,
    pub higher_is_better: bool,
    pub note: Option<String>,
}

impl Claim {
    /// `ARM vs CONTROL` for a between-arm claim, `within` otherwise (as the results table).
    pub fn comparison(&self) -> String {
        match &self.control {
            Some(c) => format!("{} vs {}", self.arm, c),
            None => "within".into(),
        }
    }
}

/// A claims file: its source and claims in file order.
#[derive(Debug, Clone, PartialEq)]
pub struct ClaimsFile {
    pub path: PathBuf,
    pub source: ClaimSource,
    pub claims: Vec<Claim>,
    /// SHA-256 of the file's bytes.
    pub sha256: String,
}

/// A claims file that cannot be used: where and why.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{path}:{line}: {message}")]
pub struct ClaimsError {
    pub path: String,
    /// 1-based line (0 when the whole file is at fault).
    pub line: usize,
    pub message: String,
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// Estimands whose value is a share (k of n) on the results table's 0–1 scale.
pub fn is_rate_estimand(estimand: &str) -> bool {
    estimand == "clearance_rate"
        || (estimand.starts_with("responder") && estimand.ends_with("_rate"))
}

/// Read and validate a claims file.
pub fn read_claims(path: &Path) -> Result<ClaimsFile, ClaimsError> {
    let shown = path.display().to_string();
    let err = |line: usize, message: String| ClaimsError {
        path: shown.clone(),
        line,
        message,
    };
    let bytes =
        std::fs::read(path).map_err(|e| err(0, format!("cannot read the claims file: {e}")))?;
    let text = String::from_utf8(bytes.clone())
        .map_err(|e| err(0, format!("the claims file is not UTF-8 text ({e})")))?;
    let raw: RawFile = toml::from_str(&text).map_err(|e| {
        let line = e.span().map(|s| line_of(&text, s.start)).unwrap_or(0);
        let mut msg = e.message().trim().to_string();
        if msg.contains("untagged enum RawN") {
            msg = "expected n = 12, or n = [n_arm, n_control] for a contrast".into();
        }
        // Name the key of the offending line when the message does not.
        let key = (line > 0)
            .then(|| text.lines().nth(line - 1))
            .flatten()
            .and_then(|l| l.split_once('='))
            .map(|(k, _)| k.trim().to_string())
            .filter(|k| !k.is_empty() && !k.starts_with('['));
        if let Some(k) = key {
            if !msg.contains(&format!("`{k}`")) {
                msg = format!("key `{k}`: {msg}");
            }
        }
        // Say which key when the message does not already.
        err(
            line,
            format!("{msg} (see the claim format: trialstat reproduce --help)"),
        )
    })?;
    use sha2::{Digest, Sha256};
    let sha256 = format!("{:x}", Sha256::digest(&bytes));
    if raw.claim.is_empty() {
        return Err(err(
            0,
            "no [[claim]] tables: a claims file lists at least one claim".into(),
        ));
    }
    let mut claims: Vec<Claim> = Vec::with_capacity(raw.claim.len());
    for spanned in raw.claim {
        let line = line_of(&text, spanned.span().start);
        let c = spanned.into_inner();
        let bad = |key: &str, message: String| {
            err(line, format!("claim {:?}: key `{key}`: {message}", c.id))
        };
        if c.id.trim().is_empty() {
            return Err(err(
                line,
                "key `id`: found an empty id, expected a name".into(),
            ));
        }
        if let Some(prev) = claims.iter().find(|p| p.id == c.id) {
            return Err(bad(
                "id",
                format!(
                    "the id is used twice (also by the claim at line {})",
                    prev.line
                ),
            ));
        }
        for (key, value) in [
            ("endpoint", &c.endpoint),
            ("arm", &c.arm),
            ("visit", &c.visit),
            ("estimand", &c.estimand),
        ] {
            if value.trim().is_empty() {
                return Err(bad(key, "found an empty text, expected a name".into()));
            }
        }
        let conf_level = c.conf_level.unwrap_or(0.95);
        if !(conf_level > 0.0 && conf_level < 1.0) {
            return Err(bad(
                "conf_level",
                format!(
                    "found {conf_level}, expected a level strictly between 0 and 1, such as 0.95"
                ),
            ));
        }
        let alpha = c.alpha.unwrap_or(0.05);
        if !(alpha > 0.0 && alpha < 1.0) {
            return Err(bad(
                "alpha",
                format!("found {alpha}, expected a level such as 0.05"),
            ));
        }
        let n = match c.n {
            None => None,
            Some(RawN::One(n)) => Some(SampleSize::One(n as usize)),
            Some(RawN::Two(v)) if v.len() == 2 => {
                Some(SampleSize::Two(v[0] as usize, v[1] as usize))
            }
            Some(RawN::Two(v)) => {
                return Err(bad(
                    "n",
                    format!("found a list of {} numbers, expected n = 12 or, for a contrast, n = [n_arm, n_control]", v.len()),
                ))
            }
        };
        match (n, &c.control) {
            (Some(SampleSize::Two(..)), None) => {
                return Err(bad(
                    "n",
                    "two sample sizes are given but no `control`: a within-arm claim has one n"
                        .into(),
                ))
            }
            (Some(SampleSize::One(_)), Some(_)) => {
                return Err(bad(
                    "n",
                    "a between-arm claim (with `control`) needs n = [n_arm, n_control]".into(),
                ))
            }
            _ => {}
        }
        if let Some(n) = n {
            let smallest = match n {
                SampleSize::One(a) => a,
                SampleSize::Two(a, b) => a.min(b),
            };
            if smallest < 1 {
                return Err(bad("n", "found 0, expected at least 1 patient".into()));
            }
        }
        let ci = match c.ci {
            None => None,
            Some(v) if v.len() == 2 => {
                let (lo, hi) = (v[0].clone(), v[1].clone());
                if lo.value > hi.value {
                    return Err(bad(
                        "ci",
                        format!("found [{lo}, {hi}]: the lower limit is above the upper limit"),
                    ));
                }
                Some((lo, hi))
            }
            Some(v) => {
                return Err(bad(
                    "ci",
                    format!(
                        "found {} values, expected two: ci = [\"low\", \"high\"]",
                        v.len()
                    ),
                ))
            }
        };
        if let Some(sd) = &c.sd {
            if sd.value < 0.0 {
                return Err(bad("sd", format!("found {sd}, expected a non-negative SD")));
            }
        }
        let k = c.k.map(|k| k as usize);
        if let Some(k) = k {
            if !is_rate_estimand(&c.estimand) && c.estimand != "mean" {
                return Err(bad(
                    "k",
                    format!("`k` (k of n) applies to rate estimands (clearance_rate, responder50_rate, …), not {}", c.estimand),
                ));
            }
            if let Some(SampleSize::One(n)) = n {
                if k > n {
                    return Err(bad(
                        "k",
                        format!("found k = {k} of n = {n}: k cannot exceed n"),
                    ));
                }
            }
        }
        if let Some(s) = &c.scale {
            if let (Some(a), Some(b)) = (s.min, s.max) {
                if a >= b {
                    return Err(bad(
                        "scale",
                        format!("found min = {a}, max = {b}: min must be below max"),
                    ));
                }
            }
            if let Some(st) = s.step {
                if !(st > 0.0 && st.is_finite()) {
                    return Err(bad(
                        "scale",
                        format!("found step = {st}, expected a positive step such as 1 or 0.1"),
                    ));
                }
            }
        }
        if let Some(st) = &c.statistic {
            let name = st.name.to_ascii_lowercase();
            if !matches!(name.as_str(), "t" | "z" | "f" | "chi2" | "r") {
                return Err(bad(
                    "statistic",
                    format!("found name = {:?}, expected t, z, F, chi2 or r", st.name),
                ));
            }
            if matches!(name.as_str(), "t" | "f" | "chi2" | "r") && st.df.is_none() {
                return Err(bad(
                    "statistic",
                    format!(
                        "a {} statistic needs its degrees of freedom: df = …",
                        st.name
                    ),
                ));
            }
            if name == "f" && st.df2.is_none() {
                return Err(bad("statistic", "an F statistic needs df and df2".into()));
            }
        }
        claims.push(Claim {
            id: c.id,
            line,
            endpoint: c.endpoint,
            arm: c.arm,
            control: c.control,
            visit: c.visit,
            estimand: c.estimand,
            method: c.method,
            n,
            estimate: c.estimate,
            ci,
            conf_level,
            sd: c.sd,
            p: c.p,
            alpha,
            statistic: c.statistic,
            k,
            scale: c.scale,
            higher_is_better: c.higher_is_better.unwrap_or(false),
            note: c.note,
        });
    }
    let source = raw
        .source
        .map(|s| ClaimSource {
            title: s.title,
            citation: s.citation,
            note: s.note,
        })
        .unwrap_or_default();
    Ok(ClaimsFile {
        path: path.to_path_buf(),
        source,
        claims,
        sha256,
    })
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
        let r = Reported::parse("-52").unwrap();
        assert!(r.matches(-52.43) && r.matches(-51.5) && !r.matches(-52.51));
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
        let p = ReportedP::parse("0.003").unwrap();
        assert!(p.admits(0.0034, 0.05) && !p.admits(0.0036, 0.05));
    }
}
