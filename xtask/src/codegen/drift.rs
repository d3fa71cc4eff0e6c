//! Comparing generated files with the ones checked in.

use std::fmt;
use std::path::Path;

use super::GeneratedFile;

/// A checked-in file that differs from what the spec generates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Drift {
    /// The path relative to the workspace root.
    pub path: String,
    /// A unified diff from the checked-in file (`a/`) to the generated one (`b/`).
    pub diff: String,
}

impl fmt::Display for Drift {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.diff)
    }
}

/// Compares `files` with the files under `root` and returns every difference. A missing file
/// counts as an empty one. Writes nothing.
pub fn check(root: &Path, files: &[GeneratedFile]) -> Vec<Drift> {
    files
        .iter()
        .filter_map(|file| {
            let on_disk = std::fs::read_to_string(root.join(&file.path)).unwrap_or_default();
            (on_disk != file.contents).then(|| Drift {
                path: file.path.clone(),
                diff: unified_diff(&file.path, &on_disk, &file.contents),
            })
        })
        .collect()
}

fn unified_diff(path: &str, old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string()
}
