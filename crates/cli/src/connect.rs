//! Building the clients from the command line and the environment.
//!
//! clap has already merged each flag with its environment variable (the flag wins). What is left
//! here is choosing among the credentials given and saying, in errors and `--verbose`, where they
//! came from: never what they are.

use elastic_apikeys_client::transport::InvalidCredentials;
use elastic_apikeys_client::{BuildError, SecretString, cloud, elasticsearch};

use crate::args::{CloudArgs, EsArgs};
use crate::failure::Failure;

/// What every client of a run is built with, from the global flags.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    /// `--max-body-size`.
    pub(crate) max_body_size: u64,
}

/// A client, and the host it calls, for messages.
pub(crate) struct Connection<C> {
    pub(crate) client: C,
    /// `host[:port]` of the base URL.
    pub(crate) host: String,
}

/// The Elastic Cloud client.
pub(crate) fn cloud(
    args: &CloudArgs,
    limits: Limits,
) -> Result<Connection<cloud::Client>, Failure> {
    let Some(api_key) = given_secret(&args.api_key).map(str::trim) else {
        return Err(Failure::usage(
            "no Elastic Cloud API key: set EC_API_KEY or pass --api-key",
        ));
    };
    if api_key.chars().any(char::is_whitespace) {
        return Err(Failure::usage(
            "EC_API_KEY or --api-key holds whitespace, which no Elastic Cloud API key has",
        ));
    }
    let url = given(&args.url).unwrap_or(cloud::DEFAULT_BASE_URL);
    let client = cloud::Client::builder()
        .base_url(url)
        .api_key(api_key)
        .max_body_size(limits.max_body_size)
        .build()
        .map_err(|e| {
            unusable(
                e,
                "Elastic Cloud takes an API key, in EC_API_KEY or --api-key",
                "EC_API_KEY or --api-key",
            )
        })?;
    // Only now is the URL known to hold no credentials, and fit to print.
    tracing::debug!(%url, "calling Elastic Cloud with the API key of EC_API_KEY or --api-key");
    Ok(Connection {
        client,
        host: host_of(url),
    })
}

/// How the Elasticsearch client authenticates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Method {
    ApiKey,
    Basic,
}

/// The Elasticsearch client.
///
/// Credentials typed on the command line beat those of the environment: what was typed is what
/// was meant. Among credentials from the same place, an API key beats a username and password.
pub(crate) fn elasticsearch(
    args: &EsArgs,
    limits: Limits,
) -> Result<Connection<elasticsearch::Client>, Failure> {
    let Some(url) = given(&args.url) else {
        return Err(Failure::usage(
            "no Elasticsearch URL: set ELASTICSEARCH_URL or pass --url",
        ));
    };
    let api_key = given_secret(&args.api_key).map(str::trim);
    let user = given(&args.auth_user);
    let password = given_secret(&args.auth_password);
    let method = if args.typed.api_key {
        Method::ApiKey
    } else if args.typed.user_or_password {
        Method::Basic
    } else if api_key.is_some() {
        Method::ApiKey
    } else {
        Method::Basic
    };
    let builder = elasticsearch::Client::builder()
        .base_url(url)
        .max_body_size(limits.max_body_size);
    let builder = match (method, api_key, user, password) {
        // The form Beats and Logstash take; base64 never holds a `:`, so it cannot be mistaken
        // for an encoded key.
        (Method::ApiKey, Some(api_key), ..) => match api_key.split_once(':') {
            Some((id, secret)) => builder.api_key_from_parts(id, secret),
            None => builder.api_key(api_key),
        },
        (Method::Basic, _, Some(user), Some(password)) => builder.basic_auth(user, password),
        (Method::Basic, _, Some(_), None) => {
            return Err(Failure::usage(
                "a username but no password: set ELASTIC_PASSWORD or pass --auth-password",
            ));
        }
        (Method::Basic, _, None, Some(_)) => {
            return Err(Failure::usage(
                "a password but no username: set ELASTIC_USERNAME or pass --auth-user",
            ));
        }
        _ => {
            return Err(Failure::usage(
                "no Elasticsearch credentials: set ELASTIC_API_KEY, or ELASTIC_USERNAME and ELASTIC_PASSWORD (or pass --api-key, or --auth-user and --auth-password)",
            ));
        }
    };
    let client = builder.build().map_err(|e| {
        unusable(
            e,
            "give the user in ELASTIC_USERNAME or --auth-user and the password in \
             ELASTIC_PASSWORD or --auth-password",
            "ELASTIC_API_KEY or --api-key",
        )
    })?;
    // Only now is the URL known to hold no credentials, and fit to print.
    match method {
        Method::ApiKey => tracing::debug!(%url, "calling Elasticsearch with an API key"),
        Method::Basic => {
            tracing::debug!(%url, user = %user.unwrap_or_default(), "calling Elasticsearch with a username and password")
        }
    }
    Ok(Connection {
        client,
        host: host_of(url),
    })
}

/// Why a client could not be built, in the terms of this command line: `credentials_go` says
/// where credentials belong instead of the URL, and `api_key_from` where the API key came from.
fn unusable(error: BuildError, credentials_go: &str, api_key_from: &str) -> Failure {
    match error {
        BuildError::CredentialsInUrl { url } => Failure::usage(format!(
            "the URL {url} holds a username or password, which errors and logs would show: \
             {credentials_go}"
        )),
        BuildError::InvalidCredentials(InvalidCredentials::NotAnEncodedApiKey { .. }) => {
            Failure::usage(format!(
                "{api_key_from} is not an Elasticsearch API key: it takes the key's encoded form \
                 (the `encoded` value Elasticsearch returns on creation, base64 of id:api_key) \
                 or id:api_key; a username and password go in ELASTIC_USERNAME and \
                 ELASTIC_PASSWORD (--auth-user, --auth-password)"
            ))
        }
        error => Failure::usage(error.to_string()),
    }
}

/// A setting's value, trimmed, unless it is empty: `EC_API_KEY=` in a script means "none", and
/// sending an empty key would only earn a 401. Whitespace around a value is never part of it (a
/// server trims it from a header too).
fn given(value: &Option<String>) -> Option<&str> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|value| !value.is_empty())
}

/// [`given`], for a credential, untrimmed: a space can be part of a password. API keys, which
/// never hold one, are trimmed where they are used.
fn given_secret(value: &Option<SecretString>) -> Option<&str> {
    value
        .as_ref()
        .map(SecretString::expose_secret)
        .filter(|value| !value.trim().is_empty())
}

/// `host[:port]` of a base URL the client accepted (so absolute, `http` or `https`, and without
/// credentials).
fn host_of(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    rest.split(['/', '?', '#'])
        .next()
        .unwrap_or(rest)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::host_of;

    #[test]
    fn hosts_keep_their_port() {
        assert_eq!(
            host_of("https://api.elastic-cloud.com/api/v1"),
            "api.elastic-cloud.com"
        );
        assert_eq!(host_of("http://127.0.0.1:9200"), "127.0.0.1:9200");
        assert_eq!(host_of("https://[::1]:9200/"), "[::1]:9200");
    }
}
