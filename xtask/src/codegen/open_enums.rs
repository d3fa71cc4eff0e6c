//! Open enums: string enums that keep values added after generation.
//!
//! typify turns `enum: [rest, cross_cluster]` into a closed Rust enum, and one unknown value then
//! fails the whole response: a key list from a newer cluster would not decode at all. Instead,
//! every string enum of the spec is replaced (progenitor's `with_replacement`) by a type this
//! module writes into the models: one variant per known value, plus `Unknown(UnknownVariantValue)`
//! that holds any other string and writes it back verbatim, after aws-sdk-rust.

use heck::ToUpperCamelCase;
use openapiv3::{OpenAPI, ReferenceOr, Schema, SchemaKind, Type};
use proc_macro2::{Ident, Span};
use syn::parse_quote;

use super::schema_walk::{Place, for_each_schema};

/// A string enum of the spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OpenEnum {
    /// The component schema's name, which is also the Rust type's.
    pub(crate) name: String,
    /// The schema's description.
    pub(crate) description: String,
    /// The known values, in the spec's order.
    pub(crate) values: Vec<String>,
}

impl OpenEnum {
    /// The path by which other generated code names the type. It goes through the crate's name
    /// (the models crate declares `extern crate self as elastic_apikeys_models`) so that the same
    /// path resolves in the models and in the client.
    pub(crate) fn path(&self, module: &str) -> String {
        super::runtime_paths::model(module, &self.name)
    }
}

fn string_enum(schema: &Schema) -> Option<&openapiv3::StringType> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(string)) if !string.enumeration.is_empty() => Some(string),
        _ => None,
    }
}

/// Finds every string enum of `spec`. Enums must be component schemas, so that each has a name
/// to be replaced by; an inline one is an error that names it.
pub(crate) fn collect(spec: &OpenAPI) -> Result<Vec<OpenEnum>, String> {
    let mut inline = Vec::new();
    for_each_schema(spec, &mut |schema, place| {
        if string_enum(schema).is_some() && place == Place::Nested {
            inline.push(format!("{:?}", schema.schema_data.description));
        }
    });
    if !inline.is_empty() {
        return Err(format!(
            "string enums must be component schemas (so they can be open), found inline: {}",
            inline.join(", ")
        ));
    }

    let mut enums = Vec::new();
    let Some(components) = &spec.components else {
        return Ok(enums);
    };
    for (name, schema) in &components.schemas {
        let ReferenceOr::Item(schema) = schema else {
            continue;
        };
        let Some(string) = string_enum(schema) else {
            continue;
        };
        let values = string
            .enumeration
            .iter()
            .map(|value| value.clone().ok_or(format!("enum {name} lists null")))
            .collect::<Result<Vec<_>, _>>()?;
        let open = OpenEnum {
            name: name.clone(),
            description: schema.schema_data.description.clone().unwrap_or_default(),
            values,
        };
        let mut variants: Vec<String> = open.variants().map(|v| v.to_string()).collect();
        variants.push("Unknown".to_string());
        variants.sort();
        if let Some(pair) = variants.windows(2).find(|pair| pair[0] == pair[1]) {
            return Err(format!(
                "enum {name}: two values become the variant {}",
                pair[0]
            ));
        }
        enums.push(open);
    }
    Ok(enums)
}

impl OpenEnum {
    fn variants(&self) -> impl Iterator<Item = Ident> + '_ {
        self.values
            .iter()
            .map(|value| Ident::new(&value.to_upper_camel_case(), Span::call_site()))
    }

    /// The items that define the type in the models.
    pub(crate) fn items(&self) -> Vec<syn::Item> {
        let name = Ident::new(&self.name, Span::call_site());
        let name_str = &self.name;
        let doc = format!(
            "{}\n\nOpen: a value this version does not know decodes as [`{name_str}::Unknown`] \
             and is written back verbatim.",
            self.description
        );
        let values = &self.values;
        let variants: Vec<Ident> = self.variants().collect();
        let variant_docs = values.iter().map(|value| format!("`{value}`"));
        let description = &self.description;

        let file: syn::File = parse_quote! {
            #[doc = #doc]
            #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
            #[non_exhaustive]
            pub enum #name {
                #(#[doc = #variant_docs] #variants,)*
                /// A value this version of the crate does not know, kept verbatim.
                Unknown(crate::UnknownVariantValue),
            }

            impl #name {
                /// The values this version of the crate knows, in the spec's order.
                pub const KNOWN_VALUES: &'static [&'static str] = &[#(#values),*];

                /// The value as Elastic writes it.
                pub fn as_str(&self) -> &str {
                    match self {
                        #(Self::#variants => #values,)*
                        Self::Unknown(value) => value.as_str(),
                    }
                }

                fn known(value: &str) -> ::std::option::Option<Self> {
                    match value {
                        #(#values => ::std::option::Option::Some(Self::#variants),)*
                        _ => ::std::option::Option::None,
                    }
                }
            }

            impl ::std::convert::From<&str> for #name {
                fn from(value: &str) -> Self {
                    Self::known(value)
                        .unwrap_or_else(|| Self::Unknown(crate::UnknownVariantValue::new(value)))
                }
            }

            impl ::std::convert::From<::std::string::String> for #name {
                fn from(value: ::std::string::String) -> Self {
                    Self::known(&value)
                        .unwrap_or_else(|| Self::Unknown(crate::UnknownVariantValue::new(value)))
                }
            }

            impl ::std::str::FromStr for #name {
                type Err = ::std::convert::Infallible;
                fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                    ::std::result::Result::Ok(Self::from(value))
                }
            }

            impl ::std::convert::AsRef<str> for #name {
                fn as_ref(&self) -> &str {
                    self.as_str()
                }
            }

            impl ::std::fmt::Display for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.write_str(self.as_str())
                }
            }

            impl ::serde::Serialize for #name {
                fn serialize<S: ::serde::Serializer>(
                    &self,
                    serializer: S,
                ) -> ::std::result::Result<S::Ok, S::Error> {
                    serializer.serialize_str(self.as_str())
                }
            }

            impl<'de> ::serde::Deserialize<'de> for #name {
                fn deserialize<D: ::serde::Deserializer<'de>>(
                    deserializer: D,
                ) -> ::std::result::Result<Self, D::Error> {
                    crate::open_enum::deserialize(deserializer, #name_str)
                }
            }

            impl ::schemars::JsonSchema for #name {
                fn schema_name() -> ::std::borrow::Cow<'static, str> {
                    ::std::borrow::Cow::Borrowed(#name_str)
                }
                fn json_schema(_: &mut ::schemars::SchemaGenerator) -> ::schemars::Schema {
                    crate::open_enum::json_schema(#description, Self::KNOWN_VALUES)
                }
            }
        };
        file.items
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(schemas: &str) -> OpenAPI {
        serde_norway::from_str(&format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n{schemas}"
        ))
        .unwrap()
    }

    #[test]
    fn finds_component_enums_in_order() {
        let spec = spec(
            "    Kind: {type: string, description: d, enum: [rest, cross_cluster]}\n    \
             Other: {type: string}\n",
        );
        let enums = collect(&spec).unwrap();
        assert_eq!(enums.len(), 1);
        assert_eq!(enums[0].values, ["rest", "cross_cluster"]);
        let variants: Vec<String> = enums[0].variants().map(|v| v.to_string()).collect();
        assert_eq!(variants, ["Rest", "CrossCluster"]);
        assert_eq!(enums[0].path("es"), "::elastic_apikeys_models::es::Kind");
    }

    #[test]
    fn rejects_inline_enums_and_clashing_variants() {
        let inline = spec(
            "    Key:\n      type: object\n      properties:\n        \
             kind: {type: string, description: the kind, enum: [a]}\n",
        );
        assert!(collect(&inline).unwrap_err().contains("the kind"));
        let clash = spec("    Kind: {type: string, enum: [a_b, a-b]}\n");
        assert!(collect(&clash).unwrap_err().contains("AB"));
        let unknown = spec("    Kind: {type: string, enum: [unknown]}\n");
        assert!(collect(&unknown).unwrap_err().contains("Unknown"));
    }
}
