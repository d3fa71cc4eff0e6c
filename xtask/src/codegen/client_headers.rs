//! The response headers a spec declares (`components/headers`), as typed headers of the client.
//!
//! ```yaml
//! components:
//!   headers:
//!     ApiKeyExpiration:                 # the type's name: cloud::headers::ApiKeyExpiration
//!       description: ...                # its rustdoc
//!       x-on-every-response: true       # the generator checks that every response names it
//!       schema: {type: string, format: date-time}
//! paths:
//!   /keys:
//!     get:
//!       responses:
//!         "200":
//!           headers:
//!             X-Elastic-Api-Key-Expiration:   # the header's name on the wire
//!               $ref: "#/components/headers/ApiKeyExpiration"
//! ```
//!
//! Each becomes a unit type in the client's `headers` module that implements the runtime's
//! `TypedHeader`, read from any answer with `Headers::typed`. The schema decides the value's type:
//! a `date-time` string is a `DateTime<Utc>`, the only kind the specs declare so far.

use std::collections::BTreeMap;

use openapiv3::{
    OpenAPI, ParameterSchemaOrContent, ReferenceOr, SchemaKind, StringFormat, Type,
    VariantOrUnknownOrEmpty,
};
use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use super::{runtime_paths, schema_walk};

/// One declared header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Declared {
    /// The component's name, which the type takes.
    name: String,
    /// The header's name on the wire, in lowercase.
    wire: String,
    description: String,
    kind: Kind,
}

/// The schemas a header can have. Another needs its reader in the runtime
/// (`transport/typed_header.rs`, `values`) and its arm here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    DateTime,
}

/// The headers of `spec`'s `components/headers`, with the name responses give each; an error for
/// a header no response names, one named in two ways, one of a schema this module cannot type,
/// and one marked `x-on-every-response` that a response lacks.
pub(crate) fn collect(spec: &OpenAPI) -> Result<Vec<Declared>, String> {
    let Some(components) = &spec.components else {
        return Ok(Vec::new());
    };
    // Component name -> the wire names responses give it; and every response's references.
    let mut wire_names: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let mut responses = Vec::new();
    for (path, item) in spec.paths.iter() {
        let Some(item) = item.as_item() else { continue };
        for (method, operation) in item.iter() {
            for (status, response) in &operation.responses.responses {
                let Some(response) = schema_walk::resolve_response(spec, response) else {
                    continue;
                };
                let mut named = Vec::new();
                for (wire, header) in &response.headers {
                    if let ReferenceOr::Reference { reference } = header
                        && let Some(name) = reference.strip_prefix("#/components/headers/")
                    {
                        wire_names
                            .entry(name)
                            .or_default()
                            .push(wire.to_ascii_lowercase());
                        named.push(name);
                    }
                }
                responses.push((format!("{method} {path} {status}"), named));
            }
        }
    }
    let mut declared = Vec::new();
    for (name, header) in &components.headers {
        let header = header.as_item().ok_or(format!(
            "components/headers/{name}: write the header inline"
        ))?;
        let mut wires = wire_names.remove(name.as_str()).unwrap_or_default();
        wires.sort();
        wires.dedup();
        let wire = match wires.as_slice() {
            [wire] => wire.clone(),
            [] => {
                return Err(format!(
                    "components/headers/{name}: no response names it; add it to the `headers` \
                     of the responses that send it, or remove it"
                ));
            }
            _ => {
                return Err(format!(
                    "components/headers/{name}: responses name it {wires:?}; use one name"
                ));
            }
        };
        if header.extensions.get("x-on-every-response") == Some(&serde_json::Value::Bool(true)) {
            let lacking: Vec<&str> = responses
                .iter()
                .filter(|(_, named)| !named.contains(&name.as_str()))
                .map(|(response, _)| response.as_str())
                .collect();
            if !lacking.is_empty() {
                return Err(format!(
                    "components/headers/{name} is marked `x-on-every-response`, but these \
                     responses do not name it in their `headers`: {}",
                    lacking.join(", ")
                ));
            }
        }
        let schema = match &header.format {
            ParameterSchemaOrContent::Schema(schema) => schema_walk::resolve_schema(spec, schema),
            ParameterSchemaOrContent::Content(_) => None,
        };
        let kind = match schema.map(|schema| &schema.schema_kind) {
            Some(SchemaKind::Type(Type::String(string)))
                if string.format == VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) =>
            {
                Kind::DateTime
            }
            _ => {
                return Err(format!(
                    "components/headers/{name}: the generator types headers of `schema: {{type: \
                     string, format: date-time}}` only; add a reader for another schema to \
                     transport/typed_header.rs and to xtask's client_headers.rs"
                ));
            }
        };
        declared.push(Declared {
            name: name.clone(),
            wire,
            description: header.description.clone().unwrap_or_default(),
            kind,
        });
    }
    Ok(declared)
}

/// The `headers` module of `declared`, as an item of the client's file.
pub(crate) fn module(declared: &[Declared]) -> syn::Item {
    let runtime = runtime_paths::transport();
    let types = declared.iter().map(|header| {
        let ident = Ident::new(&header.name, Span::call_site());
        let wire = &header.wire;
        let shown = display_name(wire);
        let doc = format!("`{shown}`: {}", header.description.trim());
        let (value, reader): (TokenStream, &str) = match header.kind {
            Kind::DateTime => (quote!(::chrono::DateTime<::chrono::Utc>), "date_time"),
        };
        let reader = Ident::new(reader, Span::call_site());
        quote! {
            #[doc = #doc]
            #[derive(Debug, Clone, Copy, PartialEq, Eq)]
            pub struct #ident;

            impl #runtime::TypedHeader for #ident {
                const NAME: &'static str = #wire;
                type Value = #value;
                fn parse(text: &str) -> ::std::result::Result<Self::Value, ::std::string::String> {
                    #runtime::header_values::#reader(text)
                }
            }
        }
    });
    syn::parse_quote! {
        /// The response headers the spec declares, each read from an answer with
        /// [`Headers::typed`](crate::transport::Headers::typed).
        pub mod headers {
            #(#types)*
        }
    }
}

/// `x-elastic-api-key-expiration` as HTTP documents write it: `X-Elastic-Api-Key-Expiration`.
fn display_name(wire: &str) -> String {
    wire.split('-')
        .map(|part| {
            let mut chars = part.chars();
            chars.next().map_or(String::new(), |first| {
                first.to_ascii_uppercase().to_string() + chars.as_str()
            })
        })
        .collect::<Vec<_>>()
        .join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(headers_of_200: &str, every: bool) -> OpenAPI {
        serde_json::from_value(serde_json::json!({
            "openapi": "3.0.3", "info": {"title": "t", "version": "1"},
            "paths": {"/keys": {"get": {"responses": {
                "200": {"description": "ok", "headers": serde_json::from_str::<serde_json::Value>(headers_of_200).unwrap()},
                "401": {"description": "no", "headers": {
                    "X-Expires": {"$ref": "#/components/headers/Expires"}}}
            }}}},
            "components": {"headers": {"Expires": {
                "description": "When it ends.",
                "x-on-every-response": every,
                "schema": {"type": "string", "format": "date-time"}}}}
        }))
        .unwrap()
    }

    #[test]
    fn a_declared_header_becomes_a_typed_header() {
        let spec = spec(
            r##"{"X-Expires": {"$ref": "#/components/headers/Expires"}}"##,
            true,
        );
        let declared = collect(&spec).unwrap();
        assert_eq!(
            declared,
            [Declared {
                name: "Expires".into(),
                wire: "x-expires".into(),
                description: "When it ends.".into(),
                kind: Kind::DateTime,
            }]
        );
        let item = module(&declared);
        let file: syn::File = syn::parse_quote!(#item);
        let text: String = prettyplease::unparse(&file).split_whitespace().collect();
        assert!(
            text.contains(r#"constNAME:&'staticstr="x-expires";"#),
            "{text}"
        );
        assert!(text.contains("`X-Expires`:Whenitends."), "{text}");
    }

    #[test]
    fn a_response_that_lacks_an_everywhere_header_is_named() {
        let error = collect(&spec("{}", true)).unwrap_err();
        assert!(error.contains("get /keys 200"), "{error}");
        assert!(collect(&spec("{}", false)).is_ok());
        let renamed = spec(
            r##"{"X-Expiry": {"$ref": "#/components/headers/Expires"}}"##,
            false,
        );
        assert!(collect(&renamed).unwrap_err().contains("use one name"));
    }
}
