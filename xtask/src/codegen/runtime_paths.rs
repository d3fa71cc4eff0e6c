//! The hand-written items that generated code names, each named once.
//!
//! Generated code refers to a few items written by hand beside it: the client's runtime in
//! `crates/client/src/transport/`, the models crate's own types and decoding helpers. Every pass
//! of the generator takes their paths from here, so moving or renaming one of them is a change to
//! this file (and the compiler then checks every generated use), not a hunt through strings.

use proc_macro2::TokenStream;

/// The models crate, as the client and mock crates name it.
pub(crate) const MODELS: &str = "::elastic_apikeys_models";
/// The map type of every generated map (`crates/models/src/small_map.rs`).
pub(crate) const SMALL_MAP: &str = "::elastic_apikeys_models::SmallMap";
/// The type of every string of the models (`compact_str`'s, re-exported by the models crate).
pub(crate) const STRING: &str = "::elastic_apikeys_models::CompactString";
/// The type of every JSON value of any kind (`crates/models/src/json_value.rs`).
pub(crate) const JSON_VALUE: &str = "::elastic_apikeys_models::JsonValue";
/// The type of every string the spec marks `format: password` (`crates/models/src/secret.rs`).
pub(crate) const SECRET_STRING: &str = "::elastic_apikeys_models::SecretString";
/// The three-state type of an optional, nullable field (`crates/models/src/nullable.rs`).
pub(crate) const NULLABLE: &str = "::elastic_apikeys_models::Nullable";
/// An API key's `expiration`, checked as the server reads it (`crates/models/src/elasticsearch/`).
pub(crate) const DURATION: &str = "::elastic_apikeys_models::elasticsearch::Duration";
/// The shared `limited_by` roles (`crates/models/src/elasticsearch/`).
pub(crate) const ROLE_DESCRIPTORS: &str =
    "::elastic_apikeys_models::elasticsearch::RoleDescriptors";
/// The decoding helpers of the models crate's generated `Deserialize` impls
/// (`crates/models/src/de.rs`), as the models crate itself names them.
pub(crate) const MODELS_DE: &str = "crate::de";
/// The client's runtime (`crates/client/src/transport.rs`), as the client crate names it.
pub(crate) const TRANSPORT: &str = "crate::transport";
/// What every generated client carries: its credentials and policies.
pub(crate) const CLIENT_CONFIG: &str = "crate::transport::ClientConfig";
/// The stream of `send_stream()` (`crates/client/src/stream.rs`).
pub(crate) const ITEM_STREAM: &str = "crate::ItemStream";
/// The stream of `send_all_pages()` and its pages (`crates/client/src/pages.rs`).
pub(crate) const PAGE_STREAM: &str = "crate::PageStream";
pub(crate) const PAGE: &str = "crate::pages::Page";
pub(crate) const PAGE_SHAPE: &str = "crate::pages::PageShape";
/// A `filter_path` with what the page walk reads added (`crates/client/src/pages.rs`).
pub(crate) const FILTER_KEEPING: &str = "crate::pages::filter_keeping";

/// The path of a model of `module` (`::elastic_apikeys_models::elasticsearch::Name`).
pub(crate) fn model(module: &str, name: &str) -> String {
    format!("{MODELS}::{module}::{name}")
}

/// The client module of `module`, as the mock crate names it.
pub(crate) fn client_module(module: &str) -> String {
    format!("elastic_apikeys_client::{module}")
}

/// `path` as tokens.
pub(crate) fn tokens(path: &str) -> TokenStream {
    path.parse()
        .expect("the paths of this module are Rust paths")
}

/// The client's runtime module, as tokens.
pub(crate) fn transport() -> TokenStream {
    tokens(TRANSPORT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_path_parses() {
        for path in [
            MODELS,
            JSON_VALUE,
            STRING,
            SMALL_MAP,
            SECRET_STRING,
            NULLABLE,
            ROLE_DESCRIPTORS,
            DURATION,
            MODELS_DE,
            TRANSPORT,
            CLIENT_CONFIG,
            ITEM_STREAM,
            PAGE_STREAM,
            PAGE,
            PAGE_SHAPE,
            FILTER_KEEPING,
        ] {
            syn::parse_str::<syn::Path>(path).unwrap();
        }
        syn::parse_str::<syn::Path>(&model("elasticsearch", "ApiKey")).unwrap();
        syn::parse_str::<syn::Path>(&client_module("cloud")).unwrap();
    }
}
