//! `cargo xtask` works on the checkout it is run from, not on the one whose path it was compiled
//! in: checkouts that share a `CARGO_TARGET_DIR` (git worktrees, a global target directory) run
//! the same binary.

use std::path::Path;
use std::process::Command;

/// A second checkout: a workspace manifest, an `xtask/` directory, the specs and the README, but
/// none of the generated code yet.
fn other_checkout() -> tempfile::TempDir {
    let here = xtask::codegen::workspace_root_of(Path::new(env!("CARGO_MANIFEST_DIR")))
        .expect("this crate is inside the workspace");
    let other = tempfile::tempdir().unwrap();
    std::fs::write(
        other.path().join("Cargo.toml"),
        "[workspace]\nmembers = [\"xtask\"]\n",
    )
    .unwrap();
    std::fs::create_dir_all(other.path().join("xtask")).unwrap();
    std::fs::create_dir_all(other.path().join("spec")).unwrap();
    for service in xtask::codegen::SERVICES {
        std::fs::copy(here.join(service.spec), other.path().join(service.spec)).unwrap();
    }
    // Hand-written, with the markers of the table of operations that codegen writes.
    std::fs::copy(here.join("README.md"), other.path().join("README.md")).unwrap();
    other
}

#[test]
fn codegen_writes_into_the_checkout_cargo_runs_it_for() {
    let other = other_checkout();
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("codegen")
        .env("CARGO_MANIFEST_DIR", other.path().join("xtask"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let files = xtask::codegen::generate(other.path()).unwrap();
    for file in &files {
        let written = std::fs::read_to_string(other.path().join(&file.path)).unwrap_or_else(|e| {
            panic!(
                "{} was not written in the other checkout: {e}\n{stdout}",
                file.path
            )
        });
        assert_eq!(written, file.contents, "{}", file.path);
    }
}

#[test]
fn check_reads_the_checkout_cargo_runs_it_for() {
    // The other checkout has no generated code, so `--check` must find every file missing there,
    // whatever the state of the checkout this binary was built in.
    let other = other_checkout();
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["codegen", "--check"])
        .env("CARGO_MANIFEST_DIR", other.path().join("xtask"))
        .output()
        .unwrap();
    assert!(
        !output.status.success(),
        "--check passed on a checkout without generated code"
    );
}

#[test]
fn the_root_is_the_nearest_workspace_manifest() {
    let other = other_checkout();
    let nested = other.path().join("crates/cli");
    std::fs::create_dir_all(&nested).unwrap();
    std::fs::write(nested.join("Cargo.toml"), "[package]\nname = \"x\"\n").unwrap();
    assert_eq!(
        xtask::codegen::workspace_root_of(&nested).as_deref(),
        Some(other.path())
    );
    assert_eq!(xtask::codegen::workspace_root_of(Path::new("/")), None);
}
