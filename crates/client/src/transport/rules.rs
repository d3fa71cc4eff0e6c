//! Request rules the APIs enforce, checked before anything is sent.
//!
//! Elasticsearch refuses some combinations of query parameters and body fields with a 400 and a message of its
//! own (for `GET /_security/api_key`, `GetApiKeyRequest.validate()` in elastic/elasticsearch,
//! `x-pack/plugin/core/src/main/java/org/elasticsearch/xpack/core/security/action/apikey/GetApiKeyRequest.java`).
//! The spec declares them on each operation (`x-request-rules`), the generator writes them into
//! the client, and the client finds them first, reporting them in the server's words, order and
//! wrapping.

use std::borrow::Cow;
use std::fmt;

use reqwest::Url;

use serde_json::Value;

use super::declarations::{Declared, Given, Param, ParamKind, Place, RequestRule, RuleCheck};

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
    pub messages: Vec<Cow<'static, str>>,
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

/// Checks the request of the `declared` operation about to go to `url` with `body`.
pub(crate) fn check(
    declared: &Declared,
    url: &Url,
    body: Option<&[u8]>,
) -> Result<(), RequestRuleViolation> {
    if declared.rules.is_empty() {
        return Ok(());
    }
    let request = Sent::new(url, body);
    let mut messages = Vec::new();
    for rule in declared.rules {
        if let Some(message) = broken(rule, &request) {
            messages.push(message);
            if rule.stop {
                break;
            }
        }
    }
    if messages.is_empty() {
        Ok(())
    } else {
        Err(RequestRuleViolation {
            operation_id: declared.operation_id,
            messages,
        })
    }
}

/// The message of `rule` if `request` breaks it.
fn broken(rule: &RequestRule, request: &Sent<'_>) -> Option<Cow<'static, str>> {
    if let Some((param, value)) = rule.when
        && request.text(&param).as_deref() != Some(value)
    {
        return None;
    }
    let given = |param: &Param| request.given(param, rule.given);
    match rule.check {
        RuleCheck::Together(groups) => groups
            .iter()
            .all(|group| group.iter().any(given))
            .then_some(Cow::Borrowed(rule.message)),
        RuleCheck::NoneOf(params) => {
            (!params.iter().any(given)).then_some(Cow::Borrowed(rule.message))
        }
        RuleCheck::Empty(params) => params
            .iter()
            .any(|param| request.empty(param))
            .then_some(Cow::Borrowed(rule.message)),
        RuleCheck::NoBlank(params) => params.iter().find_map(|param| {
            let blank = request.blank_items(param);
            // Java's `Arrays.toString`: `[1]`, `[0, 2]`.
            let positions = format!(
                "[{}]",
                blank
                    .iter()
                    .map(usize::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            match blank.len() {
                0 => None,
                1 => Some(rule.message.replace("{positions}", &positions).into()),
                _ => Some(rule.message_many.replace("{positions}", &positions).into()),
            }
        }),
    }
}

/// What a request sends, as the rules read it.
struct Sent<'a> {
    url: &'a Url,
    /// The top-level fields of the body, when it is a JSON object.
    fields: Option<serde_json::Map<String, Value>>,
}

impl<'a> Sent<'a> {
    fn new(url: &'a Url, body: Option<&[u8]>) -> Self {
        // A body that is not a JSON object has no fields: the server refuses it on its own.
        let fields = body.and_then(|bytes| serde_json::from_slice(bytes).ok());
        Self { url, fields }
    }

    fn query_values(&self, name: &'a str) -> impl Iterator<Item = String> + '_ {
        self.url
            .query_pairs()
            .filter(move |(key, _)| key == name)
            .map(|(_, value)| value.into_owned())
    }

    /// The body field `name`, `null` included.
    fn raw_field(&self, name: &str) -> Option<&Value> {
        self.fields.as_ref()?.get(name)
    }

    fn field(&self, name: &str) -> Option<&Value> {
        self.raw_field(name).filter(|v| !v.is_null())
    }

    /// The text `param` is sent with, empty or not; `None` when it is absent, `null` or not a
    /// string.
    fn text(&self, param: &Param) -> Option<String> {
        match param.place {
            Place::Query => self.query_values(param.name).next(),
            Place::Body => self
                .field(param.name)
                .and_then(Value::as_str)
                .map(str::to_string),
        }
    }

    fn given(&self, param: &Param, given: Given) -> bool {
        let text = |value: &str| match given {
            Given::HasText => has_text(value),
            Given::NonEmpty => !value.is_empty(),
            Given::Present => true,
        };
        match param.place {
            Place::Query => self.query_values(param.name).any(|value| match param.kind {
                // A bare `?owner` is `owner=true`.
                ParamKind::Flag => value.is_empty() || value == "true",
                ParamKind::Text | ParamKind::Value => text(&value),
            }),
            Place::Body => match (self.raw_field(param.name), param.kind) {
                (None, _) => false,
                (Some(Value::Null), _) => given == Given::Present,
                // Elasticsearch's parser takes `"true"` for a boolean too.
                (Some(value), ParamKind::Flag) => {
                    value.as_bool() == Some(true) || value.as_str() == Some("true")
                }
                (Some(Value::String(value)), ParamKind::Text) => text(value),
                (Some(_), _) => true,
            },
        }
    }

    /// The positions, from 0, of the items of the list `param` that are not text: `null`,
    /// empty or whitespace, as `Strings.hasText` reads them.
    fn blank_items(&self, param: &Param) -> Vec<usize> {
        let Some(Value::Array(items)) = self.field(param.name) else {
            return Vec::new();
        };
        items
            .iter()
            .enumerate()
            .filter(|(_, item)| match item {
                Value::Null => true,
                Value::String(text) => !has_text(text),
                _ => false,
            })
            .map(|(position, _)| position)
            .collect()
    }

    fn empty(&self, param: &Param) -> bool {
        match param.place {
            Place::Query => self.query_values(param.name).any(|value| !has_text(&value)),
            Place::Body => {
                matches!(self.field(param.name), Some(Value::Array(items)) if items.is_empty())
            }
        }
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
        let policy = super::super::declarations::find(
            crate::generated::elasticsearch::OPERATIONS,
            "security_get_api_key",
        );
        check(&policy, &url, None).map_err(|v| v.to_string())
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

    /// Rules on body fields, of the three forms, as the generator writes them.
    fn check_body(body: &str) -> Result<(), String> {
        use super::super::declarations::RequestRule;
        /// A rule of the plain kind, with none of the modifiers.
        const PLAIN: RequestRule = RequestRule {
            message: "",
            message_many: "",
            check: RuleCheck::NoneOf(&[]),
            when: None,
            given: Given::HasText,
            stop: false,
        };
        const IDS: Param = Param {
            name: "ids",
            place: Place::Body,
            kind: ParamKind::Value,
        };
        const NAME: Param = Param {
            name: "name",
            place: Place::Body,
            kind: ParamKind::Text,
        };
        const OWNER: Param = Param {
            name: "owner",
            place: Place::Body,
            kind: ParamKind::Flag,
        };
        const POLICY: Declared = Declared {
            operation_id: "invalidate",
            retry_safe: true,
            rules: &[
                RequestRule {
                    message: "empty",
                    check: RuleCheck::Empty(&[IDS]),
                    ..PLAIN
                },
                RequestRule {
                    message: "none",
                    check: RuleCheck::NoneOf(&[IDS, NAME, OWNER]),
                    ..PLAIN
                },
                RequestRule {
                    message: "both",
                    check: RuleCheck::Together(&[&[IDS], &[NAME]]),
                    ..PLAIN
                },
            ],
            secret_fields: &[],
        };
        let url = Url::parse("http://localhost:9200/_security/api_key").unwrap();
        check(&POLICY, &url, Some(body.as_bytes())).map_err(|v| v.to_string())
    }

    #[test]
    fn body_fields_are_read_as_elasticsearch_reads_them() {
        let refused = [
            (r#"{"ids": ["a"], "name": "b"}"#, "1: both;"),
            (r#"{"ids": []}"#, "1: empty;"),
            (r#"{"ids": [], "name": "n"}"#, "1: empty;2: both;"),
            ("{}", "1: none;"),
            (r#"{"name": " ", "owner": false, "ids": null}"#, "1: none;"),
            (r#"{"owner": "false"}"#, "1: none;"),
            // Not an object: no field is given.
            ("[1]", "1: none;"),
        ];
        for (body, messages) in refused {
            assert_eq!(
                check_body(body),
                Err(format!("Validation Failed: {messages}")),
                "{body}"
            );
        }
        for body in [
            r#"{"ids": ["a"]}"#,
            r#"{"name": "my-*"}"#,
            r#"{"owner": true}"#,
            r#"{"owner": "true"}"#,
            r#"{"ids": ["a"], "name": ""}"#,
        ] {
            assert_eq!(check_body(body), Ok(()), "{body}");
        }
    }

    #[test]
    fn other_operations_have_no_rules() {
        let url = Url::parse("http://localhost/users/auth/keys?id=a&name=b").unwrap();
        let policy =
            super::super::declarations::find(crate::generated::cloud::OPERATIONS, "get_api_keys");
        assert_eq!(policy.operation_id, "get_api_keys", "the table has it");
        assert_eq!(check(&policy, &url, None), Ok(()));
    }
}
