//! What each operation may do, declared in the spec and written into its client as a table.
//!
//! Every operation declares
//!
//! ```yaml
//! x-retry: safe        # or `never`: whether sending it twice does no harm
//! x-request-rules:     # the requests the API refuses, in the server's order; `[]` for none
//!   - message: only one of [api key id, api key name] can be specified
//!     groups: [[id], [name]]     # broken when a parameter of every group is given
//!   - message: One of [..] must be specified if [owner] flag is false
//!     one_of: [ids, name, owner] # broken when none is given
//!   - message: Field [ids] cannot be an empty array
//!     non_empty: [ids]           # broken when one of these lists is given without an item
//!     stop: true                 # the server refuses here and checks no further rule
//!   - message: "... blank id at index position: {positions}"
//!     message_many: "... blank ids at index positions: {positions}"
//!     no_blank: [ids]            # broken when a list has an item that is not text
//!   - message: "[username] is required for grant_type [password]"
//!     when: {grant_type: password}  # checked only when this field is sent with this value
//!     given: non_empty           # or `has_text` (the default), or `present` (`null` too)
//!     one_of: [username]
//! ```
//!
//! A name is a query parameter of the operation or a top-level property of its JSON body. With
//! them goes what the schemas already say: the fields of the operation's answers that the spec
//! marks `format: password` ([`super::secret_fields`]). The
//! generator writes the declarations into the client as `OPERATIONS`, which the client's runtime
//! reads before sending (`transport/rules.rs`) and when deciding to retry (`transport/hooks.rs`).
//! So the runtime keeps no per-operation code, and a new operation gets its guarantees from the
//! YAML alone. Both extensions are required: an operation that says nothing is an error here,
//! not an operation that is quietly retried or quietly unchecked.

use heck::ToSnakeCase;
use openapiv3::{OpenAPI, ParameterSchemaOrContent, ReferenceOr, Schema, SchemaKind, Type};
use proc_macro2::TokenStream;
use quote::quote;

use super::{runtime_paths, schema_walk};

/// One operation's declarations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Policy {
    /// The operation id as the generated client names it (`security_get_api_key`).
    operation_id: String,
    retry_safe: bool,
    rules: Vec<Rule>,
    /// The fields of its answers that hold secrets (`format: password`), redacted wherever an
    /// error quotes an answer.
    secret_fields: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Rule {
    message: String,
    /// The message when several items break a `no_blank` rule.
    message_many: String,
    check: Check,
    /// The text field, and its value, that the rule is checked under.
    when: Option<(Param, String)>,
    given: Given,
    stop: bool,
}

/// What counts as a given parameter in a rule (`given`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Given {
    HasText,
    NonEmpty,
    Present,
}

/// When a rule is broken; the forms of `x-request-rules`.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Check {
    /// `groups`: every group has a given parameter.
    Together(Vec<Vec<Param>>),
    /// `one_of`: none is given.
    NoneOf(Vec<Param>),
    /// `non_empty`: one is given as an empty list.
    Empty(Vec<Param>),
    /// `no_blank`: a list has an item that is not text.
    NoBlank(Vec<Param>),
}

/// A name a rule reads, resolved against the operation.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Param {
    name: String,
    in_body: bool,
    kind: Kind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Text,
    Flag,
    Value,
}

/// The declarations of every operation of `spec`.
pub(crate) fn collect(spec: &OpenAPI) -> Result<Vec<Policy>, String> {
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
                    "{context}: declare `x-request-rules`, the requests the API refuses (`[]` \
                     for none)"
                ));
            };
            let names = Names::of(spec, operation);
            let rules = rules
                .as_array()
                .ok_or(format!("{context}: `x-request-rules` is a list"))?
                .iter()
                .map(|rule| parse_rule(rule, &names, &context))
                .collect::<Result<Vec<_>, _>>()?;
            policies.push(Policy {
                operation_id: id.to_snake_case(),
                retry_safe,
                rules,
                secret_fields: super::secret_fields::of(spec, operation),
            });
        }
    }
    Ok(policies)
}

/// The names an operation's rules may use: its query parameters, its path parameters (which a
/// rule cannot use: they are always given) and the top-level properties of its JSON body.
struct Names {
    query: Vec<(String, Kind)>,
    path: Vec<String>,
    body: Vec<(String, Kind)>,
}

impl Names {
    fn of(spec: &OpenAPI, operation: &openapiv3::Operation) -> Self {
        let mut names = Names {
            query: Vec::new(),
            path: Vec::new(),
            body: Vec::new(),
        };
        for parameter in operation.parameters.iter().filter_map(ReferenceOr::as_item) {
            let data = parameter.parameter_data_ref();
            match parameter {
                openapiv3::Parameter::Path { .. } => names.path.push(data.name.clone()),
                _ => {
                    let kind = match &data.format {
                        ParameterSchemaOrContent::Schema(schema) => kind_of(spec, schema),
                        ParameterSchemaOrContent::Content(_) => Kind::Value,
                    };
                    names.query.push((data.name.clone(), kind));
                }
            }
        }
        let body_schema = operation
            .request_body
            .as_ref()
            .and_then(|body| schema_walk::resolve_request_body(spec, body))
            .and_then(|body| body.content.get("application/json"))
            .and_then(|media| media.schema.as_ref())
            .and_then(|schema| schema_walk::resolve_schema(spec, schema));
        if let Some(SchemaKind::Type(Type::Object(object))) = body_schema.map(|s| &s.schema_kind) {
            for (name, property) in &object.properties {
                let property = property.clone().unbox();
                names.body.push((name.clone(), kind_of(spec, &property)));
            }
        }
        names
    }

    fn find(&self, name: &str, context: &str, message: &str) -> Result<Param, String> {
        let query = self.query.iter().find(|(known, _)| known == name);
        let body = self.body.iter().find(|(known, _)| known == name);
        match (query, body) {
            (Some(_), Some(_)) => Err(format!(
                "{context}: the rule `{message}` names `{name}`, which is both a query parameter \
                 and a body field; rename one in the spec"
            )),
            (Some((_, kind)), None) => Ok(Param {
                name: name.to_string(),
                in_body: false,
                kind: *kind,
            }),
            (None, Some((_, kind))) => Ok(Param {
                name: name.to_string(),
                in_body: true,
                kind: *kind,
            }),
            (None, None) if self.path.iter().any(|known| known == name) => Err(format!(
                "{context}: the rule `{message}` names the path parameter `{name}`, which is \
                 always given; a rule on it is always or never broken"
            )),
            (None, None) => Err(format!(
                "{context}: the rule `{message}` names `{name}`, which is not a parameter of the \
                 operation nor a field of its body"
            )),
        }
    }
}

fn kind_of(spec: &OpenAPI, schema: &ReferenceOr<Schema>) -> Kind {
    match schema_walk::resolve_schema(spec, schema).map(|s| &s.schema_kind) {
        Some(SchemaKind::Type(Type::Boolean(_))) => Kind::Flag,
        Some(SchemaKind::Type(Type::String(_))) => Kind::Text,
        _ => Kind::Value,
    }
}

fn parse_rule(rule: &serde_json::Value, names: &Names, context: &str) -> Result<Rule, String> {
    let message = rule
        .get("message")
        .and_then(|m| m.as_str())
        .ok_or(format!("{context}: each request rule needs a `message`"))?;
    let list = |value: &serde_json::Value| -> Result<Vec<Param>, String> {
        value
            .as_array()
            .filter(|names| !names.is_empty())
            .ok_or(format!(
                "{context}: the rule `{message}` lists names in a non-empty list"
            ))?
            .iter()
            .map(|name| names.find(name.as_str().unwrap_or_default(), context, message))
            .collect()
    };
    // `{field: value}`, a map of one entry.
    let single = |key: &str| -> Result<Option<(Param, &serde_json::Value)>, String> {
        let Some(value) = rule.get(key) else {
            return Ok(None);
        };
        let entries = value
            .as_object()
            .filter(|entries| entries.len() == 1)
            .ok_or(format!(
                "{context}: the `{key}` of `{message}` is a map of one field to its value"
            ))?;
        let (name, value) = entries.iter().next().expect("one entry");
        Ok(Some((names.find(name, context, message)?, value)))
    };
    let forms: Vec<_> = ["groups", "one_of", "non_empty", "no_blank"]
        .into_iter()
        .filter(|form| rule.get(form).is_some())
        .collect();
    let check = match forms.as_slice() {
        ["groups"] => Check::Together(
            rule["groups"]
                .as_array()
                .filter(|groups| !groups.is_empty())
                .ok_or(format!(
                    "{context}: the `groups` of `{message}` are lists of names"
                ))?
                .iter()
                .map(list)
                .collect::<Result<_, _>>()?,
        ),
        ["one_of"] => Check::NoneOf(list(&rule["one_of"])?),
        ["non_empty"] => Check::Empty(list(&rule["non_empty"])?),
        ["no_blank"] => Check::NoBlank(list(&rule["no_blank"])?),
        _ => {
            return Err(format!(
                "{context}: the rule `{message}` needs exactly one of `groups` (names that \
                 exclude one another), `one_of` (at least one is needed), `non_empty` (lists \
                 that need an item) or `no_blank` (lists whose items must be text)"
            ));
        }
    };
    let message_many = match (rule.get("message_many"), &check) {
        (Some(many), Check::NoBlank(_)) => many
            .as_str()
            .ok_or(format!("{context}: `message_many` of `{message}` is text"))?
            .to_string(),
        (None, Check::NoBlank(_)) => {
            return Err(format!(
                "{context}: the `no_blank` rule `{message}` needs `message_many`, its words for \
                 several blank items"
            ));
        }
        (Some(_), _) => {
            return Err(format!(
                "{context}: `message_many` of `{message}` is for `no_blank` rules only"
            ));
        }
        (None, _) => String::new(),
    };
    let when = match single("when")? {
        Some((param, value)) => Some((
            param,
            value
                .as_str()
                .ok_or(format!(
                    "{context}: the `when` of `{message}` names a text value"
                ))?
                .to_string(),
        )),
        None => None,
    };
    let given = match rule.get("given").map(|g| g.as_str()) {
        None | Some(Some("has_text")) => Given::HasText,
        Some(Some("non_empty")) => Given::NonEmpty,
        Some(Some("present")) => Given::Present,
        Some(_) => {
            return Err(format!(
                "{context}: `given` of `{message}` is `has_text`, `non_empty` or `present`"
            ));
        }
    };
    let stop = match rule.get("stop") {
        None => false,
        Some(stop) => stop
            .as_bool()
            .ok_or(format!("{context}: `stop` of `{message}` is true or false"))?,
    };
    Ok(Rule {
        message: message.to_string(),
        message_many,
        check,
        when,
        given,
        stop,
    })
}

/// The `OPERATIONS` table of `policies`, as an item of the client's file.
pub(crate) fn table(policies: &[Policy]) -> syn::Item {
    let runtime = runtime_paths::transport();
    let param = |param: &Param| {
        let name = &param.name;
        let place = if param.in_body {
            quote!(#runtime::Place::Body)
        } else {
            quote!(#runtime::Place::Query)
        };
        let kind = match param.kind {
            Kind::Text => quote!(#runtime::ParamKind::Text),
            Kind::Flag => quote!(#runtime::ParamKind::Flag),
            Kind::Value => quote!(#runtime::ParamKind::Value),
        };
        quote!(#runtime::Param { name: #name, place: #place, kind: #kind })
    };
    let params = |list: &[Param]| -> TokenStream {
        let list = list.iter().map(param);
        quote!(&[#(#list),*])
    };
    let entries = policies.iter().map(|policy| {
        let id = &policy.operation_id;
        let retry_safe = policy.retry_safe;
        let secret_fields = &policy.secret_fields;
        let rules = policy.rules.iter().map(|rule| {
            let message = &rule.message;
            let message_many = &rule.message_many;
            let check = match &rule.check {
                Check::Together(groups) => {
                    let groups = groups.iter().map(|group| params(group));
                    quote!(#runtime::RuleCheck::Together(&[#(#groups),*]))
                }
                Check::NoneOf(list) => {
                    let list = params(list);
                    quote!(#runtime::RuleCheck::NoneOf(#list))
                }
                Check::Empty(list) => {
                    let list = params(list);
                    quote!(#runtime::RuleCheck::Empty(#list))
                }
                Check::NoBlank(list) => {
                    let list = params(list);
                    quote!(#runtime::RuleCheck::NoBlank(#list))
                }
            };
            let when = match &rule.when {
                Some((one, value)) => {
                    let one = param(one);
                    quote!(::std::option::Option::Some((#one, #value)))
                }
                None => quote!(::std::option::Option::None),
            };
            let given = match rule.given {
                Given::HasText => quote!(#runtime::Given::HasText),
                Given::NonEmpty => quote!(#runtime::Given::NonEmpty),
                Given::Present => quote!(#runtime::Given::Present),
            };
            let stop = rule.stop;
            quote!(#runtime::RequestRule {
                message: #message,
                message_many: #message_many,
                check: #check,
                when: #when,
                given: #given,
                stop: #stop,
            })
        });
        quote! {
            #runtime::Declared {
                operation_id: #id,
                retry_safe: #retry_safe,
                rules: &[#(#rules),*],
                secret_fields: &[#(#secret_fields),*],
            }
        }
    });
    syn::parse_quote! {
        /// What the spec declares of each operation: whether it may be retried (`x-retry`), the
        /// requests the API refuses (`x-request-rules`) and the fields of its answers that hold
        /// secrets (`format: password`).
        pub(crate) const OPERATIONS: &[#runtime::Declared] = &[#(#entries),*];
    }
}

/// Gives each operation's builder (in the client's `pub mod builder`) its retry safety as
/// `RETRY_SAFE`, so that a caller who retries by hand asks the operation, as the client does,
/// and not only whether the failure was transient. Returns how many builders it marked; an
/// operation without a builder is an error.
pub(crate) fn retry_safe_consts(
    file: &mut syn::File,
    policies: &[Policy],
) -> Result<usize, String> {
    use heck::ToUpperCamelCase;
    let builder = file
        .items
        .iter_mut()
        .find_map(|item| match item {
            syn::Item::Mod(module) if module.ident == "builder" => module.content.as_mut(),
            _ => None,
        })
        .ok_or("the client has no `mod builder`")?;
    let mut added = Vec::new();
    for policy in policies {
        let name = policy.operation_id.to_upper_camel_case();
        let declared = builder
            .1
            .iter()
            .any(|item| matches!(item, syn::Item::Struct(found) if found.ident == name.as_str()));
        if !declared {
            return Err(format!(
                "the client has no builder `{name}` for `{}`",
                policy.operation_id
            ));
        }
        let ident = syn::Ident::new(&name, proc_macro2::Span::call_site());
        let retry_safe = policy.retry_safe;
        let doc = if retry_safe {
            " Whether sending this request twice does no harm (`x-retry: safe`): `true`, so the \
             client retries it after a transient failure, and so may a caller."
        } else {
            " Whether sending this request twice does no harm (`x-retry: never`): `false`, as a \
             second request would make a second key. The client never retries it; after a \
             transient failure, check what the first request did before sending another."
        };
        added.push(syn::parse_quote! {
            impl #ident<'_> {
                #[doc = #doc]
                pub const RETRY_SAFE: bool = #retry_safe;
            }
        });
    }
    let count = added.len();
    builder.1.extend(added);
    Ok(count)
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
            text.contains(r#"check:crate::transport::RuleCheck::Together(&[&[crate::transport::Param{name:"id",place:crate::transport::Place::Query,kind:crate::transport::ParamKind::Text,},],&[crate::transport::Param{name:"owner",place:crate::transport::Place::Query,kind:crate::transport::ParamKind::Flag,},],],),"#),
            "{text}"
        );
    }

    #[test]
    fn rules_read_body_fields_of_a_referenced_schema() {
        let text = r##"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
            "paths": {"/keys": {"delete": {"operationId": "security.invalidate_api_key",
                "responses": {}, "x-retry": "safe",
                "requestBody": {"content": {"application/json": {"schema":
                    {"$ref": "#/components/schemas/Invalidate"}}}},
                "x-request-rules": [
                    {"message": "empty", "non_empty": ["ids"]},
                    {"message": "none", "one_of": ["ids", "owner"]}]}}},
            "components": {"schemas": {"Invalidate": {"type": "object", "properties": {
                "ids": {"type": "array", "items": {"type": "string"}},
                "owner": {"type": "boolean"}}}}}}"##;
        let policies = collect(&serde_json::from_str(text).unwrap()).unwrap();
        let item = table(&policies);
        let file: syn::File = syn::parse_quote!(#item);
        let text: String = prettyplease::unparse(&file).split_whitespace().collect();
        assert!(
            text.contains(r#"check:crate::transport::RuleCheck::Empty(&[crate::transport::Param{name:"ids",place:crate::transport::Place::Body,kind:crate::transport::ParamKind::Value,},],),"#),
            "{text}"
        );
        assert!(
            text.contains(r#"RuleCheck::NoneOf(&[crate::transport::Param{name:"ids",place:crate::transport::Place::Body,kind:crate::transport::ParamKind::Value,},crate::transport::Param{name:"owner",place:crate::transport::Place::Body,kind:crate::transport::ParamKind::Flag,},],)"#),
            "{text}"
        );
    }

    #[test]
    fn conditions_positions_values_and_stops_reach_the_table() {
        let text = r##"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
            "paths": {"/keys": {"post": {"operationId": "security.grant_api_key",
                "responses": {}, "x-retry": "never",
                "requestBody": {"content": {"application/json": {"schema":
                    {"$ref": "#/components/schemas/Grant"}}}},
                "x-request-rules": [
                    {"message": "blank at {positions}", "message_many": "blanks at {positions}",
                     "no_blank": ["ids"], "stop": true},
                    {"message": "[username] is required", "when": {"grant_type": "password"},
                     "given": "non_empty", "one_of": ["username"]}]}}},
            "components": {"schemas": {"Grant": {"type": "object", "properties": {
                "ids": {"type": "array", "items": {"type": "string"}},
                "grant_type": {"type": "string"},
                "username": {"type": "string"}}}}}}"##;
        let policies = collect(&serde_json::from_str(text).unwrap()).unwrap();
        let item = table(&policies);
        let file: syn::File = syn::parse_quote!(#item);
        let text: String = prettyplease::unparse(&file).split_whitespace().collect();
        for expected in [
            r#"message:"blankat{positions}",message_many:"blanksat{positions}",check:crate::transport::RuleCheck::NoBlank("#,
            r#"given:crate::transport::Given::HasText,stop:true"#,
            r#"when:::std::option::Option::Some((crate::transport::Param{name:"grant_type",place:crate::transport::Place::Body,kind:crate::transport::ParamKind::Text,},"password",)),given:crate::transport::Given::NonEmpty,stop:false"#,
        ] {
            assert!(text.contains(expected), "{expected}\n{text}");
        }
    }

    #[test]
    fn a_no_blank_rule_needs_its_plural_and_only_it_has_one() {
        let rule = |extra: &str| {
            collect(&spec(&format!(
                r#"{{"operationId": "a", "responses": {{}}, {PARAMETERS}, "x-retry": "safe",
                    "x-request-rules": [{{"message": "m", {extra}}}]}}"#
            )))
        };
        assert!(
            rule(r#""no_blank": ["id"]"#)
                .unwrap_err()
                .contains("needs `message_many`")
        );
        assert!(
            rule(r#""one_of": ["id"], "message_many": "ms""#)
                .unwrap_err()
                .contains("for `no_blank` rules only")
        );
        assert!(
            rule(r#""one_of": ["id"], "given": "sometimes""#)
                .unwrap_err()
                .contains("`has_text`, `non_empty` or `present`")
        );
    }

    #[test]
    fn a_rule_needs_exactly_one_form() {
        let two_forms = collect(&spec(&format!(
            r#"{{"operationId": "a", "responses": {{}}, {PARAMETERS}, "x-retry": "safe",
                "x-request-rules": [{{"message": "m", "one_of": ["id"], "non_empty": ["id"]}}]}}"#
        )));
        assert!(
            two_forms
                .unwrap_err()
                .contains("needs exactly one of `groups`")
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
            unknown.unwrap_err().contains(
                "`nope`, which is not a parameter of the operation nor a field of its body"
            )
        );
    }
}
