//! [`RoleDescriptors`]: the `limited_by` roles of a key, decoded once per distinct value.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;
use std::hash::BuildHasher as _;
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
///
/// Sharing saves memory and never changes a value; which keys share is not part of the API.
/// Looking up costs a little on a value that is not repeated, so after a long run of values that
/// all differ (every key with roles of its own), decoding stops looking most of them up, and
/// starts again as soon as one it does look up is a repeat.
#[derive(Clone, PartialEq)]
pub struct RoleDescriptors(Arc<SmallMap<CompactString, RoleDescriptor>>);

/// The decoded roles, by name.
type Roles = SmallMap<CompactString, RoleDescriptor>;

thread_local! {
    /// The values decoded on this thread and still in use.
    static CACHE: RefCell<Cache> = RefCell::new(Cache::default());
}

/// How many distinct values the per-thread cache remembers before it forgets some: a bound on
/// memory whatever the input.
const CACHE_LIMIT: usize = 256;

/// After this many values in a row that were not repeats, most values are decoded without a
/// look-up.
const MISSES_BEFORE_OFF: u32 = 64;

/// While look-ups are off, one value in this many is still looked up, to notice repeats again.
const PROBE_EVERY: u32 = 16;

/// The values decoded on this thread and still in use, by the hash of their JSON text, and
/// whether looking them up has been paying.
#[derive(Default)]
struct Cache {
    /// Seeds the hash of each text. Random per thread, so no input can choose its collisions;
    /// a collision would only cost a decode, as every match is checked.
    texts: foldhash::quality::RandomState,
    /// By the hash of their JSON text.
    entries: HashMap<u64, Entry, foldhash::fast::RandomState>,
    /// Values in a row that were not repeats.
    misses_in_a_row: u32,
    /// While look-ups are off: values decoded since the last one that was looked up.
    off: Option<u32>,
}

/// A value in use, and what is known of its text.
struct Entry {
    /// The JSON text, kept once a second value with the same hash has been decoded and found
    /// equal. Until then an entry is only its hash: most values that are never repeated, and
    /// copying the text of each would be an allocation for nothing.
    text: Option<Box<str>>,
    roles: Weak<Roles>,
}

/// What the cache holds for a text.
enum Found {
    /// The value in use with this very text.
    Shared(Arc<Roles>),
    /// A value in use whose text has the same hash: shared only if the decoded value is equal.
    Candidate(Arc<Roles>),
    Nothing,
}

impl Cache {
    /// Whether to look the next value up (otherwise it is decoded straight away).
    fn looks_up(&mut self) -> bool {
        match &mut self.off {
            None => true,
            Some(since) => {
                *since += 1;
                if *since >= PROBE_EVERY {
                    *since = 0;
                    true
                } else {
                    false
                }
            }
        }
    }

    fn hash(&self, text: &str) -> u64 {
        self.texts.hash_one(text)
    }

    fn find(&self, hash: u64, text: &str) -> Found {
        let Some(entry) = self.entries.get(&hash) else {
            return Found::Nothing;
        };
        let Some(roles) = entry.roles.upgrade() else {
            return Found::Nothing;
        };
        match &entry.text {
            None => Found::Candidate(roles),
            Some(known) if **known == *text => Found::Shared(roles),
            Some(_) => Found::Nothing,
        }
    }

    /// Counts a value that was (or was not) a repeat, and turns look-ups off or on.
    fn count(&mut self, repeat: bool) {
        if repeat {
            self.misses_in_a_row = 0;
            self.off = None;
        } else {
            self.misses_in_a_row = self.misses_in_a_row.saturating_add(1);
            if self.misses_in_a_row >= MISSES_BEFORE_OFF && self.off.is_none() {
                self.off = Some(0);
            }
        }
    }

    /// Remembers `roles` by the hash of its text, which is kept if `text` is given.
    fn remember(&mut self, hash: u64, text: Option<&str>, roles: &Arc<Roles>) {
        if self.entries.len() >= CACHE_LIMIT {
            // Forget the values no longer in use; then, if need be, those seen only once, so
            // that the ones that do repeat (`superuser`) stay shared; then everything.
            self.entries
                .retain(|_, entry| entry.roles.strong_count() > 0);
            if self.entries.len() >= CACHE_LIMIT {
                self.entries.retain(|_, entry| entry.text.is_some());
            }
            if self.entries.len() >= CACHE_LIMIT {
                self.entries.clear();
            }
        }
        let entry = Entry {
            text: text.map(Box::from),
            roles: Arc::downgrade(roles),
        };
        self.entries.insert(hash, entry);
    }
}

/// The shared copy of the value whose JSON text is `text`: the copy in use if there is one,
/// else what `decode` gives, remembered.
fn intern<E>(text: &str, decode: impl FnOnce() -> Result<Roles, E>) -> Result<Arc<Roles>, E> {
    let (hash, found) = CACHE.with(|cache| {
        let cache = cache.borrow();
        let hash = cache.hash(text);
        (hash, cache.find(hash, text))
    });
    // No borrow of the cache is held while decoding.
    let (roles, repeat, keep_text) = match found {
        Found::Shared(roles) => (roles, true, None),
        Found::Candidate(candidate) => {
            let decoded = decode()?;
            if *candidate == decoded {
                // A second sighting: from now on a repeat is a comparison of texts.
                (candidate, true, Some(text))
            } else {
                (Arc::new(decoded), false, None)
            }
        }
        Found::Nothing => (Arc::new(decode()?), false, None),
    };
    CACHE.with(|cache| {
        let mut cache = cache.borrow_mut();
        cache.count(repeat);
        if !repeat || keep_text.is_some() {
            cache.remember(hash, keep_text, &roles);
        }
    });
    Ok(roles)
}

/// Whether the next value is looked up.
fn looks_up() -> bool {
    CACHE.with(|cache| cache.borrow_mut().looks_up())
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
        if looks_up() {
            deserializer.deserialize_newtype_struct(JSON_TEXT, RolesVisitor)
        } else {
            Ok(Self(Arc::new(Roles::deserialize(deserializer)?)))
        }
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
        intern(text, || serde_json::from_str(text)).map(Self)
    }

    /// The shared copy of `roles`, decoded from a format without JSON text: looked up by the
    /// compact JSON text it encodes to, which is the text Elasticsearch sends.
    fn shared(roles: Roles) -> Self {
        let Ok(text) = serde_json::to_string(&roles) else {
            return Self(Arc::new(roles));
        };
        let Ok(shared) = intern::<std::convert::Infallible>(&text, || Ok(roles));
        Self(shared)
    }
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

    /// A list of `limited_by` values as JSON: `distinct` of roles of their own, then `repeats`
    /// of `superuser`.
    fn values(distinct: usize, repeats: usize) -> String {
        let own = (0..distinct).map(|i| format!(r#"{{"owner-{i}":{{"cluster":["monitor"]}}}}"#));
        let shared = (0..repeats).map(|_| r#"{"superuser":{"cluster":["all"]}}"#.to_owned());
        let all: Vec<String> = own.chain(shared).collect();
        format!("[{}]", all.join(","))
    }

    #[test]
    fn a_long_run_of_distinct_values_turns_look_ups_off_until_one_repeats() {
        // On a thread of its own: the cache and its counts are per thread.
        std::thread::spawn(|| {
            let reads = || JSON_TEXT_READS.with(std::cell::Cell::get);
            let distinct = MISSES_BEFORE_OFF as usize * 4;
            let text = values(distinct, 0);
            let before = reads();
            let roles: Vec<RoleDescriptors> = serde_json::from_str(&text).unwrap();
            let looked_up = reads() - before;
            assert_eq!(roles.len(), distinct);
            assert!(
                looked_up < distinct / 2,
                "{looked_up} of {distinct} distinct values were looked up: look-ups should turn \
                 off after {MISSES_BEFORE_OFF} misses in a row"
            );
            assert_eq!(serde_json::to_string(&roles).unwrap(), text);

            // Repeats turn look-ups on again within two probes, and are shared from then on.
            let repeats = 4 * PROBE_EVERY as usize;
            let roles: Vec<RoleDescriptors> = serde_json::from_str(&values(0, repeats)).unwrap();
            let last = &roles[2 * PROBE_EVERY as usize..];
            assert!(
                last.iter().all(|role| role.shares_with(&last[0])),
                "repeats after two probes are not all shared"
            );
            let before = reads();
            let again: Vec<RoleDescriptors> = serde_json::from_str(&values(0, 3)).unwrap();
            assert_eq!(reads() - before, 3, "look-ups did not turn back on");
            assert!(again.iter().all(|role| role.shares_with(&last[0])));
        })
        .join()
        .unwrap();
    }

    #[test]
    fn a_full_cache_keeps_the_values_that_repeat() {
        std::thread::spawn(|| {
            // `superuser` twice (so its text is kept), then more distinct values than the cache
            // holds, interleaved with `superuser` so that look-ups stay on.
            let mut parts = vec![r#"{"superuser":{"cluster":["all"]}}"#.to_owned(); 2];
            for i in 0..CACHE_LIMIT * 2 {
                parts.push(format!(r#"{{"owner-{i}":{{"cluster":["monitor"]}}}}"#));
                parts.push(r#"{"superuser":{"cluster":["all"]}}"#.to_owned());
            }
            let roles: Vec<RoleDescriptors> =
                serde_json::from_str(&format!("[{}]", parts.join(","))).unwrap();
            let superusers: Vec<_> = roles
                .iter()
                .filter(|r| r.contains_key("superuser"))
                .collect();
            assert_eq!(superusers.len(), 2 + CACHE_LIMIT * 2);
            assert!(
                superusers.iter().all(|r| r.shares_with(superusers[0])),
                "a repeated value lost its shared copy when the cache filled"
            );
        })
        .join()
        .unwrap();
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
