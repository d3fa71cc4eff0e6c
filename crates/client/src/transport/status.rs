//! The HTTP status of a response, as the client's own type.

use std::fmt;

/// An HTTP status code, such as `404 Not Found`.
///
/// The client's own type, so that the public API does not change with the HTTP library under it.
/// It compares with plain numbers: `status == 404`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StatusCode(u16);

impl StatusCode {
    /// `200 OK`.
    pub const OK: Self = Self(200);
    /// `401 Unauthorized`.
    pub const UNAUTHORIZED: Self = Self(401);
    /// `403 Forbidden`.
    pub const FORBIDDEN: Self = Self(403);
    /// `404 Not Found`.
    pub const NOT_FOUND: Self = Self(404);
    /// `429 Too Many Requests`.
    pub const TOO_MANY_REQUESTS: Self = Self(429);
    /// `500 Internal Server Error`.
    pub const INTERNAL_SERVER_ERROR: Self = Self(500);
    /// `502 Bad Gateway`.
    pub const BAD_GATEWAY: Self = Self(502);
    /// `503 Service Unavailable`.
    pub const SERVICE_UNAVAILABLE: Self = Self(503);
    /// `504 Gateway Timeout`.
    pub const GATEWAY_TIMEOUT: Self = Self(504);

    /// The code `code`, if it is one HTTP allows (100 to 999).
    pub fn from_u16(code: u16) -> Option<Self> {
        (100..1000).contains(&code).then_some(Self(code))
    }

    /// The number, such as `404`.
    pub fn as_u16(self) -> u16 {
        self.0
    }

    /// The reason phrase the HTTP specification gives the code, such as `Not Found`, if it gives
    /// one.
    pub fn canonical_reason(self) -> Option<&'static str> {
        http_status(self.0).and_then(|status| status.canonical_reason())
    }

    /// Whether the code is 2xx.
    pub fn is_success(self) -> bool {
        (200..300).contains(&self.0)
    }

    /// Whether the code is 3xx.
    pub fn is_redirection(self) -> bool {
        (300..400).contains(&self.0)
    }

    /// Whether the code is 4xx.
    pub fn is_client_error(self) -> bool {
        (400..500).contains(&self.0)
    }

    /// Whether the code is 5xx.
    pub fn is_server_error(self) -> bool {
        (500..600).contains(&self.0)
    }
}

fn http_status(code: u16) -> Option<reqwest::StatusCode> {
    reqwest::StatusCode::from_u16(code).ok()
}

impl StatusCode {
    /// The status as the HTTP library gives it. Not a `From` impl: that would make the library's
    /// type part of the public API.
    pub(crate) fn from_http(status: reqwest::StatusCode) -> Self {
        Self(status.as_u16())
    }
}

impl From<StatusCode> for u16 {
    fn from(status: StatusCode) -> Self {
        status.0
    }
}

impl PartialEq<u16> for StatusCode {
    fn eq(&self, other: &u16) -> bool {
        self.0 == *other
    }
}

impl PartialEq<StatusCode> for u16 {
    fn eq(&self, other: &StatusCode) -> bool {
        *self == other.0
    }
}

/// `404 Not Found`, or only the number when the code has no standard reason.
impl fmt::Display for StatusCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.canonical_reason() {
            Some(reason) => write!(f, "{} {reason}", self.0),
            None => write!(f, "{}", self.0),
        }
    }
}

impl fmt::Debug for StatusCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "StatusCode({})", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_print_and_compare_as_people_expect() {
        let not_found = StatusCode::from_http(reqwest::StatusCode::NOT_FOUND);
        assert_eq!(not_found.to_string(), "404 Not Found");
        assert_eq!(not_found, 404);
        assert_eq!(format!("{not_found:?}"), "StatusCode(404)");
        assert!(not_found.is_client_error() && !not_found.is_success());
        let unusual = StatusCode::from_http(reqwest::StatusCode::from_u16(599).unwrap());
        assert_eq!(unusual.to_string(), "599");
    }
}
