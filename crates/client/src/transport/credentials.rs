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
    /// An API key, as it is sent after `ApiKey `: an Elasticsearch key's `encoded` value
    /// (`base64(id:api_key)`), or an Elastic Cloud API key.
    pub fn api_key(key: impl Into<SecretString>) -> Self {
        Self::ApiKey(key.into())
    }

    /// An Elasticsearch API key from its id and its secret (`api_key`), encoded as Elasticsearch
    /// expects: `base64(id:api_key)`.
    pub fn api_key_from_parts(id: &str, api_key: impl Into<SecretString>) -> Self {
        let api_key = api_key.into();
        let pair = format!("{id}:{}", api_key.expose_secret());
        Self::ApiKey(SecretString::from(
            base64::engine::general_purpose::STANDARD.encode(pair),
        ))
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
        let mut value =
            HeaderValue::from_str(&text).map_err(|_| InvalidCredentials::NotHeaderSafe)?;
        // A key or a token is one word: a space inside one is a copy gone wrong, which the
        // server would answer with a 401 that does not say so.
        if let Self::ApiKey(secret) | Self::Bearer(secret) = self
            && secret.expose_secret().chars().any(char::is_whitespace)
        {
            return Err(InvalidCredentials::Whitespace);
        }
        value.set_sensitive(true);
        Ok(value)
    }

    /// Checks that an API key has the shape Elasticsearch decodes: `base64(id:api_key)`, with an
    /// id and a secret that are not empty (`ApiKeyService` splits the decoded text at its first
    /// `:`). Other credentials pass unchecked.
    pub(crate) fn check_elasticsearch(&self) -> Result<(), InvalidCredentials> {
        let Self::ApiKey(encoded) = self else {
            return Ok(());
        };
        let encoded = encoded.expose_secret();
        let pair = base64::engine::general_purpose::GeneralPurpose::new(
            &base64::alphabet::STANDARD,
            base64::engine::GeneralPurposeConfig::new()
                .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent),
        )
        .decode(encoded)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok());
        match pair.as_deref().and_then(|pair| pair.split_once(':')) {
            Some((id, secret)) if !id.is_empty() && !secret.is_empty() => Ok(()),
            _ => Err(InvalidCredentials::NotAnEncodedApiKey {
                looks_like_id_and_key: encoded
                    .split_once(':')
                    .is_some_and(|(id, secret)| !id.is_empty() && !secret.is_empty()),
            }),
        }
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

/// Credentials that cannot be used: found when the client is built, before anything is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum InvalidCredentials {
    /// They hold a control character, a newline or another byte an HTTP header cannot carry.
    NotHeaderSafe,
    /// An API key or a bearer token holds whitespace, which none has.
    Whitespace,
    /// An Elasticsearch API key that is not `base64(id:api_key)`, the `encoded` value of a
    /// created key: Elasticsearch would answer `401` with "invalid ApiKey value". A key given as
    /// `id:api_key` belongs in [`Credentials::api_key_from_parts`] instead.
    NotAnEncodedApiKey {
        /// Whether the value has the `id:api_key` form, which Beats and Logstash take.
        looks_like_id_and_key: bool,
    },
}

impl fmt::Display for InvalidCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotHeaderSafe => {
                f.write_str("the credentials hold characters that an HTTP header cannot carry")
            }
            Self::Whitespace => f.write_str(
                "the API key or token holds whitespace, which none has: check that it was \
                 copied whole and alone",
            ),
            Self::NotAnEncodedApiKey {
                looks_like_id_and_key: true,
            } => f.write_str(
                "the encoded API key has the form id:api_key; encode it as base64(id:api_key), \
                 or give the id and the secret apart",
            ),
            Self::NotAnEncodedApiKey { .. } => f.write_str(
                "the encoded API key is not base64(id:api_key), the `encoded` value Elasticsearch \
                 returns when it creates a key",
            ),
        }
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
        let from_parts =
            Credentials::api_key_from_parts("VuaCfGcBCdbkQm-e5aOx", "ui2lp2axTNmsyakw9tvNnw");
        assert_eq!(
            header(&from_parts),
            "ApiKey VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw=="
        );
        assert_eq!(
            from_parts,
            Credentials::api_key("VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw==")
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
            Credentials::api_key_from_parts("id", "s3cr3t"),
            Credentials::api_key("s3cr3t"),
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
    fn a_key_or_token_with_whitespace_inside_is_an_error() {
        for credentials in [
            Credentials::api_key("essu_two words"),
            Credentials::bearer("tok\ten"),
        ] {
            assert_eq!(
                credentials.header_value(),
                Err(InvalidCredentials::Whitespace)
            );
        }
        // A password may hold a space.
        assert!(
            Credentials::basic("elastic", "two words")
                .header_value()
                .is_ok()
        );
    }

    #[test]
    fn a_newline_in_a_secret_is_an_error() {
        assert_eq!(
            Credentials::bearer("a\nb").header_value(),
            Err(InvalidCredentials::NotHeaderSafe)
        );
    }

    #[test]
    fn elasticsearch_api_keys_must_be_base64_of_id_and_secret() {
        let ok = |c: Credentials| c.check_elasticsearch();
        assert_eq!(
            ok(Credentials::api_key_from_parts(
                "VuaCfGcBCdbkQm-e5aOx",
                "s3cr3t"
            )),
            Ok(())
        );
        // Without padding, as Java's decoder also accepts it.
        assert_eq!(ok(Credentials::api_key("aWQ6c2VjcmV0")), Ok(()));
        assert_eq!(ok(Credentials::api_key("aWQ6c2VjcmV0YQ")), Ok(()));
        assert_eq!(
            ok(Credentials::basic("elastic", "not base64 at all")),
            Ok(())
        );
        let not_encoded = Err(InvalidCredentials::NotAnEncodedApiKey {
            looks_like_id_and_key: false,
        });
        for bad in [
            "not base64!",
            "bm8gY29sb24",  // "no colon"
            "OnNlY3JldA==", // ":secret", no id
            "aWQ6",         // "id:", no secret
            "",
        ] {
            assert_eq!(ok(Credentials::api_key(bad)), not_encoded, "{bad}");
        }
        assert_eq!(
            ok(Credentials::api_key(
                "VuaCfGcBCdbkQm-e5aOx:ui2lp2axTNmsyakw9tvNnw"
            )),
            Err(InvalidCredentials::NotAnEncodedApiKey {
                looks_like_id_and_key: true,
            })
        );
    }
}
