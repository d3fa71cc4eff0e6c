//! Typed models of Elastic's API-key APIs, generated from the OpenAPI files in `spec/`.
//!
//! - [`cloud`]: the Elastic Cloud API (`GET /users/auth/keys`, `GET /users/auth/keys/{id}`).
//! - [`elasticsearch`]: the Elasticsearch security API (`GET /_security/api_key`).
//!
//! This crate holds the types alone: it depends on serde, serde_json, chrono and schemars, and on
//! no HTTP stack, so code that only reads, stores or checks API keys can use it without pulling in
//! a client. The async client is `elastic-apikeys-client`, whose `types` are these very types.
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
//! - **Loose shapes decode**: `name: null`, a missing `type` or `metadata`, a name list given as a
//!   lone string, a role query as JSON text or as an object, metadata of any JSON type.
//! - **Numbers stay exact**: epoch milliseconds are `i64`, other numbers are read with
//!   serde_json's `float_roundtrip`.
//! - **Secrets stay out of logs**: fields the spec marks `format: password` are
//!   [`SecretString`]s, which `Debug` and `Display` print as [`REDACTED`].
//! - **Large lists stay lean**: maps are [`SmallMap`]s (exact size, in the order received),
//!   decoded lists give back their spare capacity, and the `limited_by` roles that most keys
//!   repeat are decoded once and shared ([`elasticsearch::RoleDescriptors`]). A decoded
//!   100,000-key list holds about 2.3× its body; [`stream`] reads one key at a time instead.
//!
//! Decoding a body and encoding the result gives the same JSON document, with two documented
//! normalisations: a Cloud date-time is written in UTC (`Z`) for the same instant, and an optional
//! field sent as `null` (`reason`, `fields`) is written as absent. Re-encoding is byte-stable.
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

// Lets generated code name this crate's types by one path, `::elastic_apikeys_models::..`, that
// resolves both here and in the client crate, which re-exports these types.
extern crate self as elastic_apikeys_models;

// The code that `cargo xtask codegen` writes. Its types and fields carry the spec's descriptions;
// the builders and the conversion error that typify adds beside them have no schema to take a
// description from, hence `missing_docs`. rustfmt is kept off: prettyplease formats these files,
// deterministically, and `cargo xtask codegen --check` guards them.
#[rustfmt::skip]
#[allow(missing_docs, unreachable_pub, clippy::all)]
mod generated {
    pub mod cloud;
    pub mod elasticsearch;
}

mod de;
mod open_enum;
mod secret;
mod small_map;

pub mod cloud;
pub mod elasticsearch;
pub mod stream;

pub use open_enum::UnknownVariantValue;
pub use secret::{REDACTED, SecretString};
pub use small_map::SmallMap;
