//! Two contracts of every model agree: what its JSON Schema (`schemars::schema_for!`) lists as
//! `required`, and what decoding really requires.
//!
//! For every object schema of the specs, the test takes valid instances of it (generated from the
//! spec, as the property tests do), drops each property in turn and decodes what is left: a
//! property is required by decoding when its absence makes decoding fail. The JSON Schema of the
//! model must list exactly those properties as `required`, and the same properties as the spec.
//!
//! The list of models is the specs' own: a new object schema is checked as soon as it is in the
//! spec (and in `tests/models.rs`, which `properties.rs` enforces).

use std::collections::BTreeSet;

use elastic_apikeys_tests::instances::instance;
use elastic_apikeys_tests::{Model, ModelVisitor, load_spec, visit_model};
use openapiv3::{OpenAPI, ReferenceOr, SchemaKind, Type};
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::TestRunner;
use serde_json::Value;
use xtask::codegen::SERVICES;

/// How many instances are drawn, at most, to find one that has a given optional property.
const DRAWS: usize = 256;

/// Decodes `value` from its JSON text, as a client decodes a body.
fn decode<T: Model>(value: &Value) -> Result<T, serde_json::Error> {
    serde_json::from_str(&value.to_string())
}

/// The component schemas of `spec` that are objects with properties, with those properties.
fn object_schemas(spec: &OpenAPI) -> Vec<(String, Vec<String>)> {
    let schemas = &spec.components.as_ref().expect("components").schemas;
    schemas
        .iter()
        .filter_map(|(name, schema)| match schema {
            ReferenceOr::Item(openapiv3::Schema {
                schema_kind: SchemaKind::Type(Type::Object(object)),
                ..
            }) if !object.properties.is_empty() => {
                Some((name.clone(), object.properties.keys().cloned().collect()))
            }
            _ => None,
        })
        .collect()
}

/// What one model's contracts say about each of its properties.
struct Contracts<'a> {
    spec: &'a OpenAPI,
    module: &'a str,
    schema: &'a str,
    spec_properties: &'a [String],
}

/// Why a model's contracts disagree, one line each, with what to change.
type Disagreements = Vec<String>;

impl ModelVisitor for Contracts<'_> {
    type Output = Disagreements;

    fn visit<T: Model>(self) -> Disagreements {
        let model = format!("{}::{}", self.module, self.schema);
        let mut out = Vec::new();

        let json_schema = serde_json::to_value(schemars::schema_for!(T)).unwrap();
        let Some(schema_properties) = json_schema.get("properties").and_then(Value::as_object)
        else {
            return vec![format!(
                "{model}: its JSON Schema has no `properties`, but the spec describes an object \
                 with {:?}; the model must derive `schemars::JsonSchema` as a struct",
                self.spec_properties
            )];
        };
        let schema_required: BTreeSet<&str> = json_schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();

        let in_schema: BTreeSet<&str> = schema_properties.keys().map(String::as_str).collect();
        let in_spec: BTreeSet<&str> = self.spec_properties.iter().map(String::as_str).collect();
        for missing in in_spec.difference(&in_schema) {
            out.push(format!(
                "{model}.{missing}: in the spec but not in the model's JSON Schema; regenerate \
                 with `cargo xtask codegen`, or check the field's serde rename"
            ));
        }
        for extra in in_schema.difference(&in_spec) {
            out.push(format!(
                "{model}.{extra}: in the model's JSON Schema but not in the spec; regenerate with \
                 `cargo xtask codegen`, or check the field's serde rename"
            ));
        }

        let strategy = instance(self.spec, self.schema);
        let mut runner = TestRunner::deterministic();
        let mut draw = || strategy.new_tree(&mut runner).unwrap().current();
        for property in &in_spec {
            let Some(mut value) = (0..DRAWS)
                .map(|_| draw())
                .find(|v| v.get(*property).is_some())
            else {
                out.push(format!(
                    "{model}.{property}: no instance out of {DRAWS} has it, so the test cannot \
                     tell whether decoding requires it; see tests/instances.rs"
                ));
                continue;
            };
            if let Err(e) = decode::<T>(&value) {
                out.push(format!(
                    "{model}: a valid instance does not decode ({e}): {value}; the property \
                     tests (tests/properties.rs) say more"
                ));
                continue;
            }
            value.as_object_mut().unwrap().remove(*property);
            let decoding = decode::<T>(&value);
            match (schema_required.contains(property), decoding) {
                (true, Err(_)) | (false, Ok(_)) => {}
                (false, Err(e)) => out.push(format!(
                    "{model}.{property}: the JSON Schema does not list it as required, but \
                     decoding without it fails ({e}). Make decoding accept its absence (an \
                     `Option` or `#[serde(default)]` field, decoded by \
                     xtask/src/codegen/struct_deserialize.rs), or, if servers always send it and \
                     a document without it is not one the models should read, make the schema \
                     require it"
                )),
                (true, Ok(_)) => out.push(format!(
                    "{model}.{property}: the JSON Schema lists it as required, but decoding \
                     accepts a document without it. Either the field's type or serde attributes \
                     tell schemars it is required while the decoder fills a default \
                     (xtask/src/codegen/struct_deserialize.rs), or the spec should make it \
                     optional; make the two say the same"
                )),
            }
        }
        out
    }
}

#[test]
fn the_json_schema_of_every_model_requires_what_decoding_requires() {
    let mut disagreements = Vec::new();
    let mut checked = Vec::new();
    for service in SERVICES {
        let spec = load_spec(service);
        for (schema, properties) in object_schemas(&spec) {
            let contracts = Contracts {
                spec: &spec,
                module: service.module,
                schema: &schema,
                spec_properties: &properties,
            };
            match visit_model(service.module, &schema, contracts) {
                Some(found) => disagreements.extend(found),
                None => disagreements.push(format!(
                    "{}::{schema}: in {} but not in tests/models.rs; add it there",
                    service.module, service.spec
                )),
            }
            checked.push(format!("{}::{schema}", service.module));
        }
    }
    assert!(
        checked.iter().any(|m| m == "elasticsearch::ApiKey"),
        "the specs' object schemas were not found: {checked:?}"
    );
    assert!(
        disagreements.is_empty(),
        "the JSON Schema and decoding of these models disagree about what is required:\n  {}",
        disagreements.join("\n  ")
    );
}
