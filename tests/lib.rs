//! Helpers shared by the workspace's cross-crate tests.
//!
//! - The spec's response examples ([`response_examples`]): the examples of Elastic's API
//!   reference and the error bodies the services send.
//! - The fixture corpus under `fixtures/` ([`fixtures`]): response bodies in the shapes the real
//!   services send, one directory per model (`fixtures/<module>/<Schema>/*.json`).
//! - Every model by its schema name ([`visit_model`]), so a test can run over all of them.
//! - JSON instances of any schema of the specs, for property tests ([`instances`]).
//! - Large bodies in the real shapes, for benchmarks and streaming tests ([`bodies`]).
//! - A loopback server that breaks connections on purpose, for fault tests ([`raw_server`]), and
//!   the thread and runtime that servers of tests that are not async run on ([`background`]).
//! - Base URLs that carry passwords in every shape, for hostile-configuration tests
//!   ([`hostile`]).
//! - Certificates made at run time ([`pki`]), HTTPS servers on two TLS stacks ([`tls_server`])
//!   and an HTTP proxy that counts what it relays ([`proxy_server`]), for the TLS and proxy
//!   tests.

pub mod background;
pub mod bodies;
pub mod hostile;
pub mod instances;
mod models;
pub mod pki;
pub mod proxy_server;
pub mod raw_server;
pub mod tls_server;

use std::path::PathBuf;

pub use models::{MODEL_NAMES, Model, ModelVisitor, visit_model};

// The workspace README's examples compile (and the mock server's runs) as doctests of this
// package. It is never published, so it may read a file outside its directory; the published
// crates compile their own READMEs.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct WorkspaceReadmeDoctests;

use openapiv3::{OpenAPI, ReferenceOr};
use xtask::codegen::{SERVICES, Service};

/// The workspace root.
pub fn workspace_root() -> PathBuf {
    xtask::codegen::workspace_root()
}

/// One response example of a spec.
#[derive(Debug, Clone)]
pub struct ResponseExample {
    /// The service whose spec holds it.
    pub service: Service,
    /// The operation, as the spec names it (`get-api-keys`, `security.get_api_key`).
    pub operation_id: String,
    /// The HTTP status it is the example of (`200`, `404`).
    pub status: String,
    /// The example's name in the spec.
    pub name: String,
    /// The component schema of the response body (`ApiKeysResponse`, `ErrorResponse`).
    pub schema: String,
    /// The body.
    pub value: serde_json::Value,
}

/// Parses the spec of `service`.
pub fn load_spec(service: Service) -> OpenAPI {
    xtask::codegen::load_spec(&workspace_root().join(service.spec))
        .unwrap_or_else(|e| panic!("{e}"))
}

/// The response `response` stands for: itself, or the shared response of `components/responses`
/// it refers to.
pub fn resolve_response<'a>(
    spec: &'a OpenAPI,
    response: &'a ReferenceOr<openapiv3::Response>,
) -> &'a openapiv3::Response {
    match response {
        ReferenceOr::Item(response) => response,
        ReferenceOr::Reference { reference } => reference
            .strip_prefix("#/components/responses/")
            .and_then(|name| spec.components.as_ref()?.responses.get(name)?.as_item())
            .unwrap_or_else(|| panic!("{reference} is not a response of components/responses")),
    }
}

/// Every response example of every spec, in spec order.
pub fn response_examples() -> Vec<ResponseExample> {
    let mut examples = Vec::new();
    for service in SERVICES {
        let spec = load_spec(service);
        for (_, item) in spec.paths.iter() {
            let item = item.as_item().expect("paths are written inline");
            for (_, operation) in item.iter() {
                let operation_id = operation.operation_id.clone().expect("operations have ids");
                for (status, response) in &operation.responses.responses {
                    let response = resolve_response(&spec, response);
                    for media in response.content.values() {
                        let schema = match &media.schema {
                            Some(ReferenceOr::Reference { reference }) => reference
                                .rsplit('/')
                                .next()
                                .expect("a reference has a name")
                                .to_string(),
                            other => panic!("response bodies are component refs, not {other:?}"),
                        };
                        for (name, example) in &media.examples {
                            let ReferenceOr::Item(example) = example else {
                                panic!("examples are written inline")
                            };
                            examples.push(ResponseExample {
                                service,
                                operation_id: operation_id.clone(),
                                status: status.to_string(),
                                name: name.clone(),
                                schema: schema.clone(),
                                value: example.value.clone().expect("examples have a value"),
                            });
                        }
                    }
                }
            }
        }
    }
    examples
}

/// Every `(module, schema)` that some response of the specs has as its body, in spec order.
pub fn response_schemas() -> Vec<(&'static str, String)> {
    let mut schemas: Vec<(&'static str, String)> = Vec::new();
    for service in SERVICES {
        let spec = load_spec(service);
        for (_, item) in spec.paths.iter() {
            for (_, operation) in item.as_item().expect("paths are written inline").iter() {
                for response in operation.responses.responses.values() {
                    let response = resolve_response(&spec, response);
                    for media in response.content.values() {
                        if let Some(ReferenceOr::Reference { reference }) = &media.schema {
                            let name = reference.rsplit('/').next().unwrap().to_string();
                            if !schemas.contains(&(service.module, name.clone())) {
                                schemas.push((service.module, name));
                            }
                        }
                    }
                }
            }
        }
    }
    schemas
}

/// The example `name` of `operation_id`'s `status` response.
pub fn response_example(operation_id: &str, status: &str, name: &str) -> serde_json::Value {
    response_examples()
        .into_iter()
        .find(|e| e.operation_id == operation_id && e.status == status && e.name == name)
        .unwrap_or_else(|| panic!("no example {name} of {operation_id} {status} in spec/"))
        .value
}

/// One body of the fixture corpus.
#[derive(Debug, Clone)]
pub struct Fixture {
    /// The path below `tests/fixtures/`.
    pub path: String,
    /// The module of the model (`cloud`, `elasticsearch`).
    pub module: String,
    /// The schema the body is an instance of (`ApiKeysResponse`, `ErrorResponse`).
    pub schema: String,
    /// The body, byte for byte.
    pub text: String,
}

/// Every body of the fixture corpus, sorted by path.
pub fn fixtures() -> Vec<Fixture> {
    let root = workspace_root().join("tests/fixtures");
    let mut fixtures = Vec::new();
    for module in read_dir_sorted(&root) {
        for schema in read_dir_sorted(&module) {
            for file in read_dir_sorted(&schema) {
                let name =
                    |p: &std::path::Path| p.file_name().unwrap().to_string_lossy().into_owned();
                fixtures.push(Fixture {
                    path: file
                        .strip_prefix(&root)
                        .unwrap()
                        .to_string_lossy()
                        .into_owned(),
                    module: name(&module),
                    schema: name(&schema),
                    text: std::fs::read_to_string(&file).unwrap(),
                });
            }
        }
    }
    fixtures
}

/// The body of `fixtures/<path>`.
pub fn fixture(path: &str) -> String {
    std::fs::read_to_string(workspace_root().join("tests/fixtures").join(path))
        .unwrap_or_else(|e| panic!("fixture {path}: {e}"))
}

fn read_dir_sorted(dir: &std::path::Path) -> Vec<PathBuf> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .collect();
    entries.sort();
    entries
}

/// Optional fields whose `null` the models read as absent, and write back absent: error texts,
/// and the bounds of a `range` query or a range aggregation's ranges, where Elasticsearch reads
/// `null` as "unbounded", the same as absent (`RangeQueryBuilder`, `RangeAggregator.Range`).
const NULL_MEANS_ABSENT: &[&str] = &["reason", "fields", "gt", "gte", "lt", "lte", "from", "to"];
/// Date-time fields, compared as instants.
const DATE_TIMES: &[&str] = &["creation_date", "expiration_date"];

/// `value` with the differences a round trip through the models may make, and only those,
/// undone; two documents are "the same" when their normalised forms are equal.
///
/// - A Cloud date-time may come back in another offset (always `Z`) with another number of
///   fraction digits, for the same instant: date-times become their instant, as seconds and nanoseconds.
/// - An optional field sent as `null` (`reason`, `fields`, range bounds) comes back absent: such
///   members go.
///
/// Object key order is not a difference in JSON, and `serde_json::Value` ignores it.
pub fn normalise(value: &serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Value::Object(members) => Value::Object(
            members
                .iter()
                .filter(|(k, v)| !(v.is_null() && NULL_MEANS_ABSENT.contains(&k.as_str())))
                .map(|(k, v)| match (DATE_TIMES.contains(&k.as_str()), v) {
                    (true, Value::String(text)) => {
                        let at = chrono::DateTime::parse_from_rfc3339(text)
                            .unwrap_or_else(|e| panic!("{k}: {text}: {e}"));
                        let instant = [at.timestamp(), i64::from(at.timestamp_subsec_nanos())];
                        (k.clone(), Value::from(instant.to_vec()))
                    }
                    _ => (k.clone(), normalise(v)),
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(normalise).collect()),
        other => other.clone(),
    }
}
