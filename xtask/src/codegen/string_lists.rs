//! Builder setters of string lists take any list of anything that converts into a string.
//!
//! The models' strings are `CompactString`s, and typify's setter of a list of them takes
//! `T: TryInto<Vec<CompactString>>`: `.ids(vec!["a".to_string()])` no longer compiles, because a
//! `Vec<String>` does not convert into a `Vec<CompactString>`. Each such setter takes
//! `impl IntoIterator<Item: Into<CompactString>>` instead, so `Vec<String>`, `["a", "b"]`, a
//! slice iterator of `&str` and a `Vec<CompactString>` all work.

use quote::{ToTokens, quote};
use syn::visit_mut::{self, VisitMut};

use super::runtime_paths;

/// Rewrites every string-list setter of `file`'s builders; returns how many it rewrote.
pub(crate) fn take_any_strings(file: &mut syn::File) -> usize {
    let string = runtime_paths::tokens(runtime_paths::STRING);
    let list = quote!(::std::vec::Vec<#string>).to_string();
    let mut pass = Rewrite { list, rewritten: 0 };
    pass.visit_file_mut(file);
    pass.rewritten
}

struct Rewrite {
    /// `Vec<STRING>`, as token text.
    list: String,
    rewritten: usize,
}

impl Rewrite {
    /// Whether `setter` is bounded by `T: TryInto<Vec<STRING>>`.
    fn takes_a_string_list(&self, setter: &syn::ImplItemFn) -> bool {
        let Some(where_clause) = &setter.sig.generics.where_clause else {
            return false;
        };
        where_clause.predicates.iter().any(|predicate| {
            let syn::WherePredicate::Type(predicate) = predicate else {
                return false;
            };
            predicate.bounds.iter().any(|bound| {
                let syn::TypeParamBound::Trait(bound) = bound else {
                    return false;
                };
                let Some(last) = bound.path.segments.last() else {
                    return false;
                };
                let syn::PathArguments::AngleBracketed(arguments) = &last.arguments else {
                    return false;
                };
                last.ident == "TryInto"
                    && arguments.args.len() == 1
                    && arguments.args[0].to_token_stream().to_string() == self.list
            })
        })
    }
}

impl VisitMut for Rewrite {
    fn visit_impl_item_fn_mut(&mut self, setter: &mut syn::ImplItemFn) {
        if self.takes_a_string_list(setter) {
            let string = runtime_paths::tokens(runtime_paths::STRING);
            setter.sig.generics = syn::parse_quote!(<T, S>);
            setter.sig.generics.where_clause = Some(syn::parse_quote! {
                where
                    T: ::std::iter::IntoIterator<Item = S>,
                    S: ::std::convert::Into<#string>
            });
            // The body converts with `value.try_into()`: the list is collected instead, which
            // cannot fail.
            let body = setter.block.to_token_stream().to_string();
            let converted = body.replace(
                "value . try_into ()",
                &quote! {
                    ::std::result::Result::<::std::vec::Vec<#string>, ::std::convert::Infallible>::Ok(
                        value.into_iter().map(::std::convert::Into::into).collect()
                    )
                }
                .to_string(),
            );
            if converted != body {
                setter.block =
                    syn::parse_str(&converted).expect("the same block, one call changed");
                self.rewritten += 1;
            }
        }
        visit_mut::visit_impl_item_fn_mut(self, setter);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_list_setters_take_any_strings() {
        let mut file: syn::File = syn::parse_quote! {
            impl Builder {
                pub fn ids<T>(mut self, value: T) -> Self
                where
                    T: ::std::convert::TryInto<::std::vec::Vec<::elastic_apikeys_models::CompactString>>,
                    T::Error: ::std::fmt::Display,
                {
                    self.ids = value.try_into().map(::std::option::Option::Some).map_err(|e| format!("{e}"));
                    self
                }
                pub fn name<T>(mut self, value: T) -> Self
                where
                    T: ::std::convert::TryInto<::elastic_apikeys_models::CompactString>,
                    T::Error: ::std::fmt::Display,
                {
                    self.name = value.try_into().map_err(|e| format!("{e}"));
                    self
                }
            }
        };
        assert_eq!(take_any_strings(&mut file), 1);
        let text: String = prettyplease::unparse(&file).split_whitespace().collect();
        assert!(
            text.contains(
                "pubfnids<T,S>(mutself,value:T)->SelfwhereT:::std::iter::IntoIterator<Item=S>"
            ),
            "{text}"
        );
        assert!(
            text.contains("value.into_iter().map(::std::convert::Into::into).collect()"),
            "{text}"
        );
        assert!(text.contains("pubfnname<T>(mutself,value:T)"), "{text}");
    }
}
