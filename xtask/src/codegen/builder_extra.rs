//! What the builders typify writes beside each struct lack for building a model by hand.
//!
//! - They start every field without a default as "not supplied", including the flattened `extra`
//!   map that [`wire_policy`](super::wire_policy) adds: building a model would then demand
//!   `.extra(Map::new())` for nothing. [`start_empty`] starts `extra` empty instead.
//! - They end only in `TryFrom`, which needs the model's type spelled out at every call
//!   (`let key: ApiKey = builder.try_into()?`). The models are `#[non_exhaustive]`, so a builder
//!   is how code outside the crate makes one: [`add_build`] gives every builder a `build()`,
//!   as aws-sdk-rust's builders have.

use syn::visit_mut::{self, VisitMut};

/// Gives every builder of `file`'s `mod builder` a `build()` that makes its model; returns how
/// many.
pub(crate) fn add_build(file: &mut syn::File) -> usize {
    let Some(builders) = file.items.iter_mut().find_map(|item| match item {
        syn::Item::Mod(module) if module.ident == "builder" => module.content.as_mut(),
        _ => None,
    }) else {
        return 0;
    };
    let mut added = Vec::new();
    for item in &builders.1 {
        let syn::Item::Impl(conversion) = item else {
            continue;
        };
        let Some((trait_path, _)) = &conversion.trait_ else {
            continue;
        };
        if trait_path
            .segments
            .last()
            .is_none_or(|last| last.ident != "TryFrom")
        {
            continue;
        }
        // `impl TryFrom<Key> for super::Key`: the model is the one of the same name.
        let syn::Type::Path(model) = &*conversion.self_ty else {
            continue;
        };
        let Some(builder) = model.path.segments.last().map(|last| last.ident.clone()) else {
            continue;
        };
        let model = builder.to_string();
        let doc = format!(
            " Builds the [`{model}`](super::{model}); fails with the name of a required field \
             that was not given, or of a value that did not convert."
        );
        added.push(syn::parse_quote! {
            impl #builder {
                #[doc = #doc]
                pub fn build(
                    self,
                ) -> ::std::result::Result<super::#builder, super::error::ConversionError> {
                    ::std::convert::TryFrom::try_from(self)
                }
            }
        });
    }
    let count = added.len();
    builders.1.extend(added);
    count
}

/// Starts the `extra` field of every builder of `file` as an empty map; returns how many.
pub(crate) fn start_empty(file: &mut syn::File) -> usize {
    let mut pass = StartEmpty(0);
    pass.visit_file_mut(file);
    pass.0
}

struct StartEmpty(usize);

impl VisitMut for StartEmpty {
    fn visit_field_value_mut(&mut self, field: &mut syn::FieldValue) {
        let is_extra = matches!(&field.member, syn::Member::Named(name) if name == "extra");
        let is_unsupplied = matches!(
            &field.expr,
            syn::Expr::Call(call) if matches!(&*call.func, syn::Expr::Path(p) if p.path.is_ident("Err"))
        );
        if is_extra && is_unsupplied {
            field.expr = syn::parse_quote!(Ok(Default::default()));
            self.0 += 1;
        }
        visit_mut::visit_field_value_mut(self, field);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builder_with_a_conversion_gets_a_build() {
        let mut file: syn::File = syn::parse_quote! {
            pub struct Key { pub id: String }
            pub mod builder {
                pub struct Key { id: Result<String, String> }
                impl ::std::convert::TryFrom<Key> for super::Key {
                    type Error = super::error::ConversionError;
                    fn try_from(value: Key) -> Result<Self, Self::Error> { todo!() }
                }
                impl ::std::convert::From<super::Key> for Key {
                    fn from(value: super::Key) -> Self { todo!() }
                }
            }
        };
        assert_eq!(add_build(&mut file), 1);
        let text = prettyplease::unparse(&file);
        assert!(text.contains("pub fn build("), "{text}");
        assert!(
            text.contains("Result<super::Key, super::error::ConversionError>"),
            "{text}"
        );
    }

    #[test]
    fn only_the_unsupplied_extra_field_changes() {
        let mut file: syn::File = syn::parse_quote! {
            impl Default for Key {
                fn default() -> Self {
                    Self {
                        id: Err("no value supplied for id".to_string()),
                        extra: Err("no value supplied for extra".to_string()),
                    }
                }
            }
            fn f(v: Key) -> Key { Key { extra: v.extra, id: v.id } }
        };
        start_empty(&mut file);
        let text = prettyplease::unparse(&file);
        assert!(text.contains("extra: Ok(Default::default())"), "{text}");
        assert!(
            text.contains(r#"id: Err("no value supplied for id".to_string())"#),
            "{text}"
        );
        assert!(text.contains("extra: v.extra"), "{text}");
    }
}
