//! Optional fields of the models' builders take the value itself.
//!
//! typify's setter of an optional field takes `T: TryInto<Option<V>>`, so a caller writes
//! `.expiration(Some("3d".to_string()))`: `&str` converts into `String`, not into
//! `Option<String>`. Each such setter is rewritten to take `T: TryInto<V>` (so `.expiration("3d")`
//! compiles, and so does anything that converts into `V`), and gains a `set_<field>(Option<V>)`
//! beside it that can also clear the field, the pair AWS's Rust SDK builders have.

use syn::visit_mut::{self, VisitMut};

/// Rewrites every optional setter of `file`'s builders; returns how many it rewrote.
pub(crate) fn take_values(file: &mut syn::File) -> Result<usize, String> {
    let mut pass = TakeValues {
        rewritten: 0,
        error: None,
    };
    pass.visit_file_mut(file);
    match pass.error {
        Some(error) => Err(error),
        None => Ok(pass.rewritten),
    }
}

struct TakeValues {
    rewritten: usize,
    error: Option<String>,
}

impl VisitMut for TakeValues {
    fn visit_item_impl_mut(&mut self, block: &mut syn::ItemImpl) {
        let existing: Vec<String> = block
            .items
            .iter()
            .filter_map(|item| match item {
                syn::ImplItem::Fn(f) => Some(f.sig.ident.to_string()),
                _ => None,
            })
            .collect();
        let mut added = Vec::new();
        for item in &mut block.items {
            let syn::ImplItem::Fn(setter) = item else {
                continue;
            };
            let Some(inner) = optional_bound(setter) else {
                continue;
            };
            let field = setter.sig.ident.clone();
            let set = syn::Ident::new(&format!("set_{field}"), field.span());
            if existing.contains(&set.to_string()) {
                self.error = Some(format!(
                    "a builder has both `{field}` and `{set}`; the setter of an optional field \
                     cannot get its `set_` twin"
                ));
                return;
            }
            let message = format!("error converting supplied value for {field}: {{e}}");
            setter.sig.generics = syn::parse_quote! {
                <T>
            };
            setter.sig.generics.where_clause = Some(syn::parse_quote! {
                where
                    T: ::std::convert::TryInto<#inner>,
                    T::Error: ::std::fmt::Display
            });
            setter.block = syn::parse_quote! {{
                self.#field = value
                    .try_into()
                    .map(::std::option::Option::Some)
                    .map_err(|e| format!(#message));
                self
            }};
            let doc = format!("Sets `{field}`, or clears it with `None`.");
            added.push(syn::ImplItem::Fn(syn::parse_quote! {
                #[doc = #doc]
                pub fn #set(mut self, value: ::std::option::Option<#inner>) -> Self {
                    self.#field = Ok(value);
                    self
                }
            }));
            self.rewritten += 1;
        }
        block.items.extend(added);
        visit_mut::visit_item_impl_mut(self, block);
    }
}

/// The `V` of a setter bounded by `T: TryInto<Option<V>>`.
fn optional_bound(setter: &syn::ImplItemFn) -> Option<syn::Type> {
    let where_clause = setter.sig.generics.where_clause.as_ref()?;
    where_clause.predicates.iter().find_map(|predicate| {
        let syn::WherePredicate::Type(predicate) = predicate else {
            return None;
        };
        predicate.bounds.iter().find_map(|bound| {
            let syn::TypeParamBound::Trait(bound) = bound else {
                return None;
            };
            let last = bound.path.segments.last()?;
            if last.ident != "TryInto" {
                return None;
            }
            let option = single_argument(&last.arguments)?;
            let syn::Type::Path(option) = option else {
                return None;
            };
            let last = option.path.segments.last()?;
            (last.ident == "Option")
                .then(|| single_argument(&last.arguments).cloned())
                .flatten()
        })
    })
}

fn single_argument(arguments: &syn::PathArguments) -> Option<&syn::Type> {
    let syn::PathArguments::AngleBracketed(arguments) = arguments else {
        return None;
    };
    match arguments.args.first()? {
        syn::GenericArgument::Type(ty) if arguments.args.len() == 1 => Some(ty),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn optional_setters_take_the_value_and_gain_a_twin() {
        let mut file: syn::File = syn::parse_quote! {
            impl Key {
                pub fn expiration<T>(mut self, value: T) -> Self
                where
                    T: ::std::convert::TryInto<::std::option::Option<::std::string::String>>,
                    T::Error: ::std::fmt::Display,
                {
                    self.expiration = value.try_into().map_err(|e| format!("x {e}"));
                    self
                }
                pub fn id<T>(mut self, value: T) -> Self
                where
                    T: ::std::convert::TryInto<::std::string::String>,
                    T::Error: ::std::fmt::Display,
                {
                    self.id = value.try_into().map_err(|e| format!("x {e}"));
                    self
                }
            }
        };
        assert_eq!(take_values(&mut file), Ok(1));
        let text: String = prettyplease::unparse(&file).split_whitespace().collect();
        assert!(
            text.contains("T:::std::convert::TryInto<::std::string::String>,T::Error:::std::fmt::Display,{self.expiration=value.try_into().map(::std::option::Option::Some)"),
            "{text}"
        );
        assert!(
            text.contains("pubfnset_expiration(mutself,value:::std::option::Option<::std::string::String>,)->Self{self.expiration=Ok(value);self}"),
            "{text}"
        );
        assert!(!text.contains("set_id"), "{text}");
    }
}
