//! [`SmallMap`], the map type of the generated models.

use std::borrow::Borrow;
use std::fmt;
use std::marker::PhantomData;

use smallvec::SmallVec;
use thin_vec::ThinVec;

/// A map kept as a list of entries, in the order they were received.
///
/// The maps of these APIs are small: a key's role descriptors, a role's `limited_by`, an error's
/// headers. A `BTreeMap` allocates a node for eleven entries for each of them, even for one;
/// decoding a 100,000-key list then holds over a gigabyte of mostly empty nodes. `SmallMap` holds
/// exactly its entries, keeps their order (so re-encoding writes them as they came), and looks
/// keys up by a linear scan, which for a handful of entries is as fast as any map.
///
/// Inserting a key that is already present replaces its value, as JSON's last-one-wins rule for
/// repeated keys has it.
///
/// The map is one pointer wide. An empty map, as most `extra` maps of unknown fields are, holds
/// no allocation; a decoded map holds one, of exactly its entries.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct SmallMap<K, V>(ThinVec<(K, V)>);

impl<K, V> SmallMap<K, V> {
    /// An empty map.
    pub const fn new() -> Self {
        Self(ThinVec::new())
    }

    /// How many entries the map holds.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the map holds no entries.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The entries, in order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&K, &V)> {
        self.0.iter().map(|(k, v)| (k, v))
    }

    /// The keys, in order.
    pub fn keys(&self) -> impl ExactSizeIterator<Item = &K> {
        self.0.iter().map(|(k, _)| k)
    }

    /// The values, in order.
    pub fn values(&self) -> impl ExactSizeIterator<Item = &V> {
        self.0.iter().map(|(_, v)| v)
    }

    /// The value of `key`.
    pub fn get<Q>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
        Q: Eq + ?Sized,
    {
        self.0
            .iter()
            .find(|(k, _)| k.borrow() == key)
            .map(|(_, v)| v)
    }

    /// The value of `key`, to change it.
    pub fn get_mut<Q>(&mut self, key: &Q) -> Option<&mut V>
    where
        K: Borrow<Q>,
        Q: Eq + ?Sized,
    {
        self.0
            .iter_mut()
            .find(|(k, _)| k.borrow() == key)
            .map(|(_, v)| v)
    }

    /// Whether `key` is present.
    pub fn contains_key<Q>(&self, key: &Q) -> bool
    where
        K: Borrow<Q>,
        Q: Eq + ?Sized,
    {
        self.get(key).is_some()
    }

    /// Sets `key` to `value`; returns the value it replaces.
    pub fn insert(&mut self, key: K, value: V) -> Option<V>
    where
        K: Eq,
    {
        match self.0.iter_mut().find(|(k, _)| *k == key) {
            Some((_, old)) => Some(std::mem::replace(old, value)),
            None => {
                self.0.push((key, value));
                None
            }
        }
    }

    /// A map of `entries`, in order; where a key repeats, the last value wins, in the place of
    /// the first. Linear in the number of entries, so a hostile body with many repeated or
    /// unknown keys cannot make decoding quadratic.
    pub fn from_entries(entries: Vec<(K, V)>) -> Self
    where
        K: Eq + std::hash::Hash,
    {
        Self::from_exact(entries.into_iter())
    }

    /// [`SmallMap::from_entries`] from entries whose count is known: the map is allocated once,
    /// at that size (less any repeats).
    fn from_exact(entries: impl ExactSizeIterator<Item = (K, V)>) -> Self
    where
        K: Eq + std::hash::Hash,
    {
        use std::hash::BuildHasher;
        /// Up to this many entries, comparing every pair is cheaper than hashing.
        const LINEAR: usize = 16;
        let mut map = Self(ThinVec::with_capacity(entries.len()));
        if entries.len() <= LINEAR {
            for (k, v) in entries {
                map.insert(k, v);
            }
            return map;
        }
        let state = std::collections::hash_map::RandomState::new();
        let mut positions: std::collections::HashMap<u64, Vec<usize>> =
            std::collections::HashMap::with_capacity(entries.len());
        for (k, v) in entries {
            let slots = positions.entry(state.hash_one(&k)).or_default();
            match slots.iter().find(|&&i| map.0[i].0 == k) {
                Some(&i) => map.0[i].1 = v,
                None => {
                    slots.push(map.0.len());
                    map.0.push((k, v));
                }
            }
        }
        map.0.shrink_to_fit();
        map
    }

    /// Reads a map's entries: gathered on the stack, so that the map is allocated once, at its
    /// size.
    pub(crate) fn read<'de, A>(mut access: A) -> Result<Self, A::Error>
    where
        K: serde::Deserialize<'de> + Eq + std::hash::Hash,
        V: serde::Deserialize<'de>,
        A: serde::de::MapAccess<'de>,
    {
        let mut entries: SmallVec<[(K, V); crate::de::ON_STACK]> = SmallVec::new();
        while let Some(entry) = access.next_entry()? {
            entries.push(entry);
        }
        Ok(Self::from_exact(entries.into_iter()))
    }

    /// Removes `key`; returns its value.
    pub fn remove<Q>(&mut self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
        Q: Eq + ?Sized,
    {
        let index = self.0.iter().position(|(k, _)| k.borrow() == key)?;
        Some(self.0.remove(index).1)
    }
}

impl<K, V> Default for SmallMap<K, V> {
    fn default() -> Self {
        Self::new()
    }
}

impl<K: fmt::Debug, V: fmt::Debug> fmt::Debug for SmallMap<K, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<K, V, Q> std::ops::Index<&Q> for SmallMap<K, V>
where
    K: Borrow<Q>,
    Q: Eq + ?Sized,
{
    type Output = V;

    /// The value of `key`; panics if it is absent, as `BTreeMap`'s index does.
    fn index(&self, key: &Q) -> &V {
        self.get(key).expect("no entry found for key")
    }
}

impl<K: Eq, V> FromIterator<(K, V)> for SmallMap<K, V> {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(entries: I) -> Self {
        let mut map = Self::new();
        map.extend(entries);
        map
    }
}

impl<K: Eq, V> Extend<(K, V)> for SmallMap<K, V> {
    fn extend<I: IntoIterator<Item = (K, V)>>(&mut self, entries: I) {
        for (k, v) in entries {
            self.insert(k, v);
        }
    }
}

impl<K, V> IntoIterator for SmallMap<K, V> {
    type Item = (K, V);
    type IntoIter = IntoIter<K, V>;

    fn into_iter(self) -> Self::IntoIter {
        IntoIter(self.0.into_iter())
    }
}

/// The entries of a [`SmallMap`], in order, taken out of it.
pub struct IntoIter<K, V>(thin_vec::IntoIter<(K, V)>);

impl<K, V> Iterator for IntoIter<K, V> {
    type Item = (K, V);

    fn next(&mut self) -> Option<(K, V)> {
        self.0.next()
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

impl<K, V> DoubleEndedIterator for IntoIter<K, V> {
    fn next_back(&mut self) -> Option<(K, V)> {
        self.0.next_back()
    }
}

impl<K, V> ExactSizeIterator for IntoIter<K, V> {}

impl<K: fmt::Debug, V: fmt::Debug> fmt::Debug for IntoIter<K, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.0.as_slice()).finish()
    }
}

impl<'a, K, V> IntoIterator for &'a SmallMap<K, V> {
    type Item = (&'a K, &'a V);
    type IntoIter = std::iter::Map<std::slice::Iter<'a, (K, V)>, fn(&'a (K, V)) -> (&'a K, &'a V)>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(|(k, v)| (k, v))
    }
}

impl<K: serde::Serialize, V: serde::Serialize> serde::Serialize for SmallMap<K, V> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter())
    }
}

impl<'de, K, V> serde::Deserialize<'de> for SmallMap<K, V>
where
    K: serde::Deserialize<'de> + Eq + std::hash::Hash,
    V: serde::Deserialize<'de>,
{
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor<K, V>(PhantomData<fn() -> (K, V)>);

        impl<'de, K, V> serde::de::Visitor<'de> for Visitor<K, V>
        where
            K: serde::Deserialize<'de> + Eq + std::hash::Hash,
            V: serde::Deserialize<'de>,
        {
            type Value = SmallMap<K, V>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object")
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                access: A,
            ) -> Result<Self::Value, A::Error> {
                SmallMap::read(access)
            }
        }

        deserializer.deserialize_map(Visitor(PhantomData))
    }
}

impl<K: schemars::JsonSchema, V: schemars::JsonSchema> schemars::JsonSchema for SmallMap<K, V> {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        <std::collections::BTreeMap<K, V> as schemars::JsonSchema>::schema_name()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        <std::collections::BTreeMap<K, V> as schemars::JsonSchema>::json_schema(generator)
    }

    fn inline_schema() -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_order_replaces_repeats_and_round_trips() {
        let map: SmallMap<String, u8> = serde_json::from_str(r#"{"b":1,"a":2,"b":3}"#).unwrap();
        assert_eq!(map.len(), 2);
        assert_eq!(map["b"], 3);
        assert_eq!(map.get("a"), Some(&2));
        assert_eq!(map.get("c"), None);
        assert_eq!(serde_json::to_string(&map).unwrap(), r#"{"b":3,"a":2}"#);
        assert_eq!(format!("{map:?}"), r#"{"b": 3, "a": 2}"#);
        let mut map = map;
        assert_eq!(map.insert("a".into(), 9), Some(2));
        assert_eq!(map.remove("b"), Some(3));
        assert_eq!(map.keys().collect::<Vec<_>>(), ["a"]);
    }

    #[test]
    fn is_one_pointer_wide_and_holds_exactly_its_entries() {
        assert_eq!(size_of::<SmallMap<String, u8>>(), size_of::<usize>());
        let map: SmallMap<String, u8> = serde_json::from_str(r#"{"a":1,"b":2,"c":3}"#).unwrap();
        assert_eq!((map.len(), map.0.capacity()), (3, 3));
        let many: String = format!(
            "{{{}}}",
            (0..40)
                .map(|i| format!(r#""k{i}":{i}"#))
                .collect::<Vec<_>>()
                .join(",")
        );
        let map: SmallMap<String, u8> = serde_json::from_str(&many).unwrap();
        assert_eq!((map.len(), map.0.capacity()), (40, 40));
        assert_eq!(map.into_iter().next_back(), Some(("k39".to_owned(), 39)));
    }

    #[test]
    fn many_repeated_keys_keep_first_places_and_last_values() {
        let entries: Vec<(String, usize)> =
            (0..10_000).map(|i| (format!("k{}", i % 100), i)).collect();
        let map = SmallMap::from_entries(entries);
        assert_eq!(map.len(), 100);
        assert_eq!(map.keys().next().map(String::as_str), Some("k0"));
        assert_eq!(map["k0"], 9_900);
        assert_eq!(map["k99"], 9_999);
    }
}
