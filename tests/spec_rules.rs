//! Rules the hand-written specs keep: every schema, property and parameter has a description
//! (they become the rustdoc of the generated code), and every operation has an id.

use elastic_apikeys_tests::load_spec;
use openapiv3::{ReferenceOr, Schema, SchemaKind, Type};
use xtask::codegen::SERVICES;

fn missing_descriptions(path: &str, schema: &Schema, out: &mut Vec<String>) {
    if schema
        .schema_data
        .description
        .as_deref()
        .unwrap_or("")
        .trim()
        .is_empty()
    {
        out.push(path.to_string());
    }
    let properties = match &schema.schema_kind {
        SchemaKind::Type(Type::Object(object)) => &object.properties,
        _ => return,
    };
    for (name, property) in properties {
        let property_path = format!("{path}.{name}");
        match property {
            // A bare `$ref` cannot carry a description in OpenAPI 3.0; wrap it in `allOf`.
            ReferenceOr::Reference { reference } => {
                out.push(format!("{property_path} (bare $ref to {reference})"))
            }
            ReferenceOr::Item(property) => {
                if property
                    .schema_data
                    .description
                    .as_deref()
                    .unwrap_or("")
                    .trim()
                    .is_empty()
                {
                    out.push(property_path);
                }
            }
        }
    }
}

#[test]
fn every_schema_property_and_parameter_is_described() {
    let mut missing = Vec::new();
    for service in SERVICES {
        let spec = load_spec(service);
        for (name, schema) in &spec.components.as_ref().unwrap().schemas {
            match schema {
                ReferenceOr::Item(schema) => {
                    missing_descriptions(&format!("{}: {name}", service.spec), schema, &mut missing)
                }
                ReferenceOr::Reference { .. } => missing.push(format!("{name} is an alias")),
            }
        }
        for (path, item) in spec.paths.iter() {
            for (method, operation) in item.as_item().unwrap().iter() {
                assert!(
                    operation.operation_id.is_some(),
                    "{method} {path} has no operationId"
                );
                for parameter in &operation.parameters {
                    let ReferenceOr::Item(parameter) = parameter else {
                        panic!("parameters are written inline")
                    };
                    let data = parameter.parameter_data_ref();
                    if data.description.as_deref().unwrap_or("").trim().is_empty() {
                        missing.push(format!("{method} {path} ?{}", data.name));
                    }
                }
            }
        }
    }
    assert!(
        missing.is_empty(),
        "without a description:\n{}",
        missing.join("\n")
    );
}

#[test]
fn elasticsearch_get_api_key_has_all_eight_query_parameters() {
    let spec = load_spec(SERVICES[1]);
    let item = spec.paths.paths["/_security/api_key"].as_item().unwrap();
    let operation = item.get.as_ref().unwrap();
    let names: Vec<&str> = operation
        .parameters
        .iter()
        .map(|p| p.as_item().unwrap().parameter_data_ref().name.as_str())
        .collect();
    assert_eq!(
        names,
        [
            "id",
            "name",
            "owner",
            "realm_name",
            "username",
            "with_limited_by",
            "active_only",
            "with_profile_uid"
        ]
    );
}
