//! `apikeys es list` against a loopback cluster that honours `filter_path` and the query API:
//! it asks only for the members its report needs, pages through the query API where the cluster
//! has one, falls back to `GET /_security/api_key` where it has not, and both ways report the
//! same keys as a listing of whole keys.

mod support;

use elastic_apikeys_tests::bodies;
use elastic_apikeys_tests::es_server::{Cluster, QueryApi, Seen, Server};
use support::{AS_OF, ELASTIC_API_KEY, Run, apikeys};

/// More keys than one page of the query API holds (10,000).
const KEYS: usize = 10_250;

/// The cluster's clock: the CLI's `--as-of`, so that `--active-only` there and the status here
/// agree.
fn now() -> i64 {
    chrono::DateTime::parse_from_rfc3339(AS_OF)
        .unwrap()
        .timestamp_millis()
}

fn serve(body: &str, query_api: QueryApi) -> Server {
    Cluster::new(body, now()).with_query_api(query_api).serve()
}

fn list(server: &Server, args: &[&str]) -> Run {
    let mut all = vec!["es", "list", "--as-of", AS_OF];
    all.extend(args);
    let run = apikeys(
        &all,
        &[
            ("ELASTICSEARCH_URL", server.url()),
            ("ELASTIC_API_KEY", ELASTIC_API_KEY),
        ],
    );
    assert_eq!(run.status, 0, "{}", run.transcript());
    run
}

/// The lines of a CSV report after its header, sorted: the query API sorts by creation, a GET
/// answers in the index's order.
fn rows(run: &Run) -> Vec<String> {
    let mut lines: Vec<String> = run.stdout.lines().skip(1).map(String::from).collect();
    lines.sort();
    lines
}

fn requests(server: &Server) -> Vec<(String, String, Option<String>)> {
    server
        .seen()
        .iter()
        .map(|seen: &Seen| {
            (
                seen.method.clone(),
                seen.path.clone(),
                seen.param("filter_path").map(String::from),
            )
        })
        .collect()
}

const TABLE_MEMBERS: &str = "api_keys.id,api_keys.name,api_keys.type,api_keys.username,\
                             api_keys.realm,api_keys.creation,api_keys.expiration,\
                             api_keys.invalidated";

#[test]
fn csv_pages_the_query_api_asking_only_for_its_columns_and_matches_the_get() {
    let body = bodies::elasticsearch_keys(KEYS);
    let paged = serve(&body, QueryApi::Paged);
    let from_pages = list(&paged, &["-o", "csv"]);
    assert_eq!(from_pages.stdout.lines().count(), KEYS + 1);
    let paths = format!("{TABLE_MEMBERS},total,api_keys._sort");
    assert_eq!(
        requests(&paged),
        [
            (
                "POST".into(),
                "/_security/_query/api_key".into(),
                Some(paths.clone())
            ),
            (
                "POST".into(),
                "/_security/_query/api_key".into(),
                Some(paths)
            ),
        ],
        "two pages, each asking for the columns and what the walk reads"
    );
    // The second page starts after the first page's last sort values.
    let second = &paged.seen()[1];
    let query: serde_json::Value = serde_json::from_str(&second.body).unwrap();
    assert_eq!(query["size"], 10_000);
    assert_eq!(query["sort"], serde_json::json!(["creation", "_doc"]));
    assert_eq!(query["search_after"].as_array().unwrap().len(), 2);

    // Clusters without the query API, or without its pages: one GET, the same filter.
    for query_api in [QueryApi::Missing, QueryApi::Unpaged] {
        let old = serve(&body, query_api);
        let from_get = list(&old, &["-o", "csv"]);
        assert!(
            rows(&from_get) == rows(&from_pages),
            "{query_api:?}: the GET lists other keys than the pages"
        );
        let seen = requests(&old);
        assert_eq!(seen.len(), 2, "{query_api:?}: {seen:?}");
        assert_eq!(
            seen[1],
            (
                "GET".into(),
                "/_security/api_key".into(),
                Some(TABLE_MEMBERS.into())
            )
        );
    }

    // Whole keys for JSON Lines: no filter, and the same keys, without the pages' `_sort`.
    let whole = serve(&body, QueryApi::Paged);
    let jsonl = list(&whole, &["-o", "jsonl"]);
    assert!(
        requests(&whole)
            .iter()
            .all(|(_, _, filter)| filter.is_none())
    );
    let mut ids: Vec<String> = jsonl
        .stdout
        .lines()
        .map(|line| {
            let key: serde_json::Value = serde_json::from_str(line).unwrap();
            assert!(key.get("_sort").is_none(), "{line}");
            assert!(key.get("metadata").is_some(), "whole keys: {line}");
            key["id"].as_str().unwrap().to_string()
        })
        .collect();
    let answer: serde_json::Value = serde_json::from_str(&body).unwrap();
    let mut all: Vec<String> = answer["api_keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|key| key["id"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    all.sort();
    assert!(ids == all, "JSON Lines lists every key of the cluster once");
}

#[test]
fn get_filters_select_the_same_keys_as_query_terms() {
    let body = bodies::elasticsearch_keys(600);
    let answer: serde_json::Value = serde_json::from_str(&body).unwrap();
    let first = &answer["api_keys"][0];
    let name = first["name"].as_str().unwrap().to_string();
    let username = first["username"].as_str().unwrap().to_string();
    let realm = first["realm"].as_str().unwrap().to_string();
    let selections: Vec<Vec<String>> = vec![
        vec!["--name".into(), "key-1*".into()],
        vec!["--name".into(), name],
        vec![
            "--username".into(),
            username.clone(),
            "--realm".into(),
            realm,
        ],
        vec!["--active-only".into()],
        vec!["--username".into(), username, "--active-only".into()],
    ];
    for selection in selections {
        let args: Vec<&str> = ["-o", "csv"]
            .into_iter()
            .chain(selection.iter().map(String::as_str))
            .collect();
        let paged = serve(&body, QueryApi::Paged);
        let old = serve(&body, QueryApi::Missing);
        let (from_pages, from_get) = (list(&paged, &args), list(&old, &args));
        assert!(
            rows(&from_pages) == rows(&from_get),
            "{selection:?}: the query API and the GET select other keys"
        );
        assert!(
            !rows(&from_get).is_empty(),
            "{selection:?} selects some keys"
        );
        assert!(rows(&from_get).len() < 600, "{selection:?} leaves some out");
        assert_eq!(requests(&paged).len(), 1, "{selection:?}: one page");
        assert_eq!(requests(&paged)[0].0, "POST", "{selection:?}");
    }
}

#[test]
fn a_lookup_by_id_and_owner_stay_gets_and_verbose_shows_the_filter() {
    let body = bodies::elasticsearch_keys(20);
    let answer: serde_json::Value = serde_json::from_str(&body).unwrap();
    let id = answer["api_keys"][3]["id"].as_str().unwrap().to_string();
    let server = serve(&body, QueryApi::Paged);
    let by_id = list(&server, &["--id", &id, "-o", "csv", "--verbose"]);
    assert_eq!(by_id.stdout.lines().count(), 2, "{}", by_id.transcript());
    assert!(
        by_id
            .stderr
            .contains(&format!("filter_path={TABLE_MEMBERS}")),
        "{}",
        by_id.transcript()
    );
    list(&server, &["--owner", "-o", "table"]);
    let seen = requests(&server);
    assert_eq!(seen.len(), 2);
    assert!(seen.iter().all(|(method, path, filter)| method == "GET"
        && path == "/_security/api_key"
        && filter.as_deref() == Some(TABLE_MEMBERS)));
}

#[test]
fn answers_come_compressed_unless_no_compression_is_given() {
    let body = bodies::elasticsearch_keys(50);
    let server = serve(&body, QueryApi::Paged);
    let compressed = list(&server, &["-o", "csv"]);
    let plain = list(&server, &["-o", "csv", "--no-compression"]);
    assert_eq!(rows(&compressed).len(), 50, "{}", compressed.transcript());
    assert_eq!(rows(&compressed), rows(&plain));
    let offered: Vec<bool> = server.seen().iter().map(|seen| seen.accepts_gzip).collect();
    assert_eq!(
        offered,
        [true, false],
        "the first run offers gzip (and the cluster compresses), the second does not"
    );
}
