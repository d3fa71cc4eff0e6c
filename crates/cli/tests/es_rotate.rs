//! `apikeys es rotate` against the typed mock: every step, and a failure at each.

mod support;

use elastic_apikeys_client::elasticsearch::types::{
    CreateApiKeyRequest, CreateApiKeyResponse, GetApiKeyResponse, InvalidateApiKeyRequest,
    InvalidateApiKeyResponse, UpdateApiKeyRequest, UpdateApiKeyResponse,
};
use elastic_apikeys_mock::elasticsearch::MockServerExt;
use elastic_apikeys_mock::httpmock::{Mock, MockServer};
use serde_json::json;
use support::{ELASTIC_API_KEY, Run, apikeys};

const NEW_SECRET: &str = "bmV3LXNlY3JldC1vbmNl";
const NEW_ENCODED: &str = "bmV3SWQ6Ym1WM0xYTmxZM0psZEMxdmJtTmw=";

fn run(server: &MockServer, args: &[&str]) -> Run {
    let url = server.base_url();
    let run = apikeys(
        args,
        &[
            ("ELASTICSEARCH_URL", &url),
            ("ELASTIC_API_KEY", ELASTIC_API_KEY),
        ],
    );
    assert!(!run.stderr.contains(NEW_ENCODED) && !run.stderr.contains(NEW_SECRET));
    run
}

/// The key to rotate: 90 days of life, its own roles and metadata.
fn old_key(username: &str) -> GetApiKeyResponse {
    serde_json::from_value(json!({"api_keys": [{
        "id": "old1",
        "name": "ci-deploy",
        "type": "rest",
        "creation": 1_760_000_000_000_i64,
        "expiration": 1_760_000_000_000_i64 + 90 * 86_400_000,
        "invalidated": false,
        "username": username,
        "realm": "native1",
        "metadata": {"team": "ci"},
        "role_descriptors": {"deploy": {"cluster": ["monitor"], "indices": []}}
    }]}))
    .unwrap()
}

/// The cluster's side of a rotation of `old1`, owned by the caller when `owned`.
struct Cluster {
    server: MockServer,
}

impl Cluster {
    fn new(owned: bool) -> Self {
        let server = MockServer::start();
        let key = old_key(if owned { "ci-bot" } else { "alice" });
        server.security_get_api_key(|when, then| {
            when.id("old1").owner(true);
            if owned {
                then.ok(&key);
            } else {
                then.into_inner()
                    .status(404)
                    .header("content-type", "application/json")
                    .json_body(json!({"api_keys": []}));
            }
        });
        server.security_get_api_key(|when, then| {
            when.id("old1").into_inner().query_param_missing("owner");
            then.ok(&key);
        });
        Self { server }
    }

    fn creates(&self) -> Mock<'_> {
        let expected: CreateApiKeyRequest = serde_json::from_value(json!({
            "name": "ci-deploy",
            "expiration": "90d",
            "metadata": {"team": "ci"},
            "role_descriptors": {"deploy": {"cluster": ["monitor"], "indices": []}}
        }))
        .unwrap();
        let created: CreateApiKeyResponse = serde_json::from_value(json!({
            "id": "newId", "name": "ci-deploy", "api_key": NEW_SECRET, "encoded": NEW_ENCODED
        }))
        .unwrap();
        self.server.security_create_api_key(|when, then| {
            when.body(&expected);
            then.ok(&created);
        })
    }

    fn invalidates(&self, owner: bool, errors: usize) -> Mock<'_> {
        let mut body = json!({"ids": ["old1"]});
        if owner {
            body["owner"] = true.into();
        }
        let expected: InvalidateApiKeyRequest = serde_json::from_value(body).unwrap();
        let details: Vec<_> = (0..errors)
            .map(|_| json!({"type": "exception", "reason": "error invalidating api key [old1]"}))
            .collect();
        let answer: InvalidateApiKeyResponse = serde_json::from_value(json!({
            "invalidated_api_keys": if errors == 0 { vec!["old1"] } else { vec![] },
            "previously_invalidated_api_keys": [],
            "error_count": errors,
            "error_details": details
        }))
        .unwrap();
        self.server.security_invalidate_api_key(|when, then| {
            when.body(&expected);
            then.ok(&answer);
        })
    }
}

#[test]
fn a_rotation_copies_the_key_hands_over_the_secret_then_invalidates_the_old_one() {
    let cluster = Cluster::new(true);
    let create = cluster.creates();
    let invalidate = cluster.invalidates(true, 0);
    let run = run(&cluster.server, &["es", "rotate", "old1", "--yes"]);
    assert_eq!(run.status, 0, "{}", run.transcript());
    assert_eq!(run.stdout, format!("{NEW_ENCODED}\n"));
    assert!(
        run.stderr.contains("the old API key old1 is invalidated"),
        "{}",
        run.transcript()
    );
    create.assert_calls(1);
    invalidate.assert_calls(1);
}

#[test]
fn with_grace_the_old_key_is_set_to_expire_instead() {
    let cluster = Cluster::new(true);
    let create = cluster.creates();
    let invalidate = cluster.invalidates(true, 0);
    let expected: UpdateApiKeyRequest =
        serde_json::from_value(json!({"expiration": "1d"})).unwrap();
    let updated: UpdateApiKeyResponse = serde_json::from_value(json!({"updated": true})).unwrap();
    let update = cluster.server.security_update_api_key(|when, then| {
        when.id("old1").body(&expected);
        then.ok(&updated);
    });
    let run = run(
        &cluster.server,
        &[
            "es", "rotate", "old1", "--grace", "24h", "--yes", "-o", "json",
        ],
    );
    assert_eq!(run.status, 0, "{}", run.transcript());
    let printed: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(printed["replaces"], "old1");
    assert_eq!(printed["encoded"], NEW_ENCODED);
    create.assert_calls(1);
    update.assert_calls(1);
    invalidate.assert_calls(0);
}

#[test]
fn when_the_old_key_cannot_be_invalidated_the_new_secret_is_out_and_the_status_says_so() {
    let cluster = Cluster::new(true);
    let create = cluster.creates();
    let invalidate = cluster.invalidates(true, 1);
    let run = run(&cluster.server, &["es", "rotate", "old1", "--yes"]);
    assert_eq!(run.status, 5, "{}", run.transcript());
    assert_eq!(
        run.stdout,
        format!("{NEW_ENCODED}\n"),
        "the secret was handed over"
    );
    assert!(
        run.stderr.contains(
            "the new API key newId was created and its secret handed over, but the old key old1 \
             is still active"
        ),
        "{}",
        run.transcript()
    );
    assert!(
        run.stderr.contains("apikeys es invalidate --id old1"),
        "{}",
        run.transcript()
    );
    create.assert_calls(1);
    invalidate.assert_calls(1);
}

#[test]
fn when_the_create_fails_nothing_is_changed() {
    let cluster = Cluster::new(true);
    let invalidate = cluster.invalidates(true, 0);
    cluster.server.security_create_api_key(|when, then| {
        when.into_inner().any_request();
        then.into_inner()
            .status(403)
            .header("content-type", "application/json")
            .json_body(json!({"error": {"type": "security_exception",
                "reason": "action [cluster:admin/xpack/security/api_key/create] is unauthorized"},
                "status": 403}));
    });
    let run = run(&cluster.server, &["es", "rotate", "old1", "--yes"]);
    assert_eq!(run.status, 1, "{}", run.transcript());
    assert_eq!(run.stdout, "");
    invalidate.assert_calls(0);
}

#[test]
fn another_users_key_needs_yes_because_the_permissions_change() {
    let cluster = Cluster::new(false);
    let create = cluster.creates();
    let invalidate = cluster.invalidates(false, 0);
    let refused = run(&cluster.server, &["es", "rotate", "old1"]);
    assert_eq!(refused.status, 2, "{}", refused.transcript());
    assert!(
        refused.stderr.contains("limited by your roles, not theirs"),
        "{}",
        refused.transcript()
    );
    let grace = run(
        &cluster.server,
        &["es", "rotate", "old1", "--grace", "1h", "--yes"],
    );
    assert_eq!(grace.status, 2, "{}", grace.transcript());
    assert!(
        grace.stderr.contains("only on keys you own"),
        "{}",
        grace.transcript()
    );
    create.assert_calls(0);

    let done = run(&cluster.server, &["es", "rotate", "old1", "--yes"]);
    assert_eq!(done.status, 0, "{}", done.transcript());
    create.assert_calls(1);
    invalidate.assert_calls(1);
}

#[test]
fn a_dry_run_shows_the_new_keys_request_and_changes_nothing() {
    let cluster = Cluster::new(true);
    let create = cluster.creates();
    let run = run(&cluster.server, &["es", "rotate", "old1", "--dry-run"]);
    assert_eq!(run.status, 0, "{}", run.transcript());
    assert!(
        run.stdout.starts_with("POST /_security/api_key\n"),
        "{}",
        run.transcript()
    );
    assert!(
        run.stdout.contains("\"expiration\": \"90d\""),
        "{}",
        run.transcript()
    );
    create.assert_calls(0);
}

#[test]
fn a_secret_file_that_exists_stops_the_rotation_before_anything_is_created() {
    let cluster = Cluster::new(true);
    let create = cluster.creates();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("taken.key");
    std::fs::write(&path, "someone else's\n").unwrap();
    let run = run(
        &cluster.server,
        &[
            "es",
            "rotate",
            "old1",
            "--yes",
            "--secret-file",
            path.to_str().unwrap(),
        ],
    );
    assert_eq!(run.status, 2, "{}", run.transcript());
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "someone else's\n");
    create.assert_calls(0);
}

#[test]
fn when_the_grace_cannot_be_set_the_new_secret_is_out_and_the_status_says_so() {
    let cluster = Cluster::new(true);
    let create = cluster.creates();
    let update = cluster.server.security_update_api_key(|when, then| {
        when.id("old1");
        then.into_inner()
            .status(400)
            .header("content-type", "application/json")
            .json_body(json!({"error": {"type": "illegal_argument_exception",
                "reason": "the expiration of an API key can only be updated from 8.13"},
                "status": 400}));
    });
    let run = run(
        &cluster.server,
        &["es", "rotate", "old1", "--grace", "24h", "--yes"],
    );
    assert_eq!(run.status, 5, "{}", run.transcript());
    assert_eq!(run.stdout, format!("{NEW_ENCODED}\n"));
    assert!(
        run.stderr.contains("the old key old1 is still active"),
        "{}",
        run.transcript()
    );
    create.assert_calls(1);
    update.assert_calls(1);
}

/// The old key's name comes from the server; `--dry-run` writes the new key's body as every JSON
/// report is written, so C1 controls, DEL and bidirectional overrides in it are escaped.
#[test]
fn a_dry_run_escapes_what_the_server_named_the_old_key() {
    let server = MockServer::start();
    let mut key = serde_json::to_value(old_key("ci-bot")).unwrap();
    key["api_keys"][0]["name"] = "ci\u{9b}31m-deploy\u{7f}\u{202e}yolpped".into();
    let key: GetApiKeyResponse = serde_json::from_value(key).unwrap();
    server.security_get_api_key(|_, then| {
        then.ok(&key);
    });
    let run = run(&server, &["es", "rotate", "old1", "--dry-run"]);
    assert_eq!(run.status, 0, "{}", run.transcript());
    assert!(
        run.stdout
            .contains(r#""name": "ci\u009b31m-deploy\u007f\u202eyolpped""#),
        "{}",
        run.transcript()
    );
    for raw in ['\u{9b}', '\u{7f}', '\u{202e}'] {
        assert!(!run.stdout.contains(raw), "{raw:?}: {}", run.transcript());
    }
}
