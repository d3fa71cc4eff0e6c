//! `cargo xtask`: the workspace's maintainer tasks.
//!
//! ```text
//! cargo xtask codegen           regenerate crates/*/src/generated/ from spec/
//! cargo xtask codegen --check   write nothing; fail with a diff if anything is stale
//! cargo xtask bench [--quick]   run the benchmarks; print the ratios for BENCHMARKS.md
//! ```

use std::process::ExitCode;
use std::time::Instant;

use xtask::codegen;

const USAGE: &str = "usage: cargo xtask codegen [--check] | cargo xtask bench [--quick]";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["codegen"] => run_codegen(false),
        ["codegen", "--check"] => run_codegen(true),
        ["bench"] => run_bench(false),
        ["bench", "--quick"] => run_bench(true),
        ["help" | "--help" | "-h"] => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn run_codegen(check: bool) -> ExitCode {
    let started = Instant::now();
    let root = codegen::workspace_root();
    let files = match codegen::generate(&root) {
        Ok(files) => files,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
    };

    if check {
        let drifts = codegen::check(&root, &files);
        for drift in &drifts {
            print!("{drift}");
        }
        let elapsed = started.elapsed();
        if drifts.is_empty() {
            println!(
                "codegen --check: {} generated files match spec/ ({elapsed:.2?})",
                files.len()
            );
            ExitCode::SUCCESS
        } else {
            eprintln!(
                "error: {} generated file(s) differ from what spec/ generates; \
                 run `cargo xtask codegen` and commit the result ({elapsed:.2?})",
                drifts.len()
            );
            ExitCode::FAILURE
        }
    } else {
        match codegen::write(&root, &files) {
            Ok(written) => {
                for file in &files {
                    let state = if written.contains(&file.path) {
                        "wrote"
                    } else {
                        "unchanged"
                    };
                    println!("{state:>9} {} ({} bytes)", file.path, file.contents.len());
                }
                println!(
                    "codegen: {} of {} files written in {:.2?}",
                    written.len(),
                    files.len(),
                    started.elapsed()
                );
                ExitCode::SUCCESS
            }
            Err(error) => {
                eprintln!("error: {error}");
                ExitCode::FAILURE
            }
        }
    }
}

fn run_bench(quick: bool) -> ExitCode {
    match xtask::bench::run(&codegen::workspace_root(), quick) {
        Ok(report) => {
            println!("{report}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
