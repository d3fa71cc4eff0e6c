//! Readers that go away and streams that cannot be written: `apikeys es list | head -1` with more
//! than a pipe's worth of output ends quietly in every format, `--fail-if-expiring` keeps its
//! status, and an unwritable stderr loses a message but never the exit status.

mod support;

use std::io::{BufRead, BufReader};
use std::process::Stdio;

use elastic_apikeys_client::elasticsearch::types::GetApiKeyResponse;
use elastic_apikeys_mock::elasticsearch::MockServerExt;
use elastic_apikeys_mock::httpmock::MockServer;
use support::{AS_OF, ELASTIC_API_KEY, apikeys, body, clean_command};

/// How many keys the big cluster has: each format's report of them is far beyond what a pipe
/// holds, even one that `apikeys` widened to [`WIDENED_PIPE`], so `apikeys` is still writing
/// when the reader goes away.
const MANY: usize = 40_000;

/// The pipe size that `apikeys` asks for on Linux before a report of many keys.
const WIDENED_PIPE: usize = 1024 * 1024;

/// A cluster of [`MANY`] keys made from one key's JSON; every other one expires on 2026-11-25,
/// within a week of [`AS_OF`].
fn big_cluster() -> MockServer {
    let keys: Vec<String> = (0..MANY)
        .map(|i| {
            let expiration: i64 = if i % 2 == 0 {
                1_795_599_000_000
            } else {
                1_801_663_200_000
            };
            format!(
                r#"{{"id":"key-{i:08}","name":"generated-key-{i}","type":"rest",
                "creation":1764063000000,"expiration":{expiration},"invalidated":false,
                "username":"ci-bot","realm":"native1","realm_type":"native",
                "metadata":{{"team":"platform"}},"role_descriptors":{{}}}}"#
            )
        })
        .collect();
    let keys: GetApiKeyResponse =
        serde_json::from_str(&format!(r#"{{"api_keys":[{}]}}"#, keys.join(",")))
            .expect("the template is a key");
    assert_eq!(keys.api_keys.len(), MANY);
    let server = MockServer::start();
    server.security_get_api_key(|_, then| {
        then.ok(&keys);
    });
    server
}

/// `apikeys es list` with `args` against `server`, its stdout read for one line and then
/// closed; the line, the exit status and stderr.
fn read_one_line(server: &MockServer, args: &[&str]) -> (String, i32, String) {
    let mut child = clean_command(env!("CARGO_BIN_EXE_apikeys"))
        .args(["es", "list", "--as-of", AS_OF])
        .args(args)
        .env("ELASTICSEARCH_URL", server.base_url())
        .env("ELASTIC_API_KEY", ELASTIC_API_KEY)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the built binary runs");
    let mut reader = BufReader::new(child.stdout.take().expect("stdout is piped"));
    let mut line = String::new();
    reader.read_line(&mut line).expect("a first line");
    drop(reader);
    let output = child.wait_with_output().expect("the binary finishes");
    let stderr = String::from_utf8(output.stderr).expect("stderr is UTF-8");
    (line, output.status.code().expect("an exit status"), stderr)
}

#[test]
fn a_reader_that_takes_one_line_ends_every_format_quietly() {
    let server = big_cluster();
    let env = [
        ("ELASTICSEARCH_URL", server.base_url()),
        ("ELASTIC_API_KEY", ELASTIC_API_KEY.to_string()),
    ];
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    for (format, first) in [("table", "ID  "), ("json", "{"), ("csv", "id,name,")] {
        // The premise: read whole, the report is more than a pipe holds.
        let whole = apikeys(&["es", "list", "-o", format, "--as-of", AS_OF], &env);
        assert_eq!(whole.status, 0, "{format}: {}", whole.stderr);
        assert!(whole.stdout.len() > 2 * WIDENED_PIPE, "{format}");

        let (line, status, stderr) = read_one_line(&server, &["-o", format]);
        assert!(line.starts_with(first), "{format}: {line}");
        assert_eq!(status, 0, "{format}: {stderr}");
        assert_eq!(stderr, "", "{format}");
    }
}

#[test]
fn a_reader_that_went_away_keeps_fail_if_expiring_s_status() {
    let server = big_cluster();
    let named: Vec<String> = (0..10).map(|i| format!("key-{:08}", 2 * i)).collect();
    // Every other key expires within the week: half of MANY, ten named.
    assert_eq!(MANY, 40_000, "the message below counts the keys of MANY");
    let expected = format!(
        "20,000 API keys expire within 7d, or expired already: {} and 19,990 more\n",
        named.join(", ")
    );
    for format in ["table", "json", "csv"] {
        let (_, status, stderr) =
            read_one_line(&server, &["-o", format, "--fail-if-expiring", "7d"]);
        assert_eq!(status, 3, "{format}: {stderr}");
        assert_eq!(stderr, expected, "{format}");
    }
}

#[test]
#[cfg(target_os = "linux")]
fn a_report_widens_its_pipe_and_a_pipe_read_in_full_gets_every_key() {
    use std::io::Read;

    let server = big_cluster();
    let mut child = clean_command(env!("CARGO_BIN_EXE_apikeys"))
        .args(["es", "list", "-o", "jsonl", "--as-of", AS_OF])
        .env("ELASTICSEARCH_URL", server.base_url())
        .env("ELASTIC_API_KEY", ELASTIC_API_KEY)
        .stdout(Stdio::piped())
        .spawn()
        .expect("the built binary runs");
    let mut stdout = child.stdout.take().expect("stdout is piped");
    let mut report = String::new();
    stdout.read_to_string(&mut report).expect("stdout is UTF-8");
    assert!(child.wait().expect("the binary finishes").success());
    assert_eq!(report.lines().count(), MANY);
    // The pipe is the reader's too: its size is what `apikeys` set.
    let size = rustix::pipe::fcntl_getpipe_size(&stdout).expect("a pipe has a size");
    assert_eq!(
        size, WIDENED_PIPE,
        "apikeys did not widen the pipe of its report (see std_streams::widen_stdout_pipe)"
    );
}

#[test]
fn an_unwritable_stderr_does_not_change_the_exit_status() {
    let server = MockServer::start();
    let keys: GetApiKeyResponse = body("es-cluster.json");
    server.security_get_api_key(|_, then| {
        then.ok(&keys);
    });
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .expect("/dev/full exists");
    let output = clean_command(env!("CARGO_BIN_EXE_apikeys"))
        .args(["es", "list", "--fail-if-expiring", "7d", "--as-of", AS_OF])
        .env("ELASTICSEARCH_URL", server.base_url())
        .env("ELASTIC_API_KEY", ELASTIC_API_KEY)
        .stdout(Stdio::piped())
        .stderr(Stdio::from(full))
        .output()
        .expect("the built binary runs");
    // Not 101, a panic's status: the message was lost, the verdict was not.
    assert_eq!(output.status.code(), Some(3), "{output:?}");
    let stdout = String::from_utf8(output.stdout).expect("stdout is UTF-8");
    assert!(stdout.ends_with("6 keys\n"), "{stdout}");
}
