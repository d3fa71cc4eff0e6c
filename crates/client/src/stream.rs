//! The elements of a list answer, decoded one at a time as the body arrives.

use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use elastic_apikeys_models::stream::ItemScanner;
use futures_core::Stream;
use serde::de::DeserializeOwned;

use crate::transport::{Error, Headers, ResponseValue, StatusCode};

type Body = Pin<Box<dyn Stream<Item = reqwest::Result<Bytes>> + Send>>;

/// An async [`Stream`] of the elements of a list answer, such as the `api_keys` of
/// `GET /_security/api_key`, from `send_stream()`. It holds one element and one network read at
/// a time, however long the list.
///
/// Errors keep their kind: a server that goes silent ends the stream with [`Error::Timeout`], a
/// connection that breaks with [`Error::Transport`]; a body that is not the documented list is
/// [`Error::Stream`], and so is an element that does not decode
/// ([`StreamError::Decode`](crate::StreamError::Decode), with the element's position, id and
/// JSON text in its [`ItemError`](crate::ItemError)), after which the stream goes on with the
/// next: one key the models cannot read never hides the others.
pub struct ItemStream<T> {
    body: Body,
    scanner: ItemScanner<T>,
    /// The URL of the request, without credentials, for errors.
    url: String,
    /// The length the server declared, if it declared one.
    declared: Option<u64>,
    /// How many bytes of the body have arrived.
    read: u64,
    /// The most bytes to read, if the caller set a limit.
    limit: Option<u64>,
}

impl<T: DeserializeOwned> ItemStream<T> {
    fn new(response: reqwest::Response, field: &'static str) -> Self {
        Self {
            url: crate::transport::without_credentials(response.url().as_str()),
            declared: response.content_length(),
            body: Box::pin(response.bytes_stream()),
            scanner: ItemScanner::new(field),
            read: 0,
            limit: None,
        }
    }

    /// Ends the scan, and says why: the body is longer than `limit`.
    fn too_large(&mut self, limit: u64, declared: Option<u64>) -> Error {
        self.scanner.abort();
        Error::BodyTooLarge {
            url: self.url.clone(),
            limit,
            declared,
        }
    }
}

impl<T> ItemStream<T> {
    /// Ends the stream with [`Error::BodyTooLarge`] once more than `limit` bytes of the body
    /// have arrived, or before reading anything if the server declared a longer body. Without
    /// it, a stream reads a body of any length in memory that does not grow with it; with it,
    /// a caller that keeps every element (as `Vec` does) bounds what it keeps, whatever a
    /// broken or hostile server sends. A good limit is the client's `max_body_size`.
    pub fn with_max_body_size(mut self, limit: u64) -> Self {
        self.limit = Some(limit);
        self
    }

    /// How many bytes of the body have arrived so far.
    pub fn bytes_read(&self) -> u64 {
        self.read
    }
}

impl<T: DeserializeOwned> Stream for ItemStream<T> {
    type Item = Result<T, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        // Neither field is structurally pinned: the body is boxed and the scanner is plain data.
        let this = self.get_mut();
        if let Some(limit) = this.limit
            && this.read == 0
            && !this.scanner.is_done()
            && let Some(declared) = this.declared.filter(|&declared| declared > limit)
        {
            return Poll::Ready(Some(Err(this.too_large(limit, Some(declared)))));
        }
        loop {
            if let Some(item) = this.scanner.next_item() {
                return Poll::Ready(Some(item.map_err(Error::Stream)));
            }
            if this.scanner.is_done() {
                return Poll::Ready(None);
            }
            match this.body.as_mut().poll_next(cx) {
                Poll::Ready(Some(Ok(bytes))) => {
                    this.read += bytes.len() as u64;
                    if let Some(limit) = this.limit.filter(|&limit| this.read > limit) {
                        return Poll::Ready(Some(Err(this.too_large(limit, None))));
                    }
                    this.scanner.push(&bytes);
                }
                Poll::Ready(Some(Err(error))) => {
                    this.scanner.abort();
                    return Poll::Ready(Some(Err(Error::from_reqwest(error))));
                }
                Poll::Ready(None) => this.scanner.finish(),
                Poll::Pending => return Poll::Pending,
            }
        }
    }
}

impl<T> std::fmt::Debug for ItemStream<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ItemStream").finish_non_exhaustive()
    }
}

impl<T: DeserializeOwned> ResponseValue<ItemStream<T>> {
    /// The elements of the list `field` of `response`'s body, as they arrive.
    pub(crate) fn stream(response: reqwest::Response, field: &'static str) -> Self {
        let status = StatusCode::from_http(response.status());
        let headers = Headers::from_http(response.headers().clone());
        Self::new(ItemStream::new(response, field), status, headers)
    }
}
