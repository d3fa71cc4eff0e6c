//! Typed models of Elastic's API-key APIs, generated from the OpenAPI files in `spec/`.
//!
//! - [`cloud`]: the Elastic Cloud API keys: listing them (a user's own or, for administrators,
//!   every user's), creating one (whose answer carries the secret `key` once) and deleting.
//! - [`elasticsearch`]: every API-key request and answer of the Elasticsearch security API:
//!   create, grant, clone, cross-cluster, get, query (a typed query DSL, sort, `search_after`,
//!   aggregations), update, bulk update, invalidate and clear cache.
//!
//! This crate holds the types alone: it depends on serde, serde_json, chrono, schemars and
//! compact_str, and on no HTTP stack, so code that only reads, stores or checks API keys can use
//! it without pulling in a client. The async client is `elastic-apikeys-client`, whose `types` are these very types.
//!
//! # What real servers send, and what the models keep
//!
//! Clusters of many versions answer the same request differently, and the models are built to
//! read all of them (the rules live in the code generator, `xtask/src/codegen/`):
//!
//! - **Unknown fields are kept.** Every object has an `extra` map that decoding fills with the
//!   fields this version does not know and encoding writes back.
//! - **Enums are open.** A value added after this crate was generated, such as a new key type,
//!   decodes as `Unknown(..)` and is written back verbatim ([`UnknownVariantValue`]); every enum
//!   has `as_str()`.
//! - **Absent is not empty.** Optional lists and maps are `Option`s, so `role_descriptors: {}`
//!   (the key inherits its owner's permissions) stays distinct from no `role_descriptors` at all
//!   (a cluster older than 8.5).
//! - **Loose shapes decode**: `name: null` (or no `name` at all), a missing `type` or `metadata`,
//!   a name list given as a lone string, a role query as JSON text or as an object, metadata of
//!   any JSON type. What decoding requires is exactly what each type's JSON Schema
//!   ([`schemars::JsonSchema`]) lists as `required`.
//! - **Numbers stay exact**: epoch milliseconds are `i64`, other numbers are read with
//!   serde_json's `float_roundtrip`.
//! - **Secrets stay out of logs**: fields the spec marks `format: password` are
//!   [`SecretString`]s, which `Debug` and `Display` print as [`REDACTED`].
//! - **Large lists stay lean**: strings are [`CompactString`]s (up to 24 bytes inline, no heap
//!   block), JSON of any shape is a [`JsonValue`] whose objects are [`SmallMap`]s (exact size, in
//!   the order received), decoded lists give back their spare capacity, and the `limited_by` roles
//!   that most keys repeat are decoded once and shared ([`elasticsearch::RoleDescriptors`]). A
//!   decoded 100,000-key list holds about 2.2× its body in heap; [`stream`] reads one key at a
//!   time instead.
//! - **Any serde format**: the models decode from every self-describing serde deserializer
//!   (serde_json, other JSON parsers, CBOR, YAML), not only from serde_json.
//!
//! - **Absent is not `null`** where the spec marks an optional field `nullable`: it is a
//!   [`Nullable`], whose three states (left out, `null`, a value) are all kept and all sent,
//!   as `certificate_identity` of a cross-cluster key's update needs (`null` removes it).
//!
//! Decoding a body and encoding the result gives the same JSON document, with two documented
//! normalisations: a Cloud date-time is written in UTC (`Z`) for the same instant, and an
//! optional field that the spec does not mark `nullable`, sent as `null` (a `range` query's
//! unbounded `lt`, which the server reads as absent), is written as absent. Re-encoding is
//! byte-stable. (An Elasticsearch key's `name`, which servers always send, is always written,
//! `null` included; a document that lacks it reads as `null`, and is written with
//! `"name": null`.)
//!
//! ```
//! use elastic_apikeys_models::elasticsearch::GetApiKeyResponse;
//!
//! let body = r#"{"api_keys":[{"id":"VuaCfGcBCdbkQm-e5aOx","name":"my-api-key",
//!     "creation":1548550550158,"invalidated":false,"username":"myuser","realm":"native1",
//!     "metadata":{}}]}"#;
//! let response: GetApiKeyResponse = serde_json::from_str(body)?;
//! let key = &response.api_keys[0];
//! assert_eq!(key.name.as_deref(), Some("my-api-key"));
//! assert_eq!(key.creation_time().unwrap().to_rfc3339(), "2019-01-27T00:55:50.158+00:00");
//! # Ok::<(), serde_json::Error>(())
//! ```
//!
//! # Versions: what a change of the spec does
//!
//! The types are generated from the OpenAPI files, so a change of a spec is a change of this
//! crate's API, and its version follows [Cargo's SemVer
//! rules](https://doc.rust-lang.org/cargo/reference/semver.html). Before 1.0 the first non-zero
//! number counts as the major one: 0.1.4 → 0.2.0 may break code, 0.1.3 → 0.1.4 may not, and a
//! dependency on `"0.1"` takes every 0.1.x. The client, the mock server and the CLI share this
//! version and are released with it: the client's `types` are these types.
//!
//! Every struct and enum of the models is `#[non_exhaustive]`: outside this crate a model is
//! made by decoding, with its builder (`ApiKey::builder().id(..).build()`), or with `Default`
//! where every field may be left out; a struct is matched with `..` and an enum with a `_` arm.
//! That is what lets the spec grow in a minor version:
//!
//! | change of the spec | what it does to the types | new version (1.x; before 1.0) |
//! | --- | --- | --- |
//! | a description, an example | documentation only | patch (1.0.1; 0.1.4) |
//! | a new value of a string enum | a new variant. Older versions read the value as `Unknown(..)`, where this one reads the new variant | minor (1.1.0; 0.1.4) |
//! | a new schema, operation or parameter | new types and methods | minor (1.1.0; 0.1.4) |
//! | a new optional property | a new `pub` field and builder setter. Older versions keep the value in `extra`, so decoding is unaffected | minor (1.1.0; 0.1.4) |
//! | a new required property of a request or a response; optional made required, or the reverse; `nullable` added or removed | a builder that compiled fails to build without the new field; a field's type becomes or stops being an `Option` | major (2.0.0; 0.2.0) |
//! | a property, schema or enum value removed, renamed or given another type | the field, type or variant goes (a removed property's value then lands in `extra`) or changes type | major (2.0.0; 0.2.0) |
//!
//! CI holds the crates to this: `cargo semver-checks` compares their public API with the commit
//! that last set their version, and fails a change that breaks it unless the version says so.

// Lets generated code name this crate's types by one path, `::elastic_apikeys_models::..`, that
// resolves both here and in the client crate, which re-exports these types.
extern crate self as elastic_apikeys_models;

// The code that `cargo xtask codegen` writes. Its types and fields carry the spec's descriptions;
// the builders and the conversion error that typify adds beside them have no schema to take a
// description from, hence `missing_docs`. A field the spec deprecates is `#[deprecated]` for
// the code that uses the models, not for the generated code that must still read and write it,
// hence `deprecated`. rustfmt is kept off: prettyplease formats these files,
// deterministically, and `cargo xtask codegen --check` guards them.
#[rustfmt::skip]
#[allow(missing_docs, unreachable_pub, deprecated, clippy::all)]
mod generated {
    pub mod cloud;
    pub mod elasticsearch;
}

mod de;
#[doc(hidden)]
pub mod error_text;
mod json_value;
mod nullable;
mod open_enum;
mod secret;

pub mod cloud;
pub mod elasticsearch;
pub mod small_map;
pub mod stream;

/// The string type of the models: a `String` that holds up to 24 bytes inline, without a heap
/// block. It derefs to `str`, compares with `&str` and `String`, and converts from both.
pub use compact_str::CompactString;
pub use json_value::JsonValue;
pub use nullable::Nullable;
pub use open_enum::UnknownVariantValue;
pub use secret::{REDACTED, SecretString};
pub use small_map::SmallMap;

// This crate's README (the one crates.io shows) is compiled as doctests of this crate.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
