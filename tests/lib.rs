//! Helpers shared by the workspace's cross-crate tests.
//!
//! The response examples live in the spec (the seeds' examples verbatim, plus the error bodies of
//! FACTS), so the tests read them from there: an example added to the spec is tested without a
//! second copy.

use std::path::PathBuf;

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
                    let response = match response {
                        ReferenceOr::Item(response) => response,
                        ReferenceOr::Reference { reference } => {
                            panic!("responses are written inline, not {reference}")
                        }
                    };
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

/// The example `name` of `operation_id`'s `status` response.
pub fn response_example(operation_id: &str, status: &str, name: &str) -> serde_json::Value {
    response_examples()
        .into_iter()
        .find(|e| e.operation_id == operation_id && e.status == status && e.name == name)
        .unwrap_or_else(|| panic!("no example {name} of {operation_id} {status} in spec/"))
        .value
}
