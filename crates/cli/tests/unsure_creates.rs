//! A create whose outcome is unknown: an answer that is not the documented one (a `201` where
//! Elasticsearch documents `200`, a `200` that does not decode, Elastic Cloud's `200` for its
//! `201`), a run stopped by `--timeout` or Ctrl-C while the request is out, and a secret file
//! that cannot be written. The new key's secret never reaches stderr, the reserved secret file
//! never stays behind empty, and the error says that a key may exist, with its id when the
//! answer showed it, and how to find and remove it.

mod support;

use std::path::Path;
use std::time::Duration;

use elastic_apikeys_tests::raw_server::{RawServer, Step};
use serde_json::{Value, json};
use support::{EC_API_KEY, ELASTIC_API_KEY, Run, apikeys};

const NEW_ID: &str = "Yb2kF5sBq0PtYh3cE9xZ";
const NEW_API_KEY: &str = "c2VjcmV0LW9mLXRoZS1uZXcta2V5";
const NEW_ENCODED: &str = "WWIya0Y1c0JxMFB0WWgzY0U5eFo6YzJWamNtVjBMVzltTFhSb1pTMXVaWGN0YTJWNQ==";
const CLOUD_ID: &str = "2ce0be1f3b8c4b5c9a8a3f4e5d6c7b8a";
const CLOUD_KEY: &str = "essu_TmV3S2V5VGhhdElzT25seVByaW50ZWRPbmNl";

/// Elasticsearch's answer to a create, as `CreateApiKeyResponse.toXContent` writes it.
fn es_created() -> Value {
    json!({"id": NEW_ID, "name": "ci-deploy", "expiration": 1_766_400_000_000_i64,
           "api_key": NEW_API_KEY, "encoded": NEW_ENCODED})
}

/// Elastic Cloud's answer to a create.
fn cloud_created() -> Value {
    json!({"id": CLOUD_ID, "description": "ci-deploy", "creation_date": "2026-11-22T12:00:00Z",
           "expiration_date": "2026-12-22T12:00:00Z", "key": CLOUD_KEY})
}

/// The key `es rotate old1` reads first.
fn es_old_key() -> Step {
    Step::json(
        "200 OK",
        &json!({"api_keys": [{"id": "old1", "name": "ci-deploy", "type": "rest",
            "creation": 1_760_000_000_000_i64, "expiration": 1_767_776_000_000_i64,
            "invalidated": false, "username": "ci-bot", "realm": "native1"}]}),
    )
}

/// The key `cloud rotate old1` reads first.
fn cloud_old_key() -> Step {
    Step::json(
        "200 OK",
        &json!({"id": "old1", "description": "ci-deploy",
                "creation_date": "2026-10-22T12:00:00Z", "expiration_date": "2026-11-21T12:00:00Z"}),
    )
}

/// One service's way of creating a key, with the server's steps before the create.
struct Command {
    args: Vec<&'static str>,
    before: Vec<Step>,
    env: [(&'static str, &'static str); 1],
    url_variable: &'static str,
}

fn commands() -> Vec<Command> {
    let es = [("ELASTIC_API_KEY", ELASTIC_API_KEY)];
    let cloud = [("EC_API_KEY", EC_API_KEY)];
    vec![
        Command {
            args: vec!["es", "create", "--name", "ci-deploy", "--yes"],
            before: vec![],
            env: es,
            url_variable: "ELASTICSEARCH_URL",
        },
        Command {
            args: vec!["es", "rotate", "old1", "--yes"],
            before: vec![es_old_key()],
            env: es,
            url_variable: "ELASTICSEARCH_URL",
        },
        Command {
            args: vec!["cloud", "create", "--description", "ci-deploy", "--yes"],
            before: vec![],
            env: cloud,
            url_variable: "EC_API_URL",
        },
        Command {
            args: vec!["cloud", "rotate", "old1", "--yes"],
            before: vec![cloud_old_key()],
            env: cloud,
            url_variable: "EC_API_URL",
        },
    ]
}

impl Command {
    fn is_es(&self) -> bool {
        self.args[0] == "es"
    }

    /// Runs against a server that plays `before`, then `create`, writing the secret to `file`.
    fn run(&self, create: Step, file: &Path) -> (Run, RawServer) {
        let mut script = self.before.clone();
        script.push(create);
        let server = RawServer::start_in_background(script);
        let mut args = self.args.clone();
        let file = file.to_str().unwrap();
        args.extend(["--secret-file", file, "--timeout", "20s"]);
        let run = apikeys(&args, &[self.env[0], (self.url_variable, server.url())]);
        (run, server)
    }
}

fn assert_no_secret(run: &Run) {
    for secret in [NEW_API_KEY, NEW_ENCODED, CLOUD_KEY] {
        assert!(
            !run.stderr.contains(secret) && !run.stdout.contains(secret),
            "a secret reached the output:\n{}",
            run.transcript()
        );
    }
}

#[test]
fn an_unexpected_answer_to_a_create_quotes_no_secret_and_says_the_key_may_exist() {
    for command in commands() {
        let dir = tempfile::tempdir().unwrap();
        let answers = if command.is_es() {
            let mut late = es_created();
            late["expiration"] = "2026-12-22T12:00:00Z".into();
            vec![
                (
                    "a 201 for the documented 200",
                    Step::json("201 Created", &es_created()),
                ),
                (
                    "a 200 whose expiration is text",
                    Step::json("200 OK", &late),
                ),
            ]
        } else {
            vec![(
                "a 200 for the documented 201",
                Step::json("200 OK", &cloud_created()),
            )]
        };
        for (what, answer) in answers {
            let file = dir.path().join(what.replace(' ', "-"));
            let (run, server) = command.run(answer, &file);
            let context = format!(
                "{} with {what}:\n{}",
                command.args.join(" "),
                run.transcript()
            );
            assert_eq!(run.status, 1, "{context}");
            assert_eq!(server.count(), command.before.len() + 1, "{context}");
            assert_no_secret(&run);
            assert!(run.stderr.contains("[REDACTED]"), "{context}");
            let advice = if command.is_es() {
                format!(
                    "; the API key {NEW_ID} may have been created all the same: check with \
                     apikeys es list --id {NEW_ID}, and remove it with apikeys es invalidate \
                     --id {NEW_ID}\n"
                )
            } else {
                format!(
                    "; the API key {CLOUD_ID} may have been created all the same: check with \
                     apikeys cloud get {CLOUD_ID}, and remove it with apikeys cloud delete \
                     {CLOUD_ID}\n"
                )
            };
            assert!(run.stderr.ends_with(&advice), "{context}");
            assert_eq!(run.stdout, "", "{context}");
            assert!(!file.exists(), "the reserved secret file stayed: {context}");
        }
    }
}

#[test]
fn a_documented_error_says_nothing_of_a_key() {
    for command in commands() {
        let dir = tempfile::tempdir().unwrap();
        let refused = if command.is_es() {
            json!({"error": {"type": "security_exception", "reason": "action [cluster:admin/xpack/security/api_key/create] is unauthorized"}, "status": 403})
        } else {
            json!({"errors": [{"code": "root.unauthorized", "message": "not allowed"}]})
        };
        let file = dir.path().join("secret");
        let (run, _server) = command.run(Step::json("403 Forbidden", &refused), &file);
        assert_eq!(run.status, 1, "{}", run.transcript());
        assert!(
            !run.stderr.contains("may have been created"),
            "{}",
            run.transcript()
        );
        assert!(!file.exists(), "{}", run.transcript());
    }
}

#[test]
fn a_create_cut_short_by_the_timeout_leaves_no_secret_file_and_says_the_key_may_exist() {
    for command in commands() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("secret");
        let mut script = command.before.clone();
        script.push(Step::Stall(Duration::from_secs(30)));
        let server = RawServer::start_in_background(script);
        let mut args = command.args.clone();
        args.extend(["--secret-file", file.to_str().unwrap(), "--timeout", "2s"]);
        let run = apikeys(
            &args,
            &[command.env[0], (command.url_variable, server.url())],
        );
        let context = format!("{}:\n{}", command.args.join(" "), run.transcript());
        assert_eq!(run.status, 1, "{context}");
        let look_for = if command.is_es() {
            "apikeys es list --name ci-deploy, and remove it with apikeys es invalidate --id"
        } else {
            "apikeys cloud list, and remove it with apikeys cloud delete"
        };
        assert_eq!(
            run.stderr,
            format!(
                "error: no complete answer within 2s (--timeout); raise it for very long key \
                 lists or slow links; an API key may have been created all the same: look for \
                 it with {look_for} <its id>\n"
            ),
            "{context}"
        );
        assert!(!file.exists(), "the reserved secret file stayed: {context}");
    }
}

/// Ctrl-C while the create is out: the shell shows `^C`, `apikeys` says what may be left.
#[cfg(unix)]
#[test]
fn a_create_cut_short_by_ctrl_c_leaves_no_secret_file_and_says_the_key_may_exist() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("secret");
    let server = RawServer::start_in_background(vec![Step::Stall(Duration::from_secs(30))]);
    let child = support::clean_command(env!("CARGO_BIN_EXE_apikeys"))
        .args([
            "es",
            "create",
            "--name",
            "ops key",
            "--yes",
            "--secret-file",
        ])
        .arg(&file)
        .env("ELASTICSEARCH_URL", server.url())
        .env("ELASTIC_API_KEY", ELASTIC_API_KEY)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Once the request is out, and the file reserved.
    let waited = std::time::Instant::now();
    while server.count() == 0 && waited.elapsed() < Duration::from_secs(20) {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(
        file.exists(),
        "the secret file is reserved before the request is sent"
    );
    let killed = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(130), "{stderr}");
    assert_eq!(
        stderr,
        "error: an API key may have been created all the same: look for it with apikeys es \
         list --name 'ops key', and remove it with apikeys es invalidate --id <its id>\n"
    );
    assert!(!file.exists(), "the reserved secret file stayed");
}

/// A disk that cannot take the secret (here a file size limit of 0, which fails writes as a
/// full disk does): the key exists, its secret is lost, and the empty file goes.
#[cfg(unix)]
#[test]
fn a_secret_file_that_cannot_be_written_is_removed_and_the_key_named() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("secret");
    let server = RawServer::start_in_background(vec![Step::json("200 OK", &es_created())]);
    // An ignored SIGXFSZ stays ignored across exec, so that the write fails (EFBIG) instead of
    // ending the process.
    let mut command = support::clean_command("/bin/sh");
    command
        .args([
            "-c",
            "ulimit -f 0 && trap '' XFSZ && exec \"$0\" es create --name ci-deploy --yes \
             --secret-file \"$1\"",
            env!("CARGO_BIN_EXE_apikeys"),
        ])
        .arg(&file)
        .env("ELASTICSEARCH_URL", server.url())
        .env("ELASTIC_API_KEY", ELASTIC_API_KEY);
    let output = command.output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.starts_with(&format!(
            "error: the API key {NEW_ID} was created, but cannot write the secret file {}: ",
            file.display()
        )) && stderr.ends_with(&format!(
            "; its secret is lost, so remove the key: apikeys es invalidate --id {NEW_ID}\n"
        )),
        "{stderr}"
    );
    assert!(!stderr.contains(NEW_ENCODED) && !stderr.contains(NEW_API_KEY));
    assert!(output.stdout.is_empty());
    assert!(!file.exists(), "the empty secret file stayed");
}
