//! `apikeys cloud create` and `apikeys cloud delete`, run as a user would run them, against the
//! typed mock of Elastic Cloud.

mod support;

use elastic_apikeys_client::cloud::types::{
    ApiKeyResponse, CreateApiKeyRequest, DeleteApiKeysRequest, EmptyResponse,
};
use elastic_apikeys_mock::cloud::MockServerExt;
use elastic_apikeys_mock::httpmock::{Mock, MockServer};
use support::{EC_API_KEY, Run, apikeys};

/// The secret of the key the mock creates.
const NEW_KEY: &str = "essu_TmV3S2V5VGhhdElzT25seVByaW50ZWRPbmNl";

fn run(server: &MockServer, args: &[&str]) -> Run {
    let url = server.base_url();
    apikeys(args, &[("EC_API_URL", &url), ("EC_API_KEY", EC_API_KEY)])
}

fn created() -> ApiKeyResponse {
    serde_json::from_value(serde_json::json!({
        "id": "2ce0be1f3b8c4b5c9a8a3f4e5d6c7b8a",
        "description": "ci-deploy",
        "creation_date": "2026-11-22T12:00:00Z",
        "expiration_date": "2026-12-22T12:00:00Z",
        "key": NEW_KEY
    }))
    .unwrap()
}

fn creating(server: &MockServer) -> elastic_apikeys_mock::httpmock::Mock<'_> {
    let expected: CreateApiKeyRequest = serde_json::from_value(
        serde_json::json!({"description": "ci-deploy", "expiration": "30d"}),
    )
    .unwrap();
    server.create_api_key(|when, then| {
        when.body(&expected);
        then.into_inner()
            .status(201)
            .header("content-type", "application/json")
            .json_body_obj(&created());
    })
}

const CREATE: [&str; 6] = [
    "cloud",
    "create",
    "--description",
    "ci-deploy",
    "--expiration",
    "30d",
];

fn with(extra: &[&'static str]) -> Vec<&'static str> {
    let mut args = CREATE.to_vec();
    args.extend_from_slice(extra);
    args
}

#[test]
fn create_prints_the_key_once_on_stdout_and_nowhere_else() {
    let server = MockServer::start();
    let mock = creating(&server);
    let run = run(&server, &with(&["--yes"]));
    assert_eq!(run.status, 0, "{}", run.transcript());
    assert_eq!(run.stdout, format!("{NEW_KEY}\n"));
    assert!(!run.stderr.contains(NEW_KEY), "{}", run.transcript());
    mock.assert_calls(1);

    let json = self::run(&server, &with(&["--yes", "-o", "json"]));
    assert_eq!(json.status, 0, "{}", json.transcript());
    let printed: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(printed["id"], "2ce0be1f3b8c4b5c9a8a3f4e5d6c7b8a");
    assert_eq!(printed["key"], NEW_KEY);
    assert_eq!(json.stdout.matches(NEW_KEY).count(), 1);
}

#[test]
fn create_with_a_secret_file_and_the_refusals() {
    let server = MockServer::start();
    let mock = creating(&server);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ci.key");
    let path_text: &'static str = Box::leak(path.to_str().unwrap().to_string().into_boxed_str());

    let dry = run(&server, &with(&["--dry-run", "--secret-file", path_text]));
    assert_eq!(dry.status, 0, "{}", dry.transcript());
    assert!(
        dry.stdout.starts_with("POST /users/auth/keys\n"),
        "{}",
        dry.transcript()
    );
    assert!(!path.exists(), "a dry run reserves no file");
    mock.assert_calls(0);

    let done = run(&server, &with(&["--secret-file", path_text]));
    assert_eq!(done.status, 0, "{}", done.transcript());
    assert!(!done.stdout.contains(NEW_KEY) && !done.stderr.contains(NEW_KEY));
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        format!("{NEW_KEY}\n")
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{mode:o}");
    }
    mock.assert_calls(1);

    // The file exists now: it is never overwritten, and nothing is created.
    let refused = run(&server, &with(&["--secret-file", path_text]));
    assert_eq!(refused.status, 2, "{}", refused.transcript());
    assert!(
        refused.stderr.contains("exists already"),
        "{}",
        refused.transcript()
    );
    mock.assert_calls(1);
}

#[test]
fn delete_sends_the_ids_and_reports_each() {
    let server = MockServer::start();
    let expected: DeleteApiKeysRequest =
        serde_json::from_value(serde_json::json!({"keys": ["k1", "k2"]})).unwrap();
    let empty: EmptyResponse = serde_json::from_value(serde_json::json!({})).unwrap();
    let mock = server.delete_api_keys(|when, then| {
        when.body(&expected);
        then.ok(&empty);
    });
    let refused = run(&server, &["cloud", "delete", "k1", "k2"]);
    assert_eq!(refused.status, 2, "{}", refused.transcript());
    assert!(
        refused.stderr.contains("delete 2 API keys on 127.0.0.1:"),
        "{}",
        refused.transcript()
    );
    mock.assert_calls(0);

    let done = run(&server, &["cloud", "delete", "k1", "k2", "--yes"]);
    assert_eq!(done.status, 0, "{}", done.transcript());
    assert_eq!(done.stdout, "deleted k1\ndeleted k2\n");
    mock.assert_calls(1);
}

#[test]
fn administrators_list_and_delete_the_keys_of_other_users() {
    use elastic_apikeys_client::cloud::types::{ApiKeysResponse, DeleteUsersApiKeysRequest};
    let server = MockServer::start();
    let mut one = created();
    one.key = None;
    one.user_id = Some("u1".into());
    let list: ApiKeysResponse = serde_json::from_value(serde_json::json!({"keys": [one]})).unwrap();
    let all = server.get_users_api_keys(|_, then| {
        then.ok(&list);
    });
    let of_user = server.get_user_api_keys(|when, then| {
        when.user_id("u1");
        then.ok(&list);
    });
    let listed = run(&server, &["cloud", "list", "--all-users", "-o", "csv"]);
    assert_eq!(listed.status, 0, "{}", listed.transcript());
    assert!(listed.stdout.contains(",u1,"), "{}", listed.transcript());
    all.assert_calls(1);
    let listed = run(&server, &["cloud", "list", "--user", "u1", "-o", "json"]);
    assert_eq!(listed.status, 0, "{}", listed.transcript());
    of_user.assert_calls(1);

    let expected: DeleteUsersApiKeysRequest = serde_json::from_value(serde_json::json!({
        "user_api_keys": [{"user_id": "u1", "api_key_id": "k1"}]
    }))
    .unwrap();
    let empty: EmptyResponse = serde_json::from_value(serde_json::json!({})).unwrap();
    let some = server.delete_users_api_keys(|when, then| {
        when.body(&expected);
        then.ok(&empty);
    });
    let every = server.delete_user_api_keys(|when, then| {
        when.user_id("u1");
        then.ok(&empty);
    });
    let done = run(&server, &["cloud", "delete", "--user", "u1", "k1", "--yes"]);
    assert_eq!(done.status, 0, "{}", done.transcript());
    some.assert_calls(1);

    let dry = run(&server, &["cloud", "delete", "--user", "u1", "--dry-run"]);
    assert_eq!(dry.status, 0, "{}", dry.transcript());
    assert_eq!(dry.stdout, "DELETE /users/u1/auth/keys\n");
    let refused = run(&server, &["cloud", "delete", "--user", "u1"]);
    assert_eq!(refused.status, 2, "{}", refused.transcript());
    assert!(
        refused.stderr.contains("delete every API key of user u1"),
        "{}",
        refused.transcript()
    );
    every.assert_calls(0);
    let done = run(&server, &["cloud", "delete", "--user", "u1", "--yes"]);
    assert_eq!(done.status, 0, "{}", done.transcript());
    assert_eq!(done.stdout, "deleted every API key of user u1\n");
    every.assert_calls(1);
}

/// The cluster side of a Cloud rotation of `old1`, a 90-day key; `delete_status` is what the
/// delete of the old key answers.
fn rotating(server: &MockServer, delete_status: u16) -> (Mock<'_>, Mock<'_>) {
    let old: ApiKeyResponse = serde_json::from_value(serde_json::json!({
        "id": "old1",
        "description": "ci-deploy",
        "creation_date": "2026-09-01T00:00:00Z",
        "expiration_date": "2026-11-30T00:00:00Z",
        "role_assignments": {"organization": [{"role_id": "billing-admin", "organization_id": "1"}]}
    }))
    .unwrap();
    server.get_api_key(|when, then| {
        when.api_key_id("old1");
        then.ok(&old);
    });
    let expected: CreateApiKeyRequest = serde_json::from_value(serde_json::json!({
        "description": "ci-deploy",
        "expiration": "90d",
        "role_assignments": {"organization": [{"role_id": "billing-admin", "organization_id": "1"}]}
    }))
    .unwrap();
    let create = server.create_api_key(|when, then| {
        when.body(&expected);
        then.into_inner()
            .status(201)
            .header("content-type", "application/json")
            .json_body_obj(&created());
    });
    let delete = server.delete_api_key(|when, then| {
        when.api_key_id("old1");
        then.into_inner()
            .status(delete_status)
            .header("content-type", "application/json")
            .json_body(if delete_status == 200 {
                serde_json::json!({})
            } else {
                serde_json::json!({"errors": [{"code": "root.unauthorized.rbac", "message": "no"}]})
            });
    });
    (create, delete)
}

#[test]
fn a_cloud_rotation_hands_over_the_new_key_then_deletes_the_old_one() {
    let server = MockServer::start();
    let (create, delete) = rotating(&server, 200);
    let run = run(&server, &["cloud", "rotate", "old1", "--yes"]);
    assert_eq!(run.status, 0, "{}", run.transcript());
    assert_eq!(run.stdout, format!("{NEW_KEY}\n"));
    assert!(!run.stderr.contains(NEW_KEY));
    assert!(
        run.stderr.contains("the old API key old1 is deleted"),
        "{}",
        run.transcript()
    );
    create.assert_calls(1);
    delete.assert_calls(1);
}

#[test]
fn a_cloud_rotation_whose_delete_fails_exits_5_with_the_secret_out() {
    let server = MockServer::start();
    let (create, delete) = rotating(&server, 403);
    let run = run(&server, &["cloud", "rotate", "old1", "--yes"]);
    assert_eq!(run.status, 5, "{}", run.transcript());
    assert_eq!(run.stdout, format!("{NEW_KEY}\n"));
    assert!(
        run.stderr
            .contains("finish with: apikeys cloud delete old1"),
        "{}",
        run.transcript()
    );
    create.assert_calls(1);
    delete.assert_calls(1);
}

/// Creating destroys nothing, so it asks nothing: not a script, not a terminal.
#[test]
fn create_asks_nothing_from_a_script_or_on_a_terminal() {
    let server = MockServer::start();
    let mock = creating(&server);
    let script = run(&server, &CREATE);
    assert_eq!(script.status, 0, "{}", script.transcript());
    assert_eq!(script.stdout, format!("{NEW_KEY}\n"));
    mock.assert_calls(1);

    let url = server.base_url();
    let terminal = support::in_pseudo_terminal(
        "\"$APIKEYS\" cloud create --description ci-deploy --expiration 30d",
        &[("EC_API_URL", &url), ("EC_API_KEY", EC_API_KEY)],
    );
    let shown = String::from_utf8_lossy(&terminal.stdout);
    assert_eq!(terminal.status.code(), Some(0), "{shown:?}");
    assert!(!shown.contains("Proceed?"), "{shown:?}");
    assert_eq!(shown.matches(NEW_KEY).count(), 1, "{shown:?}");
    mock.assert_calls(2);
}
