//! The input file's SHA-256 (for the output's provenance), computed on a low-priority thread
//! while the file is parsed. It reads the file's bytes only: it must not parse them.

// `wait`'s error is the crate's one error type, large because it names what it reports; it
// is the cold path.
#![allow(clippy::result_large_err)]

use super::DataError;
use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::Path;

/// The SHA-256 of an input file, being computed on a low-priority thread.
#[derive(Debug)]
pub struct PendingHash {
    path: std::path::PathBuf,
    handle: std::thread::JoinHandle<std::io::Result<String>>,
}

impl PendingHash {
    pub(super) fn start(path: &Path) -> Self {
        let owned = path.to_path_buf();
        PendingHash {
            path: path.to_path_buf(),
            handle: std::thread::spawn(move || {
                lower_thread_priority();
                hash_file(&owned)
            }),
        }
    }

    /// Wait for the hash: lowercase hex.
    pub fn wait(self) -> Result<String, DataError> {
        let path = self.path;
        self.handle
            .join()
            .map_err(|_| DataError::Parse {
                path: path.clone(),
                message: "internal error while hashing the file".into(),
            })?
            .map_err(|source| DataError::Io { path, source })
    }
}

/// The file's SHA-256 is only needed in the output's provenance: its thread runs at the lowest
/// priority, so that on a machine with few cores it fills the moments the parser leaves a core
/// idle instead of taking the core from it. Failure only costs speed, so it is ignored.
fn lower_thread_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: gettid and setpriority take plain integers and touch no memory of ours.
    unsafe {
        let tid = libc::gettid();
        libc::setpriority(libc::PRIO_PROCESS, tid as libc::id_t, 19);
    }
}

/// SHA-256 of the whole file, streamed.
fn hash_file(path: &Path) -> std::io::Result<String> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    // Read in 1 MiB pieces, not mapped: mapped pages count in the process's resident memory (a
    // whole file's worth, for as long as the map lives), read ones only in the page cache.
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    let digest = hasher.finalize();
    Ok(digest.iter().map(|b| format!("{b:02x}")).collect())
}
