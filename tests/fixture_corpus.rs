//! Every body of the fixture corpus (`tests/fixtures/<module>/<Schema>/*.json`, in the shapes the
//! real services send) decodes, re-encodes to the same JSON document, and re-encodes to the same
//! bytes every time.
//!
//! "The same document" allows exactly the normalisations the models document (see
//! [`normalise`]). Everything else must come back as it was: unknown fields, unknown enum values,
//! a lone string where a list is allowed, a query as text or as an object, integers beyond 2^53.
//!
//! The members of an answer come back in the order they came, so that a stored answer read and
//! written back shows no diff: known fields in the order the server writes them (the spec's
//! order), map entries as received. (A request body is written in the spec's order, whatever
//! order its fixture has: no server's writer gives it one.) The one exception is a field the models do not know, which is written
//! after the known ones; fixtures name such fields `x_test_future_*`, a name Elastic will never
//! give a field, so the fixture stays true when Elastic adds fields.

use elastic_apikeys_models::JsonValue;
use elastic_apikeys_tests::{
    Fixture, Model, ModelVisitor, fixtures, normalise, response_schemas, visit_model,
};
use serde_json::Value;

/// The prefix of the fields that fixtures invent for "a newer server".
const INVENTED: &str = "x_test_future";

/// Where `written` does not keep the member order of `sent`, at any depth: the members both
/// have must come in the same order, but for invented fields (`x_test_future_*`), which the
/// models write after the fields they know.
fn order_differences(sent: &JsonValue, written: &JsonValue, at: &str, found: &mut Vec<String>) {
    match (sent, written) {
        (JsonValue::Object(sent), JsonValue::Object(written)) => {
            let both = |key: &&str| written.get(*key).is_some();
            let sent_keys: Vec<&str> = sent.keys().map(|key| key.as_str()).filter(both).collect();
            let (known, invented): (Vec<&str>, Vec<&str>) =
                sent_keys.iter().partition(|key| !key.starts_with(INVENTED));
            let expected: Vec<&str> = known.into_iter().chain(invented).collect();
            let actual: Vec<&str> = written
                .keys()
                .map(|key| key.as_str())
                .filter(|key| sent.get(*key).is_some())
                .collect();
            if expected != actual {
                found.push(format!(
                    "at {at}: sent {sent_keys:?}, written {actual:?}. If the spec declares these \
                     fields, list its properties in the order the server writes them; if one is \
                     a field the spec does not know, name it `{INVENTED}_*` in the fixture"
                ));
            }
            for key in expected {
                if let (Some(sent), Some(written)) = (sent.get(key), written.get(key)) {
                    order_differences(sent, written, &format!("{at}.{key}"), found);
                }
            }
        }
        (JsonValue::Array(sent), JsonValue::Array(written)) => {
            for (index, (sent, written)) in sent.iter().zip(written.iter()).enumerate() {
                order_differences(sent, written, &format!("{at}[{index}]"), found);
            }
        }
        _ => {}
    }
}

/// A fixture, and whether it is an answer, whose member order the models keep.
struct RoundTrip<'a>(&'a Fixture, bool);

impl ModelVisitor for RoundTrip<'_> {
    type Output = Result<(), String>;

    fn visit<T: Model>(self) -> Self::Output {
        let text = &self.0.text;
        let model: T = serde_json::from_str(text).map_err(|e| format!("decode: {e}"))?;
        let encoded = serde_json::to_string(&model).map_err(|e| format!("encode: {e}"))?;

        let original: Value = serde_json::from_str(text).unwrap();
        let reencoded: Value = serde_json::from_str(&encoded).unwrap();
        if normalise(&original) != normalise(&reencoded) {
            return Err(format!(
                "not the same document:\n  sent:  {original}\n  wrote: {reencoded}"
            ));
        }

        let sent: JsonValue = serde_json::from_str(text).unwrap();
        let written: JsonValue = serde_json::from_str(&encoded).unwrap();
        let mut out_of_order = Vec::new();
        if self.1 {
            order_differences(&sent, &written, "$", &mut out_of_order);
        }
        if !out_of_order.is_empty() {
            return Err(format!(
                "written back in another member order:\n  {}",
                out_of_order.join("\n  ")
            ));
        }

        let again: T = serde_json::from_str(&encoded).map_err(|e| format!("decode again: {e}"))?;
        if again != model {
            return Err(format!(
                "decoding its own output gives another model: {again:?}"
            ));
        }
        let encoded_again = serde_json::to_string(&again).unwrap();
        if encoded_again != encoded {
            return Err(format!(
                "re-encoding is not byte-stable:\n  {encoded}\n  {encoded_again}"
            ));
        }
        Ok(())
    }
}

#[test]
fn the_corpus_is_large_and_covers_every_response_model() {
    let fixtures = fixtures();
    assert!(fixtures.len() >= 25, "only {} fixtures", fixtures.len());
    for (module, schema) in response_schemas() {
        let count = fixtures
            .iter()
            .filter(|f| f.module == module && f.schema == schema)
            .count();
        assert!(
            count >= 2,
            "{module}/{schema} has {count} fixtures: add at least two bodies, in the shapes the \
             service really sends, as tests/fixtures/{module}/{schema}/<what-it-shows>.json"
        );
    }
}

/// Each response schema's fixtures follow what the server's serializer writes, in every branch,
/// and `SOURCE.md` beside them names that serializer, so that the next maintainer reads the
/// same code rather than the documentation.
#[test]
fn every_response_schema_names_the_serializer_its_fixtures_follow() {
    let root = elastic_apikeys_tests::workspace_root().join("tests/fixtures");
    let mut missing = Vec::new();
    for (module, schema) in response_schemas() {
        let path = root.join(module).join(&schema).join("SOURCE.md");
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let cites_a_file = text
            .lines()
            .any(|line| line.starts_with("- `") && line.contains('/'));
        if !cites_a_file {
            missing.push(format!(
                "tests/fixtures/{module}/{schema}/SOURCE.md: name the public source file that \
                 writes this body (for Elasticsearch, the Java class whose toXContent writes \
                 it) as a list item \"- `path/to/File.java`\", and say what it writes in \
                 each branch"
            ));
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

#[test]
fn every_fixture_round_trips_to_the_same_document_and_stable_bytes() {
    let answers = response_schemas();
    let failures: Vec<String> = fixtures()
        .iter()
        .filter_map(|fixture| {
            let answer = answers
                .iter()
                .any(|(module, schema)| *module == fixture.module && *schema == fixture.schema);
            visit_model(&fixture.module, &fixture.schema, RoundTrip(fixture, answer))
                .unwrap_or_else(|| Err("no model for this directory".to_string()))
                .err()
                .map(|e| format!("{}: {e}", fixture.path))
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn the_order_check_catches_reordered_members_and_lets_invented_fields_go_last() {
    let decode = |text: &str| serde_json::from_str::<JsonValue>(text).unwrap();
    let check = |sent: &str, written: &str| {
        let mut found = Vec::new();
        order_differences(&decode(sent), &decode(written), "$", &mut found);
        found
    };
    let sent = r#"{"keys":[{"id":"a","x_test_future_b":1,"name":"n","type":"rest"}]}"#;
    assert!(
        check(
            sent,
            r#"{"keys":[{"id":"a","name":"n","type":"rest","x_test_future_b":1}]}"#
        )
        .is_empty()
    );
    let sorted = check(
        sent,
        r#"{"keys":[{"id":"a","name":"n","type":"rest","x_test_future_b":1,"creation":1}]}"#,
    );
    assert!(
        sorted.is_empty(),
        "a member only one side has is the round trip's business: {sorted:?}"
    );
    let found = check(
        sent,
        r#"{"keys":[{"id":"a","type":"rest","name":"n","x_test_future_b":1}]}"#,
    );
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].starts_with("at $.keys[0]: sent"), "{found:?}");
    // A field the models do not know that is not named as invented is caught where it moved.
    let found = check(r#"{"last_used":1,"id":"a"}"#, r#"{"id":"a","last_used":1}"#);
    assert!(found[0].contains("x_test_future_*"), "{found:?}");
}

#[test]
fn the_round_trip_check_catches_a_lost_field() {
    // The check above must be able to fail: a document with a field the model would not write
    // back is reported.
    let original: Value = serde_json::json!({"a": 1, "b": [1, 2]});
    let lost: Value = serde_json::json!({"a": 1});
    assert_ne!(normalise(&original), normalise(&lost));
    // A `nullable` field's `null` is kept, so losing it is caught too; an unbounded range's
    // `null` bound is the one `null` that may go.
    let null_reason = serde_json::json!({"type": "x", "reason": null});
    let absent_reason = serde_json::json!({"type": "x"});
    assert_ne!(normalise(&null_reason), normalise(&absent_reason));
    let null_bound = serde_json::json!({"gte": 1, "lt": null});
    assert_eq!(
        normalise(&null_bound),
        normalise(&serde_json::json!({"gte": 1}))
    );
    let null_name = serde_json::json!({"name": null});
    assert_ne!(normalise(&null_name), normalise(&serde_json::json!({})));
}
