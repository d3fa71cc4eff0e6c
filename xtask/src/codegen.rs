//! `cargo xtask codegen`: from `spec/*.yaml` to the generated sources of the models and client
//! crates.
//!
//! [`generate`] does the whole job in memory and returns the files it would write;
//! [`write()`] and [`check`] are the two ways the command uses them. Output is a pure function of
//! the spec files and the locked dependency versions, so it is byte-identical on every machine.

mod baseline;
mod boxed_fields;
mod builder_docs;
mod builder_extra;
mod client_declarations;
mod client_errors;
mod client_filtered;
mod client_headers;
mod client_pages;
mod client_runtime;
mod client_streams;
mod colliding_names;
mod deprecations;
mod drift;
mod field_order;
mod json_maps;
mod mock_bodies;
mod mock_paths;
mod mock_sealed;
mod mock_strings;
mod model_fields;
mod model_table;
mod non_exhaustive;
mod nullable_fields;
mod open_enums;
mod operation_table;
mod optional_setters;
mod passes;
mod progenitor_run;
mod projections;
mod readme_table;
mod render;
mod runtime_paths;
mod schema_walk;
mod secret_fields;
mod spec;
mod string_lists;
mod string_newtypes;
mod struct_deserialize;
mod untagged_dispatch;
mod wire_policy;

use std::fmt;
use std::path::{Path, PathBuf};

pub use drift::{Drift, check};
pub use spec::{SpecError, load as load_spec};

/// One API described by one spec file, generated into one module of each crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Service {
    /// The module name in the models and client crates (`cloud`, `elasticsearch`).
    pub module: &'static str,
    /// The spec file, relative to the workspace root.
    pub spec: &'static str,
}

/// Every service of the workspace, in the order they are generated.
pub const SERVICES: [Service; 2] = [
    Service {
        module: "cloud",
        spec: "spec/elastic-cloud.yaml",
    },
    Service {
        module: "elasticsearch",
        spec: "spec/elasticsearch.yaml",
    },
];

/// A file that code generation produces: where it goes and what it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    /// The path relative to the workspace root, with `/` separators on every platform.
    pub path: String,
    /// The full text of the file.
    pub contents: String,
    /// Whether codegen writes the whole file; `false` for a hand-written file of which it
    /// writes a part (the README's table of operations).
    pub whole: bool,
}

/// Why code generation failed.
#[derive(Debug, thiserror::Error)]
pub enum CodegenError {
    /// The README cannot take its table of operations.
    #[error("{reason}")]
    Readme {
        /// What is wrong, and what to do.
        reason: String,
    },
    /// A spec file could not be read or parsed.
    #[error(transparent)]
    Spec(#[from] SpecError),
    /// progenitor rejected a spec.
    #[error("progenitor could not generate code from {spec}: {source}")]
    Progenitor {
        /// The spec file, relative to the workspace root.
        spec: &'static str,
        /// progenitor's own error.
        source: progenitor::Error,
    },
    /// progenitor produced tokens that are not a Rust file of the expected shape.
    #[error("the code generated from {spec} is not what xtask expects: {reason}")]
    UnexpectedOutput {
        /// The spec file, relative to the workspace root.
        spec: &'static str,
        /// What was wrong.
        reason: String,
    },
    /// A generated file could not be written.
    #[error("cannot write {path}: {source}")]
    Write {
        /// The file that could not be written.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
}

/// The workspace root of the checkout being worked on.
///
/// Found at run time from `CARGO_MANIFEST_DIR`, which cargo sets for the process it runs (`cargo
/// xtask`, `cargo test`), as rust-analyzer's xtask does. The path this crate was compiled in is
/// only the fallback: checkouts that share a `CARGO_TARGET_DIR` (git worktrees, a global target
/// directory) share this binary too, and it must work on the checkout it was run from, not on the
/// one that built it.
pub fn workspace_root() -> PathBuf {
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    workspace_root_of(&manifest_dir).unwrap_or(manifest_dir)
}

/// The nearest directory at or above `manifest_dir` whose `Cargo.toml` declares a workspace.
pub fn workspace_root_of(manifest_dir: &Path) -> Option<PathBuf> {
    manifest_dir
        .ancestors()
        .find(|dir| {
            std::fs::read_to_string(dir.join("Cargo.toml"))
                .is_ok_and(|manifest| manifest.lines().any(|line| line.trim() == "[workspace]"))
        })
        .map(Path::to_path_buf)
}

/// Generates every file from the specs under `root`, in memory.
///
/// For each service this yields the models (`crates/models/src/generated/<module>.rs`, types
/// only), the client (`crates/client/src/generated/<module>.rs`, whose `types` are the models
/// crate's, never a second copy), the typed mock server (`crates/mock/src/generated/`), the
/// table of operations the tests send through both (`tests/generated/<module>.rs`) and the table
/// of models the tests run over (`tests/generated/<module>_models.rs`). Then, for each service,
/// the benchmarks' baseline (`tests/baseline/<module>.rs`): progenitor's default types for the
/// same spec, without the SDK's settings and passes. Last, the README with its table of
/// operations rewritten between its markers.
pub fn generate(root: &Path) -> Result<Vec<GeneratedFile>, CodegenError> {
    let mut files = Vec::with_capacity(SERVICES.len() * 6);
    let mut baselines = Vec::with_capacity(SERVICES.len());
    let mut specs = Vec::with_capacity(SERVICES.len());
    for service in SERVICES {
        let spec = spec::load(&root.join(service.spec))?;
        let output = progenitor_run::run(service, &spec)?;
        baselines.push(GeneratedFile {
            path: format!("tests/baseline/{}.rs", service.module),
            contents: render::file(service, &baseline::types(service, &spec)?),
            whole: true,
        });
        files.push(GeneratedFile {
            path: format!("crates/models/src/generated/{}.rs", service.module),
            contents: render::file(service, &output.models),
            whole: true,
        });
        files.push(GeneratedFile {
            path: format!("crates/client/src/generated/{}.rs", service.module),
            contents: render::file(service, &output.client),
            whole: true,
        });
        files.push(GeneratedFile {
            path: format!("crates/mock/src/generated/{}.rs", service.module),
            contents: render::file(service, &output.mock),
            whole: true,
        });
        files.push(GeneratedFile {
            path: format!("tests/generated/{}.rs", service.module),
            contents: render::file(service, &output.operations),
            whole: true,
        });
        files.push(GeneratedFile {
            path: format!("tests/generated/{}_models.rs", service.module),
            contents: render::file(service, &output.model_table),
            whole: true,
        });
        specs.push((service, spec));
    }
    files.extend(baselines);
    // The README's table of operations, between its markers.
    let readme_path = root.join("README.md");
    let readme = std::fs::read_to_string(&readme_path).map_err(|error| CodegenError::Readme {
        reason: format!(
            "cannot read {}, where the table of operations goes: {error}",
            readme_path.display()
        ),
    })?;
    files.push(GeneratedFile {
        path: "README.md".to_string(),
        contents: readme_table::splice(&readme, &readme_table::table(&specs))?,
        whole: false,
    });
    Ok(files)
}

/// Writes `files` under `root`, skipping those whose contents are already up to date.
/// Returns the paths that were written.
pub fn write(root: &Path, files: &[GeneratedFile]) -> Result<Vec<String>, CodegenError> {
    let mut written = Vec::new();
    for file in files {
        let path = root.join(&file.path);
        if std::fs::read_to_string(&path).ok().as_deref() == Some(file.contents.as_str()) {
            continue;
        }
        let io = |source| CodegenError::Write {
            path: path.clone(),
            source,
        };
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(io)?;
        }
        std::fs::write(&path, &file.contents).map_err(io)?;
        written.push(file.path.clone());
    }
    Ok(written)
}

impl fmt::Display for Service {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.module, self.spec)
    }
}
