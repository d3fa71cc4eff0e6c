//! Large response bodies in the real shapes, for benchmarks and streaming tests.
//!
//! `GET /_security/api_key` on a cluster with 100,000 keys sends about 140 MB. The generator writes
//! such bodies deterministically (a fixed seed), in a [`Mix`] whose knobs are what makes decoding
//! cheap or dear: how many keys share their `limited_by`, how many role descriptors and index
//! entries each key has, how often an index entry carries a `query` or `field_security`, how deep
//! the metadata goes, and how often the server sends what the models do not know (unknown fields,
//! `_sort`). Besides, some keys are cross-cluster keys with `access`, some are invalidated and some
//! come from clusters older than 8.10 (no `type`).

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
/// Labels in other scripts than ASCII, two to three bytes a character.
const NON_ASCII: &[&str] = &[
    "équipe-données",
    "überwachung-prüfung",
    "мониторинг-журналов",
    "ログ収集-本番",
    "数据平台-告警",
    "팀-인제스트",
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

/// What a generated key list is made of. Rates are percentages of keys (or of index entries, for
/// `query` and `field_security`); ranges are inclusive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mix {
    /// Keys whose `limited_by` is the built-in `superuser` role, the same text for each; the
    /// others have one or two owner roles of their own.
    pub shared_limited_by: u64,
    /// Role descriptors of the key's own (`role_descriptors`), per `rest` key.
    pub roles_per_key: (u64, u64),
    /// Index entries per role descriptor.
    pub index_entries: (u64, u64),
    /// Index names, and privileges, per index entry.
    pub names_per_entry: (u64, u64),
    /// Index entries with a document-level security `query` string.
    pub query_rate: u64,
    /// Index entries with `field_security`.
    pub field_security_rate: u64,
    /// Keys whose metadata nests, and how many objects deep.
    pub nested_metadata_rate: u64,
    /// How deep nested metadata goes (objects within objects).
    pub metadata_depth: u64,
    /// Keys (and their role descriptors) with fields that the models do not know, as a newer
    /// server sends them.
    pub unknown_field_rate: u64,
    /// Keys with `_sort`, as a query with a sort returns them.
    pub sort_rate: u64,
    /// Keys with a `profile_uid`.
    pub profile_uid_rate: u64,
    /// Cross-cluster keys, with `access`.
    pub cross_cluster_rate: u64,
    /// Keys whose name and metadata labels are written in other scripts than ASCII (accents,
    /// Cyrillic, CJK), as teams name their keys: what checking UTF-8 costs depends on it. At 0,
    /// as in both mixes, the bodies are those of the other knobs alone.
    pub non_ascii_rate: u64,
}

impl Default for Mix {
    /// The mix of a cluster in everyday use: 60% of keys limited by `superuser`, 0–2 roles of
    /// their own with 1–3 index entries of 1–3 names, a `query` or `field_security` on 30% of the
    /// entries each, nested metadata on half the keys, 10% cross-cluster keys, `_sort` on 10% and
    /// `profile_uid` on 30%.
    fn default() -> Self {
        Self {
            shared_limited_by: 60,
            roles_per_key: (0, 2),
            index_entries: (1, 3),
            names_per_entry: (1, 3),
            query_rate: 30,
            field_security_rate: 30,
            nested_metadata_rate: 50,
            metadata_depth: 3,
            unknown_field_rate: 0,
            sort_rate: 10,
            profile_uid_rate: 30,
            cross_cluster_rate: 10,
            non_ascii_rate: 0,
        }
    }
}

impl Mix {
    /// The dearest mix for the models against `serde_json::Value`: no `limited_by` shared,
    /// three to four roles per key with three index entries of three names each, every entry with
    /// a `query` and `field_security`, deep metadata and unknown fields on every key, and `_sort`
    /// everywhere. The parts the models keep as JSON (metadata, unknown fields, queries) cost
    /// them what they cost `Value`, and unshared roles are decoded in full.
    pub fn worst_case() -> Self {
        Self {
            shared_limited_by: 0,
            roles_per_key: (3, 4),
            index_entries: (3, 3),
            names_per_entry: (3, 3),
            query_rate: 100,
            field_security_rate: 100,
            nested_metadata_rate: 100,
            metadata_depth: 6,
            unknown_field_rate: 100,
            sort_rate: 100,
            profile_uid_rate: 100,
            cross_cluster_rate: 10,
            non_ascii_rate: 0,
        }
    }
}

impl Seeded {
    fn between(&mut self, (low, high): (u64, u64)) -> u64 {
        low + self.below(high - low + 1)
    }
}

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

/// Fields that no version of the models knows, in the shapes new server fields take.
fn unknown_fields(rng: &mut Seeded, object: &mut Value) {
    object["x_future_flag"] = Value::from(rng.chance(50));
    object["x_future_settings"] = json!({"mode": rng.pick(&["strict", "lenient"]), "limits": [rng.below(100), rng.below(1000)]});
}

fn role(rng: &mut Seeded, mix: &Mix) -> Value {
    let mut indices = Vec::new();
    for _ in 0..rng.between(mix.index_entries) {
        let count = rng.between(mix.names_per_entry);
        let names: Vec<&str> = (0..count).map(|_| rng.pick(PATTERNS)).collect();
        let privileges: Vec<&str> = (0..count).map(|_| rng.pick(INDEX_PRIVILEGES)).collect();
        let mut entry = json!({
            "names": names,
            "privileges": privileges,
            "allow_restricted_indices": false
        });
        if rng.chance(mix.query_rate) {
            entry["query"] = Value::from(format!(
                r#"{{"bool":{{"filter":[{{"term":{{"tenant":"t-{}"}}}},{{"range":{{"@timestamp":{{"gte":"now-{}d"}}}}}}]}}}}"#,
                rng.below(500),
                rng.below(90)
            ));
        }
        if rng.chance(mix.field_security_rate) {
            entry["field_security"] =
                json!({"grant": ["@timestamp", "message", "host.*"], "except": ["host.ip"]});
        }
        indices.push(entry);
    }
    let mut role = json!({
        "cluster": [rng.pick(CLUSTER)],
        "indices": indices,
        "applications": [],
        "run_as": [],
        "metadata": {},
        "transient_metadata": {"enabled": true}
    });
    if rng.chance(mix.unknown_field_rate) {
        unknown_fields(rng, &mut role);
    }
    role
}

/// Metadata as teams write it: a few labels, and in some keys objects nested `depth` deep.
fn metadata(rng: &mut Seeded, mix: &Mix) -> Value {
    let mut metadata = json!({
        "application": format!("app-{}", rng.below(40)),
        "environment": rng.pick(&["prod", "staging", "dev"]),
        "team": rng.pick(&["platform", "search", "observability", "security"]),
        "tags": ["managed", rng.pick(&["terraform", "manual", "fleet"])],
        "cost_center": rng.below(10_000),
    });
    // Only drawn when the knob is set, so that the other mixes' bodies stay as they were.
    if mix.non_ascii_rate > 0 && rng.chance(mix.non_ascii_rate) {
        metadata["team"] = Value::from(rng.pick(NON_ASCII));
        metadata["description"] = Value::from(format!(
            "{} — {} ({})",
            rng.pick(NON_ASCII),
            rng.pick(NON_ASCII),
            rng.pick(NON_ASCII)
        ));
    }
    if rng.chance(mix.nested_metadata_rate) {
        let mut nested =
            json!({"owner": rng.pick(USERS), "ticket": format!("OPS-{}", rng.below(9000))});
        for level in 0..mix.metadata_depth {
            nested = json!({"level": level, "ratio": 0.25 * level as f64, "inner": nested});
        }
        metadata["deployment"] = nested;
    }
    metadata
}

fn rest_key(rng: &mut Seeded, mix: &Mix, index: usize, legacy: bool) -> Value {
    let creation = 1_600_000_000_000i64 + rng.below(200_000_000_000) as i64;
    let (realm, realm_type) = REALMS[rng.below(REALMS.len() as u64) as usize];
    let mut key = json!({
        "id": rng.id(),
        "name": format!("key-{index}-{}", rng.pick(&["ingest", "dashboards", "ci", "backup", "alerts"])),
    });
    if mix.non_ascii_rate > 0 && rng.chance(mix.non_ascii_rate) {
        key["name"] = Value::from(format!("{}-{index}", rng.pick(NON_ASCII)));
    }
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
    if rng.chance(mix.profile_uid_rate) {
        key["profile_uid"] = Value::from(format!("u_{}_0", rng.id()));
    }
    key["metadata"] = metadata(rng, mix);
    let mut roles = serde_json::Map::new();
    for n in 0..rng.between(mix.roles_per_key) {
        roles.insert(format!("role-{n}"), role(rng, mix));
    }
    key["role_descriptors"] = Value::Object(roles);
    key["limited_by"] = if rng.chance(mix.shared_limited_by) {
        json!([superuser()])
    } else {
        let mut owner = serde_json::Map::new();
        for n in 0..rng.between((1, 2)) {
            owner.insert(format!("owner-role-{n}"), role(rng, mix));
        }
        json!([owner])
    };
    finish(rng, mix, &mut key, creation);
    key
}

/// What any key may carry last: fields unknown to the models, and `_sort`.
fn finish(rng: &mut Seeded, mix: &Mix, key: &mut Value, creation: i64) {
    if rng.chance(mix.unknown_field_rate) {
        unknown_fields(rng, key);
    }
    if rng.chance(mix.sort_rate) {
        key["_sort"] = json!([creation, rng.below(1_000_000)]);
    }
}

fn cross_cluster_key(rng: &mut Seeded, mix: &Mix, index: usize) -> Value {
    let pattern = rng.pick(PATTERNS);
    let query = format!(r#"{{"term":{{"shared":true,"tier":{}}}}}"#, rng.below(3));
    let creation = 1_700_000_000_000i64 + rng.below(50_000_000_000) as i64;
    let mut key = json!({
        "id": rng.id(),
        "name": format!("ccs-{index}"),
        "type": "cross_cluster",
        "creation": creation,
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
    });
    finish(rng, mix, &mut key, creation);
    key
}

/// A `GET /_security/api_key?with_limited_by=true` body with `keys` keys in the default [`Mix`],
/// compact as Elasticsearch sends it without `?pretty`.
pub fn elasticsearch_keys(keys: usize) -> String {
    elasticsearch_body(keys, &Mix::default())
}

/// A `GET /_security/api_key?with_limited_by=true` body with `keys` keys in `mix`, compact as
/// Elasticsearch sends it without `?pretty`. The same arguments give the same body.
pub fn elasticsearch_body(keys: usize, mix: &Mix) -> String {
    let mut rng = Seeded(0x5EED_0000 + keys as u64);
    let mut body = String::with_capacity(keys * 1500);
    body.push_str(r#"{"api_keys":["#);
    for index in 0..keys {
        if index > 0 {
            body.push(',');
        }
        let dice = rng.below(100);
        let key = if dice < mix.cross_cluster_rate {
            cross_cluster_key(&mut rng, mix, index)
        } else if dice < mix.cross_cluster_rate + 5 {
            rest_key(&mut rng, mix, index, true)
        } else {
            rest_key(&mut rng, mix, index, false)
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
        let worst = elasticsearch_body(200, &Mix::worst_case());
        assert_eq!(worst, elasticsearch_body(200, &Mix::worst_case()));
        assert!(
            worst.len() > 4 * elasticsearch_keys(200).len() / 2,
            "the worst case is larger"
        );
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
