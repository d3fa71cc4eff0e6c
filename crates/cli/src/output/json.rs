//! The API's models as pretty JSON, with every character a terminal would act on or hide written
//! as a `\uXXXX` escape.
//!
//! The escapes are JSON's own, so a program that decodes the output gets exactly the strings the
//! server sent; a person who prints it to a terminal sees the escapes instead of a cleared screen
//! or a reordered line. That holds wherever the output goes, so that `apikeys ... -o json > file`
//! followed by `cat file` is as safe as printing it directly.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::ser::{CharEscape, CompactFormatter, Formatter, PrettyFormatter};

use crate::text::needs_escape;

/// Writes `model` as pretty JSON and a final newline.
pub(crate) fn write_json(out: &mut impl Write, model: &impl Serialize) -> io::Result<()> {
    let mut serializer =
        serde_json::Serializer::with_formatter(&mut *out, Escaping(PrettyFormatter::new()));
    // `serde_json::Error` turns back into the `io::Error` it wraps, with its kind: a reader that
    // went away stays a broken pipe.
    model.serialize(&mut serializer)?;
    writeln!(out)
}

/// Writes `model` as one line of compact JSON, escaped as [`write_json`] escapes: a line of
/// JSON Lines, for a report that is never whole in memory.
pub(crate) fn write_json_line(out: &mut impl Write, model: &impl Serialize) -> io::Result<()> {
    let mut serializer =
        serde_json::Serializer::with_formatter(&mut *out, Escaping(CompactFormatter));
    model.serialize(&mut serializer)?;
    writeln!(out)
}

/// `text` with the characters [`needs_escape`] names written as JSON `\uXXXX` escapes, a pair of
/// them (UTF-16 surrogates) above U+FFFF.
fn write_escaped<W: ?Sized + Write>(writer: &mut W, text: &str) -> io::Result<()> {
    let mut start = 0;
    for (at, c) in text.char_indices() {
        if !needs_escape(c) {
            continue;
        }
        writer.write_all(&text.as_bytes()[start..at])?;
        let mut units = [0u16; 2];
        for unit in c.encode_utf16(&mut units) {
            write!(writer, "\\u{unit:04x}")?;
        }
        start = at + c.len_utf8();
    }
    writer.write_all(&text.as_bytes()[start..])
}

/// A formatter that writes as `F` does, except for the characters [`needs_escape`] names.
///
/// serde_json escapes quotes, backslashes and C0 controls itself ([`Formatter::write_char_escape`]);
/// everything else of a string reaches [`Formatter::write_string_fragment`], escaped here. Every
/// other method is passed on, so that `F`'s layout is kept whatever it overrides.
struct Escaping<F>(F);

/// Passes each named method of [`Formatter`] on to the wrapped formatter.
macro_rules! pass_on {
    ($($method:ident($($arg:ident: $ty:ty),*);)*) => {
        $(
            fn $method<W: ?Sized + Write>(&mut self, writer: &mut W $(, $arg: $ty)*) -> io::Result<()> {
                self.0.$method(writer $(, $arg)*)
            }
        )*
    };
}

impl<F: Formatter> Formatter for Escaping<F> {
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        write_escaped(writer, fragment)
    }

    /// Raw JSON (a `RawValue` in a model) is valid JSON, where these characters can only stand
    /// inside strings: escaping them there keeps it valid and decoding to the same value.
    fn write_raw_fragment<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        write_escaped(writer, fragment)
    }

    pass_on! {
        write_null();
        write_bool(value: bool);
        write_i8(value: i8);
        write_i16(value: i16);
        write_i32(value: i32);
        write_i64(value: i64);
        write_i128(value: i128);
        write_u8(value: u8);
        write_u16(value: u16);
        write_u32(value: u32);
        write_u64(value: u64);
        write_u128(value: u128);
        write_f32(value: f32);
        write_f64(value: f64);
        write_number_str(value: &str);
        begin_string();
        end_string();
        write_char_escape(char_escape: CharEscape);
        write_byte_array(value: &[u8]);
        begin_array();
        end_array();
        begin_array_value(first: bool);
        end_array_value();
        begin_object();
        end_object();
        begin_object_key(first: bool);
        end_object_key();
        begin_object_value();
        end_object_value();
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde_json::value::RawValue;

    use super::*;

    fn json(model: &impl Serialize) -> String {
        let mut out = Vec::new();
        write_json(&mut out, model).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn hostile_strings_are_escaped_and_decode_to_themselves() {
        let mut model = BTreeMap::new();
        model.insert(
            "name",
            "x\u{1b}]0;PWNED\u{7}y \u{1b}[2J\u{1b}[H \u{9b}31m \u{202e}desrever \
             admin\u{e0041}\u{e0042} soft\u{ad}hyphen \u{2028}",
        );
        model.insert("key\u{202e}", "plain 日本語 é \"quoted\" back\\slash");
        let text = json(&model);
        assert!(
            !text.contains([
                '\u{1b}',
                '\u{7}',
                '\u{9b}',
                '\u{202e}',
                '\u{e0041}',
                '\u{ad}',
                '\u{2028}'
            ]),
            "{text}"
        );
        assert!(text.contains(r"admin\udb40\udc41\udb40\udc42"), "{text}");
        assert!(text.contains(r"x\u001b]0;PWNED\u0007y"), "{text}");
        assert!(text.contains(r#""key\u202e": "plain 日本語 é \"quoted\" back\\slash""#));
        let decoded: BTreeMap<String, String> = serde_json::from_str(&text).unwrap();
        let expected: BTreeMap<String, String> = model
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        assert_eq!(decoded, expected);
    }

    #[test]
    fn the_layout_is_serde_json_s_pretty_one() {
        let model = serde_json::json!({"a": [1, -2.5, true, null], "b": {}, "c": "日本"});
        assert_eq!(
            json(&model),
            format!("{}\n", serde_json::to_string_pretty(&model).unwrap())
        );
    }

    #[test]
    fn raw_json_is_escaped_too() {
        let raw = RawValue::from_string("{\"a\":\"\u{202e}x\"}".to_string()).unwrap();
        let text = json(&raw);
        assert_eq!(text, "{\"a\":\"\\u202ex\"}\n");
        let decoded: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(decoded["a"], "\u{202e}x");
    }
}
