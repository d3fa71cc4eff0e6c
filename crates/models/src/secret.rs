//! [`SecretString`], the type of every field the spec marks `format: password`.

use std::borrow::Cow;
use std::fmt;

/// A secret, such as the Elastic Cloud API key returned once on creation.
///
/// `Debug` and `Display` print `[REDACTED]`, so a secret never reaches a log line through a model
/// that holds it. Reading the value takes an explicit [`expose_secret`](Self::expose_secret).
/// Serialising writes the value, so that a response can be saved; treat the output as secret.
///
/// ```
/// use elastic_apikeys_models::SecretString;
///
/// let key = SecretString::from("essu_ZXhhbXBsZQ==");
/// assert_eq!(format!("{key} {key:?}"), "[REDACTED] [REDACTED]");
/// assert_eq!(key.expose_secret(), "essu_ZXhhbXBsZQ==");
/// assert_eq!(serde_json::to_string(&key).unwrap(), r#""essu_ZXhhbXBsZQ==""#);
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct SecretString(Box<str>);

/// What `Debug` and `Display` print in place of a secret.
pub const REDACTED: &str = "[REDACTED]";

impl SecretString {
    /// Wraps a secret.
    pub fn new(secret: impl Into<Box<str>>) -> Self {
        Self(secret.into())
    }

    /// The secret itself. Every read of it is a call to this method, easy to find and review.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }
}

impl From<String> for SecretString {
    fn from(secret: String) -> Self {
        Self::new(secret)
    }
}

impl From<&str> for SecretString {
    fn from(secret: &str) -> Self {
        Self::new(secret)
    }
}

impl fmt::Debug for SecretString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl fmt::Display for SecretString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl Drop for SecretString {
    /// Overwrites the secret before its memory is freed: a best effort, since copies made while
    /// decoding (the response buffer) are outside this type's reach.
    fn drop(&mut self) {
        let mut bytes = std::mem::take(&mut self.0).into_boxed_bytes();
        bytes.fill(0);
        std::hint::black_box(&bytes);
    }
}

impl serde::Serialize for SecretString {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for SecretString {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Self::from)
    }
}

impl schemars::JsonSchema for SecretString {
    fn schema_name() -> Cow<'static, str> {
        Cow::Borrowed("SecretString")
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "type": "string", "format": "password" })
    }

    fn inline_schema() -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_redact_even_inside_containers() {
        let secret = SecretString::from("s3cr3t-value");
        let printed = format!(
            "{secret} {secret:?} {secret:#?} {:?}",
            Some(vec![secret.clone()])
        );
        assert!(!printed.contains("s3cr3t"), "{printed}");
        assert_eq!(printed.matches(REDACTED).count(), 4);
    }

    #[test]
    fn serialisation_keeps_the_value() {
        let secret: SecretString = serde_json::from_str(r#""s3cr3t-value""#).unwrap();
        assert_eq!(secret.expose_secret(), "s3cr3t-value");
        assert_eq!(serde_json::to_string(&secret).unwrap(), r#""s3cr3t-value""#);
    }

    #[test]
    fn a_non_string_is_an_error_not_a_panic() {
        assert!(serde_json::from_str::<SecretString>("42").is_err());
    }
}
