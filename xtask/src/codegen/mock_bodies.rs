//! The mock's `when.body(..)` takes the request model or its builder, as the client's
//! `.body(..)` does.
//!
//! progenitor writes `body(self, value: &types::CreateApiKeyRequest)`, and the client's
//! builder-friendly `.body()` made `types::builder::CreateApiKeyRequest` the natural thing to
//! have in hand: the compiler then says "expected `CreateApiKeyRequest`, found a different
//! `CreateApiKeyRequest`". The mock crate's `RequestBody` trait takes the model by reference or by
//! value, or its builder; this pass makes each `body` matcher take it, and writes the builder's
//! conversion.

use quote::ToTokens;

/// The mock crate's trait, as the generated mock names it.
const REQUEST_BODY: &str = "crate::RequestBody";

/// Rewrites every `body(self, value: &types::X)` matcher of `mock` to take
/// `impl RequestBody<types::X>`, and adds `RequestBody<types::X>` for `types::builder::X`;
/// returns how many matchers it rewrote.
pub(crate) fn take_models_or_builders(mock: &mut syn::File) -> usize {
    let request_body: syn::Path = syn::parse_str(REQUEST_BODY).expect("a path");
    let mut bodies: Vec<syn::Ident> = Vec::new();
    let mut module = None;
    for item in &mut mock.items {
        let syn::Item::Mod(operations) = item else {
            continue;
        };
        let Some((_, items)) = operations.content.as_mut() else {
            continue;
        };
        for item in items.iter_mut() {
            let syn::Item::Impl(block) = item else {
                continue;
            };
            for item in &mut block.items {
                let syn::ImplItem::Fn(method) = item else {
                    continue;
                };
                if method.sig.ident != "body" || method.sig.inputs.len() != 2 {
                    continue;
                }
                let Some(syn::FnArg::Typed(argument)) = method.sig.inputs.iter().nth(1) else {
                    continue;
                };
                let syn::Type::Reference(reference) = &*argument.ty else {
                    continue;
                };
                let syn::Type::Path(model) = &*reference.elem else {
                    continue;
                };
                let segments: Vec<&syn::PathSegment> = model.path.segments.iter().collect();
                let [types, name] = segments[..] else {
                    continue;
                };
                if types.ident != "types" {
                    continue;
                }
                let name = name.ident.clone();
                method.sig.inputs[1] = syn::parse_quote!(value: impl #request_body<types::#name>);
                method.block = syn::parse_quote!({
                    let value = #request_body::into_body(value);
                    Self(self.0.json_body_obj(&value))
                });
                bodies.push(name);
            }
        }
        module = Some(operations.ident.clone());
    }
    let count = bodies.len();
    bodies.sort();
    bodies.dedup();
    let Some(module) = module else {
        return count;
    };
    let uses: Vec<syn::Item> = mock
        .items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Mod(found) if found.ident == module => found.content.as_ref(),
            _ => None,
        })
        .flat_map(|(_, items)| items.iter())
        .filter(|item| matches!(item, syn::Item::Use(_)))
        .cloned()
        .collect();
    for name in bodies {
        let message = format!("the mock's body is no valid {name}: {{error}}");
        let tokens = quote::quote! {
            const _: () = {
                #(#uses)*
                impl #request_body<types::#name> for types::builder::#name {
                    fn into_body(self) -> types::#name {
                        ::std::convert::TryInto::try_into(self)
                            .unwrap_or_else(|error| panic!(#message))
                    }
                }
            };
        };
        mock.items
            .push(syn::parse2(tokens.into_token_stream()).expect("an item"));
    }
    count
}
