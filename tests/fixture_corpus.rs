//! Every body of the fixture corpus (`tests/fixtures/<module>/<Schema>/*.json`, in the shapes the
//! real services send) decodes, re-encodes to the same JSON document, and re-encodes to the same
//! bytes every time.
//!
//! "The same document" allows exactly the normalisations the models document (see
//! [`normalise`]). Everything else (key order aside, which JSON does not define) must come back as it was:
//! unknown fields, unknown enum values, a lone string where a list is allowed, a query as text or
//! as an object, integers beyond 2^53.

use elastic_apikeys_tests::{
    Fixture, Model, ModelVisitor, fixtures, normalise, response_schemas, visit_model,
};
use serde_json::Value;

struct RoundTrip<'a>(&'a Fixture);

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
    let failures: Vec<String> = fixtures()
        .iter()
        .filter_map(|fixture| {
            visit_model(&fixture.module, &fixture.schema, RoundTrip(fixture))
                .unwrap_or_else(|| Err("no model for this directory".to_string()))
                .err()
                .map(|e| format!("{}: {e}", fixture.path))
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
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
