//! The Elastic Cloud API client.
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use elastic_apikeys_client::cloud::Client;
//!
//! let client = Client::builder()
//!     .api_key(std::env::var("EC_API_KEY")?)
//!     .build()?;
//! let key = client.get_api_key().api_key_id("2ce0be1f3b8c4b5c").send().await?;
//! println!("{} was created {}", key.id, key.creation_date);
//! # Ok(())
//! # }
//! ```

use elastic_apikeys_models::SecretString;

use crate::transport::{BuildError, Credentials, HttpOptions, http_options};

pub use crate::generated::cloud::*;

/// The Elastic Cloud API's address.
pub const DEFAULT_BASE_URL: &str = "https://api.elastic-cloud.com/api/v1";

impl Client {
    /// Starts building a client for [`DEFAULT_BASE_URL`].
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The base URL of every request: the one given to the builder, without a trailing `/`. It
    /// holds no credentials (the builder refuses a URL with them).
    pub fn base_url(&self) -> &str {
        &self.baseurl
    }
}

/// Builds a [`Client`]: the API's address, the API key, timeouts, retries and limits.
///
/// The names are those of the Elasticsearch client's builder, with the same meanings:
/// [`base_url`](Self::base_url) is the address, [`api_key`](Self::api_key) the value sent after
/// `ApiKey `.
#[derive(Debug, Clone)]
#[must_use]
pub struct ClientBuilder {
    base_url: String,
    api_key: Option<SecretString>,
    http: HttpOptions,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self {
            base_url: DEFAULT_BASE_URL.to_string(),
            api_key: None,
            http: HttpOptions::default(),
        }
    }
}

impl ClientBuilder {
    /// The API's address. Default: [`DEFAULT_BASE_URL`]; another one for an Elastic Cloud
    /// Enterprise installation, such as `https://ece.example:12443/api/v1`.
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = base_url.into();
        self
    }

    /// The API key, sent as `Authorization: ApiKey <key>`.
    pub fn api_key(mut self, api_key: impl Into<SecretString>) -> Self {
        self.api_key = Some(api_key.into());
        self
    }

    http_options!();

    /// Builds the client.
    pub fn build(self) -> Result<Client, BuildError> {
        let credentials = self.api_key.map(Credentials::api_key);
        let (base_url, http, config) =
            crate::transport::build(&self.base_url, credentials, self.http, OPERATIONS)?;
        Ok(Client::new_with_client(&base_url, http, config))
    }
}
