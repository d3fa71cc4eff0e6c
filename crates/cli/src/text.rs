//! Text from servers made safe for a terminal, and counted nouns.

use std::fmt::Write as _;

/// `text` with control characters escaped, and the invisible characters that reorder or hide
/// text (bidirectional overrides, zero-width marks), so that a key's name or a server's message
/// cannot move the cursor, clear the screen, retitle the window or disguise a row.
pub(crate) fn printable(text: &str) -> String {
    if !text.chars().any(needs_escape) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if needs_escape(c) {
            let _ = write!(out, "{}", c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}'
                | '\u{200B}'..='\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2060}'..='\u{2069}'
                | '\u{FEFF}'
        )
}

/// `1 key`, `2 keys`.
pub(crate) fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("{n} {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_controls_and_reordering_marks_are_escaped() {
        assert_eq!(printable("plain name é 日本"), "plain name é 日本");
        assert_eq!(
            printable("a\u{1b}]0;pwned\u{7}b\nc"),
            "a\\u{1b}]0;pwned\\u{7}b\\nc"
        );
        assert_eq!(printable("abc\u{202E}fed"), "abc\\u{202e}fed");
        assert_eq!(printable("zero\u{200B}width"), "zero\\u{200b}width");
    }

    #[test]
    fn nouns_are_counted() {
        assert_eq!(count(0, "key"), "0 keys");
        assert_eq!(count(1, "key"), "1 key");
        assert_eq!(count(2, "API key"), "2 API keys");
    }
}
