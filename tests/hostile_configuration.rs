//! Every client builder over a table of bad base URLs and credentials, TLS files, fingerprints,
//! proxies and Cloud IDs: each is refused with a typed error, and no error shows a secret,
//! whether the URL parses or not, whatever a file holds.

use elastic_apikeys_client::transport::InvalidCredentials;
use elastic_apikeys_client::{BuildError, Error, cloud, elasticsearch};
use elastic_apikeys_tests::hostile::{PASSWORD_HALVES, shows_a_password, urls_with_passwords};
use elastic_apikeys_tests::pki::Pki;

fn assert_no_secret(url: &str, error: &BuildError) {
    for text in [
        error.to_string(),
        format!("{error:?}"),
        format!("{error:#?}"),
    ] {
        assert!(!shows_a_password(&text), "{url:?} gave {text}");
    }
}

#[test]
fn no_builder_shows_a_password_from_a_bad_url() {
    for url in &urls_with_passwords() {
        let error = elasticsearch::Client::builder()
            .base_url(url)
            .basic_auth("elastic", "unused")
            .build()
            .expect_err(url);
        assert_no_secret(url, &error);
        assert!(
            matches!(
                error,
                BuildError::InvalidBaseUrl { .. } | BuildError::CredentialsInUrl { .. }
            ),
            "{url:?}: {error:?}"
        );

        let error = cloud::Client::builder()
            .base_url(url)
            .api_key("unused")
            .build()
            .expect_err(url);
        assert_no_secret(url, &error);
    }
}

#[test]
fn credentials_in_a_url_that_parses_are_their_own_error() {
    let error = elasticsearch::Client::builder()
        .base_url(" http://admin:pw@127.0.0.1:9200 ")
        .build()
        .unwrap_err();
    let BuildError::CredentialsInUrl { url } = &error else {
        panic!("{error:?}")
    };
    assert_eq!(url, "http://[REDACTED]@127.0.0.1:9200");
}

#[test]
fn elasticsearch_api_keys_of_the_wrong_shape_are_refused_unshown() {
    let secret = "AbCdEfGhIjKlMnOpQrStUv";
    for (key, id_and_key) in [
        (format!("VuaCfGcBCdbkQm-e5aOx:{secret}"), true),
        (format!("{secret}!"), false),
        (format!("{secret} "), false),
        // base64 of "no-colon-{secret}"
        (
            "bm8tY29sb24tQWJDZEVmR2hJaktsTW5PcFFyU3RVdg==".to_string(),
            false,
        ),
    ] {
        let error = elasticsearch::Client::builder()
            .base_url("http://127.0.0.1:9200")
            .api_key(key.clone())
            .build()
            .unwrap_err();
        assert!(
            matches!(
                error,
                BuildError::InvalidCredentials(InvalidCredentials::NotAnEncodedApiKey {
                    looks_like_id_and_key
                }) if looks_like_id_and_key == id_and_key
            ),
            "{key}: {error:?}"
        );
        let text = format!("{error} {error:?}");
        assert!(!text.contains(secret) && !text.contains(&key), "{text}");
    }
    // Elastic Cloud keys are opaque: only what a header cannot carry is refused,
    cloud::Client::builder()
        .api_key("essu_opaque")
        .build()
        .unwrap();
    let error = cloud::Client::builder()
        .api_key("line\nbreak")
        .build()
        .unwrap_err();
    assert!(matches!(
        error,
        BuildError::InvalidCredentials(InvalidCredentials::NotHeaderSafe)
    ));
    // Nor whitespace inside one, which no key has.
    let error = cloud::Client::builder()
        .api_key("essu_two words")
        .build()
        .unwrap_err();
    assert!(
        matches!(
            error,
            BuildError::InvalidCredentials(InvalidCredentials::Whitespace)
        ),
        "{error:?}"
    );
    assert!(!error.to_string().contains("two words"), "{error}");
}

/// A password made of both halves, as the table's URLs hold it.
fn password() -> String {
    PASSWORD_HALVES.concat()
}

/// PEM that looks like a private key and holds the password in its body.
fn key_pem_with_a_secret() -> String {
    format!(
        "-----BEGIN PRIVATE KEY-----\nMIIB{}AAAA\n-----END PRIVATE KEY-----\n",
        password()
    )
}

fn es() -> elasticsearch::ClientBuilder {
    elasticsearch::Client::builder().base_url("https://127.0.0.1:9200")
}

#[test]
fn tls_files_named_by_hostile_paths_are_refused_unshown() {
    let pki = Pki::new();
    let mut paths = urls_with_passwords();
    // A key pasted where its path belongs.
    paths.push(key_pem_with_a_secret());
    for path in &paths {
        let error = es().ca_certificate_file(path).build().unwrap_err();
        assert!(
            matches!(error, BuildError::CaCertificate { .. }),
            "{error:?}"
        );
        assert_no_secret(path, &error);

        let error = es()
            .client_certificate_files(path, &pki.client.key_file)
            .build()
            .unwrap_err();
        assert!(
            matches!(error, BuildError::ClientCertificate { .. }),
            "{error:?}"
        );
        assert_no_secret(path, &error);

        let error = es()
            .client_certificate_files(&pki.client.cert_file, path)
            .build()
            .unwrap_err();
        assert!(matches!(error, BuildError::ClientKey { .. }), "{error:?}");
        assert_no_secret(path, &error);

        let error = cloud::Client::builder()
            .ca_certificate_file(path)
            .build()
            .unwrap_err();
        assert_no_secret(path, &error);
    }
}

#[test]
fn tls_contents_that_are_not_what_they_should_be_are_refused_unshown() {
    let pki = Pki::new();
    let secret_key = key_pem_with_a_secret();
    let file = pki.dir().join("broken.key");
    std::fs::write(&file, &secret_key).unwrap();
    let not_pem = format!("{}\n", password());
    for (builder, what) in [
        // A key that is not one, as text and as a file.
        (
            es().client_certificate_pem(pki.client.cert_pem.clone(), secret_key.clone()),
            "key text",
        ),
        (
            es().client_certificate_files(&pki.client.cert_file, &file),
            "key file",
        ),
        // A key where the certificate belongs, and the key of another certificate.
        (
            es().client_certificate_pem(secret_key.clone(), pki.client.key_pem.clone()),
            "key as certificate",
        ),
        (
            es().client_certificate_pem(pki.client.cert_pem.clone(), pki.server.key_pem.clone()),
            "another key",
        ),
        // Text that is not PEM at all, and a key given as a CA.
        (es().ca_certificate_pem(not_pem.clone()), "not PEM"),
        (es().ca_certificate_pem(secret_key.clone()), "key as CA"),
        (es().ca_certificate_file(&file), "key file as CA"),
        // A fingerprint that is a password.
        (es().ca_fingerprint(password()), "fingerprint"),
        (
            es().ca_fingerprint(format!("{}:{}", password(), password())),
            "fingerprint",
        ),
    ] {
        let error = builder.build().expect_err(what);
        assert_no_secret(what, &error);
        for text in [error.to_string(), format!("{error:?}")] {
            assert!(!text.contains("MIIB"), "{what}: {text}");
            assert!(
                !text.contains(&pki.server.key_pem[40..80]),
                "{what} shows a key: {text}"
            );
        }
    }
    // The builder's own Debug shows no key either.
    let builder = es().client_certificate_pem(pki.client.cert_pem.clone(), secret_key);
    assert!(!shows_a_password(&format!("{builder:?}")), "{builder:?}");
}

#[test]
fn proxy_urls_never_show_their_password() {
    for url in urls_with_passwords() {
        match es().proxy(&url).build() {
            Err(error) => {
                assert!(
                    matches!(error, BuildError::InvalidProxy { .. }),
                    "{url}: {error:?}"
                );
                assert_no_secret(&url, &error);
            }
            // Some parse as proxy URLs with credentials: the builder's Debug hides them too.
            Ok(client) => assert!(!shows_a_password(&format!("{client:?}")), "{url}"),
        }
        let builder = es().proxy(&url);
        assert!(
            !shows_a_password(&format!("{builder:?}")),
            "{url}: {builder:?}"
        );
    }
}

#[tokio::test]
async fn a_proxy_that_cannot_be_reached_is_reported_without_its_password() {
    let proxy = format!("http://admin:{}@127.0.0.1:1", password());
    let client = es()
        .proxy(&proxy)
        .basic_auth("elastic", "unused")
        .retry(elastic_apikeys_client::RetryPolicy::none())
        .build()
        .unwrap();
    let error = client.security_get_api_key().send().await.unwrap_err();
    assert!(matches!(error, Error::Connect { .. }), "{error:?}");
    for text in [
        error.to_string(),
        format!("{error:?}"),
        format!("{client:?}"),
    ] {
        assert!(!shows_a_password(&text), "{text}");
    }
}

#[test]
fn cloud_ids_that_decode_to_hostile_text_are_refused_unshown() {
    use base64::Engine as _;
    let encode = |text: &str| base64::engine::general_purpose::STANDARD.encode(text);
    let pw = password();
    let mut ids = vec![
        // An encoded API key, base64(id:api_key), in the wrong setting.
        encode(&format!("VuaCfGcBCdbkQm-e5aOx:{pw}")),
        format!("name:{}", encode(&format!("admin:{pw}@host$es$kb"))),
        format!("name:{}", encode(&format!("host$es:{pw}$kb"))),
        format!("name:{}", encode(&format!("host/{pw}$es$kb"))),
        format!("{pw}:not-base64"),
        pw.clone(),
    ];
    ids.extend(urls_with_passwords());
    for id in &ids {
        let error = elasticsearch::Client::builder()
            .cloud_id(id)
            .build()
            .expect_err(id);
        assert!(
            matches!(error, BuildError::InvalidCloudId { .. }),
            "{id}: {error:?}"
        );
        assert_no_secret(id, &error);
    }
}
