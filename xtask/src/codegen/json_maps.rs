//! JSON objects of any values (`metadata`, `transient_metadata`, the `extra` of unknown fields)
//! as [`SmallMap`](../../../elastic_apikeys_models/struct.SmallMap.html)s.
//!
//! typify writes a map of strings to any JSON value as `serde_json::Map` whatever the configured
//! map type, and `serde_json::Map` is a `BTreeMap`: a node of eleven entries for every object,
//! even `{"enabled": true}`, which every role descriptor carries. The models use the same
//! exact-size, ordered map as everywhere else instead, and their values of any kind are the
//! models crate's `JsonValue`, whose objects are `SmallMap`s too (a `serde_json::Value` keeps
//! every nested object in a `BTreeMap`).

use quote::ToTokens;
use syn::visit_mut::{self, VisitMut};

const JSON_MAP: &str = "::serde_json::Map";
const SMALL_MAP: &str = super::runtime_paths::SMALL_MAP;
const JSON_VALUE: &str = super::runtime_paths::JSON_VALUE;
const STRING: &str = super::runtime_paths::STRING;

/// Replaces `serde_json::Map` with `SmallMap`, and `serde_json::Value` with `JsonValue`, in
/// every type, expression and serde setting of `file`;
/// returns how many paths, literals and attributes it rewrote.
pub(crate) fn use_small_maps(file: &mut syn::File) -> usize {
    let mut pass = Replace(0);
    pass.visit_file_mut(file);
    pass.0
}

struct Replace(usize);

impl VisitMut for Replace {
    fn visit_path_mut(&mut self, path: &mut syn::Path) {
        let is_json_map = path.leading_colon.is_some()
            && path.segments.len() == 2
            && path.segments[0].ident == "serde_json"
            && path.segments[1].ident == "Map";
        if is_json_map {
            let arguments = path.segments[1].arguments.clone();
            *path = syn::parse_str(SMALL_MAP).expect("a path");
            path.segments[1].arguments = arguments;
            self.0 += 1;
        }
        // Map keys are the models' string type, like every other string of theirs.
        if path.segments.last().is_some_and(|s| s.ident == "SmallMap")
            && let Some(syn::PathSegment {
                arguments: syn::PathArguments::AngleBracketed(arguments),
                ..
            }) = path.segments.last_mut()
            && let Some(syn::GenericArgument::Type(key)) = arguments.args.first_mut()
            && quote::ToTokens::to_token_stream(&*key).to_string() == ":: std :: string :: String"
        {
            *key = syn::parse_str(STRING).expect("a type");
            self.0 += 1;
        }
        // `::serde_json::Value`, and paths under it (`::serde_json::Value::Null`).
        let is_json_value = path.leading_colon.is_some()
            && path.segments.len() >= 2
            && path.segments[0].ident == "serde_json"
            && path.segments[1].ident == "Value";
        if is_json_value {
            let rest: Vec<syn::PathSegment> = path.segments.iter().skip(2).cloned().collect();
            let mut replaced: syn::Path = syn::parse_str(JSON_VALUE).expect("a path");
            replaced.segments.extend(rest);
            *path = replaced;
            self.0 += 1;
        }
        visit_mut::visit_path_mut(self, path);
    }

    fn visit_lit_str_mut(&mut self, literal: &mut syn::LitStr) {
        // `skip_serializing_if = "::serde_json::Map::is_empty"`
        let value = literal.value();
        if value.starts_with(JSON_MAP) {
            *literal = syn::LitStr::new(&value.replacen(JSON_MAP, SMALL_MAP, 1), literal.span());
            self.0 += 1;
        }
    }

    fn visit_attribute_mut(&mut self, attr: &mut syn::Attribute) {
        // Attribute arguments are tokens to syn; the serde settings in them are rewritten as text.
        if let syn::Meta::List(list) = &mut attr.meta {
            let text = list.tokens.to_string();
            if text.contains(JSON_MAP) || text.contains(":: serde_json :: Map") {
                let rewritten = text
                    .replace(JSON_MAP, SMALL_MAP)
                    .replace(":: serde_json :: Map", SMALL_MAP);
                list.tokens = rewritten
                    .parse()
                    .expect("the same tokens, one path changed");
                self.0 += 1;
            }
        }
        visit_mut::visit_attribute_mut(self, attr);
    }
}

/// Makes every newtype of a map (`Metadata`, `HttpHeaders`, `EmptyResponse`: `struct
/// X(pub SmallMap<K, V>)`) behave as the map the user owns: `Default` (an empty map),
/// `DerefMut` (insert, remove and edit through it, as `Deref` already reads) and
/// `FromIterator` of its entries. Returns how many newtypes it changed.
pub(crate) fn editable_map_newtypes(file: &mut syn::File) -> usize {
    let mut added = Vec::new();
    for item in &file.items {
        let syn::Item::Struct(item) = item else {
            continue;
        };
        let syn::Fields::Unnamed(fields) = &item.fields else {
            continue;
        };
        let [field] = fields.unnamed.iter().collect::<Vec<_>>()[..] else {
            continue;
        };
        let syn::Type::Path(path) = &field.ty else {
            continue;
        };
        let Some(last) = path.path.segments.last() else {
            continue;
        };
        if last.ident != "SmallMap" {
            continue;
        }
        let syn::PathArguments::AngleBracketed(arguments) = &last.arguments else {
            continue;
        };
        let types: Vec<&syn::Type> = arguments
            .args
            .iter()
            .filter_map(|argument| match argument {
                syn::GenericArgument::Type(ty) => Some(ty),
                _ => None,
            })
            .collect();
        let [key, value] = types[..] else {
            continue;
        };
        let name = &item.ident;
        let derives_default = item.attrs.iter().any(|attribute| {
            attribute.path().is_ident("derive")
                && attribute.to_token_stream().to_string().contains("Default")
        });
        if !derives_default {
            added.push(syn::parse_quote! {
                impl ::std::default::Default for #name {
                    fn default() -> Self {
                        Self(::std::default::Default::default())
                    }
                }
            });
        }
        added.push(syn::parse_quote! {
            impl ::std::ops::DerefMut for #name {
                fn deref_mut(&mut self) -> &mut Self::Target {
                    &mut self.0
                }
            }
        });
        added.push(syn::parse_quote! {
            impl ::std::iter::FromIterator<(#key, #value)> for #name {
                fn from_iter<I: ::std::iter::IntoIterator<Item = (#key, #value)>>(entries: I) -> Self {
                    Self(entries.into_iter().collect())
                }
            }
        });
    }
    let count = added.len();
    file.items.extend(added);
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_constructors_and_serde_settings_change() {
        let mut file: syn::File = syn::parse_quote! {
            pub struct Role {
                #[serde(default, skip_serializing_if = "::serde_json::Map::is_empty")]
                pub transient_metadata: ::serde_json::Map<::std::string::String, ::serde_json::Value>,
                pub other: ::serde_json::Value,
            }
        };
        use_small_maps(&mut file);
        let text: String = prettyplease::unparse(&file).split_whitespace().collect();
        assert!(
            text.contains(r#"skip_serializing_if="::elastic_apikeys_models::SmallMap::is_empty""#),
            "{text}"
        );
        assert!(
            text.contains(
                "::elastic_apikeys_models::SmallMap<::elastic_apikeys_models::CompactString,::elastic_apikeys_models::JsonValue,>"
            ),
            "{text}"
        );
        assert!(
            text.contains("pubother:::elastic_apikeys_models::JsonValue"),
            "{text}"
        );
    }
}
