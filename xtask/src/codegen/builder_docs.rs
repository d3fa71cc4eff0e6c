//! Doc comments on the builders' setters. typify writes `ApiKey::builder().name(..)` without a
//! word; the field the setter fills has the spec's description, so the setter gets it too, with
//! what it takes: the value (or what converts into it), and for an optional field the `set_`
//! twin that takes an `Option`, since a setter given an `Option` fails with a trait error that
//! does not say so.

use std::collections::HashMap;

/// Documents every undocumented setter of `file`'s `builder` module with the description of the
/// field of the same name of the model of the same name. Returns how many it documented.
pub(crate) fn document_setters(file: &mut syn::File) -> usize {
    let mut docs: HashMap<(String, String), Vec<syn::Attribute>> = HashMap::new();
    for item in &file.items {
        let syn::Item::Struct(model) = item else {
            continue;
        };
        let syn::Fields::Named(fields) = &model.fields else {
            continue;
        };
        for field in &fields.named {
            let Some(name) = &field.ident else { continue };
            let doc: Vec<syn::Attribute> = field
                .attrs
                .iter()
                .filter(|attribute| attribute.path().is_ident("doc"))
                .cloned()
                .collect();
            docs.insert((model.ident.to_string(), name.to_string()), doc);
        }
    }
    let Some((_, builder)) = file.items.iter_mut().find_map(|item| match item {
        syn::Item::Mod(module) if module.ident == "builder" => module.content.as_mut(),
        _ => None,
    }) else {
        return 0;
    };
    let mut documented = 0;
    for item in builder.iter_mut() {
        let syn::Item::Impl(block) = item else {
            continue;
        };
        let syn::Type::Path(self_type) = &*block.self_ty else {
            continue;
        };
        let Some(model) = self_type.path.segments.last().map(|s| s.ident.to_string()) else {
            continue;
        };
        let setters: Vec<String> = block
            .items
            .iter()
            .filter_map(|item| match item {
                syn::ImplItem::Fn(method) => Some(method.sig.ident.to_string()),
                _ => None,
            })
            .collect();
        for item in &mut block.items {
            let syn::ImplItem::Fn(method) = item else {
                continue;
            };
            if method
                .attrs
                .iter()
                .any(|attribute| attribute.path().is_ident("doc"))
            {
                continue;
            }
            let name = method.sig.ident.to_string();
            let Some(field_doc) = docs.get(&(model.clone(), name.clone())) else {
                continue;
            };
            let takes = if setters.contains(&format!("set_{name}")) {
                format!(
                    " Takes the value itself (or what converts into it); \
                     [`set_{name}`](Self::set_{name}) takes an `Option`, and `None` leaves the \
                     field out."
                )
            } else {
                " Takes the value (or what converts into it).".to_string()
            };
            let mut attrs = field_doc.clone();
            if !attrs.is_empty() {
                attrs.push(syn::parse_quote!(#[doc = ""]));
            }
            attrs.push(syn::parse_quote!(#[doc = #takes]));
            attrs.append(&mut method.attrs);
            method.attrs = attrs;
            documented += 1;
        }
    }
    documented
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::ToTokens;

    #[test]
    fn setters_take_their_field_s_description_and_say_what_they_take() {
        let mut file: syn::File = syn::parse_quote! {
            pub struct Key {
                ///The key's name.
                pub name: Option<String>,
                ///The id.
                pub id: String,
            }
            pub mod builder {
                impl Key {
                    pub fn name<T>(self, value: T) -> Self { self }
                    ///Sets `name`, or clears it with `None`.
                    pub fn set_name(self, value: Option<String>) -> Self { self }
                    pub fn id<T>(self, value: T) -> Self { self }
                }
            }
        };
        assert_eq!(document_setters(&mut file), 2);
        let text = file.to_token_stream().to_string();
        assert!(text.contains("The key's name."), "{text}");
        assert!(
            text.contains("[`set_name`](Self::set_name) takes an `Option`"),
            "{text}"
        );
        assert!(text.contains("The id."), "{text}");
    }
}
