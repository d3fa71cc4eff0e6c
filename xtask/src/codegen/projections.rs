//! `Filtered<Schema>`: the types of answers that `filter_path` cut down.
//!
//! A spec whose root declares
//!
//! ```yaml
//! x-filtered-answers:
//!   parameter: filter_path   # the parameter that filters answers
//!   prefix: Filtered         # what the projections' names start with
//! ```
//!
//! gets, for every component schema that a successful answer can hold and that requires a
//! member (itself or in a schema it holds), a projection: the same schema with no member
//! required, whose references go to the projections in turn. They are added to the spec that
//! code generation works on, after the component schemas, so every pass treats them as it
//! treats the others; the spec file and the tests' table of models never hold them.

use openapiv3::{OpenAPI, ReferenceOr, Schema};
use serde_json::Value;

/// Where component schemas are referred to from.
const SCHEMAS: &str = "#/components/schemas/";

/// What `x-filtered-answers` declares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FilteredAnswers {
    /// The query parameter that filters answers (`filter_path`).
    pub(crate) parameter: String,
    /// The prefix of the projections' names (`Filtered`).
    pub(crate) prefix: String,
}

/// The root's `x-filtered-answers`, if it has one.
pub(crate) fn declared(spec: &OpenAPI) -> Result<Option<FilteredAnswers>, String> {
    let Some(extension) = spec.extensions.get("x-filtered-answers") else {
        return Ok(None);
    };
    let text = |key: &str| {
        extension
            .get(key)
            .and_then(Value::as_str)
            .map(String::from)
            .ok_or(format!("x-filtered-answers needs a string `{key}`"))
    };
    Ok(Some(FilteredAnswers {
        parameter: text("parameter")?,
        prefix: text("prefix")?,
    }))
}

/// Adds the projections to `spec`'s component schemas; returns the names of the schemas
/// projected, each with its projection's, in the spec's order.
pub(crate) fn add(
    spec: &mut OpenAPI,
    declared: &FilteredAnswers,
) -> Result<Vec<(String, String)>, String> {
    let Some(components) = spec.components.as_ref() else {
        return Ok(Vec::new());
    };
    // Every component schema as JSON, to find and rewrite references wherever they are.
    let mut schemas: Vec<(String, Value)> = Vec::new();
    for (name, schema) in &components.schemas {
        let value = serde_json::to_value(schema).map_err(|e| format!("{name}: {e}"))?;
        schemas.push((name.clone(), value));
    }
    let find = |name: &str| schemas.iter().find(|(n, _)| n == name).map(|(_, v)| v);

    // The schemas a successful answer can hold: those of the 2xx bodies and all they refer to.
    let mut reachable: Vec<String> = Vec::new();
    let mut pending: Vec<String> = answer_schemas(spec);
    while let Some(name) = pending.pop() {
        if reachable.contains(&name) {
            continue;
        }
        let schema = find(&name).ok_or(format!(
            "an answer refers to `{name}`, which is not a component schema"
        ))?;
        let mut refs = Vec::new();
        references(schema, &mut refs);
        pending.extend(refs);
        reachable.push(name);
    }
    // Those that need a projection: they require a member, or hold a schema that does.
    let mut projected: Vec<String> = reachable
        .iter()
        .filter(|name| find(name).is_some_and(requires))
        .cloned()
        .collect();
    loop {
        let more: Vec<String> = reachable
            .iter()
            .filter(|name| !projected.contains(name))
            .filter(|name| {
                let mut refs = Vec::new();
                find(name)
                    .into_iter()
                    .for_each(|s| references(s, &mut refs));
                refs.iter().any(|r| projected.contains(r))
            })
            .cloned()
            .collect();
        if more.is_empty() {
            break;
        }
        projected.extend(more);
    }
    let renamed = |name: &str| format!("{}{name}", declared.prefix);
    let mut added = Vec::new();
    // In the spec's order, so that output does not depend on the walk.
    for (name, schema) in &schemas {
        if !projected.contains(name) {
            continue;
        }
        let projection = renamed(name);
        if find(&projection).is_some() {
            return Err(format!(
                "the projection of `{name}` would be named `{projection}`, which is a schema of \
                 its own: rename one of them, or change x-filtered-answers' prefix"
            ));
        }
        let mut value = schema.clone();
        project(&mut value, &|target| {
            projected
                .iter()
                .any(|p| p == target)
                .then(|| renamed(target))
        });
        describe(&mut value, name, &declared.parameter);
        let schema: ReferenceOr<Schema> =
            serde_json::from_value(value).map_err(|e| format!("{projection}: {e}"))?;
        added.push((name.clone(), projection));
        spec.components
            .as_mut()
            .expect("checked above")
            .schemas
            .insert(added.last().expect("just pushed").1.clone(), schema);
    }
    Ok(added)
}

/// Removes the projections `added` from `spec`'s component schemas.
pub(crate) fn remove(spec: &mut OpenAPI, added: &[(String, String)]) {
    if let Some(components) = spec.components.as_mut() {
        for (_, projection) in added {
            components.schemas.shift_remove(projection);
        }
    }
}

/// The component schemas of the successful (2xx) JSON answers of every operation.
fn answer_schemas(spec: &OpenAPI) -> Vec<String> {
    let mut names = Vec::new();
    for (_, item) in spec.paths.iter() {
        let Some(item) = item.as_item() else { continue };
        for (_, operation) in item.iter() {
            for (status, response) in &operation.responses.responses {
                if !status.to_string().starts_with('2') {
                    continue;
                }
                let Some(response) = response.as_item() else {
                    continue;
                };
                for media in response.content.values() {
                    if let Some(ReferenceOr::Reference { reference }) = &media.schema
                        && let Some(name) = reference.strip_prefix(SCHEMAS)
                    {
                        names.push(name.to_string());
                    }
                }
            }
        }
    }
    names.reverse();
    names
}

/// The component schemas that the schema `value` refers to, at any depth.
fn references(value: &Value, found: &mut Vec<String>) {
    match value {
        Value::Object(members) => {
            for (key, member) in members {
                match (key.as_str(), member) {
                    ("$ref", Value::String(reference)) => {
                        if let Some(name) = reference.strip_prefix(SCHEMAS) {
                            found.push(name.to_string());
                        }
                    }
                    _ => references(member, found),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| references(item, found)),
        _ => {}
    }
}

/// Whether the schema `value`, or a schema written inside it, requires a member.
fn requires(value: &Value) -> bool {
    each_schema(value).any(|schema| {
        schema
            .get("required")
            .and_then(Value::as_array)
            .is_some_and(|required| !required.is_empty())
    })
}

/// The schema `value` and every schema written inside it (not those it refers to).
fn each_schema(value: &Value) -> impl Iterator<Item = &Value> {
    let mut stack = vec![value];
    std::iter::from_fn(move || {
        let schema = stack.pop()?;
        stack.extend(children(schema));
        Some(schema)
    })
}

/// The schemas written directly inside the schema `schema`.
fn children(schema: &Value) -> Vec<&Value> {
    let mut children = Vec::new();
    if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
        children.extend(properties.values());
    }
    for key in ["items", "additionalProperties", "not"] {
        children.extend(schema.get(key).filter(|value| value.is_object()));
    }
    for key in ["oneOf", "allOf", "anyOf"] {
        if let Some(branches) = schema.get(key).and_then(Value::as_array) {
            children.extend(branches);
        }
    }
    children
}

/// Makes the schema `value` a projection: no member required at any depth, and each reference
/// to a projected schema sent to its projection (`rename` gives the projection's name).
fn project(value: &mut Value, rename: &dyn Fn(&str) -> Option<String>) {
    let Value::Object(schema) = value else { return };
    schema.remove("required");
    if let Some(Value::String(reference)) = schema.get_mut("$ref")
        && let Some(projection) = reference.strip_prefix(SCHEMAS).and_then(rename)
    {
        *reference = format!("{SCHEMAS}{projection}");
    }
    if let Some(Value::Object(properties)) = schema.get_mut("properties") {
        properties.values_mut().for_each(|p| project(p, rename));
    }
    for key in ["items", "additionalProperties", "not"] {
        if let Some(child) = schema.get_mut(key) {
            project(child, rename);
        }
    }
    for key in ["oneOf", "allOf", "anyOf"] {
        if let Some(Value::Array(branches)) = schema.get_mut(key) {
            branches.iter_mut().for_each(|b| project(b, rename));
        }
    }
}

/// Puts what the projection is before the description of the schema `name`.
fn describe(value: &mut Value, name: &str, parameter: &str) {
    let Value::Object(schema) = value else { return };
    let own = schema
        .get("description")
        .and_then(Value::as_str)
        .map(|text| format!("\n\n{text}"))
        .unwrap_or_default();
    schema.insert(
        "description".to_string(),
        Value::String(format!(
            "`{name}` as an answer cut down by `{parameter}` holds it: every member is \
             optional, as the filter may have left any of them out.{own}"
        )),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> OpenAPI {
        serde_json::from_value(serde_json::json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "x-filtered-answers": {"parameter": "filter_path", "prefix": "Filtered"},
            "paths": {"/keys": {"get": {"responses": {"200": {"description": "ok",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/List"}}}}}}}},
            "components": {"schemas": {
                "List": {"type": "object", "properties": {"keys": {"type": "array",
                    "items": {"$ref": "#/components/schemas/Key"}}, "kind": {"$ref": "#/components/schemas/Kind"}}},
                "Key": {"type": "object", "required": ["id"], "properties": {
                    "id": {"type": "string"},
                    "required": {"type": "object", "required": ["a"], "properties": {"a": {"type": "string"}}}}},
                "Kind": {"type": "string", "enum": ["a"]},
                "Request": {"type": "object", "required": ["x"], "properties": {"x": {"type": "string"}}}
            }}
        }))
        .unwrap()
    }

    #[test]
    fn projects_what_answers_hold_and_what_requires_members() {
        let mut spec = spec();
        let declared = declared(&spec).unwrap().unwrap();
        let added = add(&mut spec, &declared).unwrap();
        // `List` requires nothing but holds `Key`, which does; `Kind` holds nothing that does;
        // `Request` is in no answer. In the spec's order (serde_json's `json!` sorts by name).
        assert_eq!(
            added,
            [
                ("Key".to_string(), "FilteredKey".to_string()),
                ("List".to_string(), "FilteredList".to_string())
            ]
        );
        let value = serde_json::to_value(&spec.components.as_ref().unwrap().schemas).unwrap();
        assert_eq!(
            value["FilteredList"]["properties"]["keys"]["items"]["$ref"],
            "#/components/schemas/FilteredKey"
        );
        assert_eq!(
            value["FilteredList"]["properties"]["kind"]["$ref"],
            "#/components/schemas/Kind"
        );
        let key = &value["FilteredKey"];
        assert!(key.get("required").is_none(), "{key}");
        // A property named `required` stays; what it requires goes.
        assert!(
            key["properties"]["required"].get("required").is_none(),
            "{key}"
        );
        assert_eq!(
            key["properties"]["required"]["properties"]["a"]["type"],
            "string"
        );
        assert!(
            key["description"]
                .as_str()
                .unwrap()
                .starts_with("`Key` as an answer")
        );
        // The originals are untouched.
        assert_eq!(value["Key"]["required"], serde_json::json!(["id"]));
        remove(&mut spec, &added);
        assert_eq!(spec.components.unwrap().schemas.len(), 4);
    }

    #[test]
    fn a_projection_that_would_take_a_schema_s_name_is_refused() {
        let mut spec = spec();
        let declared = declared(&spec).unwrap().unwrap();
        spec.components.as_mut().unwrap().schemas.insert(
            "FilteredKey".to_string(),
            serde_json::from_value(serde_json::json!({"type": "string"})).unwrap(),
        );
        let error = add(&mut spec, &declared).unwrap_err();
        assert!(
            error.contains("`FilteredKey`, which is a schema of its own"),
            "{error}"
        );
    }
}
