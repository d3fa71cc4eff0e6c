//! The mock's `when.body(..)` takes the request model or its builder, as the client's
//! `.body(..)` does, and its `then` answers (`then.ok(..)`) take the response model or its
//! builder.
//!
//! progenitor writes `body(self, value: &types::CreateApiKeyRequest)`, and the client's
//! builder-friendly `.body()` made `types::builder::CreateApiKeyRequest` the natural thing to
//! have in hand: the compiler then says "expected `CreateApiKeyRequest`, found a different
//! `CreateApiKeyRequest`". The mock crate's `RequestBody` trait takes the model by reference or by
//! value, or its builder; this pass makes each `body` matcher take it, and writes the builder's
//! conversion.

use quote::ToTokens;

/// The mock crate's traits, as the generated mock names them.
const REQUEST_BODY: &str = "crate::RequestBody";
const RESPONSE_BODY: &str = "crate::ResponseBody";

/// The `X` of a `value: &types::X` argument.
fn model_argument(argument: &syn::FnArg) -> Option<syn::Ident> {
    let syn::FnArg::Typed(argument) = argument else {
        return None;
    };
    let syn::Type::Reference(reference) = &*argument.ty else {
        return None;
    };
    let syn::Type::Path(model) = &*reference.elem else {
        return None;
    };
    let segments: Vec<&syn::PathSegment> = model.path.segments.iter().collect();
    let [types, name] = segments[..] else {
        return None;
    };
    (types.ident == "types").then(|| name.ident.clone())
}

/// The names of the builders in the models' `mod builder`.
pub(crate) fn builder_names(models: &syn::File) -> Vec<String> {
    models
        .items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Mod(module) if module.ident == "builder" => module.content.as_ref(),
            _ => None,
        })
        .flat_map(|(_, items)| items.iter())
        .filter_map(|item| match item {
            syn::Item::Struct(builder) => Some(builder.ident.to_string()),
            _ => None,
        })
        .collect()
}

/// Rewrites every `body(self, value: &types::X)` matcher of `mock` to take
/// `impl RequestBody<types::X>`, and every answer `ok(self, value: &types::Y)` (any method of a
/// `..Then`) to take `impl ResponseBody<types::Y>`; adds those traits for `types::builder::X`
/// and `types::builder::Y` where the models have that builder (`builders`); returns how many
/// methods it rewrote.
pub(crate) fn take_models_or_builders(mock: &mut syn::File, builders: &[String]) -> usize {
    let request_body: syn::Path = syn::parse_str(REQUEST_BODY).expect("a path");
    let response_body: syn::Path = syn::parse_str(RESPONSE_BODY).expect("a path");
    let mut bodies: Vec<syn::Ident> = Vec::new();
    let mut answers: Vec<syn::Ident> = Vec::new();
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
            let answers_here = matches!(&*block.self_ty, syn::Type::Path(then)
                if then.path.segments.last().is_some_and(|last| last.ident.to_string().ends_with("Then")));
            for item in &mut block.items {
                let syn::ImplItem::Fn(method) = item else {
                    continue;
                };
                if method.sig.inputs.len() != 2 {
                    continue;
                }
                let Some(name) = model_argument(&method.sig.inputs[1]) else {
                    continue;
                };
                if method.sig.ident == "body" {
                    method.sig.inputs[1] =
                        syn::parse_quote!(value: impl #request_body<types::#name>);
                    method.block = syn::parse_quote!({
                        let value = #request_body::into_body(value);
                        Self(self.0.json_body_obj(&value))
                    });
                    bodies.push(name);
                } else if answers_here {
                    // The answer's status and headers stay as progenitor wrote them; only the
                    // value it serialises is made first.
                    method.sig.inputs[1] =
                        syn::parse_quote!(value: impl #response_body<types::#name>);
                    let statements = &method.block.stmts;
                    method.block = syn::parse_quote!({
                        let value = &#response_body::into_body(value);
                        #(#statements)*
                    });
                    answers.push(name);
                }
            }
        }
        module = Some(operations.ident.clone());
    }
    let count = bodies.len() + answers.len();
    bodies.sort();
    bodies.dedup();
    answers.sort();
    answers.dedup();
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
    let conversions = bodies
        .into_iter()
        .map(|name| (name, &request_body))
        .chain(answers.into_iter().map(|name| (name, &response_body)));
    // A model without fields (Cloud's `EmptyResponse`) has no builder to convert.
    let conversions =
        conversions.filter(|(name, _)| builders.iter().any(|builder| name == builder));
    for (name, body_trait) in conversions {
        let message = format!("the mock's body is no valid {name}: {{error}}");
        let tokens = quote::quote! {
            const _: () = {
                #(#uses)*
                impl #body_trait<types::#name> for types::builder::#name {
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
