//! Why a client could not be built: the one error of the builders, of their TLS, proxy and
//! credential settings alike.

use std::fmt;

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
    /// A CA certificate given to trust cannot be used: the file cannot be read, holds no
    /// certificate, or is not PEM.
    CaCertificate {
        /// The file's path, or `(PEM text)`. A value that cannot be a path (PEM or anything with
        /// a line break) is not shown, and whatever could be a URL's `user:password@` part is
        /// `[REDACTED]`.
        from: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The client certificate cannot be used.
    ClientCertificate {
        /// The file's path, or `(PEM text)`, shown as for [`CaCertificate`](Self::CaCertificate).
        from: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The client certificate's private key cannot be used. The reason never quotes the key.
    ClientKey {
        /// The file's path, or `(PEM text)`, shown as for [`CaCertificate`](Self::CaCertificate).
        from: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The CA fingerprint is not a SHA-256 fingerprint in hex.
    InvalidFingerprint {
        /// What is wrong with it; the value itself is not repeated.
        reason: String,
    },
    /// TLS settings that contradict each other, such as a CA fingerprint and a CA certificate
    /// (the fingerprint replaces every other source of trust).
    ConflictingTls(String),
    /// The proxy URL, given to the builder or read from the environment, is unusable.
    InvalidProxy {
        /// The URL, with everything that could be a `user:password@` part replaced by
        /// `[REDACTED]`.
        url: String,
        /// Where it came from: `proxy()`, or the environment variable, such as `HTTPS_PROXY`.
        from: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The Elastic Cloud ID is not `name:base64(host$es_uuid$kibana_uuid)`.
    InvalidCloudId {
        /// What is wrong with it; neither the ID nor what it decodes to is repeated.
        reason: String,
    },
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
            Self::CaCertificate { from, reason } => {
                write!(f, "cannot use the CA certificate {from}: {reason}")
            }
            Self::ClientCertificate { from, reason } => {
                write!(f, "cannot use the client certificate {from}: {reason}")
            }
            Self::ClientKey { from, reason } => {
                write!(f, "cannot use the client key {from}: {reason}")
            }
            Self::InvalidFingerprint { reason } => write!(
                f,
                "invalid CA fingerprint: {reason}; give the CA certificate's SHA-256 \
                 fingerprint, 64 hex digits with or without colons, as Elasticsearch prints it \
                 when it first starts"
            ),
            Self::ConflictingTls(reason) => write!(f, "contradictory TLS settings: {reason}"),
            Self::InvalidProxy { url, from, reason } => {
                write!(f, "invalid proxy URL {url} (from {from}): {reason}")
            }
            Self::InvalidCloudId { reason } => write!(
                f,
                "invalid Cloud ID: {reason}; copy it whole from the deployment's page of the \
                 Elastic Cloud console (name:base64 text)"
            ),
        }
    }
}

impl std::error::Error for BuildError {}
