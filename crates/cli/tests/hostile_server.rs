//! `apikeys` against servers that misbehave on purpose: redirects that would take the
//! credentials elsewhere, a body that drips, and a body without end. Each run ends in a clear
//! error and its exit status, and no other host ever sees a credential.

mod support;

use std::time::{Duration, Instant};

use elastic_apikeys_tests::raw_server::{RawServer, Step};
use support::{BASIC_CREDENTIALS, EC_API_KEY, ELASTIC_API_KEY, ELASTIC_PASSWORD, Run, apikeys};

fn redirect(status: &'static str, location: &str) -> Step {
    Step::Respond {
        status,
        headers: vec![format!("Location: {location}")],
        body: vec![],
    }
}

/// Server B, another host as `apikeys` sees it (`localhost` where it was given `127.0.0.1`),
/// which redirects to itself as the servers of the report did.
fn other_host() -> (RawServer, String) {
    let b = RawServer::start_in_background(vec![redirect("302 Found", "/y")]);
    let port = b.url().rsplit(':').next().unwrap().to_string();
    (b, format!("http://localhost:{port}/x"))
}

/// A command line and its environment.
type Invocation = (Vec<&'static str>, Vec<(&'static str, String)>);

/// Each service and each kind of credentials, as `(args, environment)` against `url`.
fn every_service(url: &str) -> Vec<Invocation> {
    vec![
        (
            vec!["es", "list", "-v"],
            vec![
                ("ELASTICSEARCH_URL", url.to_string()),
                ("ELASTIC_API_KEY", ELASTIC_API_KEY.to_string()),
            ],
        ),
        (
            vec!["es", "list", "-v"],
            vec![
                ("ELASTICSEARCH_URL", url.to_string()),
                ("ELASTIC_USERNAME", "elastic".to_string()),
                ("ELASTIC_PASSWORD", ELASTIC_PASSWORD.to_string()),
            ],
        ),
        (
            vec!["cloud", "list", "-v"],
            vec![
                ("EC_API_URL", url.to_string()),
                ("EC_API_KEY", EC_API_KEY.to_string()),
            ],
        ),
    ]
}

fn run(args: &[&str], env: &[(&str, String)]) -> Run {
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    apikeys(args, &env)
}

#[test]
fn a_redirect_to_another_host_is_an_error_and_carries_no_credential_there() {
    for status in [
        "301 Moved Permanently",
        "302 Found",
        "307 Temporary Redirect",
        "308 Permanent Redirect",
    ] {
        let (b, location) = other_host();
        let a = RawServer::start_in_background(vec![redirect(status, &location)]);
        for (args, env) in every_service(a.url()) {
            let run = run(&args, &env);
            assert_eq!(run.status, 1, "{}", run.transcript());
            let code = &status[..3];
            assert!(
                run.stderr.contains(&format!(
                    "answered HTTP {code} {}, a redirect to {location}; apikeys does not follow redirects",
                    &status[4..]
                )),
                "{}",
                run.transcript()
            );
            assert!(
                run.stderr.contains("redirect not followed"),
                "--verbose says so: {}",
                run.transcript()
            );
        }
        assert_eq!(b.count(), 0, "{status}: the other host was called");
        assert_eq!(a.count(), 3, "{status}: one request per run, no retry");
        for head in a.requests() {
            let head = head.to_ascii_lowercase();
            assert!(head.contains("\r\nauthorization: "), "{head}");
        }
    }
}

#[test]
fn a_single_redirect_to_a_host_with_keys_of_its_own_shows_none_of_them() {
    let b = RawServer::start_in_background(vec![Step::json(
        "200 OK",
        &serde_json::json!({"api_keys": [{"id": "from-B", "name": "B's key", "creation": 1,
            "invalidated": false, "username": "u", "realm": "r"}]}),
    )]);
    let port = b.url().rsplit(':').next().unwrap();
    let a = RawServer::start_in_background(vec![redirect(
        "302 Found",
        &format!("http://localhost:{port}/_security/api_key"),
    )]);
    let run = run(
        &["es", "list", "-o", "json"],
        &[
            ("ELASTICSEARCH_URL", a.url().to_string()),
            ("ELASTIC_API_KEY", ELASTIC_API_KEY.to_string()),
        ],
    );
    assert_eq!(run.status, 1, "{}", run.transcript());
    assert_eq!(run.stdout, "");
    assert_eq!(b.count(), 0);
}

#[test]
fn a_dripping_server_is_given_up_on_at_the_timeout() {
    // One byte every 2 s: never silent for the 60 s of the read timeout, never finished.
    let body = br#"{"api_keys": []}"#.to_vec();
    let server = RawServer::start_in_background(vec![Step::Trickle {
        body,
        chunk: 1,
        interval: Duration::from_secs(2),
    }]);
    let started = Instant::now();
    let run = run(
        &["es", "list", "--timeout", "3s"],
        &[
            ("ELASTICSEARCH_URL", server.url().to_string()),
            ("ELASTIC_USERNAME", "elastic".to_string()),
            ("ELASTIC_PASSWORD", ELASTIC_PASSWORD.to_string()),
        ],
    );
    let elapsed = started.elapsed();
    assert_eq!(run.status, 1, "{}", run.transcript());
    assert_eq!(
        run.stderr,
        "error: no complete answer within 3s (--timeout); raise it for very long key lists or slow links\n"
    );
    assert!(elapsed < Duration::from_secs(10), "{elapsed:?}");
}

#[test]
fn an_endless_body_ends_at_the_size_limit() {
    // A cluster without the query API: the keys come from a GET, read as they arrive.
    let server = RawServer::without_query_api(vec![Step::Endless]);
    for (args, env) in every_service(server.url()) {
        let mut args = args.clone();
        args.extend(["--max-body-size", "4MiB"]);
        let run = run(&args, &env);
        assert_eq!(run.status, 1, "{}", run.transcript());
        // `es list` reads the keys as they arrive: the limit bounds what its table holds. The
        // Cloud list is read whole: the limit bounds the answer.
        let expected = if args[0] == "es" {
            "grew past the limit of 4 MiB (--max-body-size); raise the limit, ask for fewer keys, \
             or use -o csv, json or jsonl, which hold no list"
        } else {
            "grew past the limit of 4 MiB (--max-body-size); raise the limit, or ask for fewer keys"
        };
        assert!(run.stderr.contains(expected), "{}", run.transcript());
        assert_eq!(run.stdout, "", "{}", run.transcript());
    }
}

#[test]
fn a_body_declared_too_large_is_refused_unread() {
    let server = RawServer::start_in_background(vec![Step::Truncate {
        declared: 3 << 30,
        body: br#"{"keys": ["#.to_vec(),
    }]);
    let run = run(
        &["cloud", "list"],
        &[
            ("EC_API_URL", server.url().to_string()),
            ("EC_API_KEY", EC_API_KEY.to_string()),
        ],
    );
    assert_eq!(run.status, 1, "{}", run.transcript());
    assert!(
        run.stderr
            .contains("is 3 GiB, over the limit of 256 MiB (--max-body-size)"),
        "{}",
        run.transcript()
    );
}

#[test]
fn a_streamed_list_that_breaks_off_names_the_host_and_prints_nothing() {
    // `es list` reads the keys of a GET as they arrive, whatever the length declared: this body
    // ends early, and the break is the error.
    let server = RawServer::without_query_api(vec![Step::Truncate {
        declared: 3 << 30,
        body: br#"{"api_keys": ["#.to_vec(),
    }]);
    for output in ["table", "json", "csv", "jsonl"] {
        let run = run(
            &["es", "list", "-o", output],
            &[
                ("ELASTICSEARCH_URL", server.url().to_string()),
                ("ELASTIC_API_KEY", ELASTIC_API_KEY.to_string()),
            ],
        );
        assert_eq!(run.status, 1, "{}", run.transcript());
        let host = server.url().trim_start_matches("http://");
        assert!(
            run.stderr
                .starts_with(&format!("error: the exchange with {host} broke off: ")),
            "{}",
            run.transcript()
        );
        // No key arrived: JSON has not begun its document, CSV has only its header.
        let expected = if output == "csv" {
            "id,name,type,username,realm,creation,expiration,status\n"
        } else {
            ""
        };
        assert_eq!(run.stdout, expected, "{}", run.transcript());
    }
}

#[test]
fn whitespace_around_urls_is_trimmed() {
    let server = RawServer::start_in_background(vec![Step::json(
        "200 OK",
        &serde_json::json!({"api_keys": [], "keys": []}),
    )]);
    for url in [format!("{} ", server.url()), format!("{}/ ", server.url())] {
        let run = run(
            &["es", "list"],
            &[
                ("ELASTICSEARCH_URL", url),
                ("ELASTIC_USERNAME", "elastic".to_string()),
                ("ELASTIC_PASSWORD", ELASTIC_PASSWORD.to_string()),
            ],
        );
        assert_eq!(run.status, 0, "{}", run.transcript());
    }
    let run = run(
        &["cloud", "list"],
        &[
            ("EC_API_URL", format!("{}/api/v1 ", server.url())),
            ("EC_API_KEY", EC_API_KEY.to_string()),
        ],
    );
    assert_eq!(run.status, 0, "{}", run.transcript());
    let lines: Vec<String> = server
        .requests()
        .iter()
        .map(|head| {
            let line = head.lines().next().unwrap();
            // Method and path: the query string holds `filter_path`.
            let target = line.split_whitespace().nth(1).unwrap();
            let path = target.split('?').next().unwrap();
            format!("{} {path}", line.split_whitespace().next().unwrap())
        })
        .collect();
    assert_eq!(
        lines,
        [
            "POST /_security/_query/api_key",
            "POST /_security/_query/api_key",
            "GET /api/v1/users/auth/keys",
        ]
    );
    let basic = format!(
        "authorization: basic {}",
        BASIC_CREDENTIALS.to_ascii_lowercase()
    );
    assert!(server.requests()[0].to_ascii_lowercase().contains(&basic));
}
