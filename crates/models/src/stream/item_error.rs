//! An element of a list that the models cannot read, kept with what is needed to report it.

use std::borrow::Cow;
use std::fmt;

use serde::Deserialize;

/// One element of a list (a key of `api_keys`) that does not decode as the model: a shape
/// newer than this crate, or a server that broke its own format. The elements around it are
/// read as usual: `send_stream()` and `send_all_pages()` yield this error in the element's place
/// and go on with the next, so that one key the models cannot read never hides the others.
///
/// It carries the element's position in the list, its `id` when that much could be read, and
/// its JSON text as the server sent it, so that nothing the server sent is lost. `Display`,
/// `Debug` and [`reason`](Self::reason) show the position, the id and why, never a value of the
/// element: only [`raw_json`](Self::raw_json) gives those.
#[non_exhaustive]
pub struct ItemError {
    // One pointer wide, so that the errors that carry it stay small.
    details: Box<Details>,
}

struct Details {
    index: u64,
    id: Option<String>,
    raw_json: Box<str>,
    reason: String,
    line: usize,
    column: usize,
}

impl ItemError {
    /// The element at `index` (from 0) of its list, whose JSON text is `raw_json`, did not
    /// decode, for `source`. Its `id` is read from the text when it is a string member of an
    /// object.
    pub fn new(index: u64, raw_json: &str, source: serde_json::Error) -> Self {
        Self {
            details: Box::new(Details {
                index,
                id: id_of(raw_json),
                raw_json: raw_json.into(),
                reason: without_values(&source),
                line: source.line(),
                column: source.column(),
            }),
        }
    }

    /// The element's position in its list, from 0. For `send_all_pages()`, its position among
    /// every element handed over, across pages.
    pub fn index(&self) -> u64 {
        self.details.index
    }

    /// The element's `id`, when it is an object whose `id` is a string.
    pub fn id(&self) -> Option<&str> {
        self.details.id.as_deref()
    }

    /// The element's JSON text, exactly as the server sent it.
    pub fn raw_json(&self) -> &str {
        &self.details.raw_json
    }

    /// The element as a JSON value, to read what the models could not. `None` if the text is
    /// not JSON (it always is: the list around it was read).
    pub fn to_value(&self) -> Option<serde_json::Value> {
        serde_json::from_str(&self.details.raw_json).ok()
    }

    /// Why it did not decode, in serde_json's words (the expected type, the unknown variant),
    /// with any string value it quoted left out.
    pub fn reason(&self) -> &str {
        &self.details.reason
    }

    /// Where in [`raw_json`](Self::raw_json) decoding stopped: its line and column, from 1.
    pub fn position(&self) -> (usize, usize) {
        (self.details.line, self.details.column)
    }

    /// The same error, for a list whose first element is number `first` of a longer one: how
    /// `send_all_pages()` counts the elements of a page among all the pages' elements.
    pub fn counted_from(mut self, first: u64) -> Self {
        self.details.index += first;
        self
    }
}

/// serde_json's message for `error`, without its position (see [`ItemError::position`]) and
/// without the values it quotes ([`crate::error_text::without_values`]): the value of a field
/// that did not decode is the server's data, not a reason.
fn without_values(error: &serde_json::Error) -> String {
    let message = error.to_string();
    let message = match message.rfind(" at line ") {
        Some(at) if error.line() > 0 => &message[..at],
        _ => &message[..],
    };
    crate::error_text::without_values(message)
}

/// The string `id` member of the object `raw_json`, if it has one; other members are skipped
/// unread.
fn id_of(raw_json: &str) -> Option<String> {
    #[derive(Deserialize)]
    struct Id<'a> {
        #[serde(borrow)]
        id: Option<Cow<'a, str>>,
    }
    // A derived struct also reads a list (`["id"]`) by position; only an object has members.
    if !raw_json.trim_start().starts_with('{') {
        return None;
    }
    serde_json::from_str::<Id<'_>>(raw_json)
        .ok()
        .and_then(|found| found.id)
        .map(Cow::into_owned)
}

impl fmt::Display for ItemError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "element {} of the list", self.details.index)?;
        if let Some(id) = &self.details.id {
            write!(f, " (id {id:?})")?;
        }
        write!(f, " does not decode: {}", self.details.reason)
    }
}

impl fmt::Debug for ItemError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ItemError")
            .field("index", &self.details.index)
            .field("id", &self.details.id)
            .field("raw_json_len", &self.details.raw_json.len())
            .field("reason", &self.details.reason)
            .field("position", &(self.details.line, self.details.column))
            .finish()
    }
}

/// No `source()`: serde_json's error would quote the values this one leaves out.
impl std::error::Error for ItemError {}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(raw: &str) -> ItemError {
        let source = serde_json::from_str::<u64>(raw).unwrap_err();
        ItemError::new(7, raw, source)
    }

    #[test]
    fn the_id_is_read_when_it_is_a_string_member() {
        assert_eq!(
            error(r#"{"name":"x","id":"k\/1","a":[1]}"#).id(),
            Some("k/1")
        );
        assert_eq!(error(r#"{"id":42}"#).id(), None);
        assert_eq!(error(r#"["id"]"#).id(), None);
        assert_eq!(error(r#"{"name":"x"}"#).id(), None);
    }

    #[test]
    fn the_reason_leaves_out_the_values_serde_json_quotes() {
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct Key {
            creation: i64,
        }
        for raw in [
            r#"{"creation":"not \"a\" number \\ at all"}"#,
            r#"{"creation":"plain"}"#,
        ] {
            let source = serde_json::from_str::<Key>(raw).unwrap_err();
            let error = ItemError::new(0, raw, source);
            assert_eq!(error.reason(), "invalid type: a string, expected i64");
            assert_eq!(error.position().0, 1);
        }
        // Nor any other value: a boolean, a number.
        let raw = r#"{"creation":true}"#;
        let error = ItemError::new(0, raw, serde_json::from_str::<Key>(raw).unwrap_err());
        assert_eq!(error.reason(), "invalid type: a boolean, expected i64");
    }

    #[test]
    fn display_and_debug_name_the_element_but_never_quote_its_text() {
        let raw = r#"{"id":"abc","metadata":{"note":"quoted nowhere"}}"#;
        let error = error(raw);
        let shown = format!("{error} {error:?}");
        assert!(
            shown.contains("element 7") && shown.contains("\"abc\""),
            "{shown}"
        );
        assert!(!shown.contains("quoted nowhere"), "{shown}");
        assert_eq!(error.raw_json(), raw);
        assert_eq!(
            error.to_value().unwrap()["metadata"]["note"],
            "quoted nowhere"
        );
    }
}
