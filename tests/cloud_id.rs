//! Elastic Cloud IDs as the Elasticsearch client's address: the documented example, ports, the
//! `name:` part, and a Cloud ID that names a loopback server the request then reaches.

use base64::Engine as _;
use elastic_apikeys_client::{BuildError, elasticsearch};
use elastic_apikeys_tests::pki::Pki;
use elastic_apikeys_tests::tls_server::TlsServer;

fn encode(text: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(text)
}

fn url_of(cloud_id: &str) -> Result<String, BuildError> {
    elasticsearch::Client::builder()
        .cloud_id(cloud_id)
        .build()
        .map(|client| client.base_url().to_string())
}

#[test]
fn vectors() {
    let documented = "staging:dXMtZWFzdC0xLmF3cy5mb3VuZC5pbyRjZWM2ZjI2MWE3NGJmMjRjZTMzYmI4ODExYjg0Mjk0ZiRjNmMyY2E2ZDA0MjI0OWFmMGNjN2Q3YTllOTYyNTc0Mw==";
    let expected = "https://cec6f261a74bf24ce33bb8811b84294f.us-east-1.aws.found.io:443";
    assert_eq!(url_of(documented).unwrap(), expected);
    assert_eq!(url_of(&documented["staging:".len()..]).unwrap(), expected);
    for (id, expected) in [
        (
            format!(
                "prod:{}",
                encode("eu-west-1.aws.found.io:9243$abc123$def456")
            ),
            "https://abc123.eu-west-1.aws.found.io:9243",
        ),
        (
            encode("us-central1.gcp.cloud.es.io$0123abcd$4567ef"),
            "https://0123abcd.us-central1.gcp.cloud.es.io:443",
        ),
        (
            format!("a:b:{}", encode("host.example:443$es:9200$kb:5601")),
            "https://es.host.example:9200",
        ),
    ] {
        assert_eq!(url_of(&id).unwrap(), expected, "{id}");
    }
}

#[test]
fn the_later_of_base_url_and_cloud_id_wins() {
    let id = format!("n:{}", encode("host.example$es$kb"));
    let client = elasticsearch::Client::builder()
        .base_url("https://localhost:9200")
        .cloud_id(&id)
        .build()
        .unwrap();
    assert_eq!(client.base_url(), "https://es.host.example:443");
    let client = elasticsearch::Client::builder()
        .cloud_id(&id)
        .base_url("https://localhost:9200")
        .build()
        .unwrap();
    assert_eq!(client.base_url(), "https://localhost:9200");
}

#[test]
fn malformed_ids_are_typed_errors() {
    for id in [
        "",
        "name:",
        "name:%%%",
        &format!("name:{}", encode("no-dollar-sign")),
        &format!("name:{}", encode("host$")),
        &format!("name:{}", encode("host:70000$es")),
    ] {
        let error = url_of(id).unwrap_err();
        assert!(
            matches!(error, BuildError::InvalidCloudId { .. }),
            "{id}: {error:?}"
        );
        assert!(
            error.to_string().starts_with("invalid Cloud ID: "),
            "{error}"
        );
    }
}

#[tokio::test]
async fn requests_go_to_the_address_the_id_names() {
    // `0.0.1$127` names `https://127.0.0.1`: a loopback server with a certificate for it.
    let pki = Pki::new();
    let chain = format!("{}{}", pki.server.cert_pem, pki.ca.cert_pem);
    let server = TlsServer::start(&chain, &pki.server.key_pem, None);
    let id = format!(
        "loopback:{}",
        encode(&format!("0.0.1:{}$127$kibana", server.port()))
    );
    let client = elasticsearch::Client::builder()
        .cloud_id(&id)
        .api_key_from_parts("id", "secret")
        .ca_certificate_file(&pki.ca.cert_file)
        .build()
        .unwrap();
    assert_eq!(client.base_url(), server.url("127.0.0.1"));
    client.security_get_api_key().send().await.unwrap();
    assert_eq!(server.requests().len(), 1);
}
