//! What each client carries besides its HTTP client: credentials and retry policy.

use super::credentials::Credentials;
use super::declarations::Declared;
use super::reading::BodyLimit;
use super::retry::RetryPolicy;

/// The credentials and policies of a client, read by its hooks on every request.
/// `Debug` shows which kind of credentials are set, never their secret.
///
/// Only the clients' builders make one: a configuration holds the service's declarations of its
/// operations (request rules, retry safety), which nothing else can give it.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    pub(crate) credentials: Option<Credentials>,
    pub(crate) retry: RetryPolicy,
    pub(crate) body_limit: BodyLimit,
    /// What the spec declares of each operation of the service: rules and retry safety.
    pub(crate) operations: &'static [Declared],
}

impl ClientConfig {
    /// The largest response body decoded whole, in bytes.
    pub fn max_body_size(&self) -> u64 {
        self.body_limit.0
    }

    /// The retry policy.
    pub fn retry(&self) -> &RetryPolicy {
        &self.retry
    }
}

impl AsRef<ClientConfig> for ClientConfig {
    fn as_ref(&self) -> &ClientConfig {
        self
    }
}
