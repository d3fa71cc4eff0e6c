//! A named string schema that is not hand-written becomes a newtype that typify converts from
//! its string type only, so a setter given `"text"` would not compile. Each such newtype also
//! converts from `&str`.

/// Whether `spec` has a component schema that typify makes a string newtype: a string without
/// an enumeration (open enums are written by the generator itself) or a secret's format.
pub(crate) fn expected(spec: &openapiv3::OpenAPI, hand_written: &[&str]) -> bool {
    let schemas = spec.components.iter().flat_map(|c| c.schemas.iter());
    let generated = schemas.filter(|(name, _)| !hand_written.contains(&name.as_str()));
    generated.map(|(_, schema)| schema).any(|schema| {
        matches!(schema.as_item().map(|s| &s.schema_kind),
            Some(openapiv3::SchemaKind::Type(openapiv3::Type::String(string)))
                if string.enumeration.is_empty()
                    && string.format != openapiv3::VariantOrUnknownOrEmpty::Unknown("password".into()))
    })
}

/// Adds `From<&str>` to every string newtype of `models`; returns how many it added.
pub(crate) fn from_str_slices(models: &mut syn::File) -> usize {
    let newtypes: Vec<syn::Ident> = models
        .items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Struct(item) => match &item.fields {
                syn::Fields::Unnamed(fields)
                    if fields.unnamed.len() == 1 && is_string(&fields.unnamed[0].ty) =>
                {
                    Some(item.ident.clone())
                }
                _ => None,
            },
            _ => None,
        })
        .collect();
    for name in &newtypes {
        models.items.push(syn::parse_quote! {
            impl ::std::convert::From<&str> for #name {
                fn from(value: &str) -> Self {
                    Self(value.into())
                }
            }
        });
    }
    newtypes.len()
}

/// `String`, or the models' string type.
fn is_string(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Path(path) if path.path.segments.last().is_some_and(|s| s.ident == "String" || s.ident == "CompactString"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_newtypes_convert_from_str_slices() {
        let mut models: syn::File = syn::parse_quote! {
            pub struct Duration(pub ::std::string::String);
            pub struct Count(pub u64);
            pub struct Named { pub name: ::std::string::String }
        };
        assert_eq!(from_str_slices(&mut models), 1);
        let text = prettyplease::unparse(&models);
        assert!(
            text.contains("impl ::std::convert::From<&str> for Duration"),
            "{text}"
        );
        assert!(!text.contains("for Count"), "{text}");
    }
}
