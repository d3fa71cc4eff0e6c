//! The report on a real terminal, and the same report piped: `script` (util-linux) runs `apikeys`
//! with its stdout on a pseudo-terminal and records what reaches it.
//!
//! A terminal gets a table that fits its width and CSV with control characters escaped; a pipe
//! gets every value whole and exact.

mod support;

use elastic_apikeys_client::elasticsearch::types::GetApiKeyResponse;
use elastic_apikeys_mock::elasticsearch::MockServerExt;
use elastic_apikeys_mock::httpmock::MockServer;
use support::{AS_OF, ELASTIC_API_KEY, apikeys, body, in_pseudo_terminal};
use unicode_width::UnicodeWidthStr;

/// A mock cluster that answers every `GET /_security/api_key` with `keys`.
fn cluster(keys: &GetApiKeyResponse) -> MockServer {
    let server = MockServer::start();
    server.security_get_api_key(|_, then| {
        then.ok(keys);
    });
    server
}

/// What a terminal shows when a shell on it runs `stty {stty}` and then `apikeys es list` with
/// `args` against `server`, with `env` added to the environment; `\r\n` made `\n` again.
fn on_a_terminal(server: &MockServer, stty: &str, args: &[&str], env: &[(&str, &str)]) -> String {
    let quoted: Vec<String> = args.iter().map(|arg| format!("'{arg}'")).collect();
    let command = format!("stty {stty} && \"$APIKEYS\" es list {}", quoted.join(" "));
    let url = server.base_url();
    let mut all = vec![
        ("ELASTICSEARCH_URL", url.as_str()),
        ("ELASTIC_API_KEY", ELASTIC_API_KEY),
    ];
    all.extend_from_slice(env);
    let output = in_pseudo_terminal(&command, &all);
    assert!(output.status.success(), "{output:?}");
    String::from_utf8(output.stdout)
        .expect("the terminal shows UTF-8")
        .replace("\r\n", "\n")
}

/// The widest line of `text`, in display columns.
fn widest(text: &str) -> usize {
    text.lines().map(UnicodeWidthStr::width).max().unwrap_or(0)
}

#[test]
fn the_table_fits_an_eighty_column_terminal() {
    let server = cluster(&body("es-cluster.json"));
    let piped = apikeys(
        &["es", "list", "--as-of", AS_OF],
        &[
            ("ELASTICSEARCH_URL", &server.base_url()),
            ("ELASTIC_API_KEY", ELASTIC_API_KEY),
        ],
    );
    assert!(widest(&piped.stdout) > 80, "{}", piped.stdout);

    let shown = on_a_terminal(&server, "cols 80 rows 24", &["--as-of", AS_OF], &[]);
    assert_eq!(
        shown.lines().count(),
        8,
        "headers, six keys, a count:\n{shown}"
    );
    assert!(widest(&shown) <= 80, "{shown}");
    let lines: Vec<&str> = shown.lines().collect();
    assert!(lines[0].starts_with("ID  "), "{shown}");
    assert!(lines[1].starts_with("VuaCfGcBCdbkQm-e5aOx  "), "{shown}");
    assert!(lines[2].contains("logstash…"), "{shown}");
    assert_eq!(lines[7], "6 keys; not shown: TYPE, OWNER, REALM");
    // The same rows, in the same order, as the piped table.
    for (row, piped_row) in lines[1..7].iter().zip(piped.stdout.lines().skip(1)) {
        assert_eq!(row.get(..5), piped_row.get(..5), "{shown}");
    }
}

#[test]
fn the_table_follows_the_terminal_s_width_and_columns_wins() {
    let server = cluster(&body("es-cluster.json"));
    let narrow = on_a_terminal(&server, "cols 70 rows 24", &["--as-of", AS_OF], &[]);
    assert!(widest(&narrow) <= 70, "{narrow}");
    assert!(
        widest(&narrow) > 60,
        "the table uses the width it has: {narrow}"
    );

    let wider = on_a_terminal(
        &server,
        "cols 70 rows 24",
        &["--as-of", AS_OF],
        &[("COLUMNS", "100")],
    );
    assert!(widest(&wider) <= 100, "{wider}");
    assert!(widest(&wider) > 90, "COLUMNS beats the terminal: {wider}");
}

#[test]
fn csv_on_a_terminal_is_escaped_and_csv_in_a_pipe_is_exact() {
    let mut keys: GetApiKeyResponse = body("es-cluster.json");
    keys.api_keys[0].name = Some("x\u{1b}]0;PWNED\u{7}y".into());
    keys.api_keys[1].name = Some("\u{1b}[2J\u{1b}[H".into());
    keys.api_keys[2].name = Some("admin\u{e0041}\u{e0042}\u{202e}".into());
    let server = cluster(&keys);
    for exact in [&[][..], &["--csv-exact"][..]] {
        let mut args = vec!["-o", "csv"];
        args.extend_from_slice(exact);
        let shown = on_a_terminal(&server, "cols 80 rows 24", &args, &[]);
        assert!(
            !shown.contains(['\u{1b}', '\u{7}', '\u{e0041}', '\u{202e}']),
            "{shown:?}"
        );
        assert!(shown.contains(r"x\u{1b}]0;PWNED\u{7}y"), "{shown}");
        assert!(shown.contains(r"\u{1b}[2J\u{1b}[H"), "{shown}");
        assert!(
            shown.contains(r"admin\u{e0041}\u{e0042}\u{202e}"),
            "{shown}"
        );
        // CSV is never cut, even on a terminal.
        assert_eq!(shown.lines().count(), 7, "{shown}");
    }

    let piped = apikeys(
        &["es", "list", "-o", "csv"],
        &[
            ("ELASTICSEARCH_URL", &server.base_url()),
            ("ELASTIC_API_KEY", ELASTIC_API_KEY),
        ],
    );
    let names: Vec<String> = csv::Reader::from_reader(piped.stdout.as_bytes())
        .records()
        .map(|record| record.unwrap()[1].to_string())
        .collect();
    assert_eq!(
        names[..3],
        [
            "x\u{1b}]0;PWNED\u{7}y",
            "\u{1b}[2J\u{1b}[H",
            "admin\u{e0041}\u{e0042}\u{202e}"
        ],
        "a pipe gets the names exactly"
    );
}

#[test]
fn piped_tables_are_never_cut() {
    let name = format!("{}-end", "n".repeat(10_000));
    let mut keys: GetApiKeyResponse = body("es-cluster.json");
    keys.api_keys[0].name = Some(name.as_str().into());
    let server = cluster(&keys);
    // COLUMNS says how wide a terminal is: a pipe is no terminal, and its reader gets it all.
    let run = apikeys(
        &["es", "list", "--as-of", AS_OF],
        &[
            ("ELASTICSEARCH_URL", &server.base_url()),
            ("ELASTIC_API_KEY", ELASTIC_API_KEY),
            ("COLUMNS", "80"),
        ],
    );
    assert_eq!(run.status, 0, "{}", run.transcript());
    assert!(run.stdout.contains(&name), "the name is whole");
    assert!(!run.stdout.contains('…'));
    assert_eq!(run.stdout.lines().count(), 8);
    assert!(widest(&run.stdout) > 10_000);

    // The same list on a terminal: the name is cut, every row is still one line.
    let shown = on_a_terminal(&server, "cols 80 rows 24", &["--as-of", AS_OF], &[]);
    assert!(!shown.contains(&name), "{shown}");
    assert_eq!(shown.lines().count(), 8, "{shown}");
    assert!(widest(&shown) <= 80, "{shown}");
}
