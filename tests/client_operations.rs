//! The generated clients against a real HTTP server on loopback, answering with the spec's
//! examples: the requests they send and the bodies they decode.

use elastic_apikeys_client::{cloud, elasticsearch};
use elastic_apikeys_tests::response_example;
use httpmock::Method::GET;
use httpmock::MockServer;

#[tokio::test]
async fn cloud_lists_the_keys_of_the_user() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/v1/users/auth/keys")
                .header("accept", "application/json");
            then.status(200)
                .header("content-type", "application/json")
                .json_body(response_example("get-api-keys", "200", "realistic"));
        })
        .await;

    // The base URL carries a path stem, as `https://api.elastic-cloud.com/api/v1` does.
    let client = cloud::Client::new(&server.url("/api/v1"));
    let response = client.get_api_keys().send().await.unwrap();
    mock.assert_async().await;
    assert_eq!(response.status(), 200);
    let keys = &response.into_inner().keys;
    assert_eq!(keys.len(), 2);
    assert_eq!(keys[0].description, "terraform automation");
    let roles = keys[0].role_assignments.as_ref().unwrap();
    assert_eq!(
        roles.deployment.as_ref().unwrap()[0].role_id,
        "deployment-editor"
    );
    assert_eq!(keys[1].description, "");
}

#[tokio::test]
async fn cloud_reads_one_key_by_id() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/v1/users/auth/keys/2ce0be1f3b8c4b5c9a8a3f4e5d6c7b8a");
            then.status(200)
                .json_body(response_example("get-api-key", "200", "realistic"));
        })
        .await;
    let client = cloud::Client::new(&server.url("/api/v1"));
    let key = client
        .get_api_key()
        .api_key_id("2ce0be1f3b8c4b5c9a8a3f4e5d6c7b8a")
        .send()
        .await
        .unwrap()
        .into_inner();
    mock.assert_async().await;
    assert_eq!(key.id, "2ce0be1f3b8c4b5c9a8a3f4e5d6c7b8a");
    assert_eq!(
        key.role_assignments.unwrap().platform.unwrap()[0].role_id,
        "platform-viewer"
    );
}

#[tokio::test]
async fn cloud_not_found_is_a_typed_basic_failed_reply() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/users/auth/keys/nope");
            then.status(404)
                .header("x-cloud-error-codes", "api_keys.key_not_found")
                .json_body(response_example("get-api-key", "404", "not-found"));
        })
        .await;
    let client = cloud::Client::new(&server.base_url());
    let error = client
        .get_api_key()
        .api_key_id("nope")
        .send()
        .await
        .unwrap_err();
    let cloud::Error::ErrorResponse(reply) = error else {
        panic!("expected the typed error body, got {error:?}")
    };
    assert_eq!(reply.status(), 404);
    assert_eq!(
        reply.headers()["x-cloud-error-codes"],
        "api_keys.key_not_found"
    );
    assert_eq!(reply.errors[0].code, "api_keys.key_not_found");
}

#[tokio::test]
async fn elasticsearch_sends_the_query_parameters_it_is_given_and_no_others() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/_security/api_key")
                .query_param("owner", "true")
                .query_param("with_limited_by", "true")
                .query_param("name", "my-*")
                .query_param_missing("id")
                .query_param_missing("username")
                .query_param_missing("realm_name")
                .query_param_missing("active_only")
                .query_param_missing("with_profile_uid");
            then.status(200).json_body(response_example(
                "security.get_api_key",
                "200",
                "with-limited-by",
            ));
        })
        .await;
    let client = elasticsearch::Client::new(&server.base_url());
    let response = client
        .security_get_api_key()
        .owner(true)
        .with_limited_by(true)
        .name("my-*")
        .send()
        .await
        .unwrap();
    mock.assert_async().await;
    let key = &response.api_keys[0];
    assert_eq!(key.id, "VuaCfGcBCdbkQm-e5aOx");
    let role = &key.limited_by.as_ref().unwrap()[0]["role-power-user"];
    assert_eq!(role.cluster.as_deref(), Some(&["monitor".to_string()][..]));
}

#[tokio::test]
async fn elasticsearch_errors_are_typed_error_responses() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/_security/api_key");
            then.status(401).json_body(response_example(
                "security.get_api_key",
                "401",
                "missing-credentials",
            ));
        })
        .await;
    let client = elasticsearch::Client::new(&server.base_url());
    let error = client.security_get_api_key().send().await.unwrap_err();
    let elasticsearch::Error::ErrorResponse(body) = error else {
        panic!("expected the typed error body, got {error:?}")
    };
    assert_eq!(body.status(), 401);
    assert_eq!(body.status, 401);
    assert_eq!(body.error.type_, "security_exception");
    assert!(
        body.error
            .reason
            .as_deref()
            .unwrap()
            .starts_with("missing authentication credentials")
    );
}
