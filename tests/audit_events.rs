//! A cluster's indexed audit events, and the search API over them as Elasticsearch answers it:
//! for the loopback cluster ([`crate::es_server`]) that tests the last-use join.
//!
//! Documents are in the shape of the Elastic Agent integration's pipeline (elastic/integrations,
//! `packages/elasticsearch/data_stream/audit/elasticsearch/ingest_pipeline/pipeline-json.yml`):
//! `@timestamp` and `event.action` at the top, the event's own members, dotted names and all,
//! under `elasticsearch.audit` (`"apikey.id"`, `"authentication.type"`). A field path reaches a
//! member through objects and dotted names alike, as Elasticsearch maps them.
//!
//! The search reads what the last-use join sends: `bool` filters of `range` (numbers as
//! milliseconds since the epoch), `term` and `exists`; `size`, `track_total_hits`; a
//! `composite` aggregation of one `terms` source with `after` and `size` (at most
//! `search.max_buckets`, 65,536) and `max`/`min` sub-aggregations; top-level `min`, `max` and
//! `filter` aggregations; `allow_no_indices`; and `filter_path` on the answer.

use std::collections::BTreeMap;

use elastic_apikeys_models::JsonValue;
use serde_json::{Value, json};

use crate::filter_path::{FilterPath, glob};

/// `search.max_buckets`' default since 7.9.
const MAX_BUCKETS: u64 = 65_536;

/// The audit events of a cluster, by index (a data stream's name stands for its backing
/// indices), and whether the caller may read them.
#[derive(Debug, Clone, Default)]
pub struct AuditLog {
    indices: BTreeMap<String, Vec<Event>>,
    denied: bool,
    /// Fields mapped as `text`, which a `terms` source cannot aggregate.
    text_fields: Vec<String>,
    /// Whether one shard of every search fails, so that answers are partial.
    failed_shard: bool,
}

/// One document, with its members flattened to their full dotted paths.
#[derive(Debug, Clone)]
struct Event {
    fields: BTreeMap<String, Value>,
}

impl Event {
    fn new(document: &Value) -> Self {
        let mut fields = BTreeMap::new();
        flatten("", document, &mut fields);
        Self { fields }
    }

    /// The value at `path`; `<text field>.keyword` is the text field's value, the `keyword`
    /// sub-field dynamic mapping gives every string.
    fn field(&self, path: &str) -> Option<&Value> {
        self.fields
            .get(path)
            .or_else(|| {
                path.strip_suffix(".keyword")
                    .and_then(|text| self.fields.get(text))
                    .filter(|value| value.is_string())
            })
            .filter(|value| !value.is_null())
    }

    /// The field as milliseconds since the epoch: a number, or a date as text.
    fn millis(&self, path: &str) -> Option<i64> {
        millis(self.field(path)?)
    }
}

fn millis(value: &Value) -> Option<i64> {
    match value {
        Value::Number(number) => number.as_f64().map(|ms| ms as i64),
        Value::String(text) => chrono::DateTime::parse_from_rfc3339(text)
            .ok()
            .map(|time| time.timestamp_millis())
            .or_else(|| text.parse().ok()),
        _ => None,
    }
}

fn flatten(prefix: &str, value: &Value, into: &mut BTreeMap<String, Value>) {
    match value {
        Value::Object(members) => {
            for (name, member) in members {
                let path = if prefix.is_empty() {
                    name.clone()
                } else {
                    format!("{prefix}.{name}")
                };
                flatten(&path, member, into);
            }
        }
        other => {
            into.insert(prefix.to_string(), other.clone());
        }
    }
}

/// An audit event as the Elastic Agent integration indexes it: `action` (`access_granted`,
/// ...) at `at` (RFC 3339), by `user`, authenticated as `authentication` (`API_KEY`, `REALM`,
/// ...), with the key's id and name when a key authenticated it.
pub fn event(at: &str, action: &str, authentication: &str, key: Option<(&str, &str)>) -> Value {
    let mut audit = json!({
        "layer": "transport",
        "action": "indices:data/read/search",
        "authentication.type": authentication,
        "user.realm": "native1",
        "origin.type": "rest",
        "request.name": "SearchRequest",
        "cluster": {},
        "event": {},
    });
    if let Some((id, name)) = key {
        audit["apikey.id"] = json!(id);
        audit["apikey.name"] = json!(name);
    }
    json!({
        "@timestamp": at,
        "event": {
            "action": action,
            "category": ["database"],
            "dataset": "elasticsearch.audit",
            "kind": "event",
            "outcome": "success",
            "type": ["access"],
        },
        "user": {"name": "elastic"},
        "elasticsearch": {
            "audit": audit,
            "cluster": {"uuid": "sh0FdC0tRUGgzD6U7OsO3g"},
            "node": {"id": "rsRsMdvhREeQqLkk3twtqA"},
        },
        "data_stream": {"dataset": "elasticsearch.audit", "namespace": "default", "type": "logs"},
        "service": {"type": "elasticsearch"},
    })
}

impl AuditLog {
    /// No index yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// The same log with `documents` in index (or data stream) `name`.
    pub fn with_index(mut self, name: &str, documents: &[Value]) -> Self {
        self.indices
            .entry(name.to_string())
            .or_default()
            .extend(documents.iter().map(Event::new));
        self
    }

    /// The same log, with `field` mapped as `text` (as dynamic mapping does without a
    /// `strings_as_keyword` template) and its `.keyword` sub-field as `keyword`.
    pub fn with_text_field(mut self, field: &str) -> Self {
        self.text_fields.push(field.to_string());
        self
    }

    /// The same log, with one shard that fails every search: answers are 200 with
    /// `_shards.failed: 1` and its failure, and lack that shard's events.
    pub fn with_failed_shard(mut self) -> Self {
        self.failed_shard = true;
        self
    }

    /// The same log, which the caller may not read: every search is a 403.
    pub fn denied(mut self) -> Self {
        self.denied = true;
        self
    }

    /// Answers `POST /<index>/_search` with these query parameters and body: the status line's
    /// code and reason, and the body.
    pub fn search(
        &self,
        index: &str,
        params: &[(String, String)],
        body: &str,
    ) -> (&'static str, Vec<u8>) {
        let param = |name: &str| {
            params
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.as_str())
        };
        if self.denied {
            let reason = "action [indices:data/read/search] is unauthorized for user [auditor] \
                          with effective roles [viewer], this action is granted by the index \
                          privileges [read,all]";
            return (
                "403 Forbidden",
                error("security_exception", reason, 403, json!({})),
            );
        }
        let names: Vec<&String> = self
            .indices
            .keys()
            .filter(|name| index.split(',').any(|pattern| glob(pattern, name)))
            .collect();
        if names.is_empty() {
            if param("allow_no_indices") == Some("false") || !index.contains('*') {
                let extra = json!({
                    "resource.type": "index_or_alias",
                    "resource.id": index,
                    "index_uuid": "_na_",
                    "index": index,
                });
                return (
                    "404 Not Found",
                    error(
                        "index_not_found_exception",
                        &format!("no such index [{index}]"),
                        404,
                        extra,
                    ),
                );
            }
            // A search of nothing: no shards, and no `aggregations` at all
            // (elastic/elasticsearch#129762).
            let answer = json!({
                "took": 0, "timed_out": false,
                "_shards": {"total": 0, "successful": 0, "skipped": 0, "failed": 0},
                "hits": {"total": {"value": 0, "relation": "eq"}, "max_score": 0.0, "hits": []},
            });
            return ("200 OK", filtered(&answer, param("filter_path")));
        }
        let body: Value =
            match serde_json::from_str(if body.trim().is_empty() { "{}" } else { body }) {
                Ok(body) => body,
                Err(e) => return bad_request(&e.to_string()),
            };
        if let Some(field) = self
            .text_fields
            .iter()
            .find(|field| aggregates(&body, field))
        {
            // `TextFieldMapper.java`'s words, in the envelope of a search whose every shard
            // failed.
            let reason = format!(
                "Text fields are not optimised for operations that require per-document field \
                 data like aggregations and sorting, so these operations are disabled by default. \
                 Please use a keyword field instead. Alternatively, set fielddata=true on \
                 [{field}] in order to load field data by uninverting the inverted index. Note \
                 that this can use significant memory."
            );
            let cause = json!({"type": "illegal_argument_exception", "reason": reason});
            let answer = json!({"error": {
                "root_cause": [cause.clone()],
                "type": "search_phase_execution_exception",
                "reason": "all shards failed",
                "phase": "query",
                "grouped": true,
                "caused_by": cause,
            }, "status": 400});
            return ("400 Bad Request", answer.to_string().into_bytes());
        }
        let events: Vec<&Event> = names.iter().flat_map(|name| &self.indices[*name]).collect();
        let query = body
            .get("query")
            .cloned()
            .unwrap_or(json!({"match_all": {}}));
        let mut matching = Vec::new();
        for event in events {
            match matches(&query, event) {
                Ok(true) => matching.push(event),
                Ok(false) => {}
                Err(reason) => return bad_request(&reason),
            }
        }
        let mut answer = json!({
            "took": 3,
            "timed_out": false,
            "_shards": {"total": names.len(), "successful": names.len(), "skipped": 0, "failed": 0},
            "hits": {"max_score": null, "hits": []},
        });
        if self.failed_shard {
            let failure = json!({
                "shard": 0,
                "index": names[0],
                "node": "rsRsMdvhREeQqLkk3twtqA",
                "reason": {"type": "node_not_connected_exception", "reason": "[instance-0000000001][10.0.0.2:9300] Node not connected"},
            });
            answer["_shards"]["total"] = json!(names.len() + 1);
            answer["_shards"]["failed"] = json!(1);
            answer["_shards"]["failures"] = json!([failure]);
        }
        if body.get("track_total_hits") != Some(&json!(false)) {
            answer["hits"]["total"] = json!({"value": matching.len(), "relation": "eq"});
        }
        let aggregations = body.get("aggs").or_else(|| body.get("aggregations"));
        if let Some(Value::Object(aggregations)) = aggregations {
            let mut results = serde_json::Map::new();
            for (name, aggregation) in aggregations {
                match aggregate(aggregation, &matching) {
                    Ok(result) => {
                        results.insert(name.clone(), result);
                    }
                    Err(reason) => return bad_request(&reason),
                }
            }
            answer["aggregations"] = Value::Object(results);
        }
        ("200 OK", filtered(&answer, param("filter_path")))
    }
}

/// Whether `body` has a `terms` aggregation or source on `field`.
fn aggregates(body: &Value, field: &str) -> bool {
    match body {
        Value::Object(members) => members.iter().any(|(name, member)| {
            (name == "terms" && member.get("field").and_then(Value::as_str) == Some(field))
                || aggregates(member, field)
        }),
        Value::Array(items) => items.iter().any(|item| aggregates(item, field)),
        _ => false,
    }
}

/// `answer` as text, cut down by `filter_path` if given.
fn filtered(answer: &Value, filter_path: Option<&str>) -> Vec<u8> {
    let Some(filter) = filter_path else {
        return answer.to_string().into_bytes();
    };
    let value: JsonValue = serde_json::from_value(answer.clone()).expect("JSON");
    match FilterPath::parse(filter).apply(&value) {
        Some(kept) => serde_json::to_vec(&kept).expect("JSON"),
        None => b"{}".to_vec(),
    }
}

fn matches(query: &Value, event: &Event) -> Result<bool, String> {
    let Some((kind, clause)) = query.as_object().and_then(|o| o.iter().next()) else {
        return Err("a query is an object of one member".to_string());
    };
    match kind.as_str() {
        "match_all" => Ok(true),
        "bool" => {
            let all = |name: &str| -> Result<bool, String> {
                match clause.get(name) {
                    None => Ok(true),
                    Some(Value::Array(queries)) => {
                        for query in queries {
                            if !matches(query, event)? {
                                return Ok(false);
                            }
                        }
                        Ok(true)
                    }
                    Some(query) => matches(query, event),
                }
            };
            Ok(all("filter")? && all("must")?)
        }
        "exists" => {
            let field = clause["field"].as_str().ok_or("exists needs a field")?;
            Ok(event.field(field).is_some())
        }
        "term" => {
            let (field, wanted) = clause
                .as_object()
                .and_then(|o| o.iter().next())
                .ok_or("term needs a field")?;
            let wanted = wanted.get("value").unwrap_or(wanted);
            Ok(event.field(field) == Some(wanted))
        }
        "range" => {
            let (field, bounds) = clause
                .as_object()
                .and_then(|o| o.iter().next())
                .ok_or("range needs a field")?;
            let Some(value) = event.millis(field) else {
                return Ok(false);
            };
            let bound = |name: &str| bounds.get(name).and_then(millis);
            Ok(bound("gte").is_none_or(|b| value >= b)
                && bound("gt").is_none_or(|b| value > b)
                && bound("lte").is_none_or(|b| value <= b)
                && bound("lt").is_none_or(|b| value < b))
        }
        other => Err(format!("unknown query [{other}]")),
    }
}

/// The result of one aggregation over `events`.
fn aggregate(aggregation: &Value, events: &[&Event]) -> Result<Value, String> {
    let sub = aggregation
        .get("aggs")
        .or_else(|| aggregation.get("aggregations"));
    if let Some(definition) = aggregation.get("composite") {
        return composite(definition, sub, events);
    }
    if let Some(definition) = aggregation.get("max") {
        return Ok(metric(definition, events, i64::max));
    }
    if let Some(definition) = aggregation.get("min") {
        return Ok(metric(definition, events, i64::min));
    }
    if let Some(query) = aggregation.get("filter") {
        let mut kept = Vec::new();
        for event in events {
            if matches(query, event)? {
                kept.push(*event);
            }
        }
        let mut result = json!({"doc_count": kept.len()});
        add_sub_aggregations(&mut result, sub, &kept)?;
        return Ok(result);
    }
    Err("unknown aggregation".to_string())
}

/// A `max` or `min` of a date field: milliseconds since the epoch as a double, and as text.
fn metric(definition: &Value, events: &[&Event], pick: fn(i64, i64) -> i64) -> Value {
    let field = definition["field"].as_str().unwrap_or_default();
    match events
        .iter()
        .filter_map(|event| event.millis(field))
        .reduce(pick)
    {
        Some(ms) => json!({
            "value": ms as f64,
            "value_as_string": chrono::DateTime::from_timestamp_millis(ms)
                .expect("a time")
                .to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        }),
        None => json!({"value": null}),
    }
}

fn add_sub_aggregations(
    result: &mut Value,
    sub: Option<&Value>,
    events: &[&Event],
) -> Result<(), String> {
    if let Some(Value::Object(sub)) = sub {
        for (name, aggregation) in sub {
            result[name] = aggregate(aggregation, events)?;
        }
    }
    Ok(())
}

/// A `composite` of one `terms` source: buckets in the order of their keys, `size` of them
/// after `after`; `after_key` when there is a bucket.
fn composite(definition: &Value, sub: Option<&Value>, events: &[&Event]) -> Result<Value, String> {
    let size = definition.get("size").and_then(Value::as_u64).unwrap_or(10);
    if size > MAX_BUCKETS {
        return Err(format!(
            "Trying to create too many buckets. Must be less than or equal to: [{MAX_BUCKETS}] \
             but was [{size}]. This limit can be set by changing the [search.max_buckets] \
             cluster level setting."
        ));
    }
    let sources = definition["sources"]
        .as_array()
        .ok_or("composite needs sources")?;
    let [source] = sources.as_slice() else {
        return Err("this test cluster reads composites of one source".to_string());
    };
    let (name, source) = source
        .as_object()
        .and_then(|o| o.iter().next())
        .ok_or("a source is an object of one member")?;
    let field = source["terms"]["field"]
        .as_str()
        .ok_or("this test cluster reads terms sources")?;
    let mut groups: BTreeMap<String, Vec<&Event>> = BTreeMap::new();
    for event in events {
        if let Some(Value::String(value)) = event.field(field) {
            groups.entry(value.clone()).or_default().push(event);
        }
    }
    let after = definition
        .get("after")
        .and_then(|after| after.get(name.as_str()))
        .and_then(Value::as_str);
    let mut buckets = Vec::new();
    for (key, members) in groups
        .iter()
        .filter(|(key, _)| after.is_none_or(|after| key.as_str() > after))
        .take(size as usize)
    {
        let mut bucket = json!({"key": {name.as_str(): key}, "doc_count": members.len()});
        add_sub_aggregations(&mut bucket, sub, members)?;
        buckets.push(bucket);
    }
    let mut result = serde_json::Map::new();
    if let Some(last) = buckets.last() {
        result.insert("after_key".to_string(), last["key"].clone());
    }
    result.insert("buckets".to_string(), Value::Array(buckets));
    Ok(Value::Object(result))
}

fn error(kind: &str, reason: &str, status: u16, extra: Value) -> Vec<u8> {
    let mut cause = json!({"type": kind, "reason": reason});
    if let (Some(members), Value::Object(extra)) = (cause.as_object_mut(), extra) {
        members.extend(extra);
    }
    let mut top = cause.clone();
    top["root_cause"] = json!([cause]);
    json!({"error": top, "status": status})
        .to_string()
        .into_bytes()
}

fn bad_request(reason: &str) -> (&'static str, Vec<u8>) {
    (
        "400 Bad Request",
        error("illegal_argument_exception", reason, 400, json!({})),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_match_as_elasticsearch_expands_them() {
        assert!(glob(
            "logs-elasticsearch.audit-*",
            "logs-elasticsearch.audit-default"
        ));
        assert!(glob("*audit*", "logs-elasticsearch.audit-default"));
        assert!(!glob("filebeat-*", "logs-elasticsearch.audit-default"));
        assert!(glob("exact", "exact"));
    }

    #[test]
    fn dotted_names_and_objects_reach_the_same_field() {
        let document = event(
            "2026-12-01T00:00:00Z",
            "access_granted",
            "API_KEY",
            Some(("k1", "ci")),
        );
        let event = Event::new(&document);
        assert_eq!(
            event.field("elasticsearch.audit.apikey.id"),
            Some(&json!("k1"))
        );
        assert_eq!(event.millis("@timestamp"), Some(1_796_083_200_000));
    }
}
