//! The hand-written half of the open enums that `cargo xtask codegen` writes (see
//! `xtask/src/codegen/open_enums.rs`): the value an unknown variant holds, and the decoding and
//! schema code every open enum shares.

use std::fmt;
use std::marker::PhantomData;

/// A value of an open enum that this version of the crate does not know, such as a new API key
/// type from a newer cluster. It is kept verbatim and written back unchanged.
///
/// It can only be made by decoding or by converting a string into the enum, so a known value is
/// never held here: `ApiKeyType::from("rest")` is always `ApiKeyType::Rest`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnknownVariantValue(Box<str>);

impl UnknownVariantValue {
    pub(crate) fn new(value: impl Into<Box<str>>) -> Self {
        Self(value.into())
    }

    /// The value as it was received.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for UnknownVariantValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Decodes an open enum from a JSON string. Any string is accepted; anything else is an error
/// that names the enum.
pub(crate) fn deserialize<'de, D, T>(deserializer: D, name: &'static str) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: for<'a> From<&'a str> + From<String>,
{
    struct Visitor<T>(&'static str, PhantomData<T>);

    impl<T> serde::de::Visitor<'_> for Visitor<T>
    where
        T: for<'a> From<&'a str> + From<String>,
    {
        type Value = T;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "a string ({})", self.0)
        }

        fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<T, E> {
            Ok(T::from(value))
        }

        fn visit_string<E: serde::de::Error>(self, value: String) -> Result<T, E> {
            Ok(T::from(value))
        }
    }

    deserializer.deserialize_str(Visitor(name, PhantomData))
}

/// The JSON Schema of an open enum: a string, with the known values listed as examples rather
/// than as an `enum`, because other values are valid too.
pub(crate) fn json_schema(description: &str, known: &[&str]) -> schemars::Schema {
    schemars::json_schema!({
        "type": "string",
        "description": description,
        "examples": known,
    })
}
