//! Elasticsearch's `filter_path`, for the test server that honours it ([`crate::es_server`]).
//!
//! What the server does with it (`FilterPath` and `FilterPathBasedFilter` of elastic/elasticsearch's
//! `libs/x-content`, and the "Response filtering" part of Elastic's "Common options" page):
//! - the parameter is a comma-separated list of dotted paths; one that starts with `-` excludes;
//! - in a segment, `*` matches any run of characters, and a segment `**` any number of levels;
//! - arrays are transparent to paths: the elements of an array stand where the array stands;
//! - exclusions are applied first, then inclusions keep only what they match, whole, and the
//!   objects and arrays on the way to it; an object or array left with nothing is not written.

use elastic_apikeys_models::JsonValue;
use elastic_apikeys_models::small_map::SmallMap;

/// A parsed `filter_path`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilterPath {
    include: Vec<Vec<String>>,
    exclude: Vec<Vec<String>>,
}

/// How a path stands against the patterns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Match {
    /// A pattern matches the path whole: what is below it is matched too.
    Whole,
    /// A pattern may match something below the path.
    Below,
    /// No pattern matches the path or anything below it.
    Nothing,
}

impl FilterPath {
    /// The filter of the parameter `text`.
    pub fn parse(text: &str) -> Self {
        let (mut include, mut exclude) = (Vec::new(), Vec::new());
        for path in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (list, path) = match path.strip_prefix('-') {
                Some(path) => (&mut exclude, path),
                None => (&mut include, path),
            };
            list.push(path.split('.').map(String::from).collect());
        }
        Self { include, exclude }
    }

    /// What `value` becomes: `None` when nothing of it is left.
    pub fn apply(&self, value: &JsonValue) -> Option<JsonValue> {
        let mut path = Vec::new();
        let excluded = if self.exclude.is_empty() {
            Some(value.clone())
        } else {
            walk(value, &mut path, &|p| match_any(&self.exclude, p), false)
        }?;
        if self.include.is_empty() {
            return Some(excluded);
        }
        walk(&excluded, &mut path, &|p| match_any(&self.include, p), true)
    }
}

/// `value` at `path`, kept (`keep`) or dropped (`!keep`) where `matches` says `Whole`.
fn walk(
    value: &JsonValue,
    path: &mut Vec<String>,
    matches: &dyn Fn(&[String]) -> Match,
    keep: bool,
) -> Option<JsonValue> {
    match value {
        JsonValue::Object(members) => {
            let mut kept = Vec::new();
            for (name, member) in members.iter() {
                path.push(name.to_string());
                let decided = matches(path);
                let member = match (decided, keep) {
                    (Match::Whole, true) => Some(member.clone()),
                    (Match::Whole, false) => None,
                    (Match::Nothing, true) => None,
                    (Match::Nothing, false) => Some(member.clone()),
                    (Match::Below, _) => walk(member, path, matches, keep),
                };
                path.pop();
                if let Some(member) = member {
                    kept.push((name.clone(), member));
                }
            }
            // An inclusion keeps only what leads to what it matched; an exclusion that emptied
            // an object leaves it empty, as Jackson's filter does.
            (!kept.is_empty() || !keep).then(|| JsonValue::Object(SmallMap::from_entries(kept)))
        }
        // Arrays are transparent: each element stands at the array's path.
        JsonValue::Array(elements) => {
            let kept: Vec<JsonValue> = elements
                .iter()
                .filter_map(|element| match element {
                    JsonValue::Object(_) | JsonValue::Array(_) => {
                        walk(element, path, matches, keep)
                    }
                    // A scalar in an array whose path is only a prefix of a pattern.
                    scalar => (!keep).then(|| scalar.clone()),
                })
                .collect();
            (!kept.is_empty() || !keep).then(|| JsonValue::Array(kept.into_boxed_slice()))
        }
        scalar => (!keep).then(|| scalar.clone()),
    }
}

fn match_any(patterns: &[Vec<String>], path: &[String]) -> Match {
    let mut best = Match::Nothing;
    for pattern in patterns {
        match match_path(pattern, path) {
            Match::Whole => return Match::Whole,
            Match::Below => best = Match::Below,
            Match::Nothing => {}
        }
    }
    best
}

/// How `path` stands against one `pattern`.
fn match_path(pattern: &[String], path: &[String]) -> Match {
    match (pattern.split_first(), path.split_first()) {
        (None, _) => Match::Whole,
        (Some((segment, rest)), _) if segment == "**" => {
            // `**` stands for no level, or for this one and maybe more.
            let without = match_path(rest, path);
            if without == Match::Whole {
                return Match::Whole;
            }
            if path.is_empty() {
                return Match::Below;
            }
            match match_path(pattern, &path[1..]) {
                Match::Whole => Match::Whole,
                _ => Match::Below,
            }
        }
        (Some(_), None) => Match::Below,
        (Some((segment, rest)), Some((name, names))) => {
            if glob(segment, name) {
                match_path(rest, names)
            } else {
                Match::Nothing
            }
        }
    }
}

/// Whether `name` matches `pattern`, where `*` matches any run of characters; index patterns
/// (`crate::audit_events`) match the same way.
pub(crate) fn glob(pattern: &str, name: &str) -> bool {
    match pattern.split_once('*') {
        None => pattern == name,
        Some((head, tail)) => {
            let Some(rest) = name.strip_prefix(head) else {
                return false;
            };
            (0..=rest.len())
                .filter(|&at| rest.is_char_boundary(at))
                .any(|at| glob(tail, &rest[at..]))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filtered(filter: &str, body: &str) -> String {
        let value: JsonValue = serde_json::from_str(body).unwrap();
        FilterPath::parse(filter)
            .apply(&value)
            .map_or_else(|| "{}".to_string(), |v| serde_json::to_string(&v).unwrap())
    }

    const KEYS: &str = r#"{"api_keys":[{"id":"a","name":"one","role_descriptors":{"r":{"cluster":["all"]}},"metadata":{}},{"id":"b","name":null,"role_descriptors":{}}]}"#;

    #[test]
    fn arrays_are_transparent_and_order_is_kept() {
        assert_eq!(
            filtered("api_keys.name,api_keys.id", KEYS),
            r#"{"api_keys":[{"id":"a","name":"one"},{"id":"b","name":null}]}"#
        );
        assert_eq!(
            filtered("api_keys.role_descriptors.*.cluster", KEYS),
            r#"{"api_keys":[{"role_descriptors":{"r":{"cluster":["all"]}}}]}"#
        );
        assert_eq!(
            filtered("**.cluster", KEYS),
            r#"{"api_keys":[{"role_descriptors":{"r":{"cluster":["all"]}}}]}"#
        );
        assert_eq!(
            filtered("api_keys.n*", KEYS),
            r#"{"api_keys":[{"name":"one"},{"name":null}]}"#
        );
    }

    #[test]
    fn nothing_matched_is_an_empty_object_and_exclusions_keep_the_rest() {
        assert_eq!(filtered("api_keys.id", r#"{"api_keys":[]}"#), "{}");
        assert_eq!(filtered("total", KEYS), "{}");
        assert_eq!(
            filtered("-api_keys.role_descriptors,-api_keys.metadata", KEYS),
            r#"{"api_keys":[{"id":"a","name":"one"},{"id":"b","name":null}]}"#
        );
        assert_eq!(
            filtered("api_keys.id,-api_keys.id,api_keys.name", KEYS),
            r#"{"api_keys":[{"name":"one"},{"name":null}]}"#
        );
    }
}
