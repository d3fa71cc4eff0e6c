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
/// Fails if a schema has no type of the same name in `models`, the generated models.
pub(crate) fn generate(
    service: Service,
    spec: &OpenAPI,
    models: &syn::File,
) -> Result<syn::File, String> {
    let module = Ident::new(service.module, Span::call_site());
    let mut names = Vec::new();
    let mut arms = Vec::new();
    // The models as text, made only if a schema's model is not declared in them.
    let mut text = None;
    for name in spec.components.iter().flat_map(|c| c.schemas.keys()) {
        if !declares(models, name)
            && !uses_path_to(
                text.get_or_insert_with(|| quote!(#models).to_string()),
                name,
            )
        {
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

/// Whether the models' tokens `text` use a path that ends in `name`: a hand-written type that
/// typify put in the place of the schema's (`RoleDescriptors`, the open enums), which the models
/// crate exports from the same module.
fn uses_path_to(text: &str, name: &str) -> bool {
    let path_end = format!(":: {name}");
    text.match_indices(&path_end).any(|(at, _)| {
        let next = text[at + path_end.len()..].chars().next();
        !next.is_some_and(|c| c.is_alphanumeric() || c == '_')
    })
}
