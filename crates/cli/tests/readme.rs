//! The README's example run of `apikeys` is what the binary prints.
//!
//! The block after the `<!-- apikeys example: BODY, as of TIME -->` marker is a console session:
//! each `$ apikeys ...` line is run against a typed mock cluster that serves `BODY` (and a 404
//! with an empty list for any `id`), with expiry judged as of `TIME`; the lines after it are its
//! stdout then stderr. `$ echo $?` is followed by the exit status of the run before it.
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
