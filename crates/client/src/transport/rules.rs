//! Request rules the APIs enforce, checked before anything is sent.
//!
//! Elasticsearch refuses some combinations of query parameters with a 400 and a message of its
//! own (for `GET /_security/api_key`, `GetApiKeyRequest.validate()` in elastic/elasticsearch,
//! `x-pack/plugin/core/src/main/java/org/elasticsearch/xpack/core/security/action/apikey/GetApiKeyRequest.java`).
//! The spec declares them on each operation (`x-request-rules`), the generator writes them into
//! the client, and the client finds them first, reporting them in the server's words, order and
//! wrapping.

use std::fmt;

use reqwest::Url;

use super::policy::{OperationPolicy, Param};

/// A request that breaks the API's rules; it was not sent.
///
/// `Display` gives the message Elasticsearch would answer with, such as
/// `Validation Failed: 1: only one of [api key id, api key name] can be specified;`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RequestRuleViolation {
    /// The operation, as the spec names it.
    pub operation_id: &'static str,
    /// Each broken rule's message, in the order Elasticsearch checks them.
    pub messages: Vec<&'static str>,
}

impl fmt::Display for RequestRuleViolation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Validation Failed: ")?;
        for (number, message) in self.messages.iter().enumerate() {
            write!(f, "{}: {message};", number + 1)?;
        }
        Ok(())
    }
}

impl std::error::Error for RequestRuleViolation {}

/// Checks the request of `policy`'s operation about to go to `url`.
pub(crate) fn check(policy: &OperationPolicy, url: &Url) -> Result<(), RequestRuleViolation> {
    let given = |param: &Param| {
        url.query_pairs().any(|(k, v)| {
            k == param.name
                && if param.boolean {
                    // A bare `?owner` is `owner=true`.
                    v.is_empty() || v == "true"
                } else {
                    has_text(&v)
                }
        })
    };
    let messages: Vec<&'static str> = policy
        .rules
        .iter()
        .filter(|rule| rule.groups.iter().all(|group| group.iter().any(given)))
        .map(|rule| rule.message)
        .collect();
    if messages.is_empty() {
        Ok(())
    } else {
        Err(RequestRuleViolation {
            operation_id: policy.operation_id,
            messages,
        })
    }
}

/// Whether `value` counts as given for Elasticsearch: its `Strings.hasText`, true when a character
/// is not whitespace by Java's `Character.isWhitespace`. That differs from Rust's
/// `char::is_whitespace`: the no-break spaces (U+00A0, U+2007, U+202F) and U+0085 are text to
/// Java, and the separators U+001C to U+001F are whitespace.
fn has_text(value: &str) -> bool {
    let java_whitespace = |c: char| {
        (c.is_whitespace() && !matches!(c, '\u{85}' | '\u{a0}' | '\u{2007}' | '\u{202f}'))
            || matches!(c, '\u{1c}'..='\u{1f}')
    };
    value.chars().any(|c| !java_whitespace(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The rules the spec declares for `GET /_security/api_key`, as the generator wrote them.
    fn check_query(query: &str) -> Result<(), String> {
        let url = Url::parse(&format!("http://localhost:9200/_security/api_key?{query}")).unwrap();
        let policy = super::super::policy::find(
            crate::generated::elasticsearch::OPERATIONS,
            "security_get_api_key",
        );
        check(&policy, &url).map_err(|v| v.to_string())
    }

    #[test]
    fn messages_match_elasticsearch_exactly() {
        assert_eq!(
            check_query("id=a&name=b"),
            Err(
                "Validation Failed: 1: only one of [api key id, api key name] can be specified;"
                    .into()
            )
        );
        assert_eq!(
            check_query("id=a&name=b&username=u"),
            Err("Validation Failed: 1: username or realm name must not be specified when the api key id or api key name is specified;2: only one of [api key id, api key name] can be specified;".into())
        );
        assert_eq!(
            check_query("owner=true&realm_name=native1"),
            Err("Validation Failed: 1: neither username nor realm-name may be specified when retrieving owned API keys;".into())
        );
        assert_eq!(
            check_query("name=x&owner=true&username=u")
                .unwrap_err()
                .matches(';')
                .count(),
            2
        );
    }

    #[test]
    fn allowed_combinations_pass() {
        for query in [
            "",
            "id=a",
            "name=my-*&owner=true",
            "username=u&realm_name=r",
            "owner=false&username=u",
            "id=a&username=",
            // Whitespace only, which Elasticsearch treats as absent.
            "id=a&username=%20",
            "id=%09%0A&name=b",
            "owner=true&realm_name=%E2%80%83%1C",
            "active_only=true&owner=true&with_limited_by=true",
        ] {
            assert_eq!(check_query(query), Ok(()), "{query}");
        }
    }

    #[test]
    fn text_is_what_java_does_not_call_whitespace() {
        for blank in [
            "",
            " ",
            "\t\n\u{b}\u{c}\r",
            "\u{1c}\u{1f}",
            "\u{2003}\u{3000}\u{2028}",
        ] {
            assert!(!has_text(blank), "{blank:?}");
        }
        for text in ["a", " a ", "\u{a0}", "\u{2007}", "\u{202f}", "\u{85}"] {
            assert!(has_text(text), "{text:?}");
        }
        assert_eq!(
            check_query("id=a&username=%C2%A0"),
            Err("Validation Failed: 1: username or realm name must not be specified when the api key id or api key name is specified;".into()),
            "a no-break space is text to Elasticsearch"
        );
    }

    #[test]
    fn other_operations_have_no_rules() {
        let url = Url::parse("http://localhost/users/auth/keys?id=a&name=b").unwrap();
        let policy =
            super::super::policy::find(crate::generated::cloud::OPERATIONS, "get_api_keys");
        assert_eq!(policy.operation_id, "get_api_keys", "the table has it");
        assert_eq!(check(&policy, &url), Ok(()));
    }
}
