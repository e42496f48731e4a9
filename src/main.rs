//! The `trialstat` binary: parse the command line, call the library, map errors to exit codes.

mod cli;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    no_transparent_huge_pages();
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { cli::EXIT_INPUT } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    // A panic is a bug: the hook has printed it; exit 1 (internal error), not 101.
    match std::panic::catch_unwind(|| cli::run(cli)) {
        Ok(Ok(())) => ExitCode::SUCCESS,
        Ok(Err(f)) => {
            eprintln!("error: {}", f.message);
            ExitCode::from(f.code)
        }
        Err(_) => {
            eprintln!("error: internal error (a bug in trialstat); please report it with the input that caused it");
            ExitCode::from(cli::EXIT_INTERNAL)
        }
    }
}

/// Transparent huge pages off for this process, as mimalloc's own `allow_thp = 0` option does
/// (it runs the same `prctl` at start-up when `MIMALLOC_ALLOW_THP=0` is set). A 2 MiB page is
/// zeroed whole when first touched; the reader's and the analysis' buffers touch memory a
/// little at a time, and measured on the 12-million-row benchmark (bench/run.sh) the process
/// then spent 0.6-1.4 s of system time zeroing pages, against 0.3-0.45 s with 4 KiB pages
/// (whole run 1.7-2.3 s -> 1.6 s). Failure only costs speed, so it is ignored.
fn no_transparent_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes an integer flag and no pointers; it changes only how
    // the kernel backs this process's anonymous memory.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}
