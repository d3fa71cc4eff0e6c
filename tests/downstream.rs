//! The models as a downstream crate uses them, through their public API only: what a program
//! that edits stored answers, builds requests and tests against the mock writes.

use elastic_apikeys_models::JsonValue;
use elastic_apikeys_models::elasticsearch::{ApiKey, Metadata};

/// A key's metadata is a map the user owns: made empty or from entries, read, edited, and
/// written back with the edit.
#[test]
fn metadata_is_edited_as_a_map() {
    let mut key: ApiKey = serde_json::from_value(serde_json::json!({
        "id": "VuaCfGcBCdbkQm-e5aOx", "name": "ci", "creation": 1, "invalidated": false,
        "username": "ci-bot", "realm": "native1", "metadata": {"team": "ci", "rotations": 1}
    }))
    .unwrap();
    let metadata = key.metadata.get_or_insert_with(Metadata::default);
    metadata.insert("rotations".into(), JsonValue::from(2));
    metadata.insert("owner".into(), "platform".into());
    metadata.remove("team");
    assert_eq!(
        metadata.get("rotations").and_then(JsonValue::as_i64),
        Some(2)
    );
    let written = serde_json::to_value(&key).unwrap();
    assert_eq!(
        written["metadata"],
        serde_json::json!({"rotations": 2, "owner": "platform"})
    );

    let built: Metadata = [("env".into(), JsonValue::from("prod"))]
        .into_iter()
        .collect();
    assert_eq!(
        serde_json::to_value(&built).unwrap(),
        serde_json::json!({"env": "prod"})
    );
    assert!(Metadata::default().is_empty());
}

/// Numbers of every width convert, as they do into `serde_json::Value`; a float JSON cannot
/// hold is `null`.
#[test]
fn json_values_come_from_any_number() {
    assert_eq!(JsonValue::from(2), JsonValue::from(2_i64));
    assert_eq!(JsonValue::from(2_u8).as_u64(), Some(2));
    assert_eq!(JsonValue::from(-3_i16).as_i64(), Some(-3));
    assert_eq!(JsonValue::from(7_usize).as_u64(), Some(7));
    assert_eq!(
        serde_json::Value::from(JsonValue::from(1.5)),
        serde_json::json!(1.5)
    );
    assert!(JsonValue::from(f64::NAN).is_null());
}

/// What a test against the typed mock sees of an unknown id is what production sees: the mock's
/// `not_found` answers with the spec's not-found body (Elasticsearch's `{"api_keys": []}`), and
/// the client reports `Error::NotFound`.
#[tokio::test]
async fn the_mock_s_not_found_is_the_server_s() {
    use elastic_apikeys_client::elasticsearch::types::GetApiKeyResponse;
    use elastic_apikeys_mock::elasticsearch::MockServerExt;
    use elastic_apikeys_mock::httpmock::MockServer;

    let server = MockServer::start_async().await;
    let empty: GetApiKeyResponse = serde_json::from_value(elastic_apikeys_tests::response_example(
        "security.get_api_key",
        "404",
        "unknown-id",
    ))
    .unwrap();
    server.security_get_api_key(|when, then| {
        when.id("no-such-key");
        then.not_found(&empty);
    });
    let client = client_of(&server);
    let answer = client.security_get_api_key().id("no-such-key").send().await;
    match answer {
        Err(error) => assert!(error.is_not_found(), "{error:?}"),
        Ok(answer) => panic!("a not-found, not {answer:?}"),
    }
}

/// A 404 is a not-found only with the body the spec declares for one: a proxy's page, a wrong
/// base path's answer, or a request no mock matched is an unexpected answer that says so.
#[tokio::test]
async fn any_other_404_is_no_not_found() {
    use elastic_apikeys_client::Error;
    use elastic_apikeys_client::elasticsearch::Client;
    use elastic_apikeys_mock::httpmock::MockServer;
    use elastic_apikeys_tests::raw_server::{RawServer, Step};

    let pages = [
        Step::Respond {
            status: "404 Not Found",
            headers: vec!["Content-Type: text/html".to_string()],
            body: b"<html><h1>404 Not Found</h1></html>".to_vec(),
        },
        Step::json(
            "404 Not Found",
            &serde_json::json!({"ok": false, "message": "no route"}),
        ),
    ];
    for page in pages {
        let server = RawServer::start(vec![page]).await;
        let client = Client::builder().base_url(server.url()).build().unwrap();
        let answer = client.security_get_api_key().id("k1").send().await;
        assert!(
            matches!(answer, Err(Error::UnexpectedBody { .. })),
            "{answer:?}"
        );
    }
    // No mock matches: httpmock's own 404.
    let server = MockServer::start_async().await;
    let client = client_of(&server);
    let answer = client.security_get_api_key().id("k1").send().await;
    assert!(
        answer.as_ref().is_err_and(|error| !error.is_not_found()),
        "{answer:?}"
    );
}

/// A caller that retries by hand asks the operation whether it may be sent twice, beside
/// whether the failure was transient: a create is never safe to send again.
#[test]
fn each_operation_says_whether_it_may_be_sent_twice() {
    use elastic_apikeys_client::cloud::builder as cloud;
    use elastic_apikeys_client::elasticsearch::builder as es;

    const {
        assert!(!es::SecurityCreateApiKey::RETRY_SAFE);
        assert!(!es::SecurityGrantApiKey::RETRY_SAFE);
        assert!(es::SecurityGetApiKey::RETRY_SAFE);
        assert!(es::SecurityInvalidateApiKey::RETRY_SAFE);
        assert!(!cloud::CreateApiKey::RETRY_SAFE);
        assert!(cloud::GetApiKeys::RETRY_SAFE);
    }
}

/// The create API's documented answer, as the mock gives it.
fn created_answer() -> elastic_apikeys_client::elasticsearch::types::CreateApiKeyResponse {
    serde_json::from_value(elastic_apikeys_tests::response_example(
        "security.create_api_key",
        "200",
        "created",
    ))
    .unwrap()
}

/// An Elasticsearch client of the mock `server`.
fn client_of(
    server: &elastic_apikeys_mock::httpmock::MockServer,
) -> elastic_apikeys_client::elasticsearch::Client {
    elastic_apikeys_client::elasticsearch::Client::builder()
        .base_url(server.base_url())
        .build()
        .unwrap()
}

/// The client's `.body(..)` and the mock's `when.body(..)` take the same things: the request
/// model (by value or by reference) and its builder, so that one value in hand serves both.
#[tokio::test]
async fn the_client_and_the_mock_take_the_same_request_bodies() {
    use elastic_apikeys_client::elasticsearch::types::{CreateApiKeyRequest, builder};
    use elastic_apikeys_mock::elasticsearch::MockServerExt;
    use elastic_apikeys_mock::httpmock::MockServer;

    let request = || {
        builder::CreateApiKeyRequest::default()
            .name("ci-deploy")
            .expiration("30d")
    };
    let created = created_answer();
    let server = MockServer::start_async().await;
    let mut from_builder = server.security_create_api_key(|when, then| {
        when.body(request());
        then.ok(&created);
    });
    let client = client_of(&server);
    client
        .security_create_api_key()
        .body(request())
        .send()
        .await
        .unwrap();
    from_builder.assert();

    // And the model, by value or by reference, on either side.
    let model: CreateApiKeyRequest = request().try_into().unwrap();
    from_builder.delete();
    let from_model = server.security_create_api_key(|when, then| {
        when.body(&model);
        then.ok(&created);
    });
    client
        .security_create_api_key()
        .body(model.clone())
        .send()
        .await
        .unwrap();
    from_model.assert();
}

/// An expiration is a typed duration: a `chrono::TimeDelta` (or `std::time::Duration`) is sent in
/// the largest unit that holds it, and a text the server would refuse (`30x`, `1.5h`) fails
/// before anything is sent, naming the text.
#[tokio::test]
async fn expirations_take_typed_durations_and_bad_text_never_leaves() {
    use elastic_apikeys_client::elasticsearch::types::{CreateApiKeyRequest, Duration};
    use elastic_apikeys_mock::elasticsearch::MockServerExt;
    use elastic_apikeys_mock::httpmock::MockServer;

    let created = created_answer();
    let server = MockServer::start_async().await;
    let thirty_days = server.security_create_api_key(|when, then| {
        when.body(
            CreateApiKeyRequest::builder()
                .name("ci-deploy")
                .expiration("30d"),
        );
        then.ok(&created);
    });
    let client = client_of(&server);
    client
        .security_create_api_key()
        .body(
            CreateApiKeyRequest::builder()
                .name("ci-deploy")
                .expiration(chrono::TimeDelta::days(30)),
        )
        .send()
        .await
        .unwrap();
    thirty_days.assert();

    // From here on, any request at all would be seen.
    let mut thirty_days = thirty_days;
    thirty_days.delete();
    let anything = server.mock(|_, then| {
        then.status(599);
    });
    for refused in ["30x", "1.5h", "-2d"] {
        let error = client
            .security_create_api_key()
            .body(
                CreateApiKeyRequest::builder()
                    .name("ci-deploy")
                    .expiration(refused),
            )
            .send()
            .await
            .unwrap_err();
        let message = error.to_string();
        assert!(
            message.contains(&format!(
                "{refused:?} is not a duration Elasticsearch reads"
            )),
            "{message}"
        );
    }
    // The three refusals never reached the server.
    anything.assert_calls(0);

    let typed: Duration = std::time::Duration::from_secs(90 * 60).try_into().unwrap();
    assert_eq!(typed.as_str(), "90m");
    assert!("30x".parse::<Duration>().is_err());
}

/// The mock's answers take the response model, by value or by reference, or its builder, so a
/// test builds an answer without `.build().unwrap()`; a builder that makes no valid model panics
/// when the mock is set up, naming the field.
#[tokio::test]
async fn the_mock_answers_with_models_or_their_builders() {
    use elastic_apikeys_client::elasticsearch::types::{ApiKey, GetApiKeyResponse};
    use elastic_apikeys_mock::elasticsearch::MockServerExt;
    use elastic_apikeys_mock::httpmock::MockServer;

    let key = ApiKey::builder()
        .id("VuaCfGcBCdbkQm-e5aOx")
        .name("ci-deploy")
        .creation(1_548_550_550_158_i64)
        .invalidated(false)
        .username("ci")
        .realm("native1");
    let server = MockServer::start_async().await;
    let client = client_of(&server);
    let from_builder = server.security_get_api_key(|when, then| {
        when.id("VuaCfGcBCdbkQm-e5aOx");
        then.ok(GetApiKeyResponse::builder().api_keys(vec![key.clone().build().unwrap()]));
    });
    let answer = client
        .security_get_api_key()
        .id("VuaCfGcBCdbkQm-e5aOx")
        .send()
        .await
        .unwrap();
    assert_eq!(answer.api_keys[0].name.as_deref(), Some("ci-deploy"));
    from_builder.assert();

    let model = answer.into_inner();
    let from_value = server.security_get_api_key(|when, then| {
        when.id("other");
        then.ok(model.clone());
    });
    let again = client.security_get_api_key().id("other").send().await;
    assert_eq!(again.unwrap().into_inner(), model);
    from_value.assert();

    let incomplete = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        server.security_get_api_key(|_, then| {
            then.ok(GetApiKeyResponse::builder());
        });
    }));
    let Err(message) = incomplete else {
        panic!("a builder without its required field made an answer");
    };
    let message = message
        .downcast_ref::<String>()
        .map(String::as_str)
        .unwrap_or_default();
    assert!(
        message.contains("the mock's body is no valid GetApiKeyResponse")
            && message.contains("api_keys"),
        "{message}"
    );
}
