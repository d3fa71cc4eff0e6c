//! `apikeys es list --last-used` and `--max-idle` against a loopback cluster that holds API keys
//! and the audit events Elastic Agent's integration indexes: each key's last use, paged past
//! 10,000 keys, the idle-key policy failing the run for exactly the idle keys, and sources that
//! cannot answer reported as such, never as keys that look unused.

mod support;

use chrono::DateTime;
use elastic_apikeys_tests::audit_events::{AuditLog, event};
use elastic_apikeys_tests::bodies;
use elastic_apikeys_tests::es_server::{Cluster, Server};
use serde_json::{Value, json};
use support::{AS_OF, ELASTIC_API_KEY, Run, apikeys};

const AGENT: &str = "logs-elasticsearch.audit-default";

fn millis(time: &str) -> i64 {
    DateTime::parse_from_rfc3339(time)
        .unwrap()
        .timestamp_millis()
}

/// A key created at `created`, expiring at `expires` if given.
fn key(id: &str, created: &str, expires: Option<&str>) -> Value {
    let mut key = json!({
        "id": id, "name": id, "type": "rest", "creation": millis(created),
        "invalidated": false, "username": "elastic", "realm": "native1",
        "realm_type": "native", "metadata": {}, "role_descriptors": {},
    });
    if let Some(expires) = expires {
        key["expiration"] = json!(millis(expires));
    }
    key
}

fn used(at: &str, id: &str) -> Value {
    event(at, "access_granted", "API_KEY", Some((id, id)))
}

fn serve(keys: &[Value], audit: AuditLog) -> Server {
    let body = json!({"api_keys": keys}).to_string();
    Cluster::new(&body, millis(AS_OF))
        .with_audit_log(audit)
        .serve()
}

fn list(server: &Server, args: &[&str]) -> Run {
    let mut all = vec!["es", "list", "--as-of", AS_OF];
    all.extend(args);
    list_with(server, &all)
}

/// `apikeys ARGS` against `server`.
fn list_with(server: &Server, args: &[&str]) -> Run {
    apikeys(
        args,
        &[
            ("ELASTICSEARCH_URL", server.url()),
            ("ELASTIC_API_KEY", ELASTIC_API_KEY),
        ],
    )
}

/// The `last_used` column of a CSV report, by id.
fn last_used_by_id(run: &Run) -> Vec<(String, String)> {
    let mut lines = run.stdout.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let column = header
        .iter()
        .position(|h| *h == "last_used")
        .expect("a last_used column");
    let mut rows: Vec<(String, String)> = lines
        .map(|line| {
            let cells: Vec<&str> = line.split(',').collect();
            (cells[0].to_string(), cells[column].to_string())
        })
        .collect();
    rows.sort();
    rows
}

/// AS_OF is 2026-11-22T12:00:00Z: the 90-day window starts on 2026-08-24T12:00:00Z.
fn keys_and_their_uses() -> Server {
    serve(
        &[
            key("used-yesterday", "2026-01-01T00:00:00Z", None),
            key("used-before-window", "2026-01-01T00:00:00Z", None),
            key("never-used", "2026-01-01T00:00:00Z", None),
            key("new-and-unused", "2026-11-01T00:00:00Z", None),
            key(
                "expired-and-unused",
                "2026-01-01T00:00:00Z",
                Some("2026-02-01T00:00:00Z"),
            ),
        ],
        AuditLog::new().with_index(
            AGENT,
            &[
                used("2026-11-21T09:30:00Z", "used-yesterday"),
                used("2026-06-01T00:00:00Z", "used-before-window"),
                used("2026-11-20T00:00:00Z", "a-key-of-another-cluster"),
                event("2026-11-22T11:00:00Z", "access_granted", "REALM", None),
            ],
        ),
    )
}

#[test]
fn the_last_use_of_each_key_is_a_column_and_json_member() {
    let server = keys_and_their_uses();
    let run = list(&server, &["--last-used", "-o", "csv"]);
    assert_eq!(run.status, 0, "{}", run.transcript());
    let not_seen = "not seen since 2026-08-24 12:00";
    assert_eq!(
        last_used_by_id(&run),
        [
            ("expired-and-unused".to_string(), not_seen.to_string()),
            ("never-used".to_string(), not_seen.to_string()),
            ("new-and-unused".to_string(), not_seen.to_string()),
            ("used-before-window".to_string(), not_seen.to_string()),
            (
                "used-yesterday".to_string(),
                "2026-11-21T09:30:00Z".to_string()
            ),
        ]
    );
    let run = list(&server, &["--last-used", "-o", "jsonl"]);
    assert_eq!(run.status, 0, "{}", run.transcript());
    let keys: Vec<Value> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let yesterday = keys.iter().find(|k| k["id"] == "used-yesterday").unwrap();
    assert_eq!(yesterday["last_used"], "2026-11-21T09:30:00.000Z");
    let never = keys.iter().find(|k| k["id"] == "never-used").unwrap();
    assert_eq!(never["last_used"], Value::Null);
    assert_eq!(never["not_seen_since"], "2026-08-24T12:00:00.000Z");
    let table = list(&server, &["--last-used"]);
    assert!(
        table
            .stdout
            .lines()
            .next()
            .unwrap()
            .contains("LAST USED (UTC)"),
        "{}",
        table.transcript()
    );
}

#[test]
fn max_idle_fails_the_run_for_exactly_the_idle_keys() {
    let server = keys_and_their_uses();
    let run = list(&server, &["--max-idle", "90d", "-o", "csv"]);
    assert_eq!(run.status, 4, "{}", run.transcript());
    let mut breaches: Vec<&str> = run
        .stderr
        .lines()
        .filter(|line| line.starts_with("policy: "))
        .collect();
    breaches.sort();
    assert_eq!(
        breaches,
        [
            "policy: never-used: not used since 2026-08-24 at least, longer than --max-idle 90d",
            "policy: used-before-window: not used since 2026-08-24 at least, longer than --max-idle 90d",
        ],
        "{}",
        run.transcript()
    );
    // A window that the events do not cover is no ground to call keys idle.
    let late = serve(
        &[key("never-used", "2026-01-01T00:00:00Z", None)],
        AuditLog::new().with_index(AGENT, &[used("2026-11-01T00:00:00Z", "other")]),
    );
    let run = list(&late, &["--max-idle", "90d", "-o", "csv"]);
    assert_eq!(run.status, 1, "{}", run.transcript());
    assert!(
        run.stderr.contains("start at 2026-11-01"),
        "{}",
        run.transcript()
    );
    assert!(run.stdout.is_empty(), "{}", run.transcript());
}

#[test]
fn sources_that_cannot_answer_say_why_and_list_nothing() {
    let keys = [key("k", "2026-01-01T00:00:00Z", None)];
    for (audit, expected) in [
        (AuditLog::new(), "xpack.security.audit.enabled"),
        (
            AuditLog::new().with_index(
                AGENT,
                &[event(
                    "2026-11-01T00:00:00Z",
                    "access_granted",
                    "REALM",
                    None,
                )],
            ),
            "none of a request made with an API key",
        ),
        (
            AuditLog::new()
                .with_index(AGENT, &[used("2026-11-01T00:00:00Z", "k")])
                .denied(),
            "indices:data/read/search",
        ),
    ] {
        let server = serve(&keys, audit);
        let run = list(&server, &["--last-used", "-o", "csv"]);
        assert_eq!(run.status, 1, "{}", run.transcript());
        assert!(run.stderr.contains(expected), "{}", run.transcript());
        assert!(
            run.stdout.is_empty(),
            "no key is listed as unused: {}",
            run.transcript()
        );
    }
}

#[test]
fn an_id_mapped_as_text_is_named_by_its_keyword_sub_field() {
    let keys = [key("k", "2026-01-01T00:00:00Z", None)];
    let server = serve(
        &keys,
        AuditLog::new()
            .with_index(AGENT, &[used("2026-11-01T00:00:00Z", "k")])
            .with_text_field("elasticsearch.audit.apikey.id"),
    );
    let run = list(&server, &["--last-used", "-o", "csv"]);
    assert_eq!(run.status, 1, "{}", run.transcript());
    assert!(
        run.stderr
            .contains("give --audit-id-field elasticsearch.audit.apikey.id.keyword"),
        "{}",
        run.transcript()
    );
    let run = list(
        &server,
        &[
            "--last-used",
            "--audit-id-field",
            "elasticsearch.audit.apikey.id.keyword",
            "-o",
            "csv",
        ],
    );
    assert_eq!(run.status, 0, "{}", run.transcript());
    assert_eq!(
        last_used_by_id(&run),
        [("k".to_string(), "2026-11-01T00:00:00Z".to_string())]
    );
}

#[test]
fn more_keys_than_a_page_of_the_aggregation_all_get_their_last_use() {
    let body = bodies::elasticsearch_keys(10_050);
    let answer: Value = serde_json::from_str(&body).unwrap();
    let ids: Vec<String> = answer["api_keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|key| key["id"].as_str().unwrap().to_string())
        .collect();
    let events: Vec<Value> = ids
        .iter()
        .map(|id| used("2026-11-20T00:00:00Z", id))
        .collect();
    let server = Cluster::new(&body, millis(AS_OF))
        .with_audit_log(AuditLog::new().with_index(AGENT, &events))
        .serve();
    let run = list(&server, &["--last-used", "-o", "csv"]);
    assert_eq!(run.status, 0, "{}", run.transcript());
    let rows = last_used_by_id(&run);
    assert_eq!(rows.len(), ids.len());
    assert!(
        rows.iter().all(|(_, last)| last == "2026-11-20T00:00:00Z"),
        "{}",
        run.transcript()
    );
    let searches = server
        .seen()
        .iter()
        .filter(|s| s.path.ends_with("/_search"))
        .count();
    assert_eq!(
        searches, 3,
        "two pages of the aggregation and the first event"
    );
}

#[test]
fn the_events_can_come_from_another_cluster_of_its_own_profile() {
    let keys = serve(&[key("k", "2026-01-01T00:00:00Z", None)], AuditLog::new());
    let monitoring = serve(
        &[],
        AuditLog::new().with_index(AGENT, &[used("2026-11-21T00:00:00Z", "k")]),
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    support::write_config(
        &path,
        &format!(
            "[profiles.monitoring]\nservice = \"elasticsearch\"\nurl = \"{}\"\napi_key = {{ value = \"{ELASTIC_API_KEY}\" }}\n",
            monitoring.url()
        ),
    );
    let run = apikeys(
        &[
            "es",
            "list",
            "--as-of",
            AS_OF,
            "--last-used",
            "--audit-profile",
            "monitoring",
            "-o",
            "csv",
        ],
        &[
            ("ELASTICSEARCH_URL", keys.url()),
            ("ELASTIC_API_KEY", ELASTIC_API_KEY),
            ("APIKEYS_CONFIG", path.to_str().unwrap()),
        ],
    );
    assert_eq!(run.status, 0, "{}", run.transcript());
    assert_eq!(
        last_used_by_id(&run),
        [("k".to_string(), "2026-11-21T00:00:00Z".to_string())]
    );
    assert!(keys.seen().iter().all(|s| !s.path.ends_with("/_search")));
    assert!(
        monitoring
            .seen()
            .iter()
            .any(|s| s.path.ends_with("/_search"))
    );
}

#[test]
fn es_query_reports_the_last_use_and_judges_idle_keys_too() {
    let server = keys_and_their_uses();
    let run = list_with(
        &server,
        &["es", "query", "--as-of", AS_OF, "--last-used", "-o", "csv"],
    );
    assert_eq!(run.status, 0, "{}", run.transcript());
    let rows = last_used_by_id(&run);
    assert_eq!(rows.len(), 5);
    assert!(rows.contains(&(
        "used-yesterday".to_string(),
        "2026-11-21T09:30:00Z".to_string()
    )));
    let run = list_with(
        &server,
        &[
            "es",
            "query",
            "--as-of",
            AS_OF,
            "--max-idle",
            "90d",
            "-o",
            "csv",
        ],
    );
    assert_eq!(run.status, 4, "{}", run.transcript());
    assert_eq!(
        run.stderr
            .lines()
            .filter(|l| l.starts_with("policy: "))
            .count(),
        2,
        "{}",
        run.transcript()
    );
}

#[test]
fn an_audit_reads_each_clusters_own_events_and_a_target_without_them_fails_alone() {
    let with_events = keys_and_their_uses();
    let without = serve(
        &[key("lonely", "2026-01-01T00:00:00Z", None)],
        AuditLog::new(),
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    let profile = |name: &str, url: &str| {
        format!(
            "[profiles.{name}]\nservice = \"elasticsearch\"\nurl = \"{url}\"\napi_key = {{ value = \"{ELASTIC_API_KEY}\" }}\n"
        )
    };
    support::write_config(
        &path,
        &(profile("audited", with_events.url()) + &profile("unaudited", without.url())),
    );
    let run = apikeys(
        &["audit", "--as-of", AS_OF, "--last-used", "-o", "csv"],
        &[("APIKEYS_CONFIG", path.to_str().unwrap())],
    );
    assert_eq!(run.status, 6, "{}", run.transcript());
    assert!(
        run.stderr
            .contains("unaudited: the last use of the keys is unknown"),
        "{}",
        run.transcript()
    );
    let header = run.stdout.lines().next().unwrap();
    assert!(header.ends_with(",last_used"), "{header}");
    let yesterday = run
        .stdout
        .lines()
        .find(|l| l.contains(",used-yesterday,"))
        .unwrap();
    assert!(yesterday.ends_with(",2026-11-21T09:30:00Z"), "{yesterday}");
    assert!(!run.stdout.contains("lonely"), "{}", run.transcript());
}

#[test]
fn filebeat_shipped_events_are_read_with_audit_shipper_filebeat() {
    let mut other_log = used("2026-11-21T00:00:00Z", "k");
    other_log["event"]["dataset"] = json!("system.syslog");
    let server = serve(
        &[key("k", "2026-01-01T00:00:00Z", None)],
        AuditLog::new().with_index(
            "filebeat-8.17.0-2026.11.01",
            &[used("2026-11-10T00:00:00Z", "k"), other_log],
        ),
    );
    // The default, Elastic Agent's data streams, are not there.
    let run = list(&server, &["--last-used", "-o", "csv"]);
    assert_eq!(run.status, 1, "{}", run.transcript());
    assert!(
        run.stderr.contains("logs-elasticsearch.audit-*"),
        "{}",
        run.transcript()
    );
    // Filebeat's, with only the audit dataset counted: the later event is another log's.
    let run = list(
        &server,
        &["--last-used", "--audit-shipper", "filebeat", "-o", "csv"],
    );
    assert_eq!(run.status, 0, "{}", run.transcript());
    assert_eq!(
        last_used_by_id(&run),
        [("k".to_string(), "2026-11-10T00:00:00Z".to_string())]
    );
}
