//! The Elasticsearch security API client.
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use elastic_apikeys_client::elasticsearch::Client;
//!
//! let client = Client::builder()
//!     .base_url("https://localhost:9200")
//!     .api_key(std::env::var("ELASTIC_API_KEY")?)
//!     .build()?;
//! let active = client.security_get_api_key().active_only(true).send().await?;
//! println!("{} active keys", active.api_keys.len());
//! # Ok(())
//! # }
//! ```

use elastic_apikeys_models::SecretString;

use crate::transport::{BuildError, Credentials, HttpOptions, http_options};

pub use crate::generated::elasticsearch::*;

impl Client {
    /// Starts building a client. Give it the cluster's address with
    /// [`base_url`](ClientBuilder::base_url).
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }
}

/// Builds a [`Client`]: the cluster's address, credentials, timeouts, retries and limits.
///
/// The names are those of the Elastic Cloud client's builder, with the same meanings:
/// [`base_url`](Self::base_url) is the address, [`api_key`](Self::api_key) the value sent after
/// `ApiKey `.
#[derive(Debug, Clone, Default)]
#[must_use]
pub struct ClientBuilder {
    base_url: Option<String>,
    credentials: Option<Credentials>,
    http: HttpOptions,
}

impl ClientBuilder {
    /// The cluster's address, such as `https://localhost:9200`. Required.
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = Some(base_url.into());
        self
    }

    /// Any credentials.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// An API key as Elasticsearch returns it in `encoded` when it creates one:
    /// `base64(id:api_key)`, sent as `Authorization: ApiKey <encoded>`.
    pub fn api_key(self, encoded: impl Into<SecretString>) -> Self {
        self.credentials(Credentials::api_key(encoded))
    }

    /// An API key from its `id` and its secret `api_key`, as the create API returns them, encoded
    /// here as `base64(id:api_key)`.
    pub fn api_key_from_parts(self, id: &str, api_key: impl Into<SecretString>) -> Self {
        self.credentials(Credentials::api_key_from_parts(id, api_key))
    }

    /// A username and password.
    pub fn basic_auth(
        self,
        username: impl Into<String>,
        password: impl Into<SecretString>,
    ) -> Self {
        self.credentials(Credentials::basic(username, password))
    }

    /// A bearer token: an OAuth2 access token or a service account token.
    pub fn bearer_token(self, token: impl Into<SecretString>) -> Self {
        self.credentials(Credentials::bearer(token))
    }

    http_options!();

    /// Builds the client. An API key must have the shape Elasticsearch decodes,
    /// `base64(id:api_key)`, or this fails with
    /// [`InvalidCredentials::NotAnEncodedApiKey`](crate::transport::InvalidCredentials).
    pub fn build(self) -> Result<Client, BuildError> {
        let Some(base_url) = self.base_url else {
            return Err(BuildError::MissingBaseUrl);
        };
        if let Some(credentials) = &self.credentials {
            credentials
                .check_elasticsearch()
                .map_err(BuildError::InvalidCredentials)?;
        }
        let (base_url, http, config) =
            crate::transport::build(&base_url, self.credentials, self.http)?;
        Ok(Client::new_with_client(&base_url, http, config))
    }
}
