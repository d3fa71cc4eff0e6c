//! Maintainer tasks for the elastic-apikeys workspace.
//!
//! `cargo xtask bench` runs the benchmarks and reports ratios ([`bench`](mod@bench)). The main task is
//! code generation: [`codegen::generate`] turns the hand-written OpenAPI
//! files under `spec/` into the checked-in Rust sources of the models and client crates. The same
//! function backs `cargo xtask codegen` (which writes the files), `cargo xtask codegen --check`
//! (which compares them) and the workspace's snapshot tests, so all three always agree.

pub mod bench;
pub mod codegen;
