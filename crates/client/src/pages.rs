//! The items of every page of a query, walked with `search_after`.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use futures_util::stream::{self, BoxStream, StreamExt, TryStreamExt};

use crate::transport::Error;

/// An async [`Stream`] of the items of every page of a query, from `send_all_pages()`, such as
/// the keys of `POST /_security/_query/api_key`.
///
/// It sends the query, hands over the page's items one at a time, then asks for the next page
/// with the last item's sort values as `search_after`, until a page is empty or every match
/// counted in the answer's `total` has been handed over. Memory holds one page, however many
/// items match: a million keys are a hundred requests of 10,000, not one answer of a gigabyte.
/// Sorting on a field that every item has, with a unique last sort key (for API keys `_doc`, as
/// their `id` cannot be sorted on), gives each item once; what changes between two pages (a key created meanwhile) follows the sort.
///
/// An error ends the stream after it is yielded: the items before it are valid, the rest were
/// not fetched.
pub struct PageStream<'a, T> {
    items: BoxStream<'a, Result<T, Error>>,
}

/// One page, as the generated `send_all_pages()` hands it to [`PageStream`].
pub(crate) struct Page<T> {
    /// The page's items, in the query's order.
    pub(crate) items: Vec<T>,
    /// How many items match the query in all.
    pub(crate) total: i64,
}

/// Where the walk is.
struct Walk<F, S, A> {
    fetch: F,
    sort_of: S,
    after: Option<A>,
    seen: i64,
    done: bool,
}

impl<'a, T: Send + 'a> PageStream<'a, T> {
    /// The items of every page: `fetch` sends the query with the sort values to start after
    /// (none for the first page), `sort_of` gives an item's sort values.
    pub(crate) fn new<A, F, Fut, S>(fetch: F, sort_of: S) -> Self
    where
        A: Send + 'a,
        F: Fn(Option<A>) -> Fut + Send + 'a,
        Fut: Future<Output = Result<Page<T>, Error>> + Send + 'a,
        S: Fn(&T) -> Option<A> + Send + 'a,
    {
        let walk = Walk {
            fetch,
            sort_of,
            after: None,
            seen: 0,
            done: false,
        };
        let pages = stream::unfold(walk, |mut walk| async move {
            if walk.done {
                return None;
            }
            let page = match (walk.fetch)(walk.after.take()).await {
                Ok(page) => page,
                Err(error) => {
                    walk.done = true;
                    return Some((Err(error), walk));
                }
            };
            if page.items.is_empty() {
                return None;
            }
            walk.seen += i64::try_from(page.items.len()).unwrap_or(i64::MAX);
            walk.after = page.items.last().and_then(|last| (walk.sort_of)(last));
            // Without sort values there is nothing to continue after.
            walk.done = walk.seen >= page.total || walk.after.is_none();
            Some((Ok(page.items), walk))
        });
        let items = pages
            .map_ok(|items| stream::iter(items.into_iter().map(Ok)))
            .try_flatten()
            .boxed();
        Self { items }
    }

    /// A stream that yields `error` and ends: the request could not be sent.
    pub(crate) fn failed(error: Error) -> Self {
        Self {
            items: stream::once(async move { Err(error) }).boxed(),
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
