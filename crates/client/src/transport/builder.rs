//! The HTTP settings every client is built with.

use std::fmt;
use std::time::Duration;

use super::config::ClientConfig;
use super::credentials::Credentials;
use super::error::redacted_url_text;
use super::response::BodyLimit;
use super::retry::RetryPolicy;

/// The `User-Agent` of every request.
pub const USER_AGENT: &str = concat!("elastic-apikeys/", env!("CARGO_PKG_VERSION"));

/// The default of `max_body_size`: 256 MiB, about 180,000 Elasticsearch keys with their
/// `limited_by` roles, which decode into about 1 GiB. Longer lists are what `send_stream()` is
/// for.
pub const DEFAULT_MAX_BODY_SIZE: u64 = 256 * 1024 * 1024;

/// Timeouts, retries and limits, shared by both clients' builders.
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
    pub(crate) max_body_size: u64,
}

impl Default for HttpOptions {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(10),
            read_timeout: Duration::from_secs(60),
            timeout: None,
            retry: RetryPolicy::default(),
            max_body_size: DEFAULT_MAX_BODY_SIZE,
        }
    }
}

/// Why a client could not be built.
#[derive(Debug)]
#[non_exhaustive]
pub enum BuildError {
    /// The base URL is not an absolute `http` or `https` URL.
    InvalidBaseUrl {
        /// The URL, with everything that could be a `user:password@` part replaced by
        /// `[REDACTED]`, whether it parses or not.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The base URL holds a username or password, where errors and logs would show them. They
    /// belong in the builder's credentials.
    CredentialsInUrl {
        /// The URL, without its credentials.
        url: String,
    },
    /// The credentials cannot be sent in a header.
    InvalidCredentials(super::credentials::InvalidCredentials),
    /// No base URL was given, and the service has no default one.
    MissingBaseUrl,
    /// The HTTP client could not be set up (its TLS configuration, for instance).
    Http(String),
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidBaseUrl { url, reason } => write!(f, "invalid base URL {url}: {reason}"),
            Self::CredentialsInUrl { url } => write!(
                f,
                "invalid base URL {url}: credentials do not belong in the URL, where errors and \
                 logs would show them; give them to the client builder"
            ),
            Self::InvalidCredentials(e) => e.fmt(f),
            Self::MissingBaseUrl => {
                f.write_str("no base URL: give the builder one with base_url()")
            }
            Self::Http(reason) => write!(f, "cannot set up the HTTP client: {reason}"),
        }
    }
}

impl std::error::Error for BuildError {}

/// Checks `base_url`, and builds the HTTP client and the configuration a generated client needs.
///
/// The URL is trimmed first: a stray space from a copied variable is never what was meant, and
/// would otherwise end up percent-encoded in every path.
pub(crate) fn build(
    base_url: &str,
    credentials: Option<Credentials>,
    options: HttpOptions,
) -> Result<(String, reqwest::Client, ClientConfig), BuildError> {
    let base_url = base_url.trim();
    let invalid = |reason: &str| BuildError::InvalidBaseUrl {
        url: redacted_url_text(base_url),
        reason: reason.to_string(),
    };
    let url = reqwest::Url::parse(base_url).map_err(|e| invalid(&e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(invalid("the scheme must be http or https"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(BuildError::CredentialsInUrl {
            url: redacted_url_text(base_url),
        });
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
        .read_timeout(options.read_timeout)
        // Neither API redirects. Following one would send the credentials to wherever a server,
        // or whoever can answer in its place, points; a 3xx is `Error::Redirect` instead.
        .redirect(reqwest::redirect::Policy::none());
    if let Some(timeout) = options.timeout {
        http = http.timeout(timeout);
    }
    let http = http.build().map_err(|e| BuildError::Http(e.to_string()))?;
    let base_url = base_url.trim_end_matches('/').to_string();
    Ok((
        base_url,
        http,
        ClientConfig {
            credentials,
            retry: options.retry,
            body_limit: BodyLimit(options.max_body_size),
        },
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

        /// The largest response body decoded whole, in bytes. Default:
        /// [`DEFAULT_MAX_BODY_SIZE`](crate::transport::DEFAULT_MAX_BODY_SIZE) (256 MiB). A larger
        /// body is [`Error::BodyTooLarge`](crate::Error::BodyTooLarge), found from its
        /// `Content-Length` before it is read, or as soon as it grows past the limit; so a server
        /// that sends without end cannot exhaust memory. `send_stream()` is not limited: it holds
        /// one element at a time.
        pub fn max_body_size(mut self, bytes: u64) -> Self {
            self.http.max_body_size = bytes;
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
        assert_eq!(
            ok(" \thttp://127.0.0.1:9200/ \n").unwrap(),
            "http://127.0.0.1:9200",
            "surrounding whitespace is trimmed"
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
        assert!(matches!(
            ok("http://elastic:pw@host:9200"),
            Err(BuildError::CredentialsInUrl { url }) if url == "http://[REDACTED]@host:9200"
        ));
    }
}
