//! `apikeys cloud ...`, run as a user would run it, against the typed mock of Elastic Cloud.

mod support;

use elastic_apikeys_client::cloud::types::{ApiKeyResponse, ApiKeysResponse, BasicFailedReply};
use elastic_apikeys_mock::cloud::MockServerExt;
use elastic_apikeys_mock::httpmock::{Method::GET, MockServer};
use support::{AS_OF, EC_API_KEY, apikeys, body, fixture, settings};

/// A mock Elastic Cloud whose `GET /users/auth/keys` answers with `tests/bodies/cloud-keys.json`
/// to requests that carry the test's API key.
fn cloud_with_keys() -> MockServer {
    let server = MockServer::start();
    let keys: ApiKeysResponse = body("cloud-keys.json");
    server.get_api_keys(|when, then| {
        when.into_inner()
            .header("authorization", format!("ApiKey {EC_API_KEY}"));
        then.ok(&keys);
    });
    server
}

fn env(server: &MockServer) -> [(&'static str, String); 2] {
    [
        ("EC_API_URL", server.base_url()),
        ("EC_API_KEY", EC_API_KEY.to_string()),
    ]
}

fn run_in(server: &MockServer, args: &[&str]) -> support::Run {
    let env = env(server);
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    apikeys(args, &env)
}

#[test]
fn list_as_a_table() {
    let server = cloud_with_keys();
    let run = run_in(&server, &["cloud", "list", "--as-of", AS_OF]);
    assert_eq!(run.status, 0);
    settings().bind(|| insta::assert_snapshot!(run.transcript()));
}

#[test]
fn list_as_json_re_encodes_the_models() {
    let server = cloud_with_keys();
    let run = run_in(&server, &["cloud", "list", "--output", "json"]);
    assert_eq!(run.status, 0);
    let printed: ApiKeysResponse = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(printed, body::<ApiKeysResponse>("cloud-keys.json"));
    settings().bind(|| insta::assert_snapshot!(run.transcript()));
}

#[test]
fn list_as_csv() {
    let server = cloud_with_keys();
    let run = run_in(&server, &["cloud", "list", "-o", "csv", "--as-of", AS_OF]);
    assert_eq!(run.status, 0);
    assert_eq!(
        run.stdout.lines().count(),
        4,
        "a header and one row per key"
    );
    settings().bind(|| insta::assert_snapshot!(run.transcript()));
}

#[test]
fn list_only_keys_expiring_within_a_week() {
    let server = cloud_with_keys();
    let run = run_in(
        &server,
        &["cloud", "list", "--expiring-within", "7d", "--as-of", AS_OF],
    );
    assert_eq!(run.status, 0);
    settings().bind(|| insta::assert_snapshot!(run.transcript()));
}

#[test]
fn fail_if_expiring_exits_3_and_still_lists_every_key() {
    let server = cloud_with_keys();
    let run = run_in(
        &server,
        &[
            "cloud",
            "list",
            "--fail-if-expiring",
            "7d",
            "--as-of",
            AS_OF,
        ],
    );
    assert_eq!(run.status, 3);
    settings().bind(|| insta::assert_snapshot!(run.transcript()));

    // A window that nothing falls into passes. (On 2026-11-22 "old dashboard" has expired, and
    // an expired key stays due.)
    let args = [
        "cloud",
        "list",
        "--fail-if-expiring",
        "1d",
        "--as-of",
        "2026-01-01T00:00:00Z",
    ];
    let quiet = run_in(&server, &args);
    assert_eq!(quiet.status, 0, "{}", quiet.transcript());
}

#[test]
fn get_one_key_never_prints_its_secret() {
    // Only a create response holds `key`, but a server that sent one anyway must not get it
    // printed in any format.
    let server = MockServer::start();
    let key: ApiKeyResponse = fixture("cloud/ApiKeyResponse/create-response-with-secret.json");
    let secret = key.key.as_ref().unwrap().expose_secret().to_string();
    let mock = server.get_api_key(|when, then| {
        when.api_key_id(&key.id);
        then.ok(&key);
    });
    let mut transcripts = Vec::new();
    for output in ["table", "json", "csv"] {
        let run = run_in(
            &server,
            &["cloud", "get", &key.id, "-o", output, "--as-of", AS_OF],
        );
        assert_eq!(run.status, 0, "{}", run.transcript());
        assert!(!run.stdout.contains(&secret), "{}", run.transcript());
        transcripts.push(run.transcript());
    }
    mock.assert_calls(3);

    // One key can be checked on its own, too: it expires on 2027-11-22, in 365 days.
    let check = |window: &str| {
        let args = [
            "cloud",
            "get",
            &key.id,
            "--fail-if-expiring",
            window,
            "--as-of",
            AS_OF,
        ];
        run_in(&server, &args).status
    };
    assert_eq!(check("366d"), 3);
    assert_eq!(check("364d"), 0);
    settings().bind(|| insta::assert_snapshot!(transcripts.join("\n")));
}

#[test]
fn get_an_unknown_key() {
    let server = MockServer::start();
    let reply: BasicFailedReply = fixture("cloud/BasicFailedReply/404-key-not-found.json");
    server.get_api_key(|when, then| {
        when.api_key_id("9a8b7c6d5e4f43218765fedcba098765");
        then.not_found(&reply);
    });
    let run = run_in(
        &server,
        &["cloud", "get", "9a8b7c6d5e4f43218765fedcba098765"],
    );
    assert_eq!(run.status, 1);
    settings().bind(|| insta::assert_snapshot!(run.transcript()));
}

#[test]
fn rejected_credentials_name_the_host_and_the_reason() {
    let server = MockServer::start();
    let reply: BasicFailedReply = fixture("cloud/BasicFailedReply/401-unauthorized.json");
    server.get_api_keys(|_, then| {
        then.unauthorized(&reply);
    });
    let run = run_in(&server, &["cloud", "list"]);
    assert_eq!(run.status, 1);
    settings().bind(|| insta::assert_snapshot!(run.transcript()));
}

#[test]
fn rejected_credentials_without_a_body_give_the_error_code() {
    // Elastic Cloud may answer with its codes in `x-cloud-error-codes` and no body.
    let server = MockServer::start();
    server.mock(|when, then| {
        when.method(GET).path("/users/auth/keys");
        then.status(401)
            .header("x-cloud-error-codes", "root.unauthorized");
    });
    // --verbose traces the request, and not the key it carried.
    let run = run_in(&server, &["cloud", "list", "--verbose"]);
    assert_eq!(run.status, 1);
    settings().bind(|| insta::assert_snapshot!(run.transcript()));
}

#[test]
fn no_api_key_is_a_usage_error_and_nothing_is_sent() {
    let server = MockServer::start();
    let mock = server.get_api_keys(|_, then| {
        then.ok(body::<ApiKeysResponse>("cloud-keys.json"));
    });
    let url = server.base_url();
    let run = apikeys(&["cloud", "list"], &[("EC_API_URL", url.as_str())]);
    assert_eq!(run.status, 2);
    let empty = apikeys(
        &["cloud", "list"],
        &[("EC_API_URL", url.as_str()), ("EC_API_KEY", "")],
    );
    assert_eq!(empty.stderr, run.stderr, "an empty EC_API_KEY is no key");
    assert_eq!(empty.status, 2);
    let no_id = apikeys(&["cloud", "get", ""], &[("EC_API_KEY", EC_API_KEY)]);
    assert_eq!(no_id.status, 2, "{}", no_id.transcript());
    assert_eq!(mock.calls(), 0);
    settings().bind(|| insta::assert_snapshot!(run.transcript()));
}

/// One key whose `creation_date` is not a date-time: it is named on stderr, every other key is
/// listed, and the status is 7.
#[test]
fn a_key_that_cannot_be_read_is_named_and_hides_none_of_the_others() {
    let mut keys = serde_json::to_value(body::<ApiKeysResponse>("cloud-keys.json")).unwrap();
    keys["keys"][1]["creation_date"] = "yesterday".into();
    let unreadable = keys["keys"][1]["id"].as_str().unwrap().to_string();
    let server = MockServer::start();
    server.mock(|when, then| {
        when.method(GET).path("/users/auth/keys");
        then.status(200)
            .header("content-type", "application/json")
            .json_body(keys.clone());
    });
    let run = run_in(&server, &["cloud", "list", "-o", "csv", "--as-of", AS_OF]);
    assert_eq!(run.status, 7, "{}", run.transcript());
    for key in keys["keys"].as_array().unwrap() {
        let id = key["id"].as_str().unwrap();
        assert_eq!(
            run.stdout.contains(id),
            id != unreadable,
            "{}",
            run.transcript()
        );
    }
    assert_eq!(
        run.stderr,
        format!(
            "error: API key {unreadable} (number 2 of the list) could not be read and is not in \
             the report: input contains invalid characters\n\
             1 API key could not be read; every other key is in the report\n"
        ),
        "{}",
        run.transcript()
    );
}
