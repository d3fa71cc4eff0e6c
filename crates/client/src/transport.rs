//! The runtime under the generated clients: what every operation does around its request.
//!
//! The generated `send()` methods come from progenitor; `cargo xtask codegen` points them at this
//! module's [`Error`], [`ResponseValue`] and its request hooks instead of progenitor's own (see
//! `xtask/src/codegen/client_runtime.rs`). Here they gain:
//! - credentials on every request, never printed ([`Credentials`]);
//! - the API's request rules, checked before sending ([`RequestRuleViolation`]);
//! - retries of idempotent requests with backoff, jitter and `Retry-After` ([`RetryPolicy`]);
//! - one error type for both services, of at most 2 KiB whatever the body ([`Error`]), with the
//!   not-found answers the spec marks (`x-not-found`) as [`Error::NotFound`];
//! - redirects reported, never followed, so credentials go to no other address
//!   ([`Error::Redirect`]);
//! - bodies decoded whole only up to a size limit ([`Error::BodyTooLarge`]);
//! - no `api-version` header, and a `User-Agent` of `elastic-apikeys/<version>`.

mod api_error;
mod build_error;
mod builder;
mod capped;
mod cloud_id;
mod config;
mod credentials;
mod declarations;
mod error;
mod headers;
mod hooks;
mod proxy;
mod reading;
mod redact;
mod response;
mod retry;
mod rules;
mod status;
mod tls;
mod typed_header;
mod urls;
pub use urls::redacted_url;
pub(crate) use urls::without_credentials;

pub use api_error::{ApiError, ErrorBody, NotFound};
pub use build_error::BuildError;
pub use builder::USER_AGENT;
pub(crate) use builder::{HttpOptions, build, http_options};
pub use capped::MAX_ERROR_TEXT;
pub(crate) use cloud_id::elasticsearch_url as cloud_id_url;
pub use config::ClientConfig;
pub use credentials::{Credentials, InvalidCredentials};
pub(crate) use declarations::{Declared, Given, Param, ParamKind, Place, RequestRule, RuleCheck};
pub use error::Error;
pub use headers::Headers;
pub(crate) use hooks::ClientHooks;
pub use reading::DEFAULT_MAX_BODY_SIZE;
pub(crate) use reading::{NotFoundRule, ParamText, read_with};
pub use response::ResponseValue;
pub use retry::RetryPolicy;
pub use rules::RequestRuleViolation;
pub use status::StatusCode;
pub use tls::TlsFailure;
pub(crate) use typed_header::values as header_values;
pub use typed_header::{InvalidHeader, TypedHeader};
// For the builder methods of `http_options!`, which expand in the clients' modules.
pub(crate) use proxy::ProxySetting;
pub(crate) use tls::{KeyPem, Pem};
