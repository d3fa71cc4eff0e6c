//! The rules a team sets for its keys (`--require-expiration`, `--max-lifetime`, `--max-age`),
//! and the keys that break them, each with its reason.
//!
//! Only active keys count: an expired or invalidated key can do no harm, whatever its dates.

use std::time::Duration;

use chrono::TimeDelta;

use crate::args::Policies;
use crate::expiry::{Clock, Lifetime, Status};
use crate::text::printable;

impl Policies {
    /// Whether any rule was given.
    pub(crate) fn any(&self) -> bool {
        self.require_expiration || self.max_lifetime.is_some() || self.max_age.is_some()
    }

    /// The rules `key` breaks at `clock`'s instant, as `<id>: <reason>` lines.
    pub(crate) fn breaches(&self, key: &impl Lifetime, clock: &Clock) -> Vec<String> {
        if clock.status(key) != Status::Active {
            return Vec::new();
        }
        let id = printable(key.id());
        let mut found = Vec::new();
        let expires = key.expires_at();
        if self.require_expiration && expires.is_none() {
            found.push(format!("{id}: never expires (--require-expiration)"));
        }
        if let Some(limit) = self.max_lifetime {
            let lifetime = key
                .created_at()
                .zip(expires)
                .map(|(created, expires)| expires - created);
            match lifetime {
                None if expires.is_none() => found.push(format!(
                    "{id}: never expires, so lives longer than --max-lifetime {}",
                    days(limit)
                )),
                Some(lifetime) if lifetime > delta(limit) => found.push(format!(
                    "{id}: lives {}, longer than --max-lifetime {}",
                    days_of(lifetime),
                    days(limit)
                )),
                _ => {}
            }
        }
        if let (Some(limit), Some(created)) = (self.max_age, key.created_at()) {
            let age = clock.now - created;
            if age > delta(limit) {
                found.push(format!(
                    "{id}: created {} ago, longer than --max-age {}",
                    days_of(age),
                    days(limit)
                ));
            }
        }
        found
    }
}

pub(crate) fn delta(duration: Duration) -> TimeDelta {
    TimeDelta::from_std(duration).unwrap_or(TimeDelta::MAX)
}

/// `90d`, or `36h` below a day.
pub(crate) fn days(duration: Duration) -> String {
    days_of(delta(duration))
}

fn days_of(delta: TimeDelta) -> String {
    if delta.num_days() >= 1 {
        format!("{}d", delta.num_days())
    } else {
        format!("{}h", delta.num_hours())
    }
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, Utc};

    use super::*;

    struct Key {
        created: Option<DateTime<Utc>>,
        expires: Option<DateTime<Utc>>,
    }

    impl Lifetime for Key {
        fn id(&self) -> &str {
            "k"
        }
        fn expires_at(&self) -> Option<DateTime<Utc>> {
            self.expires
        }
        fn created_at(&self) -> Option<DateTime<Utc>> {
            self.created
        }
        fn invalidated(&self) -> bool {
            false
        }
    }

    const DAY: Duration = Duration::from_secs(86_400);

    #[test]
    fn each_rule_names_its_reason() {
        let now: DateTime<Utc> = "2026-11-22T12:00:00Z".parse().unwrap();
        let clock = Clock::at(Some(now));
        let days_ago = |n: i64| Some(now - TimeDelta::days(n));
        let days_ahead = |n: i64| Some(now + TimeDelta::days(n));
        let all = Policies {
            require_expiration: true,
            max_lifetime: Some(90 * DAY),
            max_age: Some(180 * DAY),
        };
        let never = Key {
            created: days_ago(200),
            expires: None,
        };
        assert_eq!(
            all.breaches(&never, &clock),
            [
                "k: never expires (--require-expiration)",
                "k: never expires, so lives longer than --max-lifetime 90d",
                "k: created 200d ago, longer than --max-age 180d",
            ]
        );
        let long = Key {
            created: days_ago(10),
            expires: days_ahead(355),
        };
        assert_eq!(
            all.breaches(&long, &clock),
            ["k: lives 365d, longer than --max-lifetime 90d"]
        );
        let fine = Key {
            created: days_ago(10),
            expires: days_ahead(20),
        };
        assert!(all.breaches(&fine, &clock).is_empty());
        let expired = Key {
            created: days_ago(400),
            expires: days_ago(1),
        };
        assert!(
            all.breaches(&expired, &clock).is_empty(),
            "an expired key harms no one"
        );
        assert!(
            !Policies {
                require_expiration: false,
                max_lifetime: None,
                max_age: None
            }
            .any()
        );
    }
}
