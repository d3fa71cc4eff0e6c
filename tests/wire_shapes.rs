//! The shapes real servers send, one behaviour per test: open enums, unknown fields, legacy and
//! loose shapes, time, and secrets. Each test names the fixture it reads.

use elastic_apikeys_models::elasticsearch::{
    ApiKey, ApiKeyType, ErrorResponse, GetApiKeyResponse, GlobalPrivilege, IndicesQuery, Names,
    RemoteClusterPrivilege, RestrictionWorkflow, RoleDescriptor, RoleDescriptorGlobal,
};
use elastic_apikeys_models::{REDACTED, SecretString, cloud};
use elastic_apikeys_tests::fixture;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

fn decode<T: DeserializeOwned>(path: &str) -> T {
    serde_json::from_str(&fixture(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn keys(name: &str) -> Vec<ApiKey> {
    decode::<GetApiKeyResponse>(&format!("elasticsearch/GetApiKeyResponse/{name}.json")).api_keys
}

/// The role `role` of the first key of fixture `name`.
fn role(name: &str, role: &str) -> RoleDescriptor {
    keys(name)[0].role_descriptors.as_ref().unwrap()[role].clone()
}

fn error(name: &str) -> ErrorResponse {
    decode(&format!("elasticsearch/ErrorResponse/{name}.json"))
}

fn encode(value: &impl serde::Serialize) -> Value {
    serde_json::to_value(value).unwrap()
}

// ---- Open enums ------------------------------------------------------------------------------

#[test]
fn an_unknown_key_type_is_kept_and_written_back_verbatim() {
    let key = &keys("unknown-type-and-fields-from-a-newer-cluster")[0];
    let kind = key.type_.as_ref().unwrap();
    assert!(matches!(kind, ApiKeyType::Unknown(value) if value.as_str() == "x_test_future_type"));
    assert_eq!(kind.as_str(), "x_test_future_type");
    assert_eq!(kind.to_string(), "x_test_future_type");
    assert_eq!(encode(key)["type"], "x_test_future_type");
}

#[test]
fn one_unknown_value_does_not_fail_the_list() {
    let body = json!({"api_keys": [
        {"id": "a", "name": "old", "type": "rest", "creation": 1, "invalidated": false,
         "username": "u", "realm": "r", "metadata": {}},
        {"id": "b", "name": "new", "type": "quantum", "creation": 2, "invalidated": false,
         "username": "u", "realm": "r", "metadata": {}}
    ]});
    let response: GetApiKeyResponse = serde_json::from_value(body).unwrap();
    assert_eq!(response.api_keys[0].type_, Some(ApiKeyType::Rest));
    assert_eq!(
        response.api_keys[1].type_.as_ref().unwrap().as_str(),
        "quantum"
    );
}

#[test]
fn every_enum_is_open_and_known_values_map_to_their_variants() {
    let role = role("remote-indices-remote-cluster-restriction-8-15", "search");
    let remote = role.remote_cluster.as_ref().unwrap();
    assert_eq!(
        remote[0].privileges,
        [
            RemoteClusterPrivilege::MonitorEnrich,
            RemoteClusterPrivilege::MonitorStats
        ]
    );
    assert_eq!(remote[1].privileges[0].as_str(), "monitor_future");
    assert!(matches!(
        remote[1].privileges[0],
        RemoteClusterPrivilege::Unknown(_)
    ));
    let workflows = &role.restriction.as_ref().unwrap().workflows;
    assert_eq!(workflows[0], RestrictionWorkflow::SearchApplicationQuery);
    assert_eq!(workflows[1].as_str(), "agent_builder_chat");

    for value in ApiKeyType::KNOWN_VALUES {
        let kind = ApiKeyType::from(*value);
        assert!(!matches!(kind, ApiKeyType::Unknown(_)), "{value}");
        assert_eq!(kind.as_str(), *value);
        assert_eq!(value.parse::<ApiKeyType>(), Ok(kind));
    }
    assert_eq!(ApiKeyType::from("cross_cluster"), ApiKeyType::CrossCluster);
    // Values are matched exactly, so an unusual spelling is kept as it came, not rewritten.
    assert_eq!(ApiKeyType::from("REST").as_str(), "REST");
}

#[test]
fn an_enum_that_is_not_a_string_is_a_clear_error() {
    let error = serde_json::from_value::<ApiKeyType>(json!(7)).unwrap_err();
    assert!(
        error.to_string().contains("a string (ApiKeyType)"),
        "{error}"
    );
}

// ---- Nothing lost ----------------------------------------------------------------------------

#[test]
fn unknown_fields_are_kept_on_keys_roles_and_index_privileges() {
    let key = &keys("unknown-type-and-fields-from-a-newer-cluster")[0];
    assert_eq!(
        key.extra["x_test_future_last_used"],
        json!({"at": 1790000100000i64, "node": "es-1"})
    );
    assert_eq!(key.extra["x_test_future.certificate_serial"], "0a:1b");
    let role = &key.role_descriptors.as_ref().unwrap()["future"];
    assert_eq!(role.extra["x_test_future_data_scopes"], json!(["tenant-a"]));
    let indices = &role.indices.as_ref().unwrap()[0];
    assert_eq!(indices.extra["x_test_future_selector"], "failures");
    assert_eq!(
        indices.extra["x_test_future.resource_limits"],
        json!({"max_docs": 100})
    );

    let written = encode(key);
    assert_eq!(written["x_test_future_last_used"]["node"], "es-1");
    assert_eq!(
        written["role_descriptors"]["future"]["indices"][0]["x_test_future.resource_limits"]["max_docs"],
        100
    );
}

#[test]
fn unknown_fields_are_kept_on_cloud_keys_and_role_assignments() {
    let list: cloud::ApiKeysResponse =
        decode("cloud/ApiKeysResponse/unknown-scopes-and-fields.json");
    let key = &list.keys[0];
    assert_eq!(
        key.extra["x_test_future_last_used_date"],
        "2026-10-01T12:00:00Z"
    );
    let roles = key.role_assignments.as_ref().unwrap();
    assert_eq!(
        roles.extra["x_test_future_scope"][0]["region"],
        "aws-eu-west-1"
    );
    assert_eq!(
        roles.platform.as_ref().unwrap()[0].extra["x_test_future_scope"],
        "global"
    );
    let project = roles.project.as_ref().unwrap();
    assert_eq!(
        project.extra["x_test_future_project"][0]["role_id"],
        "workplace-ai-viewer"
    );
    assert_eq!(
        encode(&list)["keys"][0]["role_assignments"]["project"]["x_test_future_project"][0]["all"],
        true
    );
}

#[test]
fn error_causes_keep_their_extra_and_dotted_keys() {
    let error = error("404-index-not-found-dotted-keys");
    assert_eq!(error.error.extra["resource.type"], "index_or_alias");
    assert_eq!(error.error.extra["resource.id"], ".security-7");
    assert_eq!(error.error.extra["index_uuid"], "_na_");
    // An exception's metadata that the spec declares is a field, written where the server
    // writes it: after `reason`, before `header`.
    let error = error_401_expired();
    let Some(Names::One(credentials)) = &error.error.additional_unsuccessful_credentials else {
        panic!("{:?}", error.error.additional_unsuccessful_credentials);
    };
    assert_eq!(credentials, "API key: api key is expired");
    let written = serde_json::to_string(&error).unwrap();
    let at = |needle: &str| written.find(needle).unwrap();
    assert!(at("\"reason\"") < at("\"additional_unsuccessful_credentials\""));
    assert!(at("\"additional_unsuccessful_credentials\"") < at("\"header\""));
}

fn error_401_expired() -> ErrorResponse {
    error("401-expired-api-key")
}

#[test]
fn integers_stay_exact_beyond_two_to_the_53() {
    let key = &keys("metadata-of-any-json-type")[0];
    let text = serde_json::to_string(key).unwrap();
    for exact in [
        "9223372036854775807",
        "18446744073709551615",
        "-9223372036854775808",
    ] {
        assert!(text.contains(exact), "{exact} not in {text}");
    }
    let sorted = &keys("sort-values-of-every-type")[0];
    let sort = sorted.sort.as_ref().unwrap();
    assert_eq!(sort[1].0, json!(9223372036854775807i64));
    assert!(
        serde_json::to_string(sorted)
            .unwrap()
            .contains("[1715000000000,9223372036854775807,-42,")
    );
    assert_eq!(
        keys("invalidated-with-invalidation-8-12")[0].invalidation,
        Some(1707000000123)
    );
}

#[test]
fn absent_and_empty_stay_distinct() {
    let old = &keys("metadata-absent-7-12")[0];
    assert_eq!(old.metadata, None);
    assert_eq!(old.role_descriptors, None);
    let written = encode(old);
    assert!(written.get("metadata").is_none() && written.get("role_descriptors").is_none());

    let inherits = &keys("seed-with-limited-by")[0];
    assert_eq!(inherits.role_descriptors.as_ref().map(|r| r.len()), Some(0));
    assert_eq!(encode(inherits)["role_descriptors"], json!({}));
    let role = &inherits.limited_by.as_ref().unwrap()[0]["role-power-user"];
    assert_eq!(role.applications.as_deref(), Some(&[][..]));
    assert_eq!(encode(role)["run_as"], json!([]));
}

// ---- Legacy and loose shapes -----------------------------------------------------------------

#[test]
fn a_key_without_a_name_decodes_and_writes_its_null_back() {
    let key = &keys("name-null-7x-grant")[0];
    assert_eq!(key.name, None);
    assert_eq!(encode(key).get("name"), Some(&Value::Null));
}

#[test]
fn a_key_whose_null_name_was_dropped_reads_as_null_and_writes_it_back() {
    // Elasticsearch always sends `name`; a tool that drops nulls on the way may not. The key must
    // still decode (one such key must not fail a whole list), as the JSON Schema promises.
    let body = json!({"api_keys": [
        {"id": "a", "creation": 1, "invalidated": false, "username": "u", "realm": "r"}
    ]});
    let response: GetApiKeyResponse = serde_json::from_str(&body.to_string())
        .expect("a key without `name` decodes: see xtask/src/codegen/struct_deserialize.rs");
    let key = &response.api_keys[0];
    assert_eq!(key.name, None);
    assert_eq!(
        encode(key).get("name"),
        Some(&Value::Null),
        "written as Elasticsearch writes it"
    );
}

#[test]
fn a_key_from_before_8_10_has_no_type() {
    let key = &keys("type-absent-8-9")[0];
    assert_eq!(key.type_, None);
    assert!(encode(key).get("type").is_none());
}

#[test]
fn an_invalidated_key_from_before_8_12_has_no_invalidation_time() {
    let key = &keys("invalidated-without-invalidation-8-11")[0];
    assert!(key.invalidated);
    assert_eq!(key.invalidation, None);
    assert_eq!(key.invalidation_time(), None);
    let key = &keys("invalidated-with-invalidation-8-12")[0];
    assert_eq!(
        key.invalidation_time().unwrap().timestamp_millis(),
        1707000000123
    );
}

#[test]
fn names_grant_and_except_keep_a_lone_string_or_a_list() {
    let role = role("names-and-field-security-as-strings", "narrow");
    let indices = role.indices.as_ref().unwrap();
    assert_eq!(indices[0].names, Names::One("logs-*".into()));
    let security = indices[0].field_security.as_ref().unwrap();
    assert_eq!(security.grant, Some(Names::One("*".into())));
    assert_eq!(security.except, Some(Names::One("secret.*".into())));
    assert_eq!(
        indices[1].names,
        Names::Many(vec!["metrics-*".into(), "traces-*".into()])
    );
    assert_eq!(
        indices[1].field_security.as_ref().unwrap().except,
        Some(Names::Many(vec![]))
    );
    assert_eq!(encode(&indices[0])["names"], "logs-*");
}

#[test]
fn a_query_is_kept_as_json_text_or_as_an_object() {
    let text = role("query-as-json-text", "dls");
    let Some(IndicesQuery::Text(query)) = &text.indices.as_ref().unwrap()[0].query else {
        panic!("expected the query text")
    };
    let parsed: Value = serde_json::from_str(query).unwrap();
    assert_eq!(
        parsed["bool"]["must_not"]["match"]["note"],
        "café \"quoted\""
    );

    let object = role("query-as-object", "dls");
    let Some(IndicesQuery::Object(query)) = &object.indices.as_ref().unwrap()[0].query else {
        panic!("expected the query object")
    };
    assert_eq!(
        query["template"]["source"]["term"]["owner"],
        "{{_user.username}}"
    );
}

#[test]
fn metadata_values_of_any_json_type_are_kept() {
    let metadata = keys("metadata-of-any-json-type")[0]
        .metadata
        .clone()
        .unwrap();
    assert_eq!(metadata["cost_center"], 4711);
    assert_eq!(metadata["ratio"], 0.25);
    assert_eq!(metadata["active"], true);
    assert_eq!(metadata["owner"], Value::Null);
    assert_eq!(metadata["environment"]["tags"][1], "eu");
    assert_eq!(metadata["_reserved"], true);
}

#[test]
fn every_global_category_the_server_writes_is_read_and_empty_ones_are_kept() {
    // `ConfigurableClusterPrivileges.toXContent` writes every category, an empty one as `{}`.
    let keys = keys("global-every-category-empty-ones-as-objects-8-15");
    let global = |key: usize, role: &str| -> GlobalPrivilege {
        match keys[key].role_descriptors.as_ref().unwrap()[role]
            .global
            .as_deref()
        {
            Some(RoleDescriptorGlobal::One(one)) => one.clone(),
            other => panic!("{other:?}"),
        }
    };
    let profiles = global(0, "profiles");
    assert_eq!(
        profiles.application.as_ref().map(|a| a.manage.is_none()),
        Some(true),
        "`application: {{}}` is read as an empty category, not refused"
    );
    assert_eq!(
        profiles.profile.unwrap().write.unwrap().applications,
        ["kibana*"]
    );
    let apps = global(1, "apps");
    assert_eq!(
        apps.application.unwrap().manage.unwrap().applications,
        ["app-1", "app-*"]
    );
    let roles = global(2, "roles").role.unwrap().manage.unwrap();
    assert_eq!(roles.indices[0].names, ["allowed-index-prefix-*"]);
    assert_eq!(roles.indices[1].privileges, ["read"]);
    // The owner's roles in `limited_by` carry the same shapes.
    let limited = keys[0].limited_by.as_ref().unwrap();
    assert!(limited[0]["kibana_system"].global.is_some());

    // Empty categories are written back as they came.
    let written = serde_json::to_value(&keys[0]).unwrap();
    assert_eq!(
        written["role_descriptors"]["profiles"]["global"],
        json!({"application": {}, "profile": {"write": {"applications": ["kibana*"]}}, "role": {}})
    );

    // `GET /_security/user/_privileges` writes a list of one-category objects; it is read too.
    let many: RoleDescriptorGlobal = serde_json::from_value(json!([
        {"application": {"manage": {"applications": ["app-a"]}}},
        {"profile": {"write": {"applications": ["kibana*"]}}}
    ]))
    .unwrap();
    let RoleDescriptorGlobal::Many(many) = many else {
        panic!("{many:?}")
    };
    assert_eq!(many.len(), 2);
    assert!(many[1].application.is_none() && many[1].profile.is_some());
}

#[test]
fn a_boxed_part_is_built_and_given_back_as_itself() {
    // `global` is `x-rust-boxed`: the model holds it behind a pointer, its builder takes and
    // gives the value itself, and the wire form is unchanged.
    let roles = keys("global-every-category-empty-ones-as-objects-8-15")[1]
        .role_descriptors
        .clone()
        .unwrap();
    let global: RoleDescriptorGlobal = roles["apps"].global.as_deref().unwrap().clone();
    let built = RoleDescriptor::try_from(RoleDescriptor::builder().global(global.clone())).unwrap();
    assert_eq!(built.global.as_deref(), Some(&global));
    assert_eq!(
        serde_json::to_value(&built).unwrap()["global"],
        serde_json::to_value(&global).unwrap()
    );
    let again = RoleDescriptor::try_from(
        elastic_apikeys_models::elasticsearch::builder::RoleDescriptor::from(built.clone()),
    )
    .unwrap();
    assert_eq!(again, built);
}

#[test]
fn sort_values_hold_numbers_strings_booleans_and_null() {
    let sorted = keys("sort-values-of-every-type");
    let sort: Vec<Value> = sorted[0]
        .sort
        .as_ref()
        .unwrap()
        .iter()
        .map(|v| Value::from(v.0.clone()))
        .collect();
    assert_eq!(
        sort,
        [
            json!(1715000000000i64),
            json!(9223372036854775807i64),
            json!(-42),
            json!("2021-08-18T01:29:14.811Z"),
            json!(true),
            Value::Null,
            json!(0.5)
        ]
    );
    assert_eq!(sorted[1].sort.as_ref().unwrap()[0].0, Value::Null);
}

#[test]
fn cloud_errors_accept_null_fields() {
    let reply: cloud::BasicFailedReply =
        decode("cloud/BasicFailedReply/400-invalid-input-fields-null.json");
    assert_eq!(
        reply.errors[0].fields,
        elastic_apikeys_models::Nullable::Null,
        "`null` is kept, and written back"
    );
    assert_eq!(encode(&reply)["errors"][0]["fields"], Value::Null);
    let reply: cloud::BasicFailedReply =
        decode("cloud/BasicFailedReply/400-invalid-input-fields-listed.json");
    assert_eq!(
        reply.errors[1].fields.as_deref(),
        Some(&["body.expiration".into()][..])
    );
}

#[test]
fn error_reasons_may_be_null() {
    let error = error("500-reason-null-caused-by-chain");
    assert_eq!(
        error.error.reason.as_deref(),
        Some("failed to load api keys")
    );
    let cause = error.error.caused_by.as_ref().unwrap();
    assert_eq!(
        (cause.type_.as_str(), cause.reason.as_deref()),
        ("null_pointer_exception", None)
    );
    assert!(
        cause
            .stack_trace
            .as_ref()
            .unwrap()
            .starts_with("java.lang.NullPointerException")
    );
    assert!(error.error.root_cause.as_ref().unwrap()[0].reason.is_null());
    assert_eq!(
        error.error.suppressed.as_ref().unwrap()[0].type_,
        "io_exception"
    );
}

#[test]
fn www_authenticate_is_a_string_or_a_list() {
    let old = error("401-www-authenticate-string-7x");
    assert_eq!(
        old.error.header.as_ref().unwrap()["WWW-Authenticate"],
        Names::One("Basic realm=\"security\" charset=\"UTF-8\"".into())
    );
    let new = error("401-www-authenticate-list");
    let Names::Many(challenges) = &new.error.header.as_ref().unwrap()["WWW-Authenticate"] else {
        panic!()
    };
    assert_eq!(
        challenges,
        &[
            "Basic realm=\"security\", charset=\"UTF-8\"",
            "Bearer realm=\"security\"",
            "ApiKey"
        ]
    );
    let root = &new.error.root_cause.as_ref().unwrap()[0];
    assert!(
        matches!(&root.header.as_ref().unwrap()["WWW-Authenticate"], Names::Many(v) if v.len() == 3)
    );
}

// ---- Time ------------------------------------------------------------------------------------

#[test]
fn epoch_millisecond_accessors_return_none_out_of_range() {
    let body = json!({"api_keys": [{"id": "a", "name": "x", "creation": i64::MAX,
        "expiration": i64::MIN, "invalidated": true, "invalidation": -8_640_000_000_000_001i64,
        "username": "u", "realm": "r"}]});
    let key = &serde_json::from_value::<GetApiKeyResponse>(body)
        .unwrap()
        .api_keys[0];
    assert_eq!(key.creation_time(), None);
    assert_eq!(key.expiration_time(), None);
    assert_eq!(key.invalidation_time(), None);
    assert_eq!(
        encode(key)["creation"],
        json!(i64::MAX),
        "the wire value itself is kept"
    );
}

#[test]
fn cloud_date_times_accept_any_offset_and_fraction() {
    let list: cloud::ApiKeysResponse =
        decode("cloud/ApiKeysResponse/date-times-in-any-offset.json");
    let utc = |text: &str| chrono::DateTime::parse_from_rfc3339(text).unwrap().to_utc();
    let created: Vec<_> = list.keys.iter().map(|k| k.creation_date).collect();
    assert_eq!(created[0], utc("2025-03-18T08:15:02Z"));
    assert_eq!(created[1], utc("2025-03-18T08:15:02.214Z"));
    assert_eq!(created[2], utc("2025-03-18T08:15:02Z"), "+05:30");
    assert_eq!(created[3], utc("2025-03-18T08:15:02.100Z"));
    assert_eq!(
        created[4],
        utc("2025-03-18T08:15:02Z"),
        "lower-case t and z"
    );
    assert_eq!(
        list.keys[2].expiration_date,
        Some(utc("2026-01-01T07:59:59.999999999Z"))
    );
    // Written back as the same instant, in UTC.
    assert_eq!(
        encode(&list.keys[2])["creation_date"],
        "2025-03-18T08:15:02Z"
    );
}

#[test]
fn a_malformed_date_time_is_an_error_not_a_panic() {
    for bad in [
        "2025-13-01T00:00:00Z",
        "yesterday",
        "2025-03-18",
        "2025-03-18T08:15:02",
    ] {
        let body = json!({"id": "a", "description": "", "creation_date": bad});
        assert!(
            serde_json::from_value::<cloud::ApiKeyResponse>(body).is_err(),
            "{bad}"
        );
    }
}

// ---- Secrets ---------------------------------------------------------------------------------

const SECRET: &str = "essu_VjFkV1UxTlhTWGxQVjA1VFlrZFNUMVJ0Y0ZkaVZscFhWRmRTY0U1dFpGaFRiR1JMV1ZkV1lWUlhTbk5YYTJ4V1RXNVNWVlJXV21GWlZsbFhXa1JDVUZaclNrUlNWRXBXVlZaQ01GVlJQVDA9";

#[test]
fn the_cloud_key_is_a_secret_redacted_in_every_debug() {
    let key: cloud::ApiKeyResponse =
        decode("cloud/ApiKeyResponse/create-response-with-secret.json");
    assert_eq!(
        key.key.as_ref().map(SecretString::expose_secret),
        Some(SECRET)
    );
    let list = cloud::ApiKeysResponse::builder()
        .keys(vec![key.clone(), key.clone()])
        .build()
        .unwrap();
    let builder: cloud::builder::ApiKeyResponse = key.clone().into();
    for printed in [
        format!("{key:?}"),
        format!("{key:#?}"),
        format!("{list:?}"),
        format!("{builder:?}"),
        format!("{}", key.key.as_ref().unwrap()),
    ] {
        assert!(
            !printed.contains(SECRET) && !printed.contains("essu_"),
            "{printed}"
        );
        assert!(printed.contains(REDACTED), "{printed}");
    }
}

#[test]
fn the_cloud_key_is_still_serialised_so_it_can_be_saved() {
    let key: cloud::ApiKeyResponse =
        decode("cloud/ApiKeyResponse/create-response-with-secret.json");
    assert_eq!(encode(&key)["key"], SECRET);
    let read: cloud::ApiKeyResponse = decode("cloud/ApiKeyResponse/read-without-secret.json");
    assert!(read.key.is_none() && encode(&read).get("key").is_none());
}

#[test]
fn a_global_privilege_carries_the_9_5_data_sources_with_or_without_application() {
    let descriptor = |global: Value| {
        serde_json::from_value::<RoleDescriptor>(
            json!({"cluster": [], "indices": [], "global": global}),
        )
    };
    let with_data_sources = descriptor(json!({
        "application": {"manage": {"applications": ["kibana-*"]}},
        "data_source": [{"names": ["sales-*"], "privileges": ["read", "read_metadata", "grant_later"]}]
    }))
    .unwrap();
    let Some(RoleDescriptorGlobal::One(global)) = with_data_sources.global.as_deref() else {
        panic!("{with_data_sources:?}")
    };
    let data_sources = global.data_source.as_ref().unwrap();
    assert_eq!(data_sources[0].names, ["sales-*"]);
    assert_eq!(
        data_sources[0]
            .privileges
            .iter()
            .map(|p| p.as_str())
            .collect::<Vec<_>>(),
        ["read", "read_metadata", "grant_later"],
        "a privilege newer than the spec is kept"
    );
    // Written back as it came.
    let written = serde_json::to_value(&with_data_sources).unwrap();
    assert_eq!(
        written["global"]["data_source"][0]["privileges"][2],
        "grant_later"
    );

    // The published specification requires `application`, but a 9.5 server writes every
    // category it has; one that is missing (a newer or older server) is not an error, and an
    // empty `data_source` list stays an empty list.
    let only_data_sources = descriptor(json!({"data_source": []})).unwrap();
    assert_eq!(
        serde_json::to_value(&only_data_sources).unwrap()["global"],
        json!({"data_source": []})
    );
}

#[test]
fn a_value_of_the_wrong_kind_is_named_in_the_error_and_each_kind_finds_its_variant() {
    // `Names` decodes by the first token, without buffering: the error says what was expected.
    let error = serde_json::from_value::<Names>(json!({"a": 1})).unwrap_err();
    assert!(
        error
            .to_string()
            .contains("expected a string or a list (Names)"),
        "{error}"
    );
    assert_eq!(
        serde_json::from_value::<Names>(json!("logs-*")).unwrap(),
        Names::One("logs-*".into())
    );
    let many: Names = serde_json::from_value(json!(["a", "b"])).unwrap();
    // Written back bare, as it came.
    assert_eq!(serde_json::to_value(&many).unwrap(), json!(["a", "b"]));
    let from_text: Names = serde_json::from_str(r#"["a","b"]"#).unwrap();
    assert_eq!(from_text, many);
}

#[test]
fn string_list_setters_take_any_list_of_strings() {
    // The models' strings are `CompactString`s; a list setter takes any list of anything that
    // converts into one, as it took `Vec<String>` when they were `String`s.
    let build =
        |request: elastic_apikeys_models::elasticsearch::builder::InvalidateApiKeyRequest| {
            elastic_apikeys_models::elasticsearch::InvalidateApiKeyRequest::try_from(request)
                .unwrap()
        };
    let from_array = build(
        elastic_apikeys_models::elasticsearch::InvalidateApiKeyRequest::builder().ids(["a", "b"]),
    );
    let from_strings = build(
        elastic_apikeys_models::elasticsearch::InvalidateApiKeyRequest::builder()
            .ids(vec!["a".to_string(), "b".to_string()]),
    );
    let from_slice = build(
        elastic_apikeys_models::elasticsearch::InvalidateApiKeyRequest::builder()
            .ids(["a", "b"].iter().copied()),
    );
    assert_eq!(from_array.ids.as_ref().unwrap(), &["a", "b"]);
    assert_eq!(from_array, from_strings);
    assert_eq!(from_array, from_slice);
}
