//! The request rules the spec declares in their newer forms (`no_blank`, `when`, `given`,
//! `stop`), checked by the client before anything is sent, in the server's words and
//! order: a loopback server that would answer 500 must see no request.

use elastic_apikeys_client::elasticsearch::types::{
    CloneApiKeyRequest, GrantApiKeyRequest, InvalidateApiKeyRequest,
};
use elastic_apikeys_client::{Error, elasticsearch};
use elastic_apikeys_mock::httpmock::MockServer;
use serde_json::json;

/// A client of `server`, which answers every request with a 500 that no test expects.
fn client(server: &MockServer) -> elasticsearch::Client {
    elasticsearch::Client::builder()
        .base_url(server.base_url())
        .build()
        .unwrap()
}

/// The message of a request refused before it was sent, or `None` if it was sent.
fn refused(result: Result<impl std::fmt::Debug, Error>) -> Option<String> {
    match result {
        Err(Error::RequestRule(violation)) => Some(violation.to_string()),
        Err(other) => panic!("not a request rule: {other:?}"),
        Ok(_) => None,
    }
}

/// A server that answers anything with a 500; the returned mock counts what reached it.
fn answering_500(server: &MockServer) -> elastic_apikeys_mock::httpmock::Mock<'_> {
    server.mock(|when, then| {
        when.any_request();
        then.status(500);
    })
}

#[tokio::test]
async fn blank_ids_are_refused_with_their_positions_and_nothing_else() {
    let server = MockServer::start_async().await;
    let none = answering_500(&server);
    let client = client(&server);
    let cases = [
        (
            json!({"ids": ["VuaCfGcBCdbkQm-e5aOx", " "]}),
            "Validation Failed: 1: Field [ids] must not contain blank id, but got blank id at index position: [1];",
        ),
        (
            // `InvalidateApiKeyRequest` throws as it is built, so the server checks no further:
            // `name` beside `ids` would be refused too, but it is not said.
            json!({"ids": ["", "k", "\t"], "name": "my-api-key"}),
            "Validation Failed: 1: Field [ids] must not contain blank id, but got blank ids at index positions: [0, 2];",
        ),
        (
            json!({"ids": [], "name": "my-api-key"}),
            "Validation Failed: 1: Field [ids] cannot be an empty array;",
        ),
    ];
    for (body, message) in cases {
        let request: InvalidateApiKeyRequest = serde_json::from_value(body.clone()).unwrap();
        let result = client
            .security_invalidate_api_key()
            .body(request)
            .send()
            .await;
        assert_eq!(refused(result).as_deref(), Some(message), "{body}");
    }
    none.assert_calls_async(0).await;
}

#[tokio::test]
async fn the_new_key_of_a_clone_needs_a_name() {
    let server = MockServer::start_async().await;
    let none = answering_500(&server);
    let client = client(&server);
    let credential = "VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw==";
    for (body, message) in [
        (
            json!({"api_key": credential}),
            "Validation Failed: 1: api key name is required;",
        ),
        (
            json!({"api_key": "", "name": ""}),
            "Validation Failed: 1: api key credential is required;2: api key name is required;",
        ),
    ] {
        let request: CloneApiKeyRequest = serde_json::from_value(body.clone()).unwrap();
        let result = client.security_clone_api_key().body(request).send().await;
        assert_eq!(refused(result).as_deref(), Some(message), "{body}");
    }
    none.assert_calls_async(0).await;
}

#[tokio::test]
async fn a_grant_needs_the_fields_of_its_grant_type_and_no_others() {
    let server = MockServer::start_async().await;
    let none = answering_500(&server);
    let client = client(&server);
    let key = json!({"name": "user-key"});
    let cases = [
        (
            json!({"grant_type": "password", "api_key": key}),
            "Validation Failed: 1: [username] is required for grant_type [password];2: [password] is required for grant_type [password];",
        ),
        (
            // Whitespace is a value to `Grant.validate()`, which checks lengths, not text.
            json!({"grant_type": "password", "username": " ", "password": "p", "access_token": "t",
                   "client_authentication": {"scheme": "SharedSecret", "value": "s"}, "api_key": key}),
            "Validation Failed: 1: [access_token] is not supported for grant_type [password];2: [client_authentication] is not supported for grant_type [password];",
        ),
        (
            json!({"grant_type": "access_token", "username": "u", "password": "p", "api_key": key}),
            "Validation Failed: 1: [access_token] is required for grant_type [access_token];2: [username] is not supported for grant_type [access_token];3: [password] is not supported for grant_type [access_token];",
        ),
    ];
    for (body, message) in cases {
        let request: GrantApiKeyRequest = serde_json::from_value(body.clone()).unwrap();
        let result = client.security_grant_api_key().body(request).send().await;
        assert_eq!(refused(result).as_deref(), Some(message), "{body}");
    }
    none.assert_calls_async(0).await;
}

#[tokio::test]
async fn what_each_grant_type_accepts_reaches_the_server_as_built() {
    let server = MockServer::start_async().await;
    let client = client(&server);
    for body in [
        json!({"grant_type": "password", "username": "u", "password": "p",
               "api_key": {"name": "user-key"}}),
        json!({"grant_type": "access_token", "access_token": "t", "run_as": "other",
               "client_authentication": {"scheme": "SharedSecret", "value": "s"},
               "api_key": {"name": "user-key", "expiration": "1d"}}),
        // A grant type newer than this crate, with its own field: left for the server to judge.
        json!({"grant_type": "_user_managed_service_account", "service_account_token": "t",
               "api_key": {"name": "user-key"}}),
    ] {
        // Matched on the whole body: no field dropped, renamed or defaulted on the way.
        let granted = server.mock(|when, then| {
            when.method("POST")
                .path("/_security/api_key/grant")
                .json_body(body.clone());
            then.status(200)
                .header("content-type", "application/json")
                .json_body(
                    json!({"id": "k", "name": "user-key", "api_key": "s", "encoded": "aw=="}),
                );
        });
        let request: GrantApiKeyRequest = serde_json::from_value(body.clone()).unwrap();
        let result = client.security_grant_api_key().body(request).send().await;
        assert!(result.is_ok(), "{body}: {result:?}");
        granted.assert_calls_async(1).await;
        granted.delete_async().await;
    }
}

#[tokio::test]
async fn a_certificate_identity_alone_is_an_update_and_null_removes_it() {
    use elastic_apikeys_client::elasticsearch::types::UpdateCrossClusterApiKeyRequest;
    use elastic_apikeys_client::models::Nullable;

    let server = MockServer::start_async().await;
    let client = client(&server);
    let path = "/_security/cross_cluster/api_key/wG1F4RxKt1Z0GF6p_I8j";
    // Each body reaches the server exactly as built: a value, or `null`, and nothing else.
    for (built, sent) in [
        (
            UpdateCrossClusterApiKeyRequest::builder().certificate_identity("CN=remote,O=Example"),
            json!({"certificate_identity": "CN=remote,O=Example"}),
        ),
        (
            UpdateCrossClusterApiKeyRequest::builder().set_certificate_identity(Nullable::Null),
            json!({"certificate_identity": null}),
        ),
    ] {
        let updated = server.mock(|when, then| {
            when.method("PUT").path(path).json_body(sent.clone());
            then.status(200)
                .header("content-type", "application/json")
                .json_body(json!({"updated": true}));
        });
        let answer = client
            .security_update_cross_cluster_api_key()
            .id("wG1F4RxKt1Z0GF6p_I8j")
            .body(built)
            .send()
            .await;
        assert!(answer.is_ok(), "{sent}: {answer:?}");
        updated.assert_calls_async(1).await;
        updated.delete_async().await;
    }

    // Left out, it is no update; an expiration alone is none either.
    let none = answering_500(&server);
    for built in [
        UpdateCrossClusterApiKeyRequest::builder(),
        UpdateCrossClusterApiKeyRequest::builder().expiration("30d"),
        UpdateCrossClusterApiKeyRequest::builder().set_certificate_identity(Nullable::Absent),
    ] {
        let result = client
            .security_update_cross_cluster_api_key()
            .id("wG1F4RxKt1Z0GF6p_I8j")
            .body(built)
            .send()
            .await;
        assert_eq!(
            refused(result).as_deref(),
            Some(
                "Validation Failed: 1: must update  [access] or [metadata] or [certificate_identity] for cross-cluster API keys;"
            )
        );
    }
    none.assert_calls_async(0).await;

    // A `null` read from a document is kept, and written back.
    let decoded: UpdateCrossClusterApiKeyRequest =
        serde_json::from_value(json!({"certificate_identity": null})).unwrap();
    assert!(decoded.certificate_identity.is_null());
    assert_eq!(
        serde_json::to_value(&decoded).unwrap(),
        json!({"certificate_identity": null})
    );
}
