//! A field that can be left out, sent as `null`, or sent with a value.

use std::borrow::Cow;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An optional field that the spec marks `nullable`, where the server gives each of three states
/// a meaning of its own: for `certificate_identity` of a cross-cluster key's update, left out
/// keeps the identity, `null` removes it, and a value replaces it. An `Option` has room for two
/// of them only.
///
/// Decoding reads an absent field as [`Absent`](Self::Absent), `null` as [`Null`](Self::Null)
/// and anything else as a [`Value`](Self::Value); encoding leaves out `Absent` and writes the
/// other two as they are, so a document read and written again keeps its `null`s.
///
/// In a builder, `.field(value)` sets a value and `.set_field(Nullable::Null)` sends `null`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Nullable<T> {
    /// Left out of the document.
    #[default]
    Absent,
    /// Sent as `null`.
    Null,
    /// Sent with this value.
    Value(T),
}

impl<T> Nullable<T> {
    /// Whether the field is left out. Encoding skips it then.
    pub fn is_absent(&self) -> bool {
        matches!(self, Self::Absent)
    }

    /// Whether the field is sent as `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Self::Null)
    }

    /// The value, if there is one (not when absent or `null`).
    pub fn value(&self) -> Option<&T> {
        match self {
            Self::Value(value) => Some(value),
            Self::Absent | Self::Null => None,
        }
    }

    /// The value, if there is one (not when absent or `null`).
    pub fn into_value(self) -> Option<T> {
        match self {
            Self::Value(value) => Some(value),
            Self::Absent | Self::Null => None,
        }
    }

    /// The value as a reference to what it derefs to: `Nullable<CompactString>` gives
    /// `Option<&str>`.
    pub fn as_deref(&self) -> Option<&T::Target>
    where
        T: std::ops::Deref,
    {
        self.value().map(|value| &**value)
    }
}

impl<T> From<T> for Nullable<T> {
    fn from(value: T) -> Self {
        Self::Value(value)
    }
}

impl<T: Serialize> Serialize for Nullable<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            // `Absent` is skipped by the field's `skip_serializing_if`; written on its own (as
            // an element of a list), there is nothing else for it to be.
            Self::Absent | Self::Null => serializer.serialize_none(),
            Self::Value(value) => value.serialize(serializer),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Nullable<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // Called only for a field that is there: an absent one takes the default, `Absent`.
        Ok(match Option::<T>::deserialize(deserializer)? {
            Some(value) => Self::Value(value),
            None => Self::Null,
        })
    }
}

impl<T: schemars::JsonSchema> schemars::JsonSchema for Nullable<T> {
    fn schema_name() -> Cow<'static, str> {
        <Option<T> as schemars::JsonSchema>::schema_name()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        <Option<T> as schemars::JsonSchema>::json_schema(generator)
    }

    fn inline_schema() -> bool {
        <Option<T> as schemars::JsonSchema>::inline_schema()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Update {
        #[serde(default, skip_serializing_if = "Nullable::is_absent")]
        identity: Nullable<String>,
    }

    #[test]
    fn absent_null_and_a_value_are_three_documents() {
        for (text, state) in [
            ("{}", Nullable::Absent),
            (r#"{"identity":null}"#, Nullable::Null),
            (
                r#"{"identity":"CN=a"}"#,
                Nullable::Value("CN=a".to_string()),
            ),
        ] {
            let update: Update = serde_json::from_str(text).unwrap();
            assert_eq!(update.identity, state, "{text}");
            assert_eq!(serde_json::to_string(&update).unwrap(), text);
        }
    }

    #[test]
    fn the_value_is_reached_only_when_there_is_one() {
        let value = Nullable::from(compact_str::CompactString::from("x"));
        assert_eq!(value.as_deref(), Some("x"));
        assert_eq!(Nullable::<String>::Null.value(), None);
        assert!(Nullable::<String>::default().is_absent());
    }
}
