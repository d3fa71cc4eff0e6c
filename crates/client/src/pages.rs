//! The items of every page of a query, walked with `search_after`.

use std::borrow::Cow;
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use elastic_apikeys_models::stream::{ItemError, StreamError};
use futures_core::Stream;
use futures_util::future::BoxFuture;
use futures_util::stream::{self, BoxStream, StreamExt};
use serde::de::{DeserializeOwned, Error as _, IgnoredAny};
use serde_json::value::RawValue;

use crate::transport::Error;

/// An async [`Stream`] of the items of every page of a query, from `send_all_pages()`, such as
/// the keys of `POST /_security/_query/api_key`.
///
/// It sends the query, hands over the page's items one at a time, and meanwhile asks for the
/// next page with the last item's sort values as `search_after`, until a page is empty or every
/// match counted in the answer's `total` has been handed over. The next page is on its way while
/// the caller works through this one, so that the link never waits on the caller. Memory holds
/// two pages at most, however many items match: a million keys are a hundred requests of
/// 10,000, not one answer of a gigabyte.
/// Sorting on a field that every item has, with a unique last sort key (for API keys `_doc`, as
/// their `id` cannot be sorted on), gives each item once; what changes between two pages (a key created meanwhile) follows the sort.
///
/// An item the models cannot read is yielded as [`Error::Stream`] with
/// [`StreamError::Decode`], in its place, and the walk goes on with the next: one key never
/// hides the others, and the next page starts after the sort values the server sent for the
/// page's last item, read or not. Any other error ends the stream after it is yielded: the items
/// before it are valid, the rest were not fetched.
pub struct PageStream<'a, T> {
    items: BoxStream<'a, Result<T, Error>>,
}

/// One page, as the generated `send_page()` reads it for [`PageStream`].
pub(crate) struct Page<T, A> {
    /// The page's items, in the query's order, each decoded on its own.
    items: Vec<Result<T, ItemError>>,
    /// How many items match the query in all.
    total: i64,
    /// The sort values of the page's last item, as the server sent them: where the next page
    /// starts, even when that item could not be read.
    after: Option<A>,
}

/// Where a page's parts are: the names of its list, its count and each item's sort values, and
/// how the typed answer gives the first two and an item the third.
pub(crate) struct PageShape<R, T, A> {
    pub(crate) items: &'static str,
    pub(crate) total: &'static str,
    pub(crate) sort: &'static str,
    pub(crate) typed: fn(R) -> (Vec<T>, i64),
    pub(crate) sort_of: fn(&T) -> Option<A>,
}

impl<T: DeserializeOwned, A: DeserializeOwned> Page<T, A> {
    /// Reads the page `response`, of the typed answer `R`, shaped as `shape` says.
    pub(crate) async fn read<R: DeserializeOwned>(
        response: reqwest::Response,
        shape: PageShape<R, T, A>,
    ) -> Result<Self, Error> {
        crate::transport::read_with(response, |body| Self::decode_page(body, &shape))
            .await
            .map(crate::transport::ResponseValue::into_inner)
    }

    /// The page of `body`: decoded whole as `R` when every item can be read (one pass over
    /// the body, as `send()` makes); otherwise item by item, so that an item the models cannot
    /// read is an error in its place and the others are kept.
    fn decode_page<R: DeserializeOwned>(
        body: &[u8],
        shape: &PageShape<R, T, A>,
    ) -> Result<Self, serde_json::Error> {
        let whole = match std::str::from_utf8(body) {
            Ok(text) => serde_json::from_str::<R>(text),
            Err(_) => serde_json::from_slice::<R>(body),
        };
        if let Ok(answer) = whole {
            let (items, total) = (shape.typed)(answer);
            let after = items.last().and_then(shape.sort_of);
            return Ok(Self {
                items: items.into_iter().map(Ok).collect(),
                total,
                after,
            });
        }
        Self::decode(body, shape.items, shape.total, shape.sort)
    }

    fn decode(
        body: &[u8],
        items: &'static str,
        total: &'static str,
        sort: &str,
    ) -> Result<Self, serde_json::Error> {
        let Ok(text) = std::str::from_utf8(body) else {
            // serde_json's own error, with its line and column.
            return Err(serde_json::from_slice::<IgnoredAny>(body)
                .err()
                .unwrap_or_else(|| serde_json::Error::custom("the body is not UTF-8")));
        };
        let answer = members(text)?;
        // `filter_path` leaves out a list with no element, and everything else if nothing is
        // left: `{}` is an empty last page.
        let list: Vec<&RawValue> = match answer.get(items) {
            Some(list) => serde_json::from_str(list.get())?,
            None if answer.is_empty() || answer.contains_key(total) => Vec::new(),
            None => return Err(serde_json::Error::missing_field(items)),
        };
        let total = match answer.get(total) {
            Some(count) => serde_json::from_str(count.get())?,
            None if list.is_empty() => 0,
            None => return Err(serde_json::Error::missing_field(total)),
        };
        let after = match list.last() {
            Some(last) => match members(last.get()).ok().and_then(|m| m.get(sort).copied()) {
                Some(values) => Some(serde_json::from_str(values.get())?),
                None => None,
            },
            None => None,
        };
        let items = list
            .into_iter()
            .enumerate()
            .map(|(index, item)| {
                serde_json::from_str(item.get())
                    .map_err(|source| ItemError::new(index as u64, item.get(), source))
            })
            .collect();
        Ok(Self {
            items,
            total,
            after,
        })
    }
}

/// `filter`, a `filter_path`, that also keeps each of `needed` (dotted paths) when it keeps only
/// what it names: a filter with an inclusion would otherwise leave out what a page walk reads
/// (the count of matches, each element's sort values). A filter of exclusions alone keeps them
/// already, and is returned as it is.
pub(crate) fn filter_keeping(filter: &str, needed: &[&str]) -> String {
    let paths: Vec<&str> = filter.split(',').map(str::trim).collect();
    if !paths
        .iter()
        .any(|path| !path.is_empty() && !path.starts_with('-'))
    {
        return filter.to_string();
    }
    let mut kept = filter.to_string();
    for path in needed {
        if !paths.contains(path) {
            kept.push(',');
            kept.push_str(path);
        }
    }
    kept
}

/// The members of the JSON object `text`, unread.
fn members(text: &str) -> Result<HashMap<Cow<'_, str>, &RawValue>, serde_json::Error> {
    serde_json::from_str(text)
}

impl<'a, T: Send + 'a> PageStream<'a, T> {
    /// The items of every page: `fetch` sends the query with the sort values to start after
    /// (none for the first page).
    pub(crate) fn new<A, F, Fut>(fetch: F) -> Self
    where
        T: Unpin,
        A: Send + Unpin + 'a,
        F: Fn(Option<A>) -> Fut + Send + Unpin + 'a,
        Fut: Future<Output = Result<Page<T, A>, Error>> + Send + 'a,
    {
        let first: BoxFuture<'a, _> = Box::pin(fetch(None));
        let walk = Walk {
            fetch,
            next: Some(first),
            fetched: None,
            items: Vec::new().into_iter(),
            first: 0,
            seen: 0,
            ended: false,
        };
        Self {
            items: walk.boxed(),
        }
    }
    /// A stream that yields `error` and ends: the request could not be sent.
    pub(crate) fn failed(error: Error) -> Self {
        Self {
            items: stream::once(async move { Err(error) }).boxed(),
        }
    }
}

/// The walk of a [`PageStream`]: the items of the page in hand, and the next page, asked for as
/// soon as this one is read and fetched while its items are handed over, so that the link and
/// the server work while the caller does. Memory holds two pages at most.
struct Walk<'a, T, A, F> {
    fetch: F,
    /// The page being fetched.
    next: Option<BoxFuture<'a, Result<Page<T, A>, Error>>>,
    /// The next page, fetched before the items in hand ran out.
    fetched: Option<Result<Page<T, A>, Error>>,
    /// The items of the page in hand.
    items: std::vec::IntoIter<Result<T, ItemError>>,
    /// The position of the first of them among all the items.
    first: u64,
    /// How many items the pages read so far held.
    seen: i64,
    /// Whether the stream has ended.
    ended: bool,
}

impl<'a, T, A, F, Fut> Stream for Walk<'a, T, A, F>
where
    T: Unpin,
    A: Send + Unpin + 'a,
    F: Fn(Option<A>) -> Fut + Unpin,
    Fut: Future<Output = Result<Page<T, A>, Error>> + Send + 'a,
{
    type Item = Result<T, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            // The next page makes progress whenever an item is asked for.
            if this.fetched.is_none()
                && let Some(next) = this.next.as_mut()
                && let Poll::Ready(page) = next.as_mut().poll(cx)
            {
                this.next = None;
                this.fetched = Some(page);
            }
            if let Some(item) = this.items.next() {
                let first = this.first;
                return Poll::Ready(Some(item.map_err(|error| {
                    Error::Stream(StreamError::Decode(error.counted_from(first)))
                })));
            }
            if this.ended {
                return Poll::Ready(None);
            }
            let page = match this.fetched.take() {
                Some(page) => page,
                // Polled above: woken when it is in.
                None if this.next.is_some() => return Poll::Pending,
                None => {
                    this.ended = true;
                    return Poll::Ready(None);
                }
            };
            let page = match page {
                Ok(page) => page,
                Err(error) => {
                    this.ended = true;
                    return Poll::Ready(Some(Err(error)));
                }
            };
            if page.items.is_empty() {
                this.ended = true;
                return Poll::Ready(None);
            }
            this.first = u64::try_from(this.seen).unwrap_or(0);
            this.seen += i64::try_from(page.items.len()).unwrap_or(i64::MAX);
            // Without sort values there is nothing to continue after.
            match page.after {
                Some(after) if this.seen < page.total => {
                    this.next = Some(Box::pin((this.fetch)(Some(after))));
                }
                _ => this.ended = true,
            }
            this.items = page.items.into_iter();
        }
    }
}

impl<T> Stream for PageStream<'_, T> {
    type Item = Result<T, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.items.poll_next_unpin(cx)
    }
}

impl<T> std::fmt::Debug for PageStream<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PageStream").finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_filter_of_inclusions_keeps_what_the_walk_reads() {
        let needed = ["total", "api_keys._sort"];
        assert_eq!(
            filter_keeping("api_keys.id", &needed),
            "api_keys.id,total,api_keys._sort"
        );
        assert_eq!(
            filter_keeping("total,api_keys.id", &needed),
            "total,api_keys.id,api_keys._sort"
        );
        // Exclusions alone keep everything else, the walk's members too.
        assert_eq!(
            filter_keeping("-api_keys.limited_by", &needed),
            "-api_keys.limited_by"
        );
        assert_eq!(
            filter_keeping("-api_keys.limited_by,api_keys.id", &needed),
            "-api_keys.limited_by,api_keys.id,total,api_keys._sort"
        );
    }

    #[test]
    fn an_answer_that_a_filter_emptied_is_an_empty_page() {
        for body in ["{}", r#"{"total":0}"#, r#"{"total":0,"count":0}"#] {
            let page = Page::<serde_json::Value, serde_json::Value>::decode(
                body.as_bytes(),
                "api_keys",
                "total",
                "_sort",
            )
            .unwrap();
            assert!(page.items.is_empty(), "{body}");
            assert_eq!(page.total, 0, "{body}");
        }
        let error = Page::<serde_json::Value, serde_json::Value>::decode(
            br#"{"count":0}"#,
            "api_keys",
            "total",
            "_sort",
        )
        .err()
        .unwrap();
        assert!(error.to_string().contains("api_keys"), "{error}");
    }
}
