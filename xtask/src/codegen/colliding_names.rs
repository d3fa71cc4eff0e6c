//! Properties whose Rust names collide get distinct ones.
//!
//! typify names a field by the snake case of its property, and `_nodes` and `nodes` are both
//! `nodes` (Elasticsearch's node-level answers carry both: the counts and the nodes themselves),
//! which does not compile. Before progenitor sees the spec, a colliding property that starts with
//! `_` is renamed to the snake case of the schema it refers to (`_nodes: NodeStatistics` becomes
//! `node_statistics`, the name elasticsearch-java gives it too); after, the field gets its wire
//! name back with `#[serde(rename = "_nodes")]`.

use heck::ToSnakeCase;
use openapiv3::{OpenAPI, ReferenceOr, Schema, SchemaKind, Type};

/// A property renamed for Rust: `(schema, rust name, wire name)`.
pub(crate) type Renamed = (String, String, String);

/// Renames the colliding properties of `spec`'s component schemas; returns what it renamed.
pub(crate) fn separate(spec: &mut OpenAPI) -> Result<Vec<Renamed>, String> {
    let mut renamed = Vec::new();
    let Some(components) = spec.components.as_mut() else {
        return Ok(renamed);
    };
    for (name, schema) in components.schemas.iter_mut() {
        let ReferenceOr::Item(Schema {
            schema_kind: SchemaKind::Type(Type::Object(object)),
            ..
        }) = schema
        else {
            continue;
        };
        let rust_name = |property: &str| property.to_snake_case();
        let colliding: Vec<String> = object
            .properties
            .keys()
            .filter(|property| {
                property.starts_with('_')
                    && object
                        .properties
                        .keys()
                        .any(|other| other != *property && rust_name(other) == rust_name(property))
            })
            .cloned()
            .collect();
        for wire in colliding {
            let new = referenced(&object.properties[&wire])
                .and_then(|reference| reference.rsplit('/').next())
                .map(|target| target.to_snake_case())
            .filter(|new| !object.properties.keys().any(|k| rust_name(k) == *new))
            .ok_or(format!(
                "{name}: `{wire}` and another property have the same Rust name; make `{wire}` a \
                 `$ref` (or an `allOf` of one) to a schema whose name is free, which then names \
                 the field"
            ))?;
            object.properties = std::mem::take(&mut object.properties)
                .into_iter()
                .map(|(key, value)| {
                    if key == wire {
                        (new.clone(), value)
                    } else {
                        (key, value)
                    }
                })
                .collect();
            for required in &mut object.required {
                if *required == wire {
                    required.clone_from(&new);
                }
            }
            renamed.push((name.clone(), new, wire));
        }
    }
    Ok(renamed)
}

/// The schema a property refers to: by `$ref`, or by an `allOf` of one `$ref` (which lets the
/// property carry a description of its own).
fn referenced(property: &ReferenceOr<Box<Schema>>) -> Option<&str> {
    match property {
        ReferenceOr::Reference { reference } => Some(reference),
        ReferenceOr::Item(schema) => match &schema.schema_kind {
            SchemaKind::AllOf { all_of } if all_of.len() == 1 => match &all_of[0] {
                ReferenceOr::Reference { reference } => Some(reference),
                ReferenceOr::Item(_) => None,
            },
            _ => None,
        },
    }
}

/// Gives each renamed field of `models` its wire name back; returns how many fields it changed.
pub(crate) fn restore_wire_names(
    models: &mut syn::File,
    renamed: &[Renamed],
) -> Result<usize, String> {
    let mut restored = 0;
    for (schema, rust, wire) in renamed {
        let field = models.items.iter_mut().find_map(|item| match item {
            syn::Item::Struct(item) if item.ident == schema => match &mut item.fields {
                syn::Fields::Named(fields) => fields
                    .named
                    .iter_mut()
                    .find(|field| field.ident.as_ref().is_some_and(|i| i == rust)),
                _ => None,
            },
            _ => None,
        });
        let field = field.ok_or(format!(
            "{schema}.{rust} was renamed from `{wire}`, but the models have no such field"
        ))?;
        field
            .attrs
            .push(syn::parse_quote!(#[serde(rename = #wire)]));
        restored += 1;
    }
    Ok(restored)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_underscored_twin_takes_its_schema_name() {
        let mut spec: OpenAPI = serde_json::from_str(
            r##"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {},
                "components": {"schemas": {"Cache": {"type": "object",
                    "required": ["_nodes", "nodes"], "properties": {
                    "_nodes": {"$ref": "#/components/schemas/NodeStatistics"},
                    "nodes": {"type": "object"},
                    "_sort": {"type": "string"}}}}}}"##,
        )
        .unwrap();
        let renamed = separate(&mut spec).unwrap();
        assert_eq!(
            renamed,
            [("Cache".into(), "node_statistics".into(), "_nodes".into())]
        );
        let ReferenceOr::Item(schema) = &spec.components.unwrap().schemas["Cache"] else {
            panic!()
        };
        let SchemaKind::Type(Type::Object(object)) = &schema.schema_kind else {
            panic!()
        };
        let keys: Vec<_> = object.properties.keys().collect();
        assert_eq!(keys, ["node_statistics", "nodes", "_sort"]);
        assert_eq!(object.required, ["node_statistics", "nodes"]);

        let mut models: syn::File = syn::parse_quote! {
            pub struct Cache { pub node_statistics: NodeStatistics, pub nodes: Map }
        };
        assert_eq!(restore_wire_names(&mut models, &renamed), Ok(1));
        let text = prettyplease::unparse(&models);
        assert!(
            text.contains("#[serde(rename = \"_nodes\")]\n    pub node_statistics"),
            "{text}"
        );
    }
}
