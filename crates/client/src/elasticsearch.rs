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

pub mod last_used;

impl Client {
    /// Starts building a client. Give it the cluster's address with
    /// [`base_url`](ClientBuilder::base_url).
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The base URL of every request: the one given to the builder, without a trailing `/`, or
    /// the one a Cloud ID names. It holds no credentials (the builder refuses a URL with them).
    pub fn base_url(&self) -> &str {
        &self.baseurl
    }
}

/// Builds a [`Client`]: the cluster's address, credentials, timeouts, retries, limits, TLS and
/// proxy.
///
/// The names are those of the Elastic Cloud client's builder, with the same meanings:
/// [`base_url`](Self::base_url) is the address, [`api_key`](Self::api_key) the value sent after
/// `ApiKey `.
#[derive(Debug, Clone, Default)]
#[must_use]
pub struct ClientBuilder {
    address: Option<Address>,
    credentials: Option<Credentials>,
    http: HttpOptions,
}

/// How the cluster's address was given.
#[derive(Debug, Clone)]
enum Address {
    BaseUrl(String),
    CloudId(String),
}

impl ClientBuilder {
    /// The cluster's address, such as `https://localhost:9200`. Required, unless a
    /// [`cloud_id`](Self::cloud_id) gives it; the later of the two calls wins.
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.address = Some(Address::BaseUrl(base_url.into()));
        self
    }

    /// The cluster's address as an Elastic Cloud ID, as the deployment's page of the Elastic
    /// Cloud console shows it: `name:base64(host$es_uuid$kibana_uuid)`, the `name:` part
    /// optional. It names `https://<es_uuid>.<host>:<port>`, port 443 unless the host (or the
    /// UUID) carries one, as in `host:9243`. A malformed ID is
    /// [`BuildError::InvalidCloudId`], which repeats neither the ID nor what it decodes to.
    /// Instead of [`base_url`](Self::base_url); the later of the two calls wins.
    ///
    /// ```
    /// # fn main() -> Result<(), elastic_apikeys_client::BuildError> {
    /// use elastic_apikeys_client::elasticsearch::Client;
    ///
    /// // The example of Elastic's Beats documentation.
    /// let client = Client::builder()
    ///     .cloud_id("staging:dXMtZWFzdC0xLmF3cy5mb3VuZC5pbyRjZWM2ZjI2MWE3NGJmMjRjZTMzYmI4ODExYjg0Mjk0ZiRjNmMyY2E2ZDA0MjI0OWFmMGNjN2Q3YTllOTYyNTc0Mw==")
    ///     .build()?;
    /// assert_eq!(
    ///     client.base_url(),
    ///     "https://cec6f261a74bf24ce33bb8811b84294f.us-east-1.aws.found.io:443"
    /// );
    /// # Ok(())
    /// # }
    /// ```
    pub fn cloud_id(mut self, cloud_id: impl Into<String>) -> Self {
        self.address = Some(Address::CloudId(cloud_id.into()));
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
        let base_url = match self.address {
            None => return Err(BuildError::MissingBaseUrl),
            Some(Address::BaseUrl(url)) => url,
            Some(Address::CloudId(id)) => crate::transport::cloud_id_url(&id)
                .map_err(|reason| BuildError::InvalidCloudId { reason })?,
        };
        if let Some(credentials) = &self.credentials {
            credentials
                .check_elasticsearch()
                .map_err(BuildError::InvalidCredentials)?;
        }
        let (base_url, http, config) =
            crate::transport::build(&base_url, self.credentials, self.http, OPERATIONS)?;
        Ok(Client::new_with_client(&base_url, http, config))
    }
}
