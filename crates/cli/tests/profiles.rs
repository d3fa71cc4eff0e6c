//! `--profile` and `apikeys profiles`: targets from a config file, with credentials by
//! reference, and the refusal of a plain secret that other users can read.

mod support;

use elastic_apikeys_client::elasticsearch::types::GetApiKeyResponse;
use elastic_apikeys_mock::elasticsearch::MockServerExt;
use elastic_apikeys_mock::httpmock::{Mock, MockServer};
use support::{ELASTIC_API_KEY, ELASTIC_PASSWORD, Run, apikeys, body};

/// A cluster that answers only requests with the test's API key.
fn cluster(server: &MockServer) -> Mock<'_> {
    let keys: GetApiKeyResponse = body("es-cluster.json");
    server.security_get_api_key(|when, then| {
        when.into_inner()
            .header("authorization", format!("ApiKey {ELASTIC_API_KEY}"));
        then.ok(&keys);
    })
}

/// A config file holding `text`, with `mode`.
fn config(dir: &tempfile::TempDir, text: &str, mode: u32) -> String {
    let path = dir.path().join("config.toml");
    support::write_config(&path, text);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
    }
    path.to_str().unwrap().to_string()
}

fn run(config: &str, env: &[(&str, &str)], args: &[&str]) -> Run {
    let mut all = vec![("APIKEYS_CONFIG", config)];
    all.extend_from_slice(env);
    apikeys(args, &all)
}

#[test]
fn a_profile_gives_the_address_and_the_key_from_the_environment_or_a_command() {
    let server = MockServer::start();
    let mock = cluster(&server);
    let dir = tempfile::tempdir().unwrap();
    let url = server.base_url();
    let path = config(
        &dir,
        &format!(
            r#"
[profiles.from-env]
service = "elasticsearch"
url = "{url}"
api_key = {{ env = "PROD_ES_KEY" }}

[profiles.from-command]
service = "elasticsearch"
url = "{url}"
api_key = {{ command = ["/usr/bin/printf", "%s\n", "{ELASTIC_API_KEY}"] }}
"#
        ),
        0o644,
    );
    let by_env = run(
        &path,
        &[("PROD_ES_KEY", ELASTIC_API_KEY)],
        &["es", "list", "--profile", "from-env", "-o", "csv"],
    );
    assert_eq!(by_env.status, 0, "{}", by_env.transcript());
    assert_eq!(by_env.stdout.lines().count(), 7);
    let by_command = run(
        &path,
        &[("APIKEYS_PROFILE", "from-command")],
        &["es", "list", "-o", "csv"],
    );
    assert_eq!(by_command.status, 0, "{}", by_command.transcript());
    mock.assert_calls(2);

    let unset = run(&path, &[], &["es", "list", "--profile", "from-env"]);
    assert_eq!(unset.status, 2, "{}", unset.transcript());
    assert!(
        unset
            .stderr
            .contains("the environment variable PROD_ES_KEY is not set"),
        "{}",
        unset.transcript()
    );
}

#[test]
fn a_plain_secret_is_refused_in_a_file_others_can_read() {
    let server = MockServer::start();
    let mock = cluster(&server);
    let dir = tempfile::tempdir().unwrap();
    let text = format!(
        "[profiles.plain]\nservice = \"elasticsearch\"\nurl = \"{}\"\napi_key = {{ value = \"{ELASTIC_API_KEY}\" }}\n",
        server.base_url()
    );
    let readable = config(&dir, &text, 0o644);
    let refused = run(&readable, &[], &["es", "list", "--profile", "plain"]);
    assert_eq!(refused.status, 2, "{}", refused.transcript());
    assert!(
        refused.stderr.contains("chmod 600"),
        "{}",
        refused.transcript()
    );
    mock.assert_calls(0);

    let private = config(&dir, &text, 0o600);
    let run = run(&private, &[], &["es", "list", "--profile", "plain"]);
    assert_eq!(run.status, 0, "{}", run.transcript());
    mock.assert_calls(1);
}

#[test]
fn typed_flags_beat_the_profile_and_the_profile_beats_the_environment() {
    let server = MockServer::start();
    let mock = cluster(&server);
    let dir = tempfile::tempdir().unwrap();
    let path = config(
        &dir,
        "[profiles.elsewhere]\nservice = \"elasticsearch\"\nurl = \"http://127.0.0.1:1\"\n\
         api_key = { env = \"WRONG_KEY\" }\n",
        0o600,
    );
    let url = server.base_url();
    let typed = run(
        &path,
        &[],
        &[
            "es",
            "list",
            "--profile",
            "elsewhere",
            "--url",
            &url,
            "--api-key",
            ELASTIC_API_KEY,
        ],
    );
    assert_eq!(typed.status, 0, "{}", typed.transcript());
    mock.assert_calls(1);

    // ELASTICSEARCH_URL points at the mock, but the profile names another address.
    let beaten = run(
        &path,
        &[
            ("ELASTICSEARCH_URL", &url),
            ("WRONG_KEY", "x"),
            ("ELASTIC_API_KEY", ELASTIC_API_KEY),
        ],
        &["es", "list", "--profile", "elsewhere"],
    );
    assert_ne!(beaten.status, 0, "{}", beaten.transcript());
    mock.assert_calls(1);
}

#[test]
fn profiles_are_listed_without_their_secrets_and_checked_against_the_command() {
    let dir = tempfile::tempdir().unwrap();
    let path = config(
        &dir,
        &format!(
            "[profiles.cloud]\nservice = \"cloud\"\napi_key = {{ env = \"EC_ORG_KEY\" }}\n\n\
             [profiles.prod]\nservice = \"elasticsearch\"\nurl = \"https://es.prod:9200\"\n\
             ca_fingerprint = \"ab\"\napi_key = {{ value = \"{ELASTIC_API_KEY}\" }}\n\n\
             [profiles.typed-in-url]\nservice = \"elasticsearch\"\n\
             url = \"https://elastic:{ELASTIC_PASSWORD}@es.stage:9200\"\n"
        ),
        0o600,
    );
    let listed = run(&path, &[], &["profiles"]);
    assert_eq!(listed.status, 0, "{}", listed.transcript());
    assert_eq!(
        listed.stdout,
        "cloud\tcloud\t-\tapi key from env EC_ORG_KEY\n\
         prod\telasticsearch\thttps://es.prod:9200\tapi key from value in the file\n\
         typed-in-url\telasticsearch\thttps://[REDACTED]@es.stage:9200\t-\n"
    );
    let json = run(&path, &[], &["profiles", "-o", "json"]);
    assert!(
        !json.stdout.contains(ELASTIC_PASSWORD),
        "{}",
        json.transcript()
    );
    let rows: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(rows[1]["trust"], "ca fingerprint");
    assert_eq!(rows[2]["address"], "https://[REDACTED]@es.stage:9200");

    let wrong = run(&path, &[], &["cloud", "list", "--profile", "prod"]);
    assert_eq!(wrong.status, 2, "{}", wrong.transcript());
    assert!(
        wrong.stderr.contains("is for Elasticsearch"),
        "{}",
        wrong.transcript()
    );
    let unknown = run(&path, &[], &["es", "list", "--profile", "nope"]);
    assert_eq!(unknown.status, 2, "{}", unknown.transcript());
    assert!(
        unknown.stderr.contains("the profiles are: cloud, prod"),
        "{}",
        unknown.transcript()
    );
}

/// `pass show` prints the secret on its first line and notes after it: only the first line is
/// sent, and a command whose first line is empty is refused, naming the line.
#[test]
fn a_credential_command_gives_its_first_line_only() {
    let server = MockServer::start();
    // The mock answers only the exact header: notes sent with the key would not match.
    let mock = cluster(&server);
    let dir = tempfile::tempdir().unwrap();
    let url = server.base_url();
    let path = config(
        &dir,
        &format!(
            r#"
[profiles.pass]
service = "elasticsearch"
url = "{url}"
api_key = {{ command = ["/usr/bin/printf", "%s\nURL: {url}\nnote: the other-secret\n", "{ELASTIC_API_KEY}"] }}

[profiles.blank-first-line]
service = "elasticsearch"
url = "{url}"
api_key = {{ command = ["/usr/bin/printf", "\n%s\n", "{ELASTIC_API_KEY}"] }}
"#
        ),
        0o600,
    );
    let run_pass = run(
        &path,
        &[],
        &["es", "list", "--profile", "pass", "-o", "csv"],
    );
    assert_eq!(run_pass.status, 0, "{}", run_pass.transcript());
    mock.assert_calls(1);
    let blank = run(&path, &[], &["es", "list", "--profile", "blank-first-line"]);
    assert_eq!(blank.status, 2, "{}", blank.transcript());
    assert_eq!(
        blank.stderr,
        "error: profile blank-first-line: api_key: /usr/bin/printf printed nothing on its first \
         line, where the secret is read from\n",
        "{}",
        blank.transcript()
    );
    mock.assert_calls(1);
}

/// A config file that another local user can change is theirs: it decides which commands run as
/// the operator and where credentials go. It is refused, naming the file and the fix, before its
/// command runs or anything is sent, as OpenSSH refuses its own config.
#[cfg(unix)]
#[test]
fn a_config_file_others_can_change_is_refused_before_anything_runs() {
    use std::os::unix::fs::PermissionsExt;
    let server = MockServer::start();
    let mock = cluster(&server);
    let top = tempfile::tempdir().unwrap();
    let marker = top.path().join("the command ran");
    let text = format!(
        "[profiles.prod]\nservice = \"elasticsearch\"\nurl = \"{}\"\n\
         api_key = {{ command = ['/bin/sh', '-c', 'touch \"$0\" && printf \"%s\\n\" \"$1\"', '{}', '{ELASTIC_API_KEY}'] }}\n",
        server.base_url(),
        marker.display()
    );
    // The file in a directory of `mode`, itself with `file_mode`; the file's path is returned.
    let place = |name: &str, mode: u32, file_mode: u32| {
        let directory = top.path().join(name);
        std::fs::create_dir(&directory).unwrap();
        let file = directory.join("config.toml");
        std::fs::write(&file, &text).unwrap();
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(file_mode)).unwrap();
        std::fs::set_permissions(&directory, std::fs::Permissions::from_mode(mode)).unwrap();
        file.to_str().unwrap().to_string()
    };
    let refused = |config: &str, expected: &str| {
        for args in [&["es", "list", "--profile", "prod"][..], &["profiles"]] {
            let run = run(config, &[], args);
            assert_eq!(run.status, 2, "{}", run.transcript());
            assert_eq!(
                run.stderr,
                format!("error: {expected}\n"),
                "{}",
                run.transcript()
            );
            assert!(!marker.exists(), "the command of a refused file ran");
            mock.assert_calls(0);
        }
    };

    let everyone = place("everyone", 0o700, 0o666);
    refused(
        &everyone,
        &format!(
            "the config file {everyone} is refused: the group and other users can write it \
             (mode 0666), and could change the commands it runs and where it sends \
             credentials; run chmod go-w {everyone}"
        ),
    );
    let group = place("group", 0o700, 0o620);
    refused(
        &group,
        &format!(
            "the config file {group} is refused: the group can write it (mode 0620), and could \
             change the commands it runs and where it sends credentials; run chmod go-w {group}"
        ),
    );
    let open_directory = place("open", 0o777, 0o600);
    let directory = top.path().join("open");
    let directory = directory.display();
    refused(
        &open_directory,
        &format!(
            "the config file {open_directory} is refused: the group and other users can write \
             the directory {directory} above it (mode 0777), and could replace it; run chmod \
             go-w {directory}"
        ),
    );
    // A link from a private directory to a file in an open one: the file is as open as its
    // directory.
    let link = top.path().join("link.toml");
    std::os::unix::fs::symlink(&open_directory, &link).unwrap();
    let link = link.to_str().unwrap();
    refused(
        link,
        &format!(
            "the config file {link} is refused: the group and other users can write the \
             directory {directory} above it (mode 0777), and could replace it; run chmod go-w \
             {directory}"
        ),
    );
    // Owned by another user: only root can make one, so only a run as root tries it (CI's is).
    if current_uid() == Some(0) {
        let theirs = place("theirs", 0o700, 0o600);
        std::os::unix::fs::chown(&theirs, Some(4242), None).unwrap();
        refused(
            &theirs,
            &format!(
                "the config file {theirs} is refused: user 4242 owns it, not you (user 0) or \
                 root, and could change the commands it runs and where it sends credentials; \
                 use a file of your own, or run chown 0 {theirs}"
            ),
        );
    }

    // Readable by all is fine (it holds no plain secret), and so is a sticky directory such as
    // /tmp, where only a file's owner can replace it.
    for config in [
        place("readable", 0o755, 0o644),
        place("sticky", 0o1777, 0o600),
    ] {
        let run = run(
            &config,
            &[],
            &["es", "list", "--profile", "prod", "-o", "csv"],
        );
        assert_eq!(run.status, 0, "{}", run.transcript());
        assert!(marker.exists(), "{}", run.transcript());
        std::fs::remove_file(&marker).unwrap();
    }
    mock.assert_calls(2);
}

/// The user this test runs as, from a file it has just made.
#[cfg(unix)]
fn current_uid() -> Option<u32> {
    use std::os::unix::fs::MetadataExt;
    let file = tempfile::NamedTempFile::new().ok()?;
    Some(file.as_file().metadata().ok()?.uid())
}

/// `--timeout` bounds the whole run, a profile's credential command included: one that hangs is
/// stopped at the timeout and named, and nothing is sent.
#[cfg(unix)]
#[test]
fn a_credential_command_is_stopped_at_the_timeout_and_named() {
    let server = MockServer::start();
    let mock = cluster(&server);
    let dir = tempfile::tempdir().unwrap();
    let marker = dir.path().join("the command finished");
    let path = config(
        &dir,
        &format!(
            "[profiles.slow]\nservice = \"elasticsearch\"\nurl = \"{}\"\n\
             api_key = {{ command = ['/bin/sh', '-c', 'sleep 3 && touch \"$0\"', '{}'] }}\n",
            server.base_url(),
            marker.display()
        ),
        0o600,
    );
    let started = std::time::Instant::now();
    let run = run(
        &path,
        &[],
        &["es", "list", "--profile", "slow", "--timeout", "1s"],
    );
    let elapsed = started.elapsed();
    assert_eq!(run.status, 1, "{}", run.transcript());
    assert_eq!(
        run.stderr,
        "error: profile slow: api_key: /bin/sh did not finish within 1s (--timeout), and was \
         stopped; nothing was sent\n",
        "{}",
        run.transcript()
    );
    mock.assert_calls(0);
    // Stopped, not left running: it never gets to finish.
    std::thread::sleep(std::time::Duration::from_millis(3500).saturating_sub(elapsed));
    assert!(!marker.exists(), "the command went on after the run");
}

/// A credential of the wrong shape is reported as coming from the profile that gave it, not from
/// the variables and flags that were never set.
#[test]
fn a_bad_credential_from_a_profile_names_the_profile() {
    let dir = tempfile::tempdir().unwrap();
    let path = config(
        &dir,
        r#"
[profiles.es]
service = "elasticsearch"
url = "http://127.0.0.1:9"
api_key = { command = ["/usr/bin/printf", "%s\n", "not-a-key"] }

[profiles.org]
service = "cloud"
url = "http://127.0.0.1:9"
api_key = { env = "ORG_KEY" }
"#,
        0o600,
    );
    let es = run(&path, &[], &["es", "list", "--profile", "es"]);
    assert_eq!(es.status, 2, "{}", es.transcript());
    assert!(
        es.stderr.starts_with(
            "error: profile es: api_key (command /usr/bin/printf) is not an Elasticsearch API key"
        ),
        "{}",
        es.transcript()
    );
    let cloud = run(
        &path,
        &[("ORG_KEY", "essu_two words")],
        &["cloud", "list", "--profile", "org"],
    );
    assert_eq!(cloud.status, 2, "{}", cloud.transcript());
    assert_eq!(
        cloud.stderr,
        "error: profile org: api_key (env ORG_KEY) holds whitespace, which no API key has: check \
         that it was copied whole and alone\n",
        "{}",
        cloud.transcript()
    );
}
