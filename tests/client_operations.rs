//! The generated clients against a real HTTP server on loopback (the typed mock server), answering
//! with the spec's examples: the requests they send, the headers, the bodies they decode and the
//! typed errors they return.

use elastic_apikeys_client::cloud::types::{ApiKeysResponse, BasicFailedReply};
use elastic_apikeys_client::elasticsearch::types::{ErrorResponse, GetApiKeyResponse};
use elastic_apikeys_client::{
    Credentials, Error, ErrorBody, RetryPolicy, StatusCode, cloud, elasticsearch,
};
use elastic_apikeys_mock::cloud::MockServerExt as _;
use elastic_apikeys_mock::elasticsearch::MockServerExt as _;
use elastic_apikeys_mock::httpmock::MockServer;
use elastic_apikeys_tests::response_example;
use serde::de::DeserializeOwned;

fn example<T: DeserializeOwned>(operation: &str, status: &str, name: &str) -> T {
    serde_json::from_value(response_example(operation, status, name)).unwrap()
}

fn es(server: &MockServer) -> elasticsearch::Client {
    elasticsearch::Client::builder()
        .base_url(server.base_url())
        .retry(RetryPolicy::none())
        .build()
        .unwrap()
}

fn cloud(server: &MockServer) -> cloud::Client {
    cloud::Client::builder()
        .base_url(server.base_url())
        .api_key("essu_secret")
        .retry(RetryPolicy::none())
        .build()
        .unwrap()
}

#[tokio::test]
async fn cloud_lists_the_keys_of_the_user_with_its_api_key() {
    let server = MockServer::start_async().await;
    let list: ApiKeysResponse = example("get-api-keys", "200", "realistic");
    let mock = server.get_api_keys(|when, then| {
        // Headers are not parameters of the operation: set them on the inner `httpmock::When`.
        when.into_inner()
            .header("authorization", "ApiKey essu_secret")
            .header("accept", "application/json")
            .header(
                "user-agent",
                concat!("elastic-apikeys/", env!("CARGO_PKG_VERSION")),
            )
            .header_missing("api-version");
        then.ok(&list);
    });
    let response = cloud(&server).get_api_keys().send().await.unwrap();
    mock.assert_async().await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.into_inner(), list);
}

#[tokio::test]
async fn cloud_reads_one_key_and_the_base_url_keeps_its_path() {
    let server = MockServer::start_async().await;
    let mock = server.mock(|when, then| {
        when.path("/api/v1/users/auth/keys/2ce0be1f3b8c4b5c9a8a3f4e5d6c7b8a");
        then.status(200)
            .json_body(response_example("get-api-key", "200", "realistic"));
    });
    let client = cloud::Client::builder()
        .base_url(server.url("/api/v1/"))
        .build()
        .unwrap();
    let key = client
        .get_api_key()
        .api_key_id("2ce0be1f3b8c4b5c9a8a3f4e5d6c7b8a")
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(
        key.role_assignments
            .as_ref()
            .unwrap()
            .platform
            .as_ref()
            .unwrap()[0]
            .role_id,
        "platform-viewer"
    );
}

#[tokio::test]
async fn cloud_ids_with_reserved_characters_are_percent_encoded_and_matched_exactly() {
    let server = MockServer::start_async().await;
    let key: cloud::types::ApiKeyResponse = example("get-api-key", "200", "realistic");
    for id in ["a/b", "what?", "x#y", "100%", "two words", "v1.2"] {
        let mock = server.get_api_key(|when, then| {
            when.api_key_id(id);
            then.ok(&key);
        });
        let got = cloud(&server).get_api_key().api_key_id(id).send().await;
        assert!(got.is_ok(), "{id}: {got:?}");
        mock.assert_calls_async(1).await;
        mock.delete_async().await;
    }
    // `.` is not "any character": a mock for `v1.2` does not answer `v1x2`.
    let mock = server.get_api_key(|when, then| {
        when.api_key_id("v1.2");
        then.ok(&key);
    });
    let other = cloud(&server).get_api_key().api_key_id("v1x2").send().await;
    assert!(other.is_err());
    mock.assert_calls_async(0).await;
}

#[tokio::test]
async fn cloud_errors_carry_their_codes_from_the_body_or_the_header() {
    let server = MockServer::start_async().await;
    let not_found: BasicFailedReply = example("get-api-key", "404", "not-found");
    server.get_api_key(|when, then| {
        when.api_key_id("gone");
        then.not_found(&not_found);
    });
    let error = cloud(&server)
        .get_api_key()
        .api_key_id("gone")
        .send()
        .await
        .unwrap_err();
    // The spec marks this answer `x-not-found`: the same variant as Elasticsearch's unknown id.
    let Error::NotFound(not_found) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(
        (not_found.parameter, not_found.value.as_deref()),
        ("api_key_id", Some("gone"))
    );
    assert_eq!(error.status(), Some(StatusCode::NOT_FOUND));
    assert_eq!(error.codes(), ["api_keys.key_not_found"]);
    assert_eq!(error.to_string(), "no API key with id [gone]");

    // Another 404 code is the error answer it is.
    let other: BasicFailedReply = serde_json::from_value(serde_json::json!(
        {"errors": [{"code": "deployments.not_found", "message": "elsewhere"}]}
    ))
    .unwrap();
    server.get_api_key(|when, then| {
        when.api_key_id("elsewhere");
        then.not_found(&other);
    });
    let error = cloud(&server)
        .get_api_key()
        .api_key_id("elsewhere")
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::Api(answer) if answer.status() == 404),
        "{error:?}"
    );
    assert_eq!(error.codes(), ["deployments.not_found"]);

    // The codes of a not-found may come in the header alone.
    server.mock(|when, then| {
        when.path("/users/auth/keys/header-only");
        then.status(404)
            .header("x-cloud-error-codes", "api_keys.key_not_found");
    });
    let error = cloud(&server)
        .get_api_key()
        .api_key_id("header-only")
        .send()
        .await
        .unwrap_err();
    assert!(error.is_not_found(), "{error:?}");

    // No body: the codes come from `x-cloud-error-codes`.
    server.mock(|when, then| {
        when.path("/users/auth/keys");
        then.status(401)
            .header("x-cloud-error-codes", "root.unauthorized");
    });
    let error = cloud(&server).get_api_keys().send().await.unwrap_err();
    assert!(
        matches!(&error, Error::Api(answer)
            if answer.status() == 401 && matches!(answer.body(), ErrorBody::CloudCodes(_))),
        "{error:?}"
    );
    assert_eq!(error.codes(), ["root.unauthorized"]);
    assert!(!format!("{error} {error:?}").contains("essu_secret"));
}

#[tokio::test]
async fn elasticsearch_sends_the_query_parameters_it_is_given_and_no_others() {
    let server = MockServer::start_async().await;
    let response: GetApiKeyResponse = example("security.get_api_key", "200", "with-limited-by");
    let mock = server.security_get_api_key(|when, then| {
        when.owner(true)
            .with_limited_by(true)
            .name("my key*")
            .id(None)
            .username(None)
            .realm_name(None)
            .active_only(None)
            .with_profile_uid(None);
        then.ok(&response);
    });
    let got = es(&server)
        .security_get_api_key()
        .owner(true)
        .with_limited_by(true)
        .name("my key*")
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    assert_eq!(got.into_inner(), response);
}

#[tokio::test]
async fn elasticsearch_authenticates_with_each_kind_of_credentials() {
    let server = MockServer::start_async().await;
    let empty = GetApiKeyResponse::builder()
        .api_keys(vec![])
        .build()
        .unwrap();
    for (credentials, header) in [
        (
            Credentials::api_key_from_parts("VuaCfGcBCdbkQm-e5aOx", "ui2lp2axTNmsyakw9tvNnw"),
            "ApiKey VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw==",
        ),
        (
            // base64("id:secret"), without padding: sent as it was given.
            Credentials::api_key("aWQ6c2VjcmV0"),
            "ApiKey aWQ6c2VjcmV0",
        ),
        (
            Credentials::basic("elastic", "changeme"),
            "Basic ZWxhc3RpYzpjaGFuZ2VtZQ==",
        ),
        (Credentials::bearer("dG9rZW4"), "Bearer dG9rZW4"),
    ] {
        let mock = server.mock(|when, then| {
            when.path("/_security/api_key")
                .header("authorization", header);
            then.status(200)
                .json_body(serde_json::to_value(&empty).unwrap());
        });
        let client = elasticsearch::Client::builder()
            .base_url(server.base_url())
            .credentials(credentials.clone())
            .build()
            .unwrap();
        client.security_get_api_key().send().await.unwrap();
        mock.assert_async().await;
        mock.delete_async().await;
        assert!(
            !format!("{client:?}").contains(header.split(' ').nth(1).unwrap()),
            "{client:?}"
        );
    }
}

#[tokio::test]
async fn elasticsearch_errors_are_typed_error_responses() {
    let server = MockServer::start_async().await;
    let body: ErrorResponse = example("security.get_api_key", "401", "missing-credentials");
    server.security_get_api_key(|_, then| {
        then.unauthorized(&body);
    });
    let error = es(&server).security_get_api_key().send().await.unwrap_err();
    let Error::Api(answer) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(answer.status(), 401);
    let ErrorBody::Elasticsearch(body) = answer.body() else {
        panic!("{answer:?}")
    };
    assert_eq!(body.error.type_, "security_exception");
    assert_eq!(error.codes(), ["security_exception"]);
    assert_eq!(
        error.to_string(),
        "HTTP 401 Unauthorized: security_exception: missing authentication credentials for REST request [/_security/api_key?owner=true]"
    );
}

#[tokio::test]
async fn an_unknown_id_is_its_own_outcome_not_a_decoding_failure() {
    let server = MockServer::start_async().await;
    server.mock(|when, then| {
        when.path("/_security/api_key")
            .query_param("id", "no-such-key");
        then.status(404)
            .json_body(serde_json::json!({"api_keys": []}));
    });
    let error = es(&server)
        .security_get_api_key()
        .id("no-such-key")
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::NotFound(not_found)
            if not_found.value.as_deref() == Some("no-such-key") && not_found.error.is_none()),
        "{error:?}"
    );
    assert_eq!(error.to_string(), "no API key with id [no-such-key]");

    // A 404 with an error body (a proxy's, say) is still the error it is.
    let index: ErrorResponse = serde_json::from_value(serde_json::json!({
        "error": {
            "root_cause": [{"type": "index_not_found_exception", "reason": "no such index [.security]"}],
            "type": "index_not_found_exception",
            "reason": "no such index [.security]"
        },
        "status": 404
    }))
    .unwrap();
    server.security_get_api_key(|when, then| {
        when.id("other");
        then.client_error(404, &index);
    });
    let error = es(&server)
        .security_get_api_key()
        .id("other")
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.codes(), ["index_not_found_exception"], "{error:?}");
    assert!(matches!(&error, Error::Api(_)), "{error:?}");
}

#[tokio::test]
async fn request_rules_are_checked_before_sending_with_elasticsearchs_messages() {
    let server = MockServer::start_async().await;
    let mock = server.mock(|when, then| {
        when.any_request();
        then.status(500);
    });
    let client = es(&server);
    let cases = [
        (
            client.security_get_api_key().id("a").name("b"),
            "Validation Failed: 1: only one of [api key id, api key name] can be specified;",
        ),
        (
            client.security_get_api_key().name("b").username("u"),
            "Validation Failed: 1: username or realm name must not be specified when the api key id or api key name is specified;",
        ),
        (
            client
                .security_get_api_key()
                .owner(true)
                .realm_name("native1"),
            "Validation Failed: 1: neither username nor realm-name may be specified when retrieving owned API keys;",
        ),
        (
            client
                .security_get_api_key()
                .id("a")
                .name("b")
                .realm_name("r"),
            "Validation Failed: 1: username or realm name must not be specified when the api key id or api key name is specified;2: only one of [api key id, api key name] can be specified;",
        ),
    ];
    for (request, message) in cases {
        let error = request.send().await.unwrap_err();
        assert!(matches!(error, Error::RequestRule(_)), "{error:?}");
        assert_eq!(error.to_string(), message);
    }
    mock.assert_calls_async(0).await;
}

#[tokio::test]
async fn query_values_with_reserved_characters_arrive_intact() {
    let server = MockServer::start_async().await;
    let response: GetApiKeyResponse = example("security.get_api_key", "200", "with-limited-by");
    for id in [
        "a/b",
        "what?",
        "x#y",
        "100%",
        "two words",
        "plus+sign",
        "amp&eq=",
    ] {
        let mock = server.security_get_api_key(|when, then| {
            when.id(id).name(None);
            then.ok(&response);
        });
        es(&server)
            .security_get_api_key()
            .id(id)
            .send()
            .await
            .unwrap();
        mock.assert_async().await;
        mock.delete_async().await;
    }
}
