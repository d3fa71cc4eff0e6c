//! Helpers for the `Deserialize` impls that `cargo xtask codegen` writes (see
//! `xtask/src/codegen/struct_deserialize.rs`).

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use smallvec::SmallVec;

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

/// How many items of a list, or entries of a map, are gathered on the stack before it is
/// allocated. The lists and maps of these APIs are short: a role's index entries, an entry's
/// names and privileges.
pub(crate) const ON_STACK: usize = 8;

/// Reads a list at its exact size: gathered on the stack, then allocated once. Read into a `Vec`
/// as it comes, a list grows by doubling and keeps the spare capacity, and a 100,000-key body
/// holds millions of lists.
pub(crate) fn read_seq<'de, T, A>(mut seq: A) -> Result<Vec<T>, A::Error>
where
    T: serde::Deserialize<'de>,
    A: serde::de::SeqAccess<'de>,
{
    if let Some(len) = seq.size_hint() {
        // The format gave the length (CBOR does): trusted as far as a bound that a hostile
        // length prefix cannot turn into a large allocation.
        let mut items = Vec::with_capacity(len.min(4096));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        return Ok(items);
    }
    let mut items: SmallVec<[T; ON_STACK]> = SmallVec::new();
    while let Some(item) = seq.next_element()? {
        items.push(item);
    }
    Ok(exact_vec(items))
}

/// The gathered items as a `Vec` with no spare capacity.
fn exact_vec<T>(items: SmallVec<[T; ON_STACK]>) -> Vec<T> {
    if items.spilled() {
        let mut items = items.into_vec();
        items.shrink_to_fit();
        items
    } else {
        let mut exact = Vec::with_capacity(items.len());
        exact.extend(items);
        exact
    }
}

/// A list field of the generated models, read by [`read_seq`]: `Exact<Vec<T>>` or
/// `Exact<Option<Vec<T>>>`.
#[derive(Debug)]
pub(crate) struct Exact<T>(pub(crate) T);

impl<'de, T: serde::Deserialize<'de>> serde::Deserialize<'de> for Exact<Vec<T>> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor<T>(PhantomData<fn() -> T>);

        impl<'de, T: serde::Deserialize<'de>> serde::de::Visitor<'de> for Visitor<T> {
            type Value = Vec<T>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a sequence")
            }

            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, seq: A) -> Result<Vec<T>, A::Error> {
                read_seq(seq)
            }
        }

        deserializer
            .deserialize_seq(Visitor(PhantomData))
            .map(Exact)
    }
}

impl<'de, T: serde::Deserialize<'de>> serde::Deserialize<'de> for Exact<Option<Vec<T>>> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Option::<Exact<Vec<T>>>::deserialize(deserializer).map(|list| Exact(list.map(|l| l.0)))
    }
}

#[cfg(test)]
mod tests {
    use super::Exact;

    #[test]
    fn lists_are_read_at_their_exact_size() {
        for len in [0, 1, 3, super::ON_STACK, super::ON_STACK + 1, 100] {
            let text = serde_json::to_string(&vec!["name"; len]).unwrap();
            let Exact(list) = serde_json::from_str::<Exact<Vec<String>>>(&text).unwrap();
            assert_eq!((list.len(), list.capacity()), (len, len), "{len} items");
            let Exact(list) = serde_json::from_str::<Exact<Option<Vec<String>>>>(&text).unwrap();
            assert_eq!(list.map(|l| l.capacity()), Some(len), "{len} items");
        }
        // A deserializer that gives the length (as CBOR's does, and `serde_json::Value`'s).
        use serde::Deserialize as _;
        let given = serde_json::json!(["a", "b", "c"]);
        let Exact(list) = Exact::<Vec<String>>::deserialize(given).unwrap();
        assert_eq!((list.len(), list.capacity()), (3, 3));
        let Exact(list) = serde_json::from_str::<Exact<Option<Vec<String>>>>("null").unwrap();
        assert_eq!(list, None);
        let error = serde_json::from_str::<Exact<Vec<String>>>(r#"{"a":1}"#).unwrap_err();
        assert!(error.to_string().contains("expected a sequence"), "{error}");
    }
}
