//! The Elasticsearch security API client.
//!
//! ```no_run
//! # async fn run() -> Result<(), elastic_apikeys_client::elasticsearch::Error<elastic_apikeys_client::elasticsearch::types::ErrorResponse>> {
//! use elastic_apikeys_client::elasticsearch::Client;
//!
//! let client = Client::new("http://localhost:9200");
//! let active = client.security_get_api_key().active_only(true).send().await?;
//! println!("{} active keys", active.api_keys.len());
//! # Ok(())
//! # }
//! ```

pub use crate::generated::elasticsearch::*;
