//! Text from servers made safe for a terminal, counted nouns, and lines for stderr.

use std::fmt::{Display, Write as _};
use std::io::Write as _;

use icu_properties::props::{DefaultIgnorableCodePoint, GeneralCategory, GeneralCategoryGroup};
use icu_properties::{
    CodePointMapData, CodePointMapDataBorrowed, CodePointSetData, CodePointSetDataBorrowed,
};

/// `text` with every character escaped that a terminal would act on or that a reader cannot see
/// (see [`needs_escape`]), so that a key's name or a server's message cannot move the cursor,
/// clear the screen, retitle the window, reorder a line or pass for another name.
pub(crate) fn printable(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_printable(&mut out, text);
    out
}

/// Appends [`printable`]`(text)` to `out`, without a string of its own: a table renders every
/// value of a long list this way.
pub(crate) fn push_printable(out: &mut String, text: &str) {
    if !text.chars().any(needs_escape) {
        out.push_str(text);
        return;
    }
    out.reserve(text.len() + 8);
    for c in text.chars() {
        if needs_escape(c) {
            let _ = write!(out, "{}", c.escape_default());
        } else {
            out.push(c);
        }
    }
}

/// The General_Category values a terminal acts on or does not show: controls (Cc: ESC, BEL, C1
/// controls such as CSI), formats (Cf: bidirectional overrides and isolates, zero-width marks,
/// tag characters, interlinear annotation marks U+FFF9..U+FFFB), line and paragraph separators
/// (Zl, Zp), and surrogates (Cs, which a `char` cannot hold: listed so that the rule reads as
/// Unicode states it).
const HIDDEN: GeneralCategoryGroup = GeneralCategoryGroup::Control
    .union(GeneralCategoryGroup::Format)
    .union(GeneralCategoryGroup::LineSeparator)
    .union(GeneralCategoryGroup::ParagraphSeparator)
    .union(GeneralCategoryGroup::Surrogate);

/// Unicode's General_Category table, compiled into the program.
const CATEGORIES: CodePointMapDataBorrowed<'static, GeneralCategory> = CodePointMapData::new();

/// Unicode's Default_Ignorable_Code_Point set, compiled into the program.
const IGNORABLE: CodePointSetDataBorrowed<'static> =
    CodePointSetData::new::<DefaultIgnorableCodePoint>();

/// Whether [`printable`] escapes `c`: its General_Category is one of [`HIDDEN`], or it is a
/// Default_Ignorable_Code_Point, which fonts draw as nothing (soft hyphen, Hangul fillers,
/// U+180E, U+206A..U+206F, variation selectors, and unassigned code points reserved as such).
///
/// Unicode's own tables decide, rather than a list kept here, so that characters Unicode adds to
/// these classes are escaped too.
///
/// Variation selectors are escaped even inside an emoji: `❤️` shows as `❤\u{fe0f}`, and a family
/// emoji shows its zero-width joiners (Cf) as `\u{200d}`. That is acceptable here: these are
/// names of credentials, read to tell one from another, and the same selector after a letter
/// (`admin\u{fe0f}`) shows nothing at all; the emoji itself still shows, and terminals disagree on
/// how wide such sequences are, which would break a table's alignment anyway.
pub(crate) fn needs_escape(c: char) -> bool {
    // Every character of a list of keys goes through here, and nearly all are ASCII, of which
    // only the controls are named: a look-up in the tables costs several times this test.
    if c.is_ascii() {
        return c.is_ascii_control();
    }
    in_tables(c)
}

/// What Unicode's tables say of `c`, for [`needs_escape`].
fn in_tables(c: char) -> bool {
    HIDDEN.contains(CATEGORIES.get(c)) || IGNORABLE.contains(c)
}

/// `n` with a comma between groups of three digits: `19,990`.
pub(crate) fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// `1 key`, `2 keys`, `20,000 keys`.
pub(crate) fn count(n: usize, noun: &str) -> String {
    let n_text = thousands(n);
    if n == 1 {
        format!("{n_text} {noun}")
    } else {
        format!("{n_text} {noun}s")
    }
}

/// Writes `line` and a newline to stderr, and carries on if stderr cannot take them: `eprintln!`
/// panics then (`2>/dev/full`, a closed terminal), and a message nobody can read is no reason to
/// lose the exit status that says what happened.
pub(crate) fn to_stderr(line: impl Display) {
    // One write for the whole line, so that it is not interleaved with another writer's.
    let text = format!("{line}\n");
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_controls_and_reordering_marks_are_escaped() {
        assert_eq!(
            printable("a\u{1b}]0;pwned\u{7}b\nc"),
            "a\\u{1b}]0;pwned\\u{7}b\\nc"
        );
        assert_eq!(printable("abc\u{202E}fed"), "abc\\u{202e}fed");
        assert_eq!(printable("zero\u{200B}width"), "zero\\u{200b}width");
    }

    #[test]
    fn plain_text_in_any_script_is_untouched() {
        for text in [
            "plain name é 日本",
            "ci-deploy_2025 (prod) #1 ~/.x",
            "Ærøskøbing naïve café Ελληνικά русский",
            "中文名称 日本語の鍵 한국어 키",
            "עברית العربية हिन्दी ไทย",
            "e\u{301} combining accent",
            "emoji 🔑 ❤ tabs\u{a0}nbsp",
        ] {
            assert_eq!(printable(text), text);
        }
    }

    #[test]
    fn every_hidden_or_acting_character_is_escaped() {
        let escaped = [
            // Cc: C0, DEL, C1 (CSI and OSC can drive a terminal on their own).
            '\u{0}',
            '\u{7}',
            '\u{1b}',
            '\u{7f}',
            '\u{85}',
            '\u{9b}',
            '\u{9d}',
            // Cf: bidirectional marks, overrides and isolates.
            '\u{61c}',
            '\u{200e}',
            '\u{200f}',
            '\u{202a}',
            '\u{202e}',
            '\u{2066}',
            '\u{2069}',
            // Cf: zero-width and invisible operators.
            '\u{200b}',
            '\u{200c}',
            '\u{200d}',
            '\u{2060}',
            '\u{2064}',
            '\u{feff}',
            // Cf: interlinear annotation marks.
            '\u{fff9}',
            '\u{fffa}',
            '\u{fffb}',
            // Cf: tag characters, all of them.
            '\u{e0001}',
            '\u{e0020}',
            '\u{e0041}',
            '\u{e007e}',
            '\u{e007f}',
            // Zl, Zp.
            '\u{2028}',
            '\u{2029}',
            // Default_Ignorable_Code_Point: soft hyphen, Mongolian vowel separator, deprecated
            // format characters, Hangul fillers, combining grapheme joiner, variation selectors.
            '\u{ad}',
            '\u{180e}',
            '\u{206a}',
            '\u{206b}',
            '\u{206c}',
            '\u{206d}',
            '\u{206e}',
            '\u{206f}',
            '\u{115f}',
            '\u{1160}',
            '\u{3164}',
            '\u{ffa0}',
            '\u{34f}',
            '\u{17b4}',
            '\u{180b}',
            '\u{fe00}',
            '\u{fe0f}',
            '\u{e0100}',
            '\u{e01ef}',
            // Default ignorable and not yet assigned.
            '\u{2065}',
            '\u{e0fff}',
        ];
        for c in escaped {
            let expected = format!("a\\u{{{:x}}}b", u32::from(c));
            assert_eq!(
                printable(&format!("a{c}b")),
                expected,
                "U+{:04X}",
                u32::from(c)
            );
        }
    }

    #[test]
    fn of_ascii_exactly_the_controls_are_escaped_as_the_tables_say() {
        for c in (0..=0x7f_u8).map(char::from) {
            assert_eq!(needs_escape(c), in_tables(c), "U+{:04X}", u32::from(c));
            assert_eq!(needs_escape(c), c < ' ' || c == '\u{7f}');
        }
    }

    #[test]
    fn the_whole_tag_block_is_escaped() {
        for c in (0xE0000..=0xE007F).filter_map(char::from_u32) {
            assert!(needs_escape(c), "U+{:04X}", u32::from(c));
        }
    }

    #[test]
    fn a_name_with_hidden_tags_does_not_pass_for_another() {
        let disguised = "admin\u{e0041}\u{e0042}";
        assert_ne!(printable(disguised), printable("admin"));
        assert_eq!(printable(disguised), "admin\\u{e0041}\\u{e0042}");
    }

    #[test]
    fn emoji_keep_their_picture_and_show_their_selectors() {
        assert_eq!(printable("🔑"), "🔑");
        assert_eq!(printable("❤\u{fe0f}"), "❤\\u{fe0f}");
        assert_eq!(
            printable("👩\u{200d}💻"),
            "👩\\u{200d}💻",
            "a joiner is escaped"
        );
    }

    #[test]
    fn nouns_are_counted_with_thousands_separated() {
        assert_eq!(count(0, "key"), "0 keys");
        assert_eq!(count(1, "key"), "1 key");
        assert_eq!(count(2, "API key"), "2 API keys");
        assert_eq!(count(20_000, "API key"), "20,000 API keys");
    }

    #[test]
    fn thousands_are_separated() {
        let cases = [
            (0, "0"),
            (999, "999"),
            (1000, "1,000"),
            (19_990, "19,990"),
            (123_456, "123,456"),
            (1_234_567, "1,234,567"),
        ];
        for (n, text) in cases {
            assert_eq!(thousands(n), text);
        }
    }
}
