//! The Elasticsearch security API: API key information.
//!
//! Generated from `spec/elasticsearch.yaml`. Start with [`GetApiKeyResponse`] (the list),
//! [`ApiKey`] (one key) and [`ErrorResponse`] (the error body). Times stay in their wire form,
//! milliseconds since the Unix epoch as `i64`; [`ApiKey::creation_time`] and its siblings read
//! them as [`chrono::DateTime<Utc>`](chrono::DateTime).

mod duration;
mod epoch_millis;
mod shared_roles;

pub use duration::{Duration, InvalidDuration};
pub use shared_roles::RoleDescriptors;

pub use crate::generated::elasticsearch::*;

/// The keys of a `GET /_security/api_key` body read from any [`std::io::Read`], one at a time,
/// in memory that does not grow with the number of keys.
///
/// ```
/// use elastic_apikeys_models::elasticsearch::ApiKeyReader;
///
/// let body = br#"{"api_keys":[{"id":"a","name":"one","creation":1,"invalidated":false,
///     "username":"u","realm":"r"},{"id":"b","name":null,"creation":2,"invalidated":true,
///     "username":"u","realm":"r"}]}"#;
/// let ids: Vec<_> = ApiKeyReader::new(&body[..]).map(|key| key.unwrap().id).collect();
/// assert_eq!(ids, ["a", "b"]);
/// ```
pub struct ApiKeyReader<R>(crate::stream::ItemReader<R, ApiKey>);

impl<R: std::io::Read> ApiKeyReader<R> {
    /// Reads the `api_keys` of the body that `reader` yields.
    pub fn new(reader: R) -> Self {
        Self(crate::stream::ItemReader::new(reader, "api_keys"))
    }
}

impl<R: std::io::Read> Iterator for ApiKeyReader<R> {
    type Item = Result<ApiKey, crate::stream::StreamError>;

    fn next(&mut self) -> Option<Self::Item> {
        self.0.next()
    }
}
