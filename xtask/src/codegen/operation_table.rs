//! The operations of one service as data, for the tests that grow with the spec.
//!
//! `tests/operations.rs` sends every operation of the spec, with its parameter examples and each
//! of its request examples, through the client to the generated mock, and checks what the server
//! saw and what the client decoded. To do that for an operation it only knows by its id, it needs
//! a way from the id to the typed builder and mock methods: this module writes it, into
//! `tests/generated/<module>.rs`. The types each builder method takes are read from the generated
//! client itself, so the table says exactly what the client does.

use heck::ToSnakeCase;
use openapiv3::OpenAPI;
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use super::Service;

/// The generated test support of `service`: `send` and `mock` by operation id.
pub(crate) fn generate(
    service: Service,
    spec: &OpenAPI,
    client: &syn::File,
) -> Result<syn::File, String> {
    let module = Ident::new(service.module, Span::call_site());
    let mut send_arms = Vec::new();
    let mut mock_arms = Vec::new();
    for (path, item) in spec.paths.iter() {
        let Some(item) = item.as_item() else { continue };
        for (method, operation) in item.iter() {
            let id = operation
                .operation_id
                .as_deref()
                .ok_or(format!("{method} {path} has no operationId"))?;
            let name = Ident::new(&id.to_snake_case(), Span::call_site());
            let builder = builder_of(client, &name)
                .ok_or(format!("the client has no method `{name}` for `{id}`"))?;
            let mut settings = Vec::new();
            for parameter in operation
                .parameters
                .iter()
                .filter_map(openapiv3::ReferenceOr::as_item)
            {
                let wire = &parameter.parameter_data_ref().name;
                let setter = Ident::new(&wire.to_snake_case(), Span::call_site());
                let ty = setter_type(client, &builder, &setter, &module).ok_or(format!(
                    "the builder of `{id}` has no setter `{setter}` for the parameter `{wire}`"
                ))?;
                settings.push(quote! {
                    if let Some(value) = parameters.get(#wire) {
                        request = request.#setter(crate::decode::<#ty>(value));
                    }
                });
            }
            if operation.request_body.is_some() {
                let body = Ident::new("body", Span::call_site());
                let ty = setter_type(client, &builder, &body, &module)
                    .ok_or(format!("the builder of `{id}` has no `body` setter"))?;
                settings.push(quote! {
                    if let Some(value) = body {
                        request = request.body(crate::decode::<#ty>(value));
                    }
                });
            }
            send_arms.push(quote! {
                #id => {
                    let mut request = client.#name();
                    #(#settings)*
                    request.send().await.map(|answer| crate::encode(&answer.into_inner()))
                }
            });
            mock_arms.push(quote! {
                #id => server.#name(|when, then| configure(when.into_inner(), then.into_inner())),
            });
        }
    }
    let doc = format!(
        " Every operation of `{}`, by its spec id: sending it through the client and mocking it \
         with the generated mock.",
        service.spec
    );
    Ok(syn::parse_quote! {
        #![doc = #doc]

        use elastic_apikeys_client::#module::Client;
        use elastic_apikeys_mock::#module::MockServerExt;
        use serde_json::{Map, Value};

        /// Sends `operation_id` with `parameters` (by their spec names) and `body`, each decoded
        /// into the type the client's builder takes; the answer is re-encoded as JSON. `None` for
        /// an operation the spec does not have.
        #[allow(unused_mut)]
        pub(crate) async fn send(
            client: &Client,
            operation_id: &str,
            parameters: &Map<String, Value>,
            body: Option<&Value>,
        ) -> Option<Result<Value, elastic_apikeys_client::Error>> {
            let _ = (parameters, body);
            Some(match operation_id {
                #(#send_arms)*
                _ => return None,
            })
        }

        /// Mocks `operation_id` on `server` with its generated mock method, then lets
        /// `configure` add matchers and the answer. `None` for an operation the spec does not
        /// have.
        pub(crate) fn mock<'a>(
            server: &'a httpmock::MockServer,
            operation_id: &str,
            configure: impl FnOnce(httpmock::When, httpmock::Then),
        ) -> Option<httpmock::Mock<'a>> {
            Some(match operation_id {
                #(#mock_arms)*
                _ => return None,
            })
        }
    })
}

/// The builder struct that `Client::<method>` returns.
fn builder_of(client: &syn::File, method: &Ident) -> Option<Ident> {
    client.items.iter().find_map(|item| {
        let syn::Item::Impl(block) = item else {
            return None;
        };
        block.items.iter().find_map(|item| match item {
            syn::ImplItem::Fn(f) if f.sig.ident == *method => match &f.sig.output {
                syn::ReturnType::Type(_, ty) => match &**ty {
                    syn::Type::Path(path) => path.path.segments.last().map(|s| s.ident.clone()),
                    _ => None,
                },
                syn::ReturnType::Default => None,
            },
            _ => None,
        })
    })
}

/// The `T` of `V: TryInto<T>` of the setter `setter` of the builder `builder`, with a path
/// into the client's `types` made absolute.
fn setter_type(
    client: &syn::File,
    builder: &Ident,
    setter: &Ident,
    module: &Ident,
) -> Option<TokenStream> {
    let builders = client.items.iter().find_map(|item| match item {
        syn::Item::Mod(module) if module.ident == "builder" => module.content.as_ref(),
        _ => None,
    })?;
    builders.1.iter().find_map(|item| {
        let syn::Item::Impl(block) = item else {
            return None;
        };
        let syn::Type::Path(self_ty) = &*block.self_ty else {
            return None;
        };
        if self_ty.path.segments.last()?.ident != *builder {
            return None;
        }
        block.items.iter().find_map(|item| match item {
            syn::ImplItem::Fn(f) if f.sig.ident == *setter => {
                let ty = try_into_target(f)?;
                let relative = matches!(&ty, syn::Type::Path(p)
                    if p.path.leading_colon.is_none()
                        && p.path.segments.first().is_some_and(|s| s.ident == "types"));
                Some(if relative {
                    quote!(elastic_apikeys_client::#module::#ty)
                } else {
                    quote!(#ty)
                })
            }
            _ => None,
        })
    })
}

fn try_into_target(setter: &syn::ImplItemFn) -> Option<syn::Type> {
    let predicates = &setter.sig.generics.where_clause.as_ref()?.predicates;
    predicates.iter().find_map(|predicate| {
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
            let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
                return None;
            };
            match args.args.first()? {
                syn::GenericArgument::Type(ty) => Some(ty.clone()),
                _ => None,
            }
        })
    })
}
