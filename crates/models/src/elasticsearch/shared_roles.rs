//! [`RoleDescriptors`]: the `limited_by` roles of a key, decoded once per distinct value.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;
use std::ops::Deref;
use std::sync::{Arc, Weak};

use serde_json::value::RawValue;

use super::RoleDescriptor;
use crate::SmallMap;

/// Role descriptors by role name, as `limited_by` holds them.
///
/// Most keys of a cluster carry the same owner roles, often the built-in `superuser`; a
/// 100,000-key list repeats the same few hundred bytes 70,000 times. Decoding keeps one copy of
/// each distinct value, shared by every key that has it, and looks it up by its JSON text: a
/// repeat costs a hash lookup instead of a few dozen allocations. The value is read-only;
/// [`RoleDescriptors::to_map`] gives an owned copy to change.
#[derive(Clone, PartialEq)]
pub struct RoleDescriptors(Arc<SmallMap<String, RoleDescriptor>>);

/// How many distinct values the per-thread cache remembers before it forgets the ones no longer
/// in use (and, if all are, everything): a bound on memory whatever the input.
const CACHE_LIMIT: usize = 256;

/// The decoded roles, by name.
type Roles = SmallMap<String, RoleDescriptor>;

thread_local! {
    /// The values decoded on this thread and still in use, by their JSON text.
    static CACHE: RefCell<HashMap<Box<str>, Weak<Roles>>> = RefCell::new(HashMap::new());
}

impl RoleDescriptors {
    /// An owned copy of the map.
    pub fn to_map(&self) -> SmallMap<String, RoleDescriptor> {
        (*self.0).clone()
    }

    /// Whether two values share one decoded copy.
    pub fn shares_with(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Deref for RoleDescriptors {
    type Target = SmallMap<String, RoleDescriptor>;

    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl From<SmallMap<String, RoleDescriptor>> for RoleDescriptors {
    fn from(map: SmallMap<String, RoleDescriptor>) -> Self {
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

impl<'de> serde::Deserialize<'de> for RoleDescriptors {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = Box::<RawValue>::deserialize(deserializer)?;
        let text = raw.get();
        if let Some(shared) = CACHE.with(|cache| cache.borrow().get(text).and_then(Weak::upgrade)) {
            return Ok(Self(shared));
        }
        let map: SmallMap<String, RoleDescriptor> =
            serde_json::from_str(text).map_err(serde::de::Error::custom)?;
        let shared = Arc::new(map);
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
        Ok(Self(shared))
    }
}

impl schemars::JsonSchema for RoleDescriptors {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        std::borrow::Cow::Borrowed("RoleDescriptors")
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        <SmallMap<String, RoleDescriptor> as schemars::JsonSchema>::json_schema(generator)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_values_share_one_copy_and_different_ones_do_not() {
        let text = r#"[{"superuser":{"cluster":["all"]}},{"superuser":{"cluster":["all"]}},{"viewer":{"cluster":["monitor"]}}]"#;
        let roles: Vec<RoleDescriptors> = serde_json::from_str(text).unwrap();
        assert!(roles[0].shares_with(&roles[1]));
        assert!(!roles[0].shares_with(&roles[2]));
        assert_eq!(
            roles[2]["viewer"].cluster.as_deref(),
            Some(&["monitor".to_string()][..])
        );
        assert_eq!(serde_json::to_string(&roles).unwrap(), text);
        // Decoding from a `Value` works too.
        let value: serde_json::Value = serde_json::from_str(text).unwrap();
        let again: Vec<RoleDescriptors> = serde_json::from_value(value).unwrap();
        assert_eq!(again, roles);
    }
}
