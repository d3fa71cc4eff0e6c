//! `DateTime<Utc>` views of the epoch-millisecond fields of [`ApiKey`].
//!
//! The fields keep their `i64` wire form so that decoding and re-encoding never changes them; these
//! accessors convert on demand.

use chrono::{DateTime, Utc};

use super::ApiKey;

/// Milliseconds since the Unix epoch as a UTC date-time, or `None` when the value is outside the
/// range `chrono` can represent (about ±262,000 years), instead of a panic.
fn from_epoch_millis(millis: i64) -> Option<DateTime<Utc>> {
    DateTime::from_timestamp_millis(millis)
}

impl ApiKey {
    /// When the key was created (`creation`). `None` only if the value is out of range.
    pub fn creation_time(&self) -> Option<DateTime<Utc>> {
        from_epoch_millis(self.creation)
    }

    /// When the key expires (`expiration`). `None` if it never expires, or if the value is out
    /// of range.
    pub fn expiration_time(&self) -> Option<DateTime<Utc>> {
        self.expiration.and_then(from_epoch_millis)
    }

    /// When the key was invalidated (`invalidation`, sent since 8.12). `None` if it is not
    /// invalidated, was invalidated by an older cluster, or if the value is out of range.
    pub fn invalidation_time(&self) -> Option<DateTime<Utc>> {
        self.invalidation.and_then(from_epoch_millis)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(creation: i64, expiration: Option<i64>, invalidation: Option<i64>) -> ApiKey {
        ApiKey::builder()
            .id("VuaCfGcBCdbkQm-e5aOx")
            .name("my-api-key")
            .creation(creation)
            .set_expiration(expiration)
            .invalidated(invalidation.is_some())
            .set_invalidation(invalidation)
            .username("myuser")
            .realm("native1")
            .try_into()
            .expect("every required field is set")
    }

    #[test]
    fn reads_epoch_milliseconds_as_utc() {
        let key = key(1548550550158, Some(1548551550158), Some(1548551550159));
        assert_eq!(
            key.creation_time().unwrap().to_rfc3339(),
            "2019-01-27T00:55:50.158+00:00"
        );
        assert_eq!(
            key.expiration_time().unwrap().to_rfc3339(),
            "2019-01-27T01:12:30.158+00:00"
        );
        assert_eq!(
            key.invalidation_time().unwrap().timestamp_millis(),
            1548551550159
        );
    }

    #[test]
    fn absent_times_are_none() {
        let key = key(0, None, None);
        assert_eq!(key.creation_time(), DateTime::from_timestamp(0, 0));
        assert_eq!(key.expiration_time(), None);
        assert_eq!(key.invalidation_time(), None);
    }

    #[test]
    fn out_of_range_values_are_none_not_a_panic() {
        let key = key(i64::MAX, Some(i64::MIN), Some(i64::MAX));
        assert_eq!(key.creation_time(), None);
        assert_eq!(key.expiration_time(), None);
        assert_eq!(key.invalidation_time(), None);
    }
}
