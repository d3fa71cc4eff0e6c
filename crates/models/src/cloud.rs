//! The Elastic Cloud API: API keys of the authenticated user.
//!
//! Generated from `spec/elastic-cloud.yaml`. Start with [`ApiKeysResponse`] (the list),
//! [`ApiKeyResponse`] (one key) and [`BasicFailedReply`] (the error body). Date-times are
//! [`chrono::DateTime<Utc>`](chrono::DateTime) and accept any RFC 3339 offset.

pub use crate::generated::cloud::*;
