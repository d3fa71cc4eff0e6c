//! Whether the config file may be trusted. It names the commands that run as the operator, the
//! address that credentials are sent to and the CA that decides who answers there: a file that
//! another user can change is that user's, not the operator's. As OpenSSH does with its own
//! config ("Bad owner or permissions"), the file is refused unless it belongs to the user who
//! runs `apikeys` (or to root) and neither it nor a directory above it can be written by anyone
//! else. A sticky directory (`/tmp`) is no risk: there only a file's owner can rename or remove it.
//!
//! Windows has no mode bits: a file there takes its ACL from the user's profile directory, and
//! is not checked.

use std::fs::File;
use std::path::Path;

use crate::failure::Failure;
use crate::text::printable;

/// The config file at `path`, opened, once it and every directory above it are found to be
/// changeable by no one but the user and root. The file is judged by the handle that is read,
/// so that it cannot be swapped between the check and the read.
pub(super) fn open(path: &Path) -> Result<File, Failure> {
    let shown = printable(&path.display().to_string());
    let file =
        File::open(path).map_err(|e| Failure::usage(format!("the profiles file {shown}: {e}")))?;
    #[cfg(unix)]
    unix::check(path, &file)?;
    Ok(file)
}

#[cfg(unix)]
mod unix {
    use std::collections::BTreeSet;
    use std::fs::File;
    use std::os::unix::fs::MetadataExt;
    use std::path::{Path, PathBuf};

    use crate::failure::Failure;
    use crate::text::printable;

    /// What is judged.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub(super) enum Kind {
        File,
        Directory,
    }

    /// Why another user could change what the config file says.
    #[derive(Debug, PartialEq, Eq)]
    pub(super) enum Problem {
        /// It belongs to this other user.
        Owner(u32),
        /// Group or others can write it: who, and its mode.
        Writable(&'static str, u32),
    }

    /// Why a `kind` owned by `owner`, with `mode`, can be changed by someone other than `me`
    /// and root; `None` when it cannot.
    pub(super) fn judge(kind: Kind, owner: u32, mode: u32, me: u32) -> Option<Problem> {
        if owner != me && owner != 0 {
            return Some(Problem::Owner(owner));
        }
        let sticky = kind == Kind::Directory && mode & 0o1000 != 0;
        let who = match (mode & 0o020 != 0, mode & 0o002 != 0) {
            _ if sticky => return None,
            (true, true) => "the group and other users",
            (true, false) => "the group",
            (false, true) => "other users",
            (false, false) => return None,
        };
        Some(Problem::Writable(who, mode & 0o7777))
    }

    /// Refuses the config file `path`, open as `file`, when someone other than the user and
    /// root can change it or a directory above it.
    pub(super) fn check(path: &Path, file: &File) -> Result<(), Failure> {
        let me = rustix::process::getuid().as_raw();
        let shown = printable(&path.display().to_string());
        let metadata = file
            .metadata()
            .map_err(|e| Failure::usage(format!("the profiles file {shown}: {e}")))?;
        if let Some(problem) = judge(Kind::File, metadata.uid(), metadata.mode(), me) {
            return Err(refusal(&shown, None, &problem, me));
        }
        for directory in directories(path) {
            // A directory that cannot be read about is left to the read of the file to report.
            let Ok(metadata) = std::fs::metadata(&directory) else {
                continue;
            };
            if let Some(problem) = judge(Kind::Directory, metadata.uid(), metadata.mode(), me) {
                let directory = printable(&directory.display().to_string());
                return Err(refusal(&shown, Some(&directory), &problem, me));
            }
        }
        Ok(())
    }

    /// Every directory above `path`, nearest first: those of the path as given (made absolute:
    /// whoever can change one of them can replace a link there) and those of the file it leads
    /// to once links are followed.
    fn directories(path: &Path) -> Vec<PathBuf> {
        let given = std::env::current_dir()
            .map(|cwd| cwd.join(path))
            .unwrap_or_else(|_| path.to_path_buf());
        let real = std::fs::canonicalize(path).ok();
        let mut seen = BTreeSet::new();
        [Some(given), real]
            .into_iter()
            .flatten()
            .flat_map(|file| {
                file.ancestors()
                    .skip(1)
                    .map(Path::to_path_buf)
                    .collect::<Vec<_>>()
            })
            .filter(|directory| !directory.as_os_str().is_empty() && seen.insert(directory.clone()))
            .collect()
    }

    /// The refusal of the config file `file` for `problem`, found on the file itself or on
    /// `directory` above it, with the fix.
    fn refusal(file: &str, directory: Option<&str>, problem: &Problem, me: u32) -> Failure {
        let (what, risk) = match directory {
            None => (
                "it".to_string(),
                "could change the commands it runs and where it sends credentials",
            ),
            Some(directory) => (
                format!("the directory {directory} above it"),
                "could replace it",
            ),
        };
        let target = directory.unwrap_or(file);
        Failure::usage(match problem {
            Problem::Owner(owner) => format!(
                "the config file {file} is refused: user {owner} owns {what}, not you (user \
                 {me}) or root, and {risk}; use a file of your own, or run chown {me} {target}"
            ),
            Problem::Writable(who, mode) => format!(
                "the config file {file} is refused: {who} can write {what} (mode {mode:04o}), \
                 and {risk}; run chmod go-w {target}"
            ),
        })
    }

    #[cfg(test)]
    mod tests {
        use super::{Kind, Problem, judge};

        const ME: u32 = 1000;

        #[test]
        fn only_the_user_and_root_may_own_or_write_the_file() {
            assert_eq!(judge(Kind::File, ME, 0o100600, ME), None);
            assert_eq!(judge(Kind::File, ME, 0o100644, ME), None);
            assert_eq!(judge(Kind::File, 0, 0o100644, ME), None);
            assert_eq!(
                judge(Kind::File, 1001, 0o100600, ME),
                Some(Problem::Owner(1001))
            );
            assert_eq!(
                judge(Kind::File, ME, 0o100666, ME),
                Some(Problem::Writable("the group and other users", 0o666))
            );
            assert_eq!(
                judge(Kind::File, ME, 0o100664, ME),
                Some(Problem::Writable("the group", 0o664))
            );
            assert_eq!(
                judge(Kind::File, 0, 0o100646, ME),
                Some(Problem::Writable("other users", 0o646))
            );
            // A sticky bit on a file means nothing: it is refused as any other.
            assert_eq!(
                judge(Kind::File, ME, 0o101666, ME),
                Some(Problem::Writable("the group and other users", 0o1666))
            );
        }

        #[test]
        fn a_directory_others_can_write_is_refused_unless_it_is_sticky() {
            assert_eq!(judge(Kind::Directory, ME, 0o40700, ME), None);
            assert_eq!(judge(Kind::Directory, 0, 0o40755, ME), None);
            assert_eq!(judge(Kind::Directory, 0, 0o41777, ME), None);
            assert_eq!(
                judge(Kind::Directory, ME, 0o40777, ME),
                Some(Problem::Writable("the group and other users", 0o777))
            );
            assert_eq!(
                judge(Kind::Directory, 1001, 0o40755, ME),
                Some(Problem::Owner(1001))
            );
            // Sticky, but another user's: they may still replace what is in it.
            assert_eq!(
                judge(Kind::Directory, 1001, 0o41777, ME),
                Some(Problem::Owner(1001))
            );
        }
    }
}
