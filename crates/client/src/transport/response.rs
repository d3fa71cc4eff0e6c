//! Decoding a response body into the operation's type, and telling what went wrong when it does
//! not decode.

use std::ops::{Deref, DerefMut};

use elastic_apikeys_models::elasticsearch::GetApiKeyResponse;
use reqwest::StatusCode;
use reqwest::header::{CONTENT_TYPE, HeaderMap};
use serde::de::DeserializeOwned;

use super::builder::DEFAULT_MAX_BODY_SIZE;
use super::error::{Error, ErrorBody, without_credentials};

/// A decoded response: the body, with the status and headers it came with.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseValue<T> {
    inner: T,
    status: StatusCode,
    headers: HeaderMap,
}

/// The largest body [`ResponseValue::from_response`] reads, in bytes. The client's hooks attach it
/// to every response (as an `http` extension), because the generated code hands the decoder the
/// response and nothing else.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct BodyLimit(pub(crate) u64);

impl Default for BodyLimit {
    fn default() -> Self {
        Self(DEFAULT_MAX_BODY_SIZE)
    }
}

/// How much of an unexpected body an error quotes.
const EXCERPT_CHARS: usize = 240;

/// The header in which Elastic Cloud repeats the codes of an error.
const CLOUD_ERROR_CODES: &str = "x-cloud-error-codes";

impl<T> ResponseValue<T> {
    /// A response value, as a mock or a test builds one.
    pub fn new(inner: T, status: StatusCode, headers: HeaderMap) -> Self {
        Self {
            inner,
            status,
            headers,
        }
    }

    /// The decoded body.
    pub fn into_inner(self) -> T {
        self.inner
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// Applies `f` to the body, keeping the status and headers.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> ResponseValue<U> {
        ResponseValue {
            inner: f(self.inner),
            status: self.status,
            headers: self.headers,
        }
    }
}

impl<T: DeserializeOwned> ResponseValue<T> {
    /// Reads and decodes `response`. The generated operations call this for every documented
    /// status; a body that does not decode becomes the most precise error that fits it.
    #[doc(hidden)]
    pub async fn from_response<E>(response: reqwest::Response) -> Result<Self, Error<E>> {
        let status = response.status();
        let headers = response.headers().clone();
        let url = response.url().clone();
        let body = read_limited(response).await?;
        match serde_json::from_slice(&body) {
            Ok(inner) => Ok(Self::new(inner, status, headers)),
            Err(error) => Err(undecodable(status, &headers, &url, &body, error)),
        }
    }
}

/// The whole body of `response`, unless it is longer than its [`BodyLimit`]: that is found from
/// the `Content-Length` before anything is read, or else as soon as the body grows past it, so
/// memory never holds more than the limit and one network read.
async fn read_limited<E>(mut response: reqwest::Response) -> Result<Vec<u8>, Error<E>> {
    let BodyLimit(limit) = response
        .extensions()
        .get::<BodyLimit>()
        .copied()
        .unwrap_or_default();
    let declared = response.content_length();
    let too_large = |response: &reqwest::Response| Error::BodyTooLarge {
        url: without_credentials(response.url().as_str()),
        limit,
        declared,
    };
    if declared.is_some_and(|length| length > limit) {
        return Err(too_large(&response));
    }
    // Reserved, not touched: pages a short body never reaches cost nothing.
    let mut body = Vec::with_capacity(declared.map_or(0, |length| length as usize));
    while let Some(chunk) = response.chunk().await.map_err(Error::from_reqwest)? {
        if (body.len() + chunk.len()) as u64 > limit {
            return Err(too_large(&response));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// The error for a body that does not decode as the operation documents.
fn undecodable<E>(
    status: StatusCode,
    headers: &HeaderMap,
    url: &reqwest::Url,
    body: &[u8],
    error: serde_json::Error,
) -> Error<E> {
    // Elasticsearch answers `?id=` for an unknown id with 404 and the success body.
    if status == StatusCode::NOT_FOUND
        && let Some((_, id)) = url.query_pairs().find(|(k, v)| k == "id" && !v.is_empty())
        && serde_json::from_slice::<GetApiKeyResponse>(body).is_ok_and(|r| r.api_keys.is_empty())
    {
        return Error::ApiKeyNotFound {
            id: id.into_owned(),
        };
    }
    // Elastic Cloud may send only the codes, in a header.
    if body.iter().all(u8::is_ascii_whitespace)
        && let Some(codes) = headers.get(CLOUD_ERROR_CODES).and_then(|v| v.to_str().ok())
    {
        return Error::ErrorCodes {
            status,
            codes: codes
                .split(',')
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .map(String::from)
                .collect(),
        };
    }
    Error::UnexpectedBody {
        status,
        content_type: headers
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(String::from),
        excerpt: excerpt(body),
        reason: if body.is_empty() {
            "the body is empty".to_string()
        } else {
            error.to_string()
        },
    }
}

/// The beginning of a body as text, with control characters escaped and at most
/// [`EXCERPT_CHARS`] characters.
fn excerpt(body: &[u8]) -> String {
    let head = &body[..body.len().min(EXCERPT_CHARS * 4)];
    let text = String::from_utf8_lossy(head);
    let mut out: String = text
        .chars()
        .take(EXCERPT_CHARS)
        .flat_map(|c| {
            if c.is_control() {
                c.escape_default().collect::<Vec<_>>()
            } else {
                vec![c]
            }
        })
        .collect();
    if text.chars().count() > EXCERPT_CHARS || body.len() > head.len() {
        out.push('…');
    }
    out
}

impl<T> Deref for ResponseValue<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.inner
    }
}

impl<T> DerefMut for ResponseValue<T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.inner
    }
}

impl<E: ErrorBody> ResponseValue<E> {
    pub(crate) fn summary(&self) -> String {
        self.inner.summary()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_are_short_and_escaped() {
        assert_eq!(
            excerpt(b"<html>\r\n<h1>502</h1>"),
            "<html>\\r\\n<h1>502</h1>"
        );
        let long = excerpt("x".repeat(100_000).as_bytes());
        assert_eq!(long.chars().count(), EXCERPT_CHARS + 1);
        assert!(long.ends_with('…'));
        assert_eq!(excerpt(&[0xff, b'a']), "\u{fffd}a");
    }
}
