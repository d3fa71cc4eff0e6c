//! The Elastic Cloud API key a run itself uses. Elastic Cloud answers every request with its
//! expiry (`X-Elastic-Api-Key-Expiration`, declared in the spec), and an expired key vanishes
//! from the key list: the key of the auditing job is the one nobody would see lapse. So a run
//! warns when it expires soon, and `--fail-if-expiring` counts it as it counts a listed key.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use chrono::{DateTime, Utc};
use elastic_apikeys_client::cloud::headers::ApiKeyExpiration;
use elastic_apikeys_client::transport::{Headers, InvalidHeader};

use crate::expiry::{Clock, Lifetime};
use crate::text::{printable, to_stderr};

/// How long before its expiry a run warns of the key it uses.
const WARN_WITHIN: Duration = Duration::from_secs(14 * 86_400);

/// The key a run uses, with the expiry its answers gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct KeyInUse {
    /// What stands for its id in messages: `the API key in use (EC_API_KEY or --api-key)`.
    label: String,
    pub(crate) expires: DateTime<Utc>,
}

impl Lifetime for KeyInUse {
    fn id(&self) -> &str {
        &self.label
    }
    fn expires_at(&self) -> Option<DateTime<Utc>> {
        Some(self.expires)
    }
    fn created_at(&self) -> Option<DateTime<Utc>> {
        None
    }
    fn invalidated(&self) -> bool {
        false
    }
}

/// Whether a run has said something of its key already: many requests, one warning.
static WARNED: AtomicBool = AtomicBool::new(false);

/// The key in use, from the `headers` of an answer to a request made with it, named `label` in
/// messages; `None` when the answer gives no expiry.
pub(crate) fn read(headers: &Headers, label: String) -> Result<Option<KeyInUse>, InvalidHeader> {
    Ok(headers
        .typed::<ApiKeyExpiration>()?
        .map(|expires| KeyInUse { label, expires }))
}

/// [`read`], for a request made with the key from `key_from` (`EC_API_KEY or --api-key`, or a
/// profile's setting), saying on stderr, once a run, when the key expires within 14 days of
/// `clock` or has expired, and when the header cannot be read.
pub(crate) fn heard(headers: &Headers, key_from: &str, clock: &Clock) -> Option<KeyInUse> {
    let label = format!("the API key in use ({})", printable(key_from));
    match read(headers, label) {
        Ok(key) => {
            let key = key?;
            if soon(&key, clock) && !WARNED.swap(true, Ordering::Relaxed) {
                to_stderr(warning(&key, key_from, clock));
            }
            Some(key)
        }
        Err(unreadable) => {
            if !WARNED.swap(true, Ordering::Relaxed) {
                to_stderr(format_args!(
                    "warning: when the API key in use expires is not known: {unreadable}"
                ));
            }
            None
        }
    }
}

/// Whether `key` expires within 14 days of `clock`, or has expired.
pub(crate) fn soon(key: &KeyInUse, clock: &Clock) -> bool {
    clock.due_within(key, WARN_WITHIN)
}

/// When `key` expires, as messages say it: `2026-12-09 12:00 UTC (in 3 days)`.
pub(crate) fn when(key: &KeyInUse, clock: &Clock) -> String {
    format!(
        "{} ({})",
        key.expires.format("%Y-%m-%d %H:%M UTC"),
        clock.relative(key.expires)
    )
}

/// The warning of `key`, whose secret came from `key_from`.
fn warning(key: &KeyInUse, key_from: &str, clock: &Clock) -> String {
    let when = when(key, clock);
    let key_from = printable(key_from);
    if key.expires <= clock.now {
        format!("warning: the Elastic Cloud API key in use ({key_from}) expired {when}")
    } else {
        format!(
            "warning: the Elastic Cloud API key in use ({key_from}) expires {when}; replace it \
             before then: an expired key is gone from the key list, and every request with it \
             fails"
        )
    }
}

#[cfg(test)]
mod tests {
    use super::{KeyInUse, warning};
    use crate::expiry::Clock;

    #[test]
    fn the_warning_says_when_and_from_where() {
        let clock = Clock {
            now: "2026-12-06T12:00:00Z".parse().unwrap(),
        };
        let key = KeyInUse {
            label: "the API key in use (EC_API_KEY or --api-key)".into(),
            expires: "2026-12-09T12:00:00Z".parse().unwrap(),
        };
        assert_eq!(
            warning(&key, "EC_API_KEY or --api-key", &clock),
            "warning: the Elastic Cloud API key in use (EC_API_KEY or --api-key) expires \
             2026-12-09 12:00 UTC (in 3 days); replace it before then: an expired key is gone \
             from the key list, and every request with it fails"
        );
        let late = Clock {
            now: "2026-12-10T12:00:00Z".parse().unwrap(),
        };
        assert_eq!(
            warning(&key, "profile org: api_key (env ORG_KEY)", &late),
            "warning: the Elastic Cloud API key in use (profile org: api_key (env ORG_KEY)) \
             expired 2026-12-09 12:00 UTC (24 hours ago)"
        );
    }
}
