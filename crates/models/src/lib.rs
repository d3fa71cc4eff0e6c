//! Typed models of Elastic's API-key APIs, generated from the OpenAPI files in `spec/`.
//!
//! - [`cloud`]: the Elastic Cloud API (`GET /users/auth/keys`, `GET /users/auth/keys/{id}`).
//! - [`elasticsearch`]: the Elasticsearch security API (`GET /_security/api_key`).
//!
//! This crate holds the types alone: it depends on serde, serde_json, chrono and schemars, and on
//! no HTTP stack, so code that only reads, stores or checks API keys can use it without pulling in
//! a client. The async client is `elastic-apikeys-client`, whose `types` are these very types.
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

mod open_enum;
mod secret;

pub mod cloud;
pub mod elasticsearch;

pub use open_enum::UnknownVariantValue;
pub use secret::{REDACTED, SecretString};
