//! The Elastic Cloud API client.
//!
//! ```no_run
//! # async fn run() -> Result<(), elastic_apikeys_client::cloud::Error<elastic_apikeys_client::cloud::types::BasicFailedReply>> {
//! use elastic_apikeys_client::cloud::Client;
//!
//! let client = Client::new("https://api.elastic-cloud.com/api/v1");
//! let key = client.get_api_key().api_key_id("2ce0be1f3b8c4b5c").send().await?;
//! println!("{} was created {}", key.id, key.creation_date);
//! # Ok(())
//! # }
//! ```

pub use crate::generated::cloud::*;
