//! When each API key was last used, from the cluster's audit events.
//!
//! Elasticsearch keeps no last-use time on a key (elastic/elasticsearch#54789), but with auditing
//! on (`xpack.security.audit.enabled: true`) every request a key authenticates writes an
//! `access_granted` event carrying `apikey.id` (since 7.9, elastic/elasticsearch#58928), and
//! `access_granted` is among the events logged by default. Where those events are indexed, by
//! the Elastic Agent integration or Filebeat, one aggregation gives the latest `@timestamp` of
//! each key: [`LastUse::read`] runs it, through the spec's `search` operation.
//!
//! It is a `composite` aggregation on the key id with a `max` of the time in each bucket, paged
//! with `after_key`, so that any number of keys works. ES|QL's `STATS MAX(@timestamp) BY` would
//! say the same in one request, but answers at most 10,000 rows
//! (`esql.query.result_truncation_max_size`) with no way to ask for the next, and needs 8.11.
//!
//! Every event that names a key counts as a use: `access_granted` and also `access_denied` (a
//! request the key made but may not: something still holds the key) and `authentication_success`
//! where it is logged.
//!
//! Missing data is never read as "unused": a source with no index, no events, no API-key events,
//! failed shards or no permission is an [`LastUseError`] that says which, and the events' first
//! time bounds what "not seen" means ([`LastUse::covered_since`]).
//!
//! ```no_run
//! # async fn run(client: elastic_apikeys_client::elasticsearch::Client) -> Result<(), Box<dyn std::error::Error>> {
//! use chrono::{TimeDelta, Utc};
//! use elastic_apikeys_client::elasticsearch::last_used::{AuditEvents, LastUse, Usage};
//!
//! let since = Utc::now() - TimeDelta::days(90);
//! let last_use = LastUse::read(&client, &AuditEvents::elastic_agent(), since).await?;
//! match last_use.of("VuaCfGcBCdbkQm-e5aOx") {
//!     Usage::Seen(at) => println!("last used {at}"),
//!     Usage::NotSeenSince(start) => println!("not seen since {start}"),
//! }
//! # Ok(())
//! # }
//! ```

use std::collections::HashMap;
use std::fmt;

use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::{Value, json};

use super::Client;
use super::types::SearchRequest;
use crate::Error;

/// Keys a page of the aggregation holds: well under `search.max_buckets` (65,536 since 7.9;
/// 10,000 before), and a page of about 100 bytes a key.
const PAGE: u32 = 10_000;

/// Where a cluster's audit events are, and the members that matter in them.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct AuditEvents {
    /// The indices, data streams or aliases to search, with wildcards.
    pub index: String,
    /// The member that holds the id of the API key that authenticated the request.
    pub id_field: String,
    /// The member that holds the event's time.
    pub time_field: String,
    /// If the index holds other logs as well, the `event.dataset` of the audit events.
    pub dataset: Option<String>,
}

impl AuditEvents {
    /// The Elastic Agent integration's data streams, `logs-elasticsearch.audit-*`: its pipeline
    /// (`packages/elasticsearch/data_stream/audit/` of elastic/integrations) keeps the event's
    /// own members under `elasticsearch.audit`, so the id is `elasticsearch.audit.apikey.id`.
    pub fn elastic_agent() -> Self {
        Self {
            index: "logs-elasticsearch.audit-*".to_string(),
            id_field: "elasticsearch.audit.apikey.id".to_string(),
            time_field: "@timestamp".to_string(),
            dataset: None,
        }
    }

    /// Filebeat's `elasticsearch` module (`filebeat-*`), whose `audit` fileset writes the same
    /// members as the integration beside every other log Filebeat ships: only the events of
    /// `event.dataset: elasticsearch.audit` count.
    pub fn filebeat() -> Self {
        Self {
            index: "filebeat-*".to_string(),
            dataset: Some("elasticsearch.audit".to_string()),
            ..Self::elastic_agent()
        }
    }

    /// The same events, in these indices instead.
    #[must_use]
    pub fn with_index(mut self, index: impl Into<String>) -> Self {
        self.index = index.into();
        self
    }

    /// The same events, with the key's id in this member instead: such as
    /// `elasticsearch.audit.apikey.id.keyword` where the index mapped the id as `text` with a
    /// `keyword` sub-field (a `text` field cannot be aggregated), or `apikey.id` for audit logs
    /// indexed as Elasticsearch writes them.
    #[must_use]
    pub fn with_id_field(mut self, field: impl Into<String>) -> Self {
        self.id_field = field.into();
        self
    }

    /// The filters that pick the audit events out of the index: their dataset, if any.
    fn dataset_filter(&self) -> Vec<Value> {
        self.dataset
            .iter()
            .map(|dataset| json!({"term": {"event.dataset": dataset}}))
            .collect()
    }

    /// The body of the page after `after` (the first page without it): the events of the
    /// window (and of the dataset), and the last event of each key; on the first page also the
    /// count of events and of API-key events.
    fn page(&self, since: DateTime<Utc>, after: Option<&Value>) -> SearchRequest {
        let mut filter = vec![json!({"range": {&self.time_field: {
            "gte": since.timestamp_millis(),
            "format": "epoch_millis",
        }}})];
        filter.extend(self.dataset_filter());
        let mut keys = json!({
            "composite": {
                "size": PAGE,
                "sources": [{"id": {"terms": {"field": &self.id_field}}}],
            },
            "aggs": {"last_used": {"max": {"field": &self.time_field}}},
        });
        let mut body = json!({"size": 0, "query": {"bool": {"filter": filter}}});
        match after {
            Some(after) => {
                keys["composite"]["after"] = after.clone();
                body["track_total_hits"] = json!(false);
                body["aggs"] = json!({"keys": keys});
            }
            None => {
                body["track_total_hits"] = json!(true);
                body["aggs"] = json!({
                    "keys": keys,
                    "api_key_events": {"filter": {"exists": {"field": &self.id_field}}},
                });
            }
        }
        serde_json::from_value(body).expect("the search takes this body")
    }

    /// The body that asks for the time of the first event the index holds, in the window or
    /// before it: where the events start, and so how much of the window they cover.
    fn first_event(&self) -> SearchRequest {
        let body = json!({
            "size": 0,
            "track_total_hits": false,
            "query": {"bool": {"filter": self.dataset_filter()}},
            "aggs": {"first_event": {"min": {"field": &self.time_field}}},
        });
        serde_json::from_value(body).expect("the search takes this body")
    }
}

/// The members of an answer that [`LastUse::read`] reads; the cluster sends no others.
const FILTER_PATH: &str = "timed_out,_shards.total,_shards.failed,hits.total,\
                           aggregations.keys.after_key,aggregations.keys.buckets.key,\
                           aggregations.keys.buckets.last_used.value,\
                           aggregations.first_event.value,aggregations.api_key_events.doc_count";

/// What the answer's `aggregations` hold.
#[derive(Debug, Default, Deserialize)]
struct Aggregations {
    #[serde(default)]
    keys: Option<Keys>,
    #[serde(default)]
    first_event: Option<Metric>,
    #[serde(default)]
    api_key_events: Option<Count>,
}

#[derive(Debug, Deserialize)]
struct Keys {
    #[serde(default)]
    after_key: Option<Value>,
    #[serde(default)]
    buckets: Vec<Bucket>,
}

#[derive(Debug, Deserialize)]
struct Bucket {
    key: BucketKey,
    last_used: Metric,
}

#[derive(Debug, Deserialize)]
struct BucketKey {
    id: Value,
}

/// A `max` or `min`: milliseconds since the epoch, as a double; null over no values.
#[derive(Debug, Deserialize)]
struct Metric {
    value: Option<f64>,
}

#[derive(Debug, Deserialize)]
struct Count {
    doc_count: u64,
}

impl Metric {
    fn time(&self) -> Option<DateTime<Utc>> {
        self.value
            .filter(|ms| ms.is_finite())
            .and_then(|ms| DateTime::from_timestamp_millis(ms as i64))
    }
}

/// When a key was last used, as far as the events say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Usage {
    /// The time of its last event.
    Seen(DateTime<Utc>),
    /// It has no event since this time: the start of the window, or of the events if they
    /// start later ([`LastUse::covered_since`]).
    NotSeenSince(DateTime<Utc>),
}

/// The last use of every key that has an event in the window: keys in, last use per key out
/// ([`LastUse::of`]).
#[derive(Debug, Clone)]
pub struct LastUse {
    since: DateTime<Utc>,
    covered_since: DateTime<Utc>,
    events: u64,
    used: HashMap<String, DateTime<Utc>>,
}

impl LastUse {
    /// Reads the last event of each key since `since` from `events`, in pages of the
    /// aggregation, on `client`'s cluster (which need not be the one whose keys they are: on
    /// Elastic Cloud the audit events go to the monitoring deployment).
    ///
    /// # Errors
    ///
    /// A [`LastUseError`] that says why the events cannot answer: no such index, no events or no
    /// API-key events since `since`, shards that failed or a search that timed out (a partial
    /// answer would make used keys look unused), no permission, or the request's own error.
    pub async fn read(
        client: &Client,
        events: &AuditEvents,
        since: DateTime<Utc>,
    ) -> Result<Self, LastUseError> {
        let index = events.index.as_str();
        let mut used = HashMap::new();
        let mut api_key_events = None;
        let mut after: Option<Value> = None;
        loop {
            let (total, aggregations) =
                search(client, events, events.page(since, after.as_ref())).await?;
            if api_key_events.is_none() {
                if total.unwrap_or(0) == 0 {
                    return Err(LastUseError::NoEvents {
                        index: index.to_string(),
                        since,
                    });
                }
                let count = aggregations
                    .api_key_events
                    .as_ref()
                    .map_or(0, |c| c.doc_count);
                if count == 0 {
                    return Err(LastUseError::NoApiKeyEvents {
                        index: index.to_string(),
                        since,
                        events: total.unwrap_or(0),
                    });
                }
                api_key_events = Some(count);
            }
            let Some(keys) = aggregations.keys else {
                break;
            };
            let full = keys.buckets.len() >= PAGE as usize;
            for bucket in keys.buckets {
                let id = match bucket.key.id {
                    Value::String(id) => id,
                    other => other.to_string(),
                };
                if let Some(at) = bucket.last_used.time() {
                    used.insert(id, at);
                }
            }
            // `after_key` comes with every page that has a bucket, the last one too: a page
            // that is not full is the last.
            match keys.after_key {
                Some(next) if full => after = Some(next),
                _ => break,
            }
        }
        let (_, first) = search(client, events, events.first_event()).await?;
        let first = first.first_event.as_ref().and_then(Metric::time);
        Ok(Self {
            since,
            covered_since: first.map_or(since, |first| first.max(since)),
            events: api_key_events.unwrap_or(0),
            used,
        })
    }

    /// When `id` was last used, or since when it was not.
    pub fn of(&self, id: &str) -> Usage {
        match self.used.get(id) {
            Some(at) => Usage::Seen(*at),
            None => Usage::NotSeenSince(self.covered_since),
        }
    }

    /// The start of the window asked for.
    pub fn since(&self) -> DateTime<Utc> {
        self.since
    }

    /// Since when the events cover the window: its start, or the time of the index's first
    /// event if the events start later (auditing turned on since, or older events deleted). A
    /// key without an event is known unused only since then.
    pub fn covered_since(&self) -> DateTime<Utc> {
        self.covered_since
    }

    /// The number of API-key events in the window.
    pub fn events(&self) -> u64 {
        self.events
    }

    /// The keys with an event in the window, with the time of their last.
    pub fn iter(&self) -> impl Iterator<Item = (&str, DateTime<Utc>)> {
        self.used.iter().map(|(id, at)| (id.as_str(), *at))
    }

    /// The number of keys with an event in the window.
    pub fn len(&self) -> usize {
        self.used.len()
    }

    /// Whether no key has an event in the window (never, from [`read`](Self::read), which
    /// says so with [`LastUseError::NoApiKeyEvents`]).
    pub fn is_empty(&self) -> bool {
        self.used.is_empty()
    }
}

/// Sends one search of `index`, and gives the count of its matches (when it counted them) and
/// its aggregations; an answer that may lack events (failed shards, a timeout) is an error.
async fn search(
    client: &Client,
    events: &AuditEvents,
    body: SearchRequest,
) -> Result<(Option<u64>, Aggregations), LastUseError> {
    let index = events.index.as_str();
    let answer = client
        .search()
        .index(index)
        .allow_no_indices(false)
        .filter_path(FILTER_PATH)
        .body(body)
        .send_filtered()
        .await
        .map_err(|error| LastUseError::from_search(index, &events.id_field, error))?
        .into_inner();
    let failed = answer.shards.as_ref().and_then(|s| s.failed).unwrap_or(0);
    if answer.timed_out == Some(true) || failed > 0 {
        return Err(LastUseError::Partial {
            index: index.to_string(),
            failed_shards: u64::try_from(failed).unwrap_or(0),
        });
    }
    let total = answer
        .hits
        .and_then(|hits| hits.total)
        .and_then(|total| total.value)
        .map(|value| u64::try_from(value).unwrap_or(0));
    let aggregations = match answer.aggregations {
        Some(map) => {
            let value = serde_json::to_value(map).map_err(|e| unreadable(index, &e))?;
            serde_json::from_value(value).map_err(|e| unreadable(index, &e))?
        }
        None => Aggregations::default(),
    };
    Ok((total, aggregations))
}

fn unreadable(index: &str, error: &serde_json::Error) -> LastUseError {
    LastUseError::Unreadable {
        index: index.to_string(),
        reason: error.to_string(),
    }
}

/// Why the audit events cannot say when keys were last used. Nothing here means "unused".
#[derive(Debug)]
#[non_exhaustive]
pub enum LastUseError {
    /// No index matches the pattern.
    NoSuchIndex {
        /// The pattern searched.
        index: String,
    },
    /// The caller may not read the indices.
    Denied {
        /// The pattern searched.
        index: String,
        /// The cluster's reason.
        reason: String,
    },
    /// The indices hold no event since the window's start.
    NoEvents {
        /// The pattern searched.
        index: String,
        /// The window's start.
        since: DateTime<Utc>,
    },
    /// The indices hold events since the window's start, but none of a request authenticated
    /// by an API key.
    NoApiKeyEvents {
        /// The pattern searched.
        index: String,
        /// The window's start.
        since: DateTime<Utc>,
        /// The events of the window.
        events: u64,
    },
    /// The key's id is mapped as `text`, which cannot be aggregated: its `keyword` sub-field
    /// can ([`AuditEvents::with_id_field`]).
    TextField {
        /// The pattern searched.
        index: String,
        /// The member that holds the id.
        field: String,
    },
    /// Some shards failed, or the search timed out: the answer may lack events.
    Partial {
        /// The pattern searched.
        index: String,
        /// The shards that failed.
        failed_shards: u64,
    },
    /// The aggregation's answer was not in the shape asked for.
    Unreadable {
        /// The pattern searched.
        index: String,
        /// What did not decode.
        reason: String,
    },
    /// The search failed otherwise.
    Request(Box<Error>),
}

impl LastUseError {
    fn from_search(index: &str, id_field: &str, error: Error) -> Self {
        if text_field(&error) {
            return Self::TextField {
                index: index.to_string(),
                field: id_field.to_string(),
            };
        }
        let codes = error.codes();
        if codes.contains(&"index_not_found_exception") {
            return Self::NoSuchIndex {
                index: index.to_string(),
            };
        }
        if error.status().is_some_and(|status| status.as_u16() == 403) {
            let reason = error
                .api_error()
                .map_or_else(|| error.to_string(), |api| api.body().summary());
            return Self::Denied {
                index: index.to_string(),
                reason,
            };
        }
        Self::Request(Box::new(error))
    }
}

/// Whether `error` says that a `text` field cannot be aggregated, in any of its causes: "Text
/// fields are not optimised for operations that require per-document field data like
/// aggregations" (8.x), "Fielddata is disabled on text fields by default" (7.x), from
/// `TextFieldMapper.java` of elastic/elasticsearch.
fn text_field(error: &Error) -> bool {
    let status = error.status().map(|status| status.as_u16());
    status == Some(400)
        && error.api_error().is_some_and(|api| {
            api.body().causes().iter().any(|cause| {
                cause.reason.value().is_some_and(|reason| {
                    reason.contains("Text fields are not optimised")
                        || reason.contains("Fielddata is disabled on text fields")
                })
            })
        })
}

/// What turns audit events on and ships them, for the messages of missing events.
const TURN_ON: &str = "auditing records each use of an API key once it is on \
                       (`xpack.security.audit.enabled: true`; `access_granted` is logged by \
                       default) and its log is shipped to an index, by Elastic Agent's \
                       Elasticsearch integration or Filebeat's elasticsearch module";

impl fmt::Display for LastUseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoSuchIndex { index } => write!(
                f,
                "no index matches [{index}], so the audit events cannot tell when keys were \
                 last used: {TURN_ON}"
            ),
            Self::Denied { index, reason } => write!(
                f,
                "the audit events in [{index}] cannot be read (it takes the `read` privilege \
                 on them): {reason}"
            ),
            Self::NoEvents { index, since } => write!(
                f,
                "[{index}] holds no audit event since {}: {TURN_ON}",
                since.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
            ),
            Self::NoApiKeyEvents {
                index,
                since,
                events,
            } => write!(
                f,
                "[{index}] holds {events} audit events since {} but none of a request made \
                 with an API key: check that `access_granted` is among \
                 `xpack.security.audit.logfile.events.include`, that the events are shipped \
                 whole (with `apikey.id`), and that API keys are in use",
                since.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
            ),
            Self::TextField { index, field } => write!(
                f,
                "[{index}] maps the key id [{field}] as text, which cannot be aggregated: name \
                 its keyword sub-field instead (such as [{field}.keyword])"
            ),
            Self::Partial {
                index,
                failed_shards,
            } => write!(
                f,
                "the search of [{index}] failed on {failed_shards} shards or timed out: its \
                 answer may lack events, so it is not used"
            ),
            Self::Unreadable { index, reason } => write!(
                f,
                "the aggregation over [{index}] came back in another shape: {reason}"
            ),
            Self::Request(error) => write!(f, "the search of the audit events failed: {error}"),
        }
    }
}

impl std::error::Error for LastUseError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Request(error) => Some(error.as_ref()),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_page_counts_and_the_next_ones_only_page() {
        let since = DateTime::from_timestamp_millis(1_788_739_200_000).unwrap();
        let first = serde_json::to_value(AuditEvents::filebeat().page(since, None)).unwrap();
        assert_eq!(first["size"], 0);
        assert_eq!(first["track_total_hits"], true);
        assert_eq!(
            first["query"]["bool"]["filter"],
            json!([
                {"range": {"@timestamp": {"gte": 1_788_739_200_000_i64, "format": "epoch_millis"}}},
                {"term": {"event.dataset": "elasticsearch.audit"}}
            ])
        );
        assert_eq!(
            first["aggs"]["keys"]["composite"]["sources"],
            json!([{"id": {"terms": {"field": "elasticsearch.audit.apikey.id"}}}])
        );
        assert!(first["aggs"]["api_key_events"]["filter"].is_object());
        let whole = serde_json::to_value(AuditEvents::filebeat().first_event()).unwrap();
        assert_eq!(
            whole["query"]["bool"]["filter"],
            json!([{"term": {"event.dataset": "elasticsearch.audit"}}]),
            "the first event of the whole index, before the window too"
        );
        let after = json!({"id": "k9"});
        let next =
            serde_json::to_value(AuditEvents::elastic_agent().page(since, Some(&after))).unwrap();
        assert_eq!(next["aggs"]["keys"]["composite"]["after"], after);
        assert_eq!(next["track_total_hits"], false);
        assert!(next["aggs"].get("api_key_events").is_none());
    }
}
