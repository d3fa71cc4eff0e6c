//! Reading a spec file into an [`openapiv3::OpenAPI`] document.

use std::path::{Path, PathBuf};

/// A spec file that could not be read or parsed.
#[derive(Debug, thiserror::Error)]
pub enum SpecError {
    /// The file could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The spec file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file is not YAML, or not an OpenAPI 3.0 document.
    #[error("{path} is not a valid OpenAPI 3.0 document: {source}")]
    Parse {
        /// The spec file.
        path: PathBuf,
        /// The parser's error, with its line and column.
        source: serde_norway::Error,
    },
}

/// Reads and parses the spec at `path`.
pub fn load(path: &Path) -> Result<openapiv3::OpenAPI, SpecError> {
    let text = std::fs::read_to_string(path).map_err(|source| SpecError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    serde_norway::from_str(&text).map_err(|source| SpecError::Parse {
        path: path.to_path_buf(),
        source,
    })
}
