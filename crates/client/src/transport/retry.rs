//! Retrying idempotent requests that a server or proxy turned away for a moment.

use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, RETRY_AFTER};

use super::status::StatusCode;

/// When and how often an operation the spec declares safe to repeat (`x-retry: safe`) is sent
/// again after `429 Too Many Requests`, `502 Bad Gateway`,
/// `503 Service Unavailable` or `504 Gateway Timeout`.
///
/// The wait before retry `n` (from 0) is a random duration up to
/// `min(max_backoff, initial_backoff * 2^n)` ("full jitter"), or what the server's `Retry-After`
/// asks for. A `Retry-After` longer than `max_retry_after` is not waited out: the response is
/// returned as it is, so a caller is never blocked for minutes without knowing why.
///
/// Start from [`RetryPolicy::default`] or [`RetryPolicy::none`] and change what differs:
///
/// ```
/// use std::time::Duration;
/// use elastic_apikeys_client::RetryPolicy;
///
/// let patient = RetryPolicy::default()
///     .with_max_retries(5)
///     .with_max_backoff(Duration::from_secs(10));
/// assert_eq!(patient.max_retries(), 5);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryPolicy {
    pub(crate) max_retries: u32,
    pub(crate) initial_backoff: Duration,
    pub(crate) max_backoff: Duration,
    pub(crate) max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 3,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(5),
            max_retry_after: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// No retries: every response is returned as it comes.
    pub fn none() -> Self {
        Self {
            max_retries: 0,
            ..Self::default()
        }
    }

    /// Retries after the first attempt; `0` turns retrying off. Default: 3.
    pub fn with_max_retries(mut self, retries: u32) -> Self {
        self.max_retries = retries;
        self
    }

    /// The ceiling of the first wait. Default: 200 ms.
    pub fn with_initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// The ceiling of any computed wait. Default: 5 s.
    pub fn with_max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// The longest `Retry-After` that is honoured by waiting. Default: 30 s.
    pub fn with_max_retry_after(mut self, wait: Duration) -> Self {
        self.max_retry_after = wait;
        self
    }

    /// Retries after the first attempt.
    pub fn max_retries(&self) -> u32 {
        self.max_retries
    }

    /// The ceiling of the first wait.
    pub fn initial_backoff(&self) -> Duration {
        self.initial_backoff
    }

    /// The ceiling of any computed wait.
    pub fn max_backoff(&self) -> Duration {
        self.max_backoff
    }

    /// The longest `Retry-After` that is honoured by waiting.
    pub fn max_retry_after(&self) -> Duration {
        self.max_retry_after
    }

    /// Whether `status` is transient (`429`, `502`, `503`, `504`...): worth another attempt of
    /// an operation that may be sent twice. The client asks it only of those.
    pub fn is_transient_status(status: StatusCode) -> bool {
        [
            StatusCode::TOO_MANY_REQUESTS,
            StatusCode::BAD_GATEWAY,
            StatusCode::SERVICE_UNAVAILABLE,
            StatusCode::GATEWAY_TIMEOUT,
        ]
        .contains(&status)
    }

    /// How long to wait before retry number `retry` (from 0), given the response's headers; `None`
    /// when the server asks for a longer wait than [`max_retry_after`](Self::max_retry_after).
    pub(crate) fn delay(&self, retry: u32, headers: &HeaderMap) -> Option<Duration> {
        if let Some(asked) = retry_after(headers, SystemTime::now()) {
            return (asked <= self.max_retry_after).then_some(asked);
        }
        let ceiling = self
            .initial_backoff
            .saturating_mul(2u32.saturating_pow(retry))
            .min(self.max_backoff);
        Some(ceiling.mul_f64(jitter()))
    }
}

/// The wait a `Retry-After` header asks for: delay-seconds, or an HTTP date (RFC 9110 §10.2.3).
fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let at = SystemTime::UNIX_EPOCH + Duration::from_secs(u64::try_from(at.timestamp()).ok()?);
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

/// A number in `[0, 1)`, different on every call. Hashing with a fresh `RandomState` draws on
/// the process's random keys; it is not for cryptography, only to spread retries out.
fn jitter() -> f64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u128(
        SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap_or_default()
            .as_nanos(),
    );
    (hasher.finish() >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(retry_after: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, HeaderValue::from_str(retry_after).unwrap());
        headers
    }

    #[test]
    fn backoff_grows_and_is_bounded_and_jittered() {
        let policy = RetryPolicy::default();
        let none = HeaderMap::new();
        for retry in 0..20 {
            let ceiling =
                (policy.initial_backoff * 2u32.saturating_pow(retry)).min(policy.max_backoff);
            let delay = policy.delay(retry, &none).unwrap();
            assert!(delay <= ceiling, "{retry}: {delay:?} > {ceiling:?}");
        }
        let delays: std::collections::BTreeSet<Duration> =
            (0..16).map(|_| policy.delay(3, &none).unwrap()).collect();
        assert!(delays.len() > 1, "no jitter: {delays:?}");
    }

    #[test]
    fn retry_after_in_seconds_or_as_a_date_is_honoured() {
        let policy = RetryPolicy::default();
        assert_eq!(policy.delay(0, &headers("2")), Some(Duration::from_secs(2)));
        assert_eq!(policy.delay(0, &headers("3600")), None, "too long to wait");
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_445_412_470);
        let date = headers("Wed, 21 Oct 2015 07:28:00 GMT");
        assert_eq!(retry_after(&date, now), Some(Duration::from_secs(10)));
        let past = SystemTime::UNIX_EPOCH + Duration::from_secs(1_445_412_490);
        assert_eq!(retry_after(&date, past), Some(Duration::ZERO));
        assert_eq!(retry_after(&headers("soon"), now), None);
    }

    #[test]
    fn only_the_transient_statuses_are_retried() {
        for status in [429, 502, 503, 504] {
            assert!(RetryPolicy::is_transient_status(
                StatusCode::from_u16(status).unwrap()
            ));
        }
        for status in [200, 400, 401, 403, 404, 500, 501] {
            assert!(!RetryPolicy::is_transient_status(
                StatusCode::from_u16(status).unwrap()
            ));
        }
    }
}
