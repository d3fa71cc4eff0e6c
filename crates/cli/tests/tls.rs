//! `apikeys es list` and `apikeys cloud list` over real TLS on loopback, with a CA made at run
//! time: trust through `--ca-cert` or `ELASTICSEARCH_CA_CERT`, through `--ca-fingerprint` or
//! `ELASTICSEARCH_CA_FINGERPRINT`, client certificates, `--insecure`, and the failures of each.

mod support;

use elastic_apikeys_tests::pki::Pki;
use elastic_apikeys_tests::tls_server::{PythonTlsServer, TlsServer};
use support::{ELASTIC_API_KEY, Run, apikeys, settings};

/// A rustls server with the CA's chain; with `mutual`, it requires a client certificate.
fn server(pki: &Pki, mutual: bool) -> TlsServer {
    let chain = format!("{}{}", pki.server.cert_pem, pki.ca.cert_pem);
    TlsServer::start(
        &chain,
        &pki.server.key_pem,
        mutual.then_some(pki.ca.cert_pem.as_str()),
    )
}

fn path(file: &std::path::Path) -> &str {
    file.to_str().expect("temporary paths are UTF-8")
}

/// `apikeys es list` against `url`, with the test's API key, these arguments and variables.
fn es_list(url: &str, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut all = vec!["es", "list", "--url", url];
    all.extend_from_slice(args);
    let mut env = env.to_vec();
    env.push(("ELASTIC_API_KEY", ELASTIC_API_KEY));
    apikeys(&all, &env)
}

/// The run listed the server's (empty) key list.
fn assert_listed(run: &Run) {
    assert_eq!(run.status, 0, "{}", run.transcript());
    assert!(!run.stderr.contains("error"), "{}", run.transcript());
}

/// Snapshot settings that hide the ports, which change from run to run.
fn tls_settings() -> insta::Settings {
    let mut settings = settings();
    settings.add_filter(r"localhost:\d+", "localhost:[PORT]");
    settings
}

/// `text` with the test's temporary directory, which changes from run to run, as `[TMP]`.
fn without_tmp(pki: &Pki, text: &str) -> String {
    text.replace(path(pki.dir()), "[TMP]")
}

#[test]
fn a_ca_certificate_from_the_flag_or_the_variable_is_trusted() {
    let pki = Pki::new();
    let rustls = server(&pki, false);
    let python = PythonTlsServer::start(&pki.server_chain_file, &pki.server.key_file, None);
    let ca = path(&pki.ca.cert_file);
    for url in [rustls.url("localhost"), python.url("127.0.0.1")] {
        assert_listed(&es_list(&url, &["--ca-cert", ca], &[]));
        assert_listed(&es_list(&url, &[], &[("ELASTICSEARCH_CA_CERT", ca)]));
    }
    assert_eq!(rustls.requests().len(), 2);
}

#[test]
fn the_cas_fingerprint_from_the_flag_or_the_variable_is_trusted() {
    let pki = Pki::new();
    let rustls = server(&pki, false);
    let url = rustls.url("localhost");
    let lowercase = pki.ca.fingerprint();
    let colons = pki.ca.fingerprint_with_colons();
    assert_listed(&es_list(&url, &["--ca-fingerprint", &lowercase], &[]));
    assert_listed(&es_list(&url, &["--ca-fingerprint", &colons], &[]));
    assert_listed(&es_list(
        &url,
        &[],
        &[("ELASTICSEARCH_CA_FINGERPRINT", &lowercase)],
    ));

    // A wrong one is refused, and says so.
    let wrong = pki.other_ca.fingerprint();
    let run = es_list(&url, &["--ca-fingerprint", &wrong], &[]);
    assert_eq!(run.status, 1, "{}", run.transcript());
    assert!(
        run.stderr.contains(
            "none of the 2 certificates the server presented has the CA fingerprint given"
        ),
        "{}",
        run.transcript()
    );
    // A malformed one is a usage error, and nothing is sent.
    let run = es_list(&url, &[], &[("ELASTICSEARCH_CA_FINGERPRINT", "12:34")]);
    assert_eq!(run.status, 2, "{}", run.transcript());
    assert!(
        run.stderr.starts_with(
            "error: ELASTICSEARCH_CA_FINGERPRINT: invalid CA fingerprint: it has 4 hex digits"
        ),
        "{}",
        run.transcript()
    );
    assert_eq!(rustls.requests().len(), 3);
}

#[test]
fn an_untrusted_certificate_fails_the_request() {
    let pki = Pki::new();
    let rustls = server(&pki, false);
    let run = es_list(&rustls.url("localhost"), &[], &[]);
    assert_eq!(run.status, 1, "{}", run.transcript());
    assert!(
        run.stderr.starts_with(&format!(
            "error: TLS with {}/_security/_query/api_key?filter_path=",
            rustls.url("localhost")
        )) && run
            .stderr
            .contains(" failed: invalid peer certificate: UnknownIssuer: "),
        "{}",
        run.transcript()
    );
    assert_eq!(rustls.settled_handshakes_failed().len(), 1, "never retried");
}

#[test]
fn an_untrusted_certificate_names_ca_cert_and_ca_fingerprint() {
    let pki = Pki::new();
    let rustls = server(&pki, false);
    let run = es_list(&rustls.url("localhost"), &[], &[]);
    let transcript = without_tmp(&pki, &run.transcript());
    tls_settings().bind(|| insta::assert_snapshot!(transcript));
}

#[test]
fn a_client_certificate_is_shown_to_servers_that_ask() {
    let pki = Pki::new();
    let rustls = server(&pki, true);
    let python = PythonTlsServer::start(
        &pki.server_chain_file,
        &pki.server.key_file,
        Some(&pki.ca.cert_file),
    );
    let ca = path(&pki.ca.cert_file);
    for url in [rustls.url("localhost"), python.url("localhost")] {
        let with = [
            "--ca-cert",
            ca,
            "--client-cert",
            path(&pki.client.cert_file),
            "--client-key",
            path(&pki.client.key_file),
        ];
        assert_listed(&es_list(&url, &with, &[]));
        let without = es_list(&url, &["--ca-cert", ca], &[]);
        assert_eq!(without.status, 1, "{}", without.transcript());
        assert!(
            without.stderr.contains("client certificate"),
            "{}",
            without.transcript()
        );
    }
    // One without the other is a usage error.
    let run = es_list(
        &rustls.url("localhost"),
        &["--client-cert", path(&pki.client.cert_file)],
        &[],
    );
    assert_eq!(run.status, 2, "{}", run.transcript());
    assert!(run.stderr.contains("--client-key"), "{}", run.transcript());
}

#[test]
fn insecure_accepts_any_certificate_and_warns_every_run() {
    let pki = Pki::new();
    let chain = format!("{}{}", pki.impostor.cert_pem, pki.other_ca.cert_pem);
    let impostor = TlsServer::start(&chain, &pki.impostor.key_pem, None);
    let url = impostor.url("localhost");
    let warning = "warning: --insecure: the server's certificate is not checked, so anyone on \
                   the network between here and the server can read and change this exchange, \
                   credentials included\n";
    for _ in 0..2 {
        let run = es_list(&url, &["--insecure"], &[]);
        assert_listed(&run);
        assert_eq!(run.stderr, warning);
    }
    // It beats a CA certificate of the environment, not a typed one.
    let run = es_list(
        &url,
        &["--insecure"],
        &[("ELASTICSEARCH_CA_CERT", path(&pki.ca.cert_file))],
    );
    assert_listed(&run);
    let run = es_list(
        &url,
        &["--insecure", "--ca-cert", path(&pki.ca.cert_file)],
        &[],
    );
    assert_eq!(run.status, 2, "{}", run.transcript());
    assert_eq!(
        run.stderr,
        "error: --insecure and --ca-cert cannot be used together: --insecure checks no \
         certificate, so --ca-cert would have no effect\n"
    );
}

#[test]
fn a_ca_certificate_and_a_fingerprint_typed_beats_the_environment_and_both_is_an_error() {
    let pki = Pki::new();
    let rustls = server(&pki, false);
    let url = rustls.url("localhost");
    let ca = path(&pki.ca.cert_file);
    let fingerprint = pki.ca.fingerprint();
    let wrong_file = path(&pki.other_ca.cert_file);
    // The typed setting wins over the other one's variable.
    assert_listed(&es_list(
        &url,
        &["--ca-fingerprint", &fingerprint],
        &[("ELASTICSEARCH_CA_CERT", wrong_file)],
    ));
    assert_listed(&es_list(
        &url,
        &["--ca-cert", ca],
        &[("ELASTICSEARCH_CA_FINGERPRINT", "00")],
    ));
    let both_typed = es_list(
        &url,
        &["--ca-cert", ca, "--ca-fingerprint", &fingerprint],
        &[],
    );
    let both_set = es_list(
        &url,
        &[],
        &[
            ("ELASTICSEARCH_CA_CERT", ca),
            ("ELASTICSEARCH_CA_FINGERPRINT", &fingerprint),
        ],
    );
    let transcripts = [both_typed, both_set].map(|run| {
        assert_eq!(run.status, 2, "{}", run.transcript());
        without_tmp(&pki, &run.transcript()).replace(&fingerprint, "[FINGERPRINT]")
    });
    tls_settings().bind(|| insta::assert_snapshot!(transcripts.join("\n")));
}

#[test]
fn unusable_files_are_usage_errors_that_name_their_setting() {
    let pki = Pki::new();
    let rustls = server(&pki, false);
    let url = rustls.url("localhost");
    let missing = pki.dir().join("missing.crt");
    let key_as_ca = path(&pki.client.key_file);
    let runs = [
        es_list(&url, &["--ca-cert", path(&missing)], &[]),
        es_list(&url, &[], &[("ELASTICSEARCH_CA_CERT", key_as_ca)]),
        es_list(
            &url,
            &[
                "--client-cert",
                path(&pki.client.cert_file),
                "--client-key",
                path(&pki.server.key_file),
            ],
            &[],
        ),
        apikeys(
            &["cloud", "list", "--url", &url, "--ca-cert", path(&missing)],
            &[("EC_API_KEY", "essu_key")],
        ),
    ];
    let transcripts = runs.map(|run| {
        assert_eq!(run.status, 2, "{}", run.transcript());
        without_tmp(&pki, &run.transcript())
    });
    tls_settings().bind(|| insta::assert_snapshot!(transcripts.join("\n")));
    assert!(rustls.requests().is_empty());
}

#[test]
fn cloud_list_trusts_a_ca_certificate_from_the_flag() {
    let pki = Pki::new();
    let rustls = server(&pki, false);
    let url = rustls.url("localhost");
    let run = apikeys(
        &[
            "cloud",
            "list",
            "--url",
            &url,
            "--ca-cert",
            path(&pki.ca.cert_file),
        ],
        &[("EC_API_KEY", "essu_key")],
    );
    // The handshake succeeded: the request reached the server, whose answer is not a Cloud list.
    assert_eq!(rustls.requests().len(), 1, "{}", run.transcript());
    let untrusted = apikeys(
        &["cloud", "list", "--url", &url],
        &[("EC_API_KEY", "essu_key")],
    );
    assert_eq!(untrusted.status, 1, "{}", untrusted.transcript());
    assert!(
        untrusted.stderr.contains("UnknownIssuer"),
        "{}",
        untrusted.transcript()
    );
    assert_eq!(rustls.requests().len(), 1);
}

/// A relative `ca_cert` in a profile is the config file's: run from a directory that holds
/// another CA under the same name, `apikeys` still trusts the one beside the config file, and
/// the server that other CA signed gets nothing.
#[test]
fn a_relative_ca_cert_in_a_profile_is_read_beside_the_config_file() {
    let pki = Pki::new();
    let rustls = server(&pki, false);
    let url = rustls.url("localhost");
    let config_dir = tempfile::tempdir().unwrap();
    std::fs::copy(&pki.ca.cert_file, config_dir.path().join("ca.pem")).unwrap();
    let config = config_dir.path().join("config.toml");
    support::write_config(
        &config,
        &format!(
            "[profiles.prod]\nservice = \"elasticsearch\"\nurl = \"{url}\"\n\
             ca_cert = \"ca.pem\"\napi_key = {{ env = \"PROD_KEY\" }}\n"
        ),
    );
    // The working directory holds a CA of its own, under the same name.
    let elsewhere = tempfile::tempdir().unwrap();
    std::fs::copy(&pki.other_ca.cert_file, elsewhere.path().join("ca.pem")).unwrap();
    let output = support::clean_command(env!("CARGO_BIN_EXE_apikeys"))
        .args(["es", "list", "--profile", "prod", "-o", "csv"])
        .env("APIKEYS_CONFIG", &config)
        .env("PROD_KEY", ELASTIC_API_KEY)
        .current_dir(elsewhere.path())
        .output()
        .expect("the built binary runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert_eq!(rustls.requests().len(), 1, "{stderr}");
}
