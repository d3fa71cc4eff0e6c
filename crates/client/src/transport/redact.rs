//! Secrets kept out of the answers an error quotes. An operation whose answers hold secrets (a
//! new key's `api_key` and `encoded`, Elastic Cloud's `key`) has their field names in its
//! policy, generated from the spec's `format: password`; an excerpt of any of its answers has
//! those values replaced, and a decoding error's reason quotes no value at all. An undocumented
//! `201` to a create still carries the new key: the error says what came, never the secret.

use std::borrow::Cow;

/// What stands in for a redacted value.
const REDACTED: &str = "\"[REDACTED]\"";

/// `text`, the start of an answer (cut short anywhere, or not JSON at all), with the value of
/// every member named in `fields` replaced by `"[REDACTED]"`, at any depth. A name is compared
/// once unescaped and without regard to ASCII case, so that `"API_KEY"` and `"api\u005fkey"`
/// are caught too; a value cut short by the end of `text` is redacted as a whole.
pub(crate) fn secret_values<'a>(text: &'a str, fields: &[&str]) -> Cow<'a, str> {
    if fields.is_empty() {
        return Cow::Borrowed(text);
    }
    let bytes = text.as_bytes();
    let mut out = String::new();
    let mut copied = 0;
    let mut at = 0;
    while at < bytes.len() {
        if bytes[at] != b'"' {
            at += 1;
            continue;
        }
        let (end, closed) = string_end(bytes, at);
        let colon = skip_space(bytes, end);
        let is_secret_member =
            closed && bytes.get(colon) == Some(&b':') && is_one_of(&text[at + 1..end - 1], fields);
        if !is_secret_member {
            at = end;
            continue;
        }
        let value = skip_space(bytes, colon + 1);
        let value_end = value_end(bytes, value);
        if value_end > value {
            out.push_str(&text[copied..value]);
            out.push_str(REDACTED);
            copied = value_end;
        }
        at = value_end.max(colon + 1);
    }
    if copied == 0 {
        return Cow::Borrowed(text);
    }
    out.push_str(&text[copied..]);
    Cow::Owned(out)
}

/// The index after the string that starts at `start` (a `"`), and whether it was closed.
fn string_end(bytes: &[u8], start: usize) -> (usize, bool) {
    let mut at = start + 1;
    while at < bytes.len() {
        match bytes[at] {
            b'\\' => at += 2,
            b'"' => return (at + 1, true),
            _ => at += 1,
        }
    }
    (bytes.len(), false)
}

fn skip_space(bytes: &[u8], mut at: usize) -> usize {
    while bytes.get(at).is_some_and(u8::is_ascii_whitespace) {
        at += 1;
    }
    at
}

/// The index after the value that starts at `start`: a string, an object or a list with all it
/// holds, or a number or literal.
fn value_end(bytes: &[u8], start: usize) -> usize {
    match bytes.get(start) {
        None => start,
        Some(b'"') => string_end(bytes, start).0,
        Some(b'{' | b'[') => {
            let mut depth = 0usize;
            let mut at = start;
            while at < bytes.len() {
                match bytes[at] {
                    b'"' => {
                        at = string_end(bytes, at).0;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return at + 1;
                        }
                    }
                    _ => {}
                }
                at += 1;
            }
            bytes.len()
        }
        Some(_) => {
            let mut at = start;
            while at < bytes.len()
                && !matches!(bytes[at], b',' | b'}' | b']')
                && !bytes[at].is_ascii_whitespace()
            {
                at += 1;
            }
            at
        }
    }
}

/// Whether the JSON string content `raw` (between its quotes) names one of `fields`.
fn is_one_of(raw: &str, fields: &[&str]) -> bool {
    let name = unescape(raw);
    fields.iter().any(|field| field.eq_ignore_ascii_case(&name))
}

/// The text of the JSON string content `raw`; an escape that is not JSON's is kept as written.
fn unescape(raw: &str) -> Cow<'_, str> {
    if !raw.contains('\\') {
        return Cow::Borrowed(raw);
    }
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('u') => {
                let hex: String = chars.by_ref().take(4).collect();
                match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                    Some(c) => out.push(c),
                    None => out.push_str(&hex),
                }
            }
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('b') => out.push('\u{8}'),
            Some('f') => out.push('\u{c}'),
            Some(other) => out.push(other),
            None => {}
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::secret_values;

    const FIELDS: &[&str] = &["api_key", "encoded", "key"];

    #[test]
    fn secret_members_are_redacted_wherever_they_stand() {
        let body = r#"{"id":"VuaCfGcBCdbkQm-e5aOx","name":"ci","api_key":"c2VjcmV0","encoded":"VnVhQ2Zo","nested":{"KEY" : 12345, "other": [1, {"key": {"a": "}"}}]}}"#;
        assert_eq!(
            secret_values(body, FIELDS),
            r#"{"id":"VuaCfGcBCdbkQm-e5aOx","name":"ci","api_key":"[REDACTED]","encoded":"[REDACTED]","nested":{"KEY" : "[REDACTED]", "other": [1, {"key": "[REDACTED]"}]}}"#
        );
    }

    #[test]
    fn escaped_names_and_values_cut_short_are_redacted() {
        assert_eq!(
            secret_values(r#"{"api\u005fkey":"s3cr\"et","x":1}"#, FIELDS),
            r#"{"api\u005fkey":"[REDACTED]","x":1}"#
        );
        // The excerpt ends inside the secret.
        assert_eq!(
            secret_values(r#"{"id":"a","encoded":"VnVhQ2Zo"#, FIELDS),
            r#"{"id":"a","encoded":"[REDACTED]""#
        );
        assert_eq!(
            secret_values(r#"{"id":"a","key": {"parts": ["x", "y"#, FIELDS),
            r#"{"id":"a","key": "[REDACTED]""#
        );
    }

    #[test]
    fn other_text_is_left_as_it_is() {
        for text in [
            "<html><h1>502 Bad Gateway</h1></html>",
            r#"{"name":"api_key","id":"key"}"#,
            r#"["api_key", "encoded"]"#,
            r#"{"api_key""#,
            r#"{"api_key":"#,
            "",
        ] {
            assert_eq!(secret_values(text, FIELDS), text);
        }
        assert_eq!(
            secret_values(r#"{"api_key":"x"}"#, &[]),
            r#"{"api_key":"x"}"#
        );
    }
}
