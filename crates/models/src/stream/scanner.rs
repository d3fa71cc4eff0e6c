//! A push scanner that finds, in a JSON object arriving in pieces, each element of one array
//! field, so that elements can be decoded one at a time. It only finds boundaries (strings,
//! escapes, nesting); decoding and full validation are serde_json's job, element by element.
//!
//! An element is first offered where it starts ([`Found::ElementAt`]): serde_json decodes it
//! there and says where it ended, so its bytes are read once. Only when that fails (the element
//! is not all in the buffer yet, or does not decode) does the scanner find its end itself
//! ([`Found::Element`]), resumably, so that the work stays linear however small the pieces of
//! input are.

use std::fmt;

/// Where the scanner is in the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Before the top-level `{`.
    Start,
    /// Inside the top-level object, before a key or `}`.
    Key,
    /// After a key that is not the array: skipping its value.
    OtherValue,
    /// After a member: before `,` or `}`.
    AfterMember,
    /// Inside the array, before an element or `]`.
    Element,
    /// After an element: before `,` or `]`.
    AfterElement,
    /// After the top-level `}`.
    End,
}

/// A document that is not an object holding the array, or not JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// The offset in the whole document.
    pub offset: u64,
    /// What was expected there.
    pub expected: &'static str,
}

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "expected {} at byte {}", self.expected, self.offset)
    }
}

#[cfg(test)]
thread_local! {
    /// How many elements the scanner found the end of itself, on this thread: the elements that
    /// could not be decoded in place.
    pub(crate) static ELEMENTS_SCANNED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// What the scanner found next.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Found {
    /// An element starts at this offset of the buffer: decode it there and report its end with
    /// [`Scanner::element_ends`], or have the scanner find its end with
    /// [`Scanner::find_element_end`].
    ElementAt(usize),
    /// An element, at this range of the buffer.
    Element(std::ops::Range<usize>),
    /// More input is needed.
    NeedMore,
    /// The document is complete.
    End,
}

/// Scans a buffer that grows at the end and is drained at the front.
#[derive(Debug)]
pub(crate) struct Scanner {
    field: &'static str,
    state: State,
    /// Bytes of the buffer already consumed (the caller may drain them).
    pos: usize,
    /// Offset of buffer byte 0 in the whole document, for error messages.
    base: u64,
    seen_field: bool,
    /// Whether the document has any member at all.
    seen_member: bool,
    /// A value whose end is not in the buffer yet, scanned so far: resuming it keeps the work
    /// linear however small the pieces of input are.
    partial: Option<ValueScan>,
    /// Whether the element at `pos` could not be decoded in place, so the scanner finds its end.
    scan_element: bool,
}

impl Scanner {
    pub(crate) fn new(field: &'static str) -> Self {
        Self {
            field,
            state: State::Start,
            pos: 0,
            base: 0,
            seen_field: false,
            seen_member: false,
            partial: None,
            scan_element: false,
        }
    }

    /// The element offered at [`Found::ElementAt`] was decoded and ends at `end`.
    pub(crate) fn element_ends(&mut self, end: usize) {
        self.pos = end;
        self.state = State::AfterElement;
    }

    /// The element offered at [`Found::ElementAt`] could not be decoded in place: the next call
    /// of [`next`](Self::next) finds its end and returns it as [`Found::Element`].
    pub(crate) fn find_element_end(&mut self) {
        self.scan_element = true;
    }

    /// How many bytes at the front of the buffer are consumed; after draining them the caller
    /// calls [`drained`](Self::drained).
    pub(crate) fn consumed(&self) -> usize {
        self.pos
    }

    pub(crate) fn drained(&mut self, count: usize) {
        self.pos -= count;
        self.base += count as u64;
        if let Some(scan) = &mut self.partial {
            scan.start -= count;
            scan.at -= count;
        }
    }

    /// Scans the value at `start`, resuming an earlier scan of it.
    fn value_end(&mut self, buf: &[u8], start: usize, eof: bool) -> Result<Option<usize>, usize> {
        let mut scan = match self.partial.take() {
            Some(scan) if scan.start == start => scan,
            _ => ValueScan::new(start),
        };
        match scan.resume(buf, eof)? {
            // The input ended inside the value.
            None if eof => Err(buf.len()),
            None => {
                self.partial = Some(scan);
                Ok(None)
            }
            end => Ok(end),
        }
    }

    fn error(&self, at: usize, expected: &'static str) -> SyntaxError {
        SyntaxError {
            offset: self.base + at as u64,
            expected,
        }
    }

    /// Finds the next element in `buf`; `eof` says no more input will come.
    pub(crate) fn next(&mut self, buf: &[u8], eof: bool) -> Result<Found, SyntaxError> {
        loop {
            let at = skip_whitespace(buf, self.pos);
            let Some(&byte) = buf.get(at) else {
                // Even after the closing `}`, wait for the end of input: trailing bytes are an
                // error, not something to ignore.
                return match (eof, self.state) {
                    (false, _) => Ok(Found::NeedMore),
                    (true, State::End) => Ok(Found::End),
                    (true, _) => Err(self.error(at, "more of the document")),
                };
            };
            match self.state {
                State::Start => {
                    if byte != b'{' {
                        return Err(self.error(at, "`{`"));
                    }
                    self.pos = at + 1;
                    self.state = State::Key;
                }
                State::Key => {
                    if byte == b'}' {
                        self.pos = at + 1;
                        self.state = State::End;
                        continue;
                    }
                    if byte != b'"' {
                        return Err(self.error(at, "a key"));
                    }
                    let Some(end) = self
                        .value_end(buf, at, eof)
                        .map_err(|e| self.error(e, "a key"))?
                    else {
                        return Ok(Found::NeedMore);
                    };
                    let colon = skip_whitespace(buf, end);
                    let Some(&next) = buf.get(colon) else {
                        return if eof {
                            Err(self.error(colon, "`:`"))
                        } else {
                            Ok(Found::NeedMore)
                        };
                    };
                    if next != b':' {
                        return Err(self.error(colon, "`:`"));
                    }
                    let is_field = serde_json::from_slice::<String>(&buf[at..end])
                        .map_err(|_| self.error(at, "a key"))?
                        == self.field;
                    let value = skip_whitespace(buf, colon + 1);
                    self.seen_member = true;
                    if is_field {
                        let Some(&open) = buf.get(value) else {
                            return if eof {
                                Err(self.error(value, "`[`"))
                            } else {
                                Ok(Found::NeedMore)
                            };
                        };
                        if open != b'[' {
                            return Err(self.error(value, "`[`"));
                        }
                        self.seen_field = true;
                        self.pos = value + 1;
                        self.state = State::Element;
                    } else {
                        self.pos = colon + 1;
                        self.state = State::OtherValue;
                    }
                }
                State::OtherValue => {
                    let Some(end) = self
                        .value_end(buf, at, eof)
                        .map_err(|e| self.error(e, "a value"))?
                    else {
                        return Ok(Found::NeedMore);
                    };
                    self.pos = end;
                    self.state = State::AfterMember;
                }
                State::AfterMember => {
                    self.pos = at + 1;
                    self.state = match byte {
                        b',' => State::Key,
                        b'}' => State::End,
                        _ => return Err(self.error(at, "`,` or `}`")),
                    };
                }
                State::Element => {
                    if byte == b']' {
                        self.pos = at + 1;
                        self.state = State::AfterMember;
                        continue;
                    }
                    if !self.scan_element {
                        self.pos = at;
                        return Ok(Found::ElementAt(at));
                    }
                    let Some(end) = self
                        .value_end(buf, at, eof)
                        .map_err(|e| self.error(e, "an element"))?
                    else {
                        return Ok(Found::NeedMore);
                    };
                    self.scan_element = false;
                    #[cfg(test)]
                    ELEMENTS_SCANNED.with(|scanned| scanned.set(scanned.get() + 1));
                    self.pos = end;
                    self.state = State::AfterElement;
                    return Ok(Found::Element(at..end));
                }
                State::AfterElement => {
                    self.pos = at + 1;
                    self.state = match byte {
                        b',' => State::Element,
                        b']' => State::AfterMember,
                        _ => return Err(self.error(at, "`,` or `]`")),
                    };
                }
                State::End => return Err(self.error(at, "the end of the document")),
            }
        }
    }

    /// Whether the array field was present.
    pub(crate) fn seen_field(&self) -> bool {
        self.seen_field
    }

    /// Whether the document had any member: `{}` is what Elasticsearch sends when
    /// `filter_path` matched nothing, the list included.
    pub(crate) fn seen_member(&self) -> bool {
        self.seen_member
    }

    /// The array field's name.
    pub(crate) fn field(&self) -> &'static str {
        self.field
    }
}

fn skip_whitespace(buf: &[u8], mut at: usize) -> usize {
    while buf
        .get(at)
        .is_some_and(|b| matches!(b, b' ' | b'\n' | b'\r' | b'\t'))
    {
        at += 1;
    }
    at
}

/// The progress of finding where one JSON value ends.
#[derive(Debug, Clone, Copy)]
struct ValueScan {
    start: usize,
    at: usize,
    depth: usize,
    in_string: bool,
}

impl ValueScan {
    fn new(start: usize) -> Self {
        Self {
            start,
            at: start,
            depth: 0,
            in_string: false,
        }
    }

    /// Scans on: the end of the value, `None` if the buffer ends first, or the offset of a byte
    /// no value can hold.
    fn resume(&mut self, buf: &[u8], eof: bool) -> Result<Option<usize>, usize> {
        while let Some(&byte) = buf.get(self.at) {
            if self.in_string {
                // Most of a body is string contents: jump to the next byte that can end or
                // escape, instead of looking at each one.
                let Some(next) = memchr::memchr2(b'"', b'\\', &buf[self.at..]) else {
                    self.at = buf.len();
                    break;
                };
                self.at += next;
                match buf[self.at] {
                    // An escape and the byte it escapes are read together; if the buffer ends
                    // between them, the scan resumes at the backslash.
                    b'\\' if self.at + 1 >= buf.len() => return Ok(None),
                    b'\\' => self.at += 1,
                    b'"' => {
                        self.in_string = false;
                        if self.depth == 0 {
                            return Ok(Some(self.at + 1));
                        }
                    }
                    _ => {}
                }
            } else {
                match byte {
                    b'"' => self.in_string = true,
                    b'{' | b'[' => self.depth += 1,
                    b'}' | b']' => {
                        if self.depth == 0 {
                            // A scalar ended by the container's close.
                            return Ok(Some(self.at));
                        }
                        self.depth -= 1;
                        if self.depth == 0 {
                            return Ok(Some(self.at + 1));
                        }
                    }
                    b',' | b' ' | b'\n' | b'\r' | b'\t' if self.depth == 0 => {
                        return Ok(Some(self.at));
                    }
                    b'-' | b'+' | b'.' | b'0'..=b'9' | b'a'..=b'z' | b'A'..=b'Z' => {}
                    _ if self.depth > 0 => {}
                    _ => return Err(self.at),
                }
            }
            self.at += 1;
        }
        // A scalar at the very end of the input ends there.
        Ok((eof && self.depth == 0 && !self.in_string && self.at > self.start).then_some(self.at))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Scans `doc` fed in pieces of `step` bytes, as a reader or a stream delivers it.
    fn elements(doc: &str, step: usize) -> Result<Vec<String>, SyntaxError> {
        let mut scanner = Scanner::new("api_keys");
        let mut buf = Vec::new();
        let mut input = doc.as_bytes().chunks(step.max(1));
        let mut eof = false;
        let mut out = Vec::new();
        loop {
            match scanner.next(&buf, eof)? {
                // These tests are of the scanner's own boundaries: no element is decoded in place.
                Found::ElementAt(_) => scanner.find_element_end(),
                Found::Element(range) => out.push(String::from_utf8(buf[range].to_vec()).unwrap()),
                Found::End => return Ok(out),
                Found::NeedMore => match input.next() {
                    Some(piece) => {
                        let consumed = scanner.consumed();
                        buf.drain(..consumed);
                        scanner.drained(consumed);
                        buf.extend_from_slice(piece);
                    }
                    None => eof = true,
                },
            }
        }
    }

    #[test]
    fn finds_each_element_whatever_the_piece_size() {
        let doc = r#" {"total": 2, "api_keys" : [ {"id":"a","q":"{\"x\":[1,\"]\"]}"} , {"id":"b\\"}, 3, "s", true, null, [1,[2]] ] , "count":{"a":[]} } "#;
        let expected = [
            r#"{"id":"a","q":"{\"x\":[1,\"]\"]}"}"#,
            r#"{"id":"b\\"}"#,
            "3",
            r#""s""#,
            "true",
            "null",
            "[1,[2]]",
        ];
        for step in [1, 2, 3, 7, 64, 4096] {
            assert_eq!(elements(doc, step).unwrap(), expected, "step {step}");
        }
    }

    #[test]
    fn empty_and_absent_arrays() {
        assert_eq!(
            elements(r#"{"api_keys":[]}"#, 1).unwrap(),
            Vec::<String>::new()
        );
        assert_eq!(
            elements(r#"{"other":[1]}"#, 5).unwrap(),
            Vec::<String>::new()
        );
    }

    #[test]
    fn broken_documents_are_errors_with_offsets() {
        assert_eq!(elements("[1]", 4).unwrap_err().offset, 0);
        assert_eq!(
            elements(r#"{"api_keys":{}}"#, 4).unwrap_err().expected,
            "`[`"
        );
        assert!(
            elements(r#"{"api_keys":[{"id":"a"}"#, 4).is_err(),
            "truncated"
        );
        assert!(elements(r#"{"api_keys":[1 2]}"#, 4).is_err());
        assert!(elements(r#"{"api_keys":[]} x"#, 4).is_err());
    }
}
