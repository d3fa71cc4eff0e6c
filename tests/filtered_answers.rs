//! `filter_path` through the client, against a loopback cluster that honours it: the setter
//! every builder has, `send_filtered()` and `send_stream_filtered()` for answers that lack
//! required members, and `send_all_pages()` keeping what its walk reads and asking for each page
//! while the one before is handed over.

use std::time::Duration;

use elastic_apikeys_client::elasticsearch::Client;
use elastic_apikeys_client::transport::RetryPolicy;
use elastic_apikeys_tests::bodies;
use elastic_apikeys_tests::es_server::{Cluster, Server};
use futures_util::StreamExt;

/// 2026-01-01T00:00:00Z, the cluster's clock.
const NOW: i64 = 1_767_225_600_000;

fn served(keys: usize) -> Server {
    Cluster::new(&bodies::elasticsearch_keys(keys), NOW).serve()
}

fn client(server: &Server) -> Client {
    Client::builder()
        .base_url(server.url())
        .read_timeout(Duration::from_secs(10))
        .retry(RetryPolicy::none())
        .build()
        .unwrap()
}

/// Every key, `size` a page, in the order `apikeys` walks them.
fn pages_of(size: u32) -> elastic_apikeys_client::elasticsearch::types::QueryApiKeysRequest {
    serde_json::from_value(serde_json::json!({"size": size, "sort": ["creation", "_doc"]})).unwrap()
}

#[tokio::test]
async fn a_filtered_answer_without_required_members_decodes_into_its_projection() {
    let server = served(50);
    let client = client(&server);
    let full = client
        .security_get_api_key()
        .send()
        .await
        .unwrap()
        .into_inner();
    let filtered = client
        .security_get_api_key()
        .filter_path("api_keys.id,api_keys.expiration")
        .send_filtered()
        .await
        .unwrap()
        .into_inner();
    let keys = filtered.api_keys.expect("the list");
    assert_eq!(keys.len(), full.api_keys.len());
    for (key, whole) in keys.iter().zip(&full.api_keys) {
        assert_eq!(key.id.as_deref(), Some(whole.id.as_str()));
        assert_eq!(key.expiration, whole.expiration);
        // What the filter left out is absent, required or not.
        assert!(key.name.is_absent() && key.username.is_none() && key.role_descriptors.is_none());
    }
    assert_eq!(
        server.seen()[1].param("filter_path"),
        Some("api_keys.id,api_keys.expiration")
    );
    // `send()` wants every member the schema requires, and says which is missing.
    let error = client
        .security_get_api_key()
        .filter_path("api_keys.id")
        .send()
        .await
        .unwrap_err();
    assert!(error.to_string().contains("missing field"), "{error}");
}

#[tokio::test]
async fn a_filter_that_keeps_the_required_members_decodes_with_send_too() {
    let server = served(20);
    let client = client(&server);
    let required = "api_keys.id,api_keys.name,api_keys.creation,api_keys.invalidated,\
                    api_keys.username,api_keys.realm";
    let keys = client
        .security_get_api_key()
        .filter_path(required)
        .send()
        .await
        .unwrap()
        .into_inner()
        .api_keys;
    assert_eq!(keys.len(), 20);
    assert!(
        keys.iter()
            .all(|key| key.role_descriptors.is_none() && key.metadata.is_none())
    );
}

#[tokio::test]
async fn an_answer_a_filter_emptied_is_an_empty_list_in_every_form() {
    let server = served(5);
    let client = client(&server);
    let none = || {
        client
            .security_get_api_key()
            .name("no-such-key")
            .filter_path("api_keys.id")
    };
    // The cluster sends `{}`: no list at all.
    let answer = none().send_filtered().await.unwrap().into_inner();
    assert_eq!(answer.api_keys, None);
    let mut stream = none().send_stream_filtered().await.unwrap().into_inner();
    assert!(stream.next().await.is_none(), "no key, and no error");
    let mut stream = none().send_stream().await.unwrap().into_inner();
    assert!(stream.next().await.is_none(), "no key, and no error");
}

#[tokio::test]
async fn send_stream_filtered_yields_projections_as_they_arrive() {
    let server = served(300);
    let client = client(&server);
    let mut stream = client
        .security_get_api_key()
        .filter_path("api_keys.id,api_keys.name")
        .send_stream_filtered()
        .await
        .unwrap()
        .into_inner();
    let mut count = 0;
    while let Some(key) = stream.next().await {
        let key = key.unwrap();
        assert!(key.id.is_some() && key.creation.is_none());
        count += 1;
    }
    assert_eq!(count, 300);
}

#[tokio::test]
async fn send_all_pages_adds_what_its_walk_reads_to_a_filter_of_inclusions() {
    let server = served(250);
    let client = client(&server);
    let required = "api_keys.id,api_keys.name,api_keys.creation,api_keys.invalidated,\
                    api_keys.username,api_keys.realm";
    let body = pages_of(100);
    let mut stream = client
        .security_query_api_keys()
        .filter_path(required)
        .body(body)
        .send_all_pages();
    let mut ids = Vec::new();
    while let Some(key) = stream.next().await {
        let key = key.unwrap();
        assert!(
            key.role_descriptors.is_none(),
            "the filter applies to every page"
        );
        ids.push(key.id);
    }
    assert_eq!(ids.len(), 250, "every page was walked");
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 250, "each key once");
    let seen = server.seen();
    assert_eq!(seen.len(), 3);
    for page in &seen {
        assert_eq!(
            page.param("filter_path"),
            Some(format!("{required},total,api_keys._sort").as_str())
        );
    }
}

#[tokio::test]
async fn the_next_page_is_asked_for_while_this_one_is_handed_over() {
    let server = served(250);
    let client = client(&server);
    let body = pages_of(100);
    let mut stream = client.security_query_api_keys().body(body).send_all_pages();
    // The first page's keys, the caller taking its time over each.
    for _ in 0..100 {
        stream.next().await.unwrap().unwrap();
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    assert_eq!(
        server.seen().len(),
        2,
        "the second page was asked for before its first key was"
    );
    let mut rest = 0;
    while let Some(key) = stream.next().await {
        key.unwrap();
        rest += 1;
    }
    assert_eq!(rest, 150);
    assert_eq!(server.seen().len(), 3, "no page past the last");
}
