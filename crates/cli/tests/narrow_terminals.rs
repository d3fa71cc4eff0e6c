//! Tables on narrow terminals: at 80 and at 60 columns, in a pseudo-terminal, every id of
//! `es list`, `es query`, `cloud list` and `audit` is whole (so that it pastes into
//! `es invalidate --id`), and every date shown is whole. The columns that matter least give way
//! first, and the count says which are not shown.

mod support;

use chrono::{DateTime, Utc};
use elastic_apikeys_client::cloud::types::ApiKeysResponse;
use elastic_apikeys_client::elasticsearch::types::GetApiKeyResponse;
use elastic_apikeys_mock::cloud::MockServerExt as _;
use elastic_apikeys_mock::elasticsearch::MockServerExt as _;
use elastic_apikeys_mock::httpmock::MockServer;
use support::{AS_OF, EC_API_KEY, ELASTIC_API_KEY, body, in_pseudo_terminal};
use unicode_width::UnicodeWidthStr;

/// A key as the table must show it: its id, and its dates as `YYYY-MM-DD HH:MM`.
struct Shown {
    id: String,
    created: Option<String>,
    expires: Option<String>,
}

fn minutes(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%d %H:%M").to_string()
}

fn es_keys() -> (GetApiKeyResponse, Vec<Shown>) {
    let keys: GetApiKeyResponse = body("es-cluster.json");
    let shown = keys
        .api_keys
        .iter()
        .map(|key| Shown {
            id: key.id.to_string(),
            created: DateTime::from_timestamp_millis(key.creation).map(minutes),
            expires: key
                .expiration
                .and_then(DateTime::from_timestamp_millis)
                .map(minutes),
        })
        .collect();
    (keys, shown)
}

fn cloud_keys() -> (ApiKeysResponse, Vec<Shown>) {
    let keys: ApiKeysResponse = body("cloud-keys.json");
    let shown = keys
        .keys
        .iter()
        .map(|key| Shown {
            id: key.id.to_string(),
            created: Some(minutes(key.creation_date)),
            expires: key.expiration_date.map(minutes),
        })
        .collect();
    (keys, shown)
}

/// What a terminal `columns` wide shows of `command` (after `$APIKEYS`), `\r\n` made `\n`.
fn on_a_terminal(columns: usize, command: &str, env: &[(&str, &str)]) -> String {
    let line = format!("stty cols {columns} rows 40 && \"$APIKEYS\" {command} --as-of {AS_OF}");
    let output = in_pseudo_terminal(&line, env);
    let text = String::from_utf8(output.stdout)
        .expect("the terminal shows UTF-8")
        .replace("\r\n", "\n");
    assert!(output.status.success(), "{command}:\n{text}");
    text
}

/// Checks that `table`, shown `columns` wide, has every key of `keys` whole (its id, its expiry,
/// and its creation where the column is shown), and that its rows fit unless `wraps`: when
/// even the columns that give nothing (the audit's target, the id, the expiry's date, the
/// status) are wider than the terminal, which wraps the row rather than cut an id.
fn assert_whole(table: &str, keys: &[Shown], columns: usize, what: &str, wraps: bool) {
    let context = format!("{what} at {columns} columns:\n{table}");
    let header = table.lines().next().unwrap_or_default();
    for line in table
        .lines()
        .filter(|line| keys.iter().any(|key| line.contains(&key.id)))
    {
        assert!(wraps || line.width() <= columns, "{context}");
    }
    if wraps {
        assert_eq!(
            header.split("  ").filter(|title| !title.is_empty()).count(),
            4,
            "everything that can give way has: {context}"
        );
    }
    for key in keys {
        let row = table
            .lines()
            .find(|line| line.split_whitespace().any(|word| word == key.id))
            .unwrap_or_else(|| panic!("the id {} is not whole: {context}", key.id));
        match &key.expires {
            Some(expires) => assert!(row.contains(expires), "{expires}: {context}"),
            None => assert!(row.contains("never"), "{context}"),
        }
        if header.contains("CREATED")
            && let Some(created) = &key.created
        {
            assert!(row.contains(created), "{created}: {context}");
        }
    }
}

#[test]
fn ids_and_dates_stay_whole_at_eighty_and_sixty_columns() {
    let (es, es_shown) = es_keys();
    let (cloud, cloud_shown) = cloud_keys();
    let cluster = MockServer::start();
    cluster.security_get_api_key(|_, then| {
        then.ok(&es);
    });
    let query_answer = serde_json::json!({
        "total": es.api_keys.len(), "count": es.api_keys.len(), "api_keys": es.api_keys
    });
    cluster.security_query_api_keys(|when, then| {
        when.into_inner().any_request();
        then.into_inner()
            .status(200)
            .header("content-type", "application/json")
            .json_body(query_answer);
    });
    let organisation = MockServer::start();
    organisation.get_api_keys(|_, then| {
        then.ok(&cloud);
    });
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    support::write_config(
        &config,
        &format!(
            "[profiles.prod]\nservice = \"elasticsearch\"\nurl = \"{}\"\n\
             api_key = {{ env = \"PROD_KEY\" }}\n\n\
             [profiles.org]\nservice = \"cloud\"\nurl = \"{}\"\napi_key = {{ env = \"ORG_KEY\" }}\n",
            cluster.base_url(),
            organisation.base_url()
        ),
    );
    let es_url = cluster.base_url();
    let cloud_url = organisation.base_url();
    let config = config.to_str().unwrap();
    let env = [
        ("ELASTICSEARCH_URL", es_url.as_str()),
        ("ELASTIC_API_KEY", ELASTIC_API_KEY),
        ("EC_API_URL", cloud_url.as_str()),
        ("EC_API_KEY", EC_API_KEY),
        ("APIKEYS_CONFIG", config),
        ("PROD_KEY", ELASTIC_API_KEY),
        ("ORG_KEY", EC_API_KEY),
    ];
    let mut audit_shown = es_keys().1;
    audit_shown.extend(cloud_keys().1);
    let commands: [(&str, &[Shown]); 4] = [
        ("es list", &es_shown),
        ("es query --size 100", &es_shown),
        ("cloud list", &cloud_shown),
        ("audit", &audit_shown),
    ];
    for columns in [80, 60] {
        for (command, keys) in commands {
            let table = on_a_terminal(columns, command, &env);
            // The audit's target, a Cloud id, a date and a status take 69 columns.
            let wraps = command == "audit" && columns < 69;
            assert_whole(&table, keys, columns, command, wraps);
        }
    }
    // The columns that give way are named, for a terminal that hides them.
    let narrow = on_a_terminal(60, "es list", &env);
    assert!(
        narrow.ends_with("6 keys; not shown: TYPE, OWNER, REALM, CREATED\n"),
        "{narrow}"
    );
}
