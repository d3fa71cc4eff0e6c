//! How an Elasticsearch key is judged and shown: its lifetime, and its table and CSV row.

use chrono::{DateTime, Utc};
use elastic_apikeys_client::elasticsearch::types::ApiKey;
use elastic_apikeys_client::models::elasticsearch::ApiKeyType;

use crate::expiry::{Clock, Lifetime};
use crate::output::{Cell, Column};

impl Lifetime for ApiKey {
    fn id(&self) -> &str {
        &self.id
    }

    fn expires_at(&self) -> Option<DateTime<Utc>> {
        // An epoch beyond what chrono can hold (±262,000 years) is still an expiry: in the far
        // future or the far past, whichever its sign says.
        self.expiration.map(|ms| {
            self.expiration_time().unwrap_or(if ms > 0 {
                DateTime::<Utc>::MAX_UTC
            } else {
                DateTime::<Utc>::MIN_UTC
            })
        })
    }

    fn created_at(&self) -> Option<DateTime<Utc>> {
        self.creation_time()
    }

    fn invalidated(&self) -> bool {
        self.invalidated
    }
}

/// The key's type; keys from clusters older than 8.10 have none, and are all REST keys.
fn type_of(key: &ApiKey) -> &str {
    key.type_.as_ref().map_or("rest", ApiKeyType::as_str)
}

/// The columns of every key's row, then `$extra`.
macro_rules! key_columns {
    ($($extra:expr),*) => {
        &[
            Column::whole("ID", "id"),
            Column::text("NAME", "name", 4),
            Column::text("TYPE", "type", 2),
            Column::text("OWNER", "username", 3),
            Column::text("REALM", "realm", 1),
            Column::time("CREATED (UTC)", "creation", Some(5)),
            Column::time("EXPIRES (UTC)", "expiration", None),
            Column::whole("STATUS", "status"),
            $($extra),*
        ]
    };
}

/// The columns of `apikeys es list`, in the table and in CSV.
pub(crate) const HEADERS: &[Column] = key_columns!();

/// [`HEADERS`], and each key's last use (`--last-used`): its time, or since when it was not
/// seen.
pub(crate) const HEADERS_WITH_LAST_USE: &[Column] =
    key_columns!(Column::time("LAST USED (UTC)", "last_used", None));

/// The cells of `key`'s row, under [`HEADERS`].
pub(super) fn row(key: &ApiKey, clock: &Clock) -> Vec<Cell> {
    vec![
        Cell::text(key.id.as_str()),
        Cell::Text(key.name.as_deref().map(String::from)),
        Cell::text(type_of(key)),
        Cell::text(key.username.as_str()),
        Cell::text(key.realm.as_str()),
        epoch(key.creation, key.creation_time(), ""),
        epoch(key.expiration, key.expiration_time(), "never"),
        Cell::text(clock.status(key).as_str()),
    ]
}

/// A time the cluster sent in milliseconds since the epoch; the number itself when it is beyond
/// the range of dates, so that what the cluster sent is still shown.
fn epoch(ms: impl Into<Option<i64>>, time: Option<DateTime<Utc>>, absent: &'static str) -> Cell {
    match (ms.into(), time) {
        (Some(ms), None) => Cell::text(format!("{ms} ms since the epoch (out of range)")),
        (_, time) => Cell::Time(time, absent),
    }
}
