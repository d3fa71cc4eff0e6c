//! Where a new key's secret goes: stdout, once, or a new file only its owner can read.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::failure::Failure;
use crate::text::printable;

/// A file made for a secret before the key exists, so that a path that cannot take it (one that
/// exists, a missing directory) is refused before anything is created. Until the secret is
/// written into it whole, it is removed when dropped: by a run that fails, and by one that is
/// stopped (`--timeout`, Ctrl-C), which never leaves an empty secret file behind.
pub(crate) struct SecretFile {
    file: File,
    path: PathBuf,
    written: bool,
}

impl SecretFile {
    /// Creates `path`, which must not exist, readable and writable by its owner only.
    pub(crate) fn reserve(path: &Path) -> Result<Self, Failure> {
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let file = options.open(path).map_err(|error| {
            let shown = printable(&path.display().to_string());
            Failure::usage(if error.kind() == io::ErrorKind::AlreadyExists {
                format!(
                    "--secret-file {shown} exists already; a secret file is never overwritten, \
                     so name a new one"
                )
            } else {
                format!("--secret-file {shown}: {error}")
            })
        })?;
        Ok(Self {
            file,
            path: path.to_path_buf(),
            written: false,
        })
    }

    /// Writes `secret` and a newline, and closes the file. A file that could not take it all
    /// (a full disk) is removed.
    pub(crate) fn write(mut self, secret: &str) -> Result<PathBuf, Failure> {
        self.file
            .write_all(secret.as_bytes())
            .and_then(|()| self.file.write_all(b"\n"))
            .and_then(|()| self.file.sync_all())
            .map_err(|error| {
                Failure::output_of(
                    &format!(
                        "the secret file {}",
                        printable(&self.path.display().to_string())
                    ),
                    &error,
                )
            })?;
        self.written = true;
        Ok(self.path.clone())
    }

    /// Removes the file: the key was not created.
    pub(crate) fn abandon(self) {
        drop(self);
    }
}

impl Drop for SecretFile {
    fn drop(&mut self) {
        if !self.written {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}
