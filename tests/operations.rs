//! Every operation of both specs, sent through the client to the generated mock.
//!
//! For each operation, the spec gives the cases: each request example with the required
//! parameters, then each optional parameter on its own (two optional parameters together may be
//! a combination the API refuses). Every case goes through the client's typed builder and the
//! operation's own mock method (`tests/generated/`, written by `cargo xtask codegen` from the
//! spec); the mock checks that the request is exactly the one the spec describes (method, path,
//! query and JSON body) and answers with the operation's first success example, which the client
//! must decode to the same document. Each example of an answer marked `x-not-found` must come
//! back as `Error::NotFound`, naming the parameter's value. A new operation is covered as soon as it is in the spec;
//! one without the examples this needs fails here, saying which to add.

// Written by `cargo xtask codegen` and formatted by it (prettyplease), not by rustfmt.
#[rustfmt::skip]
#[path = "generated/cloud.rs"]
mod cloud;
#[rustfmt::skip]
#[path = "generated/elasticsearch.rs"]
mod elasticsearch;

use elastic_apikeys_client::RetryPolicy;
use elastic_apikeys_tests::{load_spec, normalise, resolve_response};
use httpmock::MockServer;
use openapiv3::{OpenAPI, Parameter, ReferenceOr};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use xtask::codegen::{SERVICES, Service};

/// `value` as the type the client's builder takes.
fn decode<T: DeserializeOwned>(value: &Value) -> T {
    serde_json::from_value(value.clone())
        .unwrap_or_else(|e| panic!("an example does not decode into its type: {e}\n{value}"))
}

/// What the client decoded, as JSON.
fn encode<T: Serialize>(value: &T) -> Value {
    serde_json::to_value(value).expect("a decoded answer encodes")
}

/// One request of one operation, and the answer the mock gives.
#[derive(Debug, Clone)]
struct Case {
    service: Service,
    operation_id: String,
    /// What the case is, for failure messages.
    label: String,
    /// The path with its parameters filled in.
    path: String,
    /// The parameters, by their spec names.
    parameters: Map<String, Value>,
    /// The query the server must see, as text.
    query: Vec<(String, String)>,
    body: Option<Value>,
    status: u16,
    answer: Value,
    /// For an answer the spec marks `x-not-found`: the parameter that names what is missing.
    not_found: Option<String>,
    /// `answer` with each value that its schema marks `format: password` made unique (an
    /// example may hold placeholders such as `"string"` elsewhere too), and those values.
    marked: (Value, Vec<String>),
}

/// The value of a parameter in a URL.
fn text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// The cases of every operation of `service`, or what the spec lacks to make them.
fn cases(service: Service) -> Result<Vec<Case>, Vec<String>> {
    let spec: OpenAPI = load_spec(service);
    let mut cases = Vec::new();
    let mut missing = Vec::new();
    for (path, item) in spec.paths.iter() {
        let item = item.as_item().expect("paths are written inline");
        for (method, operation) in item.iter() {
            let id = operation.operation_id.clone().unwrap_or_default();
            let context = format!("{}: {method} {path} ({id})", service.spec);
            let mut required = Vec::new();
            let mut optional = Vec::new();
            for parameter in &operation.parameters {
                let ReferenceOr::Item(parameter) = parameter else {
                    panic!("{context}: parameters are written inline");
                };
                let data = parameter.parameter_data_ref();
                let Some(example) = data.example.clone() else {
                    missing.push(format!(
                        "{context}: give the parameter `{}` an `example:`",
                        data.name
                    ));
                    continue;
                };
                let in_path = matches!(parameter, Parameter::Path { .. });
                let entry = (data.name.clone(), example, in_path);
                if data.required {
                    required.push(entry);
                } else {
                    optional.push(entry);
                }
            }
            let success = operation
                .responses
                .responses
                .iter()
                .filter_map(|(status, response)| match status {
                    openapiv3::StatusCode::Code(code) if (200..300).contains(code) => {
                        Some((*code, resolve_response(&spec, response)))
                    }
                    _ => None,
                })
                .next();
            let Some((status, response)) = success else {
                missing.push(format!("{context}: declare a 2xx response"));
                continue;
            };
            let answer = response
                .content
                .get("application/json")
                .and_then(|media| media.examples.values().next())
                .and_then(|example| example.as_item()?.value.clone());
            let Some(answer) = answer else {
                missing.push(format!(
                    "{context}: give the {status} response a named example"
                ));
                continue;
            };
            let mut marked = (answer.clone(), Vec::new());
            if let Some(schema) = response
                .content
                .get("application/json")
                .and_then(|media| media.schema.as_ref())
            {
                mark_secrets(&spec, schema, &mut marked.0, &mut marked.1);
            }
            let bodies: Vec<(String, Option<Value>)> = match &operation.request_body {
                None => vec![("no body".to_string(), None)],
                Some(body) => {
                    let body = body.as_item().expect("request bodies are written inline");
                    let examples: Vec<_> = body
                        .content
                        .get("application/json")
                        .map(|media| {
                            media
                                .examples
                                .iter()
                                .filter_map(|(name, example)| {
                                    Some((
                                        format!("request example `{name}`"),
                                        Some(example.as_item()?.value.clone()?),
                                    ))
                                })
                                .collect()
                        })
                        .unwrap_or_default();
                    if examples.is_empty() {
                        missing.push(format!("{context}: give the request body a named example"));
                        continue;
                    }
                    examples
                }
            };
            let case =
                |label: String,
                 parameters: &[&(String, Value, bool)],
                 body: Option<Value>,
                 (status, answer, not_found): (u16, &Value, Option<&str>)| {
                    let mut filled = path.clone();
                    let mut query = Vec::new();
                    let mut by_name = Map::new();
                    for (name, value, in_path) in parameters {
                        by_name.insert(name.clone(), value.clone());
                        if *in_path {
                            filled = filled.replace(&format!("{{{name}}}"), &text(value));
                        } else {
                            query.push((name.clone(), text(value)));
                        }
                    }
                    Case {
                        service,
                        operation_id: id.clone(),
                        label,
                        path: filled,
                        parameters: by_name,
                        query,
                        body,
                        status,
                        answer: answer.clone(),
                        not_found: not_found.map(String::from),
                        marked: if not_found.is_none() {
                            marked.clone()
                        } else {
                            (answer.clone(), Vec::new())
                        },
                    }
                };
            let success = (status, &answer, None);
            let required: Vec<_> = required.iter().collect();
            for (label, body) in &bodies {
                cases.push(case(label.clone(), &required, body.clone(), success));
            }
            for parameter in &optional {
                let mut with = required.clone();
                with.push(parameter);
                cases.push(case(
                    format!("with `{}`", parameter.0),
                    &with,
                    bodies[0].1.clone(),
                    success,
                ));
            }
            // Each example of a not-found answer, sent with the parameter that names the thing.
            for (status, response) in &operation.responses.responses {
                let openapiv3::StatusCode::Code(status) = status else {
                    continue;
                };
                let response = resolve_response(&spec, response);
                let Some(rule) = response.extensions.get("x-not-found") else {
                    continue;
                };
                let parameter = rule["parameter"].as_str().unwrap_or_default();
                let named: Vec<_> = required
                    .iter()
                    .copied()
                    .chain(optional.iter().filter(|(name, ..)| name == parameter))
                    .collect();
                let examples = response
                    .content
                    .get("application/json")
                    .map(|media| media.examples.iter().collect::<Vec<_>>())
                    .unwrap_or_default();
                if examples.is_empty() {
                    missing.push(format!(
                        "{context}: give the {status} response (x-not-found) a named example"
                    ));
                }
                for (name, example) in examples {
                    let Some(value) = example.as_item().and_then(|e| e.value.clone()) else {
                        continue;
                    };
                    cases.push(case(
                        format!("{status} example `{name}`"),
                        &named,
                        bodies[0].1.clone(),
                        (*status, &value, Some(parameter)),
                    ));
                }
            }
        }
    }
    if missing.is_empty() {
        Ok(cases)
    } else {
        Err(missing)
    }
}

/// Replaces each string in `value` that `schema` marks `format: password` with a value of its
/// own, added to `found`: the secrets of an example answer, told apart from its other text.
fn mark_secrets(
    spec: &OpenAPI,
    schema: &ReferenceOr<openapiv3::Schema>,
    value: &mut Value,
    found: &mut Vec<String>,
) {
    use openapiv3::{SchemaKind, StringFormat, Type, VariantOrUnknownOrEmpty};
    let schema = match schema {
        ReferenceOr::Item(schema) => schema,
        ReferenceOr::Reference { reference } => {
            let name = reference.trim_start_matches("#/components/schemas/");
            match spec.components.as_ref().and_then(|c| c.schemas.get(name)) {
                Some(schema) => return mark_secrets(spec, schema, value, found),
                None => return,
            }
        }
    };
    match (&schema.schema_kind, value) {
        (SchemaKind::Type(Type::String(string)), value @ Value::String(_))
            if string.format == VariantOrUnknownOrEmpty::Item(StringFormat::Password) =>
        {
            let unique = format!("zq-secret-{}", found.len());
            *value = Value::from(unique.clone());
            found.push(unique);
        }
        (SchemaKind::Type(Type::Object(object)), Value::Object(members)) => {
            for (name, member) in members {
                if let Some(property) = object.properties.get(name) {
                    mark_secrets(spec, &property.clone().unbox(), member, found);
                }
            }
        }
        (SchemaKind::Type(Type::Array(array)), Value::Array(items)) => {
            if let Some(item) = &array.items {
                for value in items {
                    mark_secrets(spec, &item.clone().unbox(), value, found);
                }
            }
        }
        (
            SchemaKind::OneOf { one_of: branches }
            | SchemaKind::AllOf { all_of: branches }
            | SchemaKind::AnyOf { any_of: branches },
            value,
        ) => {
            for branch in branches {
                mark_secrets(spec, branch, value, found);
            }
        }
        _ => {}
    }
}

/// Sends `case` through a client of its service to `base_url`, without retries; `None` for an
/// operation the generated table does not know.
async fn send_to(
    case: &Case,
    base_url: &str,
) -> Option<Result<Value, elastic_apikeys_client::Error>> {
    match case.service.module {
        "cloud" => {
            let client = elastic_apikeys_client::cloud::Client::builder()
                .base_url(base_url)
                .api_key("essu_not_a_real_key")
                .retry(RetryPolicy::none())
                .build()
                .unwrap();
            cloud::send(
                &client,
                &case.operation_id,
                &case.parameters,
                case.body.as_ref(),
            )
            .await
        }
        _ => {
            let client = elastic_apikeys_client::elasticsearch::Client::builder()
                .base_url(base_url)
                .retry(RetryPolicy::none())
                .build()
                .unwrap();
            elasticsearch::send(
                &client,
                &case.operation_id,
                &case.parameters,
                case.body.as_ref(),
            )
            .await
        }
    }
}

/// Sends `case` through the client to the operation's mock; what went wrong, if anything.
async fn run(case: &Case) -> Result<(), String> {
    let server = MockServer::start_async().await;
    let expected_query = {
        let mut query = case.query.clone();
        query.sort();
        query
    };
    let configure = |when: httpmock::When, then: httpmock::Then| {
        let query = expected_query.clone();
        let mut when = when.path(case.path.clone()).is_true(move |request| {
            let mut sent = request.query_params();
            sent.sort();
            sent == query
        });
        if let Some(body) = &case.body {
            when = when.json_body(body.clone());
        }
        let _ = when;
        then.status(case.status)
            .header("content-type", "application/json")
            .json_body(case.answer.clone());
    };
    let mock = match case.service.module {
        "cloud" => cloud::mock(&server, &case.operation_id, configure),
        _ => elasticsearch::mock(&server, &case.operation_id, configure),
    };
    let answer = send_to(case, &server.base_url()).await;
    let (Some(mock), Some(answer)) = (mock, answer) else {
        return Err("not in tests/generated/: run `cargo xtask codegen`".to_string());
    };
    let hits = mock.calls_async().await;
    if hits != 1 {
        return Err(format!(
            "the mock saw {hits} matching requests, not 1: the client sent something else than \
             path {}, query {:?} and body {}",
            case.path,
            case.query,
            case.body
                .as_ref()
                .map_or("none".to_string(), Value::to_string)
        ));
    }
    if let Some(parameter) = &case.not_found {
        let expected = case.parameters.get(parameter).map(text);
        return match answer {
            Err(elastic_apikeys_client::Error::NotFound(not_found))
                if not_found.value == expected =>
            {
                Ok(())
            }
            other => Err(format!(
                "the spec marks this answer `x-not-found`, so the client should return \
                 `Error::NotFound` for {parameter} {expected:?}; it returned {other:?}"
            )),
        };
    }
    let answer = answer.map_err(|e| format!("the client failed: {e}"))?;
    if normalise(&answer) != normalise(&case.answer) {
        return Err(format!(
            "the client decoded another document:\n  sent:    {}\n  decoded: {answer}",
            case.answer
        ));
    }
    Ok(())
}

#[tokio::test]
async fn every_operation_goes_through_the_client_and_its_mock() {
    let mut failures = Vec::new();
    let mut operations = std::collections::BTreeSet::new();
    for service in SERVICES {
        let cases = match cases(service) {
            Ok(cases) => cases,
            Err(missing) => {
                failures.extend(missing);
                continue;
            }
        };
        for case in &cases {
            operations.insert((service.module, case.operation_id.clone()));
            if let Err(why) = run(case).await {
                failures.push(format!(
                    "{} {} ({}): {why}",
                    service.module, case.operation_id, case.label
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // Both specs have operations; a spec that loaded none would make this test pass on nothing.
    for service in SERVICES {
        assert!(
            operations
                .iter()
                .any(|(module, _)| *module == service.module),
            "{} has no operation",
            service.spec
        );
    }
}

/// A new key's secret never reaches an error. For every operation whose success example holds a
/// value the spec marks `format: password`, the server answers in three unexpected ways: the
/// example under a status the operation does not document (as a `201` to a create documented
/// with `200`), the example with its documented status but not decodable (text after it), and
/// with the first secret given as a number (serde_json quotes numbers it did not expect). The
/// error must quote none of the secrets, in `Display` or `Debug`, and show where they were.
#[tokio::test]
async fn answers_that_hold_secrets_are_never_quoted_with_them() {
    use elastic_apikeys_tests::raw_server::{RawServer, Step};

    let mut failures = Vec::new();
    let mut checked = std::collections::BTreeSet::new();
    for service in SERVICES {
        let cases = cases(service).unwrap_or_default();
        for case in cases.iter().filter(|case| !case.marked.1.is_empty()) {
            if !checked.insert((service.module, case.operation_id.clone())) {
                continue;
            }
            let (answer, secrets) = &case.marked;
            let mut number = answer.clone();
            replace_string(&mut number, &secrets[0], Value::from(1_234_567_890_123_u64));
            let status_line = |code: u16| -> &'static str {
                match code {
                    200 => "200 OK",
                    201 => "201 Created",
                    _ => "202 Accepted",
                }
            };
            let answers = [
                ("an undocumented status", Step::json("299 Unlisted", answer)),
                (
                    "a body that does not decode",
                    Step::Respond {
                        status: status_line(case.status),
                        headers: vec!["Content-Type: application/json".to_string()],
                        body: format!("{answer} and more").into_bytes(),
                    },
                ),
                (
                    "a secret of another type",
                    Step::json(status_line(case.status), &number),
                ),
            ];
            for (what, step) in answers {
                let server = RawServer::start(vec![step]).await;
                let Some(result) = send_to(case, server.url()).await else {
                    failures.push(format!("{}: run `cargo xtask codegen`", case.operation_id));
                    continue;
                };
                let error = match result {
                    Ok(answer) => {
                        failures.push(format!(
                            "{} {} with {what}: decoded, as {answer}",
                            service.module, case.operation_id
                        ));
                        continue;
                    }
                    Err(error) => error,
                };
                let text = format!("{error}\n{error:?}");
                let mut quoted: Vec<&str> = secrets
                    .iter()
                    .map(String::as_str)
                    .filter(|secret| text.contains(secret))
                    .collect();
                if text.contains("1234567890123") {
                    quoted.push("1234567890123");
                }
                if !quoted.is_empty() || !text.contains("[REDACTED]") {
                    failures.push(format!(
                        "{} {} with {what}: the error quotes {quoted:?}, or does not show where \
                         the secrets were redacted; the spec's `format: password` fields of the \
                         operation's answers must be redacted in every excerpt:\n{text}",
                        service.module, case.operation_id
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    // Both services create keys; a spec without any secret would make this test pass on nothing.
    for service in SERVICES {
        assert!(
            checked.iter().any(|(module, _)| *module == service.module),
            "{}: no operation's success example holds a `format: password` value",
            service.spec
        );
    }
}

/// Replaces the string `text`, wherever it is in `value`, with `with`.
fn replace_string(value: &mut Value, text: &str, with: Value) {
    match value {
        Value::String(found) if found == text => *value = with,
        Value::Array(items) => items
            .iter_mut()
            .for_each(|item| replace_string(item, text, with.clone())),
        Value::Object(members) => members
            .values_mut()
            .for_each(|member| replace_string(member, text, with.clone())),
        _ => {}
    }
}
