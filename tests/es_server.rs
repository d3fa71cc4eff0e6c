//! A loopback Elasticsearch that serves API keys as a cluster does: `GET /_security/api_key` with
//! its filters, the query API (`POST /_security/_query/api_key`) with its queries, sorts, pages
//! and `search_after`, and `filter_path` on both ([`crate::filter_path`]). For tests of what
//! `apikeys` asks for, and for the link-limited benchmark, which also caps its rate.
//!
//! It keeps each key's JSON text and the few members its filters read, not a decoded tree: a
//! 100,000-key inventory costs what its text costs. A `filter_path` (with a sort) it has not seen
//! is applied to every key once and kept, so that repeated runs measure the link and the client,
//! not this server.
//!
//! Like Elasticsearch (`http.compression`, on by default over plain HTTP), it compresses an
//! answer with gzip when the request accepts it, at Elasticsearch's default level, 3
//! (`http.compression_level`).

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use elastic_apikeys_models::JsonValue;
use serde_json::Value;

use crate::audit_events::AuditLog;
use crate::filter_path::FilterPath;

/// What the cluster's version gives of the query API.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryApi {
    /// Queries, sorts and `search_after` (8.5 and later).
    Paged,
    /// Queries without sorts or pages (7.15 to 8.4): a body with `sort` or `search_after` is a
    /// 400, as an unknown field.
    Unpaged,
    /// No query API (before 7.15): the path has no handler.
    Missing,
}

/// One request the server received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seen {
    /// `GET`, `POST`, ...
    pub method: String,
    /// The path, without the query string.
    pub path: String,
    /// The query parameters, decoded, in the order sent.
    pub params: Vec<(String, String)>,
    /// The body, as text.
    pub body: String,
    /// Whether its `Accept-Encoding` names gzip.
    pub accepts_gzip: bool,
}

impl Seen {
    /// The value of the parameter `name`, if it was sent.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// The members of a key that the filters read.
#[derive(Debug, serde::Deserialize)]
struct Indexed {
    id: String,
    name: Option<String>,
    #[serde(default)]
    username: String,
    #[serde(default)]
    realm: String,
    #[serde(default)]
    creation: i64,
    expiration: Option<i64>,
    #[serde(default)]
    invalidated: bool,
    #[serde(rename = "type")]
    type_: Option<String>,
}

/// Each key's text as a filter left it, in the cluster's order; `None` where nothing is left.
type Filtered = Arc<Vec<Option<String>>>;

/// The keys a query matches, in its sort order, each with its sort values.
type Sorted = Arc<Vec<(Vec<SortValue>, usize)>>;

/// How two keys' sort values compare under `sort`.
fn compare(sort: &[(String, bool)], a: &[SortValue], b: &[SortValue]) -> std::cmp::Ordering {
    sort.iter()
        .zip(a.iter().zip(b))
        .map(|((_, descending), (a, b))| {
            let order = a.cmp(b);
            if *descending { order.reverse() } else { order }
        })
        .find(|order| order.is_ne())
        .unwrap_or(std::cmp::Ordering::Equal)
}

struct Key {
    /// The key's JSON text, as a cluster sends it.
    text: String,
    indexed: Indexed,
}

/// A cluster's API keys and how it answers for them.
pub struct Cluster {
    keys: Vec<Key>,
    /// What "now" is, in milliseconds since the epoch, for `active_only` and `now` in ranges.
    now: i64,
    query_api: QueryApi,
    /// The most bytes a second it writes, if capped.
    rate: Option<u64>,
    /// Each key's text filtered by a `filter_path` (and with the `_sort` of a sort), by both.
    filtered: Mutex<HashMap<(String, String), Filtered>>,
    /// The matches of each query, in its sort order, with their sort values.
    sorted: Mutex<HashMap<(String, String), Sorted>>,
    seen: Mutex<Vec<Seen>>,
    /// The bytes of every answer written, heads included, for `GET /_test/sent`.
    sent: AtomicU64,
    /// Its indexed audit events, which `POST /<index>/_search` searches.
    audit: AuditLog,
}

impl Cluster {
    /// A cluster holding the keys of `body`, a `GET /_security/api_key` answer, whose clock
    /// reads `now` (milliseconds since the epoch).
    pub fn new(body: &str, now: i64) -> Self {
        #[derive(serde::Deserialize)]
        struct Answer<'a> {
            #[serde(borrow)]
            api_keys: Vec<&'a serde_json::value::RawValue>,
        }
        let answer: Answer<'_> = serde_json::from_str(body).expect("a GET /_security/api_key body");
        let keys = answer
            .api_keys
            .into_iter()
            .map(|raw| Key {
                text: without_sort(raw.get()),
                indexed: serde_json::from_str(raw.get()).expect("a key with an id"),
            })
            .collect();
        Self {
            keys,
            now,
            query_api: QueryApi::Paged,
            rate: None,
            filtered: Mutex::new(HashMap::new()),
            sorted: Mutex::new(HashMap::new()),
            seen: Mutex::new(Vec::new()),
            sent: AtomicU64::new(0),
            audit: AuditLog::new(),
        }
    }

    /// The same cluster, with these indexed audit events.
    pub fn with_audit_log(mut self, audit: AuditLog) -> Self {
        self.audit = audit;
        self
    }

    /// The same cluster, with this much of the query API.
    pub fn with_query_api(mut self, query_api: QueryApi) -> Self {
        self.query_api = query_api;
        self
    }

    /// The same cluster, behind a link of `bytes_per_second`.
    pub fn with_rate(mut self, bytes_per_second: u64) -> Self {
        self.rate = Some(bytes_per_second);
        self
    }

    /// Serves on a loopback port, on threads of its own, for as long as the process runs.
    /// Besides the cluster's answers it answers `GET /_test/sent` with `{"sent": N}`, the bytes
    /// of every other answer it has written ([`bytes_sent`]).
    pub fn serve(self) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
        let url = format!("http://{}", listener.local_addr().expect("an address"));
        let cluster = Arc::new(self);
        let serving = Arc::clone(&cluster);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let cluster = Arc::clone(&serving);
                std::thread::spawn(move || cluster.connection(stream));
            }
        });
        Server { url, cluster }
    }

    fn connection(&self, stream: TcpStream) {
        let _ = stream.set_nodelay(true);
        let Ok(writer) = stream.try_clone() else {
            return;
        };
        let mut reader = BufReader::new(stream);
        let mut writer = writer;
        while let Some(request) = read_request(&mut reader) {
            // What every answer so far has cost the link: for benchmarks, which run the server
            // in a process of their own. Not an answer of Elasticsearch's, and not counted.
            if request.path == "/_test/sent" {
                let body = format!(r#"{{"sent":{}}}"#, self.sent.load(Ordering::SeqCst));
                let head = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
                    body.len()
                );
                if writer.write_all(head.as_bytes()).is_err()
                    || writer.write_all(body.as_bytes()).is_err()
                {
                    return;
                }
                continue;
            }
            let (status, body) = self.answer(&request);
            let (encoding, body) = if request.accepts_gzip {
                ("Content-Encoding: gzip\r\n", gzip(&body))
            } else {
                ("", body)
            };
            self.seen.lock().unwrap().push(request);
            let head = format!(
                "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nX-elastic-product: \
                 Elasticsearch\r\n{encoding}Content-Length: {}\r\n\r\n",
                body.len()
            );
            if self.write(&mut writer, head.as_bytes()).is_err()
                || self.write(&mut writer, &body).is_err()
            {
                return;
            }
            self.sent
                .fetch_add((head.len() + body.len()) as u64, Ordering::SeqCst);
        }
    }

    /// Writes `bytes`, no faster than the rate.
    fn write(&self, out: &mut TcpStream, bytes: &[u8]) -> std::io::Result<()> {
        let Some(rate) = self.rate else {
            return out.write_all(bytes);
        };
        let started = Instant::now();
        let mut sent = 0_usize;
        for chunk in bytes.chunks(16 * 1024) {
            out.write_all(chunk)?;
            sent += chunk.len();
            let due = Duration::from_secs_f64(sent as f64 / rate as f64);
            if let Some(wait) = due.checked_sub(started.elapsed()) {
                std::thread::sleep(wait);
            }
        }
        Ok(())
    }

    fn answer(&self, request: &Seen) -> (&'static str, Vec<u8>) {
        match (request.method.as_str(), request.path.as_str()) {
            ("GET", "/_security/api_key") => ("200 OK", self.get(request)),
            ("GET" | "POST", "/_security/_query/api_key") => match self.query_api {
                QueryApi::Missing => (
                    "400 Bad Request",
                    format!(
                        r#"{{"error":"no handler found for uri [{}] and method [{}]","status":400}}"#,
                        request.path, request.method
                    )
                    .into_bytes(),
                ),
                _ => match self.query(request) {
                    Ok(body) => ("200 OK", body),
                    Err(reason) => ("400 Bad Request", bad_request(&reason)),
                },
            },
            ("GET" | "POST", path) if path.ends_with("/_search") => {
                let index = path.trim_start_matches('/').trim_end_matches("/_search");
                let index = form_urlencoded::parse(format!("i={index}").as_bytes())
                    .next()
                    .map(|(_, index)| index.into_owned())
                    .unwrap_or_default();
                self.audit.search(&index, &request.params, &request.body)
            }
            _ => (
                "404 Not Found",
                br#"{"error":"not served by the test cluster","status":404}"#.to_vec(),
            ),
        }
    }

    /// `GET /_security/api_key`: its filters, as `ApiKeyService` applies them.
    fn get(&self, request: &Seen) -> Vec<u8> {
        let name = request.param("name").filter(|n| *n != "*" && !n.is_empty());
        let active_only = request.param("active_only") == Some("true");
        let matches = |key: &Indexed| {
            request.param("id").is_none_or(|id| key.id == id)
                && name.is_none_or(|name| match name.strip_suffix('*') {
                    Some(prefix) => key.name.as_deref().is_some_and(|n| n.starts_with(prefix)),
                    None => key.name.as_deref() == Some(name),
                })
                && request.param("username").is_none_or(|u| key.username == u)
                && request.param("realm_name").is_none_or(|r| key.realm == r)
                && (!active_only
                    || (!key.invalidated && key.expiration.is_none_or(|e| e > self.now)))
        };
        let chosen: Vec<usize> = (0..self.keys.len())
            .filter(|&i| matches(&self.keys[i].indexed))
            .collect();
        self.render(request.param("filter_path"), None, &chosen, None)
    }

    /// `POST /_security/_query/api_key`.
    fn query(&self, request: &Seen) -> Result<Vec<u8>, String> {
        let body: Value = if request.body.trim().is_empty() {
            Value::Object(Default::default())
        } else {
            serde_json::from_str(&request.body).map_err(|e| e.to_string())?
        };
        if self.query_api == QueryApi::Unpaged {
            for field in ["sort", "search_after"] {
                if body.get(field).is_some() {
                    return Err(format!(
                        "[1:2] [query_api_key_request] unknown field [{field}]"
                    ));
                }
            }
        }
        let sort = sorts(body.get("sort"))?;
        // The matches in sort order, each with its sort values, made once per query and sort:
        // a cluster sorts from its index, and each page here is a search in this list.
        let mut what = body.clone();
        if let Value::Object(members) = &mut what {
            for paging in ["search_after", "from", "size"] {
                members.remove(paging);
            }
        }
        let cache_key = (format!("query {what}"), String::new());
        let cached = self.sorted.lock().unwrap().get(&cache_key).cloned();
        let sorted = match cached {
            Some(sorted) => sorted,
            None => {
                let query = body.get("query").cloned().unwrap_or(Value::Null);
                let mut sorted: Vec<(Vec<SortValue>, usize)> = Vec::new();
                for (index, key) in self.keys.iter().enumerate() {
                    if query.is_null() || self.matches(&query, &key.indexed)? {
                        let values = sort
                            .iter()
                            .map(|(field, _)| sort_value(&key.indexed, index, field))
                            .collect();
                        sorted.push((values, index));
                    }
                }
                sorted.sort_by(|(a, _), (b, _)| compare(&sort, a, b));
                let sorted = Arc::new(sorted);
                self.sorted
                    .lock()
                    .unwrap()
                    .insert(cache_key, Arc::clone(&sorted));
                sorted
            }
        };
        let total = sorted.len();
        let start = match body.get("search_after").and_then(Value::as_array) {
            Some(after) => {
                if after.len() != sort.len() {
                    return Err("search_after has as many values as sort has keys".to_string());
                }
                let after: Vec<SortValue> = after.iter().map(SortValue::from_json).collect();
                sorted.partition_point(|(values, _)| compare(&sort, values, &after).is_le())
            }
            None => 0,
        };
        let chosen: Vec<usize> = sorted[start..].iter().map(|(_, index)| *index).collect();
        let from = body.get("from").and_then(Value::as_u64).unwrap_or(0) as usize;
        let size = body.get("size").and_then(Value::as_u64).unwrap_or(10) as usize;
        if size > 10_000 || from + size > 10_000 {
            return Err(format!(
                "Result window is too large, from + size must be less than or equal to: [10000] but was [{}]",
                from + size
            ));
        }
        let page: Vec<usize> = chosen.into_iter().skip(from).take(size).collect();
        let sort = (!sort.is_empty()).then_some(sort);
        Ok(self.render(
            request.param("filter_path"),
            Some((total, page.len())),
            &page,
            sort.as_deref(),
        ))
    }

    /// Whether `key` matches `query`, in the query API's fields.
    fn matches(&self, query: &Value, key: &Indexed) -> Result<bool, String> {
        let Some((kind, inner)) = query.as_object().and_then(|q| q.iter().next()) else {
            return Err(format!("not a query: {query}"));
        };
        let field_value = |inner: &Value| -> Result<(String, Value), String> {
            let (field, value) = inner
                .as_object()
                .and_then(|o| o.iter().next())
                .ok_or(format!("[{kind}] needs a field"))?;
            let value = value.get("value").cloned().unwrap_or_else(|| value.clone());
            Ok((field.clone(), value))
        };
        Ok(match kind.as_str() {
            "match_all" => true,
            "bool" => {
                let all = |name: &str| -> Result<Vec<bool>, String> {
                    let clauses = match inner.get(name) {
                        None => Vec::new(),
                        Some(Value::Array(list)) => list.clone(),
                        Some(one) => vec![one.clone()],
                    };
                    clauses.iter().map(|c| self.matches(c, key)).collect()
                };
                let (must, filter, should, must_not) = (
                    all("must")?,
                    all("filter")?,
                    all("should")?,
                    all("must_not")?,
                );
                let minimum = inner
                    .get("minimum_should_match")
                    .and_then(Value::as_u64)
                    .unwrap_or(u64::from(
                        must.is_empty() && filter.is_empty() && !should.is_empty(),
                    ));
                must.iter().chain(&filter).all(|m| *m)
                    && !must_not.iter().any(|m| *m)
                    && should.iter().filter(|m| **m).count() as u64 >= minimum
            }
            "term" => {
                let (field, value) = field_value(inner)?;
                field_of(key, &field)? == value
            }
            "terms" => {
                let (field, values) = inner
                    .as_object()
                    .and_then(|o| o.iter().next())
                    .ok_or("[terms] needs a field")?;
                let values = values.as_array().ok_or("[terms] takes a list")?;
                values.contains(&field_of(key, field)?)
            }
            "prefix" => {
                let (field, value) = field_value(inner)?;
                let prefix = value.as_str().ok_or("[prefix] takes a string")?;
                field_of(key, &field)?
                    .as_str()
                    .is_some_and(|v| v.starts_with(prefix))
            }
            "exists" => {
                let field = inner
                    .get("field")
                    .and_then(Value::as_str)
                    .ok_or("[exists] needs a field")?;
                !field_of(key, field)?.is_null()
            }
            "ids" => inner
                .get("values")
                .and_then(Value::as_array)
                .is_some_and(|ids| ids.iter().any(|id| id == key.id.as_str())),
            "range" => {
                let (field, bounds) = inner
                    .as_object()
                    .and_then(|o| o.iter().next())
                    .ok_or("[range] needs a field")?;
                let Some(value) = field_of(key, field)?.as_i64() else {
                    return Ok(false);
                };
                let bound = |name: &str| -> Result<Option<i64>, String> {
                    match bounds.get(name) {
                        None => Ok(None),
                        Some(Value::String(now)) if now == "now" => Ok(Some(self.now)),
                        Some(other) => other
                            .as_i64()
                            .map(Some)
                            .ok_or(format!("[range] {name}: {other}")),
                    }
                };
                bound("gt")?.is_none_or(|b| value > b)
                    && bound("gte")?.is_none_or(|b| value >= b)
                    && bound("lt")?.is_none_or(|b| value < b)
                    && bound("lte")?.is_none_or(|b| value <= b)
            }
            other => return Err(format!("unknown query [{other}]")),
        })
    }

    /// The answer holding the keys `chosen`: with `counts` (total, count) for the query API,
    /// and each key's `_sort` under `sort`; cut down by `filter`.
    fn render(
        &self,
        filter: Option<&str>,
        counts: Option<(usize, usize)>,
        chosen: &[usize],
        sort: Option<&[(String, bool)]>,
    ) -> Vec<u8> {
        let sort_text = sort.map(|s| format!("{s:?}")).unwrap_or_default();
        let with_sort = |index: usize| -> String {
            let text = &self.keys[index].text;
            match sort {
                None => text.clone(),
                Some(sort) => {
                    let values: Vec<Value> = sort
                        .iter()
                        .map(|(field, _)| {
                            sort_value(&self.keys[index].indexed, index, field).to_json()
                        })
                        .collect();
                    let close = text.rfind('}').expect("a key is an object");
                    format!("{},\"_sort\":{}}}", &text[..close], Value::Array(values))
                }
            }
        };
        let filter = filter.filter(|f| !f.trim().is_empty());
        let texts: Option<Filtered> = filter.map(|filter| {
            let cached = self
                .filtered
                .lock()
                .unwrap()
                .get(&(filter.to_string(), sort_text.clone()))
                .cloned();
            cached.unwrap_or_else(|| {
                let path = FilterPath::parse(filter);
                let all: Vec<Option<String>> = (0..self.keys.len())
                    .map(|index| {
                        let element: JsonValue = serde_json::from_str(&with_sort(index)).unwrap();
                        let wrapped = JsonValue::Object(
                            [("api_keys".into(), JsonValue::Array(vec![element].into()))]
                                .into_iter()
                                .collect(),
                        );
                        path.apply(&wrapped).and_then(|kept| {
                            let kept = kept.get("api_keys")?.as_array()?.first()?.clone();
                            Some(serde_json::to_string(&kept).unwrap())
                        })
                    })
                    .collect();
                let all = Arc::new(all);
                self.filtered
                    .lock()
                    .unwrap()
                    .insert((filter.to_string(), sort_text.clone()), Arc::clone(&all));
                all
            })
        });
        let mut members: Vec<(String, Vec<u8>)> = Vec::new();
        if let Some((total, count)) = counts {
            for (name, value) in [("total", total), ("count", count)] {
                let kept = filter.is_none_or(|filter| {
                    let one = JsonValue::Object(
                        [(name.into(), JsonValue::from(value as f64))]
                            .into_iter()
                            .collect(),
                    );
                    FilterPath::parse(filter).apply(&one).is_some()
                });
                if kept {
                    members.push((name.to_string(), value.to_string().into_bytes()));
                }
            }
        }
        let mut list = Vec::with_capacity(chosen.len() * 64);
        list.push(b'[');
        let mut any = false;
        for &index in chosen {
            let text = match &texts {
                Some(texts) => match &texts[index] {
                    Some(text) => text.clone(),
                    None => continue,
                },
                None => with_sort(index),
            };
            if any {
                list.push(b',');
            }
            any = true;
            list.extend_from_slice(text.as_bytes());
        }
        list.push(b']');
        if any || filter.is_none() {
            members.push(("api_keys".to_string(), list));
        }
        let mut body = b"{".to_vec();
        for (position, (name, value)) in members.iter().enumerate() {
            if position > 0 {
                body.push(b',');
            }
            body.extend_from_slice(format!("\"{name}\":").as_bytes());
            body.extend_from_slice(value);
        }
        body.push(b'}');
        body
    }
}

/// The key `text` without a `_sort`: a GET answer has none, and the query API writes its own.
fn without_sort(text: &str) -> String {
    if !text.contains("\"_sort\"") {
        return text.to_string();
    }
    let JsonValue::Object(mut members) = serde_json::from_str(text).expect("a key is an object")
    else {
        panic!("a key is an object");
    };
    members.remove("_sort");
    serde_json::to_string(&JsonValue::Object(members)).expect("JSON")
}

/// The sort keys of a body's `sort`: each field and whether it is descending.
fn sorts(sort: Option<&Value>) -> Result<Vec<(String, bool)>, String> {
    let Some(sort) = sort else {
        return Ok(Vec::new());
    };
    let list = match sort {
        Value::Array(list) => list.clone(),
        one => vec![one.clone()],
    };
    list.iter()
        .map(|entry| match entry {
            Value::String(field) => Ok((field.clone(), false)),
            Value::Object(o) => {
                let (field, order) = o.iter().next().ok_or("an empty sort")?;
                let order = order.get("order").unwrap_or(order);
                Ok((field.clone(), order == "desc"))
            }
            other => Err(format!("not a sort: {other}")),
        })
        .collect()
}

/// A sort value, in the order the query API sorts them: numbers, then strings, missing last.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum SortValue {
    Number(i64),
    Text(String),
    Missing,
}

impl SortValue {
    fn from_json(value: &Value) -> Self {
        match value {
            Value::Number(n) => n.as_i64().map_or(Self::Missing, Self::Number),
            Value::Bool(b) => Self::Number(i64::from(*b)),
            Value::String(s) => Self::Text(s.clone()),
            _ => Self::Missing,
        }
    }

    fn to_json(&self) -> Value {
        match self {
            Self::Number(n) => Value::from(*n),
            Self::Text(s) => Value::from(s.clone()),
            Self::Missing => Value::Null,
        }
    }
}

fn sort_value(key: &Indexed, index: usize, field: &str) -> SortValue {
    if field == "_doc" {
        return SortValue::Number(index as i64);
    }
    field_of(key, field).map_or(SortValue::Missing, |v| SortValue::from_json(&v))
}

/// The value of the query API's field `field` for `key`; `null` when the key has none.
fn field_of(key: &Indexed, field: &str) -> Result<Value, String> {
    Ok(match field {
        "name" => key.name.clone().map_or(Value::Null, Value::from),
        "username" => Value::from(key.username.clone()),
        "realm_name" => Value::from(key.realm.clone()),
        "creation" => Value::from(key.creation),
        "expiration" => key.expiration.map_or(Value::Null, Value::from),
        "invalidated" => Value::from(key.invalidated),
        // Keys from clusters before 8.10 are REST keys.
        "type" => Value::from(key.type_.clone().unwrap_or_else(|| "rest".to_string())),
        other => {
            return Err(format!(
                "Field [{other}] is not allowed for querying or aggregation"
            ));
        }
    })
}

fn bad_request(reason: &str) -> Vec<u8> {
    let cause = serde_json::json!({"type": "x_content_parse_exception", "reason": reason});
    serde_json::to_vec(&serde_json::json!({
        "error": {"root_cause": [cause.clone()], "type": cause["type"], "reason": reason},
        "status": 400
    }))
    .unwrap()
}

/// Reads one request; `None` at the end of the connection or on a request it cannot read.
fn read_request(reader: &mut BufReader<TcpStream>) -> Option<Seen> {
    let mut line = String::new();
    if reader.read_line(&mut line).ok()? == 0 {
        return None;
    }
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_string();
    let target = parts.next()?.to_string();
    let mut length = 0_usize;
    let mut accepts_gzip = false;
    loop {
        let mut header = String::new();
        reader.read_line(&mut header).ok()?;
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse().ok()?;
        }
        if let Some((name, value)) = header.split_once(':')
            && name.eq_ignore_ascii_case("accept-encoding")
        {
            accepts_gzip |= value
                .split(',')
                .any(|coding| coding.split(';').next().unwrap_or("").trim() == "gzip");
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    let (path, query) = target.split_once('?').unwrap_or((&target, ""));
    let params = form_urlencoded::parse(query.as_bytes())
        .map(|(name, value)| (name.into_owned(), value.into_owned()))
        .collect();
    Some(Seen {
        method,
        path: path.to_string(),
        params,
        body: String::from_utf8_lossy(&body).into_owned(),
        accepts_gzip,
    })
}

/// `body` compressed with gzip at Elasticsearch's default level.
fn gzip(body: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(
        Vec::with_capacity(body.len() / 4),
        flate2::Compression::new(3),
    );
    encoder.write_all(body).expect("writing to memory");
    encoder.finish().expect("writing to memory")
}

/// The bytes a cluster served at `url` has written in answers so far, heads included, from
/// its `GET /_test/sent` (for a cluster in another process).
pub fn bytes_sent(url: &str) -> u64 {
    let address = url.trim_start_matches("http://");
    let mut stream = TcpStream::connect(address).expect("the cluster listens");
    write!(
        stream,
        "GET /_test/sent HTTP/1.1\r\nHost: {address}\r\nContent-Length: 0\r\n\r\n"
    )
    .expect("a request");
    let mut reader = BufReader::new(stream);
    let mut length = 0;
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).expect("a head");
        if line.trim().is_empty() {
            break;
        }
        if let Some(value) = line.to_ascii_lowercase().strip_prefix("content-length:") {
            length = value.trim().parse().expect("a length");
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).expect("a body");
    let answer: Value = serde_json::from_slice(&body).expect("JSON");
    answer["sent"].as_u64().expect("a count")
}

/// A [`Cluster`] being served.
pub struct Server {
    url: String,
    cluster: Arc<Cluster>,
}

impl Server {
    /// Its base URL.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The requests it has answered, in order.
    pub fn seen(&self) -> Vec<Seen> {
        self.cluster.seen.lock().unwrap().clone()
    }
}
