//! Visiting every schema of an OpenAPI document, wherever it is written: component schemas,
//! properties, list items, map values, `oneOf`/`allOf`/`anyOf` branches, parameters and bodies.

use openapiv3::{
    AdditionalProperties, ObjectType, OpenAPI, Operation, Parameter, ParameterSchemaOrContent,
    ReferenceOr, Schema, SchemaKind, Type,
};

/// Where a schema stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Place<'a> {
    /// A component schema, with its name.
    Component(&'a str),
    /// Anywhere else: inside another schema, a parameter or a body.
    Nested,
}

/// Every operation of the path `item`, to change it.
pub(crate) fn operations_mut(
    item: &mut openapiv3::PathItem,
) -> impl Iterator<Item = &mut Operation> {
    [
        &mut item.get,
        &mut item.put,
        &mut item.post,
        &mut item.delete,
        &mut item.options,
        &mut item.head,
        &mut item.patch,
        &mut item.trace,
    ]
    .into_iter()
    .flatten()
}

/// Calls `visit` on every schema of `spec` written inline (references are visited where they
/// are defined), parents before children.
pub(crate) fn for_each_schema_mut(
    spec: &mut OpenAPI,
    visit: &mut dyn FnMut(&mut Schema, Place<'_>),
) {
    if let Some(components) = spec.components.as_mut() {
        for (name, schema) in components.schemas.iter_mut() {
            if let ReferenceOr::Item(schema) = schema {
                walk(schema, Place::Component(name), visit);
            }
        }
    }
    for (_, item) in spec.paths.paths.iter_mut() {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        let parameters = item.parameters.iter_mut();
        for parameter in parameters {
            walk_parameter(parameter, visit);
        }
        for operation in operations_mut(item) {
            for parameter in &mut operation.parameters {
                walk_parameter(parameter, visit);
            }
            if let Some(ReferenceOr::Item(body)) = operation.request_body.as_mut() {
                for media in body.content.values_mut() {
                    walk_ref(media.schema.as_mut(), visit);
                }
            }
            for response in operation.responses.responses.values_mut() {
                if let ReferenceOr::Item(response) = response {
                    for media in response.content.values_mut() {
                        walk_ref(media.schema.as_mut(), visit);
                    }
                }
            }
        }
    }
}

/// Every parameter written inline in `spec`: the path items' own, then their operations'.
pub(crate) fn parameters(spec: &OpenAPI) -> impl Iterator<Item = &Parameter> {
    spec.paths
        .iter()
        .filter_map(|(_, item)| item.as_item())
        .flat_map(|item| {
            item.parameters
                .iter()
                .chain(item.iter().flat_map(|(_, operation)| &operation.parameters))
        })
        .filter_map(ReferenceOr::as_item)
}

/// A property written inline in an object component schema: the schema's name, the object, the
/// property's name and its schema. What a model's field is made from.
pub(crate) struct ComponentProperty<'a> {
    pub(crate) schema: &'a str,
    pub(crate) object: &'a ObjectType,
    pub(crate) property: &'a str,
    pub(crate) value: &'a Schema,
}

/// Every property written inline in the object component schemas of `spec`, in order.
pub(crate) fn component_properties(spec: &OpenAPI) -> impl Iterator<Item = ComponentProperty<'_>> {
    spec.components
        .iter()
        .flat_map(|components| components.schemas.iter())
        .filter_map(|(name, schema)| match &schema.as_item()?.schema_kind {
            SchemaKind::Type(Type::Object(object)) => Some((name, object)),
            _ => None,
        })
        .flat_map(|(name, object)| {
            object
                .properties
                .iter()
                .filter_map(move |(property, value)| {
                    Some(ComponentProperty {
                        schema: name,
                        object,
                        property,
                        value: value.as_item()?,
                    })
                })
        })
}

/// Calls `visit` on every schema of `spec`, read-only.
pub(crate) fn for_each_schema(spec: &OpenAPI, visit: &mut dyn FnMut(&Schema, Place<'_>)) {
    // The walk is written once, for `&mut`; a clone keeps this read-only view honest.
    let mut copy = spec.clone();
    for_each_schema_mut(&mut copy, &mut |schema, place| visit(schema, place));
}

fn walk_parameter(
    parameter: &mut ReferenceOr<Parameter>,
    visit: &mut dyn FnMut(&mut Schema, Place<'_>),
) {
    let ReferenceOr::Item(parameter) = parameter else {
        return;
    };
    let data = match parameter {
        Parameter::Query { parameter_data, .. }
        | Parameter::Header { parameter_data, .. }
        | Parameter::Path { parameter_data, .. }
        | Parameter::Cookie { parameter_data, .. } => parameter_data,
    };
    match &mut data.format {
        ParameterSchemaOrContent::Schema(schema) => walk_ref(Some(schema), visit),
        ParameterSchemaOrContent::Content(content) => {
            for media in content.values_mut() {
                walk_ref(media.schema.as_mut(), visit);
            }
        }
    }
}

fn walk_ref(
    schema: Option<&mut ReferenceOr<Schema>>,
    visit: &mut dyn FnMut(&mut Schema, Place<'_>),
) {
    if let Some(ReferenceOr::Item(schema)) = schema {
        walk(schema, Place::Nested, visit);
    }
}

fn walk_boxed(
    schema: Option<&mut ReferenceOr<Box<Schema>>>,
    visit: &mut dyn FnMut(&mut Schema, Place<'_>),
) {
    if let Some(ReferenceOr::Item(schema)) = schema {
        walk(schema, Place::Nested, visit);
    }
}

fn walk_additional(
    additional: Option<&mut AdditionalProperties>,
    visit: &mut dyn FnMut(&mut Schema, Place<'_>),
) {
    if let Some(AdditionalProperties::Schema(schema)) = additional {
        walk_ref(Some(schema), visit);
    }
}

fn walk(schema: &mut Schema, place: Place<'_>, visit: &mut dyn FnMut(&mut Schema, Place<'_>)) {
    visit(schema, place);
    match &mut schema.schema_kind {
        SchemaKind::Type(Type::Object(object)) => {
            for property in object.properties.values_mut() {
                walk_boxed(Some(property), visit);
            }
            walk_additional(object.additional_properties.as_mut(), visit);
        }
        SchemaKind::Type(Type::Array(array)) => walk_boxed(array.items.as_mut(), visit),
        SchemaKind::Type(_) => {}
        SchemaKind::OneOf { one_of: all }
        | SchemaKind::AllOf { all_of: all }
        | SchemaKind::AnyOf { any_of: all } => {
            for branch in all {
                walk_ref(Some(branch), visit);
            }
        }
        SchemaKind::Not { not } => walk_ref(Some(not), visit),
        SchemaKind::Any(any) => {
            for property in any.properties.values_mut() {
                walk_boxed(Some(property), visit);
            }
            walk_additional(any.additional_properties.as_mut(), visit);
            walk_boxed(any.items.as_mut(), visit);
            for branch in any
                .one_of
                .iter_mut()
                .chain(&mut any.all_of)
                .chain(&mut any.any_of)
            {
                walk_ref(Some(branch), visit);
            }
        }
    }
}

/// The schema `schema` stands for: itself, or the component schema it refers to.
pub(crate) fn resolve_schema<'a>(
    spec: &'a OpenAPI,
    schema: &'a ReferenceOr<Schema>,
) -> Option<&'a Schema> {
    match schema {
        ReferenceOr::Item(schema) => Some(schema),
        ReferenceOr::Reference { reference } => spec
            .components
            .as_ref()?
            .schemas
            .get(reference.strip_prefix("#/components/schemas/")?)?
            .as_item(),
    }
}

/// The request body `body` stands for: itself, or the shared one of `components/requestBodies`.
pub(crate) fn resolve_request_body<'a>(
    spec: &'a OpenAPI,
    body: &'a ReferenceOr<openapiv3::RequestBody>,
) -> Option<&'a openapiv3::RequestBody> {
    match body {
        ReferenceOr::Item(body) => Some(body),
        ReferenceOr::Reference { reference } => spec
            .components
            .as_ref()?
            .request_bodies
            .get(reference.strip_prefix("#/components/requestBodies/")?)?
            .as_item(),
    }
}

/// The response `response` stands for: itself, or the shared one of `components/responses`.
pub(crate) fn resolve_response<'a>(
    spec: &'a OpenAPI,
    response: &'a ReferenceOr<openapiv3::Response>,
) -> Option<&'a openapiv3::Response> {
    match response {
        ReferenceOr::Item(response) => Some(response),
        ReferenceOr::Reference { reference } => spec
            .components
            .as_ref()?
            .responses
            .get(reference.strip_prefix("#/components/responses/")?)?
            .as_item(),
    }
}
