//! The HTTP settings every client is built with.

use std::fmt;
use std::time::Duration;

use super::config::ClientConfig;
use super::credentials::Credentials;
use super::error::without_credentials;
use super::retry::RetryPolicy;

/// The `User-Agent` of every request.
pub const USER_AGENT: &str = concat!("elastic-apikeys/", env!("CARGO_PKG_VERSION"));

/// Timeouts and retries, shared by both clients' builders.
///
/// The defaults suit key lists of 100 MB and more on a slow link: there is no limit on a whole
/// request, but a connection must open within 10 s and the server must send something at least
/// every 60 s.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct HttpOptions {
    pub(crate) connect_timeout: Duration,
    pub(crate) read_timeout: Duration,
    pub(crate) timeout: Option<Duration>,
    pub(crate) retry: RetryPolicy,
}

impl Default for HttpOptions {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(10),
            read_timeout: Duration::from_secs(60),
            timeout: None,
            retry: RetryPolicy::default(),
        }
    }
}

/// Why a client could not be built.
#[derive(Debug)]
#[non_exhaustive]
pub enum BuildError {
    /// The base URL is not an absolute `http` or `https` URL.
    InvalidBaseUrl {
        /// The URL, without any credentials it held.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The credentials cannot be sent in a header.
    InvalidCredentials(super::credentials::InvalidCredentials),
    /// The HTTP client could not be set up (its TLS configuration, for instance).
    Http(String),
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidBaseUrl { url, reason } => write!(f, "invalid base URL {url}: {reason}"),
            Self::InvalidCredentials(e) => e.fmt(f),
            Self::Http(reason) => write!(f, "cannot set up the HTTP client: {reason}"),
        }
    }
}

impl std::error::Error for BuildError {}

/// Checks `base_url`, and builds the HTTP client and the configuration a generated client needs.
pub(crate) fn build(
    base_url: &str,
    credentials: Option<Credentials>,
    options: HttpOptions,
) -> Result<(String, reqwest::Client, ClientConfig), BuildError> {
    let invalid = |reason: &str| BuildError::InvalidBaseUrl {
        url: without_credentials(base_url),
        reason: reason.to_string(),
    };
    let url = reqwest::Url::parse(base_url).map_err(|e| invalid(&e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(invalid("the scheme must be http or https"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid(
            "credentials do not belong in the URL, where errors and logs would show them; use the builder's credentials",
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid("a base URL has no query or fragment"));
    }
    if let Some(credentials) = &credentials {
        credentials
            .header_value()
            .map_err(BuildError::InvalidCredentials)?;
    }
    let mut http = reqwest::Client::builder()
        .user_agent(USER_AGENT)
        .connect_timeout(options.connect_timeout)
        .read_timeout(options.read_timeout);
    if let Some(timeout) = options.timeout {
        http = http.timeout(timeout);
    }
    let http = http.build().map_err(|e| BuildError::Http(e.to_string()))?;
    let base_url = base_url.trim_end_matches('/').to_string();
    Ok((
        base_url,
        http,
        ClientConfig::new(credentials, options.retry),
    ))
}

/// Builder methods both clients share.
macro_rules! http_options {
    () => {
        /// The longest wait for a connection to open. Default: 10 s.
        pub fn connect_timeout(mut self, timeout: ::std::time::Duration) -> Self {
            self.http.connect_timeout = timeout;
            self
        }

        /// The longest the server may stay silent while a response is expected, between any two
        /// reads. Default: 60 s. This is what ends a request to a stalled server.
        pub fn read_timeout(mut self, timeout: ::std::time::Duration) -> Self {
            self.http.read_timeout = timeout;
            self
        }

        /// A limit on each whole attempt, from sending to the end of the body. Default: none, so
        /// that a 100 MB key list on a slow link is not cut off.
        pub fn timeout(mut self, timeout: ::std::time::Duration) -> Self {
            self.http.timeout = Some(timeout);
            self
        }

        /// When to retry. Default: [`RetryPolicy::default`](crate::RetryPolicy::default);
        /// [`RetryPolicy::none`](crate::RetryPolicy::none) turns retrying off.
        pub fn retry(mut self, policy: crate::RetryPolicy) -> Self {
            self.http.retry = policy;
            self
        }
    };
}
pub(crate) use http_options;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_are_checked() {
        let ok = |url: &str| build(url, None, HttpOptions::default()).map(|(u, ..)| u);
        assert_eq!(
            ok("https://api.elastic-cloud.com/api/v1/").unwrap(),
            "https://api.elastic-cloud.com/api/v1"
        );
        for bad in [
            "localhost:9200",
            "ftp://host",
            "http://elastic:pw@host:9200",
            "http://h/?a=b",
            "not a url",
        ] {
            let error = ok(bad).unwrap_err().to_string();
            assert!(!error.contains("pw@"), "{error}");
            assert!(error.starts_with("invalid base URL"), "{error}");
        }
    }
}
