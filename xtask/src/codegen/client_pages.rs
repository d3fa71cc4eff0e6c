//! `send_all_pages()`: queries whose pages are walked with `search_after`.
//!
//! An operation marked in the spec with
//!
//! ```yaml
//! x-search-after:
//!   items: api_keys      # the answer's list
//!   item: ApiKey         # the component schema of its elements
//!   total: total         # the answer's count of every match
//!   sort: _sort          # each element's sort values
//!   after: search_after  # the body field that takes them
//!   sort_by: sort        # the body field without which there is no order to continue in
//! ```
//!
//! gets, beside `send()`, a `send_all_pages()` that returns a `PageStream` of the elements of
//! every page: it sends the request as built, then the same request with `search_after` set to
//! the last element's sort values, until the matches run out. Each page is sent by `send_page()`,
//! a copy of the builder's own `send()` (so parameters, hooks, retries and errors stay those of
//! one request) whose answer is decoded whole when it can be, as `send()` does, and element by
//! element when one element does not decode: that one is handed over as an error in its place,
//! and the walk goes on after it, from the sort values of the page's last element as the server
//! sent them.

use heck::{ToSnakeCase, ToUpperCamelCase};
use proc_macro2::{Ident, Span};

use super::runtime_paths;

/// One operation to page through.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PagedOperation {
    operation_id: String,
    items: String,
    item: String,
    total: String,
    sort: String,
    after: String,
    sort_by: String,
    /// The component schema of the request body.
    body: String,
    /// The component schema of the elements' sort values.
    sort_type: String,
    /// The operation's parameter that filters answers (`x-filtered-answers`), if it takes one.
    filter: Option<String>,
}

/// The operations of `spec` marked with `x-search-after`.
pub(crate) fn collect(
    spec: &openapiv3::OpenAPI,
    filter: Option<&str>,
) -> Result<Vec<PagedOperation>, String> {
    let mut operations = Vec::new();
    for (path, item) in spec.paths.iter() {
        let Some(item) = item.as_item() else { continue };
        for (method, operation) in item.iter() {
            let Some(extension) = operation.extensions.get("x-search-after") else {
                continue;
            };
            let context = format!("{method} {path}: x-search-after");
            let text = |key: &str| {
                extension
                    .get(key)
                    .and_then(|v| v.as_str())
                    .map(String::from)
                    .ok_or(format!("{context} needs a string `{key}`"))
            };
            let body = operation
                .request_body
                .as_ref()
                .and_then(|body| body.as_item())
                .and_then(|body| body.content.get("application/json"))
                .and_then(|media| match media.schema.as_ref()? {
                    openapiv3::ReferenceOr::Reference { reference } => {
                        reference.rsplit('/').next().map(String::from)
                    }
                    openapiv3::ReferenceOr::Item(_) => None,
                })
                .ok_or(format!(
                    "{context} needs a JSON request body that is a `$ref` to a schema"
                ))?;
            let (item, sort) = (text("item")?, text("sort")?);
            let sort_type = schema_of_property(spec, &item, &sort).ok_or(format!(
                "{context}: `{item}.{sort}` must be a `$ref` (or an `allOf` of one) to a schema"
            ))?;
            let filter = filter.filter(|name| {
                operation.parameters.iter().any(|parameter| {
                    parameter
                        .as_item()
                        .is_some_and(|p| p.parameter_data_ref().name == *name)
                })
            });
            operations.push(PagedOperation {
                filter: filter.map(String::from),
                operation_id: operation.operation_id.clone().unwrap_or_default(),
                items: text("items")?,
                item,
                total: text("total")?,
                sort,
                sort_type,
                after: text("after")?,
                sort_by: text("sort_by")?,
                body,
            });
        }
    }
    Ok(operations)
}

/// The component schema that property `property` of schema `schema` refers to, directly or as
/// the one member of an `allOf`.
fn schema_of_property(spec: &openapiv3::OpenAPI, schema: &str, property: &str) -> Option<String> {
    let components = spec.components.as_ref()?;
    let openapiv3::ReferenceOr::Item(schema) = components.schemas.get(schema)? else {
        return None;
    };
    let openapiv3::SchemaKind::Type(openapiv3::Type::Object(object)) = &schema.schema_kind else {
        return None;
    };
    let name = |reference: &str| reference.rsplit('/').next().map(String::from);
    match object.properties.get(property)? {
        openapiv3::ReferenceOr::Reference { reference } => name(reference),
        openapiv3::ReferenceOr::Item(property) => match &property.schema_kind {
            openapiv3::SchemaKind::AllOf { all_of } if all_of.len() == 1 => match &all_of[0] {
                openapiv3::ReferenceOr::Reference { reference } => name(reference),
                openapiv3::ReferenceOr::Item(_) => None,
            },
            _ => None,
        },
    }
}

/// Adds `send_all_pages()` to the builder of each of `operations`; returns how many it added.
pub(crate) fn add_send_all_pages(
    client: &mut syn::File,
    operations: &[PagedOperation],
) -> Result<usize, String> {
    let mut added = 0;
    for operation in operations {
        let builder = Ident::new(
            &operation.operation_id.to_upper_camel_case(),
            Span::call_site(),
        );
        let block = builder_impl(client, &builder).ok_or(format!(
            "x-search-after of `{}`: the client has no builder `{builder}`",
            operation.operation_id
        ))?;
        let send = send_of(block).ok_or(format!("no `send()` on the builder {builder}"))?;
        block
            .items
            .push(syn::ImplItem::Fn(send_page(send, operation)?));
        block
            .items
            .push(syn::ImplItem::Fn(send_all_pages(operation)));
        added += 1;
    }
    Ok(added)
}

/// A copy of the `send()` of the builder `block`.
pub(crate) fn send_of(block: &syn::ItemImpl) -> Option<syn::ImplItemFn> {
    block.items.iter().find_map(|item| match item {
        syn::ImplItem::Fn(f) if f.sig.ident == "send" => Some(f.clone()),
        _ => None,
    })
}

/// The inherent `impl` of the builder `builder` in the client's `builder` module.
pub(crate) fn builder_impl<'a>(
    client: &'a mut syn::File,
    builder: &Ident,
) -> Option<&'a mut syn::ItemImpl> {
    let builders = client.items.iter_mut().find_map(|item| match item {
        syn::Item::Mod(module) if module.ident == "builder" => module.content.as_mut(),
        _ => None,
    })?;
    builders.1.iter_mut().find_map(|item| match item {
        syn::Item::Impl(block)
            if block.trait_.is_none()
                && matches!(&*block.self_ty, syn::Type::Path(p)
                    if p.path.segments.last().is_some_and(|s| s.ident == *builder)) =>
        {
            Some(block)
        }
        _ => None,
    })
}

/// `send_page()`: `send()`, whose answer is a `Page` whose items are read whole when they all
/// decode, and one by one when one does not.
fn send_page(send: syn::ImplItemFn, operation: &PagedOperation) -> Result<syn::ImplItemFn, String> {
    let page = runtime_paths::tokens(runtime_paths::PAGE);
    let shape = runtime_paths::tokens(runtime_paths::PAGE_SHAPE);
    let answer = answer_type(&send).ok_or(format!(
        "x-search-after of `{}`: `send()` does not return `Result<ResponseValue<_>, _>`",
        operation.operation_id
    ))?;
    let item = Ident::new(&operation.item, Span::call_site());
    let sort_type = Ident::new(&operation.sort_type, Span::call_site());
    let ident = |name: &str| Ident::new(&name.to_snake_case(), Span::call_site());
    let (items_field, total_field, sort_field) = (
        ident(&operation.items),
        ident(&operation.total),
        ident(&operation.sort),
    );
    let (items, total, sort) = (&operation.items, &operation.total, &operation.sort);
    let doc = format!(
        "One page for `send_all_pages()`: sends the request like `send()`, with the same errors; \
         when an element of the answer's `{items}` does not decode, the others are still read."
    );
    let mut copy = super::client_streams::copy_of_send(
        send,
        "send_page",
        &doc,
        syn::parse_quote!(#page<types::#item, types::#sort_type>),
        syn::parse_quote!(
            #page::read(
                response,
                #shape {
                    items: #items,
                    total: #total,
                    sort: #sort,
                    typed: |answer: #answer| (answer.#items_field, answer.#total_field),
                    sort_of: |element: &types::#item| element.#sort_field.clone(),
                },
            )
            .await
        ),
    )?;
    copy.vis = syn::Visibility::Inherited;
    Ok(copy)
}

/// The `X` of `send()`'s `Result<ResponseValue<X>, _>`.
fn answer_type(send: &syn::ImplItemFn) -> Option<syn::Type> {
    let syn::ReturnType::Type(_, output) = &send.sig.output else {
        return None;
    };
    let first_argument = |ty: &syn::Type| -> Option<syn::Type> {
        let syn::Type::Path(path) = ty else {
            return None;
        };
        let syn::PathArguments::AngleBracketed(arguments) = &path.path.segments.last()?.arguments
        else {
            return None;
        };
        match arguments.args.first()? {
            syn::GenericArgument::Type(inner) => Some(inner.clone()),
            _ => None,
        }
    };
    first_argument(&first_argument(output)?)
}

fn send_all_pages(operation: &PagedOperation) -> syn::ImplItemFn {
    let ident = |name: &str| Ident::new(&name.to_snake_case(), Span::call_site());
    let item = Ident::new(&operation.item, Span::call_site());
    let body = Ident::new(&operation.body, Span::call_site());
    let (after, sort_by) = (ident(&operation.after), ident(&operation.sort_by));
    let pages = runtime_paths::tokens(runtime_paths::PAGE_STREAM);
    let doc = format!(
        "Sends the request, then the same request again with `{after}` set to the last \
         element's `{sort}`, and yields the `{items}` of every page, one at a time, until every \
         match has been handed over; each page is asked for while the one before is handed over. \
         Memory holds two pages, not the whole list: use `size` for the page size. An element the models cannot read is yielded as \
         `Error::Stream(StreamError::Decode(..))` in its place, and the walk goes on. The body needs a `{sort_by}` whose last key is unique (for API keys, \
         `_doc`: their `id` cannot be sorted on), so that each element comes once; without one the stream yields \
         `Error::InvalidRequest` and sends nothing.",
        after = operation.after,
        sort = operation.sort,
        items = operation.items,
        sort_by = operation.sort_by,
    );
    // A filter that keeps only what it names must keep what the walk reads too.
    let keep_walking = operation.filter.as_ref().map(|filter| {
        let filter = ident(filter);
        let needed = [
            operation.total.clone(),
            format!("{}.{}", operation.items, operation.sort),
        ];
        let filter_keeping = runtime_paths::tokens(runtime_paths::FILTER_KEEPING);
        quote::quote! {
            let this = match &this.#filter {
                Ok(Some(filter)) => {
                    let kept = #filter_keeping(filter, &[#(#needed),*]);
                    this.#filter(kept)
                }
                _ => this,
            };
        }
    });
    let filter_doc = operation.filter.as_ref().map(|filter| {
        format!(
            " A `{filter}` that keeps only what it names gets `{total}` and `{items}.{sort}`              added, which the walk reads.",
            total = operation.total,
            items = operation.items,
            sort = operation.sort,
        )
    });
    let doc = format!("{doc}{}", filter_doc.unwrap_or_default());
    let missing_sort = format!(
        "send_all_pages() walks the pages with `{}`, which needs a `{}` in the body",
        operation.after, operation.sort_by
    );
    syn::parse_quote! {
        #[doc = #doc]
        pub fn send_all_pages(self) -> #pages<'a, types::#item> {
            let this = self;
            #keep_walking
            let sorted = this
                .body
                .clone()
                .ok()
                .and_then(|body| types::#body::try_from(body).ok())
                .is_some_and(|body| body.#sort_by.is_some_and(|keys| !keys.is_empty()));
            if !sorted {
                return #pages::failed(Error::InvalidRequest(#missing_sort.to_string()));
            }
            #pages::new(
                move |after| {
                    let mut request = this.clone();
                    if let Some(after) = after {
                        request = request.body_map(move |body| body.#after(after));
                    }
                    async move { request.send_page().await }
                },
            )
        }
    }
}
