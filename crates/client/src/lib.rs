//! Async clients for Elastic's API-key APIs, generated from the OpenAPI files in `spec/`.
//!
//! - [`cloud::Client`]: the Elastic Cloud API, `https://api.elastic-cloud.com/api/v1`: list,
//!   create and delete API keys, the user's own or, for administrators, any user's.
//! - [`elasticsearch::Client`]: the security API of an Elasticsearch cluster, through a key's
//!   whole life: create, grant, clone, get, query ([`PageStream`] walks every page), update,
//!   invalidate and clear the cache.
//!
//! Each module's `types` are the models of `elastic-apikeys-models` (also re-exported whole as
//! [`models`]), so values move between the client and code that depends on the models alone
//! without conversion.
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use elastic_apikeys_client::elasticsearch::Client;
//!
//! let client = Client::builder()
//!     .base_url("http://localhost:9200")
//!     .basic_auth("elastic", std::env::var("ELASTIC_PASSWORD")?)
//!     .build()?;
//! let response = client.security_get_api_key().owner(true).send().await?;
//! for key in &response.api_keys {
//!     println!("{} expires {:?}", key.id, key.expiration_time());
//! }
//! # Ok(())
//! # }
//! ```
//!
//! # One key the models cannot read
//!
//! Elasticsearch adds shapes in its minor releases, and a typed client will one day meet a key
//! it cannot read. `send()` decodes the whole answer, so such a key fails the call
//! ([`Error::UnexpectedBody`], whose reason gives the line and column). The list
//! operations also have `send_stream()` (`GET /_security/api_key` and Elastic Cloud's three
//! key lists) and `send_all_pages()` (`POST /_security/_query/api_key`), which decode each key
//! on its own: a key that does not
//! decode is yielded as [`Error::Stream`] with [`StreamError::Decode`] in its place, carrying an
//! [`ItemError`] (its position, its `id` when that could be read, and its JSON text as sent),
//! and the keys after it still come. Use them wherever one unreadable key must not hide the
//! others.

// The code that `cargo xtask codegen` writes; see the models crate for why rustfmt and these
// lints are kept off. Builder methods and constructors come from progenitor's templates and carry
// its own docs where it writes them.
#[rustfmt::skip]
#[allow(missing_docs, unreachable_pub, deprecated, clippy::all)]
mod generated {
    pub mod cloud;
    pub mod elasticsearch;
}

pub mod cloud;
pub mod elasticsearch;
mod pages;
mod stream;
pub mod transport;

pub use elastic_apikeys_models as models;
pub use elastic_apikeys_models::SecretString;
pub use elastic_apikeys_models::stream::{ItemError, StreamError};
pub use pages::PageStream;
pub use stream::ItemStream;
pub use transport::{
    ApiError, BuildError, Credentials, Error, ErrorBody, Headers, NotFound, RequestRuleViolation,
    ResponseValue, RetryPolicy, StatusCode, TlsFailure,
};

// This crate's README (the one crates.io shows) is compiled as doctests of this crate. The
// workspace README is outside the package, so its examples are doctests of the unpublished
// `tests` package instead (tests/lib.rs).
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
