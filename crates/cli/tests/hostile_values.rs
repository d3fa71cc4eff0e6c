//! Values a key's creator chose, in the formats for programs: JSON that decodes to exactly what
//! the cluster sent yet carries no character a terminal acts on, and CSV that a spreadsheet
//! opens as text unless `--csv-exact` asks for the values as they are.

mod support;

use elastic_apikeys_client::elasticsearch::types::GetApiKeyResponse;
use elastic_apikeys_mock::elasticsearch::MockServerExt;
use elastic_apikeys_mock::httpmock::MockServer;
use support::{AS_OF, ELASTIC_API_KEY, Run, apikeys, body};

/// Names that would drive a terminal or hide what they are.
const HOSTILE: [&str; 6] = [
    "x\u{1b}]0;PWNED\u{7}y",
    "\u{1b}[2J\u{1b}[H",
    "admin\u{e0041}\u{e0042}",
    "abc\u{202e}fed\u{2066}",
    "csi\u{9b}31m",
    "soft\u{ad}hyphen\u{2028}",
];

/// The README's cluster with `names` given to its first keys, and `ids` as their ids.
fn keys(names: &[&str], ids: &[&str]) -> GetApiKeyResponse {
    let mut keys: GetApiKeyResponse = body("es-cluster.json");
    for (key, name) in keys.api_keys.iter_mut().zip(names) {
        key.name = Some((*name).into());
    }
    for (key, id) in keys.api_keys.iter_mut().zip(ids) {
        key.id = (*id).into();
    }
    keys
}

/// `apikeys es list` with `args` against a cluster that answers with `keys`.
fn list(keys: &GetApiKeyResponse, args: &[&str]) -> Run {
    let server = MockServer::start();
    server.security_get_api_key(|_, then| {
        then.ok(keys);
    });
    let url = server.base_url();
    let mut all = vec!["es", "list"];
    all.extend_from_slice(args);
    apikeys(
        &all,
        &[
            ("ELASTICSEARCH_URL", &url),
            ("ELASTIC_API_KEY", ELASTIC_API_KEY),
        ],
    )
}

/// The records of a CSV report, header included.
fn records(csv: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(csv.as_bytes())
        .records()
        .map(|record| record.unwrap().iter().map(str::to_string).collect())
        .collect()
}

#[test]
fn json_decodes_to_the_model_and_carries_no_terminal_controls() {
    let sent = keys(&HOSTILE, &[]);
    let run = list(&sent, &["-o", "json"]);
    assert_eq!(run.status, 0, "{}", run.transcript());
    let printed: GetApiKeyResponse = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(printed, sent, "lossless");
    let raw: Vec<char> = run
        .stdout
        .chars()
        .filter(|c| {
            (c.is_control() && *c != '\n')
                || matches!(c, '\u{ad}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
                || matches!(c, '\u{2028}' | '\u{2029}' | '\u{e0000}'..='\u{e007f}')
        })
        .collect();
    assert!(raw.is_empty(), "{raw:?} in {}", run.stdout);
    assert!(
        run.stdout.contains(r#""name": "x\u001b]0;PWNED\u0007y""#),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains(r"admin\udb40\udc41\udb40\udc42"));
    assert!(run.stdout.contains(r"abc\u202efed\u2066"));
}

#[test]
fn csv_values_that_start_like_formulas_open_as_text() {
    let names = [
        "=HYPERLINK(\"http://evil\",\"x\")",
        "+1+1",
        "@SUM(A1)",
        "\t=1",
    ];
    let ids = ["-VuaCfGcBCdbkQm", "k4VqG5sBq0PtYh3cE1mW"];
    let sent = keys(&names, &ids);

    let run = list(&sent, &["-o", "csv", "--as-of", AS_OF]);
    assert_eq!(run.status, 0, "{}", run.transcript());
    let rows = records(&run.stdout);
    assert_eq!(rows[0][..2], ["id", "name"]);
    assert_eq!(
        rows[1][..2],
        ["'-VuaCfGcBCdbkQm", "'=HYPERLINK(\"http://evil\",\"x\")"]
    );
    assert_eq!(rows[2][..2], ["k4VqG5sBq0PtYh3cE1mW", "'+1+1"]);
    assert_eq!(rows[3][1], "'@SUM(A1)");
    assert_eq!(rows[4][1], "'\t=1");
    assert_eq!(rows[5][1], "backup-2025", "other values are as sent");

    let exact = list(&sent, &["-o", "csv", "--csv-exact", "--as-of", AS_OF]);
    assert_eq!(exact.status, 0, "{}", exact.transcript());
    let rows = records(&exact.stdout);
    assert_eq!(rows[1][..2], [ids[0], names[0]]);
    for (row, name) in rows[1..5].iter().zip(names) {
        assert_eq!(row[1], name);
    }
}
