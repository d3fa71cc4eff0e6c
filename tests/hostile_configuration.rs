//! Every client builder over a table of bad base URLs and credentials: each is refused with a
//! typed error, and no error shows a secret, whether the URL parses or not.

use elastic_apikeys_client::transport::InvalidCredentials;
use elastic_apikeys_client::{BuildError, cloud, elasticsearch};
use elastic_apikeys_tests::hostile::{shows_a_password, urls_with_passwords};

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
    // Elastic Cloud keys are opaque: only what a header cannot carry is refused.
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
}
