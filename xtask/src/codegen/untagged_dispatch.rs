//! Untagged enums whose variants are different JSON kinds decode by looking at the token.
//!
//! serde's `#[serde(untagged)]` buffers each value whole (its private `Content` tree) and then
//! tries the variants one after another: on `Names`, which every index entry of every role
//! carries, that is an allocation per value for nothing, and an error that says only "did not
//! match any variant". Where every variant is a different kind (a string, an integer, a float,
//! a boolean, a list, an object), the kind of the first token decides: this pass writes that
//! `Deserialize` by hand, as a visitor, in place of the derived one. Enums whose variants could
//! be the same kind (`MatchQueryField`: an object or a scalar that is itself an enum) keep
//! serde's.

use proc_macro2::{Span, TokenStream};
use quote::quote;
use std::collections::HashSet;

/// The JSON kind a variant's type decodes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Kind {
    Str,
    Int,
    Float,
    Bool,
    Seq,
    Map,
}

/// Rewrites every eligible untagged enum of `models`; returns how many.
pub(crate) fn dispatch_on_token(models: &mut syn::File) -> Result<usize, String> {
    let structs: HashSet<String> = models
        .items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Struct(s) if matches!(s.fields, syn::Fields::Named(_)) => {
                Some(s.ident.to_string())
            }
            _ => None,
        })
        .collect();
    let mut impls = Vec::new();
    for item in &mut models.items {
        let syn::Item::Enum(item) = item else {
            continue;
        };
        if !is_untagged(item) {
            continue;
        }
        let Some(variants) = classify(item, &structs) else {
            continue;
        };
        impls.push(deserialize_impl(&item.ident, &variants));
        // `#[serde(untagged)]` stays: the derived `Serialize` still writes the value bare.
        remove_derived_deserialize(item)?;
    }
    let count = impls.len();
    for tokens in impls {
        models
            .items
            .push(syn::parse2(tokens).map_err(|e| e.to_string())?);
    }
    Ok(count)
}

fn is_untagged_attr(attr: &syn::Attribute) -> bool {
    attr.path().is_ident("serde")
        && attr
            .meta
            .require_list()
            .is_ok_and(|list| list.tokens.to_string() == "untagged")
}

fn is_untagged(item: &syn::ItemEnum) -> bool {
    item.attrs.iter().any(is_untagged_attr)
}

/// Each variant with its kind and type, if every variant has a kind of its own.
fn classify(
    item: &syn::ItemEnum,
    structs: &HashSet<String>,
) -> Option<Vec<(syn::Ident, Kind, syn::Type)>> {
    let mut seen = HashSet::new();
    let mut variants = Vec::new();
    for variant in &item.variants {
        let syn::Fields::Unnamed(fields) = &variant.fields else {
            return None;
        };
        if fields.unnamed.len() != 1 {
            return None;
        }
        let ty = fields.unnamed[0].ty.clone();
        let kind = kind_of(&ty, structs)?;
        if !seen.insert(kind) {
            return None;
        }
        variants.push((variant.ident.clone(), kind, ty));
    }
    Some(variants)
}

fn kind_of(ty: &syn::Type, structs: &HashSet<String>) -> Option<Kind> {
    let syn::Type::Path(path) = ty else {
        return None;
    };
    let last = path.path.segments.last()?.ident.to_string();
    Some(match last.as_str() {
        "String" | "CompactString" => Kind::Str,
        "bool" => Kind::Bool,
        "i8" | "i16" | "i32" | "i64" | "u8" | "u16" | "u32" | "u64" => Kind::Int,
        "f32" | "f64" => Kind::Float,
        "Vec" => Kind::Seq,
        "SmallMap" | "Map" => Kind::Map,
        name if structs.contains(name) => Kind::Map,
        _ => return None,
    })
}

fn remove_derived_deserialize(item: &mut syn::ItemEnum) -> Result<(), String> {
    for attr in &mut item.attrs {
        if !attr.path().is_ident("derive") {
            continue;
        }
        let syn::Meta::List(list) = &mut attr.meta else {
            continue;
        };
        let paths = list
            .parse_args_with(
                syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated,
            )
            .map_err(|e| e.to_string())?;
        let kept: Vec<&syn::Path> = paths
            .iter()
            .filter(|p| p.segments.last().is_none_or(|s| s.ident != "Deserialize"))
            .collect();
        list.tokens = quote!(#(#kept),*);
    }
    Ok(())
}

fn deserialize_impl(name: &syn::Ident, variants: &[(syn::Ident, Kind, syn::Type)]) -> TokenStream {
    let de = super::runtime_paths::tokens(super::runtime_paths::MODELS_DE);
    let kinds: Vec<Kind> = variants.iter().map(|(_, kind, _)| *kind).collect();
    let described: Vec<&str> = kinds
        .iter()
        .map(|kind| match kind {
            Kind::Str => "a string",
            Kind::Int => "an integer",
            Kind::Float => "a number",
            Kind::Bool => "a boolean",
            Kind::Seq => "a list",
            Kind::Map => "an object",
        })
        .collect();
    let expecting = format!("{} ({name})", described.join(" or "));
    let variant = |kind: Kind| variants.iter().find(|(_, k, _)| *k == kind);
    let mut methods = Vec::new();
    if let Some((ident, _, _)) = variant(Kind::Str) {
        methods.push(quote! {
            fn visit_str<E: ::serde::de::Error>(self, value: &str) -> ::std::result::Result<#name, E> {
                ::std::result::Result::Ok(#name::#ident(value.into()))
            }
            fn visit_string<E: ::serde::de::Error>(self, value: ::std::string::String) -> ::std::result::Result<#name, E> {
                ::std::result::Result::Ok(#name::#ident(value.into()))
            }
        });
    }
    if let Some((ident, _, _)) = variant(Kind::Bool) {
        methods.push(quote! {
            fn visit_bool<E: ::serde::de::Error>(self, value: bool) -> ::std::result::Result<#name, E> {
                ::std::result::Result::Ok(#name::#ident(value))
            }
        });
    }
    match (variant(Kind::Int), variant(Kind::Float)) {
        (Some((ident, _, ty)), _) => methods.push(quote! {
            fn visit_i64<E: ::serde::de::Error>(self, value: i64) -> ::std::result::Result<#name, E> {
                <#ty as ::std::convert::TryFrom<i64>>::try_from(value)
                    .map(#name::#ident)
                    .map_err(|_| E::invalid_value(::serde::de::Unexpected::Signed(value), &self))
            }
            fn visit_u64<E: ::serde::de::Error>(self, value: u64) -> ::std::result::Result<#name, E> {
                <#ty as ::std::convert::TryFrom<u64>>::try_from(value)
                    .map(#name::#ident)
                    .map_err(|_| E::invalid_value(::serde::de::Unexpected::Unsigned(value), &self))
            }
        }),
        // A whole number where only a float is documented is that float.
        (None, Some((ident, _, ty))) => methods.push(quote! {
            fn visit_i64<E: ::serde::de::Error>(self, value: i64) -> ::std::result::Result<#name, E> {
                ::std::result::Result::Ok(#name::#ident(value as #ty))
            }
            fn visit_u64<E: ::serde::de::Error>(self, value: u64) -> ::std::result::Result<#name, E> {
                ::std::result::Result::Ok(#name::#ident(value as #ty))
            }
        }),
        (None, None) => {}
    }
    if let Some((ident, _, ty)) = variant(Kind::Float) {
        methods.push(quote! {
            fn visit_f64<E: ::serde::de::Error>(self, value: f64) -> ::std::result::Result<#name, E> {
                ::std::result::Result::Ok(#name::#ident(value as #ty))
            }
        });
    }
    if let Some((ident, _, _)) = variant(Kind::Seq) {
        methods.push(quote! {
            fn visit_seq<A: ::serde::de::SeqAccess<'de>>(self, seq: A) -> ::std::result::Result<#name, A::Error> {
                // Read at its exact size, as every list field is.
                #de::read_seq(seq).map(#name::#ident)
            }
        });
    }
    if let Some((ident, _, ty)) = variant(Kind::Map) {
        methods.push(quote! {
            fn visit_map<A: ::serde::de::MapAccess<'de>>(self, map: A) -> ::std::result::Result<#name, A::Error> {
                <#ty as ::serde::Deserialize>::deserialize(::serde::de::value::MapAccessDeserializer::new(map))
                    .map(#name::#ident)
            }
        });
    }
    let visitor = syn::Ident::new(&format!("{name}Visitor"), Span::call_site());
    quote! {
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                struct #visitor;
                impl<'de> ::serde::de::Visitor<'de> for #visitor {
                    type Value = #name;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(#expecting)
                    }
                    #(#methods)*
                }
                deserializer.deserialize_any(#visitor)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enums_of_distinct_kinds_get_a_visitor_and_the_others_keep_serdes() {
        let mut models: syn::File = syn::parse_quote! {
            pub struct MatchQuery { pub query: String }
            #[derive(::serde::Deserialize, ::serde::Serialize, Clone)]
            #[serde(untagged)]
            pub enum Names { One(::std::string::String), Many(::std::vec::Vec<::std::string::String>) }
            #[derive(::serde::Deserialize, ::serde::Serialize)]
            #[serde(untagged)]
            pub enum Field { Query(MatchQuery), Value(ScalarValue) }
            #[derive(::serde::Deserialize, ::serde::Serialize)]
            #[serde(untagged)]
            pub enum Twice { A(String), B(String) }
        };
        assert_eq!(dispatch_on_token(&mut models), Ok(1));
        let text = prettyplease::unparse(&models);
        assert!(
            text.contains(
                "#[derive(::serde::Serialize, Clone)]\n#[serde(untagged)]\npub enum Names"
            ),
            "{text}"
        );
        assert!(
            text.contains("impl<'de> ::serde::Deserialize<'de> for Names"),
            "{text}"
        );
        assert!(text.contains("\"a string or a list (Names)\""), "{text}");
        assert_eq!(text.matches("#[serde(untagged)]").count(), 3, "{text}");
    }
}
