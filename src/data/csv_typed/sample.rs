//! The arm, visit and endpoint names of a long file, read from a sample of it, for the Enum
//! parse (one-byte codes over these names). A name the sample misses only costs speed: the
//! parse that needs it fails and a slower one is taken. It reads the file with the csv crate
//! and must not build anything from the names.

use super::key_columns::clean;
use super::Columns;
use std::path::Path;

/// The arm, visit and endpoint names found in a sample of the file, in order of first sight.
#[derive(Debug, Clone, Default)]
pub(super) struct Sampled {
    pub arms: Vec<String>,
    pub visits: Vec<String>,
    pub endpoints: Vec<String>,
}

/// Files up to this size are sampled whole; larger ones in `SAMPLE_WINDOWS` windows.
const SAMPLE_WHOLE: u64 = 4 << 20;
const SAMPLE_WINDOWS: u64 = 64;
const SAMPLE_WINDOW: u64 = 64 << 10;

/// The distinct arm, visit and endpoint names in a sample of the file: all of it when small,
/// else 64 windows of 64 KiB spread evenly (complete lines only). `None` if a column has more
/// than 255 names (no one-byte Enum). A name the sample misses makes the Enum parse fail, and
/// the categorical parse is used instead: slower, never wrong.
pub(super) fn sample_names(
    path: &Path,
    delimiter: u8,
    header: &[String],
    cols: &Columns,
) -> Option<Sampled> {
    use std::io::{Read, Seek, SeekFrom};
    let position = |name: &Option<String>| {
        name.as_ref()
            .and_then(|n| header.iter().position(|h| h == n))
    };
    let arm = position(&cols.arm);
    let visit = position(&Some(cols.visit.clone()))?;
    let endpoint = position(&Some(cols.endpoint.clone()))?;
    let mut file = std::fs::File::open(path).ok()?;
    let len = file.metadata().ok()?.len();
    let windows: Vec<(u64, u64)> = if len <= SAMPLE_WHOLE {
        vec![(0, len)]
    } else {
        (0..SAMPLE_WINDOWS)
            .map(|k| {
                (
                    k * (len - SAMPLE_WINDOW) / (SAMPLE_WINDOWS - 1),
                    SAMPLE_WINDOW,
                )
            })
            .collect()
    };
    let mut sampled = Sampled::default();
    let mut buf = Vec::new();
    for (start, size) in windows {
        buf.resize(size as usize, 0);
        file.seek(SeekFrom::Start(start)).ok()?;
        file.read_exact(&mut buf).ok()?;
        // Complete lines only: after the first newline (the header, or a partial line) up to
        // the last one (the whole tail when the window reaches the end of the file).
        let from = buf
            .iter()
            .position(|&b| b == b'\n')
            .map_or(buf.len(), |p| p + 1);
        let to = if start + size >= len {
            buf.len()
        } else {
            buf.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1)
        };
        if from >= to {
            continue;
        }
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(&buf[from..to]);
        let mut record = csv::StringRecord::new();
        while let Ok(true) = reader.read_record(&mut record) {
            for (index, names) in [
                (arm, &mut sampled.arms),
                (Some(visit), &mut sampled.visits),
                (Some(endpoint), &mut sampled.endpoints),
            ] {
                if let Some(name) = index.and_then(|i| record.get(i)) {
                    if clean(name) && !names.iter().any(|n| n == name) {
                        names.push(name.to_string());
                    }
                }
            }
        }
    }
    [&sampled.arms, &sampled.visits, &sampled.endpoints]
        .iter()
        .all(|names| names.len() <= u8::MAX as usize)
        .then_some(sampled)
}
