//! A model's fields in the order the spec lists its properties, which is the order the server
//! writes them.
//!
//! typify sorts a struct's fields by name, and serde writes them in field order: a stored answer
//! read and written back would come out with every key's members reordered (`access`,
//! `certificate_identity`, `creation`, ... rather than `id`, `name`, `type`, ...), and show a diff
//! on every key. The spec lists each schema's properties as the server's `toXContent` writes
//! them, so this pass puts the fields back in that order; fields the spec does not know (the
//! flattened `extra` map) stay last.

use std::collections::HashMap;

use openapiv3::OpenAPI;

use super::{model_fields, schema_walk};

/// Each component schema's properties, in the order the spec lists them.
pub(crate) fn collect(spec: &OpenAPI) -> HashMap<String, Vec<String>> {
    let mut order: HashMap<String, Vec<String>> = HashMap::new();
    for found in schema_walk::component_properties(spec) {
        order
            .entry(found.schema.to_string())
            .or_default()
            .push(found.property.to_string());
    }
    order
}

/// Reorders the fields of each model named in `order` as its schema lists them; returns how
/// many models it reordered. A field that no property names keeps its place after them.
pub(crate) fn spec_order(
    models: &mut syn::File,
    order: &HashMap<String, Vec<String>>,
) -> Result<usize, String> {
    let mut reordered = 0;
    for item in &mut models.items {
        let syn::Item::Struct(model) = item else {
            continue;
        };
        let Some(properties) = order.get(&model.ident.to_string()) else {
            continue;
        };
        let syn::Fields::Named(fields) = &mut model.fields else {
            continue;
        };
        let position = |field: &syn::Field| {
            properties
                .iter()
                .position(|property| model_fields::is_wire_field(field, property))
                .unwrap_or(properties.len())
        };
        let found = fields
            .named
            .iter()
            .filter(|field| position(field) < properties.len())
            .count();
        if found != properties.len() {
            return Err(format!(
                "{} has {} properties in the spec, but its model has {found} fields named \
                 after them",
                model.ident,
                properties.len()
            ));
        }
        let mut sorted: Vec<syn::Field> = std::mem::take(&mut fields.named).into_iter().collect();
        // A stable sort: the fields after the properties (`extra`) keep their own order.
        sorted.sort_by_key(|field| position(field));
        fields.named = sorted.into_iter().collect();
        reordered += 1;
    }
    Ok(reordered)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_follow_the_spec_and_unknown_fields_stay_last() {
        let mut file: syn::File = syn::parse_quote! {
            pub struct Key {
                pub creation: i64,
                pub id: String,
                #[serde(rename = "type")]
                pub type_: String,
                #[serde(flatten)]
                pub extra: Map,
            }
            pub struct Other { pub b: u8, pub a: u8 }
        };
        let order = HashMap::from([(
            "Key".to_string(),
            vec!["id".to_string(), "type".to_string(), "creation".to_string()],
        )]);
        assert_eq!(spec_order(&mut file, &order), Ok(1));
        let text = prettyplease::unparse(&file);
        let at = |needle: &str| text.find(needle).unwrap();
        assert!(at("pub id") < at("pub type_"), "{text}");
        assert!(at("pub type_") < at("pub creation"), "{text}");
        assert!(at("pub creation") < at("pub extra"), "{text}");
        assert!(
            at("pub b") < at("pub a"),
            "a model the spec does not order stays: {text}"
        );
    }

    #[test]
    fn a_property_without_its_field_is_an_error() {
        let mut file: syn::File = syn::parse_quote! {
            pub struct Key { pub id: String }
        };
        let order = HashMap::from([(
            "Key".to_string(),
            vec!["id".to_string(), "name".to_string()],
        )]);
        let error = spec_order(&mut file, &order).unwrap_err();
        assert!(error.contains("Key has 2 properties"), "{error}");
    }
}
