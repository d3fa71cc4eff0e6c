//! Seals the generated `httpmock` extension trait.
//!
//! progenitor makes `pub trait MockServerExt` with one method per operation, implemented for
//! `httpmock::MockServer`. As an open trait, each new operation would be a breaking change (a
//! method without a default that another implementation would lack), against the versioning
//! policy that a new operation is a minor release. A supertrait that only this crate can name
//! keeps every other crate from implementing it, so that adding a method breaks no one.

use syn::parse_quote;

/// The trait progenitor generates.
const TRAIT: &str = "MockServerExt";

/// Gives `MockServerExt` the supertrait `private::Sealed`, implemented for
/// `httpmock::MockServer` only; returns how many traits it sealed.
pub(crate) fn seal(mock: &mut syn::File) -> usize {
    let Some(trait_) = mock.items.iter_mut().find_map(|item| match item {
        syn::Item::Trait(trait_) if trait_.ident == TRAIT => Some(trait_),
        _ => None,
    }) else {
        return 0;
    };
    trait_.supertraits.push(parse_quote!(private::Sealed));
    trait_.attrs.push(parse_quote!(
        #[doc = "\n\nIt is sealed: implemented for `httpmock::MockServer` only, so that a new \
                 operation adds a method without breaking any other implementation."]
    ));
    mock.items.push(parse_quote! {
        mod private {
            /// What only this crate can implement.
            pub trait Sealed {}
            impl Sealed for ::httpmock::MockServer {}
        }
    });
    1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_extension_trait_gets_a_supertrait_no_other_crate_can_name() {
        let mut file: syn::File = parse_quote! {
            pub trait MockServerExt {
                fn operation(&self);
            }
            impl MockServerExt for ::httpmock::MockServer {
                fn operation(&self) {}
            }
        };
        assert_eq!(seal(&mut file), 1);
        let text = prettyplease::unparse(&file);
        assert!(
            text.contains("pub trait MockServerExt: private::Sealed"),
            "{text}"
        );
        assert!(text.contains("mod private {"), "{text}");
        assert!(!text.contains("pub mod private"), "{text}");
        let mut other: syn::File = parse_quote! { pub trait Other {} };
        assert_eq!(seal(&mut other), 0);
    }
}
