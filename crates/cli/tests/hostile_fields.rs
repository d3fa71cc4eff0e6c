//! A server that puts escape sequences in every string it sends, for both services, in every
//! output format: nothing that drives or fools a terminal reaches one, JSON still decodes to
//! exactly what was sent, and CSV cells that a spreadsheet would run stay text.

mod support;

use elastic_apikeys_client::cloud::types::ApiKeysResponse;
use elastic_apikeys_client::elasticsearch::types::GetApiKeyResponse;
use elastic_apikeys_mock::httpmock::MockServer;
use serde::de::DeserializeOwned;
use serde_json::Value;
use support::{AS_OF, EC_API_KEY, ELASTIC_API_KEY, apikeys, in_pseudo_terminal};

/// What every string becomes: a formula for a spreadsheet, a window title, a screen clear, a C1
/// CSI, a right-to-left override, tag characters and a paragraph separator.
const PLANTED: &str =
    "=1+1\u{1b}]0;PWNED\u{7}\u{1b}[2J\u{9b}31m\u{202e}\u{e0041}\u{e0042}\u{2029}\u{ad}end";

/// The characters of [`PLANTED`] that must never reach a terminal as they are.
const ACTING: &[char] = &[
    '\u{1b}',
    '\u{7}',
    '\u{9b}',
    '\u{202e}',
    '\u{e0041}',
    '\u{e0042}',
    '\u{2029}',
    '\u{ad}',
];

/// `body` with every string replaced by `planted(n)`, except those that hold a time (which the
/// models must still read as times).
fn plant(value: &mut Value, n: &mut usize) {
    match value {
        Value::String(text) if chrono::DateTime::parse_from_rfc3339(text).is_err() => {
            *n += 1;
            *text = format!("{n}{PLANTED}");
        }
        Value::Array(items) => items.iter_mut().for_each(|item| plant(item, n)),
        Value::Object(object) => object.values_mut().for_each(|item| plant(item, n)),
        _ => {}
    }
}

/// A body of `tests/bodies` with every string planted, and the model it decodes to.
fn planted<T: DeserializeOwned>(name: &str) -> (String, T) {
    let path = format!("{}/tests/bodies/{name}", env!("CARGO_MANIFEST_DIR"));
    let mut body: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    plant(&mut body, &mut 0);
    let text = body.to_string();
    let model = serde_json::from_str(&text).expect("a planted body still decodes");
    (text, model)
}

/// A server that answers `path` with `body`.
fn serving(path: &str, body: &str) -> MockServer {
    let server = MockServer::start();
    server.mock(|when, then| {
        when.path(path);
        then.status(200)
            .header("content-type", "application/json")
            .body(body);
    });
    server
}

fn assert_inert(what: &str, text: &str) {
    if let Some(c) = text.chars().find(|c| ACTING.contains(c)) {
        panic!("{what} holds {c:?} unescaped: {text:?}");
    }
    assert!(text.contains("PWNED"), "{what} lost the values: {text:?}");
}

/// The service's command and environment for `url`.
struct Service {
    command: &'static [&'static str],
    url_variable: &'static str,
    key_variable: &'static str,
    key: &'static str,
}

const ELASTICSEARCH: Service = Service {
    command: &["es", "list"],
    url_variable: "ELASTICSEARCH_URL",
    key_variable: "ELASTIC_API_KEY",
    key: ELASTIC_API_KEY,
};

const CLOUD: Service = Service {
    command: &["cloud", "list"],
    url_variable: "EC_API_URL",
    key_variable: "EC_API_KEY",
    key: EC_API_KEY,
};

/// Every format of `service`'s list against `server`: the table and JSON piped, CSV and the
/// table on a terminal. Returns the piped JSON.
fn every_format(service: &Service, server: &MockServer) -> String {
    let url = server.base_url();
    let env = [
        (service.url_variable, url.as_str()),
        (service.key_variable, service.key),
    ];
    let mut command = service.command.to_vec();
    command.extend(["--as-of", AS_OF, "-o"]);
    let run = |format: &str| {
        let mut args = command.clone();
        args.push(format);
        let run = apikeys(&args, &env);
        assert_eq!(run.status, 0, "{}", run.transcript());
        run
    };
    assert_inert("the piped table", &run("table").stdout);
    let json = run("json");
    assert_inert("the piped JSON", &json.stdout);
    // The ids of keys that expire, in the message on stderr.
    let mut expiring = command.clone();
    expiring.extend(["csv", "--fail-if-expiring", "36500d"]);
    let expiring = apikeys(&expiring, &env);
    assert_eq!(expiring.status, 3, "{}", expiring.transcript());
    assert_inert("stderr", &expiring.stderr);
    for format in ["table", "csv"] {
        // Wide enough that no value is cut before its planted text.
        let line = format!(
            "stty rows 50 cols 1000 && \"$APIKEYS\" {} {format}",
            command.join(" ")
        );
        let output = in_pseudo_terminal(&line, &env);
        assert!(output.status.success(), "{output:?}");
        let shown = String::from_utf8(output.stdout).unwrap();
        assert_inert(&format!("{format} on a terminal"), &shown);
        if format == "csv" {
            let cells = shown.replace("\r\n", "\n");
            let mut reader = csv::Reader::from_reader(cells.as_bytes());
            for record in reader.records() {
                for cell in record.unwrap().iter() {
                    assert!(!cell.starts_with('='), "a formula: {cell:?}");
                }
            }
        }
    }
    json.stdout
}

#[test]
fn every_string_elasticsearch_sends_is_inert_in_every_format() {
    let (body, sent): (String, GetApiKeyResponse) = planted("es-cluster.json");
    let server = serving("/_security/api_key", &body);
    let json = every_format(&ELASTICSEARCH, &server);
    let printed: GetApiKeyResponse = serde_json::from_str(&json).unwrap();
    assert_eq!(printed, sent, "JSON decodes to exactly what was sent");
}

#[test]
fn every_string_elastic_cloud_sends_is_inert_in_every_format() {
    let (body, sent): (String, ApiKeysResponse) = planted("cloud-keys.json");
    let server = serving("/users/auth/keys", &body);
    let json = every_format(&CLOUD, &server);
    let printed: ApiKeysResponse = serde_json::from_str(&json).unwrap();
    assert_eq!(printed, sent, "JSON decodes to exactly what was sent");
}
