//! The Elasticsearch security API: API key information.
//!
//! Generated from `spec/elasticsearch.yaml`. Start with [`GetApiKeyResponse`] (the list),
//! [`ApiKey`] (one key) and [`ErrorResponse`] (the error body). Times stay in their wire form,
//! milliseconds since the Unix epoch as `i64`; [`ApiKey::creation_time`] and its siblings read
//! them as [`chrono::DateTime<Utc>`](chrono::DateTime).

mod epoch_millis;

pub use crate::generated::elasticsearch::*;
