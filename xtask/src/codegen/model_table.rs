//! Every component schema of one service with its model, for the tests that run over all of them.
//!
//! `tests/properties.rs`, `tests/schema_contract.rs` and others decode, encode and compare every
//! model, and find it by the name of its schema. Rust cannot list a module's types at run time,
//! so this module writes the table, into `tests/generated/<module>_models.rs`: a schema added to
//! the spec is in the tests once `cargo xtask codegen` has run, with no list to keep by hand.

use openapiv3::OpenAPI;
use proc_macro2::{Ident, Span};
use quote::quote;

use super::Service;

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
    Ok(syn::parse_quote! {
        #![doc = #doc]

        /// The component schemas, in the spec's order.
        pub(crate) const SCHEMAS: &[&str] = &[#(#names),*];

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
