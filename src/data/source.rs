//! The front door of `data/`: [`read_cohort`] and [`read_cohort_hash_pending`] look at the
//! first bytes of a file, decide its [`Source`] (today every file is CSV), and hand it to that
//! format's reader. Every reader ends the same way: it produces the intermediate parts of
//! `assemble` (keys, placed values, [`Parts`](super::assemble::Parts)) and `assemble` turns
//! them into the [`Cohort`], so that the analysis cannot tell the formats apart.
//!
//! To add a format: a variant of
//! [`Source`], its recognition in [`Source::detect`], its arm in [`read_unhashed`], and a
//! reader module that resolves its columns with `columns` and ends in `assemble`.
//!
//! It must not parse: it only chooses the reader (and starts the hash of the file).

// Errors are the cold path and carry the file, line and values they report; boxing them
// would buy nothing measurable.
#![allow(clippy::result_large_err)]

use super::assemble::Origin;
use super::csv_text::detect_delimiter;
use super::hash::PendingHash;
use super::{
    adam, csv_strings, csv_typed, parquet, sas7bdat, xpt, Cohort, DataError, FileDetails,
    FileFormat, ReadOptions,
};
use std::io::Read;
use std::path::Path;

/// Read, validate and index a patient-level file.
///
/// The file's SHA-256 (for the output's provenance) is computed on a second thread while the
/// file is parsed.
pub fn read_cohort(path: &Path, options: &ReadOptions) -> Result<Cohort, DataError> {
    let (mut cohort, hash) = read_cohort_hash_pending(path, options)?;
    cohort.source.sha256 = hash.wait()?;
    Ok(cohort)
}

/// [`read_cohort`] with the hash still being computed: `cohort.source.sha256` is empty until
/// the caller sets it from [`PendingHash::wait`]. The analysis can run meanwhile, so that the
/// hash thread (at the lowest priority) uses the moments a core would otherwise be idle.
pub fn read_cohort_hash_pending(
    path: &Path,
    options: &ReadOptions,
) -> Result<(Cohort, PendingHash), DataError> {
    read_hash_pending(path, options, CsvReaders::TypedFirst)
}

/// [`read_cohort`] by the validating string reader alone, never the typed one: for the tests
/// that compare the two readers. Not part of the supported interface.
#[doc(hidden)]
pub fn read_cohort_string_reader_only(
    path: &Path,
    options: &ReadOptions,
) -> Result<Cohort, DataError> {
    let (mut cohort, hash) = read_hash_pending(path, options, CsvReaders::StringsOnly)?;
    cohort.source.sha256 = hash.wait()?;
    Ok(cohort)
}

/// Which readers may read a CSV file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CsvReaders {
    /// The typed reader if it takes the file, else the string reader (what users get).
    TypedFirst,
    /// The string reader only (tests).
    StringsOnly,
}

/// An input file, by format: what the front door recognised and which reader reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    /// Delimited text with a header line: the delimiter detected on the header, and whether the
    /// file starts with a UTF-8 byte-order mark (only the string reader takes such a file).
    Csv {
        delimiter: u8,
        byte_order_mark: bool,
    },
    /// A SAS transport file (`HEADER RECORD*******LIB…`), version 5 or 8.
    Xpt,
    /// An Apache Parquet file (`PAR1`).
    Parquet,
    /// A SAS data set (sas7bdat: 12 zero bytes, then `C2 EA 81 60 …`).
    Sas7bdat,
}

impl Source {
    /// The format of a file from its first bytes (`head`, and `head_text` without a
    /// byte-order mark); an error if it holds nothing but white space.
    fn detect(path: &Path, head: &[u8], head_text: &str) -> Result<Source, DataError> {
        if xpt::is_xpt(head) {
            return Ok(Source::Xpt);
        }
        if parquet::is_parquet(head) {
            return Ok(Source::Parquet);
        }
        if sas7bdat::is_sas7bdat(head) {
            return Ok(Source::Sas7bdat);
        }
        if head_text.trim().is_empty() {
            return Err(DataError::Empty {
                path: path.to_path_buf(),
            });
        }
        Ok(Source::Csv {
            delimiter: detect_delimiter(head_text),
            byte_order_mark: head.starts_with(b"\xef\xbb\xbf"),
        })
    }
}

fn read_hash_pending(
    path: &Path,
    options: &ReadOptions,
    readers: CsvReaders,
) -> Result<(Cohort, PendingHash), DataError> {
    let head = read_head(path).map_err(|source| DataError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let hash = PendingHash::start(path);
    let cohort = read_unhashed(path, options, &head, readers)?;
    Ok((cohort, hash))
}

/// Everything of [`read_cohort`] but the hash (left empty): the reader chosen by the source.
fn read_unhashed(
    path: &Path,
    options: &ReadOptions,
    head: &[u8],
    readers: CsvReaders,
) -> Result<Cohort, DataError> {
    let head_text = String::from_utf8_lossy(head);
    let head_text = head_text.trim_start_matches('\u{feff}');
    match Source::detect(path, head, head_text)? {
        Source::Csv {
            delimiter,
            byte_order_mark,
        } => {
            // ADaM files go to the string reader, which applies the ADaM preparation.
            let adam = adam::applies(&header_names(head_text, delimiter), options);
            if !byte_order_mark && !adam && readers == CsvReaders::TypedFirst {
                if let Some(result) = csv_typed::read(path, options, head_text, delimiter) {
                    return result;
                }
            }
            csv_strings::read(path, options, delimiter)
        }
        Source::Xpt => read_xpt(path, options),
        Source::Parquet => read_parquet(path, options),
        Source::Sas7bdat => read_sas7bdat(path, options),
    }
}

/// A SAS transport file: the member chosen (the only one, or `--member`), as a table of
/// strings for the validating reader, with record numbers for lines.
fn read_xpt(path: &Path, options: &ReadOptions) -> Result<Cohort, DataError> {
    let mut file = xpt::read_file(path)?;
    let names = || {
        file.members
            .iter()
            .map(|m| m.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let index = match &options.member {
        Some(want) => file
            .members
            .iter()
            .position(|m| m.name.eq_ignore_ascii_case(want))
            .ok_or_else(|| DataError::Member {
                path: path.to_path_buf(),
                message: format!(
                    "data set '{want}' (given with --member) is not in the file; it holds {}",
                    names()
                ),
            })?,
        None if file.members.len() == 1 => 0,
        None => {
            return Err(DataError::Member {
                path: path.to_path_buf(),
                message: format!(
                    "the transport file holds {} data sets ({}); choose one with --member",
                    file.members.len(),
                    names()
                ),
            })
        }
    };
    let version = file.version;
    // The member chosen, the others freed; it is consumed into the table of strings.
    let member = file.members.swap_remove(index);
    if member.n_obs == 0 {
        return Err(DataError::NoDataRows {
            path: path.to_path_buf(),
        });
    }
    let details = FileDetails {
        format: match version {
            xpt::XptVersion::V5 => FileFormat::XptV5,
            xpt::XptVersion::V8 => FileFormat::XptV8,
        },
        member: Some(member.name.clone()),
        dataset_label: Some(member.label.clone()),
        ..FileDetails::default()
    };
    let df = xpt::frame::into_string_frame(member).map_err(|e| DataError::Xpt {
        path: path.to_path_buf(),
        message: e.to_string(),
    })?;
    let origin = Origin {
        delimiter: None,
        kept: None,
    };
    csv_strings::read_table(path, df, options, origin, details, 0)
}

/// A Parquet file: its columns as strings for the validating reader (and the ADaM semantics),
/// with record numbers for lines.
fn read_parquet(path: &Path, options: &ReadOptions) -> Result<Cohort, DataError> {
    let df = parquet::read_string_frame(path)?;
    if df.height() == 0 {
        return Err(DataError::NoDataRows {
            path: path.to_path_buf(),
        });
    }
    let details = FileDetails {
        format: FileFormat::Parquet,
        ..FileDetails::default()
    };
    let origin = Origin {
        delimiter: None,
        kept: None,
    };
    csv_strings::read_table(path, df, options, origin, details, 0)
}

/// A SAS data set: its variables as strings for the validating reader (and the ADaM
/// semantics), with record numbers for lines. `--member`, if given, must name the data set.
fn read_sas7bdat(path: &Path, options: &ReadOptions) -> Result<Cohort, DataError> {
    let table = sas7bdat::read(path)?;
    if let Some(want) = &options.member {
        if !want.eq_ignore_ascii_case(&table.name) {
            return Err(DataError::Member {
                path: path.to_path_buf(),
                message: format!(
                    "data set '{want}' (given with --member) is not in the file; a SAS data set \
                     holds one, here '{}'",
                    table.name
                ),
            });
        }
    }
    if table.frame.height() == 0 {
        return Err(DataError::NoDataRows {
            path: path.to_path_buf(),
        });
    }
    let details = FileDetails {
        format: FileFormat::Sas7bdat,
        member: (!table.name.is_empty()).then(|| table.name.clone()),
        dataset_label: (!table.label.is_empty()).then(|| table.label.clone()),
        ..FileDetails::default()
    };
    let origin = Origin {
        delimiter: None,
        kept: None,
    };
    csv_strings::read_table(path, table.frame, options, origin, details, 0)
}

/// The column names of a CSV header line (quotes removed), enough to tell an ADaM file.
fn header_names(head_text: &str, delimiter: u8) -> Vec<String> {
    let line = head_text.lines().next().unwrap_or("");
    line.split(delimiter as char)
        .map(|s| s.trim().trim_matches('"').to_string())
        .collect()
}

/// The first 64 KiB of the file.
fn read_head(path: &Path) -> std::io::Result<Vec<u8>> {
    let file = std::fs::File::open(path)?;
    let mut head = Vec::with_capacity(65536);
    file.take(65536).read_to_end(&mut head)?;
    Ok(head)
}
