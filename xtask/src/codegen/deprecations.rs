//! `deprecated: true` in the spec becomes `#[deprecated]` in Rust, with the spec's words.
//!
//! Neither progenitor nor typify carries the flag. For a property of a component schema, the
//! model's field and its builder's setters (`id` and `set_id`) are marked, so code that still
//! sends the old field gets the compiler's warning and the spec's advice. For an operation, the
//! client's method is marked. The generated modules allow their own uses
//! (`#[allow(deprecated)]` on `mod generated` in each crate).

use heck::ToSnakeCase;
use openapiv3::OpenAPI;

use super::{model_fields, schema_walk};
use syn::visit_mut::{self, VisitMut};

/// What the spec deprecates.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Deprecations {
    /// `(schema, property, note)` of every deprecated property of a component schema.
    properties: Vec<(String, String, String)>,
    /// `(client method, note)` of every deprecated operation.
    operations: Vec<(String, String)>,
}

impl Deprecations {
    /// Whether a property of a component schema is deprecated.
    pub(crate) fn has_properties(&self) -> bool {
        !self.properties.is_empty()
    }

    /// Whether an operation is deprecated.
    pub(crate) fn has_operations(&self) -> bool {
        !self.operations.is_empty()
    }
}

/// What `spec` deprecates; the note is the description, whose first sentence should give the
/// replacement.
pub(crate) fn collect(spec: &OpenAPI) -> Deprecations {
    let mut found = Deprecations::default();
    for found_property in schema_walk::component_properties(spec) {
        if found_property.value.schema_data.deprecated {
            let note = note(found_property.value.schema_data.description.as_deref());
            found.properties.push((
                found_property.schema.to_string(),
                found_property.property.to_string(),
                note,
            ));
        }
    }
    for (_, item) in spec.paths.iter() {
        let Some(item) = item.as_item() else { continue };
        for (_, operation) in item.iter() {
            if operation.deprecated {
                let method = operation
                    .operation_id
                    .as_deref()
                    .unwrap_or_default()
                    .to_snake_case();
                let note = note(operation.description.as_deref());
                found.operations.push((method, note));
            }
        }
    }
    found
}

fn note(description: Option<&str>) -> String {
    description
        .map(|text| text.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|text| !text.is_empty())
        .unwrap_or_else(|| "deprecated by the API".to_string())
}

/// Marks the deprecated fields of `models` and their builders' setters; returns how many items
/// it marked.
pub(crate) fn mark_models(models: &mut syn::File, found: &Deprecations) -> Result<usize, String> {
    let mut marked = 0;
    for (schema, property, note) in &found.properties {
        let mut pass = MarkField {
            schema,
            property,
            note,
            field: None,
            in_builders: false,
            marked: 0,
        };
        pass.visit_file_mut(models);
        if pass.marked == 0 {
            return Err(format!(
                "{schema}.{property} is deprecated in the spec, but the models have no such field"
            ));
        }
        marked += pass.marked;
    }
    Ok(marked)
}

/// Marks the methods of deprecated operations in `client`; returns how many it marked.
pub(crate) fn mark_client(client: &mut syn::File, found: &Deprecations) -> Result<usize, String> {
    let mut marked = 0;
    for (method, note) in &found.operations {
        let mut pass = MarkMethod {
            method,
            note,
            marked: 0,
        };
        pass.visit_file_mut(client);
        if pass.marked == 0 {
            return Err(format!(
                "the operation `{method}` is deprecated in the spec, but the client has no such \
                 method"
            ));
        }
        marked += pass.marked;
    }
    Ok(marked)
}

struct MarkField<'a> {
    schema: &'a str,
    property: &'a str,
    note: &'a str,
    /// The Rust name of the field, once found.
    field: Option<syn::Ident>,
    /// Whether the visit is inside `mod builder`, whose structs are the builders.
    in_builders: bool,
    marked: usize,
}

impl MarkField<'_> {
    fn attribute(&self) -> syn::Attribute {
        let note = self.note;
        syn::parse_quote!(#[deprecated(note = #note)])
    }
}

impl VisitMut for MarkField<'_> {
    fn visit_item_struct_mut(&mut self, item: &mut syn::ItemStruct) {
        if item.ident != self.schema || self.in_builders {
            return;
        }
        let syn::Fields::Named(fields) = &mut item.fields else {
            return;
        };
        let attribute = self.attribute();
        for field in &mut fields.named {
            if model_fields::is_wire_field(field, self.property) {
                self.field = field.ident.clone();
                field.attrs.push(attribute.clone());
                self.marked += 1;
            }
        }
    }

    fn visit_item_mod_mut(&mut self, module: &mut syn::ItemMod) {
        // The builders, after the structs: `pub mod builder { impl Schema { fn field .. } }`.
        let outer = self.in_builders;
        self.in_builders = module.ident == "builder";
        visit_mut::visit_item_mod_mut(self, module);
        self.in_builders = outer;
    }

    fn visit_item_impl_mut(&mut self, block: &mut syn::ItemImpl) {
        let Some(field) = self.field.clone() else {
            return;
        };
        let is_builder = block.trait_.is_none()
            && matches!(&*block.self_ty, syn::Type::Path(p) if p.path.is_ident(self.schema));
        if !is_builder {
            return;
        }
        let attribute = self.attribute();
        let setters = [field.to_string(), format!("set_{field}")];
        for item in &mut block.items {
            if let syn::ImplItem::Fn(setter) = item
                && setters.contains(&setter.sig.ident.to_string())
            {
                setter.attrs.push(attribute.clone());
                self.marked += 1;
            }
        }
    }
}

struct MarkMethod<'a> {
    method: &'a str,
    note: &'a str,
    marked: usize,
}

impl VisitMut for MarkMethod<'_> {
    fn visit_item_impl_mut(&mut self, block: &mut syn::ItemImpl) {
        let is_client = block.trait_.is_none()
            && matches!(&*block.self_ty, syn::Type::Path(p) if p.path.is_ident("Client"));
        if !is_client {
            return;
        }
        let note = self.note;
        for item in &mut block.items {
            if let syn::ImplItem::Fn(method) = item
                && method.sig.ident == self.method
            {
                method
                    .attrs
                    .push(syn::parse_quote!(#[deprecated(note = #note)]));
                self.marked += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_deprecated_property_marks_its_field_and_setters() {
        let spec: OpenAPI = serde_json::from_str(
            r#"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {},
                "components": {"schemas": {"Invalidate": {"type": "object", "properties": {
                    "id": {"type": "string", "deprecated": true,
                           "description": "Use `ids`   instead."},
                    "ids": {"type": "array", "items": {"type": "string"}}}}}}}"#,
        )
        .unwrap();
        let found = collect(&spec);
        let mut models: syn::File = syn::parse_quote! {
            pub struct Invalidate { pub id: Option<String>, pub ids: Option<Vec<String>> }
            pub mod builder {
                pub struct Invalidate { id: Result<Option<String>, String> }
                impl Invalidate {
                    pub fn id<T>(mut self, value: T) -> Self { self }
                    pub fn set_id(mut self, value: Option<String>) -> Self { self }
                    pub fn ids<T>(mut self, value: T) -> Self { self }
                }
            }
        };
        assert_eq!(mark_models(&mut models, &found), Ok(3));
        let text = prettyplease::unparse(&models);
        assert_eq!(
            text.matches(r#"#[deprecated(note = "Use `ids` instead.")]"#)
                .count(),
            3,
            "{text}"
        );
        assert!(
            !text.contains("deprecated(note = \"Use `ids` instead.\")]\n    pub ids"),
            "{text}"
        );
    }

    #[test]
    fn a_deprecation_that_marks_nothing_is_an_error() {
        let found = Deprecations {
            properties: vec![("Gone".into(), "id".into(), "x".into())],
            operations: vec![],
        };
        let mut models: syn::File = syn::parse_quote!(
            pub struct Other {
                pub id: String,
            }
        );
        assert!(
            mark_models(&mut models, &found)
                .unwrap_err()
                .contains("Gone.id")
        );
    }
}
