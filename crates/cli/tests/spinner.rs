//! The spinner, seen from a real terminal: `script` (util-linux) runs `apikeys` with its stderr on
//! a pseudo-terminal and records what reaches it, while stdout goes to a file.

mod support;

use std::time::Duration;

use elastic_apikeys_client::elasticsearch::types::GetApiKeyResponse;
use elastic_apikeys_mock::elasticsearch::MockServerExt;
use elastic_apikeys_mock::httpmock::MockServer;
use support::{ELASTIC_API_KEY, body, in_pseudo_terminal};

/// What a terminal on stderr shows while `apikeys es list -o csv` waits `delay` for the
/// cluster, and what went to stdout.
fn on_a_terminal(delay: Duration) -> (String, String) {
    let server = MockServer::start();
    let keys: GetApiKeyResponse = body("es-cluster.json");
    server.security_get_api_key(|_, then| {
        then.ok(&keys).into_inner().delay(delay);
    });
    let dir = tempfile::tempdir().unwrap();
    let stdout = dir.path().join("stdout.csv");
    let command = format!("\"$APIKEYS\" es list -o csv > '{}'", stdout.display());
    let url = server.base_url();
    let output = in_pseudo_terminal(
        &command,
        &[
            ("ELASTICSEARCH_URL", &url),
            ("ELASTIC_API_KEY", ELASTIC_API_KEY),
        ],
    );
    assert!(output.status.success(), "{output:?}");
    let terminal = String::from_utf8_lossy(&output.stdout).into_owned();
    (terminal, std::fs::read_to_string(stdout).unwrap())
}

#[test]
fn a_slow_request_shows_a_spinner_on_the_terminal_and_not_in_the_output() {
    let (terminal, stdout) = on_a_terminal(Duration::from_millis(1200));
    assert!(
        terminal.contains("Listing API keys on 127.0.0.1:"),
        "the terminal showed: {terminal:?}"
    );
    assert!(stdout.starts_with("id,name,type,"), "{stdout}");
    assert_eq!(stdout.lines().count(), 7, "{stdout}");
}

#[test]
fn a_quick_request_shows_nothing() {
    let (terminal, stdout) = on_a_terminal(Duration::ZERO);
    assert_eq!(terminal, "", "the terminal showed: {terminal:?}");
    assert_eq!(stdout.lines().count(), 7, "{stdout}");
}
