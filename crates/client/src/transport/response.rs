//! A decoded answer: the body, with its status and headers.

use std::ops::{Deref, DerefMut};

use super::headers::Headers;
use super::status::StatusCode;

/// A decoded response: the body, with the status and headers it came with.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseValue<T> {
    inner: T,
    status: StatusCode,
    headers: Headers,
}

impl<T> ResponseValue<T> {
    /// A response value, as a mock or a test builds one.
    pub fn new(inner: T, status: StatusCode, headers: Headers) -> Self {
        Self {
            inner,
            status,
            headers,
        }
    }

    /// The decoded body.
    pub fn into_inner(self) -> T {
        self.inner
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &Headers {
        &self.headers
    }

    /// Applies `f` to the body, keeping the status and headers.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> ResponseValue<U> {
        ResponseValue {
            inner: f(self.inner),
            status: self.status,
            headers: self.headers,
        }
    }
}

impl<T> Deref for ResponseValue<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.inner
    }
}

impl<T> DerefMut for ResponseValue<T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.inner
    }
}
