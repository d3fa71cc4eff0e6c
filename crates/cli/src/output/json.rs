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
    let bytes = text.as_bytes();
    let mut start = 0;
    let mut at = 0;
    while at < bytes.len() {
        // Printable ASCII, nearly all of a report, is passed over a byte at a time: decoding
        // every character would cost more than the rest of the writing.
        if bytes[at].is_ascii() && !bytes[at].is_ascii_control() {
            at += 1;
            continue;
        }
        // `at` is at a character's start: only whole characters were passed over.
        let Some(c) = text.get(at..).and_then(|rest| rest.chars().next()) else {
            break;
        };
        let next = at + c.len_utf8();
        if needs_escape(c) {
            writer.write_all(&bytes[start..at])?;
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                write!(writer, "\\u{unit:04x}")?;
            }
            start = next;
        }
        at = next;
    }
    writer.write_all(&bytes[start..])
}

/// A JSON document of one member, `{"<field>": [...]}`, written an element at a time as the
/// elements arrive: byte for byte what [`write_json`] writes for the whole, escaped as it
/// escapes, without ever holding more than one element.
pub(crate) struct JsonList<W: Write> {
    out: W,
    /// The document's framing (the object, the member and the array), laid out by the very
    /// formatter [`write_json`] uses, so that it cannot drift from it.
    frame: Escaping<PrettyFormatter<'static>>,
    /// The member holding the list; `None` for a document that is the list itself.
    field: Option<&'static str>,
    /// Whether the opening is written: not before the first element, so that a list that fails
    /// at once leaves nothing on stdout.
    started: bool,
    elements: usize,
}

/// The depth of an element of [`JsonList`]: inside the object and its array (one less when the
/// document is the array).
const ELEMENT_DEPTH: usize = 2;

impl<W: Write> JsonList<W> {
    /// A document whose list is the member `field`, which is written as it is: a name of the
    /// API's, with nothing to escape; without one, a document that is the list.
    pub(crate) fn new(out: W, field: Option<&'static str>) -> Self {
        Self {
            out,
            frame: Escaping(PrettyFormatter::new()),
            field,
            started: false,
            elements: 0,
        }
    }

    /// The opening, up to the `[`.
    fn start(&mut self) -> io::Result<()> {
        let (frame, out) = (&mut self.frame, &mut self.out);
        if let Some(field) = self.field {
            frame.begin_object(out)?;
            frame.begin_object_key(out, true)?;
            frame.begin_string(out)?;
            frame.write_string_fragment(out, field)?;
            frame.end_string(out)?;
            frame.end_object_key(out)?;
            frame.begin_object_value(out)?;
        }
        frame.begin_array(out)?;
        self.started = true;
        Ok(())
    }

    /// Writes one element.
    pub(crate) fn element(&mut self, element: &impl Serialize) -> io::Result<()> {
        if !self.started {
            self.start()?;
        }
        self.frame
            .begin_array_value(&mut self.out, self.elements == 0)?;
        // A formatter of its own, at the depth of the array's elements.
        let depth = if self.field.is_some() {
            ELEMENT_DEPTH
        } else {
            ELEMENT_DEPTH - 1
        };
        let formatter = Escaping(Pretty::at_depth(depth));
        element.serialize(&mut serde_json::Serializer::with_formatter(
            &mut self.out,
            formatter,
        ))?;
        self.frame.end_array_value(&mut self.out)?;
        self.elements += 1;
        Ok(())
    }

    /// Closes the list and the document, writes the final newline and flushes.
    pub(crate) fn finish(mut self) -> io::Result<()> {
        if !self.started {
            self.start()?;
        }
        let (frame, out) = (&mut self.frame, &mut self.out);
        frame.end_array(out)?;
        if self.field.is_some() {
            frame.end_object_value(out)?;
            frame.end_object(out)?;
        }
        writeln!(out)?;
        out.flush()
    }
}

/// serde_json's [`PrettyFormatter`] (two spaces a level), starting at a depth: the same state and
/// the same bytes, so that an element of a [`JsonList`] is laid out as it is inside the whole
/// document. `PrettyFormatter` cannot start deeper than the top, and writes its indent two bytes
/// at a time; this one writes a line break and its indent at once (a 100,000-key list is 300 MB
/// of pretty JSON, much of it indent). The tests hold the two to the same output.
struct Pretty {
    depth: usize,
    has_value: bool,
}

/// A line break and the deepest indent written at once; deeper levels take more writes.
const BREAK: [u8; 129] = {
    let mut line = [b' '; 129];
    line[0] = b'\n';
    line
};

impl Pretty {
    fn at_depth(depth: usize) -> Self {
        Self {
            depth,
            has_value: false,
        }
    }

    /// A line break, indented to the current depth.
    fn line_break<W: ?Sized + Write>(&self, writer: &mut W) -> io::Result<()> {
        let mut spaces = self.depth.saturating_mul(2);
        let first = spaces.min(BREAK.len() - 1);
        writer.write_all(&BREAK[..=first])?;
        spaces -= first;
        while spaces > 0 {
            let more = spaces.min(BREAK.len() - 1);
            writer.write_all(&BREAK[1..=more])?;
            spaces -= more;
        }
        Ok(())
    }

    fn begin<W: ?Sized + Write>(&mut self, writer: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        writer.write_all(bracket)
    }

    fn end<W: ?Sized + Write>(&mut self, writer: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth = self.depth.saturating_sub(1);
        if self.has_value {
            self.line_break(writer)?;
        }
        writer.write_all(bracket)
    }

    fn begin_value<W: ?Sized + Write>(&mut self, writer: &mut W, first: bool) -> io::Result<()> {
        if !first {
            writer.write_all(b",")?;
        }
        self.line_break(writer)
    }
}

impl Formatter for Pretty {
    fn begin_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.begin(writer, b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.end(writer, b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.begin_value(writer, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.begin(writer, b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.end(writer, b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.begin_value(writer, first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        writer.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
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

    /// `elements` written by [`JsonList`] under `field`, or as the document itself.
    fn streamed(field: Option<&'static str>, elements: &[serde_json::Value]) -> String {
        let mut out = Vec::new();
        let mut list = JsonList::new(&mut out, field);
        for element in elements {
            list.element(element).unwrap();
        }
        list.finish().unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn a_streamed_list_is_the_whole_document_byte_for_byte() {
        let hostile = "x\u{1b}]0;PWNED\u{7}y \u{202e}desrever admin\u{e0041} \"q\" \\ 日本 \n\t";
        let elements = [
            serde_json::json!({"id": "a", "name": hostile, "nested": {"list": [1, [], {}, [2, {"k": null}]], "empty": {}}}),
            serde_json::json!({}),
            serde_json::json!([]),
            serde_json::json!({"id": "c", "numbers": [-2.5, 1e300, 18446744073709551615_u64]}),
            serde_json::json!("a bare string"),
        ];
        for n in 0..=elements.len() {
            let whole = serde_json::json!({ "api_keys": &elements[..n] });
            assert_eq!(
                streamed(Some("api_keys"), &elements[..n]),
                json(&whole),
                "{n} elements"
            );
            // A document that is the list, as `audit` writes.
            assert_eq!(
                streamed(None, &elements[..n]),
                json(&serde_json::json!(&elements[..n])),
                "{n} elements, bare"
            );
        }
        assert_eq!(
            streamed(Some("api_keys"), &[]),
            "{\n  \"api_keys\": []\n}\n"
        );
        assert_eq!(streamed(None, &[]), "[]\n");
    }

    #[test]
    fn deep_nesting_is_indented_as_in_the_whole_document() {
        let mut deep = serde_json::json!({"leaf": [1, {}]});
        for level in 0..80 {
            deep = if level % 2 == 0 {
                serde_json::json!({ "level": level, "inner": deep })
            } else {
                serde_json::json!([level, deep, []])
            };
        }
        let elements = [deep.clone(), deep];
        let whole = serde_json::json!({ "api_keys": elements });
        assert_eq!(streamed(Some("api_keys"), &elements), json(&whole));
    }

    #[test]
    fn raw_json_in_a_streamed_element_is_written_as_in_the_whole_document() {
        #[derive(Serialize)]
        struct Element {
            raw: Box<RawValue>,
        }
        let raw = || RawValue::from_string("{\"a\": [1,\"\u{202e}\"]}".to_string()).unwrap();
        let mut out = Vec::new();
        let mut list = JsonList::new(&mut out, Some("api_keys"));
        list.element(&Element { raw: raw() }).unwrap();
        list.finish().unwrap();
        let mut whole = BTreeMap::new();
        whole.insert("api_keys", vec![Element { raw: raw() }]);
        assert_eq!(String::from_utf8(out).unwrap(), json(&whole));
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
