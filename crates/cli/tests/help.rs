//! The help text of every command, as users read it: a change to the command line shows up here.

mod support;

use support::{apikeys, settings};

/// The subcommands a help text lists under `Commands:`, but `help` itself.
fn subcommands(help: &str) -> Vec<String> {
    help.lines()
        .skip_while(|line| *line != "Commands:")
        .skip(1)
        .take_while(|line| !line.trim().is_empty())
        // A command's line starts two spaces in; a wrapped description, further.
        .filter(|line| line.starts_with("  ") && !line.starts_with("   "))
        .filter_map(|line| line.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(String::from)
        .collect()
}

#[test]
fn help_of_every_command() {
    // Every command the binary has, found from its own help, so that a new one is covered.
    let mut pending: Vec<Vec<String>> = vec![Vec::new()];
    let mut seen = 0;
    while let Some(path) = pending.pop() {
        let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
        args.push("--help");
        let run = apikeys(&args, &[]);
        assert_eq!(run.status, 0, "{}", run.transcript());
        let children = subcommands(&run.stdout);
        // Every command prints JSON for automation, but the one that prints a shell script.
        if children.is_empty() && path != ["completions"] {
            assert!(
                run.stdout.contains("-o, --output <OUTPUT>"),
                "`apikeys {}` has no --output",
                path.join(" ")
            );
        }
        if children.is_empty() {
            assert!(
                run.stdout.contains("\nExit status:\n"),
                "`apikeys {}` does not document its exit statuses in --help",
                path.join(" ")
            );
        }
        for command in children {
            let mut child = path.clone();
            child.push(command);
            pending.push(child);
        }
        let name = if path.is_empty() {
            "apikeys".to_string()
        } else {
            path.join("_")
        };
        settings().bind(|| insta::assert_snapshot!(name, run.transcript()));
        seen += 1;
    }
    assert!(seen >= 8, "the walk found only {seen} commands");
}

#[test]
fn the_version_is_the_crate_version() {
    let run = apikeys(&["--version"], &[]);
    assert_eq!(run.status, 0);
    assert_eq!(
        run.stdout,
        concat!("apikeys ", env!("CARGO_PKG_VERSION"), "\n")
    );
}

#[test]
fn completions_cover_every_shell_and_every_command() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let run = apikeys(&["completions", shell], &[]);
        assert_eq!(run.status, 0, "{}", run.transcript());
        for command in ["invalidate", "create", "update", "delete", "dry-run"] {
            assert!(
                run.stdout.contains(command),
                "{shell} completions lack {command}"
            );
        }
    }
    let unknown = apikeys(&["completions", "tcsh"], &[]);
    assert_eq!(unknown.status, 2, "{}", unknown.transcript());
}
