//! The error every generated operation returns.

use std::fmt::{self, Write as _};

use elastic_apikeys_models::{cloud, elasticsearch};
use reqwest::StatusCode;

use super::response::ResponseValue;
use super::rules::RequestRuleViolation;

/// The most any error prints, in `Display` or in `Debug`, whatever the size of the body it came
/// from: an error goes to logs, and a 100 MB body (or a secret in one) must not follow it there.
pub const MAX_ERROR_TEXT: usize = 2048;

/// Why an operation failed. `E` is the API's documented error body: [`cloud::BasicFailedReply`]
/// or [`elasticsearch::ErrorResponse`].
///
/// No variant holds a credential, and neither `Display` nor `Debug` prints more than
/// [`MAX_ERROR_TEXT`] bytes.
#[non_exhaustive]
pub enum Error<E = ()> {
    /// A parameter could not be converted to what the operation takes; nothing was sent.
    InvalidRequest(String),
    /// The request breaks a rule of the API (such as `id` with `name`); nothing was sent.
    RequestRule(RequestRuleViolation),
    /// The API answered with an error status and its documented error body.
    ErrorResponse(ResponseValue<E>),
    /// Elastic Cloud answered with an error status and no body; its codes came in the
    /// `x-cloud-error-codes` header.
    ErrorCodes {
        /// The HTTP status.
        status: StatusCode,
        /// The codes, such as `root.unauthorized`.
        codes: Vec<String>,
    },
    /// `GET /_security/api_key?id=..` found no key with that id. Elasticsearch says so with a 404
    /// and an empty list (`{"api_keys": []}`), not with an error body.
    ApiKeyNotFound {
        /// The id that was asked for.
        id: String,
    },
    /// The body is not what the API documents: an HTML page from a proxy, or JSON that does not
    /// decode.
    UnexpectedBody {
        /// The HTTP status.
        status: StatusCode,
        /// The `Content-Type` the server declared, if any.
        content_type: Option<String>,
        /// The beginning of the body, at most a few hundred characters.
        excerpt: String,
        /// Why it was not accepted.
        reason: String,
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
    /// A status the API does not document for this operation (such as a 204).
    UnexpectedResponse(reqwest::Response),
    /// The server did not answer within the timeout: no connection, no response, or a body that
    /// stopped arriving.
    Timeout {
        /// The URL of the request, without credentials.
        url: String,
    },
    /// No connection could be made: refused, unreachable, or the TLS handshake failed.
    Connect {
        /// The URL of the request, without credentials.
        url: String,
        /// The cause, as the operating system or TLS library reported it.
        reason: String,
    },
    /// The TLS handshake failed: the server's certificate is not trusted, does not name the host,
    /// or has expired, or the server refused the client's certificate. Not retried: trying again
    /// would meet the same certificate.
    Tls {
        /// The URL of the request, without credentials.
        url: String,
        /// Why, and what to do about it.
        reason: String,
    },
    /// The exchange broke off: the connection was reset, or the body ended early.
    Transport {
        /// The URL of the request, without credentials.
        url: String,
        /// The cause.
        reason: String,
    },
}

impl<E> Error<E> {
    /// The HTTP status of the response the error came from, if there was one.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Self::ErrorResponse(response) => Some(response.status()),
            Self::ErrorCodes { status, .. }
            | Self::UnexpectedBody { status, .. }
            | Self::Redirect { status, .. } => Some(*status),
            Self::ApiKeyNotFound { .. } => Some(StatusCode::NOT_FOUND),
            Self::UnexpectedResponse(response) => Some(response.status()),
            _ => None,
        }
    }

    /// Whether the operation could succeed if tried again later: timeouts, broken connections,
    /// and the statuses of an overloaded or restarting service.
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Timeout { .. } | Self::Connect { .. } | Self::Transport { .. } => true,
            _ => self
                .status()
                .is_some_and(super::retry::RetryPolicy::is_retryable),
        }
    }

    pub(crate) fn from_reqwest(error: reqwest::Error) -> Self {
        let url = error
            .url()
            .map(|url| without_credentials(url.as_str()))
            .unwrap_or_default();
        if let Some(reason) = super::tls::handshake_failure(&error) {
            return Self::Tls { url, reason };
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

impl<E> From<reqwest::Error> for Error<E> {
    fn from(error: reqwest::Error) -> Self {
        Self::from_reqwest(error)
    }
}

impl<E> From<RequestRuleViolation> for Error<E> {
    fn from(violation: RequestRuleViolation) -> Self {
        Self::RequestRule(violation)
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

/// `text`, a URL as someone typed it, with everything that could be a `user:password@` part
/// replaced by `[REDACTED]`: from the end of the scheme's `://` (or the start) to the last `@`.
///
/// This reads the text, not a parse of it, so that it holds for URLs that do not parse (a bad
/// port, a space in the host) and for those that parse otherwise than meant (a `#` or `/` in a
/// password makes the rest a fragment or a path). It may hide more than the credentials, never
/// less.
pub(crate) fn redacted_url_text(text: &str) -> String {
    let Some(at) = text.rfind('@') else {
        return text.to_string();
    };
    let start = text
        .find("://")
        .map(|scheme_end| scheme_end + 3)
        .filter(|&start| start <= at)
        .unwrap_or(0);
    format!("{}[REDACTED]@{}", &text[..start], &text[at + 1..])
}

/// `url` without a `user:password@` part, should one have been given.
pub(crate) fn without_credentials(url: &str) -> String {
    match reqwest::Url::parse(url) {
        Ok(mut parsed) if !parsed.username().is_empty() || parsed.password().is_some() => {
            let _ = parsed.set_username("");
            let _ = parsed.set_password(None);
            parsed.to_string()
        }
        _ => url.to_string(),
    }
}

/// What an error body says, in one line.
pub trait ErrorBody {
    /// A one-line summary, such as `security_exception: missing authentication credentials`.
    fn summary(&self) -> String;
}

impl ErrorBody for () {
    fn summary(&self) -> String {
        String::new()
    }
}

impl ErrorBody for elasticsearch::ErrorResponse {
    fn summary(&self) -> String {
        match &self.error.reason {
            Some(reason) => format!("{}: {reason}", self.error.type_),
            None => self.error.type_.clone(),
        }
    }
}

impl ErrorBody for cloud::BasicFailedReply {
    fn summary(&self) -> String {
        let errors: Vec<String> = self
            .errors
            .iter()
            .map(|e| format!("{}: {}", e.code, e.message))
            .collect();
        errors.join("; ")
    }
}

impl Error<cloud::BasicFailedReply> {
    /// The Elastic Cloud error codes, from the body or, when there was none, from the
    /// `x-cloud-error-codes` header.
    pub fn codes(&self) -> Vec<&str> {
        match self {
            Self::ErrorResponse(reply) => reply.errors.iter().map(|e| e.code.as_str()).collect(),
            Self::ErrorCodes { codes, .. } => codes.iter().map(String::as_str).collect(),
            _ => Vec::new(),
        }
    }
}

impl<E: ErrorBody> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = Capped::new(f);
        let _ = match self {
            Self::InvalidRequest(reason) => write!(out, "invalid request: {reason}"),
            Self::RequestRule(violation) => write!(out, "{violation}"),
            Self::ErrorResponse(response) => {
                write!(out, "HTTP {}: {}", response.status(), response.summary())
            }
            Self::ErrorCodes { status, codes } => {
                write!(out, "HTTP {status} with error codes {}", codes.join(", "))
            }
            Self::ApiKeyNotFound { id } => write!(out, "no API key with id [{id}]"),
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
            Self::UnexpectedResponse(response) => write!(
                out,
                "unexpected HTTP {} from {}",
                response.status(),
                without_credentials(response.url().as_str())
            ),
            Self::Timeout { url } => write!(out, "no answer from {url} within the timeout"),
            Self::Connect { url, reason } => write!(out, "cannot connect to {url}: {reason}"),
            Self::Tls { url, reason } => write!(out, "TLS with {url} failed: {reason}"),
            Self::Transport { url, reason } => {
                write!(out, "the exchange with {url} broke off: {reason}")
            }
        };
        out.finish()
    }
}

impl<E: fmt::Debug> fmt::Debug for Error<E> {
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
            Self::ErrorResponse(response) => debug("ErrorResponse", response),
            Self::ErrorCodes { status, codes } => debug("ErrorCodes", &(status, codes)),
            Self::ApiKeyNotFound { id } => debug("ApiKeyNotFound", id),
            Self::UnexpectedBody {
                status,
                content_type,
                excerpt,
                reason,
            } => debug("UnexpectedBody", &(status, content_type, excerpt, reason)),
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
            Self::UnexpectedResponse(response) => debug(
                "UnexpectedResponse",
                &(
                    response.status(),
                    without_credentials(response.url().as_str()),
                ),
            ),
            Self::Timeout { url } => debug("Timeout", url),
            Self::Connect { url, reason } => debug("Connect", &(url, reason)),
            Self::Tls { url, reason } => debug("Tls", &(url, reason)),
            Self::Transport { url, reason } => debug("Transport", &(url, reason)),
        };
        out.finish()
    }
}

impl<E: ErrorBody + fmt::Debug> std::error::Error for Error<E> {}

/// A writer that passes at most [`MAX_ERROR_TEXT`] bytes to a formatter, then an ellipsis.
struct Capped<'a, 'b> {
    f: &'a mut fmt::Formatter<'b>,
    left: usize,
    cut: bool,
    failed: bool,
}

const ELLIPSIS: &str = "…";

impl<'a, 'b> Capped<'a, 'b> {
    fn new(f: &'a mut fmt::Formatter<'b>) -> Self {
        Self {
            f,
            left: MAX_ERROR_TEXT - ELLIPSIS.len(),
            cut: false,
            failed: false,
        }
    }

    fn finish(self) -> fmt::Result {
        if self.failed {
            return Err(fmt::Error);
        }
        if self.cut {
            self.f.write_str(ELLIPSIS)?;
        }
        Ok(())
    }
}

impl fmt::Write for Capped<'_, '_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        if self.cut {
            return Ok(());
        }
        let mut end = s.len().min(self.left);
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        if end < s.len() {
            self.cut = true;
        }
        self.left -= end;
        if self.f.write_str(&s[..end]).is_err() {
            self.failed = true;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_and_debug_are_capped_on_char_boundaries() {
        let error: Error<()> = Error::UnexpectedBody {
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
        let short: Error<()> = Error::ApiKeyNotFound { id: "abc".into() };
        assert_eq!(short.to_string(), "no API key with id [abc]");
        assert_eq!(format!("{short:?}"), "ApiKeyNotFound(\"abc\")");
    }

    #[test]
    fn typed_urls_lose_whatever_could_be_credentials() {
        for (typed, shown) in [
            (
                "http://admin:PW@127.0.0.1:99999",
                "http://[REDACTED]@127.0.0.1:99999",
            ),
            ("http://admin:P#W@[::1:9200", "http://[REDACTED]@[::1:9200"),
            ("http://admin:P/W@host name", "http://[REDACTED]@host name"),
            ("admin:PW@127.0.0.1:9200", "[REDACTED]@127.0.0.1:9200"),
            ("http://a@b:PW@host", "http://[REDACTED]@host"),
            ("admin:PW@http://host", "[REDACTED]@http://host"),
            ("http://127.0.0.1:9200", "http://127.0.0.1:9200"),
            ("", ""),
        ] {
            assert_eq!(redacted_url_text(typed), shown, "{typed}");
        }
    }

    #[test]
    fn urls_lose_their_credentials() {
        assert_eq!(
            without_credentials("https://elastic:s3cr3t@es.example:9200/_security/api_key?id=a"),
            "https://es.example:9200/_security/api_key?id=a"
        );
        assert_eq!(
            without_credentials("http://localhost:9200/"),
            "http://localhost:9200/"
        );
    }
}
