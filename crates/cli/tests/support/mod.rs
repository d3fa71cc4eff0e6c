//! Running the built `apikeys` binary, and the transcript its snapshots hold.

// Each test file uses its own part of this module.
#![allow(dead_code)]

use std::ffi::OsStr;
use std::path::Path;
use std::process::Command;

use serde::de::DeserializeOwned;

/// The instant every run judges expiry against, so that snapshots do not age.
pub(crate) const AS_OF: &str = "2026-11-22T12:00:00Z";

/// The credentials the runs are given. No run may print any of them, in any form.
pub(crate) const EC_API_KEY: &str = "essu_Q0xPVURfS0VZX1RIQVRfTVVTVF9ORVZFUl9TSE9X";
pub(crate) const ELASTIC_API_KEY: &str = "VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6bmV2ZXItcHJpbnQtbWU=";
pub(crate) const ELASTIC_PASSWORD: &str = "correct-horse-battery-staple";
/// A password that looks like a flag.
pub(crate) const DASHED_PASSWORD: &str = "--not-a-flag-but-a-secret";
/// `base64("elastic:" + DASHED_PASSWORD)`.
pub(crate) const DASHED_BASIC_CREDENTIALS: &str = "ZWxhc3RpYzotLW5vdC1hLWZsYWctYnV0LWEtc2VjcmV0";
/// `base64("elastic:" + ELASTIC_PASSWORD)`, as an `Authorization: Basic` header carries it.
pub(crate) const BASIC_CREDENTIALS: &str = "ZWxhc3RpYzpjb3JyZWN0LWhvcnNlLWJhdHRlcnktc3RhcGxl";

/// Writes the config file `path` with `text`, readable and writable by its owner only whatever
/// the umask: `apikeys` refuses a config file that others can write.
pub(crate) fn write_config(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
}

/// A command that gets none of this process's environment but the clock it runs under. CI runs
/// the suite a second time under libfaketime (`faketime`), whose clock is years ahead: its
/// `LD_PRELOAD` and `FAKETIME*` settings are passed on, so that what the tests start sees the same
/// clock as the tests.
pub(crate) fn clean_command(program: impl AsRef<OsStr>) -> Command {
    let mut command = Command::new(program);
    command.env_clear();
    for (name, value) in std::env::vars_os() {
        let name_text = name.to_string_lossy();
        if name_text == "LD_PRELOAD" || name_text.starts_with("FAKETIME") {
            command.env(name, value);
        }
    }
    command
}

/// A finished run of `apikeys`.
pub(crate) struct Run {
    pub(crate) args: Vec<String>,
    pub(crate) status: i32,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

impl Run {
    /// The command, its exit status, stdout and stderr, as a snapshot holds them.
    pub(crate) fn transcript(&self) -> String {
        format!(
            "$ apikeys {}\nexit status: {}\n--- stdout\n{}--- stderr\n{}",
            self.args.join(" "),
            self.status,
            self.stdout,
            self.stderr
        )
    }
}

/// Runs `apikeys` with `args` and nothing of this process's environment but `env`: a
/// developer's own `EC_API_KEY` must not reach a test.
pub(crate) fn apikeys(args: &[&str], env: &[(&str, &str)]) -> Run {
    let output = clean_command(env!("CARGO_BIN_EXE_apikeys"))
        .args(args)
        .envs(env.iter().copied())
        .output()
        .expect("the built binary runs");
    let run = Run {
        args: args.iter().map(|a| a.to_string()).collect(),
        status: output
            .status
            .code()
            .expect("the binary exits with a status"),
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    };
    for secret in [
        EC_API_KEY,
        ELASTIC_API_KEY,
        ELASTIC_PASSWORD,
        DASHED_PASSWORD,
        DASHED_BASIC_CREDENTIALS,
        BASIC_CREDENTIALS,
        // The secret part of ELASTIC_API_KEY, decoded.
        "never-print-me",
    ] {
        assert!(
            !run.stdout.contains(secret) && !run.stderr.contains(secret),
            "a secret was printed:\n{}",
            run.transcript()
        );
    }
    run
}

/// What a pseudo-terminal shows while `sh` runs `command` on it: util-linux `script` gives the
/// shell a terminal for stdin, stdout and stderr, and records what reaches it. In `command`,
/// `$APIKEYS` is the built binary. The environment is `env`, with `PATH` and `TERM` only besides.
pub(crate) fn in_pseudo_terminal(command: &str, env: &[(&str, &str)]) -> std::process::Output {
    clean_command("script")
        .args(["--quiet", "--return", "--command", command, "/dev/null"])
        .env("PATH", "/usr/bin:/bin")
        .env("TERM", "xterm")
        .env("APIKEYS", env!("CARGO_BIN_EXE_apikeys"))
        .envs(env.iter().copied())
        .output()
        .expect("script (util-linux) runs")
}

/// As [`in_pseudo_terminal`], with `typed` typed on the terminal's keyboard, as a person answers a
/// question.
pub(crate) fn in_pseudo_terminal_typing(
    command: &str,
    env: &[(&str, &str)],
    typed: &str,
) -> std::process::Output {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = clean_command("script")
        .args(["--quiet", "--return", "--command", command, "/dev/null"])
        .env("PATH", "/usr/bin:/bin")
        .env("TERM", "xterm")
        .env("APIKEYS", env!("CARGO_BIN_EXE_apikeys"))
        .envs(env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("script (util-linux) runs");
    // Typed after the question is on the screen, as a person would.
    std::thread::sleep(std::time::Duration::from_millis(500));
    let mut keyboard = child.stdin.take().unwrap();
    keyboard.write_all(typed.as_bytes()).unwrap();
    keyboard.flush().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(500));
    drop(keyboard);
    child.wait_with_output().expect("script finishes")
}

/// Snapshot settings: the mock server's port and request timings change from run to run.
pub(crate) fn settings() -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    settings.add_filter(r"127\.0\.0\.1:\d+", "127.0.0.1:[PORT]");
    settings.add_filter(r"elapsed_ms=\d+", "elapsed_ms=[MS]");
    settings.add_filter(r"\(os error \d+\)", "(os error [N])");
    settings
}

/// A body of this crate's `tests/bodies`, as the model it encodes.
pub(crate) fn body<T: DeserializeOwned>(name: &str) -> T {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/bodies")
        .join(name);
    let text = std::fs::read_to_string(&path).expect("the body exists");
    serde_json::from_str(&text).expect("the body decodes")
}

/// A body of the workspace's fixture corpus (`tests/fixtures`), as the model it encodes.
pub(crate) fn fixture<T: DeserializeOwned>(path: &str) -> T {
    serde_json::from_str(&elastic_apikeys_tests::fixture(path)).expect("the fixture decodes")
}
