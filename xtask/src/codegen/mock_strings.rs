//! The mock's matchers take string parameters as `&str`.
//!
//! progenitor writes a matcher's parameter as a reference to the model's type, and the models'
//! strings are `CompactString`s: `when.api_key_id("id")` would need `&"id".into()`. Every matcher
//! only formats the value, so `&str` serves, as it did when the models' strings were `String`s.

use quote::ToTokens;
use syn::visit_mut::{self, VisitMut};

use super::runtime_paths;

/// Whether the mock of a spec with parameters has string parameters to rewrite: any spec whose
/// operations take a parameter of type string.
pub(crate) fn expected(spec: &openapiv3::OpenAPI) -> bool {
    super::schema_walk::parameters(spec).any(|parameter| {
        match &parameter.parameter_data_ref().format {
            openapiv3::ParameterSchemaOrContent::Schema(schema) => matches!(
                schema.as_item().map(|s| &s.schema_kind),
                Some(openapiv3::SchemaKind::Type(openapiv3::Type::String(string)))
                    if string.enumeration.is_empty()
            ),
            openapiv3::ParameterSchemaOrContent::Content(_) => false,
        }
    })
}

/// Rewrites `&CompactString` to `&str` in every signature of `mock`; returns how many.
pub(crate) fn take_str(mock: &mut syn::File) -> usize {
    let mut pass = Rewrite(0);
    pass.visit_file_mut(mock);
    pass.0
}

struct Rewrite(usize);

impl VisitMut for Rewrite {
    fn visit_type_reference_mut(&mut self, reference: &mut syn::TypeReference) {
        let string = runtime_paths::tokens(runtime_paths::STRING).to_string();
        if reference.elem.to_token_stream().to_string() == string {
            *reference.elem = syn::parse_quote!(str);
            self.0 += 1;
        }
        visit_mut::visit_type_reference_mut(self, reference);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_to_the_string_type_become_str() {
        let mut mock: syn::File = syn::parse_quote! {
            impl When {
                pub fn id(self, value: &::elastic_apikeys_models::CompactString) -> Self { self }
                pub fn name<'a, T>(self, value: T) -> Self
                where
                    T: Into<Option<&'a ::elastic_apikeys_models::CompactString>>,
                { self }
                pub fn size(self, value: &u64) -> Self { self }
            }
        };
        assert_eq!(take_str(&mut mock), 2);
        let text: String = prettyplease::unparse(&mock).split_whitespace().collect();
        assert!(text.contains("value:&str)"), "{text}");
        assert!(text.contains("Option<&'astr>"), "{text}");
        assert!(text.contains("value:&u64"), "{text}");
    }
}
