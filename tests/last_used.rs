//! `elastic_apikeys_client::elasticsearch::last_used` against a loopback cluster that holds audit
//! events in the shape Elastic Agent's integration indexes them and answers the search as
//! Elasticsearch does: the last use of each key, paged past 10,000 keys, and every way the events
//! can fail to answer, each a typed error rather than keys that look unused.

use std::time::Duration;

use chrono::{DateTime, Utc};
use elastic_apikeys_client::elasticsearch::Client;
use elastic_apikeys_client::elasticsearch::last_used::{AuditEvents, LastUse, LastUseError, Usage};
use elastic_apikeys_client::transport::RetryPolicy;
use elastic_apikeys_tests::audit_events::{AuditLog, event};
use elastic_apikeys_tests::es_server::{Cluster, Server};
use serde_json::Value;

/// The integration's data stream.
const AGENT: &str = "logs-elasticsearch.audit-default";
/// The test's "now", 2026-12-06T12:00:00Z, and the window's start, 90 days before.
const NOW: &str = "2026-12-06T12:00:00Z";
const SINCE: &str = "2026-09-07T12:00:00Z";

fn at(text: &str) -> DateTime<Utc> {
    text.parse().unwrap()
}

fn serve(audit: AuditLog) -> Server {
    Cluster::new(r#"{"api_keys":[]}"#, at(NOW).timestamp_millis())
        .with_audit_log(audit)
        .serve()
}

fn client(server: &Server) -> Client {
    Client::builder()
        .base_url(server.url())
        .read_timeout(Duration::from_secs(10))
        .retry(RetryPolicy::none())
        .build()
        .unwrap()
}

fn key_event(time: &str, id: &str) -> Value {
    event(time, "access_granted", "API_KEY", Some((id, "name")))
}

async fn read(server: &Server, events: &AuditEvents) -> Result<LastUse, LastUseError> {
    LastUse::read(&client(server), events, at(SINCE)).await
}

#[tokio::test]
async fn each_key_gets_its_last_event_in_the_window_and_others_are_not_seen_since_its_start() {
    let server = serve(AuditLog::new().with_index(
        AGENT,
        &[
            // Used yesterday, and before.
            key_event("2026-12-05T08:00:00Z", "used-yesterday"),
            key_event("2026-10-01T08:00:00Z", "used-yesterday"),
            // Used only before the window.
            key_event("2026-08-01T08:00:00Z", "used-long-ago"),
            // Events of other authentication types, without a key.
            event("2026-12-06T11:00:00Z", "access_granted", "REALM", None),
            event("2026-12-06T11:30:00Z", "access_granted", "TOKEN", None),
            // A key of another cluster whose events land here too: reported, never joined.
            key_event("2026-11-20T08:00:00Z", "another-clusters-key"),
            // A denied request is a use all the same: something still holds the key.
            event(
                "2026-11-30T08:00:00Z",
                "access_denied",
                "API_KEY",
                Some(("denied-key", "n")),
            ),
        ],
    ));
    let last_use = read(&server, &AuditEvents::elastic_agent()).await.unwrap();
    assert_eq!(
        last_use.of("used-yesterday"),
        Usage::Seen(at("2026-12-05T08:00:00Z"))
    );
    assert_eq!(
        last_use.of("denied-key"),
        Usage::Seen(at("2026-11-30T08:00:00Z"))
    );
    // The index holds events from before the window: it covers the whole window.
    let covered = at(SINCE);
    assert_eq!(last_use.covered_since(), covered);
    assert_eq!(last_use.of("used-long-ago"), Usage::NotSeenSince(covered));
    assert_eq!(last_use.of("never-used"), Usage::NotSeenSince(covered));
    assert_eq!(last_use.since(), at(SINCE));
    assert_eq!(last_use.events(), 4);
    assert_eq!(last_use.len(), 3);
}

#[tokio::test]
async fn more_keys_than_a_page_are_all_read() {
    let keys = 10_250;
    let events: Vec<Value> = (0..keys)
        .map(|i| {
            let minute = i % 60;
            key_event(
                &format!("2026-12-01T10:{minute:02}:00Z"),
                &format!("key-{i:05}"),
            )
        })
        .chain([event(
            "2026-09-08T00:00:00Z",
            "access_granted",
            "REALM",
            None,
        )])
        .collect();
    let server = serve(AuditLog::new().with_index(AGENT, &events));
    let last_use = read(&server, &AuditEvents::elastic_agent()).await.unwrap();
    assert_eq!(last_use.len(), keys);
    assert_eq!(
        last_use.of("key-10249"),
        Usage::Seen(at("2026-12-01T10:49:00Z"))
    );
    let searches: Vec<_> = server
        .seen()
        .into_iter()
        .filter(|seen| seen.path.ends_with("/_search"))
        .collect();
    assert_eq!(
        searches.len(),
        3,
        "two pages of at most 10,000 keys, and where the events start"
    );
    assert!(
        searches[1].body.contains(r#""after":{"id":"key-09999"}"#),
        "{}",
        searches[1].body
    );
    assert!(searches.iter().all(|seen| {
        seen.param("allow_no_indices") == Some("false")
            && seen
                .param("filter_path")
                .is_some_and(|f| f.contains("aggregations.keys.after_key"))
    }));
}

#[tokio::test]
async fn events_that_start_inside_the_window_bound_what_not_seen_means() {
    // Auditing turned on on 2026-11-01: a key without an event is unused since then only.
    let server = serve(AuditLog::new().with_index(
        AGENT,
        &[
            event("2026-11-01T00:00:00Z", "access_granted", "REALM", None),
            key_event("2026-12-01T00:00:00Z", "k1"),
        ],
    ));
    let last_use = read(&server, &AuditEvents::elastic_agent()).await.unwrap();
    let started = at("2026-11-01T00:00:00Z");
    assert_eq!(last_use.covered_since(), started);
    assert_eq!(last_use.of("k2"), Usage::NotSeenSince(started));
}

#[tokio::test]
async fn filebeat_events_are_told_from_the_other_logs_beside_them() {
    let mut other = key_event("2026-12-05T08:00:00Z", "from-another-dataset");
    other["event"]["dataset"] = "system.auth".into();
    let server = serve(AuditLog::new().with_index(
        "filebeat-8.17.0",
        &[key_event("2026-12-04T08:00:00Z", "k1"), other],
    ));
    let last_use = read(&server, &AuditEvents::filebeat()).await.unwrap();
    assert_eq!(last_use.of("k1"), Usage::Seen(at("2026-12-04T08:00:00Z")));
    assert!(matches!(
        last_use.of("from-another-dataset"),
        Usage::NotSeenSince(_)
    ));
}

#[tokio::test]
async fn missing_empty_keyless_and_forbidden_sources_are_errors_that_say_what_to_do() {
    // No index at all.
    let server = serve(AuditLog::new());
    let error = read(&server, &AuditEvents::elastic_agent())
        .await
        .unwrap_err();
    assert!(
        matches!(&error, LastUseError::NoSuchIndex { index } if index == "logs-elasticsearch.audit-*"),
        "{error:?}"
    );
    assert!(
        error.to_string().contains("xpack.security.audit.enabled"),
        "{error}"
    );

    // An index whose events all precede the window.
    let server =
        serve(AuditLog::new().with_index(AGENT, &[key_event("2026-01-01T00:00:00Z", "k")]));
    let error = read(&server, &AuditEvents::elastic_agent())
        .await
        .unwrap_err();
    assert!(matches!(error, LastUseError::NoEvents { .. }), "{error:?}");

    // Events, none of them of an API key.
    let server = serve(AuditLog::new().with_index(
        AGENT,
        &[event(
            "2026-12-01T00:00:00Z",
            "access_granted",
            "REALM",
            None,
        )],
    ));
    let error = read(&server, &AuditEvents::elastic_agent())
        .await
        .unwrap_err();
    assert!(
        matches!(error, LastUseError::NoApiKeyEvents { events: 1, .. }),
        "{error:?}"
    );
    assert!(error.to_string().contains("access_granted"), "{error}");

    // No permission to read them.
    let server = serve(
        AuditLog::new()
            .with_index(AGENT, &[key_event("2026-12-01T00:00:00Z", "k")])
            .denied(),
    );
    let error = read(&server, &AuditEvents::elastic_agent())
        .await
        .unwrap_err();
    assert!(
        matches!(&error, LastUseError::Denied { reason, .. } if reason.contains("indices:data/read/search")),
        "{error:?}"
    );

    // A shard that failed: its events are missing, so keys could look unused.
    let server = serve(
        AuditLog::new()
            .with_index(AGENT, &[key_event("2026-12-01T00:00:00Z", "k")])
            .with_failed_shard(),
    );
    let error = read(&server, &AuditEvents::elastic_agent())
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            LastUseError::Partial {
                failed_shards: 1,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(error.to_string().contains("may lack events"), "{error}");

    // An id mapped as text: its keyword sub-field, named, aggregates.
    let server = serve(
        AuditLog::new()
            .with_index(AGENT, &[key_event("2026-12-01T00:00:00Z", "k")])
            .with_text_field("elasticsearch.audit.apikey.id"),
    );
    let error = read(&server, &AuditEvents::elastic_agent())
        .await
        .unwrap_err();
    assert!(
        matches!(&error, LastUseError::TextField { field, .. } if field == "elasticsearch.audit.apikey.id"),
        "{error:?}"
    );
    assert!(
        error
            .to_string()
            .contains("[elasticsearch.audit.apikey.id.keyword]"),
        "{error}"
    );
    let keyword =
        AuditEvents::elastic_agent().with_id_field("elasticsearch.audit.apikey.id.keyword");
    let last_use = read(&server, &keyword).await.unwrap();
    assert_eq!(last_use.of("k"), Usage::Seen(at("2026-12-01T00:00:00Z")));

    // Another index than the default, and the id where Elasticsearch's own audit log has it.
    let raw = serde_json::json!({
        "@timestamp": "2026-12-01T00:00:00Z",
        "event.action": "access_granted",
        "authentication.type": "API_KEY",
        "apikey.id": "k",
    });
    let server = serve(AuditLog::new().with_index("audit-2026", &[raw]));
    let events = AuditEvents::elastic_agent()
        .with_index("audit-*")
        .with_id_field("apikey.id");
    let last_use = read(&server, &events).await.unwrap();
    assert_eq!(last_use.of("k"), Usage::Seen(at("2026-12-01T00:00:00Z")));
}
