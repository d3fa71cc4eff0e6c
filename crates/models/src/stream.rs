//! Reading the elements of a list response one at a time, in memory that does not grow with the
//! number of elements.
//!
//! A 100,000-key `GET /_security/api_key` body is about 140 MB. [`ItemReader`] reads it from any
//! [`io::Read`] and yields one decoded element at a time: memory holds one element and a read
//! buffer, never the list. The client crate builds its async stream on the same
//! [`ItemScanner`].

mod item_error;
mod scanner;

use std::fmt;
use std::io;
use std::marker::PhantomData;

use serde::de::DeserializeOwned;

pub use item_error::ItemError;
pub use scanner::SyntaxError;
use scanner::{Found, Scanner};

/// Why a streamed element could not be read.
#[derive(Debug)]
#[non_exhaustive]
pub enum StreamError {
    /// Reading the input failed.
    Io(io::Error),
    /// The document is not an object holding the list.
    Syntax(SyntaxError),
    /// The document has no such list.
    MissingField(&'static str),
    /// An element does not decode as the model; the elements after it are still read.
    Decode(ItemError),
}

impl fmt::Display for StreamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Io(e) => write!(f, "reading the response failed: {e}"),
            Self::Syntax(e) => write!(f, "the response is not the documented list: {e}"),
            Self::MissingField(field) => write!(f, "the response has no `{field}` list"),
            Self::Decode(e) => fmt::Display::fmt(e, f),
        }
    }
}

impl std::error::Error for StreamError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Io(e) => Some(e),
            Self::Decode(e) => Some(e),
            _ => None,
        }
    }
}

/// Pulls the elements of one array field out of a JSON object that arrives in pieces. Feed it
/// bytes with [`push`](Self::push); take elements with [`next_item`](Self::next_item).
#[derive(Debug)]
pub struct ItemScanner<T> {
    scanner: Scanner,
    buffer: Vec<u8>,
    eof: bool,
    done: bool,
    /// The position of the next element in the list.
    index: u64,
    item: PhantomData<fn() -> T>,
}

impl<T: DeserializeOwned> ItemScanner<T> {
    /// A scanner for the elements of the array `field` of the top-level object.
    pub fn new(field: &'static str) -> Self {
        Self {
            scanner: Scanner::new(field),
            buffer: Vec::new(),
            eof: false,
            done: false,
            index: 0,
            item: PhantomData,
        }
    }

    /// Adds the next piece of the document.
    pub fn push(&mut self, bytes: &[u8]) {
        // Drop what is consumed first, so the buffer holds at most one element and a piece.
        let consumed = self.scanner.consumed();
        if consumed > 0 {
            self.buffer.drain(..consumed);
            self.scanner.drained(consumed);
        }
        self.buffer.extend_from_slice(bytes);
    }

    /// Says that the document is complete.
    pub fn finish(&mut self) {
        self.eof = true;
    }

    /// The next element: `None` if more input is needed (or, after `finish`, at the end).
    pub fn next_item(&mut self) -> Option<Result<T, StreamError>> {
        loop {
            if self.done {
                return None;
            }
            match self.scanner.next(&self.buffer, self.eof) {
                Ok(Found::ElementAt(start)) => {
                    if let Some(item) = self.decode_in_place(start) {
                        self.index += 1;
                        return Some(Ok(item));
                    }
                    self.scanner.find_element_end();
                }
                Ok(Found::Element(range)) => {
                    let index = self.index;
                    self.index += 1;
                    let text = &self.buffer[range];
                    return Some(serde_json::from_slice(text).map_err(|source| {
                        StreamError::Decode(ItemError::new(
                            index,
                            &String::from_utf8_lossy(text),
                            source,
                        ))
                    }));
                }
                Ok(Found::NeedMore) => return None,
                Ok(Found::End) => {
                    self.done = true;
                    // `{}` is an empty list that `filter_path` left out with everything
                    // else; a document with other members and no list is not the answer.
                    return (!self.scanner.seen_field() && self.scanner.seen_member())
                        .then(|| Err(StreamError::MissingField(self.field())));
                }
                Err(e) => {
                    self.done = true;
                    return Some(Err(StreamError::Syntax(e)));
                }
            }
        }
    }

    /// Decodes the element at `start` where it lies in the buffer, reading its bytes once; `None`
    /// if it is not all there yet or does not decode, and the scanner must find its end.
    fn decode_in_place(&mut self, start: usize) -> Option<T> {
        let rest = &self.buffer[start..];
        let mut decoder = serde_json::Deserializer::from_slice(rest).into_iter::<T>();
        let item = decoder.next()?.ok()?;
        let end = decoder.byte_offset();
        // A value that runs to the end of the buffer may go on in the next piece (a number, a
        // literal), unless it closes itself or the input is complete.
        let closed = matches!(rest.get(end.wrapping_sub(1)), Some(b'}' | b']' | b'"'));
        if end == rest.len() && !closed && !self.eof {
            return None;
        }
        self.scanner.element_ends(start + end);
        Some(item)
    }

    /// Whether the document ended, or failed.
    pub fn is_done(&self) -> bool {
        self.done
    }

    /// Ends the scan early, after the input failed.
    pub fn abort(&mut self) {
        self.done = true;
    }

    fn field(&self) -> &'static str {
        self.scanner.field()
    }
}

/// The elements of one array field of a JSON object read from an [`io::Read`], one at a time.
pub struct ItemReader<R, T> {
    reader: R,
    scanner: ItemScanner<T>,
    chunk: Box<[u8]>,
}

/// The size of each read.
const CHUNK: usize = 64 * 1024;

impl<R: io::Read, T: DeserializeOwned> ItemReader<R, T> {
    /// Reads the elements of `field` from `reader`. `reader` need not be buffered: it is read in
    /// 64 KiB pieces.
    pub fn new(reader: R, field: &'static str) -> Self {
        Self {
            reader,
            scanner: ItemScanner::new(field),
            chunk: vec![0; CHUNK].into_boxed_slice(),
        }
    }
}

impl<R: io::Read, T: DeserializeOwned> Iterator for ItemReader<R, T> {
    type Item = Result<T, StreamError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(item) = self.scanner.next_item() {
                return Some(item);
            }
            if self.scanner.is_done() {
                return None;
            }
            match self.reader.read(&mut self.chunk) {
                Ok(0) => self.scanner.finish(),
                Ok(read) => self.scanner.push(&self.chunk[..read]),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    self.scanner.abort();
                    return Some(Err(StreamError::Io(e)));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads the `items` of `doc`, fed in pieces of `step` bytes.
    fn items<T: DeserializeOwned>(doc: &str, step: usize) -> Vec<Result<T, String>> {
        let mut scanner = ItemScanner::<T>::new("items");
        let mut out = Vec::new();
        for piece in doc.as_bytes().chunks(step) {
            scanner.push(piece);
            while let Some(item) = scanner.next_item() {
                out.push(item.map_err(|e| e.to_string()));
            }
        }
        scanner.finish();
        while let Some(item) = scanner.next_item() {
            out.push(item.map_err(|e| e.to_string()));
        }
        out
    }

    #[test]
    fn elements_decoded_in_place_or_after_a_scan_are_the_same() {
        // Numbers and literals do not close themselves: one that reaches the end of a piece may
        // go on in the next, so it must not be decoded until it is known to be whole.
        let doc = r#"{"items":[12345,{"a":[1,"]"]},"x\"y",true,678]}"#;
        for step in [1, 2, 3, 5, 8, 13, doc.len()] {
            let values: Vec<serde_json::Value> =
                items(doc, step).into_iter().map(Result::unwrap).collect();
            assert_eq!(
                values,
                serde_json::json!([12345, {"a": [1, "]"]}, "x\"y", true, 678])
                    .as_array()
                    .unwrap()
                    .clone(),
                "pieces of {step} bytes"
            );
        }
        let numbers: Vec<u64> = items(r#"{"items":[1,22,333]}"#, 1)
            .into_iter()
            .map(Result::unwrap)
            .collect();
        assert_eq!(numbers, [1, 22, 333]);
    }

    #[test]
    fn whole_elements_are_decoded_in_place_and_only_cut_ones_are_scanned() {
        let scanned = || scanner::ELEMENTS_SCANNED.with(std::cell::Cell::get);
        let doc = r#"{"items":[{"a":1},{"b":[2,3]},{"c":"d"}]}"#;
        let before = scanned();
        assert_eq!(items::<serde_json::Value>(doc, doc.len()).len(), 3);
        assert_eq!(
            scanned() - before,
            0,
            "in one piece, no element needs a scan"
        );
        let before = scanned();
        assert_eq!(items::<serde_json::Value>(doc, 1).len(), 3);
        assert_eq!(scanned() - before, 3, "byte by byte, each element is cut");
    }

    #[test]
    fn an_empty_document_is_an_empty_list_and_one_without_the_list_is_an_error() {
        // What Elasticsearch sends when `filter_path` matched nothing, the list included.
        for step in [1, 100] {
            assert_eq!(items::<u64>("{}", step), []);
            assert_eq!(items::<u64>(" { } ", step), []);
            let read = items::<u64>(r#"{"total":0}"#, step);
            assert_eq!(read.len(), 1, "{read:?}");
            assert!(
                read[0].as_ref().unwrap_err().contains("no `items` list"),
                "{read:?}"
            );
        }
    }

    #[test]
    fn an_element_that_does_not_decode_is_an_error_and_the_next_one_is_read() {
        for step in [1, 4, 100] {
            let read = items::<u64>(r#"{"items":[1,"two",{"three":[3]},4]}"#, step);
            assert_eq!(read.len(), 4, "pieces of {step} bytes: {read:?}");
            assert_eq!(read[0], Ok(1));
            assert!(read[1].as_ref().unwrap_err().contains("does not decode"));
            assert!(read[2].is_err());
            assert_eq!(read[3], Ok(4));
        }
    }

    #[test]
    fn an_element_that_does_not_decode_carries_its_position_id_and_text() {
        #[derive(Debug, serde::Deserialize)]
        struct Key {
            #[allow(dead_code)]
            id: String,
            #[allow(dead_code)]
            creation: i64,
        }
        let doc = r#"{"items":[{"id":"a","creation":1},{"id":"b","creation":"soon"},{"id":"c","creation":3}]}"#;
        for step in [1, 7, doc.len()] {
            let mut scanner = ItemScanner::<Key>::new("items");
            let mut read = Vec::new();
            for piece in doc.as_bytes().chunks(step) {
                scanner.push(piece);
                while let Some(item) = scanner.next_item() {
                    read.push(item);
                }
            }
            scanner.finish();
            while let Some(item) = scanner.next_item() {
                read.push(item);
            }
            assert_eq!(read.len(), 3, "pieces of {step} bytes");
            assert!(read[0].is_ok() && read[2].is_ok());
            let Err(StreamError::Decode(error)) = &read[1] else {
                panic!("{:?}", read[1])
            };
            assert_eq!(error.index(), 1);
            assert_eq!(error.id(), Some("b"));
            assert_eq!(error.raw_json(), r#"{"id":"b","creation":"soon"}"#);
            assert!(error.reason().contains("creation") || error.reason().contains("i64"));
        }
    }
}
