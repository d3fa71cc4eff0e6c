//! `x-rust-boxed: true` on an optional property: the model holds it as `Option<Box<T>>`.
//!
//! A struct is as large as all of its fields, sent or not. A role descriptor held `global` (72
//! bytes) and `restriction` (32) inline although servers send them for few roles, and a 100,000-key
//! list holds hundreds of thousands of role descriptors and index entries. Boxed, an absent part
//! costs 8 bytes, and a present one a heap block of its own. The spec marks the parts that are
//! both large and rare; which ones are is a measured choice (BENCHMARKS.md).
//!
//! Only the model's field changes. Its builder keeps the plain value, so setters take and give
//! `T` as before; `build()` boxes it, and `From<Model>` for the builder unboxes it.

use openapiv3::OpenAPI;
use syn::visit_mut::{self, VisitMut};

use super::{model_fields, schema_walk};

/// The extension that marks a property.
const EXTENSION: &str = "x-rust-boxed";

/// `(schema, property)` of every property of a component schema that the spec marks.
pub(crate) fn collect(spec: &OpenAPI) -> Result<Vec<(String, String)>, String> {
    let mut found = Vec::new();
    for marked in schema_walk::component_properties(spec) {
        let (name, property) = (marked.schema, marked.property);
        match marked.value.schema_data.extensions.get(EXTENSION) {
            None | Some(serde_json::Value::Bool(false)) => {}
            Some(serde_json::Value::Bool(true))
                if marked.object.required.iter().any(|r| r == property) =>
            {
                return Err(format!(
                    "{name}.{property}: {EXTENSION} is for optional properties, and this one is \
                     required"
                ));
            }
            Some(serde_json::Value::Bool(true)) => found.push((name.into(), property.into())),
            Some(other) => {
                return Err(format!(
                    "{name}.{property}: {EXTENSION} takes true or false, not {other}"
                ));
            }
        }
    }
    Ok(found)
}

/// Boxes every marked field of `models`, and converts it in its builder's `build()` and
/// `From`; returns how many fields it boxed.
pub(crate) fn box_fields(
    models: &mut syn::File,
    marked: &[(String, String)],
) -> Result<usize, String> {
    let mut boxed = 0;
    for (schema, property) in marked {
        let mut pass = BoxField {
            schema,
            property,
            field: None,
            in_builders: false,
            typed: 0,
            converted: 0,
        };
        pass.visit_file_mut(models);
        if pass.typed != 1 || pass.converted != 2 {
            return Err(format!(
                "{schema}.{property} is marked {EXTENSION}, but the models have no `Option` \
                 field for it with a builder to box it in (found {} field(s), {} of 2 \
                 conversions)",
                pass.typed, pass.converted
            ));
        }
        boxed += 1;
    }
    Ok(boxed)
}

struct BoxField<'a> {
    schema: &'a str,
    property: &'a str,
    /// The Rust name of the field, once found (the structs come before `mod builder`).
    field: Option<syn::Ident>,
    /// Whether the visit is inside `mod builder`.
    in_builders: bool,
    /// Model fields whose type was boxed.
    typed: usize,
    /// Builder conversions that were rewritten.
    converted: usize,
}

impl VisitMut for BoxField<'_> {
    fn visit_item_mod_mut(&mut self, module: &mut syn::ItemMod) {
        let outer = self.in_builders;
        self.in_builders = module.ident == "builder";
        visit_mut::visit_item_mod_mut(self, module);
        self.in_builders = outer;
    }

    fn visit_item_struct_mut(&mut self, item: &mut syn::ItemStruct) {
        if self.in_builders || item.ident != self.schema {
            return;
        }
        let syn::Fields::Named(fields) = &mut item.fields else {
            return;
        };
        for field in &mut fields.named {
            if !model_fields::is_wire_field(field, self.property) {
                continue;
            }
            let syn::Type::Path(path) = &mut field.ty else {
                continue;
            };
            let Some(last) = path.path.segments.last_mut() else {
                continue;
            };
            if last.ident != "Option" {
                continue;
            }
            let syn::PathArguments::AngleBracketed(arguments) = &mut last.arguments else {
                continue;
            };
            let Some(syn::GenericArgument::Type(inner)) = arguments.args.first_mut() else {
                continue;
            };
            *inner = syn::parse_quote!(::std::boxed::Box<#inner>);
            self.field = field.ident.clone();
            self.typed += 1;
        }
    }

    fn visit_item_impl_mut(&mut self, block: &mut syn::ItemImpl) {
        if !self.in_builders {
            return;
        }
        let Some((trait_path, _)) = &block.trait_ else {
            return;
        };
        let Some(conversion) = trait_path.segments.last().map(|s| s.ident.to_string()) else {
            return;
        };
        let syn::Type::Path(target) = &*block.self_ty else {
            return;
        };
        let Some(target) = target.path.segments.last() else {
            return;
        };
        if target.ident != self.schema {
            return;
        }
        let Some(field) = self.field.clone() else {
            return;
        };
        // `build()`: the model from the builder, `field: value.field?`.
        let into_model = conversion == "TryFrom";
        // The builder from the model, `field: Ok(value.field)`.
        let into_builder = conversion == "From";
        if !into_model && !into_builder {
            return;
        }
        let mut rewrite = RewriteInit {
            field: &field,
            into_model,
            rewritten: 0,
        };
        rewrite.visit_item_impl_mut(block);
        self.converted += rewrite.rewritten;
    }
}

/// Rewrites the initialiser of `field` in a builder conversion.
struct RewriteInit<'a> {
    field: &'a syn::Ident,
    into_model: bool,
    rewritten: usize,
}

impl VisitMut for RewriteInit<'_> {
    fn visit_field_value_mut(&mut self, init: &mut syn::FieldValue) {
        let syn::Member::Named(member) = &init.member else {
            return;
        };
        if member != self.field {
            return;
        }
        let field = self.field;
        init.expr = if self.into_model {
            syn::parse_quote!(value.#field?.map(::std::boxed::Box::new))
        } else {
            syn::parse_quote!(Ok(value.#field.map(|boxed| *boxed)))
        };
        self.rewritten += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::ToTokens;

    /// A spec whose `Role` requires `required` and has `name` and `property`.
    fn spec_requiring(required: &str, property: &str) -> OpenAPI {
        let text = format!(
            r#"{{"openapi":"3.0.3","info":{{"title":"t","version":"1"}},"paths":{{}},
            "components":{{"schemas":{{"Role":{{"type":"object","required":[{required}],
            "properties":{{"name":{{"type":"string"}},{property}}}}}}}}}}}"#
        );
        serde_json::from_str(&text).unwrap()
    }

    fn spec(property: &str) -> OpenAPI {
        spec_requiring(r#""name""#, property)
    }

    #[test]
    fn collects_marked_optional_properties_and_refuses_the_rest() {
        let marked = r#""global":{"type":"object","x-rust-boxed":true}"#;
        assert_eq!(
            collect(&spec(marked)).unwrap(),
            [("Role".to_string(), "global".to_string())]
        );
        let off = r#""global":{"type":"object","x-rust-boxed":false}"#;
        assert!(collect(&spec(off)).unwrap().is_empty());
        let error = collect(&spec_requiring(r#""name","global""#, marked)).unwrap_err();
        assert!(
            error.contains("Role.global: x-rust-boxed is for optional"),
            "{error}"
        );
        let wrong = r#""global":{"type":"object","x-rust-boxed":"yes"}"#;
        let error = collect(&spec(wrong)).unwrap_err();
        assert!(error.contains("takes true or false"), "{error}");
    }

    #[test]
    fn boxes_the_field_and_converts_it_in_the_builder() {
        let mut file: syn::File = syn::parse_quote! {
            pub struct Role {
                pub global: ::std::option::Option<Global>,
                pub name: String,
            }
            pub mod builder {
                pub struct Role {
                    global: ::std::result::Result<::std::option::Option<super::Global>, String>,
                }
                impl ::std::convert::TryFrom<Role> for super::Role {
                    type Error = String;
                    fn try_from(value: Role) -> Result<Self, String> {
                        Ok(Self { global: value.global?, name: value.name? })
                    }
                }
                impl ::std::convert::From<super::Role> for Role {
                    fn from(value: super::Role) -> Self {
                        Self { global: Ok(value.global), name: Ok(value.name) }
                    }
                }
            }
        };
        let marked = [("Role".to_string(), "global".to_string())];
        assert_eq!(box_fields(&mut file, &marked), Ok(1));
        let text = file.to_token_stream().to_string().replace(' ', "");
        assert!(
            text.contains("pubglobal:::std::option::Option<::std::boxed::Box<Global>>"),
            "{text}"
        );
        assert!(
            text.contains("global:::std::result::Result<::std::option::Option<super::Global>"),
            "the builder keeps the plain value: {text}"
        );
        assert!(
            text.contains("global:value.global?.map(::std::boxed::Box::new)"),
            "{text}"
        );
        assert!(
            text.contains("global:Ok(value.global.map(|boxed|*boxed))"),
            "{text}"
        );
        assert!(text.contains("name:value.name?"), "{text}");

        let missing = [("Role".to_string(), "restriction".to_string())];
        let error = box_fields(&mut file, &missing).unwrap_err();
        assert!(
            error.contains("Role.restriction is marked x-rust-boxed"),
            "{error}"
        );
    }

    #[test]
    fn finds_a_renamed_field_by_its_wire_name() {
        let mut file: syn::File = syn::parse_quote! {
            pub struct Key {
                #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
                pub type_: ::std::option::Option<Kind>,
            }
            pub mod builder {
                impl ::std::convert::TryFrom<Key> for super::Key {
                    type Error = String;
                    fn try_from(value: Key) -> Result<Self, String> {
                        Ok(Self { type_: value.type_? })
                    }
                }
                impl ::std::convert::From<super::Key> for Key {
                    fn from(value: super::Key) -> Self {
                        Self { type_: Ok(value.type_) }
                    }
                }
            }
        };
        let marked = [("Key".to_string(), "type".to_string())];
        assert_eq!(box_fields(&mut file, &marked), Ok(1));
        let text = file.to_token_stream().to_string().replace(' ', "");
        assert!(
            text.contains("pubtype_:::std::option::Option<::std::boxed::Box<Kind>>"),
            "{text}"
        );
        assert!(
            text.contains("type_:value.type_?.map(::std::boxed::Box::new)"),
            "{text}"
        );
    }
}
