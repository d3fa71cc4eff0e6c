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
