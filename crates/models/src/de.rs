//! Helpers for the `Deserialize` impls that `cargo xtask codegen` writes (see
//! `xtask/src/codegen/struct_deserialize.rs`).

use std::borrow::Cow;
use std::fmt;

/// An object key, or any string that is only read: borrowed from the input when the decoder can
/// lend it (serde_json does, for strings without escapes, from a string or a byte slice), so
/// that known keys, and the JSON text of shared roles, cost no allocation.
#[derive(Debug)]
pub(crate) struct Key<'de>(Cow<'de, str>);

impl Key<'_> {
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }

    /// The key as the models' string type, for the `extra` map of unknown fields.
    pub(crate) fn into_string(self) -> crate::CompactString {
        crate::CompactString::from(self.0)
    }
}

impl<'de> serde::Deserialize<'de> for Key<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;

        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Key<'de>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object key")
            }

            fn visit_borrowed_str<E: serde::de::Error>(self, key: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(key)))
            }

            fn visit_str<E: serde::de::Error>(self, key: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(key.to_owned())))
            }

            fn visit_string<E: serde::de::Error>(self, key: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(key)))
            }
        }

        deserializer.deserialize_str(Visitor)
    }
}

/// Gives a decoded list's spare capacity back.
pub(crate) trait Shrink {
    fn shrink(self) -> Self;
}

impl<T> Shrink for Vec<T> {
    fn shrink(mut self) -> Self {
        self.shrink_to_fit();
        self
    }
}

impl<T> Shrink for Option<Vec<T>> {
    fn shrink(self) -> Self {
        self.map(Shrink::shrink)
    }
}
