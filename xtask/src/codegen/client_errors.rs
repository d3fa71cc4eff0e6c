//! One error type for both services, and the not-found answers the spec marks.
//!
//! progenitor's operations return `Result<ResponseValue<T>, Error<E>>`, with the service's error
//! body `E` as a type parameter, so each service would have an error type of its own. The
//! client's `transport::Error` has none: this pass rewrites every generated operation to return
//! it, and turns progenitor's error constructions into the runtime's:
//! - `Error::ErrorResponse(value)` becomes `Error::from_api::<E>(value)`;
//! - `Error::UnexpectedResponse(response)` becomes `Error::unexpected_status(response).await`,
//!   which quotes the body instead of holding the HTTP library's response;
//! - `?` on the HTTP library's own results maps them with `Error::from_reqwest`, so that no
//!   `From` impl of the library's error is part of the public API.
//!
//! A response marked in the spec with
//!
//! ```yaml
//! '404':
//!   x-not-found:
//!     what: API key          # what the request asks for, in the error's words
//!     parameter: id          # the request parameter that names it
//!     label: id              # how messages name it (optional; the parameter's name)
//!     codes: [api_keys.key_not_found]   # error codes that mean "not found" (optional)
//! ```
//!
//! gets an arm that builds `Error::NotFound` (see `Error::not_found` in the client's
//! `transport/response.rs`), so "no such key" is one variant for both services, declared where
//! the API is described rather than matched by operation id in hand-written code.

use heck::{ToSnakeCase, ToUpperCamelCase};
use proc_macro2::{Ident, Span};
use syn::visit_mut::{self, VisitMut};

/// A response of an operation marked with `x-not-found`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NotFoundResponse {
    /// The operation id, as the spec writes it.
    pub(crate) operation_id: String,
    /// The status of the response, such as `404`.
    pub(crate) status: u16,
    /// What the request asks for, such as `API key`.
    pub(crate) what: String,
    /// The request parameter that names it.
    pub(crate) parameter: String,
    /// How messages name the parameter.
    pub(crate) label: String,
    /// The error codes that mean "not found"; empty where the answer is no error body.
    pub(crate) codes: Vec<String>,
    /// Where the answer is no error body: the component schema it has, which the client checks
    /// the body against, so that another 404 (a proxy's page, a wrong path) is no not-found.
    pub(crate) body: Option<String>,
}

/// Gives every `x-not-found` response the schema of the operation's other error responses, in
/// the copy of the spec progenitor reads; returns how many it changed.
///
/// progenitor gives an operation one error type, and refuses error responses of different
/// schemas. A not-found answer may be no error at all (Elasticsearch answers an unknown `id`
/// with `{"api_keys": []}` and 404), and the spec says so; the client's runtime reads that body
/// itself (`Error::not_found`), so progenitor only needs to see the error type there.
pub(crate) fn not_found_as_error_type(spec: &mut openapiv3::OpenAPI) -> Result<usize, String> {
    let mut changed = 0;
    for (path, item) in spec.paths.paths.iter_mut() {
        let openapiv3::ReferenceOr::Item(item) = item else {
            continue;
        };
        for operation in super::schema_walk::operations_mut(item) {
            let error_schema = operation
                .responses
                .responses
                .iter()
                .filter(|(status, _)| is_error(status))
                .filter_map(|(_, response)| response.as_item())
                .filter(|response| !response.extensions.contains_key("x-not-found"))
                .find_map(|response| response.content.get("application/json")?.schema.clone());
            let not_found = operation
                .responses
                .responses
                .values_mut()
                .filter_map(|response| match response {
                    openapiv3::ReferenceOr::Item(response)
                        if response.extensions.contains_key("x-not-found") =>
                    {
                        Some(response)
                    }
                    _ => None,
                });
            for response in not_found {
                let Some(media) = response.content.get_mut("application/json") else {
                    continue;
                };
                let Some(error_schema) = &error_schema else {
                    return Err(format!(
                        "{path}: an operation with `x-not-found` needs another error response \
                         with a JSON schema, the error type of its client"
                    ));
                };
                if media.schema.as_ref() != Some(error_schema) {
                    media.schema = Some(error_schema.clone());
                    changed += 1;
                }
            }
        }
    }
    Ok(changed)
}

fn is_error(status: &openapiv3::StatusCode) -> bool {
    match status {
        openapiv3::StatusCode::Code(code) => *code >= 400,
        openapiv3::StatusCode::Range(range) => *range >= 4,
    }
}

/// The responses of `spec` marked with `x-not-found`.
pub(crate) fn collect_not_found(
    spec: &openapiv3::OpenAPI,
) -> Result<Vec<NotFoundResponse>, String> {
    let mut found = Vec::new();
    for (path, item) in spec.paths.iter() {
        let Some(item) = item.as_item() else { continue };
        for (_, operation) in item.iter() {
            let operation_id = operation.operation_id.clone().unwrap_or_default();
            for (status, response) in &operation.responses.responses {
                let Some(response) = response.as_item() else {
                    continue;
                };
                let Some(extension) = response.extensions.get("x-not-found") else {
                    continue;
                };
                let context = format!("{path} {operation_id} {status}: x-not-found");
                let openapiv3::StatusCode::Code(status) = status else {
                    return Err(format!("{context} needs an exact status, not a range"));
                };
                let text = |key: &str| {
                    extension
                        .get(key)
                        .and_then(|v| v.as_str())
                        .map(String::from)
                        .ok_or(format!("{context} needs a string `{key}`"))
                };
                let parameter = text("parameter")?;
                let declared = operation.parameters.iter().any(|p| {
                    p.as_item()
                        .is_some_and(|p| p.parameter_data_ref().name == parameter)
                });
                if !declared {
                    return Err(format!(
                        "{context} names the parameter `{parameter}`, which the operation does not have"
                    ));
                }
                let codes = match extension.get("codes") {
                    None => Vec::new(),
                    Some(codes) => codes
                        .as_array()
                        .and_then(|codes| {
                            codes
                                .iter()
                                .map(|c| c.as_str().map(String::from))
                                .collect::<Option<Vec<_>>>()
                        })
                        .ok_or(format!("{context}: `codes` is a list of strings"))?,
                };
                let label = match extension.get("label") {
                    None => parameter.clone(),
                    Some(_) => text("label")?,
                };
                let body = response
                    .content
                    .get("application/json")
                    .and_then(|media| media.schema.as_ref())
                    .and_then(|schema| match schema {
                        openapiv3::ReferenceOr::Reference { reference } => reference
                            .strip_prefix("#/components/schemas/")
                            .map(String::from),
                        openapiv3::ReferenceOr::Item(_) => None,
                    });
                if codes.is_empty() && body.is_none() {
                    return Err(format!(
                        "{context} names no `codes`, so the answer is no error body: give the \
                         response a JSON schema by `$ref`, the shape a not-found has"
                    ));
                }
                found.push(NotFoundResponse {
                    operation_id: operation_id.clone(),
                    status: *status,
                    what: text("what")?,
                    parameter,
                    label,
                    body: if codes.is_empty() { body } else { None },
                    codes,
                });
            }
        }
    }
    Ok(found)
}

/// Rewrites every operation of `client` to return the one `Error`, and adds the not-found arms;
/// returns how many operations it rewrote.
pub(crate) fn one_error_type(
    client: &mut syn::File,
    not_found: &[NotFoundResponse],
) -> Result<usize, String> {
    let mut rewrite = Rewrite {
        not_found,
        builder: None,
        error_body: None,
        rewritten: 0,
        not_found_arms: Vec::new(),
        error: None,
    };
    rewrite.visit_file_mut(client);
    if let Some(error) = rewrite.error {
        return Err(error);
    }
    if rewrite.rewritten == 0 {
        return Err("no operation returns `Result<_, Error<_>>`".to_string());
    }
    for response in not_found {
        if !rewrite.not_found_arms.contains(&response.operation_id) {
            return Err(format!(
                "x-not-found of {}: no `{}u16 =>` arm in its `send()`",
                response.operation_id, response.status
            ));
        }
    }
    Ok(rewrite.rewritten)
}

struct Rewrite<'a> {
    not_found: &'a [NotFoundResponse],
    /// The builder whose methods are being visited.
    builder: Option<Ident>,
    /// The error body type of the method being visited.
    error_body: Option<syn::Type>,
    rewritten: usize,
    /// The operations whose not-found arm was written.
    not_found_arms: Vec<String>,
    error: Option<String>,
}

impl Rewrite<'_> {
    /// The not-found response of the builder being visited, for an arm matching `status`.
    fn not_found_for(&self, status: &str) -> Option<&NotFoundResponse> {
        let builder = self.builder.as_ref()?;
        self.not_found.iter().find(|response| {
            response.status.to_string() == status
                && *builder
                    == response
                        .operation_id
                        .replace('.', "_")
                        .to_upper_camel_case()
        })
    }
}

impl VisitMut for Rewrite<'_> {
    fn visit_item_impl_mut(&mut self, block: &mut syn::ItemImpl) {
        let outer = self.builder.take();
        self.builder = match &*block.self_ty {
            syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.clone()),
            _ => None,
        };
        visit_mut::visit_item_impl_mut(self, block);
        self.builder = outer;
    }

    fn visit_impl_item_fn_mut(&mut self, method: &mut syn::ImplItemFn) {
        let syn::ReturnType::Type(_, output) = &mut method.sig.output else {
            return;
        };
        let Some(error_body) = take_error_parameter(output) else {
            return;
        };
        self.error_body = Some(error_body);
        self.rewritten += 1;
        visit_mut::visit_block_mut(self, &mut method.block);
        self.error_body = None;
    }

    fn visit_arm_mut(&mut self, arm: &mut syn::Arm) {
        let status = match &arm.pat {
            syn::Pat::Lit(lit) => match &lit.lit {
                syn::Lit::Int(int) => Some(int.base10_digits().to_string()),
                _ => None,
            },
            _ => None,
        };
        let rule = status
            .as_deref()
            .and_then(|s| self.not_found_for(s))
            .cloned();
        match (rule, &self.error_body) {
            (Some(rule), Some(error_body)) => {
                let what = &rule.what;
                let parameter = &rule.parameter;
                let label = &rule.label;
                let value = Ident::new(&parameter.to_snake_case(), Span::call_site());
                let codes = &rule.codes;
                let transport = super::runtime_paths::transport();
                let shape = match &rule.body {
                    Some(body) => {
                        let body = Ident::new(body, Span::call_site());
                        quote::quote! {
                            ::std::option::Option::Some(|body: &[u8]| {
                                ::serde_json::from_slice::<types::#body>(body).is_ok()
                            })
                        }
                    }
                    None => quote::quote!(::std::option::Option::None),
                };
                *arm.body = syn::parse_quote! {
                    Err(
                        Error::not_found::<#error_body>(
                            response,
                            #transport::NotFoundRule {
                                what: #what,
                                parameter: #parameter,
                                label: #label,
                                codes: &[#(#codes),*],
                                shape: #shape,
                            },
                            #transport::ParamText::param_text(&#value),
                        )
                        .await,
                    )
                };
                self.not_found_arms.push(rule.operation_id);
            }
            _ => visit_mut::visit_arm_mut(self, arm),
        }
    }

    /// Puts a match's exact statuses before its ranges: progenitor writes `400u16..=499u16`
    /// before the `404u16` the spec documents apart, which then can never match.
    fn visit_expr_match_mut(&mut self, matched: &mut syn::ExprMatch) {
        visit_mut::visit_expr_match_mut(self, matched);
        matched.arms.sort_by_key(|arm| match &arm.pat {
            syn::Pat::Lit(_) => 0,
            syn::Pat::Range(_) => 1,
            _ => 2,
        });
    }

    fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
        visit_mut::visit_expr_mut(self, expr);
        let Some(error_body) = &self.error_body else {
            return;
        };
        match expr {
            syn::Expr::Call(call) if is_path(&call.func, "Error", "ErrorResponse") => {
                let arg = call.args.first().cloned();
                *expr = syn::parse_quote!(Error::from_api::<#error_body>(#arg));
            }
            syn::Expr::Call(call) if is_path(&call.func, "Error", "UnexpectedResponse") => {
                let arg = call.args.first().cloned();
                *expr = syn::parse_quote!(Error::unexpected_status(#arg).await);
            }
            syn::Expr::Try(attempt) if is_http_result(&attempt.expr) => {
                let inner = &attempt.expr;
                *attempt.expr = syn::parse_quote!(#inner.map_err(Error::from_reqwest));
            }
            _ => {}
        }
    }
}

/// Whether `expr` is the path `first::second`.
fn is_path(expr: &syn::Expr, first: &str, second: &str) -> bool {
    let syn::Expr::Path(path) = expr else {
        return false;
    };
    let names: Vec<String> = path
        .path
        .segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect();
    names == [first, second]
}

/// Whether `expr` yields the HTTP library's own `Result`: a request's `.build()`, or the
/// `result` of sending it.
fn is_http_result(expr: &syn::Expr) -> bool {
    match expr {
        syn::Expr::MethodCall(call) => call.method == "build",
        syn::Expr::Path(path) => path.path.is_ident("result"),
        _ => false,
    }
}

/// In `Result<_, Error<E>>`, removes `<E>` and returns `E`.
fn take_error_parameter(output: &mut syn::Type) -> Option<syn::Type> {
    let syn::Type::Path(result) = output else {
        return None;
    };
    let result = result.path.segments.last_mut()?;
    if result.ident != "Result" {
        return None;
    }
    let syn::PathArguments::AngleBracketed(args) = &mut result.arguments else {
        return None;
    };
    let syn::GenericArgument::Type(syn::Type::Path(error)) = args.args.iter_mut().nth(1)? else {
        return None;
    };
    let error = error.path.segments.last_mut()?;
    if error.ident != "Error" {
        return None;
    }
    let syn::PathArguments::AngleBracketed(error_args) = &error.arguments else {
        return None;
    };
    let syn::GenericArgument::Type(body) = error_args.args.first()? else {
        return None;
    };
    let body = body.clone();
    error.arguments = syn::PathArguments::None;
    Some(body)
}

/// Makes progenitor's runtime re-exports private (`ByteStream`, `ClientInfo`: they carry the
/// HTTP library's types), hides the client's `ClientInfo` impl from the documentation (the
/// operations need it; users have no use for the HTTP client it hands out), and makes
/// `Client::new_with_client`, which takes the library's client, crate private: the builders are
/// the public way to make a client.
pub(crate) fn hide_http_library(client: &mut syn::File) -> Result<usize, String> {
    let mut hidden_constructor = false;
    let mut hidden = 0;
    for item in &mut client.items {
        match item {
            syn::Item::Use(item_use) => {
                let syn::UseTree::Path(path) = &item_use.tree else {
                    continue;
                };
                if path.ident == "progenitor_client" {
                    item_use.vis = syn::Visibility::Inherited;
                    hidden += 1;
                }
            }
            syn::Item::Impl(block)
                if block.trait_.as_ref().is_some_and(|(path, _)| {
                    path.segments
                        .last()
                        .is_some_and(|s| s.ident == "ClientInfo")
                }) =>
            {
                block.attrs.push(syn::parse_quote!(#[doc(hidden)]));
                hidden += 1;
            }
            syn::Item::Impl(block) if block.trait_.is_none() => {
                let is_client =
                    matches!(&*block.self_ty, syn::Type::Path(p) if p.path.is_ident("Client"));
                if !is_client {
                    continue;
                }
                for member in &mut block.items {
                    if let syn::ImplItem::Fn(method) = member
                        && method.sig.ident == "new_with_client"
                    {
                        method.vis = syn::parse_quote!(pub(crate));
                        hidden_constructor = true;
                        hidden += 1;
                    }
                }
            }
            _ => {}
        }
    }
    if hidden_constructor {
        Ok(hidden)
    } else {
        Err("progenitor's output has no `Client::new_with_client`".to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn squeeze(file: &syn::File) -> String {
        prettyplease::unparse(file).split_whitespace().collect()
    }

    #[test]
    fn operations_return_the_one_error_and_build_it_with_the_runtime() {
        let mut file: syn::File = syn::parse_quote! {
            impl<'a> GetApiKey<'a> {
                pub async fn send(self) -> Result<ResponseValue<types::ApiKeyResponse>, Error<types::BasicFailedReply>> {
                    let api_key_id = api_key_id.map_err(Error::InvalidRequest)?;
                    let mut request = client.client.get(url).build()?;
                    let result = client.exec(request, &info).await;
                    let response = result?;
                    match response.status().as_u16() {
                        200u16 => ResponseValue::from_response(response).await,
                        400u16..=499u16 => Err(Error::ErrorResponse(ResponseValue::from_response(response).await?)),
                        401u16 => Err(Error::ErrorResponse(ResponseValue::from_response(response).await?)),
                        404u16 => Err(Error::ErrorResponse(ResponseValue::from_response(response).await?)),
                        _ => Err(Error::UnexpectedResponse(response)),
                    }
                }
            }
        };
        let rule = NotFoundResponse {
            operation_id: "get-api-key".into(),
            status: 404,
            what: "API key".into(),
            parameter: "api_key_id".into(),
            label: "id".into(),
            codes: vec!["api_keys.key_not_found".into()],
            body: None,
        };
        one_error_type(&mut file, std::slice::from_ref(&rule)).unwrap();
        let text = squeeze(&file);
        assert!(
            text.contains("->Result<ResponseValue<types::ApiKeyResponse>,Error>"),
            "{text}"
        );
        assert!(
            text.contains(".build().map_err(Error::from_reqwest)?"),
            "{text}"
        );
        assert!(
            text.contains("result.map_err(Error::from_reqwest)?"),
            "{text}"
        );
        assert!(text.contains("401u16=>{Err(Error::from_api::<types::BasicFailedReply,>(ResponseValue::from_response(response).await?),)}"), "{text}");
        assert!(text.contains("Error::not_found::<types::BasicFailedReply,>(response,crate::transport::NotFoundRule{what:\"APIkey\",parameter:\"api_key_id\",label:\"id\",codes:&[\"api_keys.key_not_found\"],shape:::std::option::Option::None,},crate::transport::ParamText::param_text(&api_key_id),).await"), "{text}");
        assert!(
            text.contains("_=>Err(Error::unexpected_status(response).await)"),
            "{text}"
        );
        let exact = text.find("404u16=>").unwrap();
        let range = text.find("400u16..=499u16=>").unwrap();
        assert!(exact < range, "exact statuses come before ranges: {text}");
        assert!(
            text.contains("api_key_id.map_err(Error::InvalidRequest)?"),
            "{text}"
        );

        let mut other: syn::File = syn::parse_quote! {
            impl<'a> GetApiKey<'a> {
                pub async fn send(self) -> Result<ResponseValue<()>, Error<()>> {
                    match status { 200u16 => todo!(), _ => todo!() }
                }
            }
        };
        let error = one_error_type(&mut other, &[rule]).unwrap_err();
        assert!(error.contains("no `404u16 =>` arm"), "{error}");
    }

    #[test]
    fn the_http_library_stays_inside() {
        let mut file: syn::File = syn::parse_quote! {
            pub use progenitor_client::{ByteStream, ClientInfo};
            pub use crate::transport::{Error, ResponseValue};
            impl Client {
                pub fn new_with_client(baseurl: &str, client: reqwest::Client) -> Self { todo!() }
            }
            impl ClientInfo<()> for Client {}
        };
        hide_http_library(&mut file).unwrap();
        let text = squeeze(&file);
        assert!(
            text.starts_with("useprogenitor_client::{ByteStream,ClientInfo};"),
            "{text}"
        );
        assert!(
            text.contains("pubusecrate::transport::{Error,ResponseValue};"),
            "{text}"
        );
        assert!(text.contains("pub(crate)fnnew_with_client"), "{text}");
        assert!(
            text.contains("#[doc(hidden)]implClientInfo<()>forClient"),
            "{text}"
        );
    }
}
