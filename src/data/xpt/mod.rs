//! SAS transport (XPORT) files, versions 5 and 8, read by the published record layout (SAS
//! technical support note TS-140, and its version 8 supplement): 80-byte header records, one
//! 140-byte description ("namestr") per variable, then the observations packed end to end and
//! blank-padded to a multiple of 80 bytes; several data sets ("members") may follow one another.
//! Numbers are IBM floating point (`ibm`), character values are blank-padded bytes.
//!
//! Why our own reader: no maintained Rust crate read XPT when this was written (the one found,
//! `xportrs` 0.0.x, was new and unproven; pandas and haven/ReadStat are not Rust), and the format
//! is small. What it guarantees: numbers converted exactly (SAS's zero is 0), the 28 missing
//! values (`.`, `.A`–`.Z`, `._`) read as missing, character values with trailing blanks removed,
//! dataset and variable labels kept, and any malformed file rejected with what is wrong and
//! where (never a panic: every length and offset is checked against the file).
//!
//! It reads bytes into columns and must not know cohorts, column roles or ADaM: `source` and
//! `frame` turn a member into the string table the validating reader checks.

// Errors are the cold path and carry the file and what was wrong; boxing them would buy nothing.
#![allow(clippy::result_large_err)]

pub(crate) mod frame;
pub mod ibm;

use super::DataError;
use std::path::Path;

const RECORD: usize = 80;
const HEADER_PREFIX: &[u8] = b"HEADER RECORD*******";

/// The first bytes of every SAS transport file (both versions).
pub(crate) fn is_xpt(head: &[u8]) -> bool {
    head.starts_with(b"HEADER RECORD*******LIB")
}

/// The transport format's version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum XptVersion {
    /// Version 5 (`LIBRARY` headers): names of up to 8 characters, labels of up to 40.
    V5,
    /// Version 8 (`LIBV8` headers): names of up to 32 characters, longer labels.
    V8,
}

/// Numeric or character, with the stored length in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum XptType {
    Numeric,
    Character,
}

/// One variable's description.
#[derive(Debug, Clone, PartialEq)]
pub struct XptVariable {
    pub name: String,
    pub label: String,
    /// The SAS format name (`DATE`, `8.`, …), empty if none.
    pub format: String,
    pub kind: XptType,
    pub length: usize,
    /// Offset of the value within an observation.
    pub position: usize,
}

/// A character column: the values (trailing blanks removed) end to end, and where each ends.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CharColumn {
    text: String,
    ends: Vec<usize>,
}

impl CharColumn {
    pub fn len(&self) -> usize {
        self.ends.len()
    }
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }
    /// The `i`th value ("" for a blank value, which SAS treats as missing).
    pub fn get(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.text[start..self.ends[i]]
    }
    fn push(&mut self, bytes: &[u8]) {
        let end = bytes
            .iter()
            .rposition(|&b| b != b' ' && b != 0)
            .map_or(0, |p| p + 1);
        let bytes = &bytes[..end];
        match std::str::from_utf8(bytes) {
            Ok(s) => self.text.push_str(s),
            // Not UTF-8: read as Latin-1 (every byte a character), the usual SAS encoding.
            Err(_) => self.text.extend(bytes.iter().map(|&b| b as char)),
        }
        self.ends.push(self.text.len());
    }
}

/// A column's values.
#[derive(Debug, Clone, PartialEq)]
pub enum XptColumn {
    /// Missing values (any of the 28) are NaN.
    Numeric(Vec<f64>),
    Character(CharColumn),
}

/// One data set of the file.
#[derive(Debug, Clone, PartialEq)]
pub struct XptMember {
    pub name: String,
    pub label: String,
    /// The data set type (usually empty, `DATA` otherwise).
    pub dataset_type: String,
    pub variables: Vec<XptVariable>,
    /// One per variable, in the same order.
    pub columns: Vec<XptColumn>,
    pub n_obs: usize,
}

/// A whole transport file.
#[derive(Debug, Clone, PartialEq)]
pub struct XptFile {
    pub version: XptVersion,
    pub members: Vec<XptMember>,
}

/// What went wrong, before the file name is added.
type Reason = String;

/// Read a transport file from disk.
pub fn read_file(path: &Path) -> Result<XptFile, DataError> {
    let bytes = std::fs::read(path).map_err(|source| DataError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    parse(&bytes).map_err(|message| DataError::Xpt {
        path: path.to_path_buf(),
        message,
    })
}

/// Parse the bytes of a transport file.
pub fn parse(bytes: &[u8]) -> Result<XptFile, Reason> {
    let version =
        match header_name(bytes, 0) {
            Some(b"LIBRARY ") => XptVersion::V5,
            Some(b"LIBV8   ") => XptVersion::V8,
            _ => return Err(
                "not a SAS transport file: it does not start with a LIBRARY or LIBV8 header record"
                    .to_string(),
            ),
        };
    if bytes.len() < 3 * RECORD {
        return Err(format!(
            "truncated: {} bytes, shorter than the library header (240 bytes)",
            bytes.len()
        ));
    }
    let mut members = Vec::new();
    let mut at = 3 * RECORD;
    while at < bytes.len() {
        let (member, next) = parse_member(bytes, at, version)?;
        members.push(member);
        at = next;
    }
    if members.is_empty() {
        return Err(
            "the file holds no data set (no MEMBER header after the library header)".into(),
        );
    }
    Ok(XptFile { version, members })
}

/// The 8-byte name of a header record at `at` (`LIBRARY `, `MEMBER  `, `OBS     `, …), if
/// there is a header record there.
fn header_name(bytes: &[u8], at: usize) -> Option<&[u8]> {
    let record = bytes.get(at..at + 48)?;
    (record.starts_with(HEADER_PREFIX) && &record[28..48] == b"HEADER RECORD!!!!!!!")
        .then(|| &record[20..28])
}

/// The 80-byte record at `at`, or an error naming what was expected there.
fn record<'b>(bytes: &'b [u8], at: usize, what: &str) -> Result<&'b [u8], Reason> {
    bytes.get(at..at + RECORD).ok_or_else(|| {
        format!(
            "truncated: the file ends at byte {} where the {what} was expected (byte {at})",
            bytes.len()
        )
    })
}

fn expect_header(bytes: &[u8], at: usize, names: &[&[u8]], what: &str) -> Result<(), Reason> {
    record(bytes, at, what)?;
    match header_name(bytes, at) {
        Some(n) if names.contains(&n) => Ok(()),
        _ => Err(format!(
            "byte {at}: expected the {what} record, found {:?}",
            printable(&bytes[at..at + RECORD])
        )),
    }
}

/// Text of a fixed-width field: trailing blanks (and NULs) removed.
fn text(field: &[u8]) -> String {
    let end = field
        .iter()
        .rposition(|&b| b != b' ' && b != 0)
        .map_or(0, |p| p + 1);
    match std::str::from_utf8(&field[..end]) {
        Ok(s) => s.to_string(),
        Err(_) => field[..end].iter().map(|&b| b as char).collect(),
    }
}

/// A record shown in an error: its first 48 bytes, non-printing bytes as '?'.
fn printable(record: &[u8]) -> String {
    record
        .iter()
        .take(48)
        .map(|&b| {
            if (0x20..0x7f).contains(&b) {
                b as char
            } else {
                '?'
            }
        })
        .collect()
}

fn be_u16(b: &[u8]) -> usize {
    usize::from(u16::from_be_bytes([b[0], b[1]]))
}

fn be_u32(b: &[u8]) -> usize {
    u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as usize
}

fn digits(field: &[u8], what: &str) -> Result<usize, Reason> {
    let s = std::str::from_utf8(field).map_err(|_| format!("{what} is not a number"))?;
    s.trim()
        .parse::<usize>()
        .map_err(|_| format!("{what} is not a number: {s:?}"))
}

/// One member starting with its MEMBER header at `at`; returns it and where the next begins.
fn parse_member(
    bytes: &[u8],
    at: usize,
    version: XptVersion,
) -> Result<(XptMember, usize), Reason> {
    let (member_name, descriptor_name, namestr_name, obs_name): (&[u8], &[u8], &[u8], &[u8]) =
        match version {
            XptVersion::V5 => (b"MEMBER  ", b"DSCRPTR ", b"NAMESTR ", b"OBS     "),
            XptVersion::V8 => (b"MEMBV8  ", b"DSCPTV8 ", b"NAMSTV8 ", b"OBSV8   "),
        };
    expect_header(bytes, at, &[member_name], "MEMBER header")?;
    let member_header = record(bytes, at, "MEMBER header")?;
    // The description's size: 140 bytes, or 136 on VAX/VMS.
    let namestr_len = digits(&member_header[74..78], "the MEMBER header's namestr size")?;
    if namestr_len != 140 && namestr_len != 136 {
        return Err(format!(
            "byte {at}: namestr size {namestr_len}; expected 140 (or 136)"
        ));
    }
    expect_header(bytes, at + RECORD, &[descriptor_name], "DSCRPTR header")?;
    let first = record(bytes, at + 2 * RECORD, "member description")?;
    if !first.starts_with(b"SAS     ") {
        return Err(format!(
            "byte {}: the member description does not start with 'SAS'",
            at + 2 * RECORD
        ));
    }
    let name = match version {
        XptVersion::V5 => text(&first[8..16]),
        XptVersion::V8 => text(&first[8..40]),
    };
    let second = record(bytes, at + 3 * RECORD, "member description")?;
    let label = text(&second[32..72]);
    let dataset_type = text(&second[72..80]);

    let at_namestr = at + 4 * RECORD;
    expect_header(bytes, at_namestr, &[namestr_name], "NAMESTR header")?;
    let n_vars = digits(
        &record(bytes, at_namestr, "NAMESTR header")?[54..58],
        "the number of variables",
    )?;
    let namestr_start = at_namestr + RECORD;
    let namestr_bytes = n_vars * namestr_len;
    let namestr_end = namestr_start + namestr_bytes.div_ceil(RECORD) * RECORD;
    if namestr_end > bytes.len() {
        return Err(format!(
            "truncated: {n_vars} variable descriptions need bytes {namestr_start}–{namestr_end}, the file has {}",
            bytes.len()
        ));
    }
    let mut variables = Vec::with_capacity(n_vars);
    let mut obs_len = 0usize;
    for i in 0..n_vars {
        let ns = &bytes[namestr_start + i * namestr_len..namestr_start + (i + 1) * namestr_len];
        let kind = match be_u16(&ns[0..2]) {
            1 => XptType::Numeric,
            2 => XptType::Character,
            t => {
                return Err(format!(
                    "variable {}: type {t}; expected 1 (numeric) or 2 (character)",
                    i + 1
                ))
            }
        };
        let length = be_u16(&ns[4..6]);
        let short_name = text(&ns[8..16]);
        let long_name = if version == XptVersion::V8 && namestr_len >= 120 {
            text(&ns[88..120])
        } else {
            String::new()
        };
        let name = if long_name.is_empty() {
            short_name
        } else {
            long_name
        };
        let position = be_u32(&ns[84..88]);
        let bad_length = match kind {
            XptType::Numeric => !(2..=8).contains(&length),
            XptType::Character => length == 0,
        };
        if bad_length {
            return Err(format!(
                "variable {name}: length {length}; expected 2–8 bytes for a number, at least 1 for text"
            ));
        }
        obs_len = obs_len.max(position + length);
        variables.push(XptVariable {
            name,
            label: text(&ns[16..56]),
            format: text(&ns[56..64]),
            kind,
            length,
            position,
        });
    }

    // Version 8 may put long labels (and formats) in LABELV8/LABELV9 records before OBSV8.
    let mut at_obs = namestr_end;
    if version == XptVersion::V8 {
        if let Some(kind @ (b"LABELV8 " | b"LABELV9 ")) = header_name(bytes, at_obs) {
            let v9 = kind == b"LABELV9 ";
            let count = digits(
                &record(bytes, at_obs, "LABEL header")?[48..58],
                "the number of labels",
            )?;
            let mut p = at_obs + RECORD;
            for _ in 0..count {
                let fixed = if v9 { 10 } else { 6 };
                let head = bytes
                    .get(p..p + fixed)
                    .ok_or_else(|| "truncated in the long-label records".to_string())?;
                let var = be_u16(&head[0..2]);
                let name_len = be_u16(&head[2..4]);
                let (fmt_len, infmt_len, label_len) = if v9 {
                    (
                        be_u16(&head[4..6]),
                        be_u16(&head[6..8]),
                        be_u16(&head[8..10]),
                    )
                } else {
                    (0, 0, be_u16(&head[4..6]))
                };
                let body_len = name_len + label_len + fmt_len + infmt_len;
                let body = bytes
                    .get(p + fixed..p + fixed + body_len)
                    .ok_or_else(|| "truncated in the long-label records".to_string())?;
                if var >= 1 && var <= variables.len() {
                    let v = &mut variables[var - 1];
                    v.label = text(&body[name_len..name_len + label_len]);
                    if v9 && fmt_len > 0 {
                        v.format =
                            text(&body[name_len + label_len..name_len + label_len + fmt_len]);
                    }
                }
                p += fixed + body_len;
            }
            at_obs = (p - namestr_end).div_ceil(RECORD) * RECORD + namestr_end;
        }
    }
    expect_header(bytes, at_obs, &[obs_name], "OBS header")?;
    let data_start = at_obs + RECORD;

    // The observations run to the next member's header (at a record boundary) or the end.
    let mut data_end = bytes.len();
    let mut p = data_start;
    while p + RECORD <= bytes.len() {
        if header_name(bytes, p) == Some(member_name) {
            data_end = p;
            break;
        }
        p += RECORD;
    }
    if !(data_end - data_start).is_multiple_of(RECORD) {
        return Err(format!(
            "truncated: the observations of {name} take {} bytes, not a whole number of 80-byte records",
            data_end - data_start
        ));
    }
    let data = &bytes[data_start..data_end];
    let mut n_obs = data.len().checked_div(obs_len).unwrap_or(0);
    // Blank padding after the last observation can look like blank observations: drop those
    // that lie within the last record's padding (fewer than 80 bytes must remain as padding).
    while n_obs > 0
        && data.len() - (n_obs - 1) * obs_len < RECORD
        && data[(n_obs - 1) * obs_len..n_obs * obs_len]
            .iter()
            .all(|&b| b == b' ')
    {
        n_obs -= 1;
    }
    // What follows the last whole observation is the last record's blank padding; anything
    // else is an observation cut short (a file truncated inside its data). A cut exactly at an
    // observation and a record boundary cannot be seen: version 5 stores no count.
    let rest = &data[n_obs * obs_len..];
    if rest.iter().any(|&b| b != b' ') {
        return Err(format!(
            "truncated: the last observation of {name} is incomplete ({} of its {obs_len} bytes present)",
            rest.len()
        ));
    }
    let mut columns: Vec<XptColumn> = variables
        .iter()
        .map(|v| match v.kind {
            XptType::Numeric => XptColumn::Numeric(Vec::with_capacity(n_obs)),
            XptType::Character => XptColumn::Character(CharColumn::default()),
        })
        .collect();
    for (v, column) in variables.iter().zip(columns.iter_mut()) {
        let mut p = v.position;
        match column {
            XptColumn::Numeric(values) => {
                for _ in 0..n_obs {
                    values.push(ibm::decode_f64(&data[p..p + v.length]));
                    p += obs_len;
                }
            }
            XptColumn::Character(values) => {
                for _ in 0..n_obs {
                    values.push(&data[p..p + v.length]);
                    p += obs_len;
                }
            }
        }
    }
    Ok((
        XptMember {
            name,
            label,
            dataset_type,
            variables,
            columns,
            n_obs,
        },
        data_end,
    ))
}

#[cfg(test)]
mod tests;
