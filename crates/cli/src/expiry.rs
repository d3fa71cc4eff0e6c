//! When keys expire, judged against one instant for the whole run.

use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};

/// What every key, Cloud or Elasticsearch, tells about its lifetime.
pub(crate) trait Lifetime {
    /// The key's id.
    fn id(&self) -> &str;
    /// When the key expires; `None` if never.
    fn expires_at(&self) -> Option<DateTime<Utc>>;
    /// When the key was created, if the server says.
    fn created_at(&self) -> Option<DateTime<Utc>>;
    /// Whether the key was invalidated (Elastic Cloud keys never are: they are deleted).
    fn invalidated(&self) -> bool;
}

/// A key's state at the instant of the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Status {
    Active,
    Expired,
    Invalidated,
}

impl Status {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Expired => "expired",
            Self::Invalidated => "invalidated",
        }
    }
}

/// The instant every key of a run is judged against.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Clock {
    pub(crate) now: DateTime<Utc>,
}

impl Clock {
    /// A clock at `as_of`, or at the current time.
    pub(crate) fn at(as_of: Option<DateTime<Utc>>) -> Self {
        Self {
            now: as_of.unwrap_or_else(Utc::now),
        }
    }

    pub(crate) fn status(&self, key: &impl Lifetime) -> Status {
        if key.invalidated() {
            Status::Invalidated
        } else if key.expires_at().is_some_and(|at| at <= self.now) {
            Status::Expired
        } else {
            Status::Active
        }
    }

    /// Whether `key` expires within `window` from now, or has expired already: a key past its
    /// expiry stays due, so that a scheduled check that missed the window still fails. An
    /// invalidated key can no longer be used, and one without an expiry never expires: neither
    /// is due.
    pub(crate) fn due_within(&self, key: &impl Lifetime, window: Duration) -> bool {
        !key.invalidated() && key.expires_at().is_some_and(|at| at <= self.after(window))
    }

    /// `now + window`, or the end of time for windows beyond it.
    fn after(&self, window: Duration) -> DateTime<Utc> {
        TimeDelta::from_std(window)
            .ok()
            .and_then(|delta| self.now.checked_add_signed(delta))
            .unwrap_or(DateTime::<Utc>::MAX_UTC)
    }

    /// `at` relative to now, in the largest unit that fits: `in 6 days`, `3 hours ago`.
    pub(crate) fn relative(&self, at: DateTime<Utc>) -> String {
        let delta = at - self.now;
        let seconds = delta.num_seconds().unsigned_abs();
        if seconds < 60 {
            return "now".to_string();
        }
        let (count, unit) = match seconds {
            s if s < 3600 => (s / 60, "minute"),
            s if s < 2 * 86_400 => (s / 3600, "hour"),
            s if s < 60 * 86_400 => (s / 86_400, "day"),
            s if s < 2 * 365 * 86_400 => (s / (30 * 86_400), "month"),
            s => (s / (365 * 86_400), "year"),
        };
        let plural = if count == 1 { "" } else { "s" };
        if delta > TimeDelta::zero() {
            format!("in {count} {unit}{plural}")
        } else {
            format!("{count} {unit}{plural} ago")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Key {
        expires: Option<DateTime<Utc>>,
        invalidated: bool,
    }

    impl Lifetime for Key {
        fn id(&self) -> &str {
            "k"
        }
        fn expires_at(&self) -> Option<DateTime<Utc>> {
            self.expires
        }
        fn created_at(&self) -> Option<DateTime<Utc>> {
            None
        }
        fn invalidated(&self) -> bool {
            self.invalidated
        }
    }

    fn at(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    fn clock() -> Clock {
        Clock {
            now: at("2026-11-22T12:00:00Z"),
        }
    }

    const DAY: Duration = Duration::from_secs(86_400);

    #[test]
    fn due_means_expiring_within_the_window_or_expired_and_not_invalidated() {
        let key = |expires: Option<&str>, invalidated| Key {
            expires: expires.map(at),
            invalidated,
        };
        let clock = clock();
        assert!(clock.due_within(&key(Some("2026-11-29T12:00:00Z"), false), 7 * DAY));
        assert!(!clock.due_within(&key(Some("2026-11-29T12:00:01Z"), false), 7 * DAY));
        assert!(clock.due_within(&key(Some("2026-11-22T12:00:00Z"), false), 7 * DAY));
        assert!(clock.due_within(&key(Some("2020-01-01T00:00:00Z"), false), 7 * DAY));
        assert!(clock.due_within(&key(Some("2026-11-22T11:00:00Z"), false), Duration::ZERO));
        assert!(!clock.due_within(&key(Some("2026-11-23T12:00:00Z"), true), 7 * DAY));
        assert!(!clock.due_within(&key(None, false), 7 * DAY));
        // A window past the end of chrono's time still means "ever".
        assert!(clock.due_within(&key(Some("9999-01-01T00:00:00Z"), false), Duration::MAX));
    }

    #[test]
    fn status_puts_invalidation_before_expiry() {
        let clock = clock();
        let expired = Key {
            expires: Some(at("2026-01-01T00:00:00Z")),
            invalidated: false,
        };
        assert_eq!(clock.status(&expired), Status::Expired);
        let both = Key {
            invalidated: true,
            ..expired
        };
        assert_eq!(clock.status(&both), Status::Invalidated);
    }

    #[test]
    fn relative_times_use_the_largest_unit_that_fits() {
        let clock = clock();
        let cases = [
            ("2026-11-22T12:00:30Z", "now"),
            ("2026-11-22T12:01:00Z", "in 1 minute"),
            ("2026-11-22T11:15:00Z", "45 minutes ago"),
            ("2026-11-23T23:59:00Z", "in 35 hours"),
            ("2026-11-29T12:00:00Z", "in 7 days"),
            ("2026-05-01T00:00:00Z", "6 months ago"),
            ("2019-01-01T00:00:00Z", "7 years ago"),
        ];
        for (time, expected) in cases {
            assert_eq!(clock.relative(at(time)), expected, "{time}");
        }
    }
}
