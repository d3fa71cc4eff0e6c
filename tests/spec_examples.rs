//! Every response example in `spec/` decodes into its model: the examples of Elastic's API
//! reference verbatim, and the error bodies the services send. The reference's examples are also
//! checked field by field.

use chrono::{DateTime, Utc};
use elastic_apikeys_models::{cloud, elasticsearch};
use elastic_apikeys_tests::{
    Model, ModelVisitor, ResponseExample, response_example, response_examples, response_schemas,
    visit_model,
};
use serde::de::DeserializeOwned;

/// Decodes `value` from its JSON text, as a client would decode a body.
fn decode<T: DeserializeOwned>(value: &serde_json::Value) -> Result<T, serde_json::Error> {
    serde_json::from_str(&value.to_string())
}

/// Decodes an example into the model its schema names; a schema without a model fails the test.
struct DecodeExample<'a>(&'a ResponseExample);

impl ModelVisitor for DecodeExample<'_> {
    type Output = Result<(), serde_json::Error>;

    fn visit<T: Model>(self) -> Self::Output {
        decode::<T>(&self.0.value).map(drop)
    }
}

fn decode_example(example: &ResponseExample) -> Result<(), serde_json::Error> {
    visit_model(
        example.service.module,
        &example.schema,
        DecodeExample(example),
    )
    .unwrap_or_else(|| {
        panic!(
            "no model for {}::{}",
            example.service.module, example.schema
        )
    })
}

#[test]
fn every_response_example_decodes_into_its_model() {
    let examples = response_examples();
    // The list comes from the specs: a new example is decoded here without any change to this
    // test. That it finds some at all is what it can check of the walk itself.
    assert!(!examples.is_empty(), "no response example found in spec/");
    let failures: Vec<String> = examples
        .iter()
        .filter_map(|example| {
            decode_example(example).err().map(|error| {
                format!(
                    "{} {} {} `{}` as {}: {error}",
                    example.service.spec,
                    example.operation_id,
                    example.status,
                    example.name,
                    example.schema
                )
            })
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_schema_behind_a_response_has_an_example() {
    let examples = response_examples();
    // Derived from the specs, so a new response schema is checked as soon as it is declared.
    let schemas = response_schemas();
    assert!(!schemas.is_empty(), "no response schema found in spec/");
    for (module, schema) in schemas {
        assert!(
            examples
                .iter()
                .any(|e| e.service.module == module && e.schema == schema),
            "no example of {module}::{schema}: add a real body of it under the response's \
             `content.application/json.examples` in the spec"
        );
    }
}

fn utc(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).unwrap().to_utc()
}

#[test]
fn seed_000_cloud_list_decodes_field_by_field() {
    let list: cloud::ApiKeysResponse =
        decode(&response_example("get-api-keys", "200", "seed")).unwrap();
    assert_eq!(list.keys.len(), 1);
    let key = &list.keys[0];
    assert_eq!(key.id, "string");
    assert_eq!(key.user_id.as_deref(), Some("string"));
    assert_eq!(key.organization_id.as_deref(), Some("string"));
    assert_eq!(key.description, "string");
    assert_eq!(key.key.as_ref().map(|k| k.expose_secret()), Some("string"));
    assert_eq!(key.creation_date, utc("2024-05-04T09:42:00Z"));
    assert_eq!(key.expiration_date, Some(utc("2024-05-04T09:42:00Z")));

    let roles = key.role_assignments.as_ref().unwrap();
    assert_eq!(roles.platform.as_ref().unwrap()[0].role_id, "string");
    assert_eq!(
        roles.organization.as_ref().unwrap()[0].organization_id,
        "string"
    );
    let deployment = &roles.deployment.as_ref().unwrap()[0];
    assert_eq!(deployment.all, Some(true));
    assert_eq!(
        deployment.deployment_ids.as_deref(),
        Some(&["string".into()][..])
    );
    assert_eq!(
        deployment.application_roles.as_deref(),
        Some(&["string".into()][..])
    );
    let project = roles.project.as_ref().unwrap();
    for assignments in [
        &project.elasticsearch,
        &project.observability,
        &project.security,
    ] {
        let assignments = assignments.as_ref().unwrap();
        assert_eq!(assignments.len(), 1);
        assert_eq!(assignments[0].role_id, "string");
        assert_eq!(assignments[0].all, Some(true));
        assert_eq!(
            assignments[0].project_ids.as_deref(),
            Some(&["string".into()][..])
        );
        assert_eq!(
            assignments[0].application_roles.as_deref(),
            Some(&["string".into()][..])
        );
    }
}

#[test]
fn cloud_date_times_accept_any_offset_and_fractions() {
    let key: cloud::ApiKeyResponse =
        decode(&response_example("get-api-key", "200", "realistic")).unwrap();
    assert_eq!(key.creation_date, utc("2025-03-18T08:15:02.214Z"));
    // `+01:00` is the same instant as 07:15:02 UTC.
    assert_eq!(key.expiration_date, Some(utc("2026-03-18T07:15:02Z")));
    assert!(key.key.is_none(), "reads never carry the secret");
}

#[test]
fn seed_001_not_found_error_decodes() {
    let reply: cloud::BasicFailedReply =
        decode(&response_example("get-api-key", "404", "not-found")).unwrap();
    assert_eq!(reply.errors.len(), 1);
    assert_eq!(reply.errors[0].code, "api_keys.key_not_found");
    assert!(reply.errors[0].fields.is_absent());
}

#[test]
fn seed_002_key_with_limited_by_decodes_field_by_field() {
    let response: elasticsearch::GetApiKeyResponse = decode(&response_example(
        "security.get_api_key",
        "200",
        "with-limited-by",
    ))
    .unwrap();
    let key = &response.api_keys[0];
    assert_eq!(key.id, "VuaCfGcBCdbkQm-e5aOx");
    assert_eq!(key.name.as_deref(), Some("my-api-key"));
    assert_eq!(key.type_, None, "the seed predates `type`");
    assert_eq!(key.creation, 1548550550158);
    assert_eq!(key.creation_time(), Some(utc("2019-01-27T00:55:50.158Z")));
    assert_eq!(key.expiration_time(), Some(utc("2019-01-27T01:12:30.158Z")));
    assert!(!key.invalidated);
    assert_eq!(key.invalidation, None);
    assert_eq!(
        (key.username.as_str(), key.realm.as_str()),
        ("myuser", "native1")
    );
    assert_eq!(key.realm_type.as_deref(), Some("native"));
    let metadata = key.metadata.as_ref().unwrap();
    assert_eq!(metadata["application"], "myapp");
    assert_eq!(key.role_descriptors.as_ref().map(|r| r.len()), Some(0));

    let limited_by = key.limited_by.as_ref().unwrap();
    assert_eq!(limited_by.len(), 1);
    let role = &limited_by[0]["role-power-user"];
    assert_eq!(role.cluster.as_deref(), Some(&["monitor".into()][..]));
    let indices = role.indices.as_ref().unwrap();
    assert_eq!(indices.len(), 1);
    assert_eq!(
        indices[0].names,
        elasticsearch::Names::Many(vec!["*".into()])
    );
    assert_eq!(indices[0].privileges, ["read"]);
    assert_eq!(indices[0].allow_restricted_indices, Some(false));
    assert_eq!(role.applications, Some(vec![]));
    assert_eq!(role.run_as, Some(vec![]));
    assert_eq!(role.transient_metadata.as_ref().unwrap()["enabled"], true);
}

#[test]
fn seed_002_keys_of_a_user_decode_field_by_field() {
    let response: elasticsearch::GetApiKeyResponse = decode(&response_example(
        "security.get_api_key",
        "200",
        "by-user-and-realm",
    ))
    .unwrap();
    assert_eq!(response.api_keys.len(), 2);
    let first = &response.api_keys[0];
    let role = &first.role_descriptors.as_ref().unwrap()["role-a"];
    assert_eq!(
        role.indices.as_ref().unwrap()[0].names,
        elasticsearch::Names::Many(vec!["index-a".into()])
    );
    assert_eq!(first.limited_by, None);

    let second = &response.api_keys[1];
    assert_eq!(second.id, "6wHJmcQpReKBa42EHV5SBw");
    assert_eq!(second.expiration, None);
    assert_eq!(second.expiration_time(), None);
    assert_eq!(second.realm_type, None);
    assert!(second.metadata.as_ref().unwrap().is_empty());
}

#[test]
fn cross_cluster_key_keeps_its_access_and_query_text() {
    let response: elasticsearch::GetApiKeyResponse = decode(&response_example(
        "security.get_api_key",
        "200",
        "cross-cluster",
    ))
    .unwrap();
    let key = &response.api_keys[0];
    assert_eq!(key.type_, Some(elasticsearch::ApiKeyType::CrossCluster));
    let access = key.access.as_ref().unwrap();
    assert_eq!(
        access.search.as_ref().unwrap()[0].query,
        Some(elasticsearch::IndicesQuery::Text(
            r#"{"term":{"tag":42}}"#.into()
        ))
    );
    assert_eq!(access.replication.as_ref().unwrap().len(), 1);
    assert!(
        key.role_descriptors
            .as_ref()
            .unwrap()
            .contains_key("cross_cluster")
    );
}

#[test]
fn elasticsearch_errors_keep_their_type_reason_and_extra_keys() {
    let error: elasticsearch::ErrorResponse = decode(&response_example(
        "security.get_api_key",
        "400",
        "api-keys-disabled",
    ))
    .unwrap();
    assert_eq!(error.status, 400);
    assert_eq!(error.error.type_, "feature_not_enabled_exception");
    assert_eq!(
        error.error.reason.as_deref(),
        Some("api keys are not enabled")
    );
    assert_eq!(error.error.extra["disabled.feature"], "api_keys");
    assert_eq!(
        error.error.root_cause.as_ref().unwrap()[0].extra["disabled.feature"],
        "api_keys"
    );

    // An unknown id: the success body, empty, with 404.
    let empty: elasticsearch::GetApiKeyResponse = decode(&response_example(
        "security.get_api_key",
        "404",
        "unknown-id",
    ))
    .unwrap();
    assert!(empty.api_keys.is_empty());

    let error: elasticsearch::ErrorResponse = decode(&response_example(
        "security.get_api_key",
        "401",
        "unknown-api-key",
    ))
    .unwrap();
    let header = error.error.header.as_ref().unwrap();
    assert_eq!(
        header["WWW-Authenticate"],
        elasticsearch::Names::One("ApiKey".into())
    );
    let error: elasticsearch::ErrorResponse = decode(&response_example(
        "security.get_api_key",
        "401",
        "missing-credentials",
    ))
    .unwrap();
    let header = error.error.header.as_ref().unwrap();
    assert!(matches!(&header["WWW-Authenticate"], elasticsearch::Names::Many(v) if v.len() == 3));
}
