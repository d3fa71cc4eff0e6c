//! The README's example run of `apikeys` is what the binary prints.
//!
//! The block after the `<!-- apikeys example: BODY, as of TIME -->` marker is a console session:
//! each `$ apikeys ...` line is run against a typed mock cluster that serves `BODY` (and a 404
//! with an empty list for any `id`), with expiry judged as of `TIME`; the lines after it are its
//! stdout then stderr. `$ echo $?` is followed by the exit status of the run before it.
//!
//! The block after `<!-- apikeys changes example -->` is a session of commands that change keys
//! (create, rotate, invalidate), run against a typed mock cluster that creates, reads and
//! invalidates the keys of `tests/bodies/es-cluster.json`.
//!
//! `UPDATE_README=1 cargo test -p elastic-apikeys-cli --test readme` writes what the commands
//! print into the README instead of comparing.

mod support;

use elastic_apikeys_client::elasticsearch::types::GetApiKeyResponse;
use elastic_apikeys_mock::elasticsearch::MockServerExt;
use elastic_apikeys_mock::httpmock::{Method::GET, MockServer};
use support::{ELASTIC_API_KEY, apikeys, body};

const MARKER: &str = "<!-- apikeys example: ";

/// A command of the session and what the README says it printed.
struct Step {
    command: String,
    printed: String,
}

/// The example's body, its instant, its steps, and where its block is in the README.
fn example(readme: &str) -> (String, String, Vec<Step>, std::ops::Range<usize>) {
    let start = readme
        .find(MARKER)
        .expect("the README has an apikeys example");
    let rest = &readme[start + MARKER.len()..];
    let (header, rest) = rest.split_once(" -->").expect("the marker is closed");
    let (path, as_of) = header
        .split_once(", as of ")
        .expect("the marker names BODY and TIME");
    let body = path.rsplit('/').next().unwrap().to_string();
    let opening = "```console\n";
    let block_start =
        readme.len() - rest.len() + rest.find(opening).expect("a console block") + opening.len();
    let block_len = readme[block_start..]
        .find("```")
        .expect("the block is closed");
    let block = &readme[block_start..block_start + block_len];
    let mut steps: Vec<Step> = Vec::new();
    for line in block.lines() {
        if let Some(command) = line.strip_prefix("$ ") {
            steps.push(Step {
                command: command.to_string(),
                printed: String::new(),
            });
        } else if let Some(step) = steps.last_mut() {
            step.printed.push_str(line);
            step.printed.push('\n');
        }
    }
    (
        body,
        as_of.to_string(),
        steps,
        block_start..block_start + block_len,
    )
}

#[test]
fn the_readme_example_is_a_real_run() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../README.md");
    let readme = std::fs::read_to_string(path).expect("the README is readable");
    let (body_name, as_of, steps, block) = example(&readme);

    let server = MockServer::start();
    let keys: GetApiKeyResponse = body(&body_name);
    server.mock(|when, then| {
        when.method(GET)
            .path("/_security/api_key")
            .query_param_exists("id");
        then.status(404)
            .header("content-type", "application/json")
            .body(r#"{"api_keys":[]}"#);
    });
    server.security_get_api_key(|when, then| {
        when.into_inner().query_param_missing("id");
        then.ok(&keys);
    });
    let url = server.base_url();
    let env = [
        ("ELASTICSEARCH_URL", url.as_str()),
        ("ELASTIC_API_KEY", ELASTIC_API_KEY),
    ];

    // The session as it really goes.
    let mut session = String::new();
    let mut ran = 0;
    let mut last_status = None;
    for step in &steps {
        session.push_str(&format!("$ {}\n", step.command));
        if step.command.starts_with("export ") {
            continue;
        }
        if step.command == "echo $?" {
            let status = last_status.expect("`echo $?` follows a run");
            session.push_str(&format!("{status}\n"));
            continue;
        }
        let args: Vec<&str> = step
            .command
            .strip_prefix("apikeys ")
            .unwrap_or_else(|| panic!("not an apikeys command: {}", step.command))
            .split_whitespace()
            .chain(["--as-of", &as_of])
            .collect();
        let run = apikeys(&args, &env);
        session.push_str(&run.stdout);
        session.push_str(&run.stderr);
        last_status = Some(run.status);
        ran += 1;
    }
    assert!(ran >= 2, "the example runs commands");

    if std::env::var_os("UPDATE_README").is_some() {
        let mut updated = readme.clone();
        updated.replace_range(block, &session);
        std::fs::write(path, updated).expect("the README is writable");
    } else {
        assert_eq!(
            readme[block].to_string(),
            session,
            "the README's apikeys example is not what the commands print; \
             UPDATE_README=1 cargo test -p elastic-apikeys-cli --test readme updates it"
        );
    }
}

const CHANGES_MARKER: &str = "<!-- apikeys changes example -->";

/// The steps of the console block after `marker`, and where the block is.
fn session_after(readme: &str, marker: &str) -> (Vec<Step>, std::ops::Range<usize>) {
    let start = readme.find(marker).expect("the README has the example") + marker.len();
    let opening = "```console\n";
    let block_start =
        start + readme[start..].find(opening).expect("a console block") + opening.len();
    let block_len = readme[block_start..]
        .find("```")
        .expect("the block is closed");
    let mut steps: Vec<Step> = Vec::new();
    for line in readme[block_start..block_start + block_len].lines() {
        if let Some(command) = line.strip_prefix("$ ") {
            steps.push(Step {
                command: command.to_string(),
                printed: String::new(),
            });
        } else if let Some(step) = steps.last_mut() {
            step.printed.push_str(line);
            step.printed.push('\n');
        }
    }
    (steps, block_start..block_start + block_len)
}

#[test]
fn the_readme_example_of_changes_is_a_real_run() {
    use elastic_apikeys_client::elasticsearch::types::{
        CreateApiKeyResponse, InvalidateApiKeyResponse,
    };
    use serde_json::json;

    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../README.md");
    let readme = std::fs::read_to_string(path).expect("the README is readable");
    let (steps, block) = session_after(&readme, CHANGES_MARKER);

    let server = MockServer::start();
    let keys: GetApiKeyResponse = body("es-cluster.json");
    let mut ci_deploy = keys.clone();
    ci_deploy.api_keys.truncate(1);
    server.security_get_api_key(|when, then| {
        when.id(ci_deploy.api_keys[0].id.as_str()).owner(true);
        then.ok(&ci_deploy);
    });
    // The new key of `create`, then the one `rotate` makes in ci-deploy's place.
    for (expiration, id, secret) in [
        ("30d", "Yb2kF5sBq0PtYh3cE9xZ", "c2VjcmV0LW9uZS1vZi10d28"),
        ("365d", "Zc3lG6tCr1QuZi4dF0yA", "c2VjcmV0LXR3by1vZi10d28"),
    ] {
        let created: CreateApiKeyResponse = serde_json::from_value(json!({
            "id": id,
            "name": "ci-deploy",
            "api_key": secret,
            "encoded": base64::Engine::encode(
                &base64::engine::general_purpose::STANDARD,
                format!("{id}:{secret}"),
            ),
        }))
        .unwrap();
        server.security_create_api_key(|when, then| {
            when.into_inner()
                .json_body_includes(json!({"expiration": expiration}).to_string());
            then.ok(&created);
        });
    }
    let updated: elastic_apikeys_client::elasticsearch::types::UpdateApiKeyResponse =
        serde_json::from_value(json!({"updated": true})).unwrap();
    server.security_update_api_key(|when, then| {
        when.id(keys.api_keys[0].id.as_str());
        then.ok(&updated);
    });
    server.security_invalidate_api_key(|_, then| {
        let answer: InvalidateApiKeyResponse = serde_json::from_value(json!({
            "invalidated_api_keys": [keys.api_keys[0].id],
            "previously_invalidated_api_keys": [],
            "error_count": 0
        }))
        .unwrap();
        then.ok(&answer);
    });
    let url = server.base_url();
    let env = [
        ("ELASTICSEARCH_URL", url.as_str()),
        ("ELASTIC_API_KEY", ELASTIC_API_KEY),
    ];

    let mut session = String::new();
    let mut ran = 0;
    for step in &steps {
        session.push_str(&format!("$ {}\n", step.command));
        if step.command.starts_with("export ") {
            continue;
        }
        let args: Vec<&str> = step
            .command
            .strip_prefix("apikeys ")
            .unwrap_or_else(|| panic!("not an apikeys command: {}", step.command))
            .split_whitespace()
            .collect();
        let run = apikeys(&args, &env);
        // The mock's address changes from run to run; the README shows the usual one.
        let host = url.trim_start_matches("http://");
        session.push_str(&run.stdout.replace(host, "localhost:9200"));
        session.push_str(&run.stderr.replace(host, "localhost:9200"));
        ran += 1;
    }
    assert!(ran >= 3, "the example runs commands");
    if std::env::var_os("UPDATE_README").is_some() {
        let mut updated = std::fs::read_to_string(path).unwrap();
        let (_, block) = session_after(&updated, CHANGES_MARKER);
        updated.replace_range(block, &session);
        std::fs::write(path, updated).expect("the README is writable");
    } else {
        assert_eq!(
            readme[block].to_string(),
            session,
            "the README's example of changes is not what the commands print; \
             UPDATE_README=1 cargo test -p elastic-apikeys-cli --test readme updates it"
        );
    }
}
