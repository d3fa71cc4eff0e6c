//! `send_filtered()`: every operation's answer as `filter_path` cut it down.
//!
//! With `x-filtered-answers` at the spec's root, every builder gets, beside `send()`, a
//! `send_filtered()` that is the same request with the same errors, whose successful answer is
//! decoded into the projection of its schema (`projections.rs`): a filter may leave out members
//! the schema requires, and the projection makes every member optional. An operation whose
//! answer requires nothing anywhere has no projection, and its `send_filtered()` answers with the
//! schema itself.

use heck::ToUpperCamelCase;
use openapiv3::{OpenAPI, ReferenceOr};
use proc_macro2::{Ident, Span};

use super::client_pages::{builder_impl, send_of};
use super::client_streams::{StreamedOperation, copy_of_send};

/// One operation and the type of its filtered answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FilteredOperation {
    operation_id: String,
    /// The type `send_filtered()` decodes a successful answer into.
    answer: String,
}

/// Every operation of `spec` whose successful answer is a component schema, with the type of
/// its filtered answer: the projection among `projected` (schema, projection), or the schema.
pub(crate) fn collect(spec: &OpenAPI, projected: &[(String, String)]) -> Vec<FilteredOperation> {
    let mut operations = Vec::new();
    for (_, item) in spec.paths.iter() {
        let Some(item) = item.as_item() else { continue };
        for (_, operation) in item.iter() {
            let answer = operation
                .responses
                .responses
                .get(&openapiv3::StatusCode::Code(200))
                .and_then(ReferenceOr::as_item)
                .and_then(|response| response.content.get("application/json"))
                .and_then(|media| match media.schema.as_ref()? {
                    ReferenceOr::Reference { reference } => reference.rsplit('/').next(),
                    ReferenceOr::Item(_) => None,
                });
            let (Some(operation_id), Some(answer)) = (&operation.operation_id, answer) else {
                continue;
            };
            let answer = projected
                .iter()
                .find(|(schema, _)| schema == answer)
                .map_or(answer, |(_, projection)| projection.as_str());
            operations.push(FilteredOperation {
                operation_id: operation_id.clone(),
                answer: answer.to_string(),
            });
        }
    }
    operations
}

/// The streamed operations again, as `send_stream_filtered()`: elements are the projections.
pub(crate) fn streams(
    streamed: &[StreamedOperation],
    projected: &[(String, String)],
) -> Vec<StreamedOperation> {
    streamed
        .iter()
        .map(|operation| StreamedOperation {
            item: projected
                .iter()
                .find(|(schema, _)| *schema == operation.item)
                .map_or_else(|| operation.item.clone(), |(_, p)| p.clone()),
            method: "send_stream_filtered".to_string(),
            ..operation.clone()
        })
        .collect()
}

/// Adds `send_filtered()` to the builder of each of `operations`; returns how many it added.
pub(crate) fn add_send_filtered(
    client: &mut syn::File,
    operations: &[FilteredOperation],
) -> Result<usize, String> {
    let mut added = 0;
    for operation in operations {
        let builder = operation
            .operation_id
            .replace('.', "_")
            .to_upper_camel_case();
        let block =
            builder_impl(client, &Ident::new(&builder, Span::call_site())).ok_or(format!(
                "`{}`: the client has no builder `{builder}`",
                operation.operation_id
            ))?;
        let send = send_of(block).ok_or(format!("no `send()` on the builder {builder}"))?;
        let answer = Ident::new(&operation.answer, Span::call_site());
        let doc = format!(
            "Sends the request like `send()`, with the same errors, for an answer cut down by \
             `filter_path`: a successful one is a [`{answer}`](types::{answer}), in which every \
             member is optional, since the filter may have left out any of them."
        );
        let copy = copy_of_send(
            send,
            "send_filtered",
            &doc,
            syn::parse_quote!(ResponseValue<types::#answer>),
            syn::parse_quote!(ResponseValue::from_response(response).await),
        )?;
        block.items.push(syn::ImplItem::Fn(copy));
        added += 1;
    }
    Ok(added)
}
