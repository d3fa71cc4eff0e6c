//! `send_stream()`: list operations that can hand their elements over one at a time.
//!
//! An operation marked in the spec with
//!
//! ```yaml
//! x-stream-items:
//!   field: api_keys   # the list field of the 200 body
//!   item: ApiKey      # the component schema of its elements
//! ```
//!
//! gets, beside progenitor's `send()`, a `send_stream()` that is the same request with the same
//! errors, but whose 200 answer is a `ResponseValue<ItemStream<Item>>`: the elements are decoded
//! as the body arrives, so a 100,000-key list never sits in memory whole. The method is a copy of
//! the generated `send()` with the 200 arm changed, so request building, hooks and error handling
//! stay progenitor's.

use heck::ToUpperCamelCase;
use proc_macro2::{Ident, Span};
use syn::visit_mut::{self, VisitMut};

/// One operation to stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StreamedOperation {
    /// The operation id, as the spec writes it.
    pub(crate) operation_id: String,
    /// The list field of the 200 body.
    pub(crate) field: String,
    /// The component schema of the list's elements.
    pub(crate) item: String,
    /// The method that streams them: `send_stream`, or `send_stream_filtered` for the
    /// projections of answers that `filter_path` cut down.
    pub(crate) method: String,
}

/// The operations of `spec` marked with `x-stream-items`.
pub(crate) fn collect(spec: &openapiv3::OpenAPI) -> Result<Vec<StreamedOperation>, String> {
    let mut operations = Vec::new();
    for (path, item) in spec.paths.iter() {
        let Some(item) = item.as_item() else { continue };
        for (_, operation) in item.iter() {
            let Some(extension) = operation.extensions.get("x-stream-items") else {
                continue;
            };
            let text = |key: &str| {
                extension
                    .get(key)
                    .and_then(|v| v.as_str())
                    .map(String::from)
                    .ok_or(format!("{path}: x-stream-items needs a string `{key}`"))
            };
            operations.push(StreamedOperation {
                operation_id: operation.operation_id.clone().unwrap_or_default(),
                field: text("field")?,
                item: text("item")?,
                method: "send_stream".to_string(),
            });
        }
    }
    Ok(operations)
}

/// Adds `send_stream()` beside `send()` for each of `operations`; returns how many it added.
pub(crate) fn add_send_stream(
    client: &mut syn::File,
    operations: &[StreamedOperation],
) -> Result<usize, String> {
    for operation in operations {
        // progenitor names the builder after the operation: `security.get_api_key` →
        // `SecurityGetApiKey`.
        let builder = operation
            .operation_id
            .replace('.', "_")
            .to_upper_camel_case();
        let mut add = AddSendStream {
            builder: Ident::new(&builder, Span::call_site()),
            operation,
            added: false,
            error: None,
        };
        add.visit_file_mut(client);
        if let Some(error) = add.error {
            return Err(error);
        }
        if !add.added {
            return Err(format!("no `send()` on the builder {builder}"));
        }
    }
    Ok(operations.len())
}

struct AddSendStream<'a> {
    builder: Ident,
    operation: &'a StreamedOperation,
    added: bool,
    error: Option<String>,
}

impl VisitMut for AddSendStream<'_> {
    fn visit_item_impl_mut(&mut self, block: &mut syn::ItemImpl) {
        let is_builder = matches!(&*block.self_ty, syn::Type::Path(p)
            if p.path.segments.last().is_some_and(|s| s.ident == self.builder));
        if !is_builder || block.trait_.is_some() {
            return visit_mut::visit_item_impl_mut(self, block);
        }
        let Some(send) = block.items.iter().find_map(|item| match item {
            syn::ImplItem::Fn(f) if f.sig.ident == "send" => Some(f.clone()),
            _ => None,
        }) else {
            return;
        };
        match streaming_copy(send, self.operation) {
            Ok(stream) => {
                block.items.push(syn::ImplItem::Fn(stream));
                self.added = true;
            }
            Err(error) => self.error = Some(error),
        }
    }
}

fn streaming_copy(
    send: syn::ImplItemFn,
    operation: &StreamedOperation,
) -> Result<syn::ImplItemFn, String> {
    let item = Ident::new(&operation.item, Span::call_site());
    let field = &operation.field;
    let doc = if operation.method == "send_stream" {
        format!(
            "Sends the request like `send()`, with the same errors, but hands over the `{field}` \
             of a successful answer one at a time, decoded as the body arrives: memory holds one \
             element, not the list."
        )
    } else {
        format!(
            "`send_stream()` for an answer cut down by `filter_path`: each of the `{field}` is a \
             [`{item}`](types::{item}), in which every member is optional."
        )
    };
    let item_stream = super::runtime_paths::tokens(super::runtime_paths::ITEM_STREAM);
    copy_of_send(
        send,
        &operation.method,
        &doc,
        syn::parse_quote!(ResponseValue<#item_stream<types::#item>>),
        syn::parse_quote!(Ok(ResponseValue::stream(response, #field))),
    )
}

/// A copy of progenitor's `send()`, named `name`, whose successful (`200`) answer is `success`
/// (an expression of `response`) of type `Result<output, Error<_>>`: request building, hooks
/// and the answers to every other status stay those of `send()`.
pub(crate) fn copy_of_send(
    mut send: syn::ImplItemFn,
    name: &str,
    doc: &str,
    output_type: syn::Type,
    success: syn::Expr,
) -> Result<syn::ImplItemFn, String> {
    send.sig.ident = Ident::new(name, Span::call_site());
    let syn::ReturnType::Type(_, output) = &mut send.sig.output else {
        return Err("`send()` returns nothing".to_string());
    };
    let error_type = error_type(output).ok_or("`send()` does not return `Result<_, Error<_>>`")?;
    **output = syn::parse_quote! {
        Result<#output_type, Error<#error_type>>
    };
    send.attrs = vec![syn::parse_quote!(#[doc = #doc])];
    let mut arm = ReplaceTheSuccessArm {
        success,
        replaced: false,
    };
    arm.visit_block_mut(&mut send.block);
    if !arm.replaced {
        return Err("`send()` has no `200u16 =>` arm".to_string());
    }
    Ok(send)
}

/// The `E` of `Result<_, Error<E>>`.
fn error_type(output: &syn::Type) -> Option<syn::Type> {
    let syn::Type::Path(result) = output else {
        return None;
    };
    let syn::PathArguments::AngleBracketed(args) = &result.path.segments.last()?.arguments else {
        return None;
    };
    let syn::GenericArgument::Type(syn::Type::Path(error)) = args.args.iter().nth(1)? else {
        return None;
    };
    let syn::PathArguments::AngleBracketed(args) = &error.path.segments.last()?.arguments else {
        return None;
    };
    match args.args.first()? {
        syn::GenericArgument::Type(ty) => Some(ty.clone()),
        _ => None,
    }
}

struct ReplaceTheSuccessArm {
    success: syn::Expr,
    replaced: bool,
}

impl VisitMut for ReplaceTheSuccessArm {
    fn visit_arm_mut(&mut self, arm: &mut syn::Arm) {
        let is_200 = matches!(&arm.pat, syn::Pat::Lit(lit)
            if matches!(&lit.lit, syn::Lit::Int(int) if int.base10_digits() == "200"));
        if is_200 {
            *arm.body = self.success.clone();
            self.replaced = true;
        }
        visit_mut::visit_arm_mut(self, arm);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_send_with_a_streaming_success_arm() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod builder {
                impl<'a> SecurityGetApiKey<'a> {
                    /// Sends a `GET` request.
                    pub async fn send(self) -> Result<ResponseValue<types::GetApiKeyResponse>, Error<types::ErrorResponse>> {
                        let response = todo!();
                        match response.status().as_u16() {
                            200u16 => ResponseValue::from_response(response).await,
                            _ => Err(Error::UnexpectedResponse(response)),
                        }
                    }
                }
            }
        };
        let operations = [StreamedOperation {
            operation_id: "security.get_api_key".into(),
            field: "api_keys".into(),
            item: "ApiKey".into(),
            method: "send_stream".into(),
        }];
        add_send_stream(&mut file, &operations).unwrap();
        let text: String = prettyplease::unparse(&file).split_whitespace().collect();
        assert!(text.contains("pubasyncfnsend(self,)"), "{text}");
        assert!(text.contains("pubasyncfnsend_stream(self,)->Result<ResponseValue<crate::ItemStream<types::ApiKey>>,Error<types::ErrorResponse>,>"), "{text}");
        assert!(
            text.contains(r#"200u16=>Ok(ResponseValue::stream(response,"api_keys")),"#),
            "{text}"
        );
        assert!(
            add_send_stream(
                &mut file,
                &[StreamedOperation {
                    operation_id: "nope".into(),
                    ..operations[0].clone()
                }]
            )
            .is_err()
        );
    }
}
