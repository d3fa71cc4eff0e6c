//! The clients over real TLS on loopback, against a rustls server and a Python (OpenSSL) one,
//! with certificates made at run time: trust through a CA file or PEM, through the CA's
//! fingerprint, refusal by default with advice, host names, mutual TLS, and the opt-out.

use elastic_apikeys_client::{BuildError, Error, TlsFailure, cloud, elasticsearch};
use elastic_apikeys_tests::pki::Pki;
use elastic_apikeys_tests::tls_server::{PythonTlsServer, TlsServer};

/// The two servers, serving the CA's chain (server certificate, then the CA's), the second on
/// OpenSSL; with `mutual`, each requires a client certificate signed by the CA.
struct Servers {
    rustls: TlsServer,
    python: PythonTlsServer,
}

impl Servers {
    fn start(pki: &Pki, mutual: bool) -> Self {
        let chain = format!("{}{}", pki.server.cert_pem, pki.ca.cert_pem);
        let client_ca = mutual.then_some(pki.ca.cert_pem.as_str());
        Self {
            rustls: TlsServer::start(&chain, &pki.server.key_pem, client_ca),
            python: PythonTlsServer::start(
                &pki.server_chain_file,
                &pki.server.key_file,
                mutual.then_some(pki.ca.cert_file.as_path()),
            ),
        }
    }

    /// Each server's URL for `host`, named for messages.
    fn urls(&self, host: &str) -> [(&'static str, String); 2] {
        [
            ("rustls", self.rustls.url(host)),
            ("python", self.python.url(host)),
        ]
    }
}

/// Lists keys through `builder` at `url`.
async fn list(builder: elasticsearch::ClientBuilder, url: &str) -> Result<usize, Error> {
    let client = builder.base_url(url).build().expect("the client builds");
    let response = client.security_get_api_key().send().await?;
    Ok(response.into_inner().api_keys.len())
}

fn es() -> elasticsearch::ClientBuilder {
    elasticsearch::Client::builder().basic_auth("elastic", "changeme")
}

/// The kind of an `Error::Tls` and what it says (the TLS library's reason and the advice), or a
/// panic that says what came instead.
fn tls_failure(server: &str, result: Result<usize, Error>) -> (TlsFailure, String) {
    match result {
        Err(error) => match &error {
            Error::Tls { kind, .. } => (*kind, error.to_string()),
            _ => panic!("{server}: expected Error::Tls, got {error:?}"),
        },
        Ok(count) => panic!("{server}: expected Error::Tls, got {count} keys"),
    }
}

#[tokio::test]
async fn a_ca_file_or_pem_makes_the_server_trusted() {
    let pki = Pki::new();
    let servers = Servers::start(&pki, false);
    for host in ["localhost", "127.0.0.1"] {
        for (server, url) in servers.urls(host) {
            let from_file = es().ca_certificate_file(&pki.ca.cert_file);
            assert_eq!(list(from_file, &url).await.unwrap(), 0, "{server} {host}");
            let only_pem = es()
                .ca_certificate_pem(pki.ca.cert_pem.clone())
                .only_given_roots(true);
            assert_eq!(list(only_pem, &url).await.unwrap(), 0, "{server} {host}");
        }
    }
    // The Elastic Cloud client takes the same settings.
    let cloud = cloud::Client::builder()
        .base_url(servers.rustls.url("localhost"))
        .api_key("essu_key")
        .ca_certificate_file(&pki.ca.cert_file)
        .build()
        .unwrap();
    // Any answer from the server proves the handshake; the body is not a Cloud key list.
    let error = cloud.get_api_keys().send().await.unwrap_err();
    assert!(matches!(error, Error::UnexpectedBody { .. }), "{error:?}");
}

#[tokio::test]
async fn the_cas_fingerprint_makes_the_server_trusted_as_elasticsearch_prints_it() {
    let pki = Pki::new();
    let servers = Servers::start(&pki, false);
    for fingerprint in [pki.ca.fingerprint(), pki.ca.fingerprint_with_colons()] {
        for (server, url) in servers.urls("127.0.0.1") {
            let pinned = es().ca_fingerprint(fingerprint.clone());
            assert_eq!(list(pinned, &url).await.unwrap(), 0, "{server}");
        }
    }
    // The server's own certificate may be pinned too.
    let pinned = es().ca_fingerprint(pki.server.fingerprint());
    assert_eq!(
        list(pinned, &servers.rustls.url("localhost"))
            .await
            .unwrap(),
        0
    );
}

#[tokio::test]
async fn a_wrong_fingerprint_is_refused_and_not_retried() {
    let pki = Pki::new();
    let servers = Servers::start(&pki, false);
    for (server, url) in servers.urls("localhost") {
        let pinned = es().ca_fingerprint(pki.other_ca.fingerprint());
        let (kind, reason) = tls_failure(server, list(pinned, &url).await);
        assert_eq!(kind, TlsFailure::FingerprintMismatch, "{reason}");
        assert!(
            reason.contains(
                "none of the 2 certificates the server presented has the CA fingerprint given"
            ),
            "{server}: {reason}"
        );
        assert!(
            reason.contains("openssl x509 -noout -fingerprint -sha256"),
            "{reason}"
        );
    }
    assert_one_refused_handshake(&servers.rustls);
}

#[tokio::test]
async fn a_pinned_ca_must_have_signed_the_server_certificate() {
    // A server in the middle shows its own certificate with a copy of the cluster's CA, which is
    // public, appended: the CA's fingerprint is in the chain, but the CA signed nothing of it.
    let pki = Pki::new();
    let chain = format!("{}{}", pki.impostor.cert_pem, pki.ca.cert_pem);
    let impostor = TlsServer::start(&chain, &pki.impostor.key_pem, None);
    let pinned = es().ca_fingerprint(pki.ca.fingerprint());
    let result = list(pinned, &impostor.url("localhost")).await;
    let (kind, reason) = tls_failure("impostor", result);
    assert_eq!(kind, TlsFailure::UntrustedCertificate, "{reason}");
    assert!(impostor.requests().is_empty());
}

#[tokio::test]
async fn a_pinned_ca_trusts_whatever_host_name_the_certificate_holds() {
    // As in Elastic's clients: a cluster's auto-configured certificate names only the
    // addresses it knew of, and the pin is what is trusted.
    let pki = Pki::new();
    let chain = format!("{}{}", pki.wrong_host.cert_pem, pki.ca.cert_pem);
    let server = TlsServer::start(&chain, &pki.wrong_host.key_pem, None);
    let pinned = es().ca_fingerprint(pki.ca.fingerprint());
    assert_eq!(list(pinned, &server.url("localhost")).await.unwrap(), 0);
}

#[tokio::test]
async fn an_untrusted_certificate_is_refused_with_advice_and_not_retried() {
    let pki = Pki::new();
    let servers = Servers::start(&pki, false);
    for (server, url) in servers.urls("localhost") {
        let result = list(es(), &url).await;
        let error = result.as_ref().unwrap_err().to_string();
        let (kind, reason) = tls_failure(server, result);
        assert_eq!(kind, TlsFailure::UntrustedCertificate, "{server}: {reason}");
        assert!(reason.contains("config/certs/http_ca.crt"), "{reason}");
        assert!(
            error.starts_with(&format!("TLS with {url}/_security/api_key failed: ")),
            "{error}"
        );
    }
    assert_one_refused_handshake(&servers.rustls);

    // Another CA's certificate does not help.
    let other = es()
        .ca_certificate_file(&pki.other_ca.cert_file)
        .only_given_roots(true);
    let (kind, reason) = tls_failure(
        "rustls",
        list(other, &servers.rustls.url("localhost")).await,
    );
    assert_eq!(kind, TlsFailure::UntrustedCertificate, "{reason}");
}

#[tokio::test]
async fn a_certificate_for_another_host_is_refused() {
    let pki = Pki::new();
    let chain = format!("{}{}", pki.wrong_host.cert_pem, pki.ca.cert_pem);
    let server = TlsServer::start(&chain, &pki.wrong_host.key_pem, None);
    let trusted = es().ca_certificate_file(&pki.ca.cert_file);
    let (kind, reason) = tls_failure("wrong host", list(trusted, &server.url("localhost")).await);
    assert_eq!(kind, TlsFailure::CertificateNotForHost, "{reason}");
    assert!(
        reason.contains("does not name the host of the URL") && reason.contains("es.example"),
        "{reason}"
    );
    // And from the other stack, the server's own certificate under a name it does not hold.
    let servers = Servers::start(&pki, false);
    let chain_server = &servers.python;
    let trusted = es().ca_certificate_file(&pki.ca.cert_file);
    let url = format!("https://127.0.0.2:{}", chain_server.port());
    match list(trusted, &url).await {
        // 127.0.0.2 is loopback on Linux; elsewhere nothing listens there.
        Err(error @ Error::Tls { .. }) => {
            assert!(
                error.to_string().contains("does not name the host"),
                "{error}"
            )
        }
        Err(Error::Connect { .. } | Error::Timeout { .. }) => {}
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn mutual_tls_takes_the_client_certificate_and_fails_without_it() {
    let pki = Pki::new();
    let servers = Servers::start(&pki, true);
    for (server, url) in servers.urls("localhost") {
        let files = es()
            .ca_certificate_file(&pki.ca.cert_file)
            .client_certificate_files(&pki.client.cert_file, &pki.client.key_file);
        assert_eq!(list(files, &url).await.unwrap(), 0, "{server}");
        let pem = es()
            .ca_certificate_file(&pki.ca.cert_file)
            .client_certificate_pem(pki.client.cert_pem.clone(), pki.client.key_pem.clone());
        assert_eq!(list(pem, &url).await.unwrap(), 0, "{server}");

        let without = es().ca_certificate_file(&pki.ca.cert_file);
        match list(without, &url).await {
            Err(error @ Error::Tls { .. }) => {
                assert!(
                    error.to_string().contains("client certificate"),
                    "{server}: {error}"
                )
            }
            other => panic!("{server}: expected Error::Tls, got {other:?}"),
        }
        // A certificate of another CA is refused too.
        let foreign = es()
            .ca_certificate_file(&pki.ca.cert_file)
            .client_certificate_files(&pki.impostor.cert_file, &pki.impostor.key_file);
        assert!(list(foreign, &url).await.is_err(), "{server}");
    }
    assert_eq!(
        servers.rustls.requests().len(),
        2,
        "only the two with a certificate"
    );
}

#[tokio::test]
async fn danger_accept_invalid_certs_accepts_any_certificate() {
    let pki = Pki::new();
    let chain = format!("{}{}", pki.impostor.cert_pem, pki.other_ca.cert_pem);
    let impostor = TlsServer::start(&chain, &pki.impostor.key_pem, None);
    let wrong_chain = format!("{}{}", pki.wrong_host.cert_pem, pki.ca.cert_pem);
    let wrong_host = TlsServer::start(&wrong_chain, &pki.wrong_host.key_pem, None);
    for url in [impostor.url("localhost"), wrong_host.url("127.0.0.1")] {
        let insecure = es().danger_accept_invalid_certs(true);
        assert_eq!(list(insecure, &url).await.unwrap(), 0, "{url}");
        // Never the default.
        assert!(matches!(list(es(), &url).await, Err(Error::Tls { .. })));
    }
}

#[test]
fn contradictory_settings_are_refused_when_built() {
    let pki = Pki::new();
    for builder in [
        es().ca_fingerprint(pki.ca.fingerprint())
            .ca_certificate_file(&pki.ca.cert_file),
        es().danger_accept_invalid_certs(true)
            .ca_certificate_pem(pki.ca.cert_pem.clone()),
        es().danger_accept_invalid_certs(true)
            .ca_fingerprint(pki.ca.fingerprint()),
        es().only_given_roots(true),
    ] {
        let error = builder
            .base_url("https://localhost:9200")
            .build()
            .unwrap_err();
        assert!(matches!(error, BuildError::ConflictingTls(_)), "{error:?}");
    }
}

/// The rustls server saw exactly one handshake, refused by the client: no retry followed.
fn assert_one_refused_handshake(server: &TlsServer) {
    let failed = server.settled_handshakes_failed();
    assert_eq!(failed.len(), 1, "{failed:?}");
    assert!(server.requests().is_empty());
}
