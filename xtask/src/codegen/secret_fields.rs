//! The secrets an operation's answers may hold: the names of the properties that the spec marks
//! `format: password`, wherever they stand in any of its response bodies. The client redacts the
//! values of these fields in every excerpt of an answer it quotes in an error (an undocumented
//! `201` to a create, a create answer that does not decode), so that a new key's secret never
//! reaches a log through an error message.

use std::collections::BTreeSet;

use openapiv3::{
    AdditionalProperties, OpenAPI, ReferenceOr, Schema, SchemaKind, StringFormat, Type,
    VariantOrUnknownOrEmpty,
};

use super::schema_walk;

/// The secret field names of `operation`'s responses, sorted.
pub(crate) fn of(spec: &OpenAPI, operation: &openapiv3::Operation) -> Vec<String> {
    let mut found = BTreeSet::new();
    let mut seen = BTreeSet::new();
    let responses = operation
        .responses
        .default
        .iter()
        .chain(operation.responses.responses.values());
    for response in responses {
        let Some(response) = schema_walk::resolve_response(spec, response) else {
            continue;
        };
        for media in response.content.values() {
            if let Some(schema) = &media.schema {
                visit(spec, schema, &mut seen, &mut found);
            }
        }
    }
    found.into_iter().collect()
}

/// Adds the secret properties under `schema` to `found`; `seen` holds the component schemas
/// visited already, so that a recursive schema ends.
fn visit(
    spec: &OpenAPI,
    schema: &ReferenceOr<Schema>,
    seen: &mut BTreeSet<String>,
    found: &mut BTreeSet<String>,
) {
    if let ReferenceOr::Reference { reference } = schema
        && !seen.insert(reference.clone())
    {
        return;
    }
    let Some(schema) = schema_walk::resolve_schema(spec, schema) else {
        return;
    };
    let mut properties = Vec::new();
    let mut children: Vec<ReferenceOr<Schema>> = Vec::new();
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(object)) => {
            properties.extend(object.properties.iter());
            if let Some(AdditionalProperties::Schema(values)) = &object.additional_properties {
                children.push((**values).clone());
            }
        }
        SchemaKind::Type(Type::Array(array)) => {
            children.extend(array.items.clone().map(ReferenceOr::unbox));
        }
        SchemaKind::OneOf { one_of: all }
        | SchemaKind::AllOf { all_of: all }
        | SchemaKind::AnyOf { any_of: all } => children.extend(all.iter().cloned()),
        SchemaKind::Any(any) => {
            properties.extend(any.properties.iter());
            children.extend(any.items.clone().map(ReferenceOr::unbox));
            children.extend(
                any.one_of
                    .iter()
                    .chain(&any.all_of)
                    .chain(&any.any_of)
                    .cloned(),
            );
            if let Some(AdditionalProperties::Schema(values)) = &any.additional_properties {
                children.push((**values).clone());
            }
        }
        SchemaKind::Type(_) | SchemaKind::Not { .. } => {}
    }
    for (name, property) in properties {
        let property = property.clone().unbox();
        if is_secret(spec, &property) {
            found.insert(name.clone());
        }
        children.push(property);
    }
    for child in &children {
        visit(spec, child, seen, found);
    }
}

/// Whether `schema` is a string the spec marks `format: password`.
fn is_secret(spec: &OpenAPI, schema: &ReferenceOr<Schema>) -> bool {
    match schema_walk::resolve_schema(spec, schema).map(|schema| &schema.schema_kind) {
        Some(SchemaKind::Type(Type::String(string))) => {
            matches!(
                &string.format,
                VariantOrUnknownOrEmpty::Item(StringFormat::Password)
            ) || matches!(&string.format, VariantOrUnknownOrEmpty::Unknown(f) if f == "password")
        }
        Some(SchemaKind::Any(any)) => any.format.as_deref() == Some("password"),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::of;

    #[test]
    fn secrets_are_found_through_references_lists_and_branches() {
        let spec: openapiv3::OpenAPI = serde_json::from_value(serde_json::json!({
            "openapi": "3.0.3", "info": {"title": "t", "version": "1"},
            "paths": {"/keys": {"post": {
                "responses": {
                    "200": {"description": "yes", "content": {"application/json": {"schema":
                        {"$ref": "#/components/schemas/Created"}}}},
                    "400": {"$ref": "#/components/responses/Failed"}
                }
            }}},
            "components": {
                "schemas": {
                    "Created": {"type": "object", "properties": {
                        "id": {"type": "string"},
                        "api_key": {"type": "string", "format": "password"},
                        "tokens": {"type": "array", "items": {"$ref": "#/components/schemas/Token"}},
                        "parent": {"$ref": "#/components/schemas/Created"}
                    }},
                    "Token": {"oneOf": [{"type": "object", "properties": {
                        "value": {"$ref": "#/components/schemas/Secret"}}}]},
                    "Secret": {"type": "string", "format": "password"}
                },
                "responses": {"Failed": {"description": "no", "content": {
                    "application/json": {"schema": {
                        "type": "object",
                        "additionalProperties": {"type": "object", "properties": {
                            "password": {"type": "string", "format": "password"},
                            "reason": {"type": "string"}
                        }}
                    }}
                }}}
            }
        }))
        .unwrap();
        let operation = spec.paths.paths["/keys"]
            .as_item()
            .unwrap()
            .post
            .as_ref()
            .unwrap();
        assert_eq!(of(&spec, operation), ["api_key", "password", "value"]);
    }
}
