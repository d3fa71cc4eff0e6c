//! The error answers the APIs document, the same type for both services.

use std::fmt;

use elastic_apikeys_models::{cloud, elasticsearch};

use super::headers::Headers;
use super::status::StatusCode;

/// The body of an error answer, as the service documents it.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum ErrorBody {
    /// Elasticsearch's `{"error": {"type": .., "reason": ..}, "status": ..}`.
    Elasticsearch(elasticsearch::ErrorResponse),
    /// Elastic Cloud's `{"errors": [{"code": .., "message": ..}]}`.
    Cloud(cloud::BasicFailedReply),
    /// No body: Elastic Cloud sent the codes only, in its `x-cloud-error-codes` header.
    CloudCodes(Vec<String>),
}

impl ErrorBody {
    /// The machine-readable codes of the error: Elastic Cloud's codes (such as
    /// `api_keys.key_not_found`), or Elasticsearch's error type (such as `security_exception`).
    pub fn codes(&self) -> Vec<&str> {
        match self {
            Self::Elasticsearch(body) => vec![body.error.type_.as_str()],
            Self::Cloud(body) => body.errors.iter().map(|e| e.code.as_str()).collect(),
            Self::CloudCodes(codes) => codes.iter().map(String::as_str).collect(),
        }
    }

    /// What the body says, in one line: `security_exception: missing authentication
    /// credentials`, or each Elastic Cloud error as `code: message`.
    pub fn summary(&self) -> String {
        match self {
            Self::Elasticsearch(body) => match body.error.reason.value() {
                Some(reason) => format!("{}: {reason}", body.error.type_),
                None => body.error.type_.to_string(),
            },
            Self::Cloud(body) => body
                .errors
                .iter()
                .map(|e| format!("{}: {}", e.code, e.message))
                .collect::<Vec<_>>()
                .join("; "),
            Self::CloudCodes(codes) => format!("error codes {}", codes.join(", ")),
        }
    }

    /// Every cause of an Elasticsearch error, the error itself first, then each of its
    /// `root_cause` and `caused_by` in turn, at any depth: where the server's own words for a
    /// failure are, which a search whose shards all failed (`search_phase_execution_exception`,
    /// "all shards failed") gives only in its causes. Empty for Elastic Cloud's errors.
    pub fn causes(&self) -> Vec<&elasticsearch::ErrorCause> {
        fn walk<'a>(
            cause: &'a elasticsearch::ErrorCause,
            into: &mut Vec<&'a elasticsearch::ErrorCause>,
        ) {
            into.push(cause);
            for root in cause.root_cause.iter().flatten() {
                walk(root, into);
            }
            if let Some(caused_by) = &cause.caused_by {
                walk(caused_by, into);
            }
        }
        let mut causes = Vec::new();
        if let Self::Elasticsearch(body) = self {
            walk(&body.error, &mut causes);
        }
        causes
    }
}

impl From<elasticsearch::ErrorResponse> for ErrorBody {
    fn from(body: elasticsearch::ErrorResponse) -> Self {
        Self::Elasticsearch(body)
    }
}

impl From<cloud::BasicFailedReply> for ErrorBody {
    fn from(body: cloud::BasicFailedReply) -> Self {
        Self::Cloud(body)
    }
}

/// An error answer: its status, its headers and its documented body.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    status: StatusCode,
    headers: Headers,
    body: ErrorBody,
}

impl ApiError {
    /// An error answer, as a test or a mock builds one.
    pub fn new(status: StatusCode, headers: Headers, body: impl Into<ErrorBody>) -> Self {
        Self {
            status,
            headers,
            body: body.into(),
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &Headers {
        &self.headers
    }

    /// The body.
    pub fn body(&self) -> &ErrorBody {
        &self.body
    }

    /// The codes of the body; see [`ErrorBody::codes`].
    pub fn codes(&self) -> Vec<&str> {
        self.body.codes()
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HTTP {}: {}", self.status, self.body.summary())
    }
}

/// What a request named does not exist: the answer an operation's spec marks with
/// `x-not-found` (`GET /_security/api_key?id=..`, `GET /users/auth/keys/{api_key_id}`).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct NotFound {
    /// What was asked for, such as `API key`.
    pub what: &'static str,
    /// The request parameter that named it, such as `id` or `api_key_id`.
    pub parameter: &'static str,
    /// How messages name that parameter, such as `id`.
    pub label: &'static str,
    /// That parameter's value, if the request had one.
    pub value: Option<String>,
    /// The error answer, where the service sent one. Elastic Cloud does; Elasticsearch answers
    /// an unknown id with a 404 and an empty list (`{"api_keys": []}`) instead.
    pub error: Option<ApiError>,
}

impl NotFound {
    /// The codes of the error answer, if there was one.
    pub fn codes(&self) -> Vec<&str> {
        self.error.as_ref().map(ApiError::codes).unwrap_or_default()
    }
}

/// `no API key with id [VuaCfGcBCdbkQm-e5aOx]`.
impl fmt::Display for NotFound {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.value {
            Some(value) => write!(f, "no {} with {} [{value}]", self.what, self.label),
            None => write!(f, "no such {}", self.what),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn causes_are_the_error_then_its_root_causes_and_caused_by_chain() {
        let body: elasticsearch::ErrorResponse = serde_json::from_value(serde_json::json!({
            "error": {
                "root_cause": [{"type": "illegal_argument_exception", "reason": "text field"}],
                "type": "search_phase_execution_exception",
                "reason": "all shards failed",
                "caused_by": {"type": "illegal_argument_exception", "reason": "deeper",
                    "caused_by": {"type": "io_exception", "reason": "deepest"}}
            },
            "status": 400
        }))
        .unwrap();
        let body = ErrorBody::from(body);
        let types: Vec<&str> = body.causes().iter().map(|c| c.type_.as_str()).collect();
        assert_eq!(
            types,
            [
                "search_phase_execution_exception",
                "illegal_argument_exception",
                "illegal_argument_exception",
                "io_exception"
            ]
        );
        assert!(ErrorBody::CloudCodes(vec!["x".into()]).causes().is_empty());
    }
}
