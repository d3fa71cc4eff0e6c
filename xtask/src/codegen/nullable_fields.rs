//! An optional property that the spec marks `nullable: true` is three-state in the models:
//! `Nullable<T>` (left out, `null`, a value) rather than `Option<T>`, which has room for two.
//!
//! Where a server gives `null` a meaning of its own (`certificate_identity: null` removes a
//! cross-cluster key's identity, where leaving it out keeps it), an `Option` cannot send it, and
//! one decoded from a server's `null` would be written back as absent. The model's field becomes
//! `Nullable<T>` (skipped when absent, `Absent` when missing); its builder holds the same, with
//! a setter that takes the value and a `set_` twin that takes any of the three states.

use openapiv3::OpenAPI;
use syn::visit_mut::{self, VisitMut};

use super::{model_fields, runtime_paths, schema_walk};

/// `(schema, property)` of every optional, nullable property of a component schema.
pub(crate) fn collect(spec: &OpenAPI) -> Vec<(String, String)> {
    schema_walk::component_properties(spec)
        .filter(|found| {
            found.value.schema_data.nullable
                && !found.object.required.iter().any(|r| r == found.property)
        })
        .map(|found| (found.schema.to_string(), found.property.to_string()))
        .collect()
}

/// Makes every field of `nullable` three-state in its model and its builder; returns how many.
pub(crate) fn three_states(
    models: &mut syn::File,
    nullable: &[(String, String)],
) -> Result<usize, String> {
    for (schema, property) in nullable {
        let mut pass = ThreeStates {
            schema,
            property,
            field: None,
            inner: None,
            in_builders: false,
            model_fields: 0,
            builder_fields: 0,
            setters: 0,
        };
        pass.visit_file_mut(models);
        if (pass.model_fields, pass.builder_fields, pass.setters) != (1, 1, 1) {
            return Err(format!(
                "{schema}.{property} is optional and nullable, but the models have no `Option` \
                 field for it with a builder field and setter to make three-state (found {} \
                 field(s), {} builder field(s), {} setter(s))",
                pass.model_fields, pass.builder_fields, pass.setters
            ));
        }
    }
    Ok(nullable.len())
}

struct ThreeStates<'a> {
    schema: &'a str,
    property: &'a str,
    /// The Rust name of the field, once found (the structs come before `mod builder`).
    field: Option<syn::Ident>,
    /// The `T` of its `Option<T>`.
    inner: Option<syn::Type>,
    in_builders: bool,
    model_fields: usize,
    builder_fields: usize,
    setters: usize,
}

/// The `T` of `Option<T>`.
fn option_inner(ty: &syn::Type) -> Option<&syn::Type> {
    let syn::Type::Path(path) = ty else {
        return None;
    };
    let last = path.path.segments.last()?;
    if last.ident != "Option" {
        return None;
    }
    let syn::PathArguments::AngleBracketed(arguments) = &last.arguments else {
        return None;
    };
    match arguments.args.first()? {
        syn::GenericArgument::Type(inner) => Some(inner),
        _ => None,
    }
}

impl VisitMut for ThreeStates<'_> {
    fn visit_item_mod_mut(&mut self, module: &mut syn::ItemMod) {
        let outer = self.in_builders;
        self.in_builders = module.ident == "builder";
        visit_mut::visit_item_mod_mut(self, module);
        self.in_builders = outer;
    }

    fn visit_item_struct_mut(&mut self, item: &mut syn::ItemStruct) {
        if item.ident != self.schema {
            return;
        }
        let nullable = runtime_paths::tokens(runtime_paths::NULLABLE);
        let syn::Fields::Named(fields) = &mut item.fields else {
            return;
        };
        for field in &mut fields.named {
            if self.in_builders {
                // `field: Result<Option<T>, String>`.
                if self.field.as_ref() != field.ident.as_ref() {
                    continue;
                }
                let Some(inner) = &self.inner else { continue };
                field.ty = syn::parse_quote! {
                    ::std::result::Result<#nullable<#inner>, ::std::string::String>
                };
                self.builder_fields += 1;
                continue;
            }
            if !model_fields::is_wire_field(field, self.property) {
                continue;
            }
            let Some(inner) = option_inner(&field.ty).cloned() else {
                continue;
            };
            let skip = format!("{}::is_absent", runtime_paths::NULLABLE);
            let rename = field.attrs.iter().find_map(|attr| {
                let mut wire = None;
                if attr.path().is_ident("serde") {
                    let _ = attr.parse_nested_meta(|meta| {
                        if meta.path.is_ident("rename") {
                            wire = Some(meta.value()?.parse::<syn::LitStr>()?);
                        } else if meta.input.peek(syn::Token![=]) {
                            meta.value()?.parse::<syn::Expr>()?;
                        }
                        Ok(())
                    });
                }
                wire
            });
            field.attrs.retain(|attr| !attr.path().is_ident("serde"));
            field.attrs.push(match rename {
                Some(wire) => syn::parse_quote! {
                    #[serde(rename = #wire, default, skip_serializing_if = #skip)]
                },
                None => syn::parse_quote! {
                    #[serde(default, skip_serializing_if = #skip)]
                },
            });
            field.ty = syn::parse_quote!(#nullable<#inner>);
            self.field = field.ident.clone();
            self.inner = Some(inner);
            self.model_fields += 1;
        }
    }

    fn visit_item_impl_mut(&mut self, block: &mut syn::ItemImpl) {
        let is_builder = self.in_builders
            && block.trait_.is_none()
            && matches!(&*block.self_ty, syn::Type::Path(p)
                if p.path.segments.last().is_some_and(|s| s.ident == self.schema));
        let (Some(field), Some(inner)) = (self.field.clone(), self.inner.clone()) else {
            return;
        };
        if !is_builder {
            return;
        }
        let nullable = runtime_paths::tokens(runtime_paths::NULLABLE);
        let Some(position) = block.items.iter().position(
            |item| matches!(item, syn::ImplItem::Fn(setter) if setter.sig.ident == field),
        ) else {
            return;
        };
        let set = syn::Ident::new(&format!("set_{field}"), field.span());
        let message = format!("error converting supplied value for {field}: {{e}}");
        let doc = format!(
            "Sets `{field}` to any of its three states: `Nullable::Absent` leaves it out, \
             `Nullable::Null` sends `null`, `Nullable::Value` sends the value."
        );
        block.items[position] = syn::parse_quote! {
            pub fn #field<T>(mut self, value: T) -> Self
            where
                T: ::std::convert::TryInto<#inner>,
                T::Error: ::std::fmt::Display,
            {
                self.#field = value
                    .try_into()
                    .map(#nullable::Value)
                    .map_err(|e| format!(#message));
                self
            }
        };
        block.items.insert(
            position + 1,
            syn::parse_quote! {
                #[doc = #doc]
                pub fn #set(mut self, value: #nullable<#inner>) -> Self {
                    self.#field = Ok(value);
                    self
                }
            },
        );
        self.setters += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::ToTokens;

    #[test]
    fn an_optional_nullable_field_becomes_three_state_in_model_and_builder() {
        let mut file: syn::File = syn::parse_quote! {
            pub struct Update {
                #[serde(rename = "cert", skip_serializing_if = "::std::option::Option::is_none")]
                pub cert: ::std::option::Option<::std::string::String>,
                pub id: ::std::string::String,
            }
            pub mod builder {
                pub struct Update {
                    cert: ::std::result::Result<::std::option::Option<::std::string::String>, ::std::string::String>,
                    id: ::std::result::Result<::std::string::String, ::std::string::String>,
                }
                impl Update {
                    pub fn cert<T>(mut self, value: T) -> Self
                    where
                        T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                        T::Error: ::std::fmt::Display,
                    {
                        self.cert = value.try_into().map_err(|e| format!("{e}"));
                        self
                    }
                }
            }
        };
        let marked = [("Update".to_string(), "cert".to_string())];
        assert_eq!(three_states(&mut file, &marked), Ok(1));
        let text: String = file
            .to_token_stream()
            .to_string()
            .split_whitespace()
            .collect();
        for expected in [
            r#"#[serde(rename="cert",default,skip_serializing_if="::elastic_apikeys_models::Nullable::is_absent")]pubcert:::elastic_apikeys_models::Nullable<::std::string::String>"#,
            "cert:::std::result::Result<::elastic_apikeys_models::Nullable<::std::string::String>,::std::string::String>",
            "T:::std::convert::TryInto<::std::string::String>",
            ".map(::elastic_apikeys_models::Nullable::Value)",
            "pubfnset_cert(mutself,value:::elastic_apikeys_models::Nullable<::std::string::String>)->Self",
        ] {
            assert!(text.contains(expected), "{expected}\n{text}");
        }

        let missing = [("Update".to_string(), "nope".to_string())];
        assert!(
            three_states(&mut file, &missing)
                .unwrap_err()
                .contains("Update.nope is optional and nullable")
        );
    }
}
