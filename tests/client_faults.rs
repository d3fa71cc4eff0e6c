//! The clients when the network or the server misbehaves, against a real loopback server:
//! refused and reset connections, truncated bodies, stalls, proxies, overload and retries. Every
//! case ends in a typed error (or a success after retrying) within its timeout, never a hang or
//! a panic, and no error text is longer than 2 KiB or shows a credential.

use std::time::{Duration, Instant};

use elastic_apikeys_client::transport::MAX_ERROR_TEXT;
use elastic_apikeys_client::{Error, RetryPolicy, elasticsearch};
use elastic_apikeys_tests::raw_server::{RawServer, Step};
use serde_json::json;

const PASSWORD: &str = "pa55-w0rd-never-shown";

fn fast_retries(max_retries: u32) -> RetryPolicy {
    RetryPolicy::default()
        .with_max_retries(max_retries)
        .with_initial_backoff(Duration::from_millis(5))
        .with_max_backoff(Duration::from_millis(20))
        .with_max_retry_after(Duration::from_secs(2))
}

fn client(url: &str, retry: RetryPolicy) -> elasticsearch::Client {
    elasticsearch::Client::builder()
        .base_url(url)
        .basic_auth("elastic", PASSWORD)
        .connect_timeout(Duration::from_secs(2))
        .read_timeout(Duration::from_millis(500))
        .retry(retry)
        .build()
        .unwrap()
}

type Outcome =
    Result<elastic_apikeys_client::ResponseValue<elasticsearch::types::GetApiKeyResponse>, Error>;

/// `GET /_security/api_key` against `url`.
async fn fetch(url: &str, retry: RetryPolicy) -> Outcome {
    client(url, retry).security_get_api_key().send().await
}

fn empty_list() -> serde_json::Value {
    json!({"api_keys": []})
}

/// Checks what every error must be: short, and free of the credentials.
fn check_error_text(error: &Error) {
    for text in [
        error.to_string(),
        format!("{error:?}"),
        format!("{error:#?}"),
    ] {
        assert!(text.len() <= MAX_ERROR_TEXT, "{} bytes", text.len());
        assert!(
            !text.contains(PASSWORD) && !text.contains("ZWxhc3RpYzpwYTU1"),
            "{text}"
        );
    }
}

#[tokio::test]
async fn a_refused_connection_is_a_connect_error_naming_the_url() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let url = format!("http://127.0.0.1:{port}");
    let started = Instant::now();
    let error = fetch(&url, RetryPolicy::none()).await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(2));
    let Error::Connect { url: reported, .. } = &error else {
        panic!("{error:?}")
    };
    assert!(reported.starts_with(&url), "{reported}");
    assert!(error.is_transient());
    check_error_text(&error);
}

#[tokio::test]
async fn a_reset_connection_is_a_typed_error() {
    let server = RawServer::start(vec![Step::Reset]).await;
    let error = fetch(server.url(), RetryPolicy::none()).await.unwrap_err();
    assert!(
        matches!(error, Error::Transport { .. } | Error::Connect { .. }),
        "{error:?}"
    );
    check_error_text(&error);
}

#[tokio::test]
async fn a_truncated_body_is_a_transport_error() {
    let server = RawServer::start(vec![Step::Truncate {
        declared: 1000,
        body: br#"{"api_keys":[{"id":"a","#.to_vec(),
    }])
    .await;
    let error = fetch(server.url(), RetryPolicy::none()).await.unwrap_err();
    assert!(matches!(error, Error::Transport { .. }), "{error:?}");
    check_error_text(&error);
}

#[tokio::test]
async fn a_stalled_server_times_out() {
    let server = RawServer::start(vec![Step::Stall(Duration::from_secs(30))]).await;
    let started = Instant::now();
    let error = fetch(server.url(), RetryPolicy::none()).await.unwrap_err();
    assert!(matches!(error, Error::Timeout { .. }), "{error:?}");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    check_error_text(&error);
}

#[tokio::test]
async fn a_slow_but_steady_body_is_not_cut_off() {
    // The read timeout (500 ms) bounds silence, not the whole response: this body takes about
    // 1.2 s but never pauses for long, as a 100 MB key list on a slow link would.
    let mut body = serde_json::to_vec(&json!({"api_keys": [{"id": "a", "name": "k", "creation": 1,
        "invalidated": false, "username": "u", "realm": "r", "metadata": {"pad": "x".repeat(4000)}}]}))
    .unwrap();
    body.extend_from_slice(b"   ");
    let server = RawServer::start(vec![Step::Trickle {
        chunk: body.len() / 12 + 1,
        body,
        interval: Duration::from_millis(100),
    }])
    .await;
    let response = fetch(server.url(), RetryPolicy::none()).await.unwrap();
    assert_eq!(response.api_keys[0].id, "a");
}

#[tokio::test]
async fn overload_is_retried_with_backoff_until_it_succeeds() {
    let server = RawServer::start(vec![
        Step::Respond {
            status: "503 Service Unavailable",
            headers: vec![],
            body: vec![],
        },
        Step::Respond {
            status: "502 Bad Gateway",
            headers: vec![],
            body: b"<html>bad gateway</html>".to_vec(),
        },
        Step::Respond {
            status: "429 Too Many Requests",
            headers: vec!["Retry-After: 0".into()],
            body: vec![],
        },
        Step::Respond {
            status: "504 Gateway Timeout",
            headers: vec![],
            body: vec![],
        },
        Step::json("200 OK", &empty_list()),
    ])
    .await;
    let response = fetch(server.url(), fast_retries(4)).await.unwrap();
    assert!(response.api_keys.is_empty());
    assert_eq!(server.count(), 5);
    // Every attempt carries the same request.
    let requests = server.requests();
    assert!(
        requests
            .iter()
            .all(|r| r.starts_with("GET /_security/api_key HTTP/1.1"))
    );
}

#[tokio::test]
async fn retry_after_is_honoured() {
    let server = RawServer::start(vec![
        Step::Respond {
            status: "429 Too Many Requests",
            headers: vec!["Retry-After: 1".into()],
            body: vec![],
        },
        Step::json("200 OK", &empty_list()),
    ])
    .await;
    let started = Instant::now();
    fetch(server.url(), fast_retries(2)).await.unwrap();
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(server.count(), 2);
}

#[tokio::test]
async fn a_retry_after_beyond_the_policy_is_returned_not_waited_out() {
    let server = RawServer::start(vec![
        Step::Respond {
            status: "503 Service Unavailable",
            headers: vec!["Retry-After: 3600".into()],
            body: vec![],
        },
        Step::json("200 OK", &empty_list()),
    ])
    .await;
    let error = fetch(server.url(), fast_retries(3)).await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn retries_stop_after_the_policys_limit_and_can_be_turned_off() {
    let always = || {
        vec![Step::Respond {
            status: "503 Service Unavailable",
            headers: vec![],
            body: vec![],
        }]
    };
    let server = RawServer::start(always()).await;
    let error = fetch(server.url(), fast_retries(2)).await.unwrap_err();
    assert_eq!(server.count(), 3, "the first attempt and two retries");
    assert!(error.is_transient());
    check_error_text(&error);

    let server = RawServer::start(always()).await;
    fetch(server.url(), RetryPolicy::none()).await.unwrap_err();
    assert_eq!(server.count(), 1);
}

#[tokio::test]
async fn an_html_page_from_a_proxy_is_an_unexpected_body_with_status_and_excerpt() {
    let page = format!(
        "<html><head><title>502 Bad Gateway</title></head><body>{}</body></html>",
        "nginx ".repeat(50_000)
    );
    let server = RawServer::start(vec![Step::Respond {
        status: "502 Bad Gateway",
        headers: vec!["Content-Type: text/html".into()],
        body: page.into_bytes(),
    }])
    .await;
    let error = fetch(server.url(), RetryPolicy::none()).await.unwrap_err();
    let Error::UnexpectedBody {
        status,
        content_type,
        excerpt,
        ..
    } = &error
    else {
        panic!("{error:?}")
    };
    assert_eq!(status.as_u16(), 502);
    assert_eq!(content_type.as_deref(), Some("text/html"));
    assert!(
        excerpt.starts_with("<html><head><title>502 Bad Gateway</title>"),
        "{excerpt}"
    );
    assert!(excerpt.len() < 1000);
    check_error_text(&error);
}

#[tokio::test]
async fn a_huge_error_body_never_makes_a_huge_error() {
    let reason = format!("{PASSWORD} {}", "a very long reason ".repeat(300_000));
    let body = json!({"error": {"type": "illegal_state_exception", "reason": reason, "stack_trace": "x".repeat(1_000_000)}, "status": 500});
    let server = RawServer::start(vec![Step::json("500 Internal Server Error", &body)]).await;
    let error = fetch(server.url(), RetryPolicy::none()).await.unwrap_err();
    assert!(matches!(&error, Error::Api(_)) && error.codes() == ["illegal_state_exception"]);
    for text in [error.to_string(), format!("{error:?}")] {
        assert!(text.len() <= MAX_ERROR_TEXT, "{}", text.len());
    }
}

#[tokio::test]
async fn requests_carry_the_user_agent_and_credentials_and_no_api_version() {
    let server = RawServer::start(vec![Step::json("200 OK", &empty_list())]).await;
    client(server.url(), RetryPolicy::none())
        .security_get_api_key()
        .with_profile_uid(true)
        .send()
        .await
        .unwrap();
    let head = server.requests().remove(0).to_ascii_lowercase();
    assert!(
        head.starts_with("get /_security/api_key?with_profile_uid=true http/1.1\r\n"),
        "{head}"
    );
    assert!(
        head.contains(&format!(
            "\r\nuser-agent: elastic-apikeys/{}\r\n",
            env!("CARGO_PKG_VERSION")
        )),
        "{head}"
    );
    assert!(
        head.contains("\r\nauthorization: basic zwxhc3rpyzpwytu1lxcwcmqtbmv2zxitc2hvd24=\r\n"),
        "{head}"
    );
    assert!(!head.contains("api-version"), "{head}");
}

#[tokio::test]
async fn a_callers_own_http_client_is_used_with_the_clients_credentials_and_errors() {
    let server = RawServer::start(vec![
        Step::json("200 OK", &empty_list()),
        Step::json("404 Not Found", &empty_list()),
    ])
    .await;
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        "x-tenant",
        reqwest::header::HeaderValue::from_static("blue"),
    );
    let own = reqwest::Client::builder()
        .default_headers(headers)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let client = elasticsearch::Client::builder()
        .base_url(server.url())
        .basic_auth("elastic", PASSWORD)
        .reqwest_client(own)
        .build()
        .unwrap();
    client.security_get_api_key().send().await.unwrap();
    let error = client
        .security_get_api_key()
        .id("gone")
        .send()
        .await
        .unwrap_err();
    assert!(error.is_not_found(), "{error:?}");
    let head = server.requests().remove(0).to_ascii_lowercase();
    assert!(head.contains("\r\nx-tenant: blue\r\n"), "{head}");
    assert!(head.contains("\r\nauthorization: basic "), "{head}");
}
