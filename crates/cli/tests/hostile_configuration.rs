//! Every entry point of `apikeys` over a table of bad URLs and credentials, given in the
//! environment and as flags, and of TLS files, Cloud IDs and proxies that hold secrets: each is
//! refused before anything is sent (or fails), says which setting takes what, and shows no
//! secret in any output, `--help` included.

mod support;

use elastic_apikeys_tests::hostile::{PASSWORD_HALVES, shows_a_password, urls_with_passwords};
use elastic_apikeys_tests::raw_server::{RawServer, Step};
use support::{ELASTIC_API_KEY, Run, apikeys};

const BEFORE: &str = PASSWORD_HALVES[0];
const AFTER: &str = PASSWORD_HALVES[1];

fn assert_no_secret(run: &Run) {
    assert!(
        !shows_a_password(&run.stdout) && !shows_a_password(&run.stderr),
        "a password was printed:\n{}",
        run.transcript()
    );
}

/// Every command that reads a URL, with the variable that gives it.
const ENTRY_POINTS: &[(&[&str], &str, &str)] = &[
    (&["es", "list"], "ELASTICSEARCH_URL", "ELASTIC_API_KEY"),
    (&["cloud", "list"], "EC_API_URL", "EC_API_KEY"),
    (&["cloud", "get", "some-id"], "EC_API_URL", "EC_API_KEY"),
];

#[test]
fn no_bad_url_is_echoed_with_its_password() {
    for url in urls_with_passwords() {
        for (args, url_variable, key_variable) in ENTRY_POINTS {
            let from_env = apikeys(
                args,
                &[(url_variable, &url), (key_variable, ELASTIC_API_KEY)],
            );
            let mut with_flag = args.to_vec();
            with_flag.extend(["--url", &url]);
            let from_flag = apikeys(&with_flag, &[(key_variable, ELASTIC_API_KEY)]);
            for run in [from_env, from_flag] {
                assert_no_secret(&run);
                assert_eq!(run.status, 2, "nothing is sent:\n{}", run.transcript());
            }
        }
    }
}

#[test]
fn credentials_in_a_url_say_where_they_belong() {
    let url = "http://admin:pw@127.0.0.1:9";
    let es = apikeys(
        &["es", "list"],
        &[
            ("ELASTICSEARCH_URL", url),
            ("ELASTIC_API_KEY", ELASTIC_API_KEY),
        ],
    );
    assert_eq!(
        es.stderr,
        "error: the URL http://[REDACTED]@127.0.0.1:9 holds a username or password, which errors \
         and logs would show: give the user in ELASTIC_USERNAME or --auth-user and the password \
         in ELASTIC_PASSWORD or --auth-password\n"
    );
    let cloud = apikeys(
        &["cloud", "list"],
        &[("EC_API_URL", url), ("EC_API_KEY", "k")],
    );
    assert!(
        cloud
            .stderr
            .ends_with("Elastic Cloud takes an API key, in EC_API_KEY or --api-key\n"),
        "{}",
        cloud.transcript()
    );
}

#[test]
fn help_never_shows_the_value_of_a_url_or_credential_variable() {
    let url = format!("http://admin:{BEFORE}{AFTER}@127.0.0.1:9200");
    let secret = format!("{BEFORE}-{AFTER}");
    let env = [
        ("ELASTICSEARCH_URL", url.as_str()),
        ("EC_API_URL", url.as_str()),
        ("ELASTIC_API_KEY", secret.as_str()),
        ("EC_API_KEY", secret.as_str()),
        ("ELASTIC_USERNAME", secret.as_str()),
        ("ELASTIC_PASSWORD", secret.as_str()),
        ("ELASTIC_CLOUD_ID", secret.as_str()),
        ("ELASTICSEARCH_CA_CERT", url.as_str()),
        ("ELASTICSEARCH_CA_FINGERPRINT", secret.as_str()),
    ];
    for args in [
        &["--help"][..],
        &["es", "--help"],
        &["es", "-h"],
        &["es", "list", "--help"],
        &["cloud", "--help"],
        &["cloud", "-h"],
        &["cloud", "list", "--help"],
        &["cloud", "get", "--help"],
    ] {
        let run = apikeys(args, &env);
        assert_eq!(run.status, 0, "{}", run.transcript());
        assert_no_secret(&run);
    }
}

#[test]
fn api_keys_of_the_wrong_shape_are_refused_before_sending() {
    let server = RawServer::start_in_background(vec![Step::json(
        "200 OK",
        &serde_json::json!({"api_keys": []}),
    )]);
    for (key, source) in [
        (format!("{BEFORE}!{AFTER}"), "ELASTIC_API_KEY"),
        (format!("{BEFORE} {AFTER}"), "ELASTIC_API_KEY"),
        // base64 that decodes to no id:api_key pair.
        ("aHVudGVyeHl6enk0Mg==".to_string(), "--api-key"),
    ] {
        let run = if source == "--api-key" {
            apikeys(
                &["es", "list", "--api-key", &key],
                &[("ELASTICSEARCH_URL", server.url())],
            )
        } else {
            apikeys(
                &["es", "list"],
                &[("ELASTICSEARCH_URL", server.url()), (source, &key)],
            )
        };
        assert_eq!(run.status, 2, "{}", run.transcript());
        assert_eq!(
            run.stderr,
            "error: ELASTIC_API_KEY or --api-key is not an Elasticsearch API key: it takes the \
             key's encoded form (the `encoded` value Elasticsearch returns on creation, base64 of \
             id:api_key) or id:api_key; a username and password go in ELASTIC_USERNAME and \
             ELASTIC_PASSWORD (--auth-user, --auth-password)\n"
        );
        assert_no_secret(&run);
    }
    let cloud = apikeys(
        &["cloud", "list"],
        &[("EC_API_URL", server.url()), ("EC_API_KEY", "two words")],
    );
    assert_eq!(cloud.status, 2, "{}", cloud.transcript());
    assert_eq!(server.count(), 0, "nothing was sent");
}

#[test]
fn an_api_key_as_id_and_secret_is_sent_encoded() {
    let server = RawServer::start_in_background(vec![Step::json(
        "200 OK",
        &serde_json::json!({"api_keys": []}),
    )]);
    // The id and secret of ELASTIC_API_KEY, as Beats and Logstash take them, with the spaces of
    // a careless copy.
    let run = apikeys(
        &["es", "list"],
        &[
            ("ELASTICSEARCH_URL", server.url()),
            ("ELASTIC_API_KEY", " VuaCfGcBCdbkQm-e5aOx:never-print-me\n"),
        ],
    );
    assert_eq!(run.status, 0, "{}", run.transcript());
    let head = server.requests().remove(0).to_ascii_lowercase();
    let expected = format!("\r\nauthorization: apikey {ELASTIC_API_KEY}\r\n").to_ascii_lowercase();
    assert!(head.contains(&expected), "{head}");
}

/// A private key, pasted where a path belongs, whose body holds the password.
fn pasted_key() -> String {
    format!("-----BEGIN PRIVATE KEY-----\nMIIE{BEFORE}{AFTER}\n-----END PRIVATE KEY-----")
}

#[test]
fn tls_paths_that_hold_secrets_are_never_echoed() {
    let mut paths = urls_with_passwords();
    paths.push(pasted_key());
    for path in &paths {
        let runs = [
            apikeys(
                &[
                    "es",
                    "list",
                    "--url",
                    "https://127.0.0.1:9",
                    "--ca-cert",
                    path,
                ],
                &[("ELASTIC_API_KEY", ELASTIC_API_KEY)],
            ),
            apikeys(
                &["es", "list", "--url", "https://127.0.0.1:9"],
                &[
                    ("ELASTICSEARCH_CA_CERT", path),
                    ("ELASTIC_API_KEY", ELASTIC_API_KEY),
                ],
            ),
            apikeys(
                &[
                    "es",
                    "list",
                    "--url",
                    "https://127.0.0.1:9",
                    "--client-cert",
                    path,
                    "--client-key",
                    path,
                ],
                &[("ELASTIC_API_KEY", ELASTIC_API_KEY)],
            ),
            apikeys(
                &["cloud", "list", "--ca-cert", path],
                &[("EC_API_KEY", "essu_key")],
            ),
        ];
        for run in runs {
            assert_no_secret(&run);
            assert_eq!(run.status, 2, "nothing is sent:\n{}", run.transcript());
        }
    }
}

#[test]
fn cloud_ids_and_fingerprints_that_hold_secrets_are_never_echoed() {
    let encoded_key = "VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6aHVudGVyeHl6enk0Mg==";
    let mut values = urls_with_passwords();
    values.extend([
        format!("{BEFORE}{AFTER}"),
        format!("{BEFORE}:{AFTER}"),
        // base64 of "VuaCfGcBCdbkQm-e5aOx:hunterxyzzy42", an encoded API key.
        encoded_key.to_string(),
    ]);
    for value in &values {
        for (flag, variable) in [
            ("--cloud-id", "ELASTIC_CLOUD_ID"),
            ("--ca-fingerprint", "ELASTICSEARCH_CA_FINGERPRINT"),
        ] {
            let url = ["--url", "https://127.0.0.1:9"];
            let url = if flag == "--cloud-id" {
                &[][..]
            } else {
                &url[..]
            };
            let mut typed = vec!["es", "list", flag, value];
            typed.extend_from_slice(url);
            let mut from_env = vec!["es", "list"];
            from_env.extend_from_slice(url);
            for run in [
                apikeys(&typed, &[("ELASTIC_API_KEY", ELASTIC_API_KEY)]),
                apikeys(
                    &from_env,
                    &[(variable, value), ("ELASTIC_API_KEY", ELASTIC_API_KEY)],
                ),
            ] {
                assert_no_secret(&run);
                assert!(!run.stderr.contains(encoded_key), "{}", run.transcript());
                assert_eq!(run.status, 2, "nothing is sent:\n{}", run.transcript());
            }
        }
    }
}

#[test]
fn proxy_variables_that_hold_passwords_are_never_echoed() {
    for url in urls_with_passwords() {
        for variable in ["HTTPS_PROXY", "https_proxy", "ALL_PROXY"] {
            let run = apikeys(
                &["es", "list", "--url", "https://127.0.0.1:9", "--verbose"],
                &[(variable, &url), ("ELASTIC_API_KEY", ELASTIC_API_KEY)],
            );
            assert_no_secret(&run);
            // A proxy URL that does not parse is a usage error; one that does, a proxy that
            // does not answer.
            assert!(matches!(run.status, 1 | 2), "{}", run.transcript());
        }
    }
}

/// Credentials over plain `http://` to another machine are said on stderr, as `--insecure` is;
/// to this machine (a development cluster without TLS) and over `https://` they are not.
/// `--dry-run` sends nothing, so no address here is ever reached.
#[test]
fn credentials_over_plain_http_to_another_machine_are_warned_of() {
    for (url, warned) in [
        ("http://es.example:9200", true),
        ("HTTP://10.0.0.5:9200", true),
        ("https://es.example:9200", false),
        ("http://localhost:9200", false),
        ("http://127.0.0.1:9200", false),
        ("http://[::1]:9200", false),
    ] {
        let run = support::apikeys(
            &["es", "invalidate", "--id", "abc", "--url", url, "--dry-run"],
            &[("ELASTIC_API_KEY", support::ELASTIC_API_KEY)],
        );
        assert_eq!(run.status, 0, "{}", run.transcript());
        assert_eq!(
            run.stderr
                .contains("over plain http://, so anyone on the network"),
            warned,
            "{url}: {}",
            run.transcript()
        );
    }
    let cloud = support::apikeys(
        &[
            "cloud",
            "delete",
            "abc",
            "--url",
            "http://cloud.example/api/v1",
            "--dry-run",
        ],
        &[("EC_API_KEY", support::EC_API_KEY)],
    );
    assert_eq!(cloud.status, 0, "{}", cloud.transcript());
    assert!(
        cloud
            .stderr
            .starts_with("warning: the credentials go to cloud.example over plain http://"),
        "{}",
        cloud.transcript()
    );
}

/// A secret pasted where a URL or a path belongs (an API key in `ELASTICSEARCH_URL`, a key's
/// `id:api_key` in `--ca-cert`) is named by the setting that took it, never repeated: the value
/// did not parse, and the message would print the secret.
#[test]
fn a_value_that_does_not_parse_is_named_not_repeated() {
    let secrets = [
        ELASTIC_API_KEY.to_string(),
        format!("essu_{BEFORE}{AFTER}"),
        format!("VuaCfGcBCdbkQm-e5aOx:{BEFORE}{AFTER}"),
        format!("https://127.0.0.1:9/?api_key={BEFORE}{AFTER}"),
        format!("https://exa mple.com/{BEFORE}{AFTER}"),
    ];
    let es = |args: &[&str], env: &[(&str, &str)]| {
        let mut all = vec!["es", "list"];
        all.extend_from_slice(args);
        let mut env = env.to_vec();
        env.push(("ELASTIC_API_KEY", ELASTIC_API_KEY));
        apikeys(&all, &env)
    };
    let cloud = |args: &[&str], env: &[(&str, &str)]| {
        let mut all = vec!["cloud", "list"];
        all.extend_from_slice(args);
        let mut env = env.to_vec();
        env.push(("EC_API_KEY", "essu_key"));
        apikeys(&all, &env)
    };
    let url = "https://127.0.0.1:9";
    for secret in &secrets {
        let secret = secret.as_str();
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("config.toml");
        support::write_config(
            &config,
            &format!(
                "[profiles.prod]\nservice = \"elasticsearch\"\nurl = {}\n\
                 api_key = {{ env = \"PROD_KEY\" }}\n",
                toml_string(secret)
            ),
        );
        let config = config.to_str().unwrap();
        let is_url = secret.starts_with("https://");
        let mut runs = vec![
            ("--url", es(&["--url", secret], &[])),
            (
                "ELASTICSEARCH_URL",
                es(&[], &[("ELASTICSEARCH_URL", secret)]),
            ),
            ("--url", cloud(&["--url", secret], &[])),
            ("EC_API_URL", cloud(&[], &[("EC_API_URL", secret)])),
            (
                "profile prod: url",
                es(
                    &["--profile", "prod"],
                    &[("APIKEYS_CONFIG", config), ("PROD_KEY", ELASTIC_API_KEY)],
                ),
            ),
        ];
        if !is_url {
            runs.extend([
                ("--ca-cert", es(&["--url", url, "--ca-cert", secret], &[])),
                (
                    "ELASTICSEARCH_CA_CERT",
                    es(&["--url", url], &[("ELASTICSEARCH_CA_CERT", secret)]),
                ),
                (
                    "--client-cert",
                    es(
                        &[
                            "--url",
                            url,
                            "--client-cert",
                            secret,
                            "--client-key",
                            secret,
                        ],
                        &[],
                    ),
                ),
                ("--ca-cert", cloud(&["--ca-cert", secret], &[])),
            ]);
        }
        for (setting, run) in runs {
            assert_eq!(run.status, 2, "nothing is sent:\n{}", run.transcript());
            assert!(
                !run.stderr.contains(secret) && !shows_a_password(&run.stderr),
                "the value was repeated:\n{}",
                run.transcript()
            );
            assert!(
                run.stderr.starts_with(&format!("error: {setting} ")),
                "the message does not name {setting}:\n{}",
                run.transcript()
            );
        }
    }
}

/// `text` as a TOML basic string.
fn toml_string(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}
