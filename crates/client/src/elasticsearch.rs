//! The Elasticsearch security API client.
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use elastic_apikeys_client::elasticsearch::Client;
//!
//! let client = Client::builder("https://localhost:9200")
//!     .encoded_api_key(std::env::var("ELASTIC_API_KEY")?)
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
    /// Starts building a client for the cluster at `base_url`, such as `https://localhost:9200`.
    pub fn builder(base_url: impl Into<String>) -> ClientBuilder {
        ClientBuilder {
            base_url: base_url.into(),
            credentials: None,
            http: HttpOptions::default(),
        }
    }
}

/// Builds a [`Client`]: base URL, credentials, timeouts and retries.
#[derive(Debug, Clone)]
pub struct ClientBuilder {
    base_url: String,
    credentials: Option<Credentials>,
    http: HttpOptions,
}

impl ClientBuilder {
    /// Any credentials.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// An API key from its id and secret: `Authorization: ApiKey base64(id:api_key)`.
    pub fn api_key(self, id: &str, api_key: impl Into<SecretString>) -> Self {
        self.credentials(Credentials::api_key(id, api_key))
    }

    /// An API key already encoded: the `encoded` value of a created key, `base64(id:api_key)`.
    pub fn encoded_api_key(self, encoded: impl Into<SecretString>) -> Self {
        self.credentials(Credentials::encoded_api_key(encoded))
    }

    /// A username and password.
    pub fn basic_auth(
        self,
        username: impl Into<String>,
        password: impl Into<SecretString>,
    ) -> Self {
        self.credentials(Credentials::basic(username, password))
    }

    /// A bearer token.
    pub fn bearer_token(self, token: impl Into<SecretString>) -> Self {
        self.credentials(Credentials::bearer(token))
    }

    http_options!();

    /// Builds the client. An API key must have the shape Elasticsearch decodes,
    /// `base64(id:api_key)`, or this fails with
    /// [`InvalidCredentials::NotAnEncodedApiKey`](crate::transport::InvalidCredentials).
    pub fn build(self) -> Result<Client, BuildError> {
        if let Some(credentials) = &self.credentials {
            credentials
                .check_elasticsearch()
                .map_err(BuildError::InvalidCredentials)?;
        }
        let (base_url, http, config) =
            crate::transport::build(&self.base_url, self.credentials, self.http)?;
        Ok(Client::new_with_client(&base_url, http, config))
    }
}
