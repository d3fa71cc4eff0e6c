//! What each client carries besides its HTTP client: credentials and retry policy.

use super::credentials::Credentials;
use super::retry::RetryPolicy;

/// The credentials and policies of a client, read by its hooks on every request.
/// `Debug` shows which kind of credentials are set, never their secret.
#[derive(Debug, Clone, Default)]
pub struct ClientConfig {
    pub(crate) credentials: Option<Credentials>,
    pub(crate) retry: RetryPolicy,
}

impl ClientConfig {
    /// A configuration with these credentials and this retry policy.
    pub fn new(credentials: Option<Credentials>, retry: RetryPolicy) -> Self {
        Self { credentials, retry }
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
