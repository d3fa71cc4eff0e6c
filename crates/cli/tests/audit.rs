//! `apikeys audit`: several targets read at once, one of them down.

mod support;

use elastic_apikeys_client::cloud::types::ApiKeysResponse;
use elastic_apikeys_client::elasticsearch::types::GetApiKeyResponse;
use elastic_apikeys_mock::cloud::MockServerExt as _;
use elastic_apikeys_mock::elasticsearch::MockServerExt as _;
use elastic_apikeys_mock::httpmock::MockServer;
use support::{AS_OF, EC_API_KEY, ELASTIC_API_KEY, Run, apikeys, body};

/// A config file of three targets: a cluster, an Elastic Cloud organisation and a cluster that
/// is down.
fn targets(dir: &tempfile::TempDir, es: &MockServer, cloud: &MockServer) -> String {
    let path = dir.path().join("config.toml");
    support::write_config(
        &path,
        &format!(
            "[profiles.prod]\nservice = \"elasticsearch\"\nurl = \"{}\"\n\
             api_key = {{ env = \"PROD_KEY\" }}\n\n\
             [profiles.org]\nservice = \"cloud\"\nurl = \"{}\"\napi_key = {{ env = \"ORG_KEY\" }}\n\n\
             [profiles.down]\nservice = \"elasticsearch\"\nurl = \"http://127.0.0.1:9\"\n\
             api_key = {{ env = \"PROD_KEY\" }}\n",
            es.base_url(),
            cloud.base_url()
        ),
    );
    path.to_str().unwrap().to_string()
}

fn servers() -> (MockServer, MockServer) {
    let es = MockServer::start();
    let keys: GetApiKeyResponse = body("es-cluster.json");
    es.security_get_api_key(|when, then| {
        when.into_inner()
            .header("authorization", format!("ApiKey {ELASTIC_API_KEY}"));
        then.ok(&keys);
    });
    let cloud = MockServer::start();
    let list: ApiKeysResponse = body("cloud-keys.json");
    cloud.get_api_keys(|when, then| {
        when.into_inner()
            .header("authorization", format!("ApiKey {EC_API_KEY}"));
        then.ok(&list);
    });
    (es, cloud)
}

fn audit(config: &str, args: &[&str]) -> Run {
    let mut all = vec!["audit"];
    all.extend_from_slice(args);
    apikeys(
        &all,
        &[
            ("APIKEYS_CONFIG", config),
            ("PROD_KEY", ELASTIC_API_KEY),
            ("ORG_KEY", EC_API_KEY),
        ],
    )
}

#[test]
fn one_target_down_is_reported_and_the_others_are_listed() {
    let (es, cloud) = servers();
    let dir = tempfile::tempdir().unwrap();
    let config = targets(&dir, &es, &cloud);
    let run = audit(&config, &["-o", "csv", "--as-of", AS_OF]);
    assert_eq!(run.status, 6, "{}", run.transcript());
    let targets: Vec<&str> = run
        .stdout
        .lines()
        .skip(1)
        .map(|line| line.split(',').next().unwrap())
        .collect();
    assert!(
        targets.contains(&"prod") && targets.contains(&"org"),
        "{}",
        run.transcript()
    );
    assert_eq!(targets.iter().filter(|t| **t == "prod").count(), 6);
    assert!(run.stderr.contains("error: down: "), "{}", run.transcript());
}

#[test]
fn the_targets_named_are_the_ones_read_and_the_checks_apply_to_all() {
    let (es, cloud) = servers();
    let dir = tempfile::tempdir().unwrap();
    let config = targets(&dir, &es, &cloud);
    let run = audit(
        &config,
        &[
            "--profile",
            "prod",
            "--profile",
            "org",
            "--as-of",
            AS_OF,
            "--require-expiration",
            "-o",
            "json",
        ],
    );
    assert_eq!(run.status, 4, "{}", run.transcript());
    let keys: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert!(
        keys.as_array()
            .unwrap()
            .iter()
            .any(|k| k["target"] == "org")
    );
    assert!(
        run.stderr
            .contains("policy: zJ4I7U0Nw4c3JI9s_L1m: never expires"),
        "{}",
        run.transcript()
    );
    assert!(!run.stderr.contains("error:"), "{}", run.transcript());
}

/// A key of one target that cannot be read is named with its target; every other key of every
/// target is listed, and the target that is down still decides the status (6 wins over 7).
#[test]
fn a_key_that_cannot_be_read_is_named_with_its_target() {
    let es = MockServer::start();
    let mut keys = serde_json::to_value(body::<GetApiKeyResponse>("es-cluster.json")).unwrap();
    keys["api_keys"][0]["invalidated"] = "no".into();
    let unreadable = keys["api_keys"][0]["id"].as_str().unwrap().to_string();
    es.mock(|when, then| {
        when.path("/_security/api_key");
        then.status(200)
            .header("content-type", "application/json")
            .json_body(keys.clone());
    });
    let (_, cloud) = servers();
    let dir = tempfile::tempdir().unwrap();
    let config = targets(&dir, &es, &cloud);
    let run = audit(&config, &["-o", "csv", "--as-of", AS_OF]);
    assert_eq!(run.status, 6, "{}", run.transcript());
    assert!(
        run.stderr.contains(&format!(
            "error: prod: API key {unreadable} (number 1 of the list) could not be read"
        )),
        "{}",
        run.transcript()
    );
    assert!(!run.stdout.contains(&unreadable), "{}", run.transcript());
    let second = keys["api_keys"][1]["id"].as_str().unwrap();
    assert!(run.stdout.contains(second), "{}", run.transcript());
}

/// A target's error reason is the server's text: escape sequences in it (a window title, a
/// screen clear, colours, a bidirectional override) are escaped as in every other error.
#[test]
fn a_targets_error_cannot_drive_the_terminal() {
    let es = MockServer::start();
    es.mock(|when, then| {
        when.path("/_security/api_key");
        then.status(500)
            .header("content-type", "application/json")
            .json_body(serde_json::json!({
                "error": {
                    "type": "exception",
                    "reason": "boom\u{1b}]0;pwned\u{7}\u{1b}[2J\u{1b}[31mred\u{202e}desrever"
                },
                "status": 500
            }));
    });
    let (_, cloud) = servers();
    let dir = tempfile::tempdir().unwrap();
    let config = targets(&dir, &es, &cloud);
    let run = audit(&config, &["-o", "csv", "--as-of", AS_OF]);
    assert_eq!(run.status, 6, "{}", run.transcript());
    assert!(run.stderr.contains("boom"), "{}", run.transcript());
    for raw in ['\u{1b}', '\u{7}', '\u{202e}'] {
        assert!(!run.stderr.contains(raw), "{raw:?}: {}", run.transcript());
    }
}

/// Two clusters, one with the query API and one without, each asked only for the members the
/// audit reads.
#[test]
fn each_cluster_is_asked_only_for_what_the_audit_reads_in_pages_where_it_can() {
    use elastic_apikeys_tests::bodies;
    use elastic_apikeys_tests::es_server::{Cluster, QueryApi};

    let now = chrono::DateTime::parse_from_rfc3339(AS_OF)
        .unwrap()
        .timestamp_millis();
    let paged = Cluster::new(&bodies::elasticsearch_keys(300), now).serve();
    let old = Cluster::new(&bodies::elasticsearch_keys(200), now)
        .with_query_api(QueryApi::Missing)
        .serve();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    support::write_config(
        &path,
        &format!(
            "[profiles.new]\nservice = \"elasticsearch\"\nurl = \"{}\"\n\
             api_key = {{ env = \"PROD_KEY\" }}\n\n\
             [profiles.old]\nservice = \"elasticsearch\"\nurl = \"{}\"\n\
             api_key = {{ env = \"PROD_KEY\" }}\n",
            paged.url(),
            old.url()
        ),
    );
    let config = path.to_str().unwrap();
    let run = audit(config, &["-o", "csv", "--as-of", AS_OF]);
    assert_eq!(run.status, 0, "{}", run.transcript());
    let targets: Vec<&str> = run
        .stdout
        .lines()
        .skip(1)
        .map(|line| line.split(',').next().unwrap())
        .collect();
    assert_eq!(targets.iter().filter(|t| **t == "new").count(), 300);
    assert_eq!(targets.iter().filter(|t| **t == "old").count(), 200);
    let members = "api_keys.id,api_keys.name,api_keys.type,api_keys.username,api_keys.realm,\
                   api_keys.creation,api_keys.expiration,api_keys.invalidated";
    let seen = paged.seen();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].path, "/_security/_query/api_key");
    assert_eq!(
        seen[0].param("filter_path"),
        Some(format!("{members},total,api_keys._sort").as_str())
    );
    let seen = old.seen();
    assert_eq!(seen.len(), 2, "the query API, refused, then the GET");
    assert_eq!(seen[1].path, "/_security/api_key");
    assert_eq!(seen[1].param("filter_path"), Some(members));

    // JSON is still one list of every key, written as the keys arrive.
    let run = audit(config, &["-o", "json", "--as-of", AS_OF]);
    assert_eq!(run.status, 0, "{}", run.transcript());
    let keys: Vec<serde_json::Value> = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(keys.len(), 500);
    assert_eq!(keys[0]["target"], "new");
    assert_eq!(keys[499]["target"], "old");
}
