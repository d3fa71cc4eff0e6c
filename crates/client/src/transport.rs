//! The runtime under the generated clients: what every operation does around its request.
//!
//! The generated `send()` methods come from progenitor; `cargo xtask codegen` points them at this
//! module's [`Error`], [`ResponseValue`] and [`ClientHooks`] instead of progenitor's own (see
//! `xtask/src/codegen/client_runtime.rs`). Here they gain:
//! - credentials on every request, never printed ([`Credentials`]);
//! - the API's request rules, checked before sending ([`RequestRuleViolation`]);
//! - retries of idempotent requests with backoff, jitter and `Retry-After` ([`RetryPolicy`]);
//! - typed errors of at most 2 KiB, whatever the body ([`Error`]);
//! - redirects reported, never followed, so credentials go to no other address
//!   ([`Error::Redirect`]);
//! - bodies decoded whole only up to a size limit ([`Error::BodyTooLarge`]);
//! - no `api-version` header, and a `User-Agent` of `elastic-apikeys/<version>`.

mod builder;
mod config;
mod credentials;
mod error;
mod hooks;
mod response;
mod retry;
mod rules;
mod tls;

pub use builder::{BuildError, DEFAULT_MAX_BODY_SIZE, USER_AGENT};
pub(crate) use builder::{HttpOptions, build, http_options};
pub use config::ClientConfig;
pub use credentials::{Credentials, InvalidCredentials};
pub use error::{Error, ErrorBody, MAX_ERROR_TEXT};
pub use hooks::ClientHooks;
pub use response::ResponseValue;
pub use retry::RetryPolicy;
pub use rules::RequestRuleViolation;
