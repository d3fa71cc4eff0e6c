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
    Fixture, Model, ModelVisitor, fixtures, load_spec, normalise, response_schemas, visit_model,
};
use openapiv3::{AdditionalProperties, OpenAPI, ReferenceOr, Schema, SchemaKind, Type};
use serde_json::Value;
use xtask::codegen::SERVICES;

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

/// The component schema `reference` (`#/components/schemas/<name>`) names.
fn lookup<'a>(spec: &'a OpenAPI, reference: &str) -> &'a Schema {
    reference
        .strip_prefix("#/components/schemas/")
        .and_then(|name| spec.components.as_ref()?.schemas.get(name)?.as_item())
        .unwrap_or_else(|| panic!("{reference} is not a component schema"))
}

/// The schema `schema` stands for: itself, or the component schema it refers to.
fn resolve<'a>(spec: &'a OpenAPI, schema: &'a ReferenceOr<Schema>) -> &'a Schema {
    match schema {
        ReferenceOr::Item(schema) => schema,
        ReferenceOr::Reference { reference } => lookup(spec, reference),
    }
}

/// [`resolve`], for the boxed schemas of properties and list items.
fn resolve_boxed<'a>(spec: &'a OpenAPI, schema: &'a ReferenceOr<Box<Schema>>) -> &'a Schema {
    match schema {
        ReferenceOr::Item(schema) => schema,
        ReferenceOr::Reference { reference } => lookup(spec, reference),
    }
}

/// Whether `value` is of the JSON type `schema` describes (any, when it does not say).
fn fits(spec: &OpenAPI, schema: &Schema, value: &Value) -> bool {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(_)) => value.is_object(),
        SchemaKind::Type(Type::Array(_)) => value.is_array(),
        SchemaKind::Type(Type::String(_)) => value.is_string(),
        SchemaKind::Type(Type::Integer(_) | Type::Number(_)) => value.is_number(),
        SchemaKind::Type(Type::Boolean(_)) => value.is_boolean(),
        SchemaKind::AllOf { all_of } => all_of
            .iter()
            .all(|part| fits(spec, resolve(spec, part), value)),
        SchemaKind::OneOf { one_of } | SchemaKind::AnyOf { any_of: one_of } => one_of
            .iter()
            .any(|branch| fits(spec, resolve(spec, branch), value)),
        _ => true,
    }
}

/// Every member of `value` that `schema` does not declare and that is not named as invented
/// (`x_test_future_*`), at any depth, as its path. An object whose schema has
/// `additionalProperties` takes any member, as the spec says (an error's `resource.type`, a
/// key's metadata); one without takes only its properties, because every other member stands
/// for a field of a newer server, which fixtures invent under a name Elastic will never use.
fn undeclared_members(
    spec: &OpenAPI,
    schema: &Schema,
    value: &Value,
    at: &str,
    found: &mut Vec<String>,
) {
    match &schema.schema_kind {
        SchemaKind::AllOf { all_of } => {
            for part in all_of {
                undeclared_members(spec, resolve(spec, part), value, at, found);
            }
        }
        SchemaKind::OneOf { one_of } | SchemaKind::AnyOf { any_of: one_of } => {
            // The branch of the value's JSON type; when several are, the one that finds least.
            let best = one_of
                .iter()
                .filter(|branch| fits(spec, resolve(spec, branch), value))
                .map(|branch| {
                    let mut branch_found = Vec::new();
                    undeclared_members(spec, resolve(spec, branch), value, at, &mut branch_found);
                    branch_found
                })
                .min_by_key(Vec::len);
            found.extend(best.unwrap_or_default());
        }
        SchemaKind::Type(Type::Array(array)) => {
            if let (Value::Array(items), Some(item)) = (value, &array.items) {
                let item = resolve_boxed(spec, item);
                for (index, item_value) in items.iter().enumerate() {
                    undeclared_members(spec, item, item_value, &format!("{at}[{index}]"), found);
                }
            }
        }
        SchemaKind::Type(Type::Object(object)) => {
            let Value::Object(members) = value else {
                return;
            };
            for (key, member) in members {
                let path = format!("{at}.{key}");
                if let Some(property) = object.properties.get(key) {
                    let property = resolve_boxed(spec, property);
                    undeclared_members(spec, property, member, &path, found);
                    continue;
                }
                match &object.additional_properties {
                    Some(AdditionalProperties::Schema(values)) => {
                        undeclared_members(spec, resolve(spec, values), member, &path, found);
                    }
                    Some(AdditionalProperties::Any(true)) => {}
                    _ if key.starts_with(INVENTED) => {}
                    _ => found.push(path),
                }
            }
        }
        _ => {}
    }
}

/// A field "from a newer server" that a fixture invents must be named `x_test_future_*`: a real
/// name (`last_used`) would make the fixture wrong the day Elastic adds that field.
#[test]
fn every_member_a_fixture_invents_is_named_as_invented() {
    let specs: Vec<(&str, OpenAPI)> = SERVICES
        .iter()
        .map(|service| (service.module, load_spec(*service)))
        .collect();
    let mut found = Vec::new();
    for fixture in fixtures() {
        let (_, spec) = specs
            .iter()
            .find(|(module, _)| *module == fixture.module)
            .unwrap_or_else(|| panic!("{}: no spec for {}", fixture.path, fixture.module));
        let schema = lookup(spec, &format!("#/components/schemas/{}", fixture.schema));
        let value: Value = serde_json::from_str(&fixture.text).unwrap();
        let mut undeclared = Vec::new();
        undeclared_members(spec, schema, &value, "$", &mut undeclared);
        found.extend(
            undeclared
                .into_iter()
                .map(|path| format!("{}: {path}", fixture.path)),
        );
    }
    assert!(
        found.is_empty(),
        "members that the spec does not declare: declare them in the spec if the service sends \
         them, or, if the fixture invents them for a newer server, name them `{INVENTED}_*`:\n  {}",
        found.join("\n  ")
    );
}

#[test]
fn the_member_walk_looks_through_references_lists_and_one_of_branches() {
    let spec: OpenAPI = serde_json::from_value(serde_json::json!({
        "openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {},
        "components": {"schemas": {
            "Role": {"type": "object", "properties": {
                "global": {"oneOf": [
                    {"$ref": "#/components/schemas/Global"},
                    {"type": "array", "items": {"$ref": "#/components/schemas/Global"}}
                ]},
                "metadata": {"type": "object", "additionalProperties": {}}
            }},
            "Global": {"type": "object", "properties": {"application": {"type": "object"}}}
        }}
    }))
    .unwrap();
    let role = lookup(&spec, "#/components/schemas/Role");
    let walk = |value: Value| {
        let mut found = Vec::new();
        undeclared_members(&spec, role, &value, "$", &mut found);
        found
    };
    let object = serde_json::json!({"global": {"application": {}, "last_used": 1}});
    assert_eq!(walk(object), ["$.global.last_used"]);
    let list = serde_json::json!({"global": [{"application": {}}, {"scope": "x"}]});
    assert_eq!(walk(list), ["$.global[1].scope"]);
    let fine = serde_json::json!({
        "global": [{"x_test_future_scope": "x"}], "metadata": {"anything": 1}
    });
    assert!(walk(fine).is_empty());
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
