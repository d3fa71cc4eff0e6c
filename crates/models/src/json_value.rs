//! [`JsonValue`]: any JSON value, where the APIs allow any (metadata, unknown fields, the parts of
//! the query DSL that the models keep as JSON).

use std::fmt;

use crate::{CompactString, SmallMap};

/// Any JSON value, as the models keep what the specs leave open: a key's `metadata`, fields that
/// the models do not know yet (`extra`), aggregation results.
///
/// It is 24 bytes. Its arrays are boxed slices and its objects [`SmallMap`]s: exact-size, and
/// objects in the order received. `serde_json::Value`
/// keeps objects in `BTreeMap`s, a node for eleven entries each, and a key whose metadata nests
/// a few levels deep held kilobytes of empty nodes. Re-encoding writes the members in the order
/// the server sent them.
///
/// It decodes from any self-describing serde format, and converts to and from
/// `serde_json::Value` (`From` both ways) for code that works with serde_json.
#[derive(Clone, Default)]
pub enum JsonValue {
    /// `null`.
    #[default]
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, as serde_json keeps it (integers exactly, floats as `f64`).
    Number(serde_json::Number),
    /// A string.
    String(CompactString),
    /// An array, held at its exact size.
    Array(Box<[JsonValue]>),
    /// An object, its members in the order received.
    Object(SmallMap<CompactString, JsonValue>),
}

impl JsonValue {
    /// Whether the value is `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Self::Null)
    }

    /// The boolean, if the value is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Self::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The number as an `i64`, if it is an integer that fits.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Self::Number(n) => n.as_i64(),
            _ => None,
        }
    }

    /// The number as a `u64`, if it is a non-negative integer that fits.
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Self::Number(n) => n.as_u64(),
            _ => None,
        }
    }

    /// The number as an `f64`, if the value is a number.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Self::Number(n) => n.as_f64(),
            _ => None,
        }
    }

    /// The string, if the value is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Self::String(s) => Some(s),
            _ => None,
        }
    }

    /// The elements, if the value is an array.
    pub fn as_array(&self) -> Option<&[JsonValue]> {
        match self {
            Self::Array(items) => Some(items),
            _ => None,
        }
    }

    /// The members, if the value is an object.
    pub fn as_object(&self) -> Option<&SmallMap<CompactString, JsonValue>> {
        match self {
            Self::Object(members) => Some(members),
            _ => None,
        }
    }

    /// The member `key`, if the value is an object that has it.
    pub fn get(&self, key: &str) -> Option<&JsonValue> {
        self.as_object()?.get(key)
    }
}

impl fmt::Debug for JsonValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Null => f.write_str("Null"),
            Self::Bool(b) => write!(f, "Bool({b})"),
            Self::Number(n) => write!(f, "Number({n})"),
            Self::String(s) => write!(f, "String({s:?})"),
            Self::Array(items) => f.debug_tuple("Array").field(items).finish(),
            Self::Object(members) => f.debug_tuple("Object").field(members).finish(),
        }
    }
}

/// Compact JSON, as the server sends it.
impl fmt::Display for JsonValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = serde_json::to_string(self).map_err(|_| fmt::Error)?;
        f.write_str(&text)
    }
}

impl From<serde_json::Value> for JsonValue {
    fn from(value: serde_json::Value) -> Self {
        match value {
            serde_json::Value::Null => Self::Null,
            serde_json::Value::Bool(b) => Self::Bool(b),
            serde_json::Value::Number(n) => Self::Number(n),
            serde_json::Value::String(s) => Self::String(s.into()),
            serde_json::Value::Array(items) => {
                Self::Array(items.into_iter().map(Self::from).collect())
            }
            serde_json::Value::Object(members) => Self::Object(
                members
                    .into_iter()
                    .map(|(k, v)| (k.into(), Self::from(v)))
                    .collect(),
            ),
        }
    }
}

impl From<JsonValue> for serde_json::Value {
    fn from(value: JsonValue) -> Self {
        match value {
            JsonValue::Null => Self::Null,
            JsonValue::Bool(b) => Self::Bool(b),
            JsonValue::Number(n) => Self::Number(n),
            JsonValue::String(s) => Self::String(s.into()),
            JsonValue::Array(items) => Self::Array(items.into_iter().map(Self::from).collect()),
            JsonValue::Object(members) => Self::Object(
                members
                    .into_iter()
                    .map(|(k, v)| (k.into(), Self::from(v)))
                    .collect(),
            ),
        }
    }
}

impl From<&str> for JsonValue {
    fn from(value: &str) -> Self {
        Self::String(value.into())
    }
}

impl From<String> for JsonValue {
    fn from(value: String) -> Self {
        Self::String(value.into())
    }
}

impl From<CompactString> for JsonValue {
    fn from(value: CompactString) -> Self {
        Self::String(value)
    }
}

impl From<bool> for JsonValue {
    fn from(value: bool) -> Self {
        Self::Bool(value)
    }
}

/// Every integer type converts, as `serde_json::Value` does: `JsonValue::from(2)` is an `i32`.
macro_rules! from_integers {
    ($($integer:ty),*) => {$(
        impl From<$integer> for JsonValue {
            fn from(value: $integer) -> Self {
                Self::Number(value.into())
            }
        }
    )*};
}

from_integers!(i8, i16, i32, i64, isize, u8, u16, u32, u64, usize);

/// A float that JSON can hold; NaN and the infinities, which it cannot, are `null`, as
/// `serde_json::Value::from` makes them.
impl From<f64> for JsonValue {
    fn from(value: f64) -> Self {
        serde_json::Number::from_f64(value).map_or(Self::Null, Self::Number)
    }
}

/// As for `f64`.
impl From<f32> for JsonValue {
    fn from(value: f32) -> Self {
        Self::from(f64::from(value))
    }
}

/// JSON equality: objects are equal when they have the same members, in any order.
impl PartialEq for JsonValue {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Self::Null, Self::Null) => true,
            (Self::Bool(a), Self::Bool(b)) => a == b,
            (Self::Number(a), Self::Number(b)) => a == b,
            (Self::String(a), Self::String(b)) => a == b,
            (Self::Array(a), Self::Array(b)) => a == b,
            (Self::Object(a), Self::Object(b)) => {
                a.len() == b.len() && a.iter().all(|(k, v)| b.get(k).is_some_and(|w| v == w))
            }
            _ => false,
        }
    }
}

impl PartialEq<serde_json::Value> for JsonValue {
    fn eq(&self, other: &serde_json::Value) -> bool {
        match (self, other) {
            (Self::Null, serde_json::Value::Null) => true,
            (Self::Bool(a), serde_json::Value::Bool(b)) => a == b,
            (Self::Number(a), serde_json::Value::Number(b)) => a == b,
            (Self::String(a), serde_json::Value::String(b)) => a == b,
            (Self::Array(a), serde_json::Value::Array(b)) => **a == b[..],
            (Self::Object(a), serde_json::Value::Object(b)) => {
                a.len() == b.len()
                    && a.iter()
                        .all(|(k, v)| b.get(k.as_str()).is_some_and(|w| v == w))
            }
            _ => false,
        }
    }
}

/// `null`, for what an index finds missing.
static NULL: JsonValue = JsonValue::Null;

/// `value["member"]`: the member, or `null` when the value is not an object or lacks it, as with
/// `serde_json::Value`.
impl std::ops::Index<&str> for JsonValue {
    type Output = JsonValue;

    fn index(&self, key: &str) -> &JsonValue {
        self.get(key).unwrap_or(&NULL)
    }
}

/// `value[i]`: the element, or `null` when the value is not an array or is shorter, as with
/// `serde_json::Value`.
impl std::ops::Index<usize> for JsonValue {
    type Output = JsonValue;

    fn index(&self, index: usize) -> &JsonValue {
        self.as_array()
            .and_then(|items| items.get(index))
            .unwrap_or(&NULL)
    }
}

impl PartialEq<f64> for JsonValue {
    fn eq(&self, other: &f64) -> bool {
        self.as_f64() == Some(*other)
    }
}

impl PartialEq<str> for JsonValue {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == Some(other)
    }
}

impl PartialEq<&str> for JsonValue {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == Some(*other)
    }
}

impl PartialEq<String> for JsonValue {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == Some(other.as_str())
    }
}

impl PartialEq<CompactString> for JsonValue {
    fn eq(&self, other: &CompactString) -> bool {
        self.as_str() == Some(other.as_str())
    }
}

impl PartialEq<bool> for JsonValue {
    fn eq(&self, other: &bool) -> bool {
        self.as_bool() == Some(*other)
    }
}

impl PartialEq<i64> for JsonValue {
    fn eq(&self, other: &i64) -> bool {
        self.as_i64() == Some(*other)
    }
}

impl serde::Serialize for JsonValue {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Null => serializer.serialize_unit(),
            Self::Bool(b) => serializer.serialize_bool(*b),
            Self::Number(n) => n.serialize(serializer),
            Self::String(s) => serializer.serialize_str(s),
            Self::Array(items) => serializer.collect_seq(items),
            Self::Object(members) => members.serialize(serializer),
        }
    }
}

impl<'de> serde::Deserialize<'de> for JsonValue {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(JsonValueVisitor)
    }
}

/// Builds a [`JsonValue`] from whatever kind of value the deserializer finds.
struct JsonValueVisitor;

impl<'de> serde::de::Visitor<'de> for JsonValueVisitor {
    type Value = JsonValue;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, b: bool) -> Result<JsonValue, E> {
        Ok(JsonValue::Bool(b))
    }

    fn visit_i64<E>(self, n: i64) -> Result<JsonValue, E> {
        Ok(JsonValue::Number(n.into()))
    }

    fn visit_u64<E>(self, n: u64) -> Result<JsonValue, E> {
        Ok(JsonValue::Number(n.into()))
    }

    fn visit_i128<E: serde::de::Error>(self, n: i128) -> Result<JsonValue, E> {
        serde_json::Number::from_i128(n)
            .map(JsonValue::Number)
            .ok_or_else(|| E::custom(format_args!("the integer {n} is out of JSON's range")))
    }

    fn visit_u128<E: serde::de::Error>(self, n: u128) -> Result<JsonValue, E> {
        serde_json::Number::from_u128(n)
            .map(JsonValue::Number)
            .ok_or_else(|| E::custom(format_args!("the integer {n} is out of JSON's range")))
    }

    /// A float that JSON cannot write (NaN, an infinity) becomes `null`, as in serde_json.
    fn visit_f64<E>(self, n: f64) -> Result<JsonValue, E> {
        Ok(serde_json::Number::from_f64(n).map_or(JsonValue::Null, JsonValue::Number))
    }

    fn visit_str<E>(self, s: &str) -> Result<JsonValue, E> {
        Ok(JsonValue::String(s.into()))
    }

    fn visit_string<E>(self, s: String) -> Result<JsonValue, E> {
        Ok(JsonValue::String(s.into()))
    }

    fn visit_none<E>(self) -> Result<JsonValue, E> {
        Ok(JsonValue::Null)
    }

    fn visit_unit<E>(self) -> Result<JsonValue, E> {
        Ok(JsonValue::Null)
    }

    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<JsonValue, D::Error> {
        serde::Deserialize::deserialize(d)
    }

    fn visit_newtype_struct<D: serde::Deserializer<'de>>(
        self,
        d: D,
    ) -> Result<JsonValue, D::Error> {
        serde::Deserialize::deserialize(d)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, seq: A) -> Result<JsonValue, A::Error> {
        crate::de::read_seq(seq).map(|items| JsonValue::Array(items.into_boxed_slice()))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<JsonValue, A::Error> {
        SmallMap::read(map).map(JsonValue::Object)
    }
}

impl schemars::JsonSchema for JsonValue {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        <serde_json::Value as schemars::JsonSchema>::schema_name()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        <serde_json::Value as schemars::JsonSchema>::json_schema(generator)
    }

    fn inline_schema() -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_in_order_and_converts_both_ways() {
        let text =
            r#"{"z":1,"a":[true,null,-2,1.5,"s"],"m":{"inner":{"deep":18446744073709551615}}}"#;
        let value: JsonValue = serde_json::from_str(text).unwrap();
        assert_eq!(
            serde_json::to_string(&value).unwrap(),
            text,
            "member order is kept"
        );
        assert_eq!(value.to_string(), text);
        assert_eq!(value.get("z").and_then(JsonValue::as_i64), Some(1));
        assert_eq!(
            value
                .get("m")
                .and_then(|m| m.get("inner"))
                .and_then(|i| i.get("deep"))
                .and_then(JsonValue::as_u64),
            Some(u64::MAX)
        );
        let json: serde_json::Value = serde_json::from_str(text).unwrap();
        assert!(value == json);
        assert_eq!(serde_json::Value::from(value.clone()), json);
        let back = JsonValue::from(json);
        assert_eq!(
            back, value,
            "objects compare by their members, in any order"
        );
        assert_eq!(
            back.to_string(),
            r#"{"a":[true,null,-2,1.5,"s"],"m":{"inner":{"deep":18446744073709551615}},"z":1}"#
        );
    }

    #[test]
    fn is_as_small_as_its_string() {
        // Metadata six levels deep holds dozens of values per key: each byte here is paid for
        // every one of them.
        assert_eq!(size_of::<JsonValue>(), size_of::<CompactString>());
        let value: JsonValue = serde_json::from_str("[1,[2,3],{}]").unwrap();
        assert_eq!(value.as_array().map(<[JsonValue]>::len), Some(3));
        assert_eq!(value, serde_json::json!([1, [2, 3], {}]));
    }

    #[test]
    fn a_repeated_member_keeps_the_last_value_in_the_first_place() {
        let value: JsonValue = serde_json::from_str(r#"{"a":1,"b":2,"a":3}"#).unwrap();
        assert_eq!(value.to_string(), r#"{"a":3,"b":2}"#);
    }
}
