//! [`RoleDescriptors`]: the `limited_by` roles of a key, decoded once per distinct value.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;
use std::ops::Deref;
use std::sync::{Arc, Weak};

use serde::Deserialize as _;

use super::RoleDescriptor;
use crate::de::Key;
use crate::{CompactString, SmallMap};

/// Role descriptors by role name, as `limited_by` holds them.
///
/// Most keys of a cluster carry the same owner roles, often the built-in `superuser`; a
/// 100,000-key list repeats the same few hundred bytes 70,000 times. Decoding keeps one copy of
/// each distinct value, shared by every key that has it, and looks it up by its JSON text: a
/// repeat costs a hash lookup instead of a few dozen allocations. Any serde format decodes it:
/// from one that cannot hand over JSON text (CBOR, YAML, other JSON parsers), each value is decoded
/// and then looked up by the compact JSON it encodes to, so repeats are still shared, though each
/// is decoded first. The value is read-only; [`RoleDescriptors::to_map`] gives an owned copy to
/// change.
#[derive(Clone, PartialEq)]
pub struct RoleDescriptors(Arc<SmallMap<CompactString, RoleDescriptor>>);

/// How many distinct values the per-thread cache remembers before it forgets the ones no longer
/// in use (and, if all are, everything): a bound on memory whatever the input.
const CACHE_LIMIT: usize = 256;

/// The decoded roles, by name.
type Roles = SmallMap<CompactString, RoleDescriptor>;

thread_local! {
    /// The values decoded on this thread and still in use, by their JSON text.
    static CACHE: RefCell<HashMap<Box<str>, Weak<Roles>>> = RefCell::new(HashMap::new());
}

impl RoleDescriptors {
    /// An owned copy of the map.
    pub fn to_map(&self) -> SmallMap<CompactString, RoleDescriptor> {
        (*self.0).clone()
    }

    /// Whether two values share one decoded copy.
    pub fn shares_with(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Deref for RoleDescriptors {
    type Target = SmallMap<CompactString, RoleDescriptor>;

    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl From<SmallMap<CompactString, RoleDescriptor>> for RoleDescriptors {
    fn from(map: SmallMap<CompactString, RoleDescriptor>) -> Self {
        Self(Arc::new(map))
    }
}

impl fmt::Debug for RoleDescriptors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl serde::Serialize for RoleDescriptors {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

/// The name under which serde_json hands a value's JSON text to a type that asks for it (what its
/// `RawValue` asks with). serde_json answers this name with a one-entry map from the name to the
/// text; every other deserializer answers with the value itself.
const JSON_TEXT: &str = "$serde_json::private::RawValue";

impl<'de> serde::Deserialize<'de> for RoleDescriptors {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_newtype_struct(JSON_TEXT, RolesVisitor)
    }
}

/// Decodes the roles from whatever the deserializer offers: their JSON text (serde_json), the
/// value itself (every other format), or a map (formats that read a newtype as its content).
struct RolesVisitor;

impl<'de> serde::de::Visitor<'de> for RolesVisitor {
    type Value = RoleDescriptors;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a map of role descriptors by role name")
    }

    fn visit_newtype_struct<D: serde::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Self::Value, D::Error> {
        let roles = Roles::deserialize(deserializer)?;
        Ok(RoleDescriptors::shared(roles))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let Some(first) = map.next_key::<Key<'de>>()? else {
            return Ok(RoleDescriptors::shared(Roles::default()));
        };
        if first.as_str() == JSON_TEXT {
            // The text borrows from the input when serde_json can lend it: it is only looked
            // up, and a copy would cost an allocation per key.
            let text = map.next_value::<Key<'de>>()?;
            return RoleDescriptors::from_json_text(text.as_str())
                .map_err(serde::de::Error::custom);
        }
        // A real map: its first role's name is read already.
        let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0) + 1);
        entries.push((first.into_string(), map.next_value::<RoleDescriptor>()?));
        while let Some((name, role)) = map.next_entry::<CompactString, RoleDescriptor>()? {
            entries.push((name, role));
        }
        Ok(RoleDescriptors::shared(entries.into_iter().collect()))
    }
}

impl RoleDescriptors {
    /// The shared copy of the value whose JSON text is `text`, decoded only if no copy in use
    /// has the same text.
    fn from_json_text(text: &str) -> Result<Self, serde_json::Error> {
        #[cfg(test)]
        tests::JSON_TEXT_READS.with(|reads| reads.set(reads.get() + 1));
        if let Some(shared) = cached(text) {
            return Ok(Self(shared));
        }
        let roles: Roles = serde_json::from_str(text)?;
        Ok(Self(remember(text, roles)))
    }

    /// The shared copy of `roles`, decoded from a format without JSON text: looked up by the
    /// compact JSON text it encodes to, which is the text Elasticsearch sends.
    fn shared(roles: Roles) -> Self {
        let Ok(text) = serde_json::to_string(&roles) else {
            return Self(Arc::new(roles));
        };
        match cached(&text) {
            Some(shared) => Self(shared),
            None => Self(remember(&text, roles)),
        }
    }
}

/// The copy in use whose JSON text is `text`, if any.
fn cached(text: &str) -> Option<Arc<Roles>> {
    CACHE.with(|cache| cache.borrow().get(text).and_then(Weak::upgrade))
}

/// Shares `roles` and remembers it by its JSON text.
fn remember(text: &str, roles: Roles) -> Arc<Roles> {
    let shared = Arc::new(roles);
    CACHE.with(|cache| {
        let mut cache = cache.borrow_mut();
        if cache.len() >= CACHE_LIMIT {
            cache.retain(|_, value| value.strong_count() > 0);
            if cache.len() >= CACHE_LIMIT {
                cache.clear();
            }
        }
        cache.insert(text.into(), Arc::downgrade(&shared));
    });
    shared
}

impl schemars::JsonSchema for RoleDescriptors {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        std::borrow::Cow::Borrowed("RoleDescriptors")
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        <SmallMap<CompactString, RoleDescriptor> as schemars::JsonSchema>::json_schema(generator)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    thread_local! {
        /// How many values were read from their JSON text, on this thread.
        pub(super) static JSON_TEXT_READS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    }

    #[test]
    fn serde_json_hands_over_the_json_text() {
        // The fast path: serde_json answers `JSON_TEXT` with the value's text, and a repeat is a
        // lookup. If serde_json renamed its token, values would still decode (as from any other
        // format) but every repeat would be decoded in full; this test would say so.
        let before = JSON_TEXT_READS.with(std::cell::Cell::get);
        let text = r#"[{"a":{"cluster":["all"]}},{"a":{"cluster":["all"]}}]"#;
        let roles: Vec<RoleDescriptors> = serde_json::from_str(text).unwrap();
        assert!(roles[0].shares_with(&roles[1]));
        let after = JSON_TEXT_READS.with(std::cell::Cell::get);
        assert_eq!(
            after - before,
            2,
            "serde_json no longer hands over the JSON text"
        );
    }

    #[test]
    fn equal_values_share_one_copy_and_different_ones_do_not() {
        let text = r#"[{"superuser":{"cluster":["all"]}},{"superuser":{"cluster":["all"]}},{"viewer":{"cluster":["monitor"]}}]"#;
        let roles: Vec<RoleDescriptors> = serde_json::from_str(text).unwrap();
        assert!(roles[0].shares_with(&roles[1]));
        assert!(!roles[0].shares_with(&roles[2]));
        assert_eq!(roles[2]["viewer"].cluster.as_ref().unwrap(), &["monitor"]);
        assert_eq!(serde_json::to_string(&roles).unwrap(), text);
        // Decoding from a `Value` works too.
        let value: serde_json::Value = serde_json::from_str(text).unwrap();
        let again: Vec<RoleDescriptors> = serde_json::from_value(value).unwrap();
        assert_eq!(again, roles);
    }
}
