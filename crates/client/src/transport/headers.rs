//! The headers of a response, as the client's own type.

use std::fmt;

/// The headers of a response. Names are case-insensitive.
///
/// The client's own type, so that the public API does not change with the HTTP library under it.
/// `Debug` shows every header but the values of those that can carry a session or credentials
/// (`set-cookie`, `cookie`, `authorization`, `proxy-authorization`).
#[derive(Clone, Default, PartialEq)]
pub struct Headers(reqwest::header::HeaderMap);

/// Headers whose values `Debug` does not show.
const SENSITIVE: [&str; 4] = [
    "set-cookie",
    "cookie",
    "authorization",
    "proxy-authorization",
];

impl Headers {
    /// The first value of `name`, if it has one that is text.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).and_then(|value| value.to_str().ok())
    }

    /// Every value of `name` that is text, in the order received.
    pub fn get_all<'a>(&'a self, name: &str) -> impl Iterator<Item = &'a str> + 'a {
        self.0
            .get_all(name)
            .into_iter()
            .filter_map(|value| value.to_str().ok())
    }

    /// Every header as a name (lowercase) and its raw value, in the order received.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &[u8])> {
        self.0
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_bytes()))
    }

    /// How many values there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl Headers {
    /// The headers as the HTTP library gives them. Not a `From` impl: that would make the
    /// library's type part of the public API.
    pub(crate) fn from_http(headers: reqwest::header::HeaderMap) -> Self {
        Self(headers)
    }
}

/// Builds headers from `(name, value)` pairs, as a test or a mock does. Pairs that are not a
/// valid header name or value are left out.
impl<'a> FromIterator<(&'a str, &'a str)> for Headers {
    fn from_iter<I: IntoIterator<Item = (&'a str, &'a str)>>(pairs: I) -> Self {
        let mut headers = reqwest::header::HeaderMap::new();
        for (name, value) in pairs {
            if let (Ok(name), Ok(value)) = (
                reqwest::header::HeaderName::from_bytes(name.as_bytes()),
                reqwest::header::HeaderValue::from_str(value),
            ) {
                headers.append(name, value);
            }
        }
        Self(headers)
    }
}

impl fmt::Debug for Headers {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        for (name, value) in self.iter() {
            if SENSITIVE.contains(&name) {
                map.entry(&name, &elastic_apikeys_models::REDACTED);
            } else {
                map.entry(&name, &String::from_utf8_lossy(value));
            }
        }
        map.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_case_insensitive_and_sessions_are_not_shown() {
        let headers: Headers = [
            ("Content-Type", "application/json"),
            ("Set-Cookie", "sid=s3cr3t"),
            ("X-Cloud-Error-Codes", "a"),
            ("x-cloud-error-codes", "b"),
            ("bad name", "x"),
        ]
        .into_iter()
        .collect();
        assert_eq!(headers.get("content-type"), Some("application/json"));
        assert_eq!(
            headers.get_all("X-CLOUD-ERROR-CODES").collect::<Vec<_>>(),
            ["a", "b"]
        );
        assert_eq!(headers.len(), 4);
        let debug = format!("{headers:?}");
        assert!(
            !debug.contains("s3cr3t") && debug.contains("set-cookie"),
            "{debug}"
        );
    }
}
