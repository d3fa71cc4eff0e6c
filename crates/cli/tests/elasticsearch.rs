//! `apikeys es list`, run as a user would run it, against the typed mock of Elasticsearch.

mod support;

use std::time::Duration;

use elastic_apikeys_client::elasticsearch::types::{ErrorResponse, GetApiKeyResponse};
use elastic_apikeys_mock::elasticsearch::MockServerExt;
use elastic_apikeys_mock::httpmock::{Method::GET, MockServer};
use support::{
    AS_OF, BASIC_CREDENTIALS, ELASTIC_API_KEY, ELASTIC_PASSWORD, Run, apikeys, body, fixture,
    settings,
};

/// The environment of a run against `server` with the test's encoded API key.
fn with_api_key(server: &MockServer) -> Vec<(&'static str, String)> {
    vec![
        ("ELASTICSEARCH_URL", server.base_url()),
        ("ELASTIC_API_KEY", ELASTIC_API_KEY.to_string()),
    ]
}

fn run_with(env: &[(&str, String)], args: &[&str]) -> Run {
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    apikeys(args, &env)
}

/// A mock cluster that answers any `GET /_security/api_key` carrying the test's API key with
/// `tests/bodies/es-cluster.json`.
fn cluster() -> MockServer {
    let server = MockServer::start();
    let keys: GetApiKeyResponse = body("es-cluster.json");
    server.security_get_api_key(|when, then| {
        when.into_inner()
            .header("authorization", format!("ApiKey {ELASTIC_API_KEY}"));
        then.ok(&keys);
    });
    server
}

fn list(server: &MockServer, args: &[&str]) -> Run {
    let mut all = vec!["es", "list"];
    all.extend_from_slice(args);
    run_with(&with_api_key(server), &all)
}

#[test]
fn list_as_a_table() {
    let server = cluster();
    let run = list(&server, &["--as-of", AS_OF]);
    assert_eq!(run.status, 0);
    settings().bind(|| insta::assert_snapshot!(run.transcript()));
}

#[test]
fn list_as_json_keeps_everything_the_cluster_sent() {
    let server = cluster();
    let run = list(&server, &["-o", "json"]);
    assert_eq!(run.status, 0);
    let printed: GetApiKeyResponse = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(printed, body::<GetApiKeyResponse>("es-cluster.json"));
    settings().bind(|| insta::assert_snapshot!(run.transcript()));
}

#[test]
fn list_as_csv() {
    let server = cluster();
    let run = list(&server, &["-o", "csv", "--as-of", AS_OF]);
    assert_eq!(run.status, 0);
    assert_eq!(
        run.stdout.lines().count(),
        7,
        "a header and one row per key"
    );
    settings().bind(|| insta::assert_snapshot!(run.transcript()));
}

#[test]
fn filters_by_type_invalidation_and_expiry() {
    let server = cluster();
    let runs = [
        list(&server, &["--type", "cross_cluster", "--as-of", AS_OF]),
        list(&server, &["--type", "rest", "-o", "csv", "--as-of", AS_OF]),
        list(&server, &["--invalidated", "-o", "csv", "--as-of", AS_OF]),
        // old-ingest expires in 6 days but is invalidated: it does not count.
        list(
            &server,
            &["--expiring-within", "7d", "-o", "csv", "--as-of", AS_OF],
        ),
        list(
            &server,
            &["--expiring-within", "30d", "-o", "csv", "--as-of", AS_OF],
        ),
        list(
            &server,
            &["--type", "cross_cluster", "--invalidated", "--as-of", AS_OF],
        ),
    ];
    for run in &runs {
        assert_eq!(run.status, 0, "{}", run.transcript());
    }
    let transcripts: Vec<String> = runs.iter().map(Run::transcript).collect();
    settings().bind(|| insta::assert_snapshot!(transcripts.join("\n")));
}

#[test]
fn keys_from_older_clusters_have_no_type_and_count_as_rest() {
    let server = MockServer::start();
    let keys: GetApiKeyResponse = fixture("elasticsearch/GetApiKeyResponse/type-absent-8-9.json");
    server.security_get_api_key(|_, then| {
        then.ok(&keys);
    });
    let run = list(&server, &["--type", "rest", "--as-of", AS_OF]);
    assert_eq!(run.status, 0);
    assert!(
        run.stdout.contains("ingest-pipeline"),
        "{}",
        run.transcript()
    );
    let none = list(&server, &["--type", "cross_cluster", "--as-of", AS_OF]);
    assert_eq!(none.stdout, "No API keys.\n");
}

#[test]
fn names_that_are_null_or_hostile_stay_readable() {
    // A 7.x grant-API key has no name; a name may hold anything, terminal escapes included.
    let server = MockServer::start();
    let mut keys: GetApiKeyResponse =
        fixture("elasticsearch/GetApiKeyResponse/name-null-7x-grant.json");
    let mut hostile = keys.api_keys[0].clone();
    hostile.id = "e3ZpbGxhaW4tbmFtZWQ".into();
    hostile.name = Some("clear\u{1b}[2J screen\nand a second line".into());
    keys.api_keys.push(hostile);
    server.security_get_api_key(|_, then| {
        then.ok(&keys);
    });
    let table = list(&server, &["--as-of", AS_OF]);
    let csv = list(&server, &["-o", "csv", "--as-of", AS_OF]);
    assert!(!table.stdout.contains('\u{1b}'), "{}", table.transcript());
    let rows: Vec<Vec<String>> = csv::Reader::from_reader(csv.stdout.as_bytes())
        .records()
        .map(|record| record.unwrap().iter().map(str::to_string).collect())
        .collect();
    assert_eq!(
        rows[1][1], "clear\u{1b}[2J screen\nand a second line",
        "CSV keeps the value"
    );
    settings()
        .bind(|| insta::assert_snapshot!(format!("{}\n{}", table.transcript(), csv.transcript())));
}

#[test]
fn the_query_flags_reach_elasticsearch() {
    let server = MockServer::start();
    let keys: GetApiKeyResponse = body("es-cluster.json");
    let owned = server.security_get_api_key(|when, then| {
        when.owner(true)
            .active_only(true)
            .with_limited_by(true)
            .with_profile_uid(true);
        then.ok(&keys);
    });
    let by_user = server.security_get_api_key(|when, then| {
        when.username("ci-bot").realm_name("native1");
        then.ok(&keys);
    });
    let by_name = server.security_get_api_key(|when, then| {
        when.name("ci-*");
        then.ok(&keys);
    });
    let args = [
        "--owner",
        "--active-only",
        "--with-limited-by",
        "--with-profile-uid",
    ];
    assert_eq!(list(&server, &args).status, 0);
    owned.assert();
    assert_eq!(
        list(&server, &["--username", "ci-bot", "--realm", "native1"]).status,
        0
    );
    by_user.assert();
    assert_eq!(list(&server, &["--name", "ci-*"]).status, 0);
    by_name.assert();
}

#[test]
fn flags_left_off_are_not_sent() {
    let server = MockServer::start();
    let keys: GetApiKeyResponse = body("es-cluster.json");
    let any = server.mock(|when, then| {
        when.method(GET)
            .path("/_security/api_key")
            .query_param_missing("owner")
            .query_param_missing("active_only")
            .query_param_missing("with_limited_by")
            .query_param_missing("with_profile_uid");
        then.status(200).json_body_obj(&keys);
    });
    assert_eq!(list(&server, &[]).status, 0);
    any.assert();
}

#[test]
fn request_rules_are_checked_before_sending() {
    let server = MockServer::start();
    let mock = server.security_get_api_key(|_, then| {
        then.ok(body::<GetApiKeyResponse>("es-cluster.json"));
    });
    let runs = [
        list(&server, &["--id", "VuaCfGcBCdbkQm-e5aOx", "--name", "ci-*"]),
        list(&server, &["--owner", "--username", "ci-bot", "--id", "x"]),
    ];
    for run in &runs {
        assert_eq!(run.status, 2, "{}", run.transcript());
    }
    assert_eq!(mock.calls(), 0, "nothing was sent");
    let transcripts: Vec<String> = runs.iter().map(Run::transcript).collect();
    settings().bind(|| insta::assert_snapshot!(transcripts.join("\n")));
}

#[test]
fn empty_values_are_refused_rather_than_widening_the_query() {
    // `--id "$ID"` with ID unset must not list every key.
    let server = MockServer::start();
    let mock = server.security_get_api_key(|_, then| {
        then.ok(body::<GetApiKeyResponse>("es-cluster.json"));
    });
    let runs = [
        list(&server, &["--id", ""]),
        list(&server, &["--name", ""]),
        list(&server, &["--username", ""]),
        list(&server, &["--realm", ""]),
    ];
    for run in &runs {
        assert_eq!(run.status, 2, "{}", run.transcript());
        assert!(
            run.stderr.contains("a value is required"),
            "{}",
            run.transcript()
        );
    }
    assert_eq!(mock.calls(), 0, "nothing was sent");
}

#[test]
fn an_unknown_id() {
    // Elasticsearch answers an unknown `id` with 404 and an empty list, not an error body.
    let server = MockServer::start();
    server.mock(|when, then| {
        when.method(GET)
            .path("/_security/api_key")
            .query_param("id", "no-such-key");
        then.status(404)
            .header("content-type", "application/json")
            .body(r#"{"api_keys":[]}"#);
    });
    let run = list(&server, &["--id", "no-such-key"]);
    assert_eq!(run.status, 1);
    settings().bind(|| insta::assert_snapshot!(run.transcript()));
}

#[test]
fn rejected_credentials_name_the_host_and_the_reason() {
    let server = MockServer::start();
    let reply: ErrorResponse = fixture("elasticsearch/ErrorResponse/401-expired-api-key.json");
    server.security_get_api_key(|_, then| {
        then.unauthorized(&reply);
    });
    let run = list(&server, &[]);
    assert_eq!(run.status, 1);
    settings().bind(|| insta::assert_snapshot!(run.transcript()));
}

#[test]
fn a_401_without_an_error_body_is_still_rejected_credentials() {
    let server = MockServer::start();
    server.mock(|when, then| {
        when.method(GET).path("/_security/api_key");
        then.status(401)
            .header("content-type", "text/html")
            .body("<html><body>401 Authorization Required</body></html>");
    });
    let run = list(&server, &[]);
    assert_eq!(run.status, 1);
    settings().bind(|| insta::assert_snapshot!(run.transcript()));
}

#[test]
fn server_text_cannot_drive_the_terminal() {
    let server = MockServer::start();
    let mut reply: ErrorResponse = fixture("elasticsearch/ErrorResponse/401-expired-api-key.json");
    reply.error.reason = elastic_apikeys_client::models::Nullable::Value(
        "bad\u{1b}]0;pwned\u{7} key \u{202E}desrever".into(),
    );
    server.security_get_api_key(|_, then| {
        then.unauthorized(&reply);
    });
    let run = list(&server, &[]);
    assert_eq!(run.status, 1);
    assert!(
        !run.stderr.contains(['\u{1b}', '\u{7}', '\u{202E}']),
        "{}",
        run.transcript()
    );
    settings().bind(|| insta::assert_snapshot!(run.transcript()));
}

#[test]
fn missing_privileges_say_which() {
    let server = MockServer::start();
    let reply: ErrorResponse =
        fixture("elasticsearch/ErrorResponse/403-workflow-restricted-api-key.json");
    server.security_get_api_key(|_, then| {
        then.forbidden(&reply);
    });
    let run = list(&server, &[]);
    assert_eq!(run.status, 1);
    settings().bind(|| insta::assert_snapshot!(run.transcript()));
}

#[test]
fn a_proxy_page_instead_of_json() {
    let server = MockServer::start();
    server.mock(|when, then| {
        when.method(GET).path("/_security/api_key");
        then.status(502)
            .header("content-type", "text/html")
            .body("<html><body><h1>502 Bad Gateway</h1></body></html>");
    });
    let env = with_api_key(&server);
    // No retries here: the client's retry of a 502 is its own tests' business.
    let run = run_with(&env, &["es", "list"]);
    assert_eq!(run.status, 1);
    settings().bind(|| insta::assert_snapshot!(run.transcript()));
}

#[test]
fn a_connection_failure_names_the_url() {
    // A port that was just free: nothing listens there.
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let env = [
        ("ELASTICSEARCH_URL", format!("http://127.0.0.1:{port}")),
        ("ELASTIC_API_KEY", ELASTIC_API_KEY.to_string()),
    ];
    let run = run_with(&env, &["es", "list"]);
    assert_eq!(run.status, 1);
    assert!(
        run.stderr
            .contains(&format!("http://127.0.0.1:{port}/_security/_query/api_key")),
        "{}",
        run.transcript()
    );
    settings().bind(|| insta::assert_snapshot!(run.transcript()));
}

#[test]
fn basic_auth_from_the_environment_with_verbose_traces() {
    let server = MockServer::start();
    let keys: GetApiKeyResponse = body("es-cluster.json");
    let mock = server.security_get_api_key(|when, then| {
        when.owner(true)
            .into_inner()
            .header("authorization", format!("Basic {BASIC_CREDENTIALS}"));
        then.ok(&keys);
    });
    let env = [
        ("ELASTICSEARCH_URL", server.base_url()),
        ("ELASTIC_USERNAME", "elastic".to_string()),
        ("ELASTIC_PASSWORD", ELASTIC_PASSWORD.to_string()),
    ];
    let run = run_with(
        &env,
        &[
            "es",
            "list",
            "--owner",
            "--verbose",
            "-o",
            "csv",
            "--as-of",
            AS_OF,
        ],
    );
    assert_eq!(run.status, 0, "{}", run.transcript());
    mock.assert();
    settings().bind(|| insta::assert_snapshot!(run.transcript()));
}

#[test]
fn typed_credentials_beat_the_environment_and_api_keys_beat_passwords() {
    // The mock tells which credentials came by the key it answers with.
    let server = MockServer::start();
    let answer = |name: &str| {
        let mut keys: GetApiKeyResponse = body("es-cluster.json");
        keys.api_keys.truncate(1);
        keys.api_keys[0].name = Some(name.into());
        keys
    };
    let (by_key, by_password) = (answer("by-api-key"), answer("by-password"));
    server.security_get_api_key(|when, then| {
        when.into_inner()
            .header("authorization", format!("ApiKey {ELASTIC_API_KEY}"));
        then.ok(&by_key);
    });
    server.security_get_api_key(|when, then| {
        when.into_inner()
            .header("authorization", format!("Basic {BASIC_CREDENTIALS}"));
        then.ok(&by_password);
    });
    let url = ("ELASTICSEARCH_URL", server.base_url());
    let key = ("ELASTIC_API_KEY", ELASTIC_API_KEY.to_string());
    let user = ("ELASTIC_USERNAME", "elastic".to_string());
    let password = ("ELASTIC_PASSWORD", ELASTIC_PASSWORD.to_string());
    let all = [url.clone(), key.clone(), user.clone(), password.clone()];
    let no_key = [url.clone(), user.clone(), password.clone()];
    let no_user = [url.clone(), key.clone(), password.clone()];
    let no_password = [url.clone(), key.clone(), user.clone()];
    let only_url = [url.clone()];
    // The environment, the flags, and whose answer comes back.
    type Case<'a> = (&'a [(&'a str, String)], &'a [&'a str], &'a str);
    let cases: [Case; 6] = [
        (&all, &[], "by-api-key"),
        (&no_key, &[], "by-password"),
        (&no_key, &["--api-key", ELASTIC_API_KEY], "by-api-key"),
        (&no_user, &["--auth-user", "elastic"], "by-password"),
        (
            &no_password,
            &["--auth-password", ELASTIC_PASSWORD],
            "by-password",
        ),
        // A typed key wins even over a typed user who has no password.
        (
            &only_url,
            &["--api-key", ELASTIC_API_KEY, "--auth-user", "bob"],
            "by-api-key",
        ),
    ];
    for (env, flags, expected) in cases {
        let mut args = vec!["es", "list", "-o", "csv"];
        args.extend_from_slice(flags);
        let run = run_with(env, &args);
        assert_eq!(run.status, 0, "{}", run.transcript());
        assert!(
            run.stdout.contains(expected),
            "expected {expected}: {}",
            run.transcript()
        );
    }
}

#[test]
fn credentials_given_as_flags_or_in_the_url_are_never_printed() {
    let server = cluster();
    let dashed = server.security_get_api_key(|when, then| {
        let basic = format!("Basic {}", support::DASHED_BASIC_CREDENTIALS);
        when.into_inner().header("authorization", basic);
        then.ok(body::<GetApiKeyResponse>("es-cluster.json"));
    });
    let with_credentials = server
        .base_url()
        .replace("http://", &format!("http://elastic:{ELASTIC_PASSWORD}@"));
    let runs = [
        // The client refuses credentials in the URL; neither the refusal nor --verbose shows them.
        run_with(
            &[("ELASTIC_API_KEY", ELASTIC_API_KEY.to_string())],
            &["es", "list", "-v", "--url", &with_credentials],
        ),
        run_with(
            &[("EC_API_KEY", support::EC_API_KEY.to_string())],
            &["cloud", "list", "-v", "--url", &with_credentials],
        ),
        // A password that looks like a flag is taken as the password, not echoed as a bad flag.
        run_with(
            &[("ELASTICSEARCH_URL", server.base_url())],
            &[
                "es",
                "list",
                "-v",
                "--auth-user",
                "elastic",
                "--auth-password",
                support::DASHED_PASSWORD,
                "-o",
                "csv",
                "--as-of",
                AS_OF,
            ],
        ),
    ];
    assert_eq!(runs[0].status, 2, "{}", runs[0].transcript());
    assert_eq!(runs[1].status, 2, "{}", runs[1].transcript());
    assert_eq!(runs[2].status, 0, "{}", runs[2].transcript());
    dashed.assert();
    let transcripts: Vec<String> = runs.iter().map(Run::transcript).collect();
    settings().bind(|| insta::assert_snapshot!(transcripts.join("\n")));
}

#[test]
fn expiry_beyond_the_calendar_is_shown_as_sent_and_still_judged() {
    let server = MockServer::start();
    let mut keys: GetApiKeyResponse = body("es-cluster.json");
    keys.api_keys.truncate(2);
    keys.api_keys[0].expiration = Some(9_000_000_000_000_000);
    keys.api_keys[1].expiration = Some(-9_000_000_000_000_000);
    server.security_get_api_key(|_, then| {
        then.ok(&keys);
    });
    let table = list(&server, &["--fail-if-expiring", "7d", "--as-of", AS_OF]);
    // The far future is not due; the far past is.
    assert_eq!(table.status, 3, "{}", table.transcript());
    let csv = list(&server, &["-o", "csv", "--as-of", AS_OF]);
    settings()
        .bind(|| insta::assert_snapshot!(format!("{}\n{}", table.transcript(), csv.transcript())));
}

#[test]
fn missing_settings_are_usage_errors() {
    let runs = [
        run_with(&[], &["es", "list"]),
        run_with(
            &[("ELASTICSEARCH_URL", "http://127.0.0.1:9".to_string())],
            &["es", "list"],
        ),
        run_with(
            &[
                ("ELASTICSEARCH_URL", "http://127.0.0.1:9".to_string()),
                ("ELASTIC_USERNAME", "elastic".to_string()),
            ],
            &["es", "list"],
        ),
        run_with(
            &[
                ("ELASTICSEARCH_URL", "localhost:9200".to_string()),
                ("ELASTIC_API_KEY", ELASTIC_API_KEY.to_string()),
            ],
            &["es", "list"],
        ),
        // Empty variables, as a script may leave them, count as unset.
        run_with(
            &[
                ("ELASTICSEARCH_URL", "http://127.0.0.1:9".to_string()),
                ("ELASTIC_API_KEY", String::new()),
                ("ELASTIC_USERNAME", String::new()),
            ],
            &["es", "list"],
        ),
        run_with(&[], &["es", "list", "--expiring-within", "7x"]),
        run_with(&[], &["es", "list", "--type", "admin"]),
    ];
    for run in &runs {
        assert_eq!(run.status, 2, "{}", run.transcript());
    }
    let transcripts: Vec<String> = runs.iter().map(Run::transcript).collect();
    settings().bind(|| insta::assert_snapshot!(transcripts.join("\n")));
}

#[test]
fn no_spinner_when_stderr_is_not_a_terminal() {
    let server = MockServer::start();
    let keys: GetApiKeyResponse = body("es-cluster.json");
    server.security_get_api_key(|_, then| {
        then.ok(&keys)
            .into_inner()
            .delay(Duration::from_millis(600));
    });
    let run = list(&server, &["-o", "csv"]);
    assert_eq!(run.status, 0);
    assert_eq!(run.stderr, "", "stderr holds messages only");
}

#[test]
fn policies_list_each_breach_with_its_reason_and_exit_4() {
    let server = cluster();
    let run = list(
        &server,
        &[
            "--as-of",
            AS_OF,
            "--require-expiration",
            "--max-lifetime",
            "400d",
            "--max-age",
            "365d",
            "--fail-if-expiring",
            "7d",
            "-o",
            "csv",
        ],
    );
    assert_eq!(run.status, 4, "{}", run.transcript());
    let policy: Vec<&str> = run
        .stderr
        .lines()
        .filter(|line| line.starts_with("policy: "))
        .collect();
    assert_eq!(
        policy,
        [
            "policy: zJ4I7U0Nw4c3JI9s_L1m: never expires (--require-expiration)",
            "policy: zJ4I7U0Nw4c3JI9s_L1m: never expires, so lives longer than --max-lifetime 400d",
            "policy: zJ4I7U0Nw4c3JI9s_L1m: created 460d ago, longer than --max-age 365d",
        ],
        "{}",
        run.transcript()
    );
    // The expiring keys are still named; the report lists every key.
    assert!(
        run.stderr.contains("expire within 7d"),
        "{}",
        run.transcript()
    );
    assert_eq!(run.stdout.lines().count(), 7);

    let kept = list(&server, &["--as-of", AS_OF, "--max-age", "1000d"]);
    assert_eq!(kept.status, 0, "{}", kept.transcript());
}

#[test]
fn every_format_streams_the_keys_so_the_body_limit_does_not_apply() {
    let server = cluster();
    // The body is larger than this; a list read whole would be refused.
    let csv = list(
        &server,
        &["-o", "csv", "--max-body-size", "1KiB", "--as-of", AS_OF],
    );
    assert_eq!(csv.status, 0, "{}", csv.transcript());
    assert_eq!(csv.stdout.lines().count(), 7, "{}", csv.transcript());
    let json = list(&server, &["-o", "json", "--max-body-size", "1KiB"]);
    assert_eq!(json.status, 0, "{}", json.transcript());
    assert_eq!(json.stdout, list(&server, &["-o", "json"]).stdout);
    // The table holds the text of its rows, which the limit bounds: 6 rows fit in 1 KiB, and
    // not in 100 bytes.
    let table = list(&server, &["--max-body-size", "1KiB", "--as-of", AS_OF]);
    assert_eq!(table.status, 0, "{}", table.transcript());
    assert_eq!(table.stdout.lines().count(), 8, "{}", table.transcript());
    let small = list(&server, &["--max-body-size", "100", "--as-of", AS_OF]);
    assert_eq!(small.status, 1, "{}", small.transcript());
    assert_eq!(small.stdout, "");
    assert!(
        small.stderr.contains(
            "grew past the limit of 100 bytes (--max-body-size); raise the limit, ask for fewer \
             keys, or use -o csv, json or jsonl, which hold no list"
        ),
        "{}",
        small.transcript()
    );

    let lines = list(&server, &["-o", "jsonl", "--type", "cross_cluster"]);
    assert_eq!(lines.status, 0, "{}", lines.transcript());
    let keys: Vec<serde_json::Value> = lines
        .stdout
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(keys.len(), 1, "{}", lines.transcript());
    assert_eq!(keys[0]["type"], "cross_cluster");
}

/// A mock cluster that answers with `n` keys of the workspace's generated bodies (real shapes:
/// role descriptors, metadata, `limited_by`, cross-cluster and invalidated keys), and the keys.
fn many(n: usize) -> (MockServer, GetApiKeyResponse) {
    let keys: GetApiKeyResponse =
        serde_json::from_str(&elastic_apikeys_tests::bodies::elasticsearch_keys(n)).unwrap();
    let server = MockServer::start();
    server.security_get_api_key(|_, then| {
        then.ok(&keys);
    });
    (server, keys)
}

#[test]
fn json_written_key_by_key_is_the_document_read_whole() {
    let (server, keys) = many(300);
    // What `-o json` wrote when it read the list whole: the model, pretty, and a newline (the
    // escaping changes nothing in these keys, which the snapshots of hostile keys cover).
    let whole =
        |keys: &GetApiKeyResponse| format!("{}\n", serde_json::to_string_pretty(keys).unwrap());
    let run = list(&server, &["-o", "json"]);
    assert_eq!(run.status, 0, "{}", run.transcript());
    assert!(run.stdout == whole(&keys), "the documents differ");
    let printed: GetApiKeyResponse = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(printed, keys);

    // Filtered, and filtered down to nothing.
    let mut cross = keys.clone();
    cross
        .api_keys
        .retain(|key| key.type_.as_ref().map(|t| t.as_str()) == Some("cross_cluster"));
    assert!(!cross.api_keys.is_empty() && cross.api_keys.len() < keys.api_keys.len());
    let run = list(&server, &["-o", "json", "--type", "cross_cluster"]);
    assert_eq!(run.status, 0, "{}", run.transcript());
    assert!(run.stdout == whole(&cross), "the filtered documents differ");
    let run = list(
        &server,
        &[
            "-o",
            "json",
            "--expiring-within",
            "1s",
            "--as-of",
            "1970-01-01T00:00:00Z",
        ],
    );
    assert_eq!(run.status, 0, "{}", run.transcript());
    assert_eq!(run.stdout, "{\n  \"api_keys\": []\n}\n");
}

#[test]
fn a_table_of_many_keys_shows_and_judges_every_one() {
    let n = 2_000;
    let (server, keys) = many(n);
    let run = list(&server, &["--as-of", AS_OF]);
    assert_eq!(run.status, 0, "{}", run.transcript());
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), n + 2, "headers, a row per key, the count");
    assert_eq!(lines[n + 1], "2,000 keys");
    // Each row under its headers: every value starts where its header does.
    let header = lines[0];
    let columns: Vec<usize> = [
        "ID", "NAME", "TYPE", "OWNER", "REALM", "CREATED", "EXPIRES", "STATUS",
    ]
    .iter()
    .map(|h| header.find(h).unwrap())
    .collect();
    for (line, key) in lines[1..=n].iter().zip(&keys.api_keys) {
        assert!(line.is_ascii(), "{line}");
        for pair in columns.windows(2) {
            let value = &line[pair[0]..pair[1]];
            assert!(!value.starts_with(' ') && value.ends_with("  "), "{line}");
        }
        assert!(line.starts_with(&format!("{} ", key.id)), "{line}");
        let status = &line[columns[7]..];
        assert!(
            ["active", "expired", "invalidated"].contains(&status),
            "{line}"
        );
    }

    // The checks see every key, as they did when the list was read whole.
    let as_of_ms = 1_795_348_800_000_i64; // AS_OF
    let week_ms = 7 * 86_400_000;
    let due = keys
        .api_keys
        .iter()
        .filter(|key| !key.invalidated && key.expiration.is_some_and(|ms| ms <= as_of_ms + week_ms))
        .count();
    let never = keys
        .api_keys
        .iter()
        .filter(|key| !key.invalidated && key.expiration.is_none())
        .count();
    assert!(due > 10 && never > 0, "{due} due, {never} never expire");
    let expiring = list(&server, &["--as-of", AS_OF, "--fail-if-expiring", "7d"]);
    assert_eq!(expiring.status, 3, "{}", expiring.stderr);
    assert_eq!(expiring.stdout, run.stdout);
    // Counted as the message counts: `1,234`.
    let due_text = match due {
        0..1000 => due.to_string(),
        _ => format!("{},{:03}", due / 1000, due % 1000),
    };
    let count = format!("{due_text} API keys expire within 7d");
    assert!(expiring.stderr.starts_with(&count), "{}", expiring.stderr);
    let policy = list(
        &server,
        &[
            "--as-of",
            AS_OF,
            "--require-expiration",
            "--fail-if-expiring",
            "7d",
        ],
    );
    assert_eq!(policy.status, 4, "{}", policy.stderr);
    assert_eq!(
        policy
            .stderr
            .lines()
            .filter(|l| l.starts_with("policy: "))
            .count(),
        never
    );
}

/// Without `--as-of`, expiry is judged by the clock `apikeys` runs under: the test's own clock,
/// read here, not a date written into the test. CI runs the suite again with the clock years
/// ahead (libfaketime); this test fails there if the binary does not see that clock too.
#[test]
fn without_as_of_expiry_is_judged_by_the_clock_the_binary_runs_under() {
    let now_ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("the clock is after 1970")
        .as_millis();
    let now_ms = i64::try_from(now_ms).expect("milliseconds since 1970 fit an i64");
    let day_ms = 86_400_000;
    let mut keys: GetApiKeyResponse = body("es-cluster.json");
    keys.api_keys.truncate(2);
    for key in &mut keys.api_keys {
        key.invalidated = false;
        key.creation = now_ms - 30 * day_ms;
    }
    keys.api_keys[0].expiration = Some(now_ms - day_ms);
    keys.api_keys[1].expiration = Some(now_ms + day_ms);
    let server = MockServer::start();
    server.security_get_api_key(|_, then| {
        then.ok(&keys);
    });
    let run = list(&server, &["-o", "csv"]);
    assert_eq!(run.status, 0, "{}", run.transcript());
    let statuses: Vec<&str> = run
        .stdout
        .lines()
        .skip(1)
        .map(|line| line.rsplit(',').next().unwrap_or_default())
        .collect();
    assert_eq!(
        statuses,
        ["expired", "active"],
        "a key that expired a day ago by the test's clock is expired, one due tomorrow is \
         active: if not, the binary reads another clock than the test\n{}",
        run.transcript()
    );
}

/// A cluster whose second key has a shape this version cannot read (a `global` category of an
/// unknown form): `es list` and `es query` report every other key, name the unreadable one on
/// stderr, and exit with status 7.
#[test]
fn a_key_that_cannot_be_read_is_named_and_hides_none_of_the_others() {
    let mut keys: serde_json::Value =
        serde_json::to_value(body::<GetApiKeyResponse>("es-cluster.json")).unwrap();
    keys["api_keys"][1]["role_descriptors"] = serde_json::json!({
        "future": {"cluster": [], "global": {"application": {"manage": "every-app"}}}
    });
    let unreadable = keys["api_keys"][1]["id"].as_str().unwrap().to_string();
    let readable: Vec<String> = keys["api_keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|key| key["id"].as_str().unwrap().to_string())
        .filter(|id| *id != unreadable)
        .collect();
    let server = MockServer::start();
    server.mock(|when, then| {
        when.method(GET).path("/_security/api_key");
        then.status(200)
            .header("content-type", "application/json")
            .json_body(keys.clone());
    });
    let mut page = keys.clone();
    page["total"] = keys["api_keys"].as_array().unwrap().len().into();
    page["count"] = page["total"].clone();
    for key in page["api_keys"].as_array_mut().unwrap() {
        key["_sort"] = serde_json::json!([key["creation"].clone()]);
    }
    server.mock(|when, then| {
        when.path("/_security/_query/api_key");
        then.status(200)
            .header("content-type", "application/json")
            .json_body(page);
    });
    for command in [&["es", "list"][..], &["es", "query", "--sort", "creation"]] {
        for format in ["csv", "jsonl"] {
            let mut args = command.to_vec();
            args.extend(["-o", format, "--as-of", AS_OF]);
            let run = run_with(&with_api_key(&server), &args);
            assert_eq!(run.status, 7, "{}", run.transcript());
            for id in &readable {
                assert!(
                    run.stdout.contains(id.as_str()),
                    "{id}: {}",
                    run.transcript()
                );
            }
            assert!(!run.stdout.contains(&unreadable), "{}", run.transcript());
            assert!(
                run.stderr.contains(&format!(
                    "error: API key {unreadable} (number 2 of the list) could not be read"
                )) && run
                    .stderr
                    .contains("1 API key could not be read; every other key is in the report"),
                "{}",
                run.transcript()
            );
            assert!(!run.stderr.contains("every-app"), "{}", run.transcript());
        }
    }
}
