//! The response headers the specs declare, read typed from real answers over loopback: Elastic
//! Cloud's `X-Elastic-Api-Key-Expiration`, on a success, on an error answer, absent, and in a
//! form that cannot be read.

use elastic_apikeys_client::cloud::{self, headers::ApiKeyExpiration};
use elastic_apikeys_client::{Error, RetryPolicy};
use elastic_apikeys_tests::raw_server::{RawServer, Step};
use serde_json::json;

fn client(url: &str) -> cloud::Client {
    cloud::Client::builder()
        .base_url(url)
        .api_key("essu_not_a_real_key")
        .retry(RetryPolicy::none())
        .build()
        .unwrap()
}

fn answer(status: &'static str, expiration: Option<&str>, body: &serde_json::Value) -> Step {
    let mut headers = vec!["Content-Type: application/json".to_string()];
    if let Some(expiration) = expiration {
        headers.push(format!("X-Elastic-Api-Key-Expiration: {expiration}"));
    }
    Step::Respond {
        status,
        headers,
        body: body.to_string().into_bytes(),
    }
}

#[tokio::test]
async fn the_expiry_of_the_key_in_use_is_read_from_every_answer() {
    let expires = "2026-12-09T12:00:00Z".parse().unwrap();
    let list = json!({"keys": []});
    for (sent, read) in [
        (Some("2026-12-09T12:00:00Z"), Ok(Some(expires))),
        (Some("Wed, 09 Dec 2026 12:00:00 GMT"), Ok(Some(expires))),
        (None, Ok(None)),
    ] {
        let server = RawServer::start(vec![answer("200 OK", sent, &list)]).await;
        let response = client(server.url()).get_api_keys().send().await.unwrap();
        assert_eq!(
            response.headers().typed::<ApiKeyExpiration>(),
            read,
            "{sent:?}"
        );
    }

    // Unreadable: an error that names the header and quotes nothing of the value.
    let server = RawServer::start(vec![answer("200 OK", Some("s3cr3t-ish"), &list)]).await;
    let response = client(server.url()).get_api_keys().send().await.unwrap();
    let error = response.headers().typed::<ApiKeyExpiration>().unwrap_err();
    assert_eq!(error.name(), "x-elastic-api-key-expiration");
    assert!(!error.to_string().contains("s3cr3t"), "{error}");

    // An error answer carries it too.
    let refused = json!({"errors": [{"code": "root.unauthorized", "message": "no"}]});
    let server = RawServer::start(vec![answer(
        "401 Unauthorized",
        Some("2026-12-09T12:00:00Z"),
        &refused,
    )])
    .await;
    match client(server.url()).get_api_keys().send().await {
        Err(Error::Api(error)) => {
            assert_eq!(
                error.headers().typed::<ApiKeyExpiration>(),
                Ok(Some(expires))
            );
        }
        other => panic!("a 401 is an API error: {other:?}"),
    }

    // And a streamed list, before its keys are read.
    let server =
        RawServer::start(vec![answer("200 OK", Some("2026-12-09T12:00:00Z"), &list)]).await;
    let streamed = client(server.url())
        .get_api_keys()
        .send_stream()
        .await
        .unwrap();
    assert_eq!(
        streamed.headers().typed::<ApiKeyExpiration>(),
        Ok(Some(expires))
    );
}
