//! `apikeys` honours `HTTPS_PROXY`, `HTTP_PROXY` and `NO_PROXY` as curl does, with nothing to
//! configure, and never shows a proxy's password.

mod support;

use elastic_apikeys_tests::pki::Pki;
use elastic_apikeys_tests::proxy_server::ProxyServer;
use elastic_apikeys_tests::raw_server::{RawServer, Step};
use elastic_apikeys_tests::tls_server::TlsServer;
use support::{ELASTIC_API_KEY, apikeys};

#[test]
fn https_proxy_carries_the_request_unless_no_proxy_names_the_host() {
    let pki = Pki::new();
    let chain = format!("{}{}", pki.server.cert_pem, pki.ca.cert_pem);
    let server = TlsServer::start(&chain, &pki.server.key_pem, None);
    let proxy = ProxyServer::start(None);
    let proxy_url = format!("http://relay:hunter2-proxy@127.0.0.1:{}", proxy.port());
    let ca = pki.ca.cert_file.to_str().unwrap();
    let url = server.url("localhost");
    let run = apikeys(
        &["es", "list", "--url", &url, "--ca-cert", ca, "--verbose"],
        &[
            ("HTTPS_PROXY", &proxy_url),
            ("ELASTIC_API_KEY", ELASTIC_API_KEY),
        ],
    );
    assert_eq!(run.status, 0, "{}", run.transcript());
    assert_eq!(
        proxy.relayed()[0].request_line,
        format!("CONNECT localhost:{} HTTP/1.1", server.port())
    );
    assert!(proxy.bytes() > 0);
    // --verbose says so, without the proxy's password.
    assert!(
        run.stderr.contains(&format!(
            "requests go through a proxy proxy=http://[REDACTED]@127.0.0.1:{}/ from=HTTPS_PROXY",
            proxy.port()
        )),
        "{}",
        run.transcript()
    );
    assert!(!run.stderr.contains("hunter2"), "{}", run.transcript());

    for no_proxy in ["localhost", "127.0.0.1,.localhost", "*"] {
        let run = apikeys(
            &["es", "list", "--url", &url, "--ca-cert", ca],
            &[
                ("https_proxy", &proxy_url),
                ("NO_PROXY", no_proxy),
                ("ELASTIC_API_KEY", ELASTIC_API_KEY),
            ],
        );
        assert_eq!(run.status, 0, "{}", run.transcript());
    }
    assert_eq!(proxy.relayed().len(), 1, "NO_PROXY skipped the proxy");
    assert_eq!(server.requests().len(), 4);
}

#[test]
fn http_proxy_carries_plain_http() {
    let server = RawServer::start_in_background(vec![Step::json(
        "200 OK",
        &serde_json::json!({"api_keys": []}),
    )]);
    let proxy = ProxyServer::start(None);
    let run = apikeys(
        &["es", "list"],
        &[
            ("ELASTICSEARCH_URL", server.url()),
            ("HTTP_PROXY", &proxy.url()),
            ("ELASTIC_API_KEY", ELASTIC_API_KEY),
        ],
    );
    assert_eq!(run.status, 0, "{}", run.transcript());
    // The first page of the query API, asking only for what the table shows.
    let line = &proxy.relayed()[0].request_line;
    assert!(
        line.starts_with(&format!(
            "POST {}/_security/_query/api_key?filter_path=api_keys.id%2C",
            server.url()
        )),
        "{line}"
    );
    assert_eq!(server.count(), 1);
}

#[test]
fn a_dead_or_malformed_proxy_is_an_error_without_its_password() {
    for (proxy, status) in [
        ("http://relay:hunter2-proxy@127.0.0.1:1", 1),
        ("socks5://relay:hunter2-proxy@127.0.0.1:1080", 2),
        ("http://relay:hunter2-proxy@[::1:3128", 2),
    ] {
        let run = apikeys(
            &["es", "list", "--url", "https://localhost:9200"],
            &[("HTTPS_PROXY", proxy), ("ELASTIC_API_KEY", ELASTIC_API_KEY)],
        );
        assert_eq!(run.status, status, "{}", run.transcript());
        assert!(!run.stderr.contains("hunter2"), "{}", run.transcript());
        if status == 2 {
            assert!(
                run.stderr.contains("error: invalid proxy URL ")
                    && run.stderr.contains("[REDACTED]@")
                    && run.stderr.contains("(from HTTPS_PROXY)"),
                "{}",
                run.transcript()
            );
        }
    }
}
