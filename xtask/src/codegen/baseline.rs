//! The benchmarks' baseline: progenitor's default types, generated from the same spec without the
//! SDK's policy (`tests/baseline/<module>.rs`).
//!
//! This is what a user gets by running progenitor with `GenerationSettings::default()` on the
//! spec and using its `types` module as is: none of [`super::progenitor_run`]'s settings (builder
//! interface, `SmallMap`, `SecretString`, shared `RoleDescriptors`, open enums, `JsonSchema`) and
//! none of its passes over the output. The spec is the parsed file without the SDK's wire policy
//! (`wire_policy`: no `extra` maps, no `Option` lists); the only changes are the two that
//! default progenitor needs to run and to yield code that compiles (see [`types`]).
//! Only the `pub mod types { .. }` of progenitor's output is kept: the types, without the client,
//! so the baseline needs serde and serde_json but not `progenitor-client` or reqwest.

use progenitor::{GenerationSettings, Generator};

use super::{CodegenError, Service, client_errors, colliding_names};

/// What the baseline file says about itself, as its module documentation.
const MODULE_DOC: &str = " progenitor's default types for this spec (`GenerationSettings::default()`, \
     the `types` module of its output, as is): a benchmark baseline only, not part of the \
     product.";

/// The contents of progenitor's `pub mod types` for `spec` with default settings, as a file.
pub(crate) fn types(
    service: Service,
    spec: &openapiv3::OpenAPI,
) -> Result<syn::File, CodegenError> {
    let unexpected = |reason: String| CodegenError::UnexpectedOutput {
        spec: service.spec,
        reason,
    };
    // Two adjustments, the least that makes progenitor's defaults yield code that compiles and
    // reads the same JSON; neither changes how any type is represented:
    // - Default progenitor asserts (panics) on an operation whose error responses have different
    //   schemas, and the `x-not-found` answers do (Elasticsearch's 404 of an unknown key is a
    //   `GetApiKeyResponse`, the other errors an `ErrorResponse`). As for the SDK, those
    //   responses get the operation's error schema. This only changes which schema an error
    //   response names: every component schema is generated either way.
    // - typify names both `_nodes` and `nodes` (`ClearApiKeyCacheResponse`) `nodes`, two fields
    //   of one name that do not compile. As for the SDK, `_nodes` becomes `node_statistics` in
    //   Rust and keeps its wire name with `#[serde(rename = "_nodes")]`.
    let mut spec = spec.clone();
    client_errors::not_found_as_error_type(&mut spec).map_err(unexpected)?;
    let renamed = colliding_names::separate(&mut spec).map_err(unexpected)?;
    let tokens = Generator::new(&GenerationSettings::default())
        .generate_tokens(&spec)
        .map_err(|source| CodegenError::Progenitor {
            spec: service.spec,
            source,
        })?;
    let output: syn::File = syn::parse2(tokens).map_err(|e| {
        unexpected(format!(
            "the default output does not parse as a Rust file: {e}"
        ))
    })?;
    let types = output
        .items
        .into_iter()
        .find_map(|item| match item {
            syn::Item::Mod(m) if m.ident == "types" => m.content.map(|(_, items)| items),
            _ => None,
        })
        .ok_or_else(|| {
            unexpected("progenitor's default output has no `mod types { .. }`".into())
        })?;
    let mut file: syn::File = syn::parse_quote!(#![doc = #MODULE_DOC]);
    file.items = types;
    colliding_names::restore_wire_names(&mut file, &renamed).map_err(unexpected)?;
    Ok(file)
}
