//! The standard streams as the process was started with them.
//!
//! A stdout closed by the caller (`apikeys es list >&-`) is not an error that Rust reports: its
//! runtime opens `/dev/null` in the place of a closed standard stream before `main` (so that no
//! file opened later takes the stream's number, and a write meant for stdout goes nowhere). The
//! report would vanish and the run would exit 0.

use crate::failure::Failure;

/// Fails when stdout was closed at start: the report would be lost.
#[cfg(unix)]
pub(crate) fn check() -> Result<(), Failure> {
    if stdout_was_closed() {
        Err(Failure::stdout_closed())
    } else {
        Ok(())
    }
}

/// Elsewhere, the streams are taken as they are.
#[cfg(not(unix))]
pub(crate) fn check() -> Result<(), Failure> {
    Ok(())
}

/// Whether stdout is closed, or is the `/dev/null` that Rust's runtime put in its place. That one
/// is open for reading and writing (`O_RDWR`); a shell's `> /dev/null`, which is a choice to be
/// respected, opens it for writing only.
#[cfg(unix)]
fn stdout_was_closed() -> bool {
    use rustix::fs::{FileType, OFlags, fcntl_getfl, fstat, stat};
    use std::os::fd::AsFd;

    let stdout = std::io::stdout();
    let stdout = stdout.as_fd();
    let Ok(flags) = fcntl_getfl(stdout) else {
        // Closed: on platforms where the runtime leaves it so.
        return true;
    };
    if flags & OFlags::RWMODE != OFlags::RDWR {
        return false;
    }
    let is_dev_null = |device: rustix::fs::Stat| {
        FileType::from_raw_mode(device.st_mode) == FileType::CharacterDevice
            && stat("/dev/null").is_ok_and(|null| null.st_rdev == device.st_rdev)
    };
    fstat(stdout).is_ok_and(is_dev_null)
}

/// The pipe buffer that [`widen_stdout_pipe`] asks for: Linux's default limit for a user
/// (`/proc/sys/fs/pipe-max-size`).
#[cfg(target_os = "linux")]
pub(crate) const PIPE_BUFFER: usize = 1024 * 1024;

/// Widens stdout's pipe, if it is one, before a report of many keys. In Linux's default 64 KiB
/// pipe, `apikeys` and its reader (`jq`, `gzip`, a shell loop) take turns: each waits for the
/// other every few writes. With 1 MiB they run side by side: in BENCHMARKS.md's end-to-end
/// bench, `-o json` took 14% less time on 100,000 keys and 21% on the worst case. Best effort:
/// where the system refuses (a user past `/proc/sys/fs/pipe-user-pages-soft`), the pipe stays
/// as it was, and a pipe that is already as large is left alone.
#[cfg(target_os = "linux")]
pub(crate) fn widen_stdout_pipe() {
    use rustix::fs::{FileType, fstat};
    use rustix::pipe::{fcntl_getpipe_size, fcntl_setpipe_size};
    use std::os::fd::AsFd;

    let stdout = std::io::stdout();
    let stdout = stdout.as_fd();
    let is_pipe = fstat(stdout).is_ok_and(|s| FileType::from_raw_mode(s.st_mode) == FileType::Fifo);
    if is_pipe && fcntl_getpipe_size(stdout).is_ok_and(|size| size < PIPE_BUFFER) {
        let _ = fcntl_setpipe_size(stdout, PIPE_BUFFER);
    }
}

/// Elsewhere, pipes keep the size they have.
#[cfg(not(target_os = "linux"))]
pub(crate) fn widen_stdout_pipe() {}
