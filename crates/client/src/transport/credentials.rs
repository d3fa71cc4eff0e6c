//! Credentials, and the `Authorization` header each one becomes.

use std::fmt;

use base64::Engine as _;
use elastic_apikeys_models::SecretString;
use reqwest::header::HeaderValue;

/// How a client authenticates. Every variant holds its secret as a [`SecretString`], so neither
/// `Debug` nor any error ever shows it, and the header it becomes is marked sensitive.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Credentials {
    /// `Authorization: ApiKey <value>`. For Elastic Cloud the value is the key itself; for
    /// Elasticsearch it is `base64(id:api_key)`, the `encoded` field of a created key.
    ApiKey(SecretString),
    /// `Authorization: Basic base64(username:password)`.
    Basic {
        /// The user.
        username: String,
        /// The password.
        password: SecretString,
    },
    /// `Authorization: Bearer <token>`: an OAuth2 access token or a service account token.
    Bearer(SecretString),
}

impl Credentials {
    /// An Elasticsearch API key from its id and its secret (`api_key`), encoded as Elasticsearch
    /// expects: `base64(id:api_key)`.
    pub fn api_key(id: &str, api_key: impl Into<SecretString>) -> Self {
        let api_key = api_key.into();
        let pair = format!("{id}:{}", api_key.expose_secret());
        Self::ApiKey(SecretString::from(
            base64::engine::general_purpose::STANDARD.encode(pair),
        ))
    }

    /// An API key that is already encoded: an Elasticsearch key's `encoded` value, or an Elastic
    /// Cloud API key.
    pub fn encoded_api_key(encoded: impl Into<SecretString>) -> Self {
        Self::ApiKey(encoded.into())
    }

    /// A username and password.
    pub fn basic(username: impl Into<String>, password: impl Into<SecretString>) -> Self {
        Self::Basic {
            username: username.into(),
            password: password.into(),
        }
    }

    /// A bearer token.
    pub fn bearer(token: impl Into<SecretString>) -> Self {
        Self::Bearer(token.into())
    }

    /// The `Authorization` header value, marked sensitive so that `http` never prints it.
    pub(crate) fn header_value(&self) -> Result<HeaderValue, InvalidCredentials> {
        let text = match self {
            Self::ApiKey(key) => format!("ApiKey {}", key.expose_secret()),
            Self::Basic { username, password } => {
                let pair = format!("{username}:{}", password.expose_secret());
                format!(
                    "Basic {}",
                    base64::engine::general_purpose::STANDARD.encode(pair)
                )
            }
            Self::Bearer(token) => format!("Bearer {}", token.expose_secret()),
        };
        let mut value = HeaderValue::from_str(&text).map_err(|_| InvalidCredentials)?;
        value.set_sensitive(true);
        Ok(value)
    }

    fn kind(&self) -> &'static str {
        match self {
            Self::ApiKey(_) => "ApiKey",
            Self::Basic { .. } => "Basic",
            Self::Bearer(_) => "Bearer",
        }
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Basic { username, .. } => f
                .debug_struct("Basic")
                .field("username", username)
                .field("password", &elastic_apikeys_models::REDACTED)
                .finish(),
            other => write!(f, "{}({})", other.kind(), elastic_apikeys_models::REDACTED),
        }
    }
}

/// Credentials that cannot be sent in a header: they hold a control character or a newline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InvalidCredentials;

impl fmt::Display for InvalidCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the credentials hold characters that an HTTP header cannot carry")
    }
}

impl std::error::Error for InvalidCredentials {}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(credentials: &Credentials) -> String {
        credentials
            .header_value()
            .unwrap()
            .to_str()
            .unwrap()
            .to_string()
    }

    #[test]
    fn each_scheme_becomes_its_header() {
        // The example of Elastic's create API key documentation: id and api_key, and `encoded`.
        let from_parts = Credentials::api_key("VuaCfGcBCdbkQm-e5aOx", "ui2lp2axTNmsyakw9tvNnw");
        assert_eq!(
            header(&from_parts),
            "ApiKey VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw=="
        );
        assert_eq!(
            from_parts,
            Credentials::encoded_api_key(
                "VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw=="
            )
        );
        assert_eq!(
            header(&Credentials::basic("elastic", "changeme")),
            "Basic ZWxhc3RpYzpjaGFuZ2VtZQ=="
        );
        assert_eq!(header(&Credentials::bearer("dGhpcw")), "Bearer dGhpcw");
        assert!(
            Credentials::bearer("t")
                .header_value()
                .unwrap()
                .is_sensitive()
        );
    }

    #[test]
    fn debug_never_shows_a_secret() {
        for credentials in [
            Credentials::api_key("id", "s3cr3t"),
            Credentials::encoded_api_key("s3cr3t"),
            Credentials::basic("elastic", "s3cr3t"),
            Credentials::bearer("s3cr3t"),
        ] {
            let printed = format!("{credentials:?} {credentials:#?}");
            assert!(
                !printed.contains("s3cr3t") && printed.contains("[REDACTED]"),
                "{printed}"
            );
            let header = format!("{:?}", credentials.header_value().unwrap());
            assert!(!header.contains("s3cr3t"), "{header}");
        }
    }

    #[test]
    fn a_newline_in_a_secret_is_an_error() {
        assert_eq!(
            Credentials::bearer("a\nb").header_value(),
            Err(InvalidCredentials)
        );
    }
}
