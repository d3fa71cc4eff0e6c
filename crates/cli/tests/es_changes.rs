//! `apikeys es create` and `apikeys es invalidate`, run as a user would run them, against the
//! typed mock of Elasticsearch: what is sent, what is refused before sending, and where the
//! secret of a new key goes (stdout once, or a file only its owner can read).

mod support;

use elastic_apikeys_client::elasticsearch::types::{
    CreateApiKeyRequest, CreateApiKeyResponse, GetApiKeyResponse, InvalidateApiKeyRequest,
    InvalidateApiKeyResponse,
};
use elastic_apikeys_mock::elasticsearch::MockServerExt;
use elastic_apikeys_mock::httpmock::{Mock, MockServer};
use support::{ELASTIC_API_KEY, Run, apikeys, body};

/// The secret of the key the mock creates, in both forms.
const NEW_SECRET: &str = "ui2lp2axTNmsyakw9tvNnw";
const NEW_ENCODED: &str = "VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw==";

fn run(server: &MockServer, args: &[&str]) -> Run {
    let url = server.base_url();
    apikeys(
        args,
        &[
            ("ELASTICSEARCH_URL", &url),
            ("ELASTIC_API_KEY", ELASTIC_API_KEY),
        ],
    )
}

fn created() -> CreateApiKeyResponse {
    serde_json::from_value(serde_json::json!({
        "id": "VuaCfGcBCdbkQm-e5aOx",
        "name": "ci-deploy",
        "expiration": 1_769_000_000_000_i64,
        "api_key": NEW_SECRET,
        "encoded": NEW_ENCODED
    }))
    .unwrap()
}

/// A cluster that creates `ci-deploy`, expiring in 30 days, and nothing else. The server lives
/// as long as the test process, so that its mock can be returned beside it.
fn creating() -> (&'static MockServer, Mock<'static>) {
    let server: &'static MockServer = Box::leak(Box::new(MockServer::start()));
    let expected: CreateApiKeyRequest = serde_json::from_value(
        serde_json::json!({"name": "ci-deploy", "expiration": "30d", "metadata": {"team": "ci"}}),
    )
    .unwrap();
    let mock = server.security_create_api_key(|when, then| {
        when.body(&expected);
        then.ok(created());
    });
    (server, mock)
}

fn create_args<'a>(extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec![
        "es",
        "create",
        "--name",
        "ci-deploy",
        "--expiration",
        "30d",
        "--metadata",
        r#"{"team": "ci"}"#,
    ];
    args.extend_from_slice(extra);
    args
}

/// The new key's secret is on stdout exactly once, and nowhere else.
fn assert_secret_once(run: &Run, secret: &str) {
    assert_eq!(
        run.stdout.matches(secret).count(),
        1,
        "{}",
        run.transcript()
    );
    assert!(!run.stderr.contains(NEW_SECRET), "{}", run.transcript());
    assert!(!run.stderr.contains(NEW_ENCODED), "{}", run.transcript());
}

#[test]
fn create_prints_the_encoded_secret_once_on_stdout() {
    let (server, mock) = creating();
    let run = run(server, &create_args(&["--yes"]));
    assert_eq!(run.status, 0, "{}", run.transcript());
    assert_eq!(run.stdout, format!("{NEW_ENCODED}\n"));
    assert_secret_once(&run, NEW_ENCODED);
    assert!(
        run.stderr
            .contains("created the API key VuaCfGcBCdbkQm-e5aOx")
    );
    mock.assert_calls(1);
}

#[test]
fn create_as_json_gives_the_id_and_both_forms_of_the_secret() {
    let (server, mock) = creating();
    let run = run(server, &create_args(&["--yes", "-o", "json"]));
    assert_eq!(run.status, 0, "{}", run.transcript());
    let printed: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(printed["id"], "VuaCfGcBCdbkQm-e5aOx");
    assert_eq!(printed["api_key"], NEW_SECRET);
    assert_eq!(printed["encoded"], NEW_ENCODED);
    assert_secret_once(&run, NEW_SECRET);
    mock.assert_calls(1);
}

#[test]
fn create_writes_the_secret_to_a_new_file_only_its_owner_can_read() {
    let (server, mock) = creating();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ci-deploy.key");
    let path_text = path.to_str().unwrap();
    let run = run(server, &create_args(&["--yes", "--secret-file", path_text]));
    assert_eq!(run.status, 0, "{}", run.transcript());
    assert_eq!(run.stdout, "VuaCfGcBCdbkQm-e5aOx\n");
    assert!(!run.stdout.contains(NEW_ENCODED) && !run.stderr.contains(NEW_ENCODED));
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        format!("{NEW_ENCODED}\n")
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{mode:o}");
    }
    mock.assert_calls(1);

    // The same path again: refused before anything is sent, the first secret untouched.
    let again = run_again(server, path_text);
    assert_eq!(again.status, 2, "{}", again.transcript());
    assert!(
        again.stderr.contains("never overwritten"),
        "{}",
        again.transcript()
    );
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        format!("{NEW_ENCODED}\n")
    );
    mock.assert_calls(1);
}

fn run_again(server: &MockServer, path: &str) -> Run {
    run(server, &create_args(&["--yes", "--secret-file", path]))
}

/// Creating destroys nothing, so it asks nothing: not a script (stdin not a terminal), not a
/// terminal. `--yes`, which scripts for earlier versions pass, is still accepted.
#[test]
fn create_asks_nothing_from_a_script_or_on_a_terminal() {
    let (server, mock) = creating();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new.key");
    let script = run(
        server,
        &create_args(&["--secret-file", path.to_str().unwrap()]),
    );
    assert_eq!(script.status, 0, "{}", script.transcript());
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        format!("{NEW_ENCODED}\n")
    );
    mock.assert_calls(1);

    let url = server.base_url();
    let terminal = support::in_pseudo_terminal(
        "\"$APIKEYS\" es create --name ci-deploy --expiration 30d --metadata '{\"team\": \"ci\"}'",
        &[
            ("ELASTICSEARCH_URL", &url),
            ("ELASTIC_API_KEY", ELASTIC_API_KEY),
        ],
    );
    let shown = String::from_utf8_lossy(&terminal.stdout);
    assert_eq!(terminal.status.code(), Some(0), "{shown:?}");
    assert!(!shown.contains("Proceed?"), "{shown:?}");
    assert_eq!(shown.matches(NEW_ENCODED).count(), 1, "{shown:?}");
    mock.assert_calls(2);
}

#[test]
fn create_dry_run_prints_the_request_and_sends_nothing() {
    let (server, mock) = creating();
    let run = run(server, &create_args(&["--dry-run"]));
    assert_eq!(run.status, 0, "{}", run.transcript());
    let (head, body) = run.stdout.split_once('\n').unwrap();
    assert_eq!(head, "POST /_security/api_key");
    let body: serde_json::Value = serde_json::from_str(body).unwrap();
    assert_eq!(
        body,
        serde_json::json!({"name": "ci-deploy", "expiration": "30d", "metadata": {"team": "ci"}})
    );
    assert!(
        run.stderr.contains("nothing was sent"),
        "{}",
        run.transcript()
    );
    mock.assert_calls(0);
}

#[test]
fn create_refuses_bad_input_before_sending() {
    let (server, mock) = creating();
    for (args, says) in [
        (
            vec![
                "es",
                "create",
                "--name",
                "x",
                "--expiration",
                "soon",
                "--yes",
            ],
            "30d",
        ),
        (
            vec!["es", "create", "--name", "x", "--metadata", "[1]", "--yes"],
            "JSON object",
        ),
        (
            vec![
                "es",
                "create",
                "--name",
                "x",
                "--role-descriptors",
                "/no/such/file",
                "--yes",
            ],
            "/no/such/file",
        ),
    ] {
        let run = run(server, &args);
        assert_eq!(run.status, 2, "{}", run.transcript());
        assert!(run.stderr.contains(says), "{}", run.transcript());
    }
    mock.assert_calls(0);
}

fn invalidated(ids: &[&str], errors: serde_json::Value) -> InvalidateApiKeyResponse {
    let count = errors.as_array().map_or(0, Vec::len);
    serde_json::from_value(serde_json::json!({
        "invalidated_api_keys": ids,
        "previously_invalidated_api_keys": ["old-one"],
        "error_count": count,
        "error_details": errors
    }))
    .unwrap()
}

#[test]
fn invalidate_by_id_sends_the_ids_and_reports_each_key() {
    let server = MockServer::start();
    let expected: InvalidateApiKeyRequest =
        serde_json::from_value(serde_json::json!({"ids": ["a1", "b2"]})).unwrap();
    let mock = server.security_invalidate_api_key(|when, then| {
        when.body(&expected);
        then.ok(invalidated(&["a1", "b2"], serde_json::json!([])));
    });
    let run = run(
        &server,
        &["es", "invalidate", "--id", "a1", "--id", "b2", "--yes"],
    );
    assert_eq!(run.status, 0, "{}", run.transcript());
    assert_eq!(
        run.stdout,
        "invalidated a1\ninvalidated b2\nalready invalidated old-one\n"
    );
    mock.assert_calls(1);
}

#[test]
fn invalidate_by_name_lists_the_matching_keys_first_and_owner_is_sent() {
    let server = MockServer::start();
    let keys: GetApiKeyResponse = body("es-cluster.json");
    let ids: Vec<String> = keys.api_keys.iter().map(|k| k.id.to_string()).collect();
    let listing = server.security_get_api_key(|when, then| {
        when.name("ci-*").owner(true).active_only(true);
        then.ok(&keys);
    });
    let expected: InvalidateApiKeyRequest =
        serde_json::from_value(serde_json::json!({"name": "ci-*", "owner": true})).unwrap();
    let deleting = server.security_invalidate_api_key(|when, then| {
        when.body(&expected);
        then.ok(invalidated(&[], serde_json::json!([])));
    });

    // A script without --yes: the matching keys are counted in the refusal, nothing goes.
    let refused = run(&server, &["es", "invalidate", "--name", "ci-*", "--owner"]);
    assert_eq!(refused.status, 2, "{}", refused.transcript());
    assert!(
        refused
            .stderr
            .contains(&format!("invalidate {} API keys", ids.len())),
        "{}",
        refused.transcript()
    );
    assert!(refused.stderr.contains(&ids[0]), "{}", refused.transcript());
    listing.assert_calls(1);
    deleting.assert_calls(0);

    let dry = run(
        &server,
        &["es", "invalidate", "--name", "ci-*", "--owner", "--dry-run"],
    );
    assert_eq!(dry.status, 0, "{}", dry.transcript());
    assert!(dry.stdout.starts_with("DELETE /_security/api_key\n"));
    deleting.assert_calls(0);

    let done = run(
        &server,
        &["es", "invalidate", "--name", "ci-*", "--owner", "--yes"],
    );
    assert_eq!(done.status, 0, "{}", done.transcript());
    deleting.assert_calls(1);
}

#[test]
fn invalidate_fails_with_each_reason_when_a_key_is_left_active() {
    let server = MockServer::start();
    let errors = serde_json::json!([
        {"type": "exception", "reason": "error invalidating api key [b2]",
         "caused_by": {"type": "illegal_argument_exception", "reason": "x"}}
    ]);
    server.security_invalidate_api_key(|when, then| {
        when.into_inner().any_request();
        then.ok(invalidated(&["a1"], errors.clone()));
    });
    let run = run(
        &server,
        &["es", "invalidate", "--id", "a1", "--id", "b2", "--yes"],
    );
    assert_eq!(run.status, 1, "{}", run.transcript());
    assert!(
        run.stdout.contains("invalidated a1"),
        "{}",
        run.transcript()
    );
    assert!(
        run.stderr.contains(
            "1 API key could not be invalidated: exception: error invalidating api key [b2]"
        ),
        "{}",
        run.transcript()
    );
}

#[test]
fn invalidate_refuses_what_elasticsearch_refuses_before_anything_is_sent() {
    let server = MockServer::start();
    let any = server.mock(|when, then| {
        when.any_request();
        then.status(500);
    });
    for args in [
        vec!["es", "invalidate", "--id", "a", "--name", "b", "--yes"],
        vec!["es", "invalidate", "--owner", "--username", "u", "--yes"],
        vec!["es", "invalidate", "--yes"],
    ] {
        let run = run(&server, &args);
        assert_eq!(run.status, 2, "{}", run.transcript());
    }
    any.assert_calls(0);
}

/// `apikeys es invalidate --id a1` on a terminal, answering `typed` to its question.
fn invalidate_on_a_terminal(typed: &str) -> (String, usize) {
    let server = MockServer::start();
    let mock = server.security_invalidate_api_key(|when, then| {
        when.into_inner().any_request();
        then.ok(invalidated(&["a1"], serde_json::json!([])));
    });
    let url = server.base_url();
    let output = support::in_pseudo_terminal_typing(
        "\"$APIKEYS\" es invalidate --id a1",
        &[
            ("ELASTICSEARCH_URL", &url),
            ("ELASTIC_API_KEY", ELASTIC_API_KEY),
        ],
        typed,
    );
    let terminal = String::from_utf8_lossy(&output.stdout).into_owned();
    (terminal, mock.calls())
}

#[test]
fn on_a_terminal_the_plan_is_shown_and_only_yes_goes_ahead() {
    let (terminal, calls) = invalidate_on_a_terminal("y\n");
    assert!(
        terminal.contains("This will invalidate 1 API key on 127.0.0.1:"),
        "{terminal:?}"
    );
    assert!(terminal.contains("Proceed? [y/N]"), "{terminal:?}");
    assert!(terminal.contains("invalidated a1"), "{terminal:?}");
    assert_eq!(calls, 1);

    let (terminal, calls) = invalidate_on_a_terminal("\n");
    assert!(terminal.contains("not confirmed"), "{terminal:?}");
    assert_eq!(calls, 0);
}

#[test]
fn update_sends_only_what_was_given_and_names_an_unknown_key() {
    use elastic_apikeys_client::elasticsearch::types::{
        ErrorResponse, UpdateApiKeyRequest, UpdateApiKeyResponse,
    };
    let server = MockServer::start();
    let expected: UpdateApiKeyRequest = serde_json::from_value(
        serde_json::json!({"expiration": "90d", "metadata": {"rotated": true}}),
    )
    .unwrap();
    let updated: UpdateApiKeyResponse =
        serde_json::from_value(serde_json::json!({"updated": true})).unwrap();
    let mock = server.security_update_api_key(|when, then| {
        when.id("a1").body(&expected);
        then.ok(&updated);
    });
    let missing: ErrorResponse = serde_json::from_value(serde_json::json!({
        "error": {"type": "resource_not_found_exception",
                  "reason": "no API key owned by requesting user found for ID [gone]"},
        "status": 404
    }))
    .unwrap();
    server.security_update_api_key(|when, then| {
        when.id("gone");
        then.not_found(&missing);
    });
    let args = |id: &'static str| {
        vec![
            "es",
            "update",
            id,
            "--expiration",
            "90d",
            "--metadata",
            r#"{"rotated": true}"#,
            "--yes",
        ]
    };
    let done = run(&server, &args("a1"));
    assert_eq!(done.status, 0, "{}", done.transcript());
    assert_eq!(done.stdout, "updated a1\n");
    mock.assert_calls(1);

    let gone = run(&server, &args("gone"));
    assert_eq!(gone.status, 1, "{}", gone.transcript());
    assert!(
        gone.stderr.contains("no API key with id [gone]"),
        "{}",
        gone.transcript()
    );

    let nothing = run(&server, &["es", "update", "a1", "--yes"]);
    assert_eq!(nothing.status, 2, "{}", nothing.transcript());
    mock.assert_calls(1);
}

#[test]
fn a_cross_cluster_key_is_created_with_its_access_from_stdin_or_a_file() {
    use elastic_apikeys_client::elasticsearch::types::{
        CreateCrossClusterApiKeyRequest, CreateCrossClusterApiKeyResponse,
    };
    let server = MockServer::start();
    let access = serde_json::json!({"search": [{"names": ["logs-*"]}]});
    let expected: CreateCrossClusterApiKeyRequest = serde_json::from_value(
        serde_json::json!({"name": "ccs-west", "expiration": "90d", "access": access}),
    )
    .unwrap();
    let created: CreateCrossClusterApiKeyResponse = serde_json::from_value(serde_json::json!({
        "id": "wG1F4RxKt1Z0GF6p_I8j", "name": "ccs-west", "expiration": 1_790_000_000_000_i64,
        "api_key": NEW_SECRET, "encoded": NEW_ENCODED
    }))
    .unwrap();
    let mock = server.security_create_cross_cluster_api_key(|when, then| {
        when.body(&expected);
        then.ok(&created);
    });
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("access.json");
    std::fs::write(&file, access.to_string()).unwrap();
    let run = run(
        &server,
        &[
            "es",
            "create",
            "--cross-cluster",
            "--name",
            "ccs-west",
            "--expiration",
            "90d",
            "--access",
            file.to_str().unwrap(),
            "--yes",
        ],
    );
    assert_eq!(run.status, 0, "{}", run.transcript());
    assert_eq!(run.stdout, format!("{NEW_ENCODED}\n"));
    mock.assert_calls(1);

    let without = self::run(&server, &["es", "create", "--cross-cluster", "--name", "x"]);
    assert_eq!(without.status, 2, "{}", without.transcript());
    assert!(
        without.stderr.contains("--access"),
        "{}",
        without.transcript()
    );
    mock.assert_calls(1);
}
