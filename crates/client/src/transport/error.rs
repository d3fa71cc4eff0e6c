//! The error every operation of either service returns.

use std::fmt::{self, Write as _};

use elastic_apikeys_models::stream::StreamError;

use super::api_error::{ApiError, NotFound};
use super::capped::Capped;
use super::rules::RequestRuleViolation;
use super::status::StatusCode;
use super::tls::TlsFailure;
use super::urls::without_credentials;

/// Why an operation failed, for both services.
///
/// Match the variants that matter to the caller and keep a `_` arm: new variants may be added in
/// a minor release. [`status`](Self::status), [`codes`](Self::codes) and
/// [`is_transient`](Self::is_transient) answer the usual questions without matching.
///
/// No variant holds a credential, and neither `Display` nor `Debug` prints more than
/// [`MAX_ERROR_TEXT`](super::MAX_ERROR_TEXT) bytes.
#[non_exhaustive]
pub enum Error {
    /// A parameter could not be converted to what the operation takes; nothing was sent.
    InvalidRequest(String),
    /// The request breaks a rule of the API (such as `id` with `name`); nothing was sent.
    RequestRule(RequestRuleViolation),
    /// The API answered with an error status and its documented error body.
    Api(ApiError),
    /// What the request named does not exist, such as an API key id (the operations whose spec
    /// marks their answer with `x-not-found`).
    NotFound(NotFound),
    /// The body is not what the API documents: an HTML page from a proxy, or JSON that does not
    /// decode.
    UnexpectedBody {
        /// The HTTP status.
        status: StatusCode,
        /// The `Content-Type` the server declared, if any.
        content_type: Option<String>,
        /// The beginning of the body, at most a few hundred characters. The values of the
        /// fields that the spec marks as secrets in the operation's answers (`format:
        /// password`: a new key's `api_key` and `encoded`, Elastic Cloud's `key`) are replaced
        /// by `"[REDACTED]"`.
        excerpt: String,
        /// Why it was not accepted. For an operation whose answers hold secrets, it quotes no
        /// value of the body.
        reason: String,
    },
    /// A status the API does not document for this operation, such as a `204`.
    UnexpectedStatus {
        /// The URL of the request, without credentials.
        url: String,
        /// The HTTP status.
        status: StatusCode,
        /// The `Content-Type` the server declared, if any.
        content_type: Option<String>,
        /// The beginning of the body, at most a few hundred characters, with secrets redacted
        /// as in [`Error::UnexpectedBody`].
        excerpt: String,
    },
    /// The server answered with a redirect (`3xx`), which is not followed: neither API
    /// redirects, and following would send the credentials wherever the `Location` points. A
    /// base URL that has moved is to be changed where it is configured.
    Redirect {
        /// The URL of the request, without credentials.
        url: String,
        /// The HTTP status, such as `302 Found`.
        status: StatusCode,
        /// Where the server pointed, resolved against the request's URL, with anything that
        /// could be a `user:password@` part replaced by `[REDACTED]`; `None` without a
        /// `Location` header.
        location: Option<String>,
    },
    /// The response body is larger than the client's `max_body_size`. It was not read whole:
    /// the error is raised from the `Content-Length`, or as soon as the body grows past the
    /// limit.
    BodyTooLarge {
        /// The URL of the request, without credentials.
        url: String,
        /// The limit, in bytes.
        limit: u64,
        /// The length the server declared in `Content-Length`, if it declared one.
        declared: Option<u64>,
    },
    /// A list streamed by `send_stream()` is not what the API documents: not the documented
    /// object, no such list, or an element that does not decode (after which the stream goes on
    /// with the next element).
    Stream(StreamError),
    /// The server did not answer within the timeout: no connection, no response, or a body that
    /// stopped arriving.
    Timeout {
        /// The URL of the request, without credentials.
        url: String,
    },
    /// No connection could be made: refused or unreachable.
    Connect {
        /// The URL of the request, without credentials.
        url: String,
        /// The cause, as the operating system reported it.
        reason: String,
    },
    /// The TLS handshake failed: the server's certificate is not trusted, does not name the host,
    /// or has expired, or the server refused the client's certificate. Not retried: trying again
    /// would meet the same certificate.
    Tls {
        /// The URL of the request, without credentials.
        url: String,
        /// What failed.
        kind: TlsFailure,
        /// The TLS library's words for it.
        reason: String,
        /// What to do about it; empty when there is no advice to give.
        advice: &'static str,
    },
    /// The exchange broke off: the connection was reset, or the body ended early.
    Transport {
        /// The URL of the request, without credentials.
        url: String,
        /// The cause.
        reason: String,
    },
}

impl Error {
    /// The HTTP status of the response the error came from, if there was one.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Self::Api(error) => Some(error.status()),
            Self::NotFound(not_found) => Some(
                not_found
                    .error
                    .as_ref()
                    .map_or(StatusCode::NOT_FOUND, ApiError::status),
            ),
            Self::UnexpectedBody { status, .. }
            | Self::UnexpectedStatus { status, .. }
            | Self::Redirect { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The machine-readable codes of the service's error answer: Elastic Cloud's codes (such as
    /// `root.unauthorized`, from the body or the `x-cloud-error-codes` header), or
    /// Elasticsearch's error type (such as `security_exception`). Empty when the error is not
    /// an answer of the service.
    pub fn codes(&self) -> Vec<&str> {
        match self {
            Self::Api(error) => error.codes(),
            Self::NotFound(not_found) => not_found.codes(),
            _ => Vec::new(),
        }
    }

    /// The service's error answer, if the error is one.
    pub fn api_error(&self) -> Option<&ApiError> {
        match self {
            Self::Api(error) => Some(error),
            Self::NotFound(not_found) => not_found.error.as_ref(),
            _ => None,
        }
    }

    /// Whether the error says that what the request named does not exist.
    pub fn is_not_found(&self) -> bool {
        matches!(self, Self::NotFound(_))
    }

    /// Whether the failure is transient: a timeout, a broken connection, or the status of an
    /// overloaded or restarting service, which a later try may not meet.
    ///
    /// It says nothing of whether sending the request again is safe: a create that timed out may
    /// have made its key, and a second try makes another. Whether an operation may be sent twice
    /// is its builder's `RETRY_SAFE` (the spec's `x-retry`), and the client's own retries
    /// ([`RetryPolicy`](super::RetryPolicy)) go only to operations where it is `true`. Retry
    /// by hand only when both hold.
    pub fn is_transient(&self) -> bool {
        match self {
            Self::Timeout { .. } | Self::Connect { .. } | Self::Transport { .. } => true,
            _ => self
                .status()
                .is_some_and(super::retry::RetryPolicy::is_transient_status),
        }
    }

    /// The former name of [`is_transient`](Self::is_transient), which read as "safe to retry".
    #[deprecated(
        note = "renamed `is_transient`: it does not say that sending again is safe; see the \
                operation builder's `RETRY_SAFE`"
    )]
    pub fn is_retryable(&self) -> bool {
        self.is_transient()
    }

    /// The error of a request that failed in the HTTP client.
    pub(crate) fn from_reqwest(error: reqwest::Error) -> Self {
        let url = error
            .url()
            .map(|url| without_credentials(url.as_str()))
            .unwrap_or_default();
        if let Some(failure) = super::tls::handshake_failure(&error) {
            return Self::Tls {
                url,
                kind: failure.kind,
                reason: failure.reason,
                advice: failure.advice,
            };
        }
        let reason = root_cause(&error);
        if error.is_timeout() {
            Self::Timeout { url }
        } else if error.is_connect() {
            Self::Connect { url, reason }
        } else if error.is_builder() {
            Self::InvalidRequest(reason)
        } else {
            Self::Transport { url, reason }
        }
    }
}

impl From<RequestRuleViolation> for Error {
    fn from(violation: RequestRuleViolation) -> Self {
        Self::RequestRule(violation)
    }
}

impl From<StreamError> for Error {
    fn from(error: StreamError) -> Self {
        Self::Stream(error)
    }
}

/// The innermost cause of an error, which says what happened ("Connection refused") where the
/// outer ones say where.
fn root_cause(error: &(dyn std::error::Error + 'static)) -> String {
    let mut cause = error;
    while let Some(source) = cause.source() {
        cause = source;
    }
    cause.to_string()
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = Capped::new(f);
        let _ = match self {
            Self::InvalidRequest(reason) => write!(out, "invalid request: {reason}"),
            Self::RequestRule(violation) => write!(out, "{violation}"),
            Self::Api(error) => write!(out, "{error}"),
            Self::NotFound(not_found) => write!(out, "{not_found}"),
            Self::UnexpectedBody {
                status,
                content_type,
                excerpt,
                reason,
            } => write!(
                out,
                "HTTP {status} with an unexpected {} body ({reason}): {excerpt}",
                content_type.as_deref().unwrap_or("untyped")
            ),
            Self::UnexpectedStatus {
                url,
                status,
                excerpt,
                ..
            } => {
                if excerpt.is_empty() {
                    write!(out, "unexpected HTTP {status} from {url}")
                } else {
                    write!(out, "unexpected HTTP {status} from {url}: {excerpt}")
                }
            }
            Self::Redirect {
                url,
                status,
                location,
            } => write!(
                out,
                "HTTP {status} from {url} redirects to {}; redirects are not followed, so that \
                 credentials never go to another address: use the address it points to",
                location
                    .as_deref()
                    .unwrap_or("nowhere (no Location header)")
            ),
            Self::BodyTooLarge {
                url,
                limit,
                declared,
            } => {
                let size = match declared {
                    Some(length) => format!("is {length} bytes long"),
                    None => "grew".to_string(),
                };
                write!(
                    out,
                    "the response from {url} {size}, past the limit of {limit} bytes on a body \
                     decoded whole (max_body_size)"
                )
            }
            Self::Stream(error) => write!(out, "{error}"),
            Self::Timeout { url } => write!(out, "no answer from {url} within the timeout"),
            Self::Connect { url, reason } => write!(out, "cannot connect to {url}: {reason}"),
            Self::Tls {
                url,
                reason,
                advice,
                ..
            } => {
                if advice.is_empty() {
                    write!(out, "TLS with {url} failed: {reason}")
                } else {
                    write!(out, "TLS with {url} failed: {reason}: {advice}")
                }
            }
            Self::Transport { url, reason } => {
                write!(out, "the exchange with {url} broke off: {reason}")
            }
        };
        out.finish()
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let alternate = f.alternate();
        let mut out = Capped::new(f);
        let mut debug = |name: &str, value: &dyn fmt::Debug| {
            if alternate {
                write!(out, "{name}({value:#?})")
            } else {
                write!(out, "{name}({value:?})")
            }
        };
        let _ = match self {
            Self::InvalidRequest(reason) => debug("InvalidRequest", reason),
            Self::RequestRule(violation) => debug("RequestRule", violation),
            Self::Api(error) => debug("Api", error),
            Self::NotFound(not_found) => debug("NotFound", not_found),
            Self::UnexpectedBody {
                status,
                content_type,
                excerpt,
                reason,
            } => debug("UnexpectedBody", &(status, content_type, excerpt, reason)),
            Self::UnexpectedStatus {
                url,
                status,
                content_type,
                excerpt,
            } => debug("UnexpectedStatus", &(url, status, content_type, excerpt)),
            Self::Redirect {
                url,
                status,
                location,
            } => debug("Redirect", &(url, status, location)),
            Self::BodyTooLarge {
                url,
                limit,
                declared,
            } => debug("BodyTooLarge", &(url, limit, declared)),
            Self::Stream(error) => debug("Stream", error),
            Self::Timeout { url } => debug("Timeout", url),
            Self::Connect { url, reason } => debug("Connect", &(url, reason)),
            Self::Tls {
                url, kind, reason, ..
            } => debug("Tls", &(url, kind, reason)),
            Self::Transport { url, reason } => debug("Transport", &(url, reason)),
        };
        out.finish()
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::RequestRule(violation) => Some(violation),
            Self::Stream(error) => Some(error),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::capped::{ELLIPSIS, MAX_ERROR_TEXT};
    use super::*;

    #[test]
    fn display_and_debug_are_capped_on_char_boundaries() {
        let error = Error::UnexpectedBody {
            status: StatusCode::BAD_GATEWAY,
            content_type: Some("text/html".into()),
            excerpt: "é".repeat(10_000),
            reason: "expected value at line 1 column 1".into(),
        };
        for text in [
            error.to_string(),
            format!("{error:?}"),
            format!("{error:#?}"),
        ] {
            assert!(text.len() <= MAX_ERROR_TEXT, "{}", text.len());
            assert!(text.ends_with(ELLIPSIS));
        }
        let short = Error::NotFound(NotFound {
            what: "API key",
            parameter: "id",
            label: "id",
            value: Some("abc".into()),
            error: None,
        });
        assert_eq!(short.to_string(), "no API key with id [abc]");
        assert_eq!(short.status(), Some(StatusCode::NOT_FOUND));
        assert!(short.is_not_found() && !short.is_transient());
    }
}
