//! Large response bodies in the real shapes, for benchmarks and streaming tests.
//!
//! `GET /_security/api_key` on a cluster with 100,000 keys sends about 140 MB. The generator writes
//! such bodies deterministically (a fixed seed): mostly `rest` keys with role descriptors, a
//! `limited_by` that is most often the same superuser role, metadata, escaped `query` strings,
//! some cross-cluster keys with `access`, some invalidated keys and some from clusters older than
//! 8.10 (no `type`).

use std::fmt::Write as _;

use serde_json::{Value, json};

/// A small deterministic generator (SplitMix64): benchmarks must measure the same bodies on every
/// run and machine.
struct Seeded(u64);

impl Seeded {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }

    fn id(&mut self) -> String {
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        (0..20)
            .map(|_| ALPHABET[self.below(64) as usize] as char)
            .collect()
    }
}

const USERS: &[&str] = &[
    "elastic",
    "kibana_system",
    "elastic/fleet-server",
    "ingest-bot",
    "3039038030",
    "4120593411",
    "alice",
    "bob",
    "carol",
    "ci-runner",
    "logstash_writer",
    "apm-server",
];
const REALMS: &[(&str, &str)] = &[
    ("default_native", "native"),
    ("reserved", "reserved"),
    ("cloud-saml-kibana-0a1b2c3d4e5f", "saml"),
    ("file1", "file"),
    ("_service_account", "_service_account"),
];
const CLUSTER: &[&str] = &[
    "monitor",
    "manage_index_templates",
    "manage_ilm",
    "read_ccr",
    "monitor_ml",
];
const INDEX_PRIVILEGES: &[&str] = &[
    "read",
    "write",
    "create_doc",
    "view_index_metadata",
    "auto_configure",
    "maintenance",
];
const PATTERNS: &[&str] = &[
    "logs-*",
    "metrics-*",
    "traces-apm-*",
    "orders",
    "products-eu",
    ".ds-logs-*",
    "filebeat-*",
];

fn superuser() -> Value {
    json!({"superuser": {
        "cluster": ["all"],
        "indices": [
            {"names": ["*"], "privileges": ["all"], "allow_restricted_indices": false},
            {"names": ["*"], "privileges": ["monitor", "read", "view_index_metadata", "read_cross_cluster"], "allow_restricted_indices": true}
        ],
        "applications": [{"application": "*", "privileges": ["*"], "resources": ["*"]}],
        "run_as": ["*"],
        "metadata": {"_reserved": true},
        "transient_metadata": {"enabled": true}
    }})
}

fn role(rng: &mut Seeded) -> Value {
    let mut indices = Vec::new();
    for _ in 0..=rng.below(2) {
        let mut entry = json!({
            "names": [rng.pick(PATTERNS), rng.pick(PATTERNS)],
            "privileges": [rng.pick(INDEX_PRIVILEGES), rng.pick(INDEX_PRIVILEGES)],
            "allow_restricted_indices": false
        });
        if rng.chance(25) {
            entry["query"] = Value::from(format!(
                r#"{{"bool":{{"filter":[{{"term":{{"tenant":"t-{}"}}}},{{"range":{{"@timestamp":{{"gte":"now-{}d"}}}}}}]}}}}"#,
                rng.below(500),
                rng.below(90)
            ));
        }
        if rng.chance(10) {
            entry["field_security"] =
                json!({"grant": ["@timestamp", "message", "host.*"], "except": ["host.ip"]});
        }
        indices.push(entry);
    }
    json!({
        "cluster": [rng.pick(CLUSTER)],
        "indices": indices,
        "applications": [],
        "run_as": [],
        "metadata": {},
        "transient_metadata": {"enabled": true}
    })
}

fn rest_key(rng: &mut Seeded, index: usize, legacy: bool) -> Value {
    let creation = 1_600_000_000_000i64 + rng.below(200_000_000_000) as i64;
    let (realm, realm_type) = REALMS[rng.below(REALMS.len() as u64) as usize];
    let mut key = json!({
        "id": rng.id(),
        "name": format!("key-{index}-{}", rng.pick(&["ingest", "dashboards", "ci", "backup", "alerts"])),
    });
    if !legacy {
        key["type"] = Value::from("rest");
    }
    key["creation"] = Value::from(creation);
    if rng.chance(70) {
        key["expiration"] = Value::from(creation + 7_776_000_000);
    }
    let invalidated = rng.chance(10);
    key["invalidated"] = Value::from(invalidated);
    if invalidated && !legacy {
        key["invalidation"] = Value::from(creation + 86_400_000);
    }
    key["username"] = Value::from(rng.pick(USERS));
    key["realm"] = Value::from(realm);
    if !legacy {
        key["realm_type"] = Value::from(realm_type);
    }
    key["metadata"] = json!({
        "application": format!("app-{}", rng.below(40)),
        "environment": rng.pick(&["prod", "staging", "dev"]),
        "team": rng.pick(&["platform", "search", "observability", "security"]),
        "tags": ["managed", rng.pick(&["terraform", "manual", "fleet"])],
        "cost_center": rng.below(10_000),
    });
    let mut roles = serde_json::Map::new();
    if !rng.chance(15) {
        for n in 0..=rng.below(2) {
            roles.insert(format!("role-{}", n), role(rng));
        }
    }
    key["role_descriptors"] = Value::Object(roles);
    key["limited_by"] = if rng.chance(70) {
        json!([superuser()])
    } else {
        json!([{ "viewer": role(rng) }])
    };
    key
}

fn cross_cluster_key(rng: &mut Seeded, index: usize) -> Value {
    let pattern = rng.pick(PATTERNS);
    let query = format!(r#"{{"term":{{"shared":true,"tier":{}}}}}"#, rng.below(3));
    json!({
        "id": rng.id(),
        "name": format!("ccs-{index}"),
        "type": "cross_cluster",
        "creation": 1_700_000_000_000i64 + rng.below(50_000_000_000) as i64,
        "invalidated": false,
        "username": "elastic",
        "realm": "reserved",
        "realm_type": "reserved",
        "metadata": {"purpose": "dr"},
        "role_descriptors": {"cross_cluster": {
            "cluster": ["cross_cluster_search", "monitor_enrich", "cross_cluster_replication"],
            "indices": [
                {"names": [pattern], "privileges": ["read", "read_cross_cluster", "view_index_metadata"], "query": query, "allow_restricted_indices": false},
                {"names": ["archive-*"], "privileges": ["cross_cluster_replication", "cross_cluster_replication_internal"], "allow_restricted_indices": false}
            ],
            "applications": [], "run_as": [], "metadata": {}, "transient_metadata": {"enabled": true}
        }},
        "access": {
            "search": [{"names": [pattern], "query": query, "allow_restricted_indices": false}],
            "replication": [{"names": ["archive-*"], "allow_restricted_indices": false}]
        }
    })
}

/// A `GET /_security/api_key?with_limited_by=true` body with `keys` keys, compact as
/// Elasticsearch sends it without `?pretty`.
pub fn elasticsearch_keys(keys: usize) -> String {
    let mut rng = Seeded(0x5EED_0000 + keys as u64);
    let mut body = String::with_capacity(keys * 1500);
    body.push_str(r#"{"api_keys":["#);
    for index in 0..keys {
        if index > 0 {
            body.push(',');
        }
        let key = match rng.below(100) {
            0..10 => cross_cluster_key(&mut rng, index),
            10..15 => rest_key(&mut rng, index, true),
            _ => rest_key(&mut rng, index, false),
        };
        write!(body, "{key}").unwrap();
    }
    body.push_str("]}");
    body
}

/// A `GET /users/auth/keys` body with `keys` Elastic Cloud keys, with role assignments.
pub fn cloud_keys(keys: usize) -> String {
    let mut rng = Seeded(0xC10D + keys as u64);
    let list: Vec<Value> = (0..keys)
        .map(|index| {
            let org = format!("{}", 1_000_000_000 + rng.below(5));
            let mut key = json!({
                "id": format!("{:032x}", rng.next() as u128 * 7919),
                "user_id": format!("{}", 2_000_000_000 + rng.below(50)),
                "organization_id": org,
                "description": format!("automation key {index}"),
                "creation_date": format!("2025-{:02}-{:02}T{:02}:15:02.214Z", 1 + rng.below(12), 1 + rng.below(28), rng.below(24)),
            });
            if rng.chance(60) {
                key["expiration_date"] = Value::from(format!("2026-{:02}-01T00:00:00Z", 1 + rng.below(12)));
            }
            key["role_assignments"] = json!({
                "organization": [{"role_id": rng.pick(&["organization-admin", "billing-admin"]), "organization_id": org}],
                "deployment": [{"role_id": rng.pick(&["deployment-viewer", "deployment-editor", "deployment-admin"]), "organization_id": org, "all": false, "deployment_ids": [format!("{:032x}", rng.next())]}],
                "project": {"observability": [{"role_id": "observability-viewer", "organization_id": org, "all": true}]}
            });
            key
        })
        .collect();
    json!({ "keys": list }).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_are_deterministic_and_about_1_4_kb_per_key() {
        assert_eq!(elasticsearch_keys(50), elasticsearch_keys(50));
        let body = elasticsearch_keys(1000);
        let per_key = body.len() / 1000;
        assert!((1000..2000).contains(&per_key), "{per_key} bytes per key");
        let value: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(value["api_keys"].as_array().unwrap().len(), 1000);
        assert_eq!(
            serde_json::from_str::<Value>(&cloud_keys(500)).unwrap()["keys"]
                .as_array()
                .unwrap()
                .len(),
            500
        );
    }
}
