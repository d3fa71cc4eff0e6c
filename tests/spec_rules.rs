//! Rules the hand-written specs keep: every schema, property and parameter has a description
//! (they become the rustdoc of the generated code), every operation has an id, and the text cites
//! only sources its readers can open.

use elastic_apikeys_tests::{load_spec, workspace_root};
use openapiv3::{ReferenceOr, Schema, SchemaKind, Type};
use xtask::codegen::SERVICES;

fn missing_descriptions(path: &str, schema: &Schema, out: &mut Vec<String>) {
    if schema
        .schema_data
        .description
        .as_deref()
        .unwrap_or("")
        .trim()
        .is_empty()
    {
        out.push(path.to_string());
    }
    let properties = match &schema.schema_kind {
        SchemaKind::Type(Type::Object(object)) => &object.properties,
        _ => return,
    };
    for (name, property) in properties {
        let property_path = format!("{path}.{name}");
        match property {
            // A bare `$ref` cannot carry a description in OpenAPI 3.0; wrap it in `allOf`.
            ReferenceOr::Reference { reference } => {
                out.push(format!("{property_path} (bare $ref to {reference})"))
            }
            ReferenceOr::Item(property) => {
                if property
                    .schema_data
                    .description
                    .as_deref()
                    .unwrap_or("")
                    .trim()
                    .is_empty()
                {
                    out.push(property_path);
                }
            }
        }
    }
}

#[test]
fn every_schema_property_and_parameter_is_described() {
    let mut missing = Vec::new();
    for service in SERVICES {
        let spec = load_spec(service);
        for (name, schema) in &spec.components.as_ref().unwrap().schemas {
            match schema {
                ReferenceOr::Item(schema) => {
                    missing_descriptions(&format!("{}: {name}", service.spec), schema, &mut missing)
                }
                ReferenceOr::Reference { .. } => missing.push(format!("{name} is an alias")),
            }
        }
        for (path, item) in spec.paths.iter() {
            for (method, operation) in item.as_item().unwrap().iter() {
                assert!(
                    operation.operation_id.is_some(),
                    "{method} {path} has no operationId"
                );
                for parameter in &operation.parameters {
                    let ReferenceOr::Item(parameter) = parameter else {
                        panic!("parameters are written inline")
                    };
                    let data = parameter.parameter_data_ref();
                    if data.description.as_deref().unwrap_or("").trim().is_empty() {
                        missing.push(format!("{method} {path} ?{}", data.name));
                    }
                }
            }
        }
    }
    assert!(
        missing.is_empty(),
        "without a description:\n{}",
        missing.join("\n")
    );
}

#[test]
fn elasticsearch_get_api_key_has_all_eight_query_parameters_then_the_common_ones() {
    let spec = load_spec(SERVICES[1]);
    let item = spec.paths.paths["/_security/api_key"].as_item().unwrap();
    let operation = item.get.as_ref().unwrap();
    let names: Vec<&str> = operation
        .parameters
        .iter()
        .map(|p| p.as_item().unwrap().parameter_data_ref().name.as_str())
        .collect();
    assert_eq!(
        names,
        [
            "id",
            "name",
            "owner",
            "realm_name",
            "username",
            "with_limited_by",
            "active_only",
            "with_profile_uid",
            // From the root's `x-common-parameters`, after the operation's own.
            "filter_path"
        ]
    );
}

/// Every operation of a spec whose root declares `x-common-parameters` takes each of them, as
/// `load_spec` reads it: a new operation gets them with no further work.
#[test]
fn every_operation_takes_the_common_parameters() {
    for service in SERVICES {
        let spec = load_spec(service);
        let Some(common) = spec.extensions.get("x-common-parameters") else {
            continue;
        };
        let common: Vec<openapiv3::Parameter> =
            serde_json::from_value(common.clone()).expect("a list of parameters written inline");
        let common: Vec<String> = common
            .iter()
            .map(|p| p.parameter_data_ref().name.clone())
            .collect();
        assert!(
            !common.is_empty(),
            "{}: x-common-parameters is empty",
            service.spec
        );
        for (path, item) in spec.paths.iter() {
            for (method, operation) in item.as_item().unwrap().iter() {
                let names: Vec<&str> = operation
                    .parameters
                    .iter()
                    .map(|p| p.as_item().unwrap().parameter_data_ref().name.as_str())
                    .collect();
                for name in &common {
                    assert_eq!(
                        names.iter().filter(|n| *n == name).count(),
                        1,
                        "{}: {method} {path} should take `{name}` once, from x-common-parameters",
                        service.spec
                    );
                }
            }
        }
    }
}

/// Citations of documents that only the project's authors had: an internal research notes file
/// and its numbered sections, and the pages handed over as "seeds".
const PRIVATE_CITATIONS: &[&str] = &["FACTS", "§", "seed 0", "seeds 0"];

/// Every file, below `dir`, whose name ends with one of `extensions`.
fn files_below(dir: &std::path::Path, extensions: &[&str], out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files_below(&path, extensions, out);
        } else if extensions
            .iter()
            .any(|e| path.to_string_lossy().ends_with(e))
        {
            out.push(path);
        }
    }
}

#[test]
fn the_specs_generated_code_and_readmes_cite_only_public_sources() {
    let root = workspace_root();
    let mut files = Vec::new();
    files_below(&root.join("spec"), &[".yaml"], &mut files);
    for krate in ["models", "client", "mock"] {
        files_below(
            &root.join("crates").join(krate).join("src/generated"),
            &[".rs"],
            &mut files,
        );
    }
    files.push(root.join("README.md"));
    for krate in ["models", "client", "mock", "cli"] {
        files.push(root.join("crates").join(krate).join("README.md"));
    }
    assert!(
        files.len() > 10,
        "the spec and the generated code were not found: {files:?}"
    );

    let mut found = Vec::new();
    for file in &files {
        let text =
            std::fs::read_to_string(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        for (number, line) in text.lines().enumerate() {
            let lower = line.to_lowercase();
            for citation in PRIVATE_CITATIONS {
                if lower.contains(&citation.to_lowercase()) {
                    found.push(format!(
                        "{}:{}: `{citation}` in {}",
                        file.strip_prefix(&root).unwrap_or(file).display(),
                        number + 1,
                        line.trim()
                    ));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "these lines cite documents that users of the crates do not have; cite a public source \
         instead (an Elastic issue or pull request such as elastic/elasticsearch#59481, a file of \
         elastic/elasticsearch-specification such as \
         `specification/security/_types/ApiKey.ts`, or a documentation URL), in spec/ for the \
         generated code, then run `cargo xtask codegen`:\n{}",
        found.join("\n")
    );
}

/// A spec's `info.description` says what the service's operations do, naming each: a new
/// operation must be described there too (a variant such as `security.create_api_key.put` is
/// covered by its base name).
#[test]
fn every_operation_is_named_in_its_spec_s_description() {
    let mut missing = Vec::new();
    for service in SERVICES {
        let spec = load_spec(service);
        let description = spec.info.description.clone().unwrap_or_default();
        let named: Vec<&str> = description.split('`').skip(1).step_by(2).collect();
        for (path, item) in spec.paths.iter() {
            let Some(item) = item.as_item() else { continue };
            for (method, operation) in item.iter() {
                let id = operation.operation_id.as_deref().unwrap_or_default();
                let covered = named.iter().any(|name| {
                    id == *name
                        || id
                            .strip_prefix(name)
                            .is_some_and(|rest| rest.starts_with('.'))
                });
                if !covered {
                    missing.push(format!("{}: {method} {path} (`{id}`)", service.spec));
                }
            }
        }
    }
    assert!(
        missing.is_empty(),
        "name these operations, in backquotes, in their spec's info.description, saying what \
         they do:\n{}",
        missing.join("\n")
    );
}
