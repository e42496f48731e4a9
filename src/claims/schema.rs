//! The claims file: its TOML schema and its validation. A claim says what a paper reports for
//! one endpoint, arm (and control) and visit: an estimate, its interval, SD, p-value, test
//! statistic, k of n. Numbers are kept as printed ([`Reported`]).
//!
//! Every error names the file, the line and the key at fault. Nothing here checks whether the
//! figures agree with each other (that is [`super::checks`]) or reads data.

use super::estimand::is_rate_estimand;
use super::reported::{Reported, ReportedP};
use serde::Deserialize;
use std::path::{Path, PathBuf};

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
            // The t, F and χ² distributions exist only for positive, finite degrees of
            // freedom: anything else is a typo in the file, not a claim to check.
            for (key, df) in [("df", st.df), ("df2", st.df2)] {
                if let Some(df) = df.filter(|d| !(d.is_finite() && *d > 0.0)) {
                    return Err(bad(
                        "statistic",
                        format!(
                            "found {key} = {df}, expected positive degrees of freedom (such as df = 11 for a t statistic of 12 patients)"
                        ),
                    ));
                }
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
