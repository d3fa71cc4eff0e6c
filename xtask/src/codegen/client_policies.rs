//! What each operation may do, declared in the spec and written into its client as a table.
//!
//! Every operation declares
//!
//! ```yaml
//! x-retry: safe        # or `never`: whether sending it twice does no harm
//! x-request-rules:     # the combinations of parameters the API refuses; `[]` for none
//!   - message: only one of [api key id, api key name] can be specified
//!     groups: [[id], [name]]        # broken when a parameter of every group is given
//! ```
//!
//! and the generator writes them into the client as `OPERATIONS`, which the client's runtime
//! reads before sending (`transport/rules.rs`) and when deciding to retry (`transport/hooks.rs`).
//! So the runtime keeps no per-operation code, and a new operation gets its guarantees from the
//! YAML alone. Both extensions are required: an operation that says nothing is an error here,
//! not an operation that is quietly retried or quietly unchecked.

use heck::ToSnakeCase;
use openapiv3::{ParameterSchemaOrContent, ReferenceOr, SchemaKind, Type};
use quote::quote;

/// One operation's declarations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Policy {
    /// The operation id as the generated client names it (`security_get_api_key`).
    operation_id: String,
    retry_safe: bool,
    rules: Vec<Rule>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Rule {
    message: String,
    /// Each group's parameters, with whether each is a boolean.
    groups: Vec<Vec<(String, bool)>>,
}

/// The declarations of every operation of `spec`.
pub(crate) fn collect(spec: &openapiv3::OpenAPI) -> Result<Vec<Policy>, String> {
    let mut policies = Vec::new();
    for (path, item) in spec.paths.iter() {
        let Some(item) = item.as_item() else { continue };
        for (method, operation) in item.iter() {
            let id = operation.operation_id.clone().unwrap_or_default();
            let context = format!("{method} {path} ({id})");
            let retry_safe = match operation.extensions.get("x-retry").and_then(|v| v.as_str()) {
                Some("safe") => true,
                Some("never") => false,
                _ => {
                    return Err(format!(
                        "{context}: declare `x-retry: safe` (sending it twice does no harm) or \
                         `x-retry: never`"
                    ));
                }
            };
            let Some(rules) = operation.extensions.get("x-request-rules") else {
                return Err(format!(
                    "{context}: declare `x-request-rules`, the combinations of parameters the \
                     API refuses (`[]` for none)"
                ));
            };
            let parameters = boolean_parameters(operation);
            let rules = rules
                .as_array()
                .ok_or(format!("{context}: `x-request-rules` is a list"))?
                .iter()
                .map(|rule| parse_rule(rule, &parameters, &context))
                .collect::<Result<Vec<_>, _>>()?;
            policies.push(Policy {
                operation_id: id.to_snake_case(),
                retry_safe,
                rules,
            });
        }
    }
    Ok(policies)
}

/// The operation's query parameters, each with whether it is a boolean.
fn boolean_parameters(operation: &openapiv3::Operation) -> Vec<(String, bool)> {
    operation
        .parameters
        .iter()
        .filter_map(ReferenceOr::as_item)
        .map(|parameter| {
            let data = parameter.parameter_data_ref();
            let boolean = matches!(&data.format, ParameterSchemaOrContent::Schema(ReferenceOr::Item(schema))
                if matches!(schema.schema_kind, SchemaKind::Type(Type::Boolean(_))));
            (data.name.clone(), boolean)
        })
        .collect()
}

fn parse_rule(
    rule: &serde_json::Value,
    parameters: &[(String, bool)],
    context: &str,
) -> Result<Rule, String> {
    let message = rule
        .get("message")
        .and_then(|m| m.as_str())
        .ok_or(format!("{context}: each request rule needs a `message`"))?;
    let groups = rule
        .get("groups")
        .and_then(|g| g.as_array())
        .filter(|g| !g.is_empty())
        .ok_or(format!(
            "{context}: the rule `{message}` needs `groups`, lists of parameters"
        ))?;
    let groups = groups
        .iter()
        .map(|group| {
            group
                .as_array()
                .ok_or(format!("{context}: a group of `{message}` is a list"))?
                .iter()
                .map(|name| {
                    let name = name.as_str().unwrap_or_default();
                    parameters
                        .iter()
                        .find(|(known, _)| known == name)
                        .cloned()
                        .ok_or(format!(
                            "{context}: the rule `{message}` names `{name}`, which is not a \
                             parameter of the operation"
                        ))
                })
                .collect::<Result<Vec<_>, _>>()
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Rule {
        message: message.to_string(),
        groups,
    })
}

/// The `OPERATIONS` table of `policies`, as an item of the client's file.
pub(crate) fn table(policies: &[Policy]) -> syn::Item {
    let entries = policies.iter().map(|policy| {
        let id = &policy.operation_id;
        let retry_safe = policy.retry_safe;
        let rules = policy.rules.iter().map(|rule| {
            let message = &rule.message;
            let groups = rule.groups.iter().map(|group| {
                let params = group.iter().map(|(name, boolean)| {
                    quote!(crate::transport::Param { name: #name, boolean: #boolean })
                });
                quote!(&[#(#params),*])
            });
            quote!(crate::transport::RequestRule { message: #message, groups: &[#(#groups),*] })
        });
        quote! {
            crate::transport::OperationPolicy {
                operation_id: #id,
                retry_safe: #retry_safe,
                rules: &[#(#rules),*],
            }
        }
    });
    syn::parse_quote! {
        /// What the spec declares of each operation: whether it may be retried (`x-retry`) and
        /// the combinations of parameters the API refuses (`x-request-rules`).
        pub(crate) const OPERATIONS: &[crate::transport::OperationPolicy] = &[#(#entries),*];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(operation: &str) -> openapiv3::OpenAPI {
        let text = format!(
            r#"{{"openapi": "3.0.3", "info": {{"title": "t", "version": "1"}},
                "paths": {{"/keys": {{"get": {operation}}}}}}}"#
        );
        serde_json::from_str(&text).unwrap()
    }

    const PARAMETERS: &str = r#""parameters": [
        {"name": "id", "in": "query", "schema": {"type": "string"}},
        {"name": "owner", "in": "query", "schema": {"type": "boolean"}}]"#;

    #[test]
    fn declarations_become_the_table() {
        let policies = collect(&spec(&format!(
            r#"{{"operationId": "security.get_api_key", "responses": {{}}, {PARAMETERS},
                "x-retry": "safe",
                "x-request-rules": [{{"message": "no", "groups": [["id"], ["owner"]]}}]}}"#
        )))
        .unwrap();
        let item = table(&policies);
        let file: syn::File = syn::parse_quote!(#item);
        let text: String = prettyplease::unparse(&file).split_whitespace().collect();
        assert!(
            text.contains(r#"operation_id:"security_get_api_key",retry_safe:true"#),
            "{text}"
        );
        assert!(
            text.contains(r#"groups:&[&[crate::transport::Param{name:"id",boolean:false,},],&[crate::transport::Param{name:"owner",boolean:true,},],]"#),
            "{text}"
        );
    }

    #[test]
    fn an_operation_that_declares_nothing_is_an_error() {
        let missing_retry = collect(&spec(r#"{"operationId": "a", "responses": {}}"#));
        assert!(missing_retry.unwrap_err().contains("x-retry: safe"));
        let missing_rules = collect(&spec(
            r#"{"operationId": "a", "responses": {}, "x-retry": "never"}"#,
        ));
        assert!(missing_rules.unwrap_err().contains("`[]` for none"));
        let unknown = collect(&spec(&format!(
            r#"{{"operationId": "a", "responses": {{}}, {PARAMETERS}, "x-retry": "safe",
                "x-request-rules": [{{"message": "m", "groups": [["nope"]]}}]}}"#
        )));
        assert!(
            unknown
                .unwrap_err()
                .contains("`nope`, which is not a parameter")
        );
    }
}
