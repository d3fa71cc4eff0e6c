//! The HTTP settings every client is built with.

use std::time::Duration;

use super::build_error::BuildError;
use super::config::ClientConfig;
use super::credentials::Credentials;
use super::declarations::Declared;
use super::proxy::{self, ProxySetting};
use super::reading::{BodyLimit, DEFAULT_MAX_BODY_SIZE};
use super::retry::RetryPolicy;
use super::tls::{self, TlsOptions};
use super::urls::redacted_url_text;

/// The `User-Agent` of every request.
pub const USER_AGENT: &str = concat!("elastic-apikeys/", env!("CARGO_PKG_VERSION"));

/// Timeouts, retries, limits, TLS and proxies, shared by both clients' builders.
///
/// The defaults suit key lists of 100 MB and more on a slow link: there is no limit on a whole
/// request, but a connection must open within 10 s and the server must send something at least
/// every 60 s.
#[derive(Debug, Clone)]
pub(crate) struct HttpOptions {
    /// A caller's own HTTP client, which replaces every setting below but the retries and the
    /// body limit.
    pub(crate) reqwest_client: Option<reqwest::Client>,
    pub(crate) connect_timeout: Duration,
    pub(crate) read_timeout: Duration,
    pub(crate) timeout: Option<Duration>,
    pub(crate) retry: RetryPolicy,
    pub(crate) max_body_size: u64,
    /// Whether answers may come gzip-compressed.
    pub(crate) compression: bool,
    pub(crate) tls: TlsOptions,
    pub(crate) proxy: ProxySetting,
}

impl Default for HttpOptions {
    fn default() -> Self {
        Self {
            reqwest_client: None,
            connect_timeout: Duration::from_secs(10),
            read_timeout: Duration::from_secs(60),
            timeout: None,
            retry: RetryPolicy::default(),
            max_body_size: DEFAULT_MAX_BODY_SIZE,
            compression: true,
            tls: TlsOptions::default(),
            proxy: ProxySetting::default(),
        }
    }
}

/// Checks `base_url`, and builds the HTTP client and the configuration a generated client needs.
///
/// The URL is trimmed first: a stray space from a copied variable is never what was meant, and
/// would otherwise end up percent-encoded in every path.
pub(crate) fn build(
    base_url: &str,
    credentials: Option<Credentials>,
    options: HttpOptions,
    operations: &'static [Declared],
) -> Result<(String, reqwest::Client, ClientConfig), BuildError> {
    let base_url = base_url.trim();
    let invalid = |reason: &str| BuildError::InvalidBaseUrl {
        url: redacted_url_text(base_url),
        reason: reason.to_string(),
    };
    let url = reqwest::Url::parse(base_url).map_err(|e| invalid(&e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(invalid("the scheme must be http or https"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(BuildError::CredentialsInUrl {
            url: redacted_url_text(base_url),
        });
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid("a base URL has no query or fragment"));
    }
    if let Some(credentials) = &credentials {
        credentials
            .header_value()
            .map_err(BuildError::InvalidCredentials)?;
    }
    let config = ClientConfig {
        credentials,
        retry: options.retry,
        body_limit: BodyLimit(options.max_body_size),
        operations,
    };
    let base_url = base_url.trim_end_matches('/').to_string();
    if let Some(http) = options.reqwest_client {
        return Ok((base_url, http, config));
    }
    let mut http = reqwest::Client::builder()
        .user_agent(USER_AGENT)
        .connect_timeout(options.connect_timeout)
        .read_timeout(options.read_timeout)
        // Neither API redirects. Following one would send the credentials to wherever a server,
        // or whoever can answer in its place, points; a 3xx is `Error::Redirect` instead.
        .redirect(reqwest::redirect::Policy::none())
        .gzip(options.compression);
    if let Some(timeout) = options.timeout {
        http = http.timeout(timeout);
    }
    // reqwest takes the configuration as an `Any`, and would report a type it does not know only
    // as an "unknown TLS backend": the rustls version is the one reqwest is built with.
    let http = http.tls_backend_preconfigured(tls::client_config(&options.tls)?);
    let chosen = proxy::choose(&options.proxy, &url, |name| std::env::var(name).ok())?;
    let http = proxy::apply(http, chosen.as_ref())?;
    let http = http.build().map_err(|e| BuildError::Http(e.to_string()))?;
    Ok((base_url, http, config))
}

/// Builder methods both clients share.
macro_rules! http_options {
    () => {
        /// The longest wait for a connection to open. Default: 10 s.
        pub fn connect_timeout(mut self, timeout: ::std::time::Duration) -> Self {
            self.http.connect_timeout = timeout;
            self
        }

        /// The longest the server may stay silent while a response is expected, between any two
        /// reads. Default: 60 s. This is what ends a request to a stalled server.
        pub fn read_timeout(mut self, timeout: ::std::time::Duration) -> Self {
            self.http.read_timeout = timeout;
            self
        }

        /// A limit on each whole attempt, from sending to the end of the body. Default: none, so
        /// that a 100 MB key list on a slow link is not cut off.
        pub fn timeout(mut self, timeout: ::std::time::Duration) -> Self {
            self.http.timeout = Some(timeout);
            self
        }

        /// The largest response body decoded whole, in bytes. Default:
        /// [`DEFAULT_MAX_BODY_SIZE`](crate::transport::DEFAULT_MAX_BODY_SIZE) (256 MiB). A larger
        /// body is [`Error::BodyTooLarge`](crate::Error::BodyTooLarge), found from its
        /// `Content-Length` before it is read, or as soon as it grows past the limit; so a server
        /// that sends without end cannot exhaust memory. `send_stream()` is not limited: it holds
        /// one element at a time.
        ///
        /// The limit counts a compressed body (see [`compression`](Self::compression)) as
        /// decompressed, so a small body that would decompress past it is refused all the same.
        pub fn max_body_size(mut self, bytes: u64) -> Self {
            self.http.max_body_size = bytes;
            self
        }

        /// Whether to ask for compressed answers (`Accept-Encoding: gzip`), and decompress
        /// them as they arrive. Default: on. Elasticsearch compresses when asked, by default
        /// over plain HTTP (`http.compression`): a key list then crosses the network in a
        /// fifth to a twelfth of its bytes, for the server's and the client's CPU time, which
        /// only a fast local link does not repay (BENCHMARKS.md measures the break-even at
        /// 350 to 700 Mbit/s with the server on the same two cores).
        pub fn compression(mut self, on: bool) -> Self {
            self.http.compression = on;
            self
        }

        /// When to retry. Default: [`RetryPolicy::default`](crate::RetryPolicy::default);
        /// [`RetryPolicy::none`](crate::RetryPolicy::none) turns retrying off.
        pub fn retry(mut self, policy: crate::RetryPolicy) -> Self {
            self.http.retry = policy;
            self
        }

        /// Trusts the CA certificates in this PEM text (its `-----BEGIN CERTIFICATE-----`
        /// sections; others, such as a key, are skipped) to sign the server's certificate,
        /// besides the platform's own roots unless [`only_given_roots`](Self::only_given_roots).
        /// For a self-managed cluster that configured TLS itself, this is
        /// `config/certs/http_ca.crt`. May be called more than once; checked when the client is
        /// built ([`BuildError::CaCertificate`](crate::BuildError::CaCertificate)).
        pub fn ca_certificate_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
            self.http
                .tls
                .ca_certificates
                .push(crate::transport::Pem::Text(pem.into()));
            self
        }

        /// [`ca_certificate_pem`](Self::ca_certificate_pem), with the PEM read from this file
        /// when the client is built.
        pub fn ca_certificate_file(mut self, path: impl Into<::std::path::PathBuf>) -> Self {
            self.http
                .tls
                .ca_certificates
                .push(crate::transport::Pem::File(path.into()));
            self
        }

        /// Whether the CA certificates given are the only roots trusted. Default: `false`, so
        /// that they add to the platform's roots (the operating system's store). With `true` and
        /// no CA certificate, [`build`](Self::build) fails
        /// ([`BuildError::ConflictingTls`](crate::BuildError::ConflictingTls)).
        pub fn only_given_roots(mut self, only: bool) -> Self {
            self.http.tls.only_given_roots = only;
            self
        }

        /// Trusts the server by the SHA-256 fingerprint of its CA's certificate, as Elasticsearch
        /// prints it when it first starts ("HTTP CA certificate SHA-256 fingerprint"): 64 hex
        /// digits in either case, with or without colons (`openssl x509 -fingerprint -sha256`
        /// output is taken whole).
        ///
        /// As with Elastic's own clients, a connection is trusted when a certificate the server
        /// presents has that fingerprint, whatever host name its certificate holds; here that
        /// certificate must also have signed the server's (directly or through the others it
        /// presents), or be the server's own, so that appending a copy of the CA's public
        /// certificate to another chain is not enough. The fingerprint is then the only trust:
        /// neither the platform's roots nor CA certificates are consulted, and giving both is
        /// [`BuildError::ConflictingTls`](crate::BuildError::ConflictingTls). A fingerprint that
        /// is not 64 hex digits is [`BuildError::InvalidFingerprint`](crate::BuildError::InvalidFingerprint).
        pub fn ca_fingerprint(mut self, sha256_hex: impl Into<String>) -> Self {
            self.http.tls.ca_fingerprint = Some(sha256_hex.into());
            self
        }

        /// A client certificate (with its chain, if any) and its private key (PKCS#8, PKCS#1
        /// RSA or SEC1 EC; not encrypted), in PEM, shown to servers that ask for one: PKI
        /// authentication, or a proxy that requires mutual TLS. The two may be the same text.
        /// No error or `Debug` shows the key.
        pub fn client_certificate_pem(
            mut self,
            certificate: impl Into<Vec<u8>>,
            key: impl Into<Vec<u8>>,
        ) -> Self {
            self.http.tls.client_identity = Some((
                crate::transport::Pem::Text(certificate.into()),
                crate::transport::KeyPem(crate::transport::Pem::Text(key.into())),
            ));
            self
        }

        /// [`client_certificate_pem`](Self::client_certificate_pem), with the PEM read from
        /// these files when the client is built.
        pub fn client_certificate_files(
            mut self,
            certificate: impl Into<::std::path::PathBuf>,
            key: impl Into<::std::path::PathBuf>,
        ) -> Self {
            self.http.tls.client_identity = Some((
                crate::transport::Pem::File(certificate.into()),
                crate::transport::KeyPem(crate::transport::Pem::File(key.into())),
            ));
            self
        }

        /// Accepts any server certificate, for any host name: for laboratories only, since
        /// anyone between the client and the server could then read and change every request,
        /// credentials included. Never the default. Together with a CA certificate or
        /// fingerprint it is [`BuildError::ConflictingTls`](crate::BuildError::ConflictingTls).
        pub fn danger_accept_invalid_certs(mut self, accept: bool) -> Self {
            self.http.tls.accept_invalid_certs = accept;
            self
        }

        /// Sends every request through this HTTP or HTTPS proxy, such as
        /// `http://proxy.internal:3128` (`http://` when no scheme is given), whatever the
        /// environment says. A `user:password@` in it goes to the proxy and is never shown. A
        /// URL that does not parse is [`BuildError::InvalidProxy`](crate::BuildError::InvalidProxy).
        ///
        /// By default the proxy comes from the environment, read when the client is built, by
        /// curl's rules: `https_proxy`/`HTTPS_PROXY` for an `https` base URL,
        /// `http_proxy`/`HTTP_PROXY` for `http`, `all_proxy`/`ALL_PROXY` for either, and
        /// `no_proxy`/`NO_PROXY` for hosts reached directly (names with their subdomains, IP
        /// addresses, CIDR ranges, or `*`). The README's "Connecting" section has the details.
        pub fn proxy(mut self, url: impl Into<String>) -> Self {
            self.http.proxy = crate::transport::ProxySetting::Url(url.into());
            self
        }

        /// Connects directly, whatever proxy the environment names.
        pub fn no_proxy(mut self) -> Self {
            self.http.proxy = crate::transport::ProxySetting::Off;
            self
        }

        /// The escape hatch: sends every request with this HTTP client of **reqwest 0.13**, the
        /// version the client is built on (a client of another reqwest version is another type,
        /// and does not compile here). It is the one place where reqwest is part of this crate's
        /// API, so it may change when reqwest does.
        ///
        /// The client is used as it is: the builder's timeouts, TLS trust, proxy settings and
        /// `User-Agent` do not apply, and neither does the refusal to follow redirects. Build it
        /// with `.redirect(reqwest::redirect::Policy::none())`, or a redirect may carry the
        /// credentials to another host. Credentials, request rules, retries, typed errors and
        /// the body size limit still apply.
        pub fn reqwest_client(mut self, client: reqwest::Client) -> Self {
            self.http.reqwest_client = Some(client);
            self
        }
    };
}
pub(crate) use http_options;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_are_checked() {
        let ok = |url: &str| build(url, None, HttpOptions::default(), &[]).map(|(u, ..)| u);
        assert_eq!(
            ok("https://api.elastic-cloud.com/api/v1/").unwrap(),
            "https://api.elastic-cloud.com/api/v1"
        );
        assert_eq!(
            ok(" \thttp://127.0.0.1:9200/ \n").unwrap(),
            "http://127.0.0.1:9200",
            "surrounding whitespace is trimmed"
        );
        for bad in [
            "localhost:9200",
            "ftp://host",
            "http://elastic:pw@host:9200",
            "http://h/?a=b",
            "not a url",
        ] {
            let error = ok(bad).unwrap_err().to_string();
            assert!(!error.contains("pw@"), "{error}");
            assert!(error.starts_with("invalid base URL"), "{error}");
        }
        assert!(matches!(
            ok("http://elastic:pw@host:9200"),
            Err(BuildError::CredentialsInUrl { url }) if url == "http://[REDACTED]@host:9200"
        ));
    }
}
