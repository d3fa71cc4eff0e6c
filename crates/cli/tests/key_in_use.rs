//! The Elastic Cloud API key a run uses: Elastic Cloud tells its expiry on every answer
//! (`X-Elastic-Api-Key-Expiration`), and an expired key vanishes from the list, so `apikeys`
//! warns when it expires within 14 days, `--fail-if-expiring` counts it, and `audit` shows it
//! for each Cloud target. Judged at `--as-of`, against a loopback server.

mod support;

use elastic_apikeys_client::cloud::types::ApiKeysResponse;
use elastic_apikeys_mock::cloud::MockServerExt;
use elastic_apikeys_mock::httpmock::MockServer;
use support::{AS_OF, EC_API_KEY, Run, apikeys};

/// A Cloud organisation whose answers say the key in use expires at `expires`. Its list is
/// empty: the key in use is the only one that can be due, and (expired) it is not listed.
fn organisation(expires: Option<&str>) -> MockServer {
    let server = MockServer::start();
    let keys: ApiKeysResponse = serde_json::from_str(r#"{"keys": []}"#).unwrap();
    server.get_api_keys(|when, then| {
        when.into_inner()
            .header("authorization", format!("ApiKey {EC_API_KEY}"));
        let mut then = then.into_inner();
        if let Some(expires) = expires {
            then = then.header("X-Elastic-Api-Key-Expiration", expires);
        }
        then.status(200)
            .header("content-type", "application/json")
            .json_body_obj(&keys);
    });
    server
}

fn list(server: &MockServer, extra: &[&str]) -> Run {
    let mut args = vec!["cloud", "list", "-o", "csv", "--as-of", AS_OF];
    args.extend_from_slice(extra);
    apikeys(
        &args,
        &[
            ("EC_API_URL", &server.base_url()),
            ("EC_API_KEY", EC_API_KEY),
        ],
    )
}

const SOON: &str = "2026-11-25T12:00:00Z";

#[test]
fn a_key_in_use_that_expires_within_14_days_is_warned_of_and_counted() {
    let server = organisation(Some(SOON));
    let run = list(&server, &[]);
    assert_eq!(run.status, 0, "{}", run.transcript());
    assert_eq!(
        run.stderr,
        "warning: the Elastic Cloud API key in use (EC_API_KEY or --api-key) expires 2026-11-25 \
         12:00 UTC (in 3 days); replace it before then: an expired key is gone from the key \
         list, and every request with it fails\n",
        "{}",
        run.transcript()
    );

    let failing = list(&server, &["--fail-if-expiring", "7d"]);
    assert_eq!(failing.status, 3, "{}", failing.transcript());
    assert!(
        failing
            .stderr
            .contains("the API key in use (EC_API_KEY or --api-key)"),
        "{}",
        failing.transcript()
    );
    // Out of the window, it is not due.
    let later = list(&server, &["--fail-if-expiring", "2d"]);
    assert_eq!(later.status, 0, "{}", later.transcript());
}

#[test]
fn a_key_in_use_far_from_its_expiry_or_without_one_says_nothing() {
    for expires in [Some("Tue, 22 Dec 2026 12:00:00 GMT"), None] {
        let server = organisation(expires);
        let run = list(&server, &["--fail-if-expiring", "7d"]);
        assert_eq!(run.status, 0, "{}", run.transcript());
        assert_eq!(run.stderr, "", "{}", run.transcript());
    }
}

#[test]
fn an_unreadable_expiry_is_said_without_quoting_it() {
    let server = organisation(Some("s3cr3t-looking value"));
    let run = list(&server, &[]);
    assert_eq!(run.status, 0, "{}", run.transcript());
    assert_eq!(
        run.stderr,
        "warning: when the API key in use expires is not known: the \
         x-elastic-api-key-expiration header cannot be read: it is neither an RFC 3339 date nor \
         an HTTP date\n",
        "{}",
        run.transcript()
    );
}

#[test]
fn audit_shows_the_key_in_use_of_each_cloud_target() {
    let soon = organisation(Some(SOON));
    let far = organisation(Some("2027-06-01T00:00:00Z"));
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    support::write_config(
        &config,
        &format!(
            "[profiles.org]\nservice = \"cloud\"\nurl = \"{}\"\napi_key = {{ env = \"ORG_KEY\" }}\n\n\
             [profiles.other]\nservice = \"cloud\"\nurl = \"{}\"\napi_key = {{ env = \"ORG_KEY\" }}\n",
            soon.base_url(),
            far.base_url()
        ),
    );
    let config = config.to_str().unwrap();
    let env = [("APIKEYS_CONFIG", config), ("ORG_KEY", EC_API_KEY)];
    let run = apikeys(&["audit", "-o", "csv", "--as-of", AS_OF], &env);
    assert_eq!(run.status, 0, "{}", run.transcript());
    assert!(
        run.stderr.contains(
            "warning: org: the Elastic Cloud API key in use expires 2026-11-25 12:00 UTC (in 3 \
             days)\n"
        ),
        "{}",
        run.transcript()
    );
    assert!(
        run.stderr.contains(
            "other: the Elastic Cloud API key in use expires 2027-06-01 00:00 UTC (in 6 months)\n"
        ),
        "{}",
        run.transcript()
    );
    let failing = apikeys(
        &[
            "audit",
            "-o",
            "csv",
            "--as-of",
            AS_OF,
            "--fail-if-expiring",
            "7d",
        ],
        &env,
    );
    assert_eq!(failing.status, 3, "{}", failing.transcript());
    assert!(
        failing.stderr.ends_with(
            "1 API key expires within 7d, or expired already: org: the API key in use\n"
        ),
        "{}",
        failing.transcript()
    );
}
