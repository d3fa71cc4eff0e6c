//! The clients against a server that tries to take what it should not: redirects that would carry
//! the credentials elsewhere, bodies without end, and base URLs with stray whitespace. Each case
//! ends in a typed error before any credential leaves for another address or memory runs out.

use std::time::{Duration, Instant};

use elastic_apikeys_client::transport::MAX_ERROR_TEXT;
use elastic_apikeys_client::{Credentials, Error, RetryPolicy, cloud, elasticsearch};
use elastic_apikeys_tests::raw_server::{RawServer, Step};
use futures_util::StreamExt;
use serde_json::json;

/// Secrets no error may show, and no server but the configured one may see.
const PASSWORD: &str = "pa55-w0rd-never-shown";
const TOKEN: &str = "bearer-token-never-shown";
/// `base64("VuaCfGcBCdbkQm-e5aOx:api-key-never-shown")`.
const ENCODED_KEY: &str = "VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6YXBpLWtleS1uZXZlci1zaG93bg==";
const CLOUD_KEY: &str = "essu_cloud-key-never-shown";

/// Every kind of Elasticsearch credentials.
fn elasticsearch_credentials() -> [Credentials; 3] {
    [
        Credentials::api_key(ENCODED_KEY),
        Credentials::basic("elastic", PASSWORD),
        Credentials::bearer(TOKEN),
    ]
}

fn elasticsearch_client(url: &str, credentials: Credentials) -> elasticsearch::Client {
    elasticsearch::Client::builder()
        .base_url(url)
        .credentials(credentials)
        .read_timeout(Duration::from_secs(5))
        .build()
        .unwrap()
}

fn cloud_client(url: &str) -> cloud::Client {
    cloud::Client::builder()
        .base_url(url)
        .api_key(CLOUD_KEY)
        .read_timeout(Duration::from_secs(5))
        .build()
        .unwrap()
}

/// Checks that no form of the error shows a secret, and that none is longer than the cap.
fn check_error_text(error: &Error) {
    for text in [
        error.to_string(),
        format!("{error:?}"),
        format!("{error:#?}"),
    ] {
        assert!(text.len() <= MAX_ERROR_TEXT, "{} bytes", text.len());
        for secret in [
            PASSWORD,
            TOKEN,
            ENCODED_KEY,
            CLOUD_KEY,
            "api-key-never-shown",
        ] {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
    }
}

fn redirect(status: &'static str, location: &str) -> Step {
    Step::Respond {
        status,
        headers: vec![format!("Location: {location}")],
        body: b"<html>moved</html>".to_vec(),
    }
}

const REDIRECTS: [(u16, &str); 5] = [
    (301, "301 Moved Permanently"),
    (302, "302 Found"),
    (303, "303 See Other"),
    (307, "307 Temporary Redirect"),
    (308, "308 Permanent Redirect"),
];

/// Server B, another host as the client sees it (`localhost`, where the client was given
/// `127.0.0.1`): it redirects to itself, and would answer with keys of its own.
async fn other_host() -> (RawServer, String) {
    let b = RawServer::start(vec![
        redirect("302 Found", "/y"),
        Step::json(
            "200 OK",
            &json!({"api_keys": [{"id": "from-B", "name": "not the cluster's", "creation": 1,
                "invalidated": false, "username": "u", "realm": "r"}]}),
        ),
    ])
    .await;
    let port = b.url().rsplit(':').next().unwrap().to_string();
    (b, format!("http://localhost:{port}/x"))
}

#[tokio::test]
async fn no_redirect_is_followed_and_no_credential_reaches_another_host() {
    for (code, status) in REDIRECTS {
        for credentials in elasticsearch_credentials() {
            let (b, location) = other_host().await;
            let a = RawServer::start(vec![redirect(status, &location)]).await;
            let error = elasticsearch_client(a.url(), credentials.clone())
                .security_get_api_key()
                .send()
                .await
                .unwrap_err();
            let Error::Redirect {
                url,
                status: reported,
                location: Some(reported_location),
            } = &error
            else {
                panic!("{code} with {credentials:?}: {error:?}")
            };
            assert_eq!(reported.as_u16(), code);
            assert_eq!(reported_location, &location);
            assert_eq!(url, &format!("{}/_security/api_key", a.url()));
            assert_eq!(a.count(), 1, "a redirect is not retried either");
            assert_eq!(b.count(), 0, "{code}: the other host was called");
            assert!(!error.is_transient());
            check_error_text(&error);
        }

        let (b, location) = other_host().await;
        let a = RawServer::start(vec![redirect(status, &location)]).await;
        let error = cloud_client(a.url())
            .get_api_keys()
            .send()
            .await
            .unwrap_err();
        assert!(
            matches!(&error, Error::Redirect { status, .. } if status.as_u16() == code),
            "{error:?}"
        );
        assert_eq!(b.count(), 0, "{code}: the other host was called by cloud");
        check_error_text(&error);
    }
}

#[tokio::test]
async fn a_redirect_to_the_same_host_is_not_followed_either() {
    let a = RawServer::start(vec![
        redirect("307 Temporary Redirect", "/elsewhere"),
        Step::json("200 OK", &json!({"api_keys": []})),
    ])
    .await;
    let error = elasticsearch_client(a.url(), Credentials::basic("elastic", PASSWORD))
        .security_get_api_key()
        .id("some-id")
        .send()
        .await
        .unwrap_err();
    let Error::Redirect { location, .. } = &error else {
        panic!("{error:?}")
    };
    assert_eq!(
        location.as_deref(),
        Some(format!("{}/elsewhere", a.url()).as_str())
    );
    assert_eq!(a.count(), 1);
    assert!(
        error.to_string().contains("redirects are not followed"),
        "{error}"
    );
}

#[tokio::test]
async fn a_streaming_request_is_not_redirected() {
    let (b, location) = other_host().await;
    let a = RawServer::start(vec![redirect("302 Found", &location)]).await;
    let error = elasticsearch_client(a.url(), Credentials::api_key(ENCODED_KEY))
        .security_get_api_key()
        .send_stream()
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Redirect { .. }), "{error:?}");
    assert_eq!(b.count(), 0);
}

#[tokio::test]
async fn a_location_is_reported_without_credentials_and_may_be_missing() {
    for (location, shown) in [
        (
            "http://user:their-secret@elsewhere.example/x",
            Some("http://elsewhere.example/x"),
        ),
        (
            "http://user:their-secret@[::1:bad/x",
            Some("http://[REDACTED]@[::1:bad/x"),
        ),
    ] {
        let a = RawServer::start(vec![redirect("302 Found", location)]).await;
        let error = cloud_client(a.url())
            .get_api_keys()
            .send()
            .await
            .unwrap_err();
        let Error::Redirect {
            location: reported, ..
        } = &error
        else {
            panic!("{error:?}")
        };
        assert_eq!(reported.as_deref(), shown);
        assert!(!error.to_string().contains("their-secret"), "{error}");
    }

    let a = RawServer::start(vec![Step::Respond {
        status: "302 Found",
        headers: vec![],
        body: vec![],
    }])
    .await;
    let error = cloud_client(a.url())
        .get_api_keys()
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(&error, Error::Redirect { location: None, .. }),
        "{error:?}"
    );
    assert!(error.to_string().contains("no Location header"), "{error}");
}

fn limited(url: &str, max_body_size: u64) -> elasticsearch::Client {
    elasticsearch::Client::builder()
        .base_url(url)
        .basic_auth("elastic", PASSWORD)
        .read_timeout(Duration::from_secs(5))
        .retry(RetryPolicy::none())
        .max_body_size(max_body_size)
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_body_declared_larger_than_the_limit_is_refused_unread() {
    let server = RawServer::start(vec![Step::Truncate {
        declared: 10 << 30,
        body: br#"{"api_keys":["#.to_vec(),
    }])
    .await;
    let error = limited(server.url(), 1 << 20)
        .security_get_api_key()
        .send()
        .await
        .unwrap_err();
    let Error::BodyTooLarge {
        limit, declared, ..
    } = &error
    else {
        panic!("{error:?}")
    };
    assert_eq!((*limit, *declared), (1 << 20, Some(10 << 30)));
    assert!(
        error.to_string().contains("10737418240 bytes long"),
        "{error}"
    );
    check_error_text(&error);
}

#[tokio::test]
async fn an_endless_body_ends_at_the_limit() {
    let server = RawServer::start(vec![Step::Endless]).await;
    let started = Instant::now();
    let error = limited(server.url(), 4 << 20)
        .security_get_api_key()
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            Error::BodyTooLarge {
                limit: 0x40_0000,
                declared: None,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(10));
    check_error_text(&error);
}

#[tokio::test]
async fn a_body_at_the_limit_is_read_and_error_bodies_are_limited_too() {
    let body = json!({"api_keys": []}).to_string();
    let server = RawServer::start(vec![Step::json("200 OK", &json!({"api_keys": []}))]).await;
    let response = limited(server.url(), body.len() as u64)
        .security_get_api_key()
        .send()
        .await
        .unwrap();
    assert!(response.api_keys.is_empty());

    let huge_error = json!({"error": {"type": "x", "reason": "y".repeat(10_000)}, "status": 500});
    let server = RawServer::start(vec![Step::json("500 Internal Server Error", &huge_error)]).await;
    let error = limited(server.url(), 1000)
        .security_get_api_key()
        .send()
        .await
        .unwrap_err();
    assert!(matches!(error, Error::BodyTooLarge { .. }), "{error:?}");
}

#[tokio::test]
async fn streaming_is_not_bound_by_max_body_size() {
    let server = RawServer::start(vec![Step::Endless]).await;
    let mut keys = limited(server.url(), 1024)
        .security_get_api_key()
        .send_stream()
        .await
        .unwrap()
        .into_inner();
    let mut count = 0;
    while let Some(key) = keys.next().await {
        assert_eq!(key.unwrap().id, "k");
        count += 1;
        if count == 20_000 {
            break;
        }
    }
    assert_eq!(count, 20_000, "well past 1 KiB of body");
}

#[tokio::test]
async fn whitespace_around_base_urls_is_trimmed() {
    // One body that both services' models decode.
    let server = RawServer::start(vec![Step::json(
        "200 OK",
        &json!({"api_keys": [], "keys": []}),
    )])
    .await;
    for url in [
        format!("{} ", server.url()),
        format!("\t{}/ \n", server.url()),
    ] {
        elasticsearch_client(&url, Credentials::bearer(TOKEN))
            .security_get_api_key()
            .send()
            .await
            .unwrap();
    }
    cloud_client(&format!("{}/api/v1 ", server.url()))
        .get_api_keys()
        .send()
        .await
        .unwrap();
    let lines: Vec<String> = server
        .requests()
        .iter()
        .map(|head| head.lines().next().unwrap().to_string())
        .collect();
    assert_eq!(
        lines,
        [
            "GET /_security/api_key HTTP/1.1",
            "GET /_security/api_key HTTP/1.1",
            "GET /api/v1/users/auth/keys HTTP/1.1",
        ]
    );
}

/// `text` compressed with gzip, as a server that compresses its answers sends it.
fn gzip(text: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(text).unwrap();
    encoder.finish().unwrap()
}

/// A `200 OK` whose body is `text`, compressed with gzip.
fn compressed(text: &[u8]) -> Step {
    Step::Respond {
        status: "200 OK",
        headers: vec![
            "Content-Type: application/json".to_string(),
            "Content-Encoding: gzip".to_string(),
        ],
        body: gzip(text),
    }
}

#[tokio::test]
async fn answers_are_asked_for_compressed_and_read_decompressed() {
    let answer = json!({"api_keys": [{
        "id": "VuaCfGcBCdbkQm-e5aOx", "name": "compressed", "type": "rest", "creation": 1,
        "invalidated": false, "username": "elastic", "realm": "native1",
        "realm_type": "native", "metadata": {}
    }]});
    let server = RawServer::start(vec![compressed(answer.to_string().as_bytes())]).await;
    let response = limited(server.url(), 1 << 20)
        .security_get_api_key()
        .send()
        .await
        .unwrap();
    assert_eq!(response.api_keys[0].name.as_deref(), Some("compressed"));
    let request = server.requests().concat().to_ascii_lowercase();
    assert!(
        request.contains("accept-encoding: gzip"),
        "the client offers gzip, which Elasticsearch then uses: {request}"
    );
}

/// A compressed body is limited by what it holds, not by what crosses the wire: 64 MiB of JSON
/// in a few dozen kilobytes of gzip ends at the limit, in a whole read and in a stream.
#[tokio::test]
async fn a_compressed_body_is_limited_by_its_decompressed_length() {
    let mut bomb = br#"{"api_keys":["#.to_vec();
    bomb.resize(64 << 20, b' ');
    bomb.extend_from_slice(b"]}");
    let step = compressed(&bomb);
    let Step::Respond { body, .. } = &step else {
        unreachable!()
    };
    assert!(body.len() < 1 << 20, "{} bytes on the wire", body.len());

    let server = RawServer::start(vec![step.clone(), step]).await;
    let error = limited(server.url(), 1 << 20)
        .security_get_api_key()
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            Error::BodyTooLarge {
                limit: 1_048_576,
                declared: None,
                ..
            }
        ),
        "{error:?}"
    );
    check_error_text(&error);

    let mut keys = limited(server.url(), 1 << 20)
        .security_get_api_key()
        .send_stream()
        .await
        .unwrap()
        .into_inner()
        .with_max_body_size(1 << 20);
    let last = keys.next().await;
    assert!(
        matches!(
            last,
            Some(Err(Error::BodyTooLarge {
                limit: 1_048_576,
                declared: None,
                ..
            }))
        ),
        "{last:?}"
    );
}
