//! Every model is `#[non_exhaustive]`, so that the spec can grow in a minor version.
//!
//! A struct with public fields that a downstream crate builds with a literal (`ApiKey { id, .. }`)
//! breaks that crate the day the spec adds an optional property; an enum that it matches
//! without a wildcard breaks it the day the spec adds a variant. With `#[non_exhaustive]`, code
//! outside the models crate builds a model through its builder (`ApiKey::builder()`), or through
//! `Default` where every field may be left out, and matches with a `_` arm, and none of it
//! breaks when the spec grows. The builders are left as they are: their fields are private.

/// Marks every public struct and enum at the top of `models` `#[non_exhaustive]`, unless it is
/// already; returns how many it marked.
pub(crate) fn mark_models(models: &mut syn::File) -> usize {
    let mut marked = 0;
    for item in &mut models.items {
        let attrs = match item {
            syn::Item::Struct(model) if matches!(model.vis, syn::Visibility::Public(_)) => {
                &mut model.attrs
            }
            syn::Item::Enum(model) if matches!(model.vis, syn::Visibility::Public(_)) => {
                &mut model.attrs
            }
            _ => continue,
        };
        if !attrs
            .iter()
            .any(|attr| attr.path().is_ident("non_exhaustive"))
        {
            attrs.push(syn::parse_quote!(#[non_exhaustive]));
            marked += 1;
        }
    }
    marked
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_models_are_marked_once_and_builders_are_left_alone() {
        let mut file: syn::File = syn::parse_quote! {
            pub struct Key { pub id: String }
            pub enum Names { One(String), Many(Vec<String>) }
            #[non_exhaustive]
            pub enum Kind { Rest, Unknown(String) }
            struct Private;
            pub mod builder { pub struct Key { id: Result<String, String> } }
        };
        assert_eq!(mark_models(&mut file), 2);
        let text = prettyplease::unparse(&file);
        assert_eq!(text.matches("#[non_exhaustive]").count(), 3, "{text}");
        assert!(text.contains("#[non_exhaustive]\npub struct Key"), "{text}");
        assert!(
            !text.contains("#[non_exhaustive]\n    pub struct Key"),
            "{text}"
        );
        assert!(
            !text.contains("#[non_exhaustive]\nstruct Private"),
            "{text}"
        );
    }
}
