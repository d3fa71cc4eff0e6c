//! A key's whole life through the clients, against a real HTTP server on loopback: what is never
//! sent twice, what is refused before it is sent, and what never shows a secret.

use std::time::Duration;

use elastic_apikeys_client::elasticsearch::types::{
    CreateApiKeyRequest, GrantApiKeyRequest, InvalidateApiKeyRequest,
};
use elastic_apikeys_client::{Error, RetryPolicy, cloud, elasticsearch};
use elastic_apikeys_mock::elasticsearch::MockServerExt as _;
use elastic_apikeys_mock::httpmock::MockServer;
use elastic_apikeys_tests::response_example;

/// Retries quickly, so that a test that waits for them does not wait long.
fn fast_retries() -> RetryPolicy {
    RetryPolicy::default()
        .with_max_retries(2)
        .with_initial_backoff(Duration::from_millis(1))
        .with_max_backoff(Duration::from_millis(5))
}

fn es(server: &MockServer) -> elasticsearch::Client {
    elasticsearch::Client::builder()
        .base_url(server.base_url())
        .retry(fast_retries())
        .build()
        .unwrap()
}

fn cloud(server: &MockServer) -> cloud::Client {
    cloud::Client::builder()
        .base_url(server.base_url())
        .api_key("essu_not_a_real_key")
        .retry(fast_retries())
        .build()
        .unwrap()
}

fn unavailable() -> serde_json::Value {
    serde_json::json!({
        "error": {
            "root_cause": [{"type": "unavailable_shards_exception", "reason": "at least one primary shard for the index [.security-7] is unavailable"}],
            "type": "unavailable_shards_exception",
            "reason": "at least one primary shard for the index [.security-7] is unavailable"
        },
        "status": 503
    })
}

#[tokio::test]
async fn a_create_answered_503_is_sent_once_and_a_read_is_retried() {
    let server = MockServer::start_async().await;
    let any = server.mock(|when, then| {
        when.any_request();
        then.status(503)
            .header("content-type", "application/json")
            .json_body(unavailable());
    });
    let client = es(&server);
    let error = client
        .security_create_api_key()
        .body(
            CreateApiKeyRequest::builder()
                .name("my-api-key")
                .expiration("1d"),
        )
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503), "{error:?}");
    any.assert_calls_async(1).await;

    // The same answer to a read, which the spec declares safe to send again: 1 + 2 retries.
    any.delete_async().await;
    let any = server.mock(|when, then| {
        when.any_request();
        then.status(503)
            .header("content-type", "application/json")
            .json_body(unavailable());
    });
    client.security_get_api_key().send().await.unwrap_err();
    any.assert_calls_async(3).await;
}

#[tokio::test]
async fn every_operation_that_makes_a_key_is_sent_once_whatever_the_answer() {
    let server = MockServer::start_async().await;
    let any = server.mock(|when, then| {
        when.any_request();
        then.status(503)
            .header("content-type", "application/json")
            .json_body(unavailable());
    });
    let client = es(&server);
    let grant: GrantApiKeyRequest = serde_json::from_value(serde_json::json!({
        "grant_type": "password",
        "username": "test_admin",
        "password": "x-pack-test-password",
        "api_key": {"name": "my-api-key"}
    }))
    .unwrap();
    client
        .security_grant_api_key()
        .body(grant)
        .send()
        .await
        .unwrap_err();
    client
        .security_create_api_key_put()
        .body(CreateApiKeyRequest::builder().name("put"))
        .send()
        .await
        .unwrap_err();
    any.assert_calls_async(2).await;

    let server = MockServer::start_async().await;
    let any = server.mock(|when, then| {
        when.any_request();
        then.status(503)
            .json_body(serde_json::json!({"errors": []}));
    });
    let create: cloud::types::CreateApiKeyRequest =
        serde_json::from_value(serde_json::json!({"description": "ci"})).unwrap();
    cloud(&server)
        .create_api_key()
        .body(create)
        .send()
        .await
        .unwrap_err();
    any.assert_calls_async(1).await;
}

#[tokio::test]
async fn an_invalidate_with_ids_and_name_is_refused_before_it_is_sent() {
    let server = MockServer::start_async().await;
    let any = server.mock(|when, then| {
        when.any_request();
        then.status(500);
    });
    let client = es(&server);
    let cases = [
        (
            serde_json::json!({"ids": ["VuaCfGcBCdbkQm-e5aOx"], "name": "my-api-key"}),
            "Validation Failed: 1: only one of [api key id(s), api key name] can be specified;",
        ),
        (
            serde_json::json!({}),
            "Validation Failed: 1: One of [api key id(s), api key name, username, realm name] must be specified if [owner] flag is false;",
        ),
        (
            serde_json::json!({"ids": []}),
            "Validation Failed: 1: Field [ids] cannot be an empty array;",
        ),
        (
            serde_json::json!({"owner": true, "username": "myuser"}),
            "Validation Failed: 1: neither username nor realm-name may be specified when invalidating owned API keys;",
        ),
    ];
    for (body, message) in cases {
        let request: InvalidateApiKeyRequest = serde_json::from_value(body.clone()).unwrap();
        let error = client
            .security_invalidate_api_key()
            .body(request)
            .send()
            .await
            .unwrap_err();
        assert!(matches!(error, Error::RequestRule(_)), "{body}: {error:?}");
        assert_eq!(error.to_string(), message, "{body}");
    }
    any.assert_calls_async(0).await;
}

#[tokio::test]
async fn the_secrets_of_a_created_key_never_show_in_debug() {
    let server = MockServer::start_async().await;
    let answer = response_example("security.create_api_key", "200", "created");
    let secret = answer["api_key"].as_str().unwrap().to_string();
    let encoded = answer["encoded"].as_str().unwrap().to_string();
    server.security_create_api_key(|when, then| {
        when.into_inner().any_request();
        then.into_inner()
            .status(200)
            .header("content-type", "application/json")
            .json_body(answer.clone());
    });
    let created = es(&server)
        .security_create_api_key()
        .body(CreateApiKeyRequest::builder().name("my-api-key"))
        .send()
        .await
        .unwrap()
        .into_inner();
    for shown in [format!("{created:?}"), format!("{created:#?}")] {
        assert!(!shown.contains(&secret), "{shown}");
        assert!(!shown.contains(&encoded), "{shown}");
        assert!(
            shown.contains(created.id.as_str()),
            "the rest is shown: {shown}"
        );
    }
    assert_eq!(created.api_key.expose_secret(), secret);
    assert_eq!(
        created.encoded.as_ref().map(|e| e.expose_secret()),
        Some(encoded.as_str())
    );
}

/// A key of a query answer, with its sort values.
fn queried_key(id: &str, creation: i64) -> serde_json::Value {
    serde_json::json!({
        "id": id,
        "name": format!("key-{id}"),
        "type": "rest",
        "creation": creation,
        "invalidated": false,
        "username": "elastic",
        "realm": "reserved",
        "realm_type": "reserved",
        "metadata": {},
        "role_descriptors": {},
        "_sort": [creation, creation % 1_000]
    })
}

/// Answers `query` (whose `size` is 2) with `keys`, two a page: each page is asked for with the
/// last key's `_sort` of the page before as `search_after`, and counts every key in `total`.
fn serve_pages<'a>(
    server: &'a MockServer,
    query: &serde_json::Value,
    keys: &[serde_json::Value],
) -> Vec<elastic_apikeys_mock::httpmock::Mock<'a>> {
    let mut pages = Vec::new();
    for (number, page) in keys.chunks(2).enumerate() {
        let mut body = query.clone();
        if number > 0 {
            body["search_after"] = keys[number * 2 - 1]["_sort"].clone();
        }
        let answer =
            serde_json::json!({"total": keys.len(), "count": page.len(), "api_keys": page});
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

#[tokio::test]
async fn a_query_streams_every_key_of_three_search_after_pages_once() {
    let server = MockServer::start_async().await;
    let keys: Vec<serde_json::Value> = (1..=5)
        .map(|n| queried_key(&format!("k{n}"), 1_700_000_000_000 + n))
        .collect();
    let query = serde_json::json!({"size": 2, "sort": ["creation", "_doc"]});
    let pages = serve_pages(&server, &query, &keys);
    let request: elasticsearch::types::QueryApiKeysRequest =
        serde_json::from_value(query.clone()).unwrap();
    let client = es(&server);
    let mut stream = client
        .security_query_api_keys()
        .body(request)
        .send_all_pages();
    let mut ids = Vec::new();
    while let Some(key) = futures_util::StreamExt::next(&mut stream).await {
        ids.push(key.unwrap().id);
    }
    assert_eq!(ids, ["k1", "k2", "k3", "k4", "k5"]);
    for page in &pages {
        page.assert_calls_async(1).await;
    }
}

#[tokio::test]
async fn a_query_without_a_sort_is_refused_before_anything_is_sent() {
    let server = MockServer::start_async().await;
    let any = server.mock(|when, then| {
        when.any_request();
        then.status(500);
    });
    let client = es(&server);
    let mut stream = client
        .security_query_api_keys()
        .body_map(|body| body.size(100))
        .send_all_pages();
    let first = futures_util::StreamExt::next(&mut stream).await.unwrap();
    assert!(
        matches!(&first, Err(Error::InvalidRequest(why)) if why.contains("needs a `sort`")),
        "{first:?}"
    );
    assert!(futures_util::StreamExt::next(&mut stream).await.is_none());
    any.assert_calls_async(0).await;
}

#[tokio::test]
async fn a_failed_page_ends_the_stream_after_the_keys_before_it() {
    let server = MockServer::start_async().await;
    let first = serde_json::json!({"total": 4, "count": 2, "api_keys": [queried_key("a", 1), queried_key("b", 2)]});
    server.mock(|when, then| {
        when.body_excludes("search_after");
        then.status(200)
            .header("content-type", "application/json")
            .json_body(first);
    });
    let failing = server.mock(|when, then| {
        when.body_includes("search_after");
        then.status(400)
            .header("content-type", "application/json")
            .json_body(serde_json::json!({
                "error": {"type": "illegal_argument_exception", "reason": "bad"},
                "status": 400
            }));
    });
    let by_creation: elasticsearch::types::SortCombinations =
        serde_json::from_value(serde_json::json!("creation")).unwrap();
    let client = es(&server);
    let mut stream = client
        .security_query_api_keys()
        .body_map(|body| body.size(2).sort(vec![by_creation]))
        .send_all_pages();
    let mut outcomes = Vec::new();
    while let Some(outcome) = futures_util::StreamExt::next(&mut stream).await {
        outcomes.push(
            outcome
                .map(|key| key.id.to_string())
                .map_err(|e| e.status().map(|s| s.as_u16())),
        );
    }
    assert_eq!(
        outcomes,
        [Ok("a".to_string()), Ok("b".to_string()), Err(Some(400))]
    );
    failing.assert_calls_async(1).await;
}

/// A key in a shape this crate cannot read: a `creation` that is not a number.
fn unreadable_key(id: &str, creation: i64) -> serde_json::Value {
    let mut key = queried_key(id, creation);
    key["creation"] = serde_json::json!("2026-12-06T10:00:00Z");
    key
}

#[tokio::test]
async fn an_unreadable_key_on_a_page_is_an_error_in_its_place_and_the_walk_goes_on_after_it() {
    // The first page ends with the key the models cannot read: the walk must go on from the sort
    // values the server sent for it, and number it among all the pages' keys.
    let server = MockServer::start_async().await;
    let keys = [
        queried_key("a", 1),
        unreadable_key("b", 2),
        unreadable_key("c", 3),
        queried_key("d", 4),
    ];
    let query = serde_json::json!({"size": 2, "sort": ["creation", "_doc"]});
    let pages = serve_pages(&server, &query, &keys);
    let request: elasticsearch::types::QueryApiKeysRequest = serde_json::from_value(query).unwrap();
    let client = es(&server);
    let mut stream = client
        .security_query_api_keys()
        .body(request)
        .send_all_pages();
    let mut outcomes = Vec::new();
    while let Some(outcome) = futures_util::StreamExt::next(&mut stream).await {
        outcomes.push(outcome);
    }
    assert_eq!(outcomes.len(), 4, "{outcomes:?}");
    assert_eq!(outcomes[0].as_ref().unwrap().id, "a");
    assert_eq!(outcomes[3].as_ref().unwrap().id, "d");
    for (position, id) in [(1, "b"), (2, "c")] {
        let Err(Error::Stream(elastic_apikeys_client::StreamError::Decode(error))) =
            &outcomes[position]
        else {
            panic!("{:?}", outcomes[position])
        };
        assert_eq!(error.index(), position as u64);
        assert_eq!(error.id(), Some(id));
        assert_eq!(
            error.to_value().unwrap(),
            keys[position],
            "the key is kept as the server sent it"
        );
        assert!(error.reason().contains("creation") || error.reason().contains("i64"));
    }
    for page in &pages {
        page.assert_calls_async(1).await;
    }
}
