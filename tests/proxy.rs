//! The clients through a loopback HTTP proxy that counts what it relays: `CONNECT` tunnels for
//! `https`, absolute-form requests for `http`, the proxy's credentials sent to it and never
//! shown, and `no_proxy()`.

use base64::Engine as _;
use elastic_apikeys_client::{Error, RetryPolicy, elasticsearch};
use elastic_apikeys_tests::pki::Pki;
use elastic_apikeys_tests::proxy_server::ProxyServer;
use elastic_apikeys_tests::raw_server::{RawServer, Step};
use elastic_apikeys_tests::tls_server::TlsServer;

fn es() -> elasticsearch::ClientBuilder {
    elasticsearch::Client::builder().basic_auth("elastic", "changeme")
}

fn empty_list() -> Step {
    Step::json("200 OK", &serde_json::json!({"api_keys": []}))
}

#[tokio::test]
async fn https_goes_through_a_connect_tunnel() {
    let pki = Pki::new();
    let chain = format!("{}{}", pki.server.cert_pem, pki.ca.cert_pem);
    let server = TlsServer::start(&chain, &pki.server.key_pem, None);
    let proxy = ProxyServer::start(None);
    let client = es()
        .base_url(server.url("localhost"))
        .ca_certificate_file(&pki.ca.cert_file)
        .proxy(proxy.url())
        .build()
        .unwrap();
    let keys = client.security_get_api_key().send().await.unwrap();
    assert!(keys.into_inner().api_keys.is_empty());

    let relayed = proxy.relayed();
    assert_eq!(relayed.len(), 1, "{relayed:?}");
    assert_eq!(
        relayed[0].request_line,
        format!("CONNECT localhost:{} HTTP/1.1", server.port())
    );
    // The handshake and the exchange, encrypted, went through the tunnel.
    assert!(proxy.bytes() > 500, "{} bytes", proxy.bytes());
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn http_goes_through_the_proxy_in_absolute_form() {
    let server = RawServer::start(vec![empty_list()]).await;
    let proxy = ProxyServer::start(None);
    let client = es()
        .base_url(server.url())
        .proxy(proxy.url())
        .build()
        .unwrap();
    client
        .security_get_api_key()
        .owner(true)
        .send()
        .await
        .unwrap();
    let relayed = proxy.relayed();
    assert_eq!(
        relayed[0].request_line,
        format!("GET {}/_security/api_key?owner=true HTTP/1.1", server.url())
    );
    assert!(proxy.bytes() > 0);
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn the_proxys_credentials_go_to_the_proxy_and_nowhere_else() {
    let secret = "pr0xy-s3cret";
    let expected = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("relay:{secret}"))
    );
    let proxy = ProxyServer::start(Some(expected.clone()));
    let server = RawServer::start(vec![empty_list()]).await;
    let with_credentials = format!("http://relay:{secret}@127.0.0.1:{}", proxy.port());
    let client = es()
        .base_url(server.url())
        .proxy(&with_credentials)
        .build()
        .unwrap();
    client.security_get_api_key().send().await.unwrap();
    assert_eq!(
        proxy.relayed()[0].authorization.as_deref(),
        Some(expected.as_str())
    );
    let head = server.requests().remove(0).to_ascii_lowercase();
    assert!(!head.contains("proxy-authorization"), "{head}");
    assert!(!format!("{client:?}").contains(secret));

    // Without them, the proxy's 407 is an error that shows no password either.
    let pki = Pki::new();
    let chain = format!("{}{}", pki.server.cert_pem, pki.ca.cert_pem);
    let tls = TlsServer::start(&chain, &pki.server.key_pem, None);
    let wrong = format!("http://relay:wrong-{secret}@127.0.0.1:{}", proxy.port());
    let client = es()
        .base_url(tls.url("localhost"))
        .ca_certificate_file(&pki.ca.cert_file)
        .proxy(&wrong)
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let error = client.security_get_api_key().send().await.unwrap_err();
    assert!(matches!(error, Error::Connect { .. }), "{error:?}");
    let text = format!("{error} {error:?}");
    assert!(!text.contains(secret), "{text}");
    assert!(tls.requests().is_empty());
}

#[tokio::test]
async fn no_proxy_connects_directly() {
    let server = RawServer::start(vec![empty_list()]).await;
    let proxy = ProxyServer::start(None);
    let client = es()
        .base_url(server.url())
        .proxy(proxy.url())
        .no_proxy()
        .build()
        .unwrap();
    client.security_get_api_key().send().await.unwrap();
    assert!(proxy.relayed().is_empty());
    assert_eq!(server.count(), 1);
}
