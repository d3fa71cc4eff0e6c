//! Decoding structs that keep unknown fields without `#[serde(flatten)]`.
//!
//! [`wire_policy`](super::wire_policy) gives every object an `extra` map, which typify writes as
//! a `#[serde(flatten)]` field. serde decodes a struct with a flattened field by first buffering
//! every one of its fields into an intermediate tree, then decoding the fields from that tree:
//! for a 140 MB key list this doubles the work and the allocations at every level of nesting.
//! This module replaces the derived `Deserialize` of those structs with one that reads each
//! field straight into place and only the unknown ones into `extra`. `Serialize` stays derived.
//!
//! What the decoder requires is what the models' JSON Schema (`schemars`, derived from the same
//! fields) lists as required, and `tests/schema_contract.rs` holds the two together:
//!
//! - a field that is neither an `Option` nor `#[serde(default)]` is required;
//! - an `Option` is not, including the one kind of `Option` that is always written: a property
//!   the spec marks required and `nullable` (`name` of an Elasticsearch API key). Servers send it
//!   always, `null` or not, and encoding writes it always, `null` included; but a document
//!   without it, such as one that passed through a tool that drops nulls, means the same as
//!   `null` and decodes as `None` rather than failing a whole key list.

use proc_macro2::{Span, TokenStream};
use quote::quote;

use super::runtime_paths;
use syn::visit_mut::{self, VisitMut};

/// Replaces the derived `Deserialize` of every struct of `file` that has a flattened `extra`;
/// returns how many it replaced.
pub(crate) fn replace_flatten(file: &mut syn::File) -> Result<usize, String> {
    let mut impls = Vec::new();
    for item in &mut file.items {
        let syn::Item::Struct(item) = item else {
            continue;
        };
        let syn::Fields::Named(fields) = &item.fields else {
            continue;
        };
        if !fields.named.iter().any(is_flattened) {
            continue;
        }
        impls.push(deserialize_impl(&item.ident, fields)?);
        RemoveDerive.visit_item_struct_mut(item);
    }
    let replaced = impls.len();
    for tokens in impls {
        file.items
            .push(syn::parse2(tokens).map_err(|e| e.to_string())?);
    }
    Ok(replaced)
}

/// The `#[serde(..)]` settings of a field that decoding needs.
#[derive(Default)]
struct FieldSerde {
    rename: Option<String>,
    default: bool,
    flatten: bool,
    deserialize_with: Option<String>,
}

fn field_serde(field: &syn::Field) -> Result<FieldSerde, String> {
    let mut serde = FieldSerde::default();
    for attr in &field.attrs {
        if !attr.path().is_ident("serde") {
            continue;
        }
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                serde.rename = Some(meta.value()?.parse::<syn::LitStr>()?.value());
            } else if meta.path.is_ident("default") {
                serde.default = true;
            } else if meta.path.is_ident("flatten") {
                serde.flatten = true;
            } else if meta.path.is_ident("deserialize_with") {
                serde.deserialize_with = Some(meta.value()?.parse::<syn::LitStr>()?.value());
            } else if meta.path.is_ident("skip_serializing_if") {
                meta.value()?.parse::<syn::LitStr>()?;
            } else {
                return Err(meta.error("a serde setting struct_deserialize does not know"));
            }
            Ok(())
        })
        .map_err(|e| {
            format!(
                "{}: {e}",
                field
                    .ident
                    .as_ref()
                    .map_or(String::new(), |i| i.to_string())
            )
        })?;
    }
    Ok(serde)
}

/// The `deserialize_with` typify gives a property that is required and nullable.
const OPTION_DESERIALIZE: &str = "::std::option::Option::deserialize";

fn is_flattened(field: &syn::Field) -> bool {
    field_serde(field).is_ok_and(|s| s.flatten)
}

fn is_option(ty: &syn::Type) -> bool {
    last_segment(ty).is_some_and(|s| s.ident == "Option")
}

fn last_segment(ty: &syn::Type) -> Option<&syn::PathSegment> {
    match ty {
        syn::Type::Path(p) => p.path.segments.last(),
        _ => None,
    }
}

/// Whether `ty` is `Vec<_>` or `Option<Vec<_>>`: lists whose spare capacity decoding leaves.
fn is_list(ty: &syn::Type) -> bool {
    let Some(segment) = last_segment(ty) else {
        return false;
    };
    if segment.ident == "Vec" {
        return true;
    }
    if segment.ident != "Option" {
        return false;
    }
    let syn::PathArguments::AngleBracketed(args) = &segment.arguments else {
        return false;
    };
    matches!(args.args.first(), Some(syn::GenericArgument::Type(inner)) if last_segment(inner).is_some_and(|s| s.ident == "Vec"))
}

fn deserialize_impl(name: &syn::Ident, fields: &syn::FieldsNamed) -> Result<TokenStream, String> {
    let name_str = name.to_string();
    let de = runtime_paths::tokens(runtime_paths::MODELS_DE);
    let mut slots = Vec::new();
    let mut arms = Vec::new();
    let mut builds = Vec::new();
    let mut extra = None;
    for field in &fields.named {
        let ident = field.ident.clone().ok_or("a named field has no name")?;
        let serde = field_serde(field)?;
        if serde.flatten {
            extra = Some(ident);
            continue;
        }
        let ty = &field.ty;
        let wire = serde.rename.unwrap_or_else(|| ident.to_string());
        let slot = syn::Ident::new(&format!("field_{ident}"), Span::call_site());
        slots.push(
            quote! { let mut #slot: ::std::option::Option<#ty> = ::std::option::Option::None; },
        );
        let read = match &serde.deserialize_with {
            // `Option::deserialize` on a required, nullable field: the value may be null, which
            // reading `Option<T>` is; its absence is read as null below.
            Some(path) if path == OPTION_DESERIALIZE => {
                quote! { map.next_value::<#ty>()? }
            }
            Some(path) => {
                return Err(format!(
                    "{name_str}.{ident}: deserialize_with = {path} is not supported"
                ));
            }
            // A list grows by doubling while it is read; a 100,000-key body holds millions of
            // them, so each is read at its exact size instead.
            None if is_list(ty) => {
                quote! { map.next_value::<#de::Exact<#ty>>()?.0 }
            }
            None => quote! { map.next_value::<#ty>()? },
        };
        arms.push(quote! {
            #wire => {
                if #slot.is_some() {
                    return ::std::result::Result::Err(::serde::de::Error::duplicate_field(#wire));
                }
                #slot = ::std::option::Option::Some(#read);
            }
        });
        // Absent means `None` for every `Option`: a required nullable one (`deserialize_with =
        // Option::deserialize`) included, which schemars, like serde's own derive with
        // `default`, does not list as required.
        let missing = if serde.default || is_option(ty) {
            quote! { #slot.unwrap_or_default() }
        } else {
            quote! { #slot.ok_or_else(|| ::serde::de::Error::missing_field(#wire))? }
        };
        builds.push(quote! { #ident: #missing, });
    }
    let extra = extra.ok_or("no flattened field")?;
    let small_map = runtime_paths::tokens(runtime_paths::SMALL_MAP);
    let expecting = format!("an object ({name_str})");
    Ok(quote! {
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                struct Visitor;
                impl<'de> ::serde::de::Visitor<'de> for Visitor {
                    type Value = #name;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(#expecting)
                    }
                    fn visit_map<A: ::serde::de::MapAccess<'de>>(self, mut map: A) -> ::std::result::Result<#name, A::Error> {
                        #(#slots)*
                        let mut extra = ::std::vec::Vec::new();
                        while let ::std::option::Option::Some(key) = map.next_key::<#de::Key<'de>>()? {
                            match key.as_str() {
                                #(#arms)*
                                _ => {
                                    extra.push((key.into_string(), map.next_value()?));
                                }
                            }
                        }
                        ::std::result::Result::Ok(#name {
                            #(#builds)*
                            #extra: #small_map::from_entries(extra),
                        })
                    }
                }
                deserializer.deserialize_map(Visitor)
            }
        }
    })
}

/// Removes `::serde::Deserialize` from a struct's derives.
struct RemoveDerive;

impl VisitMut for RemoveDerive {
    fn visit_attribute_mut(&mut self, attr: &mut syn::Attribute) {
        if attr.path().is_ident("derive")
            && let syn::Meta::List(list) = &mut attr.meta
            && let Ok(paths) = list.parse_args_with(
                syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated,
            )
        {
            let kept: Vec<&syn::Path> = paths
                .iter()
                .filter(|p| p.segments.last().is_none_or(|s| s.ident != "Deserialize"))
                .collect();
            list.tokens = quote! { #(#kept),* };
        }
        visit_mut::visit_attribute_mut(self, attr);
    }

    fn visit_field_mut(&mut self, _: &mut syn::Field) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn structs_with_extra_get_a_direct_deserialize() {
        let mut file: syn::File = syn::parse_quote! {
            #[derive(::serde::Deserialize, ::serde::Serialize, Clone)]
            pub struct Key {
                pub id: ::std::string::String,
                #[serde(default, skip_serializing_if = "::std::option::Option::is_none")]
                pub tags: ::std::option::Option<::std::vec::Vec<::std::string::String>>,
                #[serde(deserialize_with = "::std::option::Option::deserialize")]
                pub name: ::std::option::Option<::std::string::String>,
                #[serde(rename = "type", skip_serializing_if = "::std::option::Option::is_none")]
                pub type_: ::std::option::Option<::std::string::String>,
                #[serde(flatten)]
                pub extra: ::serde_json::Map<::std::string::String, ::serde_json::Value>,
            }
            #[derive(::serde::Deserialize)]
            pub struct Plain { pub a: u8 }
        };
        replace_flatten(&mut file).unwrap();
        let text: String = prettyplease::unparse(&file).split_whitespace().collect();
        assert!(
            text.contains("#[derive(::serde::Serialize,Clone)]pubstructKey"),
            "{text}"
        );
        assert!(
            text.contains("#[derive(::serde::Deserialize)]pubstructPlain"),
            "{text}"
        );
        assert!(text.contains(r#""type"=>{"#), "{text}");
        assert!(
            text.contains(r#"id:field_id.ok_or_else(||::serde::de::Error::missing_field("id"))?"#),
            "{text}"
        );
        assert!(
            text.contains("name:field_name.unwrap_or_default()"),
            "a required nullable field that is absent is None: {text}"
        );
        assert!(
            text.contains("tags:field_tags.unwrap_or_default()"),
            "{text}"
        );
        assert!(text.contains("map.next_value::<crate::de::Exact<::std::option::Option<::std::vec::Vec<::std::string::String>"), "{text}");
        assert!(
            !text.contains("map.next_value::<crate::de::Exact<::std::string::String"),
            "{text}"
        );
        assert!(
            text.contains("type_:field_type_.unwrap_or_default()"),
            "{text}"
        );
    }
}
