//! Reading an answer: decoding its body into the operation's type, or telling what went wrong
//! when it does not decode, is too large, or is the error the operation documents.
//!
//! The generated operations call into this module for every answer; [`ResponseValue`] and
//! [`Error`] themselves know nothing of reading.

use serde::de::DeserializeOwned;

use super::api_error::{ApiError, ErrorBody, NotFound};
use super::error::Error;
use super::headers::Headers;
use super::redact;
use super::response::ResponseValue;
use super::status::StatusCode;
use super::urls::without_credentials;

/// The default of `max_body_size`: 256 MiB, about 180,000 Elasticsearch keys with their
/// `limited_by` roles, which decode into about 1 GiB. Longer lists are what `send_stream()` is
/// for.
pub const DEFAULT_MAX_BODY_SIZE: u64 = 256 * 1024 * 1024;

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

/// The fields of the operation's answers that hold secrets, from its policy: the hooks attach
/// them to every response, as they do [`BodyLimit`], so that an excerpt never quotes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct SecretFields(pub(crate) &'static [&'static str]);

impl SecretFields {
    fn of(response: &reqwest::Response) -> Self {
        response
            .extensions()
            .get::<Self>()
            .copied()
            .unwrap_or_default()
    }
}

/// How much of an unexpected body an error quotes.
const EXCERPT_CHARS: usize = 240;

/// The header in which Elastic Cloud repeats the codes of an error.
const CLOUD_ERROR_CODES: &str = "x-cloud-error-codes";

impl<T: DeserializeOwned> ResponseValue<T> {
    /// Reads and decodes `response`. The generated operations call this for every documented
    /// status; a body that does not decode becomes the most precise error that fits it.
    pub(crate) async fn from_response(response: reqwest::Response) -> Result<Self, Error> {
        read_with(response, decode).await
    }
}

/// Reads `response`'s body, within the client's size limit, and decodes it with `decode`; a body
/// that does not decode becomes the most precise error that fits it.
pub(crate) async fn read_with<T>(
    response: reqwest::Response,
    decode: impl FnOnce(&[u8]) -> Result<T, serde_json::Error>,
) -> Result<ResponseValue<T>, Error> {
    let status = StatusCode::from_http(response.status());
    let headers = Headers::from_http(response.headers().clone());
    let secrets = SecretFields::of(&response);
    let body = read_limited(response).await?;
    match decode(&body) {
        Ok(inner) => Ok(ResponseValue::new(inner, status, headers)),
        Err(error) => Err(undecodable(status, headers, &body, error, secrets)),
    }
}

/// Decodes a whole body. One pass over all of it checks that it is UTF-8, vectorised and several
/// times faster than the check serde_json makes of each string when it reads bytes: on a list
/// of 100,000 keys, that saves about a tenth of the decode, with names in ASCII or in other
/// scripts (BENCHMARKS.md). A body that is not UTF-8 is decoded from its bytes, for serde_json's
/// own error, with its line and column.
fn decode<T: DeserializeOwned>(body: &[u8]) -> Result<T, serde_json::Error> {
    match std::str::from_utf8(body) {
        Ok(text) => serde_json::from_str(text),
        Err(_) => serde_json::from_slice(body),
    }
}

impl Error {
    /// The documented error answer `response`, of body type `E`.
    pub(crate) fn from_api<E: Into<ErrorBody>>(response: ResponseValue<E>) -> Self {
        Self::Api(ApiError::new(
            response.status(),
            response.headers().clone(),
            response.into_inner().into(),
        ))
    }

    /// An answer with a status the operation does not document, quoting the start of its body.
    pub(crate) async fn unexpected_status(response: reqwest::Response) -> Self {
        let url = without_credentials(response.url().as_str());
        let status = StatusCode::from_http(response.status());
        let content_type = content_type(&Headers::from_http(response.headers().clone()));
        let secrets = SecretFields::of(&response);
        let excerpt = match head_of(response).await {
            Ok(head) => excerpt(&head, secrets),
            Err(_) => String::new(),
        };
        Self::UnexpectedStatus {
            url,
            status,
            content_type,
            excerpt,
        }
    }

    /// The answer an operation's spec marks with `x-not-found`: what the request named (by
    /// `rule.parameter`, whose value was `value`) does not exist. A body of the operation's error
    /// type `E` is that error answer: a not-found when its codes include one of `rule.codes`,
    /// or when the rule names no codes and the body has the shape the spec declares
    /// (Elasticsearch answers an unknown id with `{"api_keys": []}`); any other error body is
    /// [`Error::Api`], and any other body (a proxy's page) is unexpected.
    pub(crate) async fn not_found<E: DeserializeOwned + Into<ErrorBody>>(
        response: reqwest::Response,
        rule: NotFoundRule,
        value: Option<String>,
    ) -> Self {
        let status = StatusCode::from_http(response.status());
        let headers = Headers::from_http(response.headers().clone());
        let secrets = SecretFields::of(&response);
        let body = match read_limited(response).await {
            Ok(body) => body,
            Err(error) => return error,
        };
        let error = match decode::<E>(&body) {
            Ok(error) => Some(ApiError::new(status, headers, error.into())),
            Err(decode) => {
                let declared = rule.codes.is_empty()
                    && match rule.shape {
                        Some(shape) => shape(&body),
                        None => serde_json::from_slice::<serde::de::IgnoredAny>(&body).is_ok(),
                    };
                match undecodable(status, headers, &body, decode, secrets) {
                    // The codes came in a header, without a body.
                    Error::Api(error) => Some(error),
                    // No error answer, but the one the spec gives a not-found: the service's way
                    // of saying "nothing" (Elasticsearch's `{"api_keys": []}`).
                    _ if declared => None,
                    unexpected => return unexpected,
                }
            }
        };
        match error {
            Some(error) if !rule.codes.iter().any(|code| error.codes().contains(code)) => {
                Self::Api(error)
            }
            error => Self::NotFound(NotFound {
                what: rule.what,
                parameter: rule.parameter,
                label: rule.label,
                value,
                error,
            }),
        }
    }
}

/// What an operation's spec says of its not-found answer (`x-not-found`); the generated code
/// passes it to [`Error::not_found`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct NotFoundRule {
    /// What the request asks for, such as `API key`.
    pub(crate) what: &'static str,
    /// The parameter that names it.
    pub(crate) parameter: &'static str,
    /// How messages name the parameter.
    pub(crate) label: &'static str,
    /// The error codes that mean "not found"; none where the answer is not an error body.
    pub(crate) codes: &'static [&'static str],
    /// Where the answer is not an error body: whether a body has the shape the spec gives the
    /// not-found answer. Any other body under the same status (a proxy's page, a wrong base
    /// path's answer) is unexpected, not a not-found.
    pub(crate) shape: Option<fn(&[u8]) -> bool>,
}

/// The value of a request parameter as text, for [`NotFound::value`].
pub(crate) trait ParamText {
    /// The text, if the parameter has a value.
    fn param_text(&self) -> Option<String>;
}

impl ParamText for elastic_apikeys_models::CompactString {
    fn param_text(&self) -> Option<String> {
        Some(self.to_string())
    }
}

impl ParamText for Option<elastic_apikeys_models::CompactString> {
    fn param_text(&self) -> Option<String> {
        self.as_ref().map(ToString::to_string)
    }
}

/// The whole body of `response`, unless it is longer than its [`BodyLimit`]: that is found from
/// the `Content-Length` before anything is read, or else as soon as the body grows past it, so
/// memory never holds more than the limit and one network read.
async fn read_limited(mut response: reqwest::Response) -> Result<Vec<u8>, Error> {
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

/// The first few kilobytes of `response`'s body, enough for an excerpt.
async fn head_of(mut response: reqwest::Response) -> Result<Vec<u8>, Error> {
    let mut head = Vec::new();
    while head.len() < EXCERPT_CHARS * 4 {
        match response.chunk().await.map_err(Error::from_reqwest)? {
            Some(chunk) => head.extend_from_slice(&chunk),
            None => break,
        }
    }
    Ok(head)
}

/// The error for a body that does not decode as the operation documents. Where the operation's
/// answers hold `secrets`, the reason quotes no value of the body: serde_json's message would
/// quote the field that failed, which may be the secret.
fn undecodable(
    status: StatusCode,
    headers: Headers,
    body: &[u8],
    error: serde_json::Error,
    secrets: SecretFields,
) -> Error {
    // Elastic Cloud may send only the codes, in a header.
    if body.iter().all(u8::is_ascii_whitespace)
        && let Some(codes) = headers.get(CLOUD_ERROR_CODES)
    {
        let codes = codes
            .split(',')
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(String::from)
            .collect();
        return Error::Api(ApiError::new(status, headers, ErrorBody::CloudCodes(codes)));
    }
    let reason = if body.is_empty() {
        "the body is empty".to_string()
    } else if secrets.0.is_empty() {
        error.to_string()
    } else {
        elastic_apikeys_models::error_text::without_values(&error.to_string())
    };
    Error::UnexpectedBody {
        status,
        content_type: content_type(&headers),
        excerpt: excerpt(body, secrets),
        reason,
    }
}

fn content_type(headers: &Headers) -> Option<String> {
    headers.get("content-type").map(String::from)
}

/// The beginning of a body as text, with the values of the `secrets` fields redacted, control
/// characters escaped and at most [`EXCERPT_CHARS`] characters. Secrets are redacted before
/// the text is cut, so that a value cut short is still recognised as one.
fn excerpt(body: &[u8], secrets: SecretFields) -> String {
    let head = &body[..body.len().min(EXCERPT_CHARS * 4)];
    let lossy = String::from_utf8_lossy(head);
    let text = redact::secret_values(&lossy, secrets.0);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_decodes_and_fails_as_serde_json_decodes_its_bytes() {
        use elastic_apikeys_models::elasticsearch::GetApiKeyResponse;

        let bodies: [&[u8]; 6] = [
            b"{\"api_keys\":[{\"id\":\"k1\",\"name\":\"caf\xc3\xa9\",\"creation\":1,\"invalidated\":false,\"username\":\"u\",\"realm\":\"r\"}]}",
            // Not UTF-8: inside a string, and where JSON expects a value.
            b"{\"api_keys\":[{\"id\":\"k\xff\"}]}",
            b"{\"api_keys\":[\xc3]}",
            // A character cut short at the end, and a body cut short.
            b"{\"api_keys\":[],\"x\":\"\xe2\x82",
            br#"{"api_keys":[{"id":"#,
            b"",
        ];
        let key = decode::<GetApiKeyResponse>(bodies[0]).expect("the first body is a list");
        assert_eq!(key.api_keys[0].name.as_deref(), Some("café"));
        for body in bodies {
            let ours = decode::<GetApiKeyResponse>(body);
            let serde_json = serde_json::from_slice::<GetApiKeyResponse>(body);
            match (ours, serde_json) {
                (Ok(ours), Ok(theirs)) => assert_eq!(ours, theirs),
                (Err(ours), Err(theirs)) => assert_eq!(
                    ours.to_string(),
                    theirs.to_string(),
                    "{}",
                    String::from_utf8_lossy(body)
                ),
                (ours, theirs) => panic!(
                    "{}: {ours:?} where serde_json gives {theirs:?}",
                    String::from_utf8_lossy(body)
                ),
            }
        }
    }

    #[test]
    fn excerpts_are_short_and_escaped() {
        assert_eq!(
            excerpt(b"<html>\r\n<h1>502</h1>", SecretFields::default()),
            "<html>\\r\\n<h1>502</h1>"
        );
        let long = excerpt("x".repeat(100_000).as_bytes(), SecretFields::default());
        assert_eq!(long.chars().count(), EXCERPT_CHARS + 1);
        assert!(long.ends_with('…'));
        assert_eq!(excerpt(&[0xff, b'a'], SecretFields::default()), "\u{fffd}a");
    }
}
