//! Every component schema of one service with its model, for the tests that run over all of them.
//!
//! `tests/properties.rs`, `tests/schema_contract.rs` and others decode, encode and compare every
//! model, and find it by the name of its schema. Rust cannot list a module's types at run time,
//! so this module writes the table, into `tests/generated/<module>_models.rs`: a schema added to
//! the spec is in the tests once `cargo xtask codegen` has run, with no list to keep by hand.

use openapiv3::{OpenAPI, Schema, SchemaKind, StringFormat, Type, VariantOrUnknownOrEmpty};
use proc_macro2::{Ident, Span};
use quote::quote;

use super::{Service, schema_walk};

/// The model table of `service`: its schema names in the spec's order, and `visit` by name.
/// Fails if a schema has no type of the same name in `models`, the generated models, and is not
/// one of `hand_written` (models the models crate writes by hand and exports from the same
/// module).
pub(crate) fn generate(
    service: Service,
    spec: &OpenAPI,
    models: &syn::File,
    hand_written: &[&str],
) -> Result<syn::File, String> {
    let module = Ident::new(service.module, Span::call_site());
    let mut names = Vec::new();
    let mut arms = Vec::new();
    for name in spec.components.iter().flat_map(|c| c.schemas.keys()) {
        if !declares(models, name) && !hand_written.contains(&name.as_str()) {
            return Err(format!(
                "the schema `{name}` has no model named `{name}`: schema names are the models' \
                 type names"
            ));
        }
        let ty = Ident::new(name, Span::call_site());
        arms.push(quote! {
            #name => visitor.visit::<elastic_apikeys_models::#module::#ty>(),
        });
        names.push(name.as_str());
    }
    let doc = format!(
        " Every component schema of `{}` with its model, by the schema's name.",
        service.spec
    );
    let date_times = date_times(spec);
    let null_means_absent = null_means_absent(spec);
    Ok(syn::parse_quote! {
        #![doc = #doc]

        /// The component schemas, in the spec's order.
        pub(crate) const SCHEMAS: &[&str] = &[#(#names),*];

        /// The properties the spec marks `format: date-time`: a round trip through the models
        /// may write one in another offset, with other fraction digits, for the same instant.
        pub(crate) const DATE_TIMES: &[&str] = &[#(#date_times),*];

        /// The optional properties, not marked `nullable`, whose schema admits any JSON value:
        /// the models read their `null` as absent, and write it back absent.
        pub(crate) const NULL_MEANS_ABSENT: &[&str] = &[#(#null_means_absent),*];

        /// Runs `visitor` with the model of `schema`; `None` for a schema the spec does not
        /// have.
        pub(crate) fn visit<V: crate::ModelVisitor>(schema: &str, visitor: V) -> Option<V::Output> {
            Some(match schema {
                #(#arms)*
                _ => return None,
            })
        }
    })
}

/// The names of the properties of `spec`'s component schemas whose schema is a `date-time`
/// string, sorted and each once.
fn date_times(spec: &OpenAPI) -> Vec<String> {
    let mut names: Vec<String> = schema_walk::component_properties(spec)
        .filter(|found| {
            matches!(&resolved(spec, found.value).schema_kind,
                SchemaKind::Type(Type::String(string))
                    if string.format == VariantOrUnknownOrEmpty::Item(StringFormat::DateTime))
        })
        .map(|found| found.property.to_string())
        .collect();
    names.sort();
    names.dedup();
    names
}

/// The names of the optional properties of `spec`'s component schemas that are not `nullable`
/// and whose schema admits any value, `null` included (no `type`), sorted and each once.
fn null_means_absent(spec: &OpenAPI) -> Vec<String> {
    let mut names: Vec<String> = schema_walk::component_properties(spec)
        .filter(|found| {
            !found
                .object
                .required
                .iter()
                .any(|name| name == found.property)
        })
        .filter(|found| !found.value.schema_data.nullable)
        .filter(|found| {
            matches!(&resolved(spec, found.value).schema_kind,
                SchemaKind::Any(any) if any.typ.is_none() && any.properties.is_empty()
                    && any.items.is_none())
        })
        .map(|found| found.property.to_string())
        .collect();
    names.sort();
    names.dedup();
    names
}

/// `schema`, or what a single-branch `allOf` (a described reference) stands for.
fn resolved<'a>(spec: &'a OpenAPI, schema: &'a Schema) -> &'a Schema {
    match &schema.schema_kind {
        SchemaKind::AllOf { all_of } if all_of.len() == 1 => {
            schema_walk::resolve_schema(spec, &all_of[0]).unwrap_or(schema)
        }
        _ => schema,
    }
}

/// Whether `models` declares a struct, enum or type alias named `name`.
fn declares(models: &syn::File, name: &str) -> bool {
    models.items.iter().any(|item| match item {
        syn::Item::Struct(s) => s.ident == name,
        syn::Item::Enum(e) => e.ident == name,
        syn::Item::Type(t) => t.ident == name,
        _ => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::ToTokens;

    fn spec() -> OpenAPI {
        serde_json::from_str(
            r#"{"openapi":"3.0.3","info":{"title":"t","version":"1"},"paths":{},
            "components":{"schemas":{"Role":{"type":"object"},"Shared":{"type":"object"},
            "Kind":{"type":"string","enum":["a"]}}}}"#,
        )
        .unwrap()
    }

    const SERVICE: Service = Service {
        module: "elasticsearch",
        spec: "spec/elasticsearch.yaml",
    };

    #[test]
    fn lists_every_schema_in_the_spec_s_order_with_its_model() {
        let models: syn::File = syn::parse_quote! {
            pub enum Kind { A }
            pub struct Role {}
        };
        let table = generate(SERVICE, &spec(), &models, &["Shared"]).unwrap();
        let text = table.to_token_stream().to_string();
        assert!(text.contains(r#"& ["Role" , "Shared" , "Kind"]"#), "{text}");
        for name in ["Role", "Shared", "Kind"] {
            assert!(
                text.contains(&format!(
                    "visitor . visit :: < elastic_apikeys_models :: elasticsearch :: {name} > ()"
                )),
                "{name}: {text}"
            );
        }
    }

    #[test]
    fn refuses_a_schema_without_a_model_of_its_name() {
        let models: syn::File = syn::parse_quote! { pub struct Role {} pub enum Kind { A } };
        let Err(error) = generate(SERVICE, &spec(), &models, &[]) else {
            panic!("a schema without a model was let through");
        };
        assert!(error.contains("`Shared`"), "{error}");
    }
}
