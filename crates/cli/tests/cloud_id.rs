//! `apikeys es list --cloud-id` and `ELASTIC_CLOUD_ID`: the request goes to the address the ID
//! names, which `--verbose` and a connection error show, and the ID is one of two ways of naming
//! the cluster with `--url`.

mod support;

use base64::Engine as _;
use elastic_apikeys_tests::pki::Pki;
use elastic_apikeys_tests::tls_server::TlsServer;
use support::{ELASTIC_API_KEY, apikeys, settings};

/// A Cloud ID that names `https://127.0.0.1:<port>`: its host is `0.0.1`, its Elasticsearch UUID
/// `127`.
fn loopback_cloud_id(port: u16) -> String {
    let decoded = format!("0.0.1:{port}$127$kibana");
    format!(
        "loopback:{}",
        base64::engine::general_purpose::STANDARD.encode(decoded)
    )
}

#[test]
fn the_request_goes_where_the_cloud_id_points() {
    let pki = Pki::new();
    let chain = format!("{}{}", pki.server.cert_pem, pki.ca.cert_pem);
    let server = TlsServer::start(&chain, &pki.server.key_pem, None);
    let cloud_id = loopback_cloud_id(server.port());
    let ca = pki.ca.cert_file.to_str().unwrap();
    let typed = apikeys(
        &[
            "es",
            "list",
            "--cloud-id",
            &cloud_id,
            "--ca-cert",
            ca,
            "--verbose",
        ],
        &[("ELASTIC_API_KEY", ELASTIC_API_KEY)],
    );
    assert_eq!(typed.status, 0, "{}", typed.transcript());
    let url = format!("https://127.0.0.1:{}", server.port());
    assert!(
        typed.stderr.contains(&format!("url={url}")),
        "{}",
        typed.transcript()
    );
    let from_env = apikeys(
        &["es", "list"],
        &[
            ("ELASTIC_CLOUD_ID", &cloud_id),
            ("ELASTICSEARCH_CA_CERT", ca),
            ("ELASTIC_API_KEY", ELASTIC_API_KEY),
        ],
    );
    assert_eq!(from_env.status, 0, "{}", from_env.transcript());
    assert_eq!(server.requests().len(), 2);
}

#[test]
fn a_cloud_id_that_names_a_dead_port_says_so() {
    // Port 1 on loopback: nothing listens there.
    let run = apikeys(
        &[
            "es",
            "list",
            "--cloud-id",
            &loopback_cloud_id(1),
            "--verbose",
        ],
        &[("ELASTIC_API_KEY", ELASTIC_API_KEY)],
    );
    assert_eq!(run.status, 1, "{}", run.transcript());
    settings().bind(|| insta::assert_snapshot!(run.transcript()));
}

#[test]
fn url_and_cloud_id_are_two_ways_of_naming_the_cluster() {
    let cloud_id = loopback_cloud_id(1);
    // Typed beats the environment, both ways: the run goes where the typed setting says.
    let run = apikeys(
        &["es", "list", "--cloud-id", &cloud_id],
        &[
            ("ELASTICSEARCH_URL", "http://127.0.0.2:2"),
            ("ELASTIC_API_KEY", ELASTIC_API_KEY),
        ],
    );
    assert!(
        run.stderr
            .contains("https://127.0.0.1:1/_security/_query/api_key"),
        "{}",
        run.transcript()
    );
    let run = apikeys(
        &["es", "list", "--url", "http://127.0.0.1:1"],
        &[
            ("ELASTIC_CLOUD_ID", &cloud_id),
            ("ELASTIC_API_KEY", ELASTIC_API_KEY),
        ],
    );
    assert!(
        run.stderr
            .contains("http://127.0.0.1:1/_security/_query/api_key"),
        "{}",
        run.transcript()
    );
    // Both typed, or both from the environment, say which was meant nowhere.
    let both_typed = apikeys(
        &[
            "es",
            "list",
            "--url",
            "http://127.0.0.1:1",
            "--cloud-id",
            &cloud_id,
        ],
        &[("ELASTIC_API_KEY", ELASTIC_API_KEY)],
    );
    let both_set = apikeys(
        &["es", "list"],
        &[
            ("ELASTICSEARCH_URL", "http://127.0.0.1:1"),
            ("ELASTIC_CLOUD_ID", &cloud_id),
            ("ELASTIC_API_KEY", ELASTIC_API_KEY),
        ],
    );
    let malformed = apikeys(
        &["es", "list"],
        &[
            ("ELASTIC_CLOUD_ID", "staging:not-base64!"),
            ("ELASTIC_API_KEY", ELASTIC_API_KEY),
        ],
    );
    let transcripts = [both_typed, both_set, malformed].map(|run| {
        assert_eq!(run.status, 2, "{}", run.transcript());
        run.transcript()
    });
    settings().bind(|| insta::assert_snapshot!(transcripts.join("\n")));
}
