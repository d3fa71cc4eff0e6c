//! The benchmarks' baseline, progenitor's default types (`elastic_apikeys_tests::baseline`),
//! reads the bodies the benchmarks decode, so that what it is compared on is a full decode of
//! every key, not an early error.
//!
//! The default types keep less than the models: they drop unknown fields, and they write empty
//! lists and maps back as absent (typify's `skip_serializing_if = is_empty`). The round trips
//! below check that this is the whole difference.

use elastic_apikeys_tests::baseline::{cloud, elasticsearch};
use elastic_apikeys_tests::bodies;
use serde_json::Value;

/// `value` without the members whose value is an empty list or map, which the default types
/// write back as absent.
fn without_empty_members(value: &Value) -> Value {
    match value {
        Value::Object(members) => Value::Object(
            members
                .iter()
                .filter(|(_, v)| !matches!(v, Value::Array(a) if a.is_empty()))
                .filter(|(_, v)| !matches!(v, Value::Object(o) if o.is_empty()))
                .map(|(k, v)| (k.clone(), without_empty_members(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(without_empty_members).collect()),
        other => other.clone(),
    }
}

#[test]
fn the_elasticsearch_key_list_decodes_and_re_encodes() {
    let body = bodies::elasticsearch_keys(1000);
    let response: elasticsearch::GetApiKeyResponse =
        serde_json::from_str(&body).expect("every key decodes into the default types");
    assert_eq!(response.api_keys.len(), 1000);

    let keys = &response.api_keys;
    assert!(keys.iter().all(|k| k.name.is_some() && !k.id.is_empty()));
    let cross_cluster = keys
        .iter()
        .filter(|k| k.type_ == Some(elasticsearch::ApiKeyType::CrossCluster))
        .count();
    assert!(
        cross_cluster > 0 && keys.iter().any(|k| k.type_.is_none()),
        "cross-cluster keys and keys of clusters before 8.10 (no `type`)"
    );
    assert!(
        keys.iter()
            .filter(|k| k.type_ == Some(elasticsearch::ApiKeyType::CrossCluster))
            .all(|k| k.access.is_some())
    );
    assert!(
        keys.iter()
            .any(|k| k.invalidated && k.invalidation.is_some())
    );
    assert!(keys.iter().any(|k| {
        k.limited_by
            .first()
            .is_some_and(|roles| roles.contains_key("superuser"))
    }));

    let encoded = serde_json::to_value(&response).unwrap();
    let original: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        without_empty_members(&encoded),
        without_empty_members(&original)
    );
    let again: elasticsearch::GetApiKeyResponse = serde_json::from_value(encoded.clone()).unwrap();
    assert_eq!(serde_json::to_value(&again).unwrap(), encoded);
}

#[test]
fn the_cloud_key_list_decodes_and_re_encodes() {
    let body = bodies::cloud_keys(50);
    let response: cloud::ApiKeysResponse =
        serde_json::from_str(&body).expect("every key decodes into the default types");
    assert_eq!(response.keys.len(), 50);

    let first = &response.keys[0];
    assert_eq!(first.description, "automation key 0");
    assert!(first.key.is_none(), "listing never sends the secret");
    let roles = first.role_assignments.as_ref().unwrap();
    assert_eq!(roles.organization.len(), 1);
    assert_eq!(roles.deployment[0].all, Some(false));
    let project = roles.project.as_ref().unwrap();
    assert_eq!(project.observability[0].role_id, "observability-viewer");
    assert!(response.keys.iter().any(|k| k.expiration_date.is_some()));
    assert!(response.keys.iter().any(|k| k.expiration_date.is_none()));

    let encoded = serde_json::to_value(&response).unwrap();
    let original: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(encoded, original);
}
