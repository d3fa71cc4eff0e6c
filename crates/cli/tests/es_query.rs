//! `apikeys es query` against the typed mock: the body it sends page after page, and the keys
//! it reports as they arrive.

mod support;

use elastic_apikeys_mock::elasticsearch::MockServerExt;
use elastic_apikeys_mock::httpmock::MockServer;
use serde_json::{Value, json};
use support::{AS_OF, ELASTIC_API_KEY, Run, apikeys};

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

fn key(n: i64) -> Value {
    json!({
        "id": format!("k{n}"),
        "name": format!("ci-{n}"),
        "type": "rest",
        "creation": 1_763_000_000_000_i64 + n,
        "expiration": 1_764_000_000_000_i64 + n * 86_400_000,
        "invalidated": false,
        "username": "ci-bot",
        "realm": "native1",
        "metadata": {},
        "role_descriptors": {},
        "_sort": [1_763_000_000_000_i64 + n, n]
    })
}

/// A cluster with five keys matching `{"prefix": {"name": "ci-"}}`, served two per page, and
/// the mocks of its three pages.
fn paged(server: &MockServer, sort: Value) -> Vec<elastic_apikeys_mock::httpmock::Mock<'_>> {
    let keys: Vec<Value> = (1..=5).map(key).collect();
    let mut pages = Vec::new();
    for (number, page) in keys.chunks(2).enumerate() {
        let mut body = json!({"query": {"prefix": {"name": "ci-"}}, "sort": sort, "size": 2});
        if number > 0 {
            body["search_after"] = keys[number * 2 - 1]["_sort"].clone();
        }
        let answer = json!({"total": 5, "count": page.len(), "api_keys": page});
        pages.push(server.security_query_api_keys(|when, then| {
            when.into_inner().json_body(body);
            then.into_inner()
                .status(200)
                .header("content-type", "application/json")
                .json_body(answer);
        }));
    }
    pages
}

const QUERY: [&str; 6] = [
    "es",
    "query",
    "--query",
    r#"{"prefix": {"name": "ci-"}}"#,
    "--size",
    "2",
];

fn with(extra: &[&'static str]) -> Vec<&'static str> {
    let mut args = QUERY.to_vec();
    args.extend_from_slice(extra);
    args
}

#[test]
fn every_page_is_asked_for_once_and_every_key_reported_once_as_csv() {
    let server = MockServer::start();
    let pages = paged(&server, json!(["creation", "_doc"]));
    let run = run(&server, &with(&["-o", "csv", "--as-of", AS_OF]));
    assert_eq!(run.status, 0, "{}", run.transcript());
    let ids: Vec<&str> = run
        .stdout
        .lines()
        .skip(1)
        .map(|line| line.split(',').next().unwrap())
        .collect();
    assert_eq!(ids, ["k1", "k2", "k3", "k4", "k5"]);
    assert!(
        run.stdout.starts_with("id,name,type,"),
        "{}",
        run.transcript()
    );
    for page in &pages {
        page.assert_calls(1);
    }
}

#[test]
fn json_is_a_key_per_line_and_the_sort_given_comes_first() {
    let server = MockServer::start();
    paged(
        &server,
        json!([{"expiration": {"order": "desc"}}, "name", "_doc"]),
    );
    let run = run(
        &server,
        &with(&["-o", "json", "--sort", "expiration:desc", "--sort", "name"]),
    );
    assert_eq!(run.status, 0, "{}", run.transcript());
    let keys: Vec<Value> = run
        .stdout
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(keys.len(), 5);
    assert_eq!(keys[4]["id"], "k5");
    assert_eq!(keys[0]["_sort"], json!([1_763_000_000_001_i64, 1]));
}

#[test]
fn a_table_and_fail_if_expiring_over_all_pages() {
    let server = MockServer::start();
    paged(&server, json!(["creation", "_doc"]));
    // k1 expires 2025-11-25 plus a day, before AS_OF: every key has expired by then.
    let run = run(
        &server,
        &with(&["--as-of", AS_OF, "--fail-if-expiring", "7d"]),
    );
    assert_eq!(run.status, 3, "{}", run.transcript());
    assert_eq!(run.stdout.lines().count(), 7, "{}", run.transcript());
    assert!(
        run.stderr.contains("5 API keys expire within 7d"),
        "{}",
        run.transcript()
    );
}

#[test]
fn a_query_that_is_not_json_or_a_sort_that_is_no_order_is_refused() {
    let server = MockServer::start();
    let any = server.mock(|when, then| {
        when.any_request();
        then.status(500);
    });
    for (args, says) in [
        (vec!["es", "query", "--query", "{not json"], "not JSON"),
        (vec!["es", "query", "--sort", "creation:up"], "no order"),
        (vec!["es", "query", "--size", "0"], "0"),
        (
            vec!["es", "query", "--query", "/no/such/file"],
            "/no/such/file",
        ),
    ] {
        let run = run(&server, &args);
        assert_eq!(run.status, 2, "{}", run.transcript());
        assert!(run.stderr.contains(says), "{}", run.transcript());
    }
    any.assert_calls(0);
}
