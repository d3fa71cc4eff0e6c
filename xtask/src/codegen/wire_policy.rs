//! How the generated models treat what servers really send, applied to the spec in memory before
//! progenitor sees it. The files under `spec/` stay a plain description of the APIs; these rules
//! are the SDK's policy, in one place, for every schema present and future.
//!
//! 1. **Unknown fields are kept.** An object schema that does not say `additionalProperties:
//!    false` gets `additionalProperties: {}`, which typify turns into a flattened
//!    `extra: serde_json::Map` that decoding fills and encoding writes back. Elastic adds fields
//!    in every minor version (`invalidation` in 8.12, `realm_type` and `profile_uid` in 8.14,
//!    `certificate_identity` in 9.3; see the `@availability` tags of
//!    `specification/security/_types/ApiKey.ts` in elastic/elasticsearch-specification), and
//!    strict decoders break on them (elastic/elasticsearch-specification#1884, `Unknown field
//!    'limited_by'`); a client that drops them loses data on a round trip.
//! 2. **Absent stays distinct from empty.** An optional property that is an inline list or map
//!    becomes `Option<..>` rather than typify's `Vec`/`BTreeMap` with `skip_serializing_if =
//!    is_empty`, which would write `role_descriptors: {}` (the key inherits its owner's
//!    permissions) back as nothing at all (role descriptors unknown, before 8.5).

use openapiv3::{
    AdditionalProperties, AnySchema, OpenAPI, ReferenceOr, Schema, SchemaData, SchemaKind, Type,
};

use super::schema_walk::for_each_schema_mut;

/// Applies every rule of this module to `spec`.
pub(crate) fn apply(spec: &mut OpenAPI) {
    for_each_schema_mut(spec, &mut |schema, _| {
        keep_unknown_fields(schema);
        keep_absent_distinct(schema);
    });
}

/// The permissive schema `{}`: any JSON value.
fn any_value() -> Schema {
    Schema {
        schema_data: SchemaData::default(),
        schema_kind: SchemaKind::Any(AnySchema::default()),
    }
}

fn keep_unknown_fields(schema: &mut Schema) {
    if let SchemaKind::Type(Type::Object(object)) = &mut schema.schema_kind
        && !object.properties.is_empty()
        && object.additional_properties.is_none()
    {
        object.additional_properties = Some(AdditionalProperties::Schema(Box::new(
            ReferenceOr::Item(any_value()),
        )));
    }
}

fn keep_absent_distinct(schema: &mut Schema) {
    let SchemaKind::Type(Type::Object(object)) = &mut schema.schema_kind else {
        return;
    };
    for (name, property) in object.properties.iter_mut() {
        let ReferenceOr::Item(property) = property else {
            continue;
        };
        // Named types (references) and structs are already `Option<T>` when optional.
        let has_intrinsic_default = match &property.schema_kind {
            SchemaKind::Type(Type::Array(_)) => true,
            SchemaKind::Type(Type::Object(map)) => map.properties.is_empty(),
            _ => false,
        };
        if has_intrinsic_default && !object.required.contains(name) {
            // `nullable` is how OpenAPI 3.0 spells "or null", which typify maps to `Option`.
            // A `null` on the wire then decodes as `None`, the same as an absent field.
            property.schema_data.nullable = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(yaml: &str) -> OpenAPI {
        serde_norway::from_str(yaml).unwrap()
    }

    const SPEC: &str = r#"
openapi: 3.0.3
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    Open:
      type: object
      required: [names]
      properties:
        names: {type: array, items: {type: string}}
        tags: {type: array, items: {type: string}}
        labels: {type: object, additionalProperties: {type: string}}
        nested: {type: object, properties: {a: {type: string}}}
    Closed:
      type: object
      additionalProperties: false
      properties:
        a: {type: string}
"#;

    fn object(spec: &OpenAPI, name: &str) -> openapiv3::ObjectType {
        match &spec.components.as_ref().unwrap().schemas[name] {
            ReferenceOr::Item(Schema {
                schema_kind: SchemaKind::Type(Type::Object(object)),
                ..
            }) => object.clone(),
            other => panic!("{other:?}"),
        }
    }

    fn nullable(object: &openapiv3::ObjectType, property: &str) -> bool {
        object.properties[property]
            .as_item()
            .unwrap()
            .schema_data
            .nullable
    }

    #[test]
    fn objects_keep_unknown_fields_unless_they_say_otherwise() {
        let mut spec = spec(SPEC);
        apply(&mut spec);
        assert!(matches!(
            object(&spec, "Open").additional_properties,
            Some(AdditionalProperties::Schema(_))
        ));
        let nested = object(&spec, "Open").properties["nested"]
            .as_item()
            .unwrap()
            .clone();
        let SchemaKind::Type(Type::Object(nested)) = nested.schema_kind else {
            panic!()
        };
        assert!(
            nested.additional_properties.is_some(),
            "inline objects keep them too"
        );
        assert_eq!(
            object(&spec, "Closed").additional_properties,
            Some(AdditionalProperties::Any(false))
        );
    }

    #[test]
    fn optional_lists_and_maps_become_options_required_ones_do_not() {
        let mut spec = spec(SPEC);
        apply(&mut spec);
        let open = object(&spec, "Open");
        assert!(nullable(&open, "tags"));
        assert!(nullable(&open, "labels"));
        assert!(!nullable(&open, "names"), "required");
        assert!(!nullable(&open, "nested"), "a struct is an Option already");
    }
}
