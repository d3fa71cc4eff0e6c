//! The standard streams in the states a shell can leave them: stdout closed from the start,
//! stderr that cannot be written, and Ctrl-C while a spinner is on the terminal.

mod support;

use std::process::{Command, Stdio};
use std::time::Duration;

use elastic_apikeys_client::elasticsearch::types::GetApiKeyResponse;
use elastic_apikeys_mock::elasticsearch::MockServerExt;
use elastic_apikeys_mock::httpmock::MockServer;
use support::{AS_OF, ELASTIC_API_KEY, body, in_pseudo_terminal};

/// A mock cluster that answers with the README's six keys after `delay`.
fn cluster(delay: Duration) -> MockServer {
    let server = MockServer::start();
    let keys: GetApiKeyResponse = body("es-cluster.json");
    server.security_get_api_key(|_, then| {
        then.ok(&keys).into_inner().delay(delay);
    });
    server
}

/// Runs `shell` (a `sh -c` script, where `$APIKEYS` is the built binary) against `server`; its
/// exit status, stdout and stderr.
///
/// Unlike the other runs, this one does not pass on a faked clock (`clean_command`): libfaketime
/// keeps a shared-memory file open in every process it is loaded into, which would take the
/// closed descriptor these tests are about. Nothing here judges time by the clock.
fn sh(server: &MockServer, shell: &str) -> (i32, String, String) {
    let output = Command::new("sh")
        .args(["-c", shell])
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .env("APIKEYS", env!("CARGO_BIN_EXE_apikeys"))
        .env("ELASTICSEARCH_URL", server.base_url())
        .env("ELASTIC_API_KEY", ELASTIC_API_KEY)
        .stdin(Stdio::null())
        .output()
        .expect("sh runs");
    (
        output.status.code().expect("an exit status"),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn a_closed_stdout_is_an_error_not_a_lost_report() {
    let server = cluster(Duration::ZERO);
    for format in ["table", "json", "csv"] {
        let (status, _, stderr) = sh(&server, &format!(r#""$APIKEYS" es list -o {format} >&-"#));
        assert_eq!(status, 1, "{stderr}");
        assert_eq!(
            stderr,
            "error: stdout is closed, so the report would be lost; redirect it to a file or /dev/null instead\n"
        );
        // Throwing the report away on purpose is another matter.
        let (status, _, stderr) = sh(
            &server,
            &format!(r#""$APIKEYS" es list -o {format} > /dev/null"#),
        );
        assert_eq!(status, 0, "{stderr}");
    }
}

#[test]
fn a_closed_stderr_does_not_send_messages_elsewhere() {
    // With stderr closed, the error has nowhere to go; it must not land in stdout or a socket.
    let (status, stdout, _) = sh(
        &cluster(Duration::ZERO),
        r#""$APIKEYS" es list --url ftp://x 2>&-"#,
    );
    assert_eq!(status, 2);
    assert_eq!(stdout, "");
    let (status, stdout, _) = sh(
        &cluster(Duration::ZERO),
        &format!(r#""$APIKEYS" es list -v -o csv --as-of {AS_OF} 2>&-"#),
    );
    assert_eq!(status, 0);
    assert_eq!(stdout.lines().count(), 7, "{stdout}");
}

#[test]
fn an_unwritable_stderr_never_panics() {
    let server = cluster(Duration::ZERO);
    for (args, expected) in [
        ("es list --url ftp://x", 2),
        ("es list --no-such-flag", 2),
        ("es list -v -o csv", 0),
        (
            &*format!("es list --fail-if-expiring 7d --as-of {AS_OF}"),
            3,
        ),
        ("es list --id ''", 2),
    ] {
        let (status, _, stderr) = sh(&server, &format!(r#""$APIKEYS" {args} 2>/dev/full"#));
        assert_eq!(status, expected, "{args}: {stderr}");
    }
}

#[test]
fn ctrl_c_clears_the_spinner_and_exits_130() {
    let server = cluster(Duration::from_secs(20));
    let dir = tempfile::tempdir().unwrap();
    let stdout = dir.path().join("stdout.csv");
    // A job of its own (`set -m`), so that it takes Ctrl-C's SIGINT as a foreground program
    // would; the wait lets the spinner appear first.
    let command = format!(
        "set -m; \"$APIKEYS\" es list -o csv > '{}' & sleep 1.5; kill -INT $!; wait $!; echo \"status=$?\"",
        stdout.display()
    );
    let url = server.base_url();
    let output = in_pseudo_terminal(
        &command,
        &[
            ("ELASTICSEARCH_URL", &url),
            ("ELASTIC_API_KEY", ELASTIC_API_KEY),
        ],
    );
    let terminal = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(terminal.contains("status=130"), "{terminal:?}");
    let spinner = terminal
        .rfind("Listing API keys on 127.0.0.1:")
        .unwrap_or_else(|| panic!("no spinner: {terminal:?}"));
    let after = &terminal[spinner..terminal.find("status=130").unwrap()];
    // The spinner's last drawing is followed by its erasure: a carriage return and a clear to
    // the end of the line.
    assert!(
        after.contains("\r\u{1b}[2K")
            || after.contains("\u{1b}[2K\r")
            || after.contains("\r\u{1b}[K"),
        "the spinner was left on screen: {terminal:?}"
    );
    assert!(!after.contains("error"), "{terminal:?}");
    assert_eq!(std::fs::read_to_string(stdout).unwrap(), "");
}
