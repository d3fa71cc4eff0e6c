//! A typed mock server for Elastic's API-key APIs, for the tests of code that uses
//! `elastic-apikeys-client`.
//!
//! `cargo xtask codegen` generates it from the same specs as the client, with progenitor's
//! `httpmock` support: [`cloud::MockServerExt`] and [`elasticsearch::MockServerExt`] add one
//! method per operation to [`httpmock::MockServer`], whose `when` takes the operation's parameters
//! and whose `then` takes its documented responses as models or their builders. Path parameters match exactly the
//! path the client sends, percent-encoding included.
//!
//! ```
//! use elastic_apikeys_mock::elasticsearch::MockServerExt;
//! use elastic_apikeys_mock::httpmock::MockServer;
//! use elastic_apikeys_client::elasticsearch::{Client, types::GetApiKeyResponse};
//!
//! # #[tokio::main(flavor = "current_thread")] async fn main() {
//! let server = MockServer::start_async().await;
//! let mock = server.security_get_api_key(|when, then| {
//!     when.owner(true);
//!     // An answer is a model (by value or by reference) or its builder: models are
//!     // `#[non_exhaustive]`, and a builder survives the spec's growth.
//!     then.ok(GetApiKeyResponse::builder().api_keys(vec![]));
//! });
//! let client = Client::builder().base_url(server.base_url()).build().unwrap();
//! let keys = client.security_get_api_key().owner(true).send().await.unwrap();
//! assert!(keys.api_keys.is_empty());
//! mock.assert();
//! # }
//! ```

// The code that `cargo xtask codegen` writes; see the models crate for why rustfmt and these
// lints are kept off.
#[rustfmt::skip]
#[allow(missing_docs, unreachable_pub, deprecated, clippy::all)]
mod generated {
    pub mod cloud;
    pub mod elasticsearch;
}

/// The Elastic Cloud API's mock operations.
pub mod cloud {
    pub use crate::generated::cloud::*;
}

/// The Elasticsearch security API's mock operations.
pub mod elasticsearch {
    pub use crate::generated::elasticsearch::*;
}

pub use httpmock;

/// What a mock's `when.body(..)` takes: the request model, by reference or by value, or its
/// builder (`types::builder::X`, as the client's `.body(..)` takes it). A builder that does not
/// make a valid model panics, naming why: a test's mock is wrong.
pub trait RequestBody<T> {
    /// The model.
    fn into_body(self) -> T;
}

impl<T> RequestBody<T> for T {
    fn into_body(self) -> T {
        self
    }
}

impl<T: Clone> RequestBody<T> for &T {
    fn into_body(self) -> T {
        self.clone()
    }
}

/// What a mock's answers (`then.ok(..)`, `then.not_found(..)`, ...) take: the response model, by
/// reference or by value, or its builder (`types::builder::X`), so that a test can build an
/// answer without `.build().unwrap()`. A builder that does not make a valid model panics, naming
/// why: a test's mock is wrong.
pub trait ResponseBody<T> {
    /// The model.
    fn into_body(self) -> T;
}

impl<T> ResponseBody<T> for T {
    fn into_body(self) -> T {
        self
    }
}

impl<T: Clone> ResponseBody<T> for &T {
    fn into_body(self) -> T {
        self.clone()
    }
}

// This crate's README (the one crates.io shows) is compiled as doctests of this crate.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
