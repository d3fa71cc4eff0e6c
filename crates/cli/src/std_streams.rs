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
