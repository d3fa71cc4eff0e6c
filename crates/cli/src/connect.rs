//! Building the clients from the command line and the environment.
//!
//! clap has already merged each flag with its environment variable (the flag wins). What is left
//! here is choosing among the credentials given and saying, in errors and `--verbose`, where they
//! came from: never what they are.

mod choice;
mod tls;

use elastic_apikeys_client::transport::InvalidCredentials;
use elastic_apikeys_client::{BuildError, SecretString, cloud, elasticsearch};

use crate::args::{CloudArgs, EsArgs};
use crate::failure::Failure;
use crate::text::{printable, to_stderr};
use choice::{CA_CERT, CA_FINGERPRINT, CLOUD_ID, URL, either};
pub(crate) use tls::Trust;
use tls::{Given, Service};

/// What every client of a run is built with, from the global flags.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    /// `--max-body-size`.
    pub(crate) max_body_size: u64,
    /// Not `--no-compression`.
    pub(crate) compression: bool,
    /// `--timeout`, for messages.
    pub(crate) timeout: std::time::Duration,
    /// When `--timeout` ends the run: the start of the run plus `timeout`. What the run waits
    /// for besides the server (a profile's credential command) ends there too.
    pub(crate) deadline: tokio::time::Instant,
}

/// A client, and the host it calls, for messages.
pub(crate) struct Connection<C> {
    pub(crate) client: C,
    /// `host[:port]` of the base URL.
    pub(crate) host: String,
    /// What the server's certificate is trusted by: [`Trust::tls_failure`] words an
    /// `Error::Tls` with it.
    pub(crate) trust: Trust,
    /// Where the credentials came from, for messages about them: `EC_API_KEY or --api-key`, or
    /// a profile's setting.
    pub(crate) credentials_from: String,
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
    let url = given(&args.url).unwrap_or(cloud::DEFAULT_BASE_URL);
    let mut builder = cloud::Client::builder()
        .base_url(url)
        .api_key(api_key)
        .max_body_size(limits.max_body_size)
        .compression(limits.compression);
    let ca_cert = given(&args.ca_cert);
    if let Some(path) = ca_cert {
        builder = builder.ca_certificate_file(path);
    }
    let from = &args.from_profile;
    let sources = Sources {
        url: from.url.as_deref().unwrap_or(if args.typed.url {
            "--url"
        } else {
            "EC_API_URL"
        }),
        api_key: from.api_key.as_deref().unwrap_or("EC_API_KEY or --api-key"),
        url_example: cloud::DEFAULT_BASE_URL,
    };
    let client = builder.build().map_err(|e| match e {
        BuildError::CaCertificate { .. } => unusable_file(
            from.ca_cert.as_deref().unwrap_or("--ca-cert"),
            ca_cert.unwrap_or_default(),
            &e,
        ),
        e => unusable(
            e,
            "Elastic Cloud takes an API key, in EC_API_KEY or --api-key",
            &sources,
        ),
    })?;
    // Only now is the URL known to hold no credentials, and fit to print.
    tracing::debug!(%url, "calling Elastic Cloud with the API key of EC_API_KEY or --api-key");
    let host = host_of(url);
    warn_if_cleartext(url, &host);
    Ok(Connection {
        client,
        host,
        trust: Trust {
            service: Service::Cloud,
            given: if ca_cert.is_some() {
                Given::CaCert
            } else {
                Given::Nothing
            },
        },
        credentials_from: sources.api_key.to_string(),
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
    let address = either(
        URL.given(given(&args.url), args.typed.url),
        CLOUD_ID.given(given(&args.cloud_id), args.typed.cloud_id),
        "both name the cluster",
    )?;
    let builder = match address {
        (Some(url), _) => elasticsearch::Client::builder().base_url(url),
        (None, Some(cloud_id)) => elasticsearch::Client::builder().cloud_id(cloud_id),
        (None, None) => {
            return Err(Failure::usage(
                "no Elasticsearch URL: set ELASTICSEARCH_URL or ELASTIC_CLOUD_ID, or pass --url \
                 or --cloud-id",
            ));
        }
    };
    let (builder, trust) = es_trust(args, builder)?;
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
    let builder = builder
        .max_body_size(limits.max_body_size)
        .compression(limits.compression);
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
    let from = &args.from_profile;
    let sources = Sources {
        url: from.url.as_deref().unwrap_or(URL.source(args.typed.url)),
        api_key: from
            .api_key
            .as_deref()
            .unwrap_or("ELASTIC_API_KEY or --api-key"),
        url_example: "https://localhost:9200",
    };
    let client = builder.build().map_err(|e| match e {
        BuildError::InvalidCloudId { .. } => {
            Failure::usage(format!("{}: {e}", CLOUD_ID.source(args.typed.cloud_id)))
        }
        BuildError::CaCertificate { .. } => unusable_file(
            from.ca_cert
                .as_deref()
                .unwrap_or(CA_CERT.source(args.typed.ca_cert)),
            given(&args.ca_cert).unwrap_or_default(),
            &e,
        ),
        BuildError::InvalidFingerprint { .. } => Failure::usage(format!(
            "{}: {e}",
            CA_FINGERPRINT.source(args.typed.ca_fingerprint)
        )),
        BuildError::ClientCertificate { .. } => unusable_file(
            "--client-cert",
            given(&args.client_cert).unwrap_or_default(),
            &e,
        ),
        BuildError::ClientKey { .. } => unusable_file(
            "--client-key",
            given(&args.client_key).unwrap_or_default(),
            &e,
        ),
        e => unusable(
            e,
            "give the user in ELASTIC_USERNAME or --auth-user and the password in \
             ELASTIC_PASSWORD or --auth-password",
            &sources,
        ),
    })?;
    // Only now is the URL known to hold no credentials, and fit to print: the one given, or
    // the one the Cloud ID names.
    let url = client.base_url();
    match method {
        Method::ApiKey => tracing::debug!(%url, "calling Elasticsearch with an API key"),
        Method::Basic => {
            tracing::debug!(%url, user = %user.unwrap_or_default(), "calling Elasticsearch with a username and password")
        }
    }
    let host = host_of(url);
    warn_if_cleartext(url, &host);
    Ok(Connection {
        client,
        host,
        trust,
        credentials_from: match method {
            Method::ApiKey => sources.api_key.to_string(),
            Method::Basic => "the username and password".to_string(),
        },
    })
}

/// The Elasticsearch client's TLS settings: a CA certificate or the CA's fingerprint (a typed
/// one beats one from the environment), a client certificate, or `--insecure`, which beats
/// either from the environment and warns on every run.
fn es_trust(
    args: &EsArgs,
    mut builder: elasticsearch::ClientBuilder,
) -> Result<(elasticsearch::ClientBuilder, Trust), Failure> {
    let trust = |given| Trust {
        service: Service::Elasticsearch,
        given,
    };
    if let (Some(cert), Some(key)) = (given(&args.client_cert), given(&args.client_key)) {
        builder = builder.client_certificate_files(cert, key);
    }
    if args.insecure {
        for (typed, flag) in [
            (args.typed.ca_cert, CA_CERT.flag),
            (args.typed.ca_fingerprint, CA_FINGERPRINT.flag),
        ] {
            if typed {
                return Err(Failure::usage(format!(
                    "--insecure and {flag} cannot be used together: --insecure checks no \
                     certificate, so {flag} would have no effect"
                )));
            }
        }
        to_stderr(
            "warning: --insecure: the server's certificate is not checked, so anyone on the \
             network between here and the server can read and change this exchange, \
             credentials included",
        );
        return Ok((
            builder.danger_accept_invalid_certs(true),
            trust(Given::Insecure),
        ));
    }
    let chosen = either(
        CA_CERT.given(given(&args.ca_cert), args.typed.ca_cert),
        CA_FINGERPRINT.given(given(&args.ca_fingerprint), args.typed.ca_fingerprint),
        "the fingerprint replaces every other trust, so the CA certificate would have no effect",
    )?;
    Ok(match chosen {
        (Some(path), _) => (builder.ca_certificate_file(path), trust(Given::CaCert)),
        (None, Some(hex)) => (builder.ca_fingerprint(hex), trust(Given::Fingerprint)),
        (None, None) => (builder, trust(Given::Nothing)),
    })
}

/// Where a run's address and API key came from, for messages: a flag, a variable or a
/// profile's setting.
struct Sources<'a> {
    url: &'a str,
    api_key: &'a str,
    /// An address of the service, for the advice on an unusable one.
    url_example: &'a str,
}

/// Why a client could not be built, in the terms of this command line: `credentials_go` says
/// where credentials belong instead of the URL, and `sources` where the values came from. A
/// value that does not parse is named by its source, never repeated: it may be a secret pasted
/// in the wrong place.
fn unusable(error: BuildError, credentials_go: &str, sources: &Sources<'_>) -> Failure {
    let api_key_from = sources.api_key;
    match error {
        BuildError::InvalidBaseUrl { reason, .. } => Failure::usage(format!(
            "{} is not an address apikeys can use ({reason}); give the service's URL, such as \
             {}",
            sources.url, sources.url_example
        )),
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
        BuildError::InvalidCredentials(InvalidCredentials::Whitespace) => Failure::usage(format!(
            "{api_key_from} holds whitespace, which no API key has: check that it was copied \
             whole and alone"
        )),
        error => Failure::usage(error.to_string()),
    }
}

/// The failure of a file setting `from`, whose value is `path`, that `error` says cannot be
/// used. The path is repeated only when a file is there: a value that names no file may be a
/// secret pasted where its path belongs.
fn unusable_file(from: &str, path: &str, error: &BuildError) -> Failure {
    if std::path::Path::new(path).exists() {
        return Failure::usage(format!("{from}: {error}"));
    }
    let reason = match error {
        BuildError::CaCertificate { reason, .. }
        | BuildError::ClientCertificate { reason, .. }
        | BuildError::ClientKey { reason, .. } => reason.as_str(),
        _ => "no such file",
    };
    Failure::usage(format!(
        "{from} names no file that can be read ({reason}); give the path of a PEM file"
    ))
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
/// Says on stderr, as `--insecure` does, that the credentials go to `host` in clear text when
/// `url` is plain `http://` to a host that is not this machine (`localhost`, 127.0.0.0/8,
/// `::1`), where a development cluster without TLS is common and nothing crosses a network.
fn warn_if_cleartext(url: &str, host: &str) {
    let Some((scheme, _)) = url.split_once("://") else {
        return;
    };
    if !scheme.eq_ignore_ascii_case("http") || is_loopback(host) {
        return;
    }
    to_stderr(format_args!(
        "warning: the credentials go to {} over plain http://, so anyone on the network between \
         here and the server can read them; use https://",
        printable(host)
    ));
}

/// Whether `host` (with its port, if any) names this machine.
fn is_loopback(host: &str) -> bool {
    let name = match host.strip_prefix('[') {
        // `[::1]:9200`
        Some(rest) => rest.split(']').next().unwrap_or(rest),
        None => host.rsplit_once(':').map_or(host, |(name, _)| name),
    };
    name.eq_ignore_ascii_case("localhost")
        || name
            .parse::<std::net::IpAddr>()
            .is_ok_and(|address| address.is_loopback())
}

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
    fn only_this_machine_is_loopback() {
        for host in [
            "localhost:9200",
            "LOCALHOST",
            "127.0.0.1:9200",
            "127.8.9.10",
            "[::1]:9200",
        ] {
            assert!(super::is_loopback(host), "{host}");
        }
        for host in [
            "es.example:9200",
            "10.0.0.5:9200",
            "[2001:db8::1]:9200",
            "localhost.example",
        ] {
            assert!(!super::is_loopback(host), "{host}");
        }
    }

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
