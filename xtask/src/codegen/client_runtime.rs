//! The client crate's own runtime under progenitor's generated operations.
//!
//! progenitor's generated `send()` methods call into a small runtime: `Error`, `ResponseValue`
//! and the `ClientHooks` trait, from `progenitor_client`. Its `Error` prints whole response bodies
//! (100 MB and secrets included), loses the status of a body that does not decode, and cannot say
//! "no key with that id". So the generated clients import those three names from the client
//! crate's `transport` module instead, which keeps progenitor's interface and adds auth, request
//! rules, retries and typed errors. The rest of progenitor's runtime is used as it is.
//!
//! progenitor's `Client::new` is dropped too: it builds an HTTP client with a 15 s limit on whole
//! requests (too short for a 100 MB key list) and no `User-Agent`. Clients are built with the
//! hand-written `Client::builder()`, or `Client::new_with_client` for a caller's own HTTP client.

/// The names the generated client takes from `crate::transport` rather than `progenitor_client`.
const OWN_RUNTIME: [&str; 3] = ["Error", "ResponseValue", "ClientHooks"];

/// The type of the `inner` value every generated client carries: its credentials and policies.
pub(crate) const INNER_TYPE: &str = super::runtime_paths::CLIENT_CONFIG;

/// Redirects the generated client's runtime imports to `crate::transport`.
pub(crate) fn use_own_runtime(client: &mut syn::File) -> Result<usize, String> {
    let mut redirected = Vec::new();
    let mut insert_at = Vec::new();
    for (index, item) in client.items.iter_mut().enumerate() {
        let syn::Item::Use(item_use) = item else {
            continue;
        };
        let syn::UseTree::Path(path) = &mut item_use.tree else {
            continue;
        };
        if path.ident != "progenitor_client" {
            continue;
        }
        let syn::UseTree::Group(group) = &mut *path.tree else {
            return Err("progenitor_client is imported without braces".to_string());
        };
        let (own, kept): (Vec<syn::UseTree>, Vec<syn::UseTree>) =
            group.items.clone().into_iter().partition(|tree| {
                matches!(tree, syn::UseTree::Name(name) if OWN_RUNTIME.contains(&name.ident.to_string().as_str()))
            });
        group.items = kept.into_iter().collect();
        if !own.is_empty() {
            let mut own_item = item_use.clone();
            let transport = super::runtime_paths::transport();
            own_item.tree = syn::parse_quote!(#transport::{#(#own),*});
            insert_at.push((index + 1, syn::Item::Use(own_item)));
            redirected.extend(own.iter().map(quote_name));
        }
    }
    for (index, item) in insert_at.into_iter().rev() {
        client.items.insert(index, item);
    }
    redirected.sort();
    let mut expected: Vec<String> = OWN_RUNTIME.iter().map(|s| s.to_string()).collect();
    expected.sort();
    if redirected != expected {
        return Err(format!(
            "expected progenitor_client to provide {expected:?}, redirected {redirected:?}"
        ));
    }
    Ok(redirected.len())
}

/// Removes progenitor's `Client::new`, keeping `Client::new_with_client`.
pub(crate) fn drop_default_constructor(client: &mut syn::File) -> Result<usize, String> {
    let mut dropped = false;
    for item in &mut client.items {
        let syn::Item::Impl(block) = item else {
            continue;
        };
        let is_client = matches!(&*block.self_ty, syn::Type::Path(p) if p.path.is_ident("Client"));
        if !is_client || block.trait_.is_some() {
            continue;
        }
        block.items.retain(|member| {
            let is_new = matches!(member, syn::ImplItem::Fn(f) if f.sig.ident == "new");
            dropped |= is_new;
            !is_new
        });
    }
    if dropped {
        Ok(1)
    } else {
        Err("progenitor's output has no `Client::new`".to_string())
    }
}

fn quote_name(tree: &syn::UseTree) -> String {
    match tree {
        syn::UseTree::Name(name) => name.ident.to_string(),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redirects_exactly_the_three_names_and_keeps_the_rest() {
        let mut file: syn::File = syn::parse_quote! {
            #[allow(unused_imports)]
            pub use progenitor_client::{ByteStream, ClientInfo, Error, ResponseValue};
            #[allow(unused_imports)]
            use progenitor_client::{encode_path, ClientHooks, OperationInfo, RequestBuilderExt};
            pub struct Client;
        };
        use_own_runtime(&mut file).unwrap();
        let text = prettyplease::unparse(&file);
        assert!(
            text.contains("pub use progenitor_client::{ByteStream, ClientInfo};"),
            "{text}"
        );
        assert!(
            text.contains("pub use crate::transport::{Error, ResponseValue};"),
            "{text}"
        );
        assert!(
            text.contains(
                "use progenitor_client::{encode_path, OperationInfo, RequestBuilderExt};"
            ),
            "{text}"
        );
        assert!(
            text.contains("use crate::transport::{ClientHooks};")
                || text.contains("use crate::transport::ClientHooks;"),
            "{text}"
        );
    }

    #[test]
    fn only_the_default_constructor_is_dropped() {
        let mut file: syn::File = syn::parse_quote! {
            impl Client {
                pub fn new(baseurl: &str) -> Self { todo!() }
                pub fn new_with_client(baseurl: &str, client: reqwest::Client) -> Self { todo!() }
            }
            impl Other { pub fn new() -> Self { todo!() } }
        };
        drop_default_constructor(&mut file).unwrap();
        let text = prettyplease::unparse(&file);
        assert!(!text.contains("pub fn new(baseurl"), "{text}");
        assert!(
            text.contains("pub fn new_with_client") && text.contains("impl Other"),
            "{text}"
        );
        assert!(drop_default_constructor(&mut file).is_err());
    }

    #[test]
    fn a_missing_name_is_an_error() {
        let mut file: syn::File = syn::parse_quote! {
            pub use progenitor_client::{ByteStream, Error};
        };
        assert!(use_own_runtime(&mut file).is_err());
    }
}
