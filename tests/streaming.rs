//! The streaming APIs give the same keys as the whole-body decode: `ApiKeyReader` over any
//! `io::Read`, and the client's `send_stream()` over a real loopback connection, including when
//! the body arrives in small pieces, when the answer is an error, and when the connection breaks
//! mid-list.

use std::time::Duration;

use elastic_apikeys_client::{Error, RetryPolicy, StreamError, elasticsearch};
use elastic_apikeys_models::elasticsearch::{ApiKeyReader, GetApiKeyResponse};
use elastic_apikeys_tests::bodies;
use elastic_apikeys_tests::raw_server::{RawServer, Step};
use futures_util::StreamExt;

/// A reader that hands out at most `step` bytes per call, as a socket would.
struct Trickle<'a> {
    rest: &'a [u8],
    step: usize,
}

impl std::io::Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.step.min(buf.len()).min(self.rest.len());
        buf[..n].copy_from_slice(&self.rest[..n]);
        self.rest = &self.rest[n..];
        Ok(n)
    }
}

#[test]
fn the_reader_yields_exactly_the_whole_body_decode() {
    let body = bodies::elasticsearch_keys(3_000);
    let whole: GetApiKeyResponse = serde_json::from_str(&body).unwrap();
    for step in [1usize, 7, 1000, usize::MAX] {
        let reader = Trickle {
            rest: body.as_bytes(),
            step: step.min(body.len()),
        };
        let streamed: Vec<_> = ApiKeyReader::new(reader).map(Result::unwrap).collect();
        assert_eq!(streamed, whole.api_keys, "pieces of {step} bytes");
    }
}

#[test]
fn the_reader_reports_broken_bodies() {
    let body = bodies::elasticsearch_keys(20);
    let cut = &body.as_bytes()[..body.len() / 2];
    let results: Vec<_> = ApiKeyReader::new(cut).collect();
    assert!(results.iter().rev().skip(1).all(Result::is_ok));
    assert!(
        matches!(results.last(), Some(Err(StreamError::Syntax(_)))),
        "{:?}",
        results.last()
    );

    let results: Vec<_> = ApiKeyReader::new(&br#"{"keys":[]}"#[..]).collect();
    assert!(matches!(
        results.as_slice(),
        [Err(StreamError::MissingField("api_keys"))]
    ));

    let bad = br#"{"api_keys":[{"id":"a"},{"id":"b","name":"x","creation":1,"invalidated":false,"username":"u","realm":"r"}]}"#;
    let results: Vec<_> = ApiKeyReader::new(&bad[..]).collect();
    assert!(
        matches!(results[0], Err(StreamError::Decode(_))),
        "one bad key"
    );
    assert_eq!(
        results[1].as_ref().unwrap().id,
        "b",
        "does not stop the list"
    );
}

fn client(url: &str) -> elasticsearch::Client {
    elasticsearch::Client::builder()
        .base_url(url)
        .read_timeout(Duration::from_secs(5))
        .retry(RetryPolicy::none())
        .build()
        .unwrap()
}

#[tokio::test]
async fn send_stream_yields_the_same_keys_as_send() {
    let body = bodies::elasticsearch_keys(2_000);
    let whole: GetApiKeyResponse = serde_json::from_str(&body).unwrap();
    let server = RawServer::start(vec![Step::Trickle {
        body: body.into_bytes(),
        chunk: 16 * 1024 + 3,
        interval: Duration::ZERO,
    }])
    .await;
    let response = client(server.url())
        .security_get_api_key()
        .with_limited_by(true)
        .send_stream()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let keys: Vec<_> = response.into_inner().map(Result::unwrap).collect().await;
    assert_eq!(keys, whole.api_keys);
    assert!(server.requests()[0].starts_with("GET /_security/api_key?with_limited_by=true "));
}

#[tokio::test]
async fn send_stream_has_the_same_errors_as_send() {
    let server = RawServer::start(vec![Step::json(
        "404 Not Found",
        &serde_json::json!({"api_keys": []}),
    )])
    .await;
    let error = client(server.url())
        .security_get_api_key()
        .id("missing")
        .send_stream()
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::NotFound(not_found) if not_found.value.as_deref() == Some("missing")),
        "{error:?}"
    );

    let error = client(server.url())
        .security_get_api_key()
        .id("a")
        .name("b")
        .send_stream()
        .await
        .unwrap_err();
    assert!(matches!(error, Error::RequestRule(_)), "{error:?}");
}

#[tokio::test]
async fn a_connection_that_breaks_mid_list_ends_the_stream_with_an_error() {
    let body = bodies::elasticsearch_keys(50);
    let server = RawServer::start(vec![Step::Truncate {
        declared: body.len(),
        body: body.as_bytes()[..body.len() / 2].to_vec(),
    }])
    .await;
    let response = client(server.url())
        .security_get_api_key()
        .send_stream()
        .await
        .unwrap();
    let results: Vec<_> = response.into_inner().collect().await;
    assert!(results.len() > 1);
    assert!(results[..results.len() - 1].iter().all(Result::is_ok));
    // The error keeps its kind: a body that ended early, not a string in an I/O error.
    assert!(
        matches!(results.last(), Some(Err(Error::Transport { .. }))),
        "{:?}",
        results.last()
    );
}

#[tokio::test]
async fn a_server_that_goes_silent_mid_list_ends_the_stream_with_a_timeout() {
    let body = bodies::elasticsearch_keys(20);
    let server = RawServer::start(vec![Step::Trickle {
        chunk: body.len() / 2,
        body: body.into_bytes(),
        interval: Duration::from_secs(3),
    }])
    .await;
    let response = elasticsearch::Client::builder()
        .base_url(server.url())
        .read_timeout(Duration::from_millis(500))
        .retry(RetryPolicy::none())
        .build()
        .unwrap()
        .security_get_api_key()
        .send_stream()
        .await
        .unwrap();
    let results: Vec<_> = response.into_inner().collect().await;
    assert!(
        results[0].is_ok(),
        "the first half arrived: {:?}",
        results[0]
    );
    assert!(
        matches!(results.last(), Some(Err(Error::Timeout { .. }))),
        "{:?}",
        results.last()
    );
}

/// The keys of `body`, answered with a 200 by a loopback server, as `send_stream()` yields them.
async fn streamed(
    body: Vec<u8>,
) -> Vec<Result<elastic_apikeys_client::elasticsearch::types::ApiKey, Error>> {
    let server = RawServer::start(vec![Step::Respond {
        status: "200 OK",
        headers: vec!["Content-Type: application/json".into()],
        body,
    }])
    .await;
    client(server.url())
        .security_get_api_key()
        .send_stream()
        .await
        .unwrap()
        .into_inner()
        .collect()
        .await
}

#[tokio::test]
async fn an_element_that_does_not_decode_is_a_stream_error_and_the_list_goes_on() {
    let bad = br#"{"api_keys":[{"id":"a"},{"id":"b","name":"x","creation":1,"invalidated":false,"username":"u","realm":"r"}]}"#;
    let results = streamed(bad.to_vec()).await;
    assert!(
        matches!(&results[0], Err(Error::Stream(StreamError::Decode(_)))),
        "{:?}",
        results[0]
    );
    assert_eq!(results[1].as_ref().unwrap().id, "b");
}

#[tokio::test]
async fn one_unreadable_key_in_the_middle_of_a_long_list_hides_none_of_the_others() {
    // Key 1,500 of 3,000 has a `global` category whose `manage` is of a shape this crate does
    // not know; every other key comes, in order, and the bad one is an error in its place with
    // its position, id and JSON text.
    let mut whole: serde_json::Value =
        serde_json::from_str(&bodies::elasticsearch_keys(3_000)).unwrap();
    let middle = 1_500;
    whole["api_keys"][middle]["role_descriptors"] = serde_json::json!({
        "future": {"cluster": [], "global": {"application": {"manage": "every-app"}}}
    });
    let id = whole["api_keys"][middle]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let body = serde_json::to_vec(&whole).unwrap();
    let results = streamed(body.clone()).await;
    assert_eq!(results.len(), 3_000);
    for (position, result) in results.iter().enumerate() {
        if position == middle {
            continue;
        }
        assert_eq!(
            result.as_ref().unwrap().id,
            whole["api_keys"][position]["id"].as_str().unwrap()
        );
    }
    let Err(Error::Stream(StreamError::Decode(error))) = &results[middle] else {
        panic!("{:?}", results[middle])
    };
    assert_eq!(error.index(), middle as u64);
    assert_eq!(error.id(), Some(id.as_str()));
    assert_eq!(error.to_value().unwrap(), whole["api_keys"][middle]);
    assert!(error.reason().contains("manage") || error.reason().contains("invalid type"));
    let shown = format!("{error} {error:?}");
    assert!(
        shown.contains(&id) && !shown.contains("every-app"),
        "{shown}"
    );

    // `send()` reads the whole body: the same key fails the call, as its docs say.
    let server = RawServer::start(vec![Step::Respond {
        status: "200 OK",
        headers: vec!["Content-Type: application/json".into()],
        body,
    }])
    .await;
    let whole_body = client(server.url()).security_get_api_key().send().await;
    assert!(
        matches!(whole_body, Err(Error::UnexpectedBody { .. })),
        "{whole_body:?}"
    );
}

#[tokio::test]
async fn a_cloud_key_list_is_read_key_by_key_too() {
    // Elastic Cloud's lists are marked `x-stream-items` as well: one key whose `creation_date` is
    // not a date-time is an error in its place, and the keys around it come.
    let body = br#"{"keys":[{"id":"a","description":"one","creation_date":"2026-01-01T00:00:00Z"},{"id":"b","description":"two","creation_date":"yesterday"},{"id":"c","description":"three","creation_date":"2026-01-03T00:00:00Z"}]}"#;
    let server = RawServer::start(vec![Step::Respond {
        status: "200 OK",
        headers: vec!["Content-Type: application/json".into()],
        body: body.to_vec(),
    }])
    .await;
    let client = elastic_apikeys_client::cloud::Client::builder()
        .base_url(server.url())
        .api_key("essu_not_a_real_key")
        .build()
        .unwrap();
    let results: Vec<_> = client
        .get_api_keys()
        .send_stream()
        .await
        .unwrap()
        .into_inner()
        .collect()
        .await;
    assert_eq!(results.len(), 3);
    assert_eq!(results[0].as_ref().unwrap().id, "a");
    assert_eq!(results[2].as_ref().unwrap().id, "c");
    let Err(Error::Stream(StreamError::Decode(error))) = &results[1] else {
        panic!("{:?}", results[1])
    };
    assert_eq!((error.index(), error.id()), (1, Some("b")));
}

/// The keys a loopback server answers with `step`, streamed within a limit of 1 MiB; the server
/// is kept with them, as dropping it would end the answer.
async fn limited_to_1_mib(
    step: Step,
) -> (
    RawServer,
    elastic_apikeys_client::ItemStream<elastic_apikeys_client::elasticsearch::types::ApiKey>,
) {
    let server = RawServer::start(vec![step]).await;
    let keys = client(server.url())
        .security_get_api_key()
        .send_stream()
        .await
        .unwrap()
        .into_inner()
        .with_max_body_size(1 << 20);
    (server, keys)
}

#[tokio::test]
async fn a_stream_with_a_limit_ends_at_it_and_a_longer_declared_body_is_not_read() {
    let (_server, mut keys) = limited_to_1_mib(Step::Endless).await;
    let mut read = 0;
    let last = loop {
        match keys.next().await {
            Some(Ok(_)) => read += 1,
            other => break other,
        }
    };
    assert!(read > 0, "the keys within the limit come");
    assert!(
        matches!(
            last,
            Some(Err(Error::BodyTooLarge {
                limit: 1_048_576,
                declared: None,
                ..
            }))
        ),
        "{last:?}"
    );
    assert!(keys.bytes_read() > 1 << 20);
    assert!(
        keys.next().await.is_none(),
        "the stream ends after the error"
    );

    let (_server, mut keys) = limited_to_1_mib(Step::Truncate {
        declared: 3 << 30,
        body: br#"{"api_keys": ["#.to_vec(),
    })
    .await;
    let first = keys.next().await;
    assert!(
        matches!(
            first,
            Some(Err(Error::BodyTooLarge {
                declared: Some(3_221_225_472),
                ..
            }))
        ),
        "{first:?}"
    );
    assert_eq!(keys.bytes_read(), 0, "nothing was read");
}
