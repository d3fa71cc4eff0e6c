//! Commands that change keys against a loopback server that misbehaves on purpose, and the
//! secret of a new key under `--verbose`: whatever happens, the new secret is shown once or not
//! at all, a half-written answer is no success, and nothing is sent twice.

mod support;

use elastic_apikeys_tests::raw_server::{RawServer, Step};
use support::{ELASTIC_API_KEY, Run, apikeys};

const SECRET: &str = "dGhlLW9uZS1zZWNyZXQ";
const ENCODED: &str = "azE6ZEdobExXOXVaUzF6WldOeVpYUQ==";

fn run(server: &RawServer, args: &[&str]) -> Run {
    let run = apikeys(
        args,
        &[
            ("ELASTICSEARCH_URL", server.url()),
            ("ELASTIC_API_KEY", ELASTIC_API_KEY),
        ],
    );
    assert!(
        !run.stderr.contains(SECRET) && !run.stderr.contains(ENCODED),
        "a secret reached stderr:\n{}",
        run.transcript()
    );
    run
}

fn created() -> serde_json::Value {
    serde_json::json!({"id": "k1", "name": "ci", "api_key": SECRET, "encoded": ENCODED})
}

#[test]
fn a_create_whose_answer_is_cut_is_a_failure_that_is_not_retried_and_leaves_no_file() {
    let body = created().to_string();
    let server = RawServer::start_in_background(vec![Step::Truncate {
        declared: body.len(),
        body: body.as_bytes()[..body.len() / 2].to_vec(),
    }]);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("k.key");
    let run = run(
        &server,
        &[
            "es",
            "create",
            "--name",
            "ci",
            "--yes",
            "--secret-file",
            path.to_str().unwrap(),
        ],
    );
    assert_eq!(run.status, 1, "{}", run.transcript());
    assert_eq!(run.stdout, "");
    assert!(
        !path.exists(),
        "no secret file for a key that may not exist"
    );
    assert_eq!(server.count(), 1, "a create is never sent twice");
}

#[test]
fn a_reset_connection_on_invalidate_is_not_reported_as_done() {
    let server = RawServer::start_in_background(vec![Step::Reset]);
    let run = run(&server, &["es", "invalidate", "--id", "k1", "--yes"]);
    assert_eq!(run.status, 1, "{}", run.transcript());
    assert!(!run.stdout.contains("invalidated"), "{}", run.transcript());
}

#[test]
fn under_verbose_the_secret_is_on_stdout_once_and_never_on_stderr() {
    let server = RawServer::start_in_background(vec![Step::json("200 OK", &created())]);
    let run = run(
        &server,
        &[
            "es",
            "create",
            "--name",
            "ci",
            "--yes",
            "--verbose",
            "-o",
            "json",
        ],
    );
    assert_eq!(run.status, 0, "{}", run.transcript());
    assert!(
        run.stderr.contains("POST"),
        "the trace is there: {}",
        run.transcript()
    );
    assert_eq!(
        run.stdout.matches(SECRET).count(),
        1,
        "{}",
        run.transcript()
    );
    assert_eq!(
        run.stdout.matches(ENCODED).count(),
        1,
        "{}",
        run.transcript()
    );
}

#[test]
fn a_rotation_of_a_key_that_does_not_exist_changes_nothing() {
    let server = RawServer::start_in_background(vec![
        Step::json("404 Not Found", &serde_json::json!({"api_keys": []})),
        Step::json("404 Not Found", &serde_json::json!({"api_keys": []})),
    ]);
    let run = run(&server, &["es", "rotate", "gone", "--yes"]);
    assert_eq!(run.status, 1, "{}", run.transcript());
    assert!(
        run.stderr.contains("no API key with id [gone]"),
        "{}",
        run.transcript()
    );
    assert_eq!(run.stdout, "");
    assert!(
        server.requests().iter().all(|r| r.starts_with("GET ")),
        "only reads were sent: {:?}",
        server.requests()
    );
}

#[test]
fn server_text_in_what_a_change_prints_cannot_drive_the_terminal() {
    let hostile = "k1\u{1b}[2J";
    let answer = serde_json::json!({
        "invalidated_api_keys": [hostile],
        "previously_invalidated_api_keys": [],
        "error_count": 0
    });
    for output in ["text", "json"] {
        let server = RawServer::start_in_background(vec![Step::json("200 OK", &answer)]);
        let run = run(
            &server,
            &["es", "invalidate", "--id", "k1", "--yes", "-o", output],
        );
        assert_eq!(run.status, 0, "{}", run.transcript());
        assert!(!run.stdout.contains('\u{1b}'), "{output}: {:?}", run.stdout);
    }
    let created =
        serde_json::json!({"id": hostile, "name": "ci", "api_key": SECRET, "encoded": ENCODED});
    for output in ["encoded", "json"] {
        let server = RawServer::start_in_background(vec![Step::json("200 OK", &created)]);
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("k.key");
        let run = run(
            &server,
            &[
                "es",
                "create",
                "--name",
                "ci",
                "--yes",
                "-o",
                output,
                "--secret-file",
                file.to_str().unwrap(),
            ],
        );
        assert_eq!(run.status, 0, "{}", run.transcript());
        assert!(!run.stdout.contains('\u{1b}'), "{output}: {:?}", run.stdout);
        assert!(!run.stderr.contains('\u{1b}'), "{output}: {:?}", run.stderr);
    }
}
