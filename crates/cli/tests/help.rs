//! The help text of every command, as users read it: a change to the command line shows up here.

mod support;

use support::{apikeys, settings};

#[test]
fn help_of_every_command() {
    let commands: [&[&str]; 5] = [
        &["--help"],
        &["cloud", "--help"],
        &["cloud", "list", "--help"],
        &["cloud", "get", "--help"],
        &["es", "list", "--help"],
    ];
    for args in commands {
        let run = apikeys(args, &[]);
        assert_eq!(run.status, 0, "{}", run.transcript());
        let name = args[..args.len() - 1].join("_");
        let name = if name.is_empty() {
            "apikeys".to_string()
        } else {
            name
        };
        settings().bind(|| insta::assert_snapshot!(name, run.transcript()));
    }
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
