//! Response headers that a spec declares (`components/headers`), read into their types. The
//! generator writes one type per declared header into its service's `headers` module (such as
//! [`cloud::headers::ApiKeyExpiration`](crate::cloud::headers::ApiKeyExpiration)); any answer's
//! [`Headers::typed`] reads it.

use std::fmt;

use chrono::{DateTime, Utc};

use super::headers::Headers;

/// A response header a spec declares, and how its value is read.
///
/// The generator implements it for each header of a service's `headers` module; read one with
/// [`Headers::typed`], on a [`ResponseValue`](super::ResponseValue) or an
/// [`ApiError`](super::ApiError).
pub trait TypedHeader {
    /// The header's name, in lowercase.
    const NAME: &'static str;
    /// What it holds.
    type Value;
    /// Reads `text`, a value of the header; the reason when it cannot.
    fn parse(text: &str) -> Result<Self::Value, String>;
}

/// A declared header whose value could not be read. It names the header and why, and never
/// quotes the value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidHeader {
    name: &'static str,
    reason: String,
}

impl InvalidHeader {
    /// The header's name, in lowercase.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// Why its value could not be read.
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

impl fmt::Display for InvalidHeader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the {} header cannot be read: {}",
            self.name, self.reason
        )
    }
}

impl std::error::Error for InvalidHeader {}

impl Headers {
    /// The value of the declared header `H`: `Ok(None)` when the answer does not have it, an
    /// error when its first value is not text or cannot be read.
    ///
    /// ```
    /// # fn show(answer: &elastic_apikeys_client::transport::ResponseValue<()>) {
    /// use elastic_apikeys_client::cloud::headers::ApiKeyExpiration;
    ///
    /// match answer.headers().typed::<ApiKeyExpiration>() {
    ///     Ok(Some(expires)) => println!("the key in use expires {expires}"),
    ///     Ok(None) => println!("the key in use never expires"),
    ///     Err(unreadable) => println!("{unreadable}"),
    /// }
    /// # }
    /// ```
    pub fn typed<H: TypedHeader>(&self) -> Result<Option<H::Value>, InvalidHeader> {
        let invalid = |reason: String| InvalidHeader {
            name: H::NAME,
            reason,
        };
        if self.get_all(H::NAME).next().is_none() && self.iter().any(|(n, _)| n == H::NAME) {
            return Err(invalid("its value is not text".to_string()));
        }
        match self.get(H::NAME) {
            None => Ok(None),
            Some(text) => H::parse(text).map(Some).map_err(invalid),
        }
    }
}

/// The readers of the generated header types, one per schema the generator can type.
pub(crate) mod values {
    use super::{DateTime, Utc};

    /// A `format: date-time` header: RFC 3339, as the APIs write dates in their bodies, or an
    /// HTTP date (`Sun, 06 Nov 1994 08:49:37 GMT`), as HTTP writes them in headers.
    pub(crate) fn date_time(text: &str) -> Result<DateTime<Utc>, String> {
        let text = text.trim();
        DateTime::parse_from_rfc3339(text)
            .or_else(|_| DateTime::parse_from_rfc2822(text))
            .map(|at| at.with_timezone(&Utc))
            .map_err(|_| "it is neither an RFC 3339 date nor an HTTP date".to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::values::date_time;

    #[test]
    fn dates_are_read_in_both_forms_and_nothing_else() {
        let expected = "2026-12-09T12:00:00Z".parse().unwrap();
        assert_eq!(date_time("2026-12-09T12:00:00Z"), Ok(expected));
        assert_eq!(date_time(" 2026-12-09T13:00:00+01:00 "), Ok(expected));
        assert_eq!(date_time("Wed, 09 Dec 2026 12:00:00 GMT"), Ok(expected));
        assert!(date_time("next tuesday").is_err());
        assert!(date_time("").is_err());
    }
}
