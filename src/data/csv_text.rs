//! CSV text as lines and fields, read without polars: the delimiter, the field count of every
//! row, the line a data row starts on, and what is wrong with a file polars refuses. Both CSV
//! readers use it (so neither imports the other); it must not build cohorts or know columns.

use std::path::Path;

/// Bytes per chunk where a file is cut at line ends (the field-count scan here, and the typed
/// reader's chunked parse): small enough that the chunks' transient buffers (the patient-id
/// strings above all) are reused from chunk to chunk instead of touching fresh memory, large
/// enough that per-chunk overhead does not show.
pub(super) const CHUNK_BYTES: usize = 4 << 20;

/// The delimiter among `,` `;` and tab that occurs most often outside quotes on the header line.
pub(super) fn detect_delimiter(head: &str) -> u8 {
    let first = head.lines().next().unwrap_or("");
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for c in first.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => counts[0] += 1,
            ';' if !quoted => counts[1] += 1,
            '\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = (0..3)
        .max_by_key(|&i| (counts[i], std::cmp::Reverse(i)))
        .unwrap_or(0);
    [b',', b';', b'\t'][best]
}

/// File line on which data row `index` (0-based) starts. Found by re-reading the file with the
/// csv crate, so it is right even when quoted fields span lines; only called when reporting.
pub(super) fn line_of(path: &Path, delimiter: u8, index: usize) -> u64 {
    let fallback = index as u64 + 2;
    let Ok(mut rdr) = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(true)
        .flexible(true)
        .from_path(path)
    else {
        return fallback;
    };
    let mut record = csv::ByteRecord::new();
    let mut i = 0;
    while let Ok(true) = rdr.read_byte_record(&mut record) {
        if i == index {
            return record.position().map(|p| p.line()).unwrap_or(fallback);
        }
        i += 1;
    }
    fallback
}

/// Polars' parse errors name no line; re-read with the csv crate to find the row that is wrong.
pub(super) fn explain_parse_error(path: &Path, delimiter: u8) -> Option<String> {
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(true)
        .from_path(path)
        .ok()?;
    let mut record = csv::ByteRecord::new();
    loop {
        match rdr.read_byte_record(&mut record) {
            Ok(true) => continue,
            Ok(false) => return None,
            Err(e) => {
                return Some(match e.kind() {
                    csv::ErrorKind::UnequalLengths { pos, expected_len, len } => format!(
                        "line {}: found {len} fields, expected {expected_len} (one per header column; quote fields that contain the delimiter)",
                        pos.as_ref().map(|p| p.line()).unwrap_or(0)
                    ),
                    csv::ErrorKind::Utf8 { pos, .. } => format!(
                        "line {}: not valid UTF-8 text; expected a UTF-8 CSV file",
                        pos.as_ref().map(|p| p.line()).unwrap_or(0)
                    ),
                    _ => e.to_string(),
                })
            }
        }
    }
}

/// For a polars parse, which fills a short row with missing values: the error message if some
/// row has more or fewer fields than the header (`n_fields`). A file without quotes is scanned
/// with [`fields_even`] in parallel; one with quotes (a quoted field may hold delimiters and
/// newlines) is read by the csv crate.
pub(super) fn ragged_rows(path: &Path, delimiter: u8, n_fields: usize) -> Option<String> {
    use rayon::prelude::*;
    let explain = || explain_parse_error(path, delimiter);
    let file = std::fs::File::open(path).ok()?;
    // SAFETY: the map is read-only and private to this function; as for polars' own reader,
    // a file truncated by another process while it is read is outside what is defended.
    let map = unsafe { memmap2::Mmap::map(&file) }.ok()?;
    let bytes: &[u8] = &map;
    if memchr::memchr(b'"', bytes).is_some() {
        return explain();
    }
    let body_start = memchr::memchr(b'\n', bytes).map_or(bytes.len(), |p| p + 1);
    let delimiters = u32::try_from(n_fields.checked_sub(1)?).ok()?;
    let even = line_chunks(bytes, body_start, CHUNK_BYTES)
        .into_par_iter()
        .all(|range| fields_even(&bytes[range], delimiter, delimiters));
    if even {
        None
    } else {
        explain()
    }
}

/// `bytes[start..]` cut into ranges of about `chunk_bytes`, each ending just after a newline
/// (the last at the end of the bytes).
pub(super) fn line_chunks(
    bytes: &[u8],
    start: usize,
    chunk_bytes: usize,
) -> Vec<std::ops::Range<usize>> {
    let mut chunks = Vec::new();
    let mut start = start;
    while start < bytes.len() {
        let from = (start + chunk_bytes).min(bytes.len());
        let end = memchr::memchr(b'\n', &bytes[from..]).map_or(bytes.len(), |at| from + at + 1);
        chunks.push(start..end);
        start = end;
    }
    chunks
}

/// Bit masks of the delimiters and newlines in a block of 64 bytes (bit i: byte i).
#[cfg(target_arch = "x86_64")]
fn masks(block: &[u8], delimiter: u8) -> (u64, u64) {
    use std::arch::x86_64::{
        __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_set1_epi8,
    };
    assert_eq!(block.len(), 64);
    let (mut delims, mut newlines) = (0u64, 0u64);
    // SAFETY: SSE2 is part of every x86_64 target; each load reads 16 bytes inside the block
    // (length checked above), unaligned loads allowed.
    unsafe {
        let (d, n) = (_mm_set1_epi8(delimiter as i8), _mm_set1_epi8(b'\n' as i8));
        for k in 0..4 {
            let v = _mm_loadu_si128(block.as_ptr().add(16 * k) as *const __m128i);
            delims |= u64::from(_mm_movemask_epi8(_mm_cmpeq_epi8(v, d)) as u16) << (16 * k);
            newlines |= u64::from(_mm_movemask_epi8(_mm_cmpeq_epi8(v, n)) as u16) << (16 * k);
        }
    }
    (delims, newlines)
}

/// Bit masks of the delimiters and newlines in a block of 64 bytes (bit i: byte i).
#[cfg(not(target_arch = "x86_64"))]
fn masks(block: &[u8], delimiter: u8) -> (u64, u64) {
    masks_scalar(block, delimiter)
}

/// [`masks`] a byte at a time: the reference the vector version is tested against, and the
/// version used off x86_64.
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
fn masks_scalar(block: &[u8], delimiter: u8) -> (u64, u64) {
    let (mut delims, mut newlines) = (0u64, 0u64);
    for (i, &b) in block.iter().enumerate() {
        delims |= u64::from(b == delimiter) << i;
        newlines |= u64::from(b == b'\n') << i;
    }
    (delims, newlines)
}

/// Whether every line of `chunk` (which holds no quote character) has exactly `expected`
/// delimiters; an unterminated last line counts, an empty one is a line with none. 64 bytes
/// at a time, as bit masks.
pub(super) fn fields_even(chunk: &[u8], delimiter: u8, expected: u32) -> bool {
    let mut count = 0u32; // delimiters since the start of the line
    let mut blocks = chunk.chunks_exact(64);
    for block in &mut blocks {
        let (mut delims, mut newlines) = masks(block, delimiter);
        while newlines != 0 {
            let at = newlines.trailing_zeros();
            let before = delims & ((1u64 << at) - 1);
            if count + before.count_ones() != expected {
                return false;
            }
            count = 0;
            // Drop the delimiters up to this newline.
            delims &= !((1u64 << at) - 1);
            newlines &= newlines - 1;
        }
        count += delims.count_ones();
    }
    let rest = blocks.remainder();
    for &b in rest {
        if b == b'\n' {
            if count != expected {
                return false;
            }
            count = 0;
        } else if b == delimiter {
            count += 1;
        }
    }
    chunk.ends_with(b"\n") || chunk.is_empty() || count == expected
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delimiter_detection() {
        assert_eq!(detect_delimiter("a,b,c\n1,2,3"), b',');
        assert_eq!(detect_delimiter("a;b;c"), b';');
        assert_eq!(detect_delimiter("a\tb\tc"), b'\t');
        assert_eq!(detect_delimiter("\"a;x\",b,c"), b',');
        assert_eq!(detect_delimiter("single"), b',');
    }

    /// The 64-byte mask scan agrees with a byte-by-byte count on lines of every length, at
    /// every offset of a block, with and without a final newline.
    #[test]
    fn fields_even_matches_a_plain_count() {
        let plain = |chunk: &[u8], expected: usize| {
            let body = chunk.strip_suffix(b"\n").unwrap_or(chunk);
            chunk.is_empty()
                || body
                    .split(|&b| b == b'\n')
                    .all(|line| line.iter().filter(|&&b| b == b',').count() == expected)
        };
        let mut lcg = crate::test_rng(7);
        let mut next = || lcg() as usize;
        for case in 0..3000 {
            let lines = 1 + next() % 12;
            let mut text = Vec::new();
            for l in 0..lines {
                let fields = if case % 3 == 0 && l == lines / 2 {
                    2 + next() % 4
                } else {
                    4
                };
                for f in 0..fields {
                    if f > 0 {
                        text.push(b',');
                    }
                    text.extend(std::iter::repeat_n(b'a', next() % 30));
                }
                if l + 1 < lines || next() % 2 == 0 {
                    text.push(b'\n');
                }
            }
            assert_eq!(
                fields_even(&text, b',', 3),
                plain(&text, 3),
                "{:?}",
                String::from_utf8_lossy(&text)
            );
        }
        assert!(fields_even(b"", b',', 3));
        assert!(
            !fields_even(b"a,b,c,d\n\na,b,c,d\n", b',', 3),
            "a blank line"
        );
    }

    /// The SSE2 masks equal the byte-at-a-time ones, for every delimiter the reader detects.
    #[test]
    fn vector_masks_equal_scalar_masks() {
        let mut next = crate::test_rng(11);
        let alphabet = b",;\t\n\ra\"0\xff";
        for case in 0..2000 {
            let block: Vec<u8> = (0..64)
                .map(|_| alphabet[next() as usize % alphabet.len()])
                .collect();
            let delimiter = [b',', b';', b'\t'][case % 3];
            assert_eq!(masks(&block, delimiter), masks_scalar(&block, delimiter));
        }
    }
}
