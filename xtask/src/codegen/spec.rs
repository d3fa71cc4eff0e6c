//! Reading a spec file into an [`openapiv3::OpenAPI`] document.

use std::path::{Path, PathBuf};

/// A spec file that could not be read or parsed.
#[derive(Debug, thiserror::Error)]
pub enum SpecError {
    /// The file could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The spec file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file is not YAML, or not an OpenAPI 3.0 document.
    #[error("{path} is not a valid OpenAPI 3.0 document: {source}")]
    Parse {
        /// The spec file.
        path: PathBuf,
        /// The parser's error, with its line and column.
        source: serde_norway::Error,
    },

    /// The root's `x-common-parameters` is not a list of parameters.
    #[error("{path}: {reason}")]
    CommonParameters {
        /// The spec file.
        path: PathBuf,
        /// What is wrong, and what to do.
        reason: String,
    },
}

/// Reads and parses the spec at `path`, with the parameters its root declares for every
/// operation (`x-common-parameters`) appended to each operation's own.
pub fn load(path: &Path) -> Result<openapiv3::OpenAPI, SpecError> {
    let text = std::fs::read_to_string(path).map_err(|source| SpecError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let mut spec = serde_norway::from_str(&text).map_err(|source| SpecError::Parse {
        path: path.to_path_buf(),
        source,
    })?;
    add_common_parameters(&mut spec).map_err(|reason| SpecError::CommonParameters {
        path: path.to_path_buf(),
        reason,
    })?;
    Ok(spec)
}

/// Appends the root's `x-common-parameters` to every operation, after its own parameters: each
/// is declared once and every operation takes it, as the service accepts it on every API. An
/// operation that declares a parameter of the same name keeps its own.
fn add_common_parameters(spec: &mut openapiv3::OpenAPI) -> Result<usize, String> {
    use openapiv3::{Parameter, ReferenceOr};

    let Some(common) = spec.extensions.get("x-common-parameters") else {
        return Ok(0);
    };
    let common: Vec<ReferenceOr<Parameter>> = serde_json::from_value(common.clone())
        .map_err(|e| format!("x-common-parameters must be a list of parameters or $refs: {e}"))?;
    // Each by its name, which an operation's own parameter of the same name overrides, and
    // written inline, as operations write their own.
    let mut named = Vec::with_capacity(common.len());
    for parameter in common {
        let parameter = match parameter {
            ReferenceOr::Item(item) => item,
            ReferenceOr::Reference { reference } => {
                let key = reference
                    .strip_prefix("#/components/parameters/")
                    .ok_or(format!(
                        "x-common-parameters: `{reference}` is not a #/components/parameters/ $ref"
                    ))?;
                match spec.components.as_ref().and_then(|c| c.parameters.get(key)) {
                    Some(ReferenceOr::Item(item)) => item.clone(),
                    _ => {
                        return Err(format!(
                            "x-common-parameters: `{reference}` names no parameter of \
                             components.parameters"
                        ));
                    }
                }
            }
        };
        named.push((parameter.parameter_data_ref().name.clone(), parameter));
    }
    let own_name =
        |parameter: &ReferenceOr<Parameter>, components: &openapiv3::Components| match parameter {
            ReferenceOr::Item(item) => Some(item.parameter_data_ref().name.clone()),
            ReferenceOr::Reference { reference } => reference
                .strip_prefix("#/components/parameters/")
                .and_then(|key| components.parameters.get(key))
                .and_then(|p| p.as_item())
                .map(|item| item.parameter_data_ref().name.clone()),
        };
    let components = spec.components.clone().unwrap_or_default();
    let mut added = 0;
    for item in spec.paths.paths.values_mut() {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        for operation in super::schema_walk::operations_mut(item) {
            let own: Vec<String> = operation
                .parameters
                .iter()
                .filter_map(|p| own_name(p, &components))
                .collect();
            for (name, parameter) in &named {
                if !own.contains(name) {
                    operation
                        .parameters
                        .push(ReferenceOr::Item(parameter.clone()));
                    added += 1;
                }
            }
        }
    }
    Ok(added)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(common: serde_json::Value) -> openapiv3::OpenAPI {
        serde_json::from_value(serde_json::json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "x-common-parameters": common,
            "paths": {"/a": {
                "get": {"responses": {}},
                "post": {"responses": {}, "parameters": [
                    {"name": "pretty", "in": "query", "description": "its own", "schema": {"type": "string"}}
                ]}
            }}
        }))
        .unwrap()
    }

    #[test]
    fn every_operation_gets_the_common_parameters_unless_it_has_its_own() {
        let mut spec = spec(serde_json::json!([
            {"name": "filter_path", "in": "query", "schema": {"type": "string"}},
            {"name": "pretty", "in": "query", "description": "common", "schema": {"type": "string"}}
        ]));
        assert_eq!(add_common_parameters(&mut spec).unwrap(), 3);
        let item = spec.paths.paths["/a"].as_item().unwrap();
        let names = |operation: &openapiv3::Operation| -> Vec<(String, Option<String>)> {
            operation
                .parameters
                .iter()
                .map(|p| {
                    let data = p.as_item().unwrap().parameter_data_ref();
                    (data.name.clone(), data.description.clone())
                })
                .collect()
        };
        assert_eq!(
            names(item.get.as_ref().unwrap()),
            [
                ("filter_path".to_string(), None),
                ("pretty".to_string(), Some("common".to_string()))
            ]
        );
        assert_eq!(
            names(item.post.as_ref().unwrap()),
            [
                ("pretty".to_string(), Some("its own".to_string())),
                ("filter_path".to_string(), None)
            ]
        );
    }

    #[test]
    fn common_parameters_that_are_not_parameters_are_an_error() {
        let error = add_common_parameters(&mut spec(serde_json::json!({"name": "x"}))).unwrap_err();
        assert!(error.contains("must be a list of parameters"), "{error}");
        let error = add_common_parameters(&mut spec(
            serde_json::json!([{"$ref": "#/components/parameters/nope"}]),
        ))
        .unwrap_err();
        assert!(error.contains("names no parameter"), "{error}");
    }
}
