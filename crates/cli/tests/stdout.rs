//! What happens when the report cannot be written: a reader that stopped early is no failure, a
//! full disk is.

mod support;

use std::process::Stdio;
use std::time::Duration;

use elastic_apikeys_client::elasticsearch::types::GetApiKeyResponse;
use elastic_apikeys_mock::elasticsearch::MockServerExt;
use elastic_apikeys_mock::httpmock::MockServer;
use support::{ELASTIC_API_KEY, body, clean_command};

/// `apikeys es list -o csv` with `stdout` as its stdout, closed by the reading end before the
/// cluster answers if `close_stdout_at_once`; its exit status and stderr.
fn list_into(stdout: Stdio, close_stdout_at_once: bool) -> (i32, String) {
    let server = MockServer::start();
    let keys: GetApiKeyResponse = body("es-cluster.json");
    server.security_get_api_key(|_, then| {
        // Time for the test to close the pipe before anything is written to it.
        then.ok(&keys)
            .into_inner()
            .delay(Duration::from_millis(300));
    });
    let mut child = clean_command(env!("CARGO_BIN_EXE_apikeys"))
        .args(["es", "list", "-o", "csv"])
        .env("ELASTICSEARCH_URL", server.base_url())
        .env("ELASTIC_API_KEY", ELASTIC_API_KEY)
        .stdout(stdout)
        .stderr(Stdio::piped())
        .spawn()
        .expect("the built binary runs");
    if close_stdout_at_once {
        drop(child.stdout.take());
    }
    let output = child.wait_with_output().expect("the binary finishes");
    let stderr = String::from_utf8(output.stderr).expect("stderr is UTF-8");
    (output.status.code().expect("an exit status"), stderr)
}

#[test]
fn a_reader_that_stopped_early_is_not_a_failure() {
    // As `apikeys es list | head -0` would.
    let (status, stderr) = list_into(Stdio::piped(), true);
    assert_eq!(status, 0, "{stderr}");
    assert_eq!(stderr, "");
}

#[test]
fn a_report_that_cannot_be_written_is_a_failure() {
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .expect("/dev/full exists");
    let (status, stderr) = list_into(Stdio::from(full), false);
    assert_eq!(status, 1, "{stderr}");
    assert!(
        stderr.starts_with("error: cannot write the report: No space left on device"),
        "{stderr}"
    );
}
