//! JSON instances of the specs' schemas, as proptest strategies: whatever a server following the
//! spec could send, plus the unknown fields and unknown enum values a newer server adds.
//!
//! The strategies are built from the spec itself, so a schema added to the spec is covered
//! without a hand-written generator.

use openapiv3::{
    AdditionalProperties, OpenAPI, ReferenceOr, Schema, SchemaKind, StringFormat, Type,
    VariantOrUnknownOrEmpty,
};
use proptest::prelude::*;
use proptest::strategy::Union;
use serde_json::{Map, Value};

/// How many references deep the instances go; past it, objects carry only their required
/// properties, which ends the recursion of `ErrorCause`.
const DEPTH: u32 = 3;

/// Instances of the component schema `name` of `spec`.
pub fn instance(spec: &OpenAPI, name: &str) -> BoxedStrategy<Value> {
    Instances { spec }.component(name, DEPTH)
}

/// Any JSON value, nested up to `depth` levels.
pub fn any_json(depth: u32) -> BoxedStrategy<Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        (-1e12f64..1e12).prop_map(Value::from),
        "\\PC{0,12}".prop_map(Value::from),
    ];
    leaf.prop_recursive(depth, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("\\PC{0,8}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
    .boxed()
}

/// `value` with one of its nodes (chosen by `index`) replaced by `replacement`.
pub fn mutate(mut value: Value, index: prop::sample::Index, replacement: Value) -> Value {
    let count = count_nodes(&value);
    let mut target = index.index(count);
    replace_node(&mut value, &mut target, replacement);
    value
}

fn count_nodes(value: &Value) -> usize {
    1 + match value {
        Value::Array(items) => items.iter().map(count_nodes).sum(),
        Value::Object(members) => members.values().map(count_nodes).sum(),
        _ => 0,
    }
}

fn replace_node(value: &mut Value, target: &mut usize, replacement: Value) -> Option<Value> {
    if *target == 0 {
        *value = replacement;
        return None;
    }
    *target -= 1;
    let mut replacement = Some(replacement);
    let children: Vec<&mut Value> = match value {
        Value::Array(items) => items.iter_mut().collect(),
        Value::Object(members) => members.values_mut().collect(),
        _ => Vec::new(),
    };
    for child in children {
        replacement = replace_node(child, target, replacement?);
    }
    replacement
}

/// A new value of an enum, or a new field name: what a newer server sends.
fn unknown_word() -> BoxedStrategy<String> {
    "[a-z][a-z_]{0,15}".boxed()
}

/// An RFC 3339 date-time in any offset, with no, milli- or nanosecond fractions.
fn date_time() -> BoxedStrategy<Value> {
    use chrono::{DateTime, FixedOffset, SecondsFormat};
    let seconds = 86_400 * 400i64..253_402_300_799 - 86_400 * 2;
    let offset_minutes = -(23 * 60 + 59)..=(23 * 60 + 59);
    let format = prop_oneof![
        Just(SecondsFormat::Secs),
        Just(SecondsFormat::Millis),
        Just(SecondsFormat::Nanos)
    ];
    (
        seconds,
        0u32..1_000_000_000,
        offset_minutes,
        format,
        any::<bool>(),
    )
        .prop_map(|(seconds, nanos, offset, format, use_z)| {
            let offset = FixedOffset::east_opt(offset * 60).unwrap();
            let at = DateTime::from_timestamp(seconds, nanos)
                .unwrap()
                .with_timezone(&offset);
            Value::from(at.to_rfc3339_opts(format, use_z && offset.local_minus_utc() == 0))
        })
        .boxed()
}

struct Instances<'a> {
    spec: &'a OpenAPI,
}

impl Instances<'_> {
    fn component(&self, name: &str, depth: u32) -> BoxedStrategy<Value> {
        let schemas = &self.spec.components.as_ref().expect("components").schemas;
        match schemas.get(name) {
            Some(ReferenceOr::Item(schema)) => self.schema(schema, depth),
            _ => panic!("no component schema {name}"),
        }
    }

    fn reference<S: std::borrow::Borrow<Schema>>(
        &self,
        schema: &ReferenceOr<S>,
        depth: u32,
    ) -> BoxedStrategy<Value> {
        match schema {
            ReferenceOr::Item(schema) => self.schema(schema.borrow(), depth),
            ReferenceOr::Reference { reference } => {
                let name = reference.rsplit('/').next().unwrap();
                self.component(name, depth.saturating_sub(1))
            }
        }
    }

    fn schema(&self, schema: &Schema, depth: u32) -> BoxedStrategy<Value> {
        let strategy = match &schema.schema_kind {
            SchemaKind::Type(Type::String(string)) if !string.enumeration.is_empty() => {
                let known: Vec<String> = string.enumeration.iter().flatten().cloned().collect();
                prop_oneof![3 => prop::sample::select(known), 1 => unknown_word()]
                    .prop_map(Value::from)
                    .boxed()
            }
            SchemaKind::Type(Type::String(string)) => match (&string.format, &string.pattern) {
                (VariantOrUnknownOrEmpty::Item(StringFormat::DateTime), _) => date_time(),
                // A string with a `pattern` (a `Duration`) is one that matches it: proptest
                // draws from the regular expression, without its anchors.
                (_, Some(pattern)) => {
                    let unanchored = pattern.trim_start_matches('^').trim_end_matches('$');
                    proptest::string::string_regex(unanchored)
                        .unwrap_or_else(|e| panic!("the spec's pattern {pattern:?}: {e}"))
                        .prop_map(Value::from)
                        .boxed()
                }
                _ => "\\PC{0,16}".prop_map(Value::from).boxed(),
            },
            SchemaKind::Type(Type::Integer(integer)) => match &integer.format {
                VariantOrUnknownOrEmpty::Item(openapiv3::IntegerFormat::Int32) => {
                    any::<i32>().prop_map(Value::from).boxed()
                }
                _ => any::<i64>().prop_map(Value::from).boxed(),
            },
            SchemaKind::Type(Type::Number(_)) => (-1e12f64..1e12).prop_map(Value::from).boxed(),
            SchemaKind::Type(Type::Boolean(_)) => any::<bool>().prop_map(Value::from).boxed(),
            SchemaKind::Type(Type::Array(array)) => {
                let items = match &array.items {
                    Some(items) => self.reference(items, depth),
                    None => any_json(1),
                };
                prop::collection::vec(items, 0..3)
                    .prop_map(Value::Array)
                    .boxed()
            }
            SchemaKind::Type(Type::Object(object)) if object.properties.is_empty() => {
                let values = match &object.additional_properties {
                    Some(AdditionalProperties::Schema(values)) => self.reference(values, depth),
                    _ => any_json(1),
                };
                prop::collection::btree_map("\\PC{0,8}", values, 0..3)
                    .prop_map(|m| Value::Object(m.into_iter().collect()))
                    .boxed()
            }
            SchemaKind::Type(Type::Object(object)) => {
                let mut members = Vec::new();
                for (name, property) in &object.properties {
                    let required = object.required.contains(name);
                    if !required && depth == 0 {
                        continue;
                    }
                    let value = self.reference(property, depth);
                    let name = name.clone();
                    let member = if required {
                        value.prop_map(move |v| Some((name.clone(), v))).boxed()
                    } else {
                        prop::option::of(value)
                            .prop_map(move |v| v.map(|v| (name.clone(), v)))
                            .boxed()
                    };
                    members.push(member);
                }
                // Unknown fields, as a newer server adds them: plain or dotted names. Where the
                // schema types the other members (a `terms` query's field lists), they have
                // that type.
                let extra_values = match &object.additional_properties {
                    Some(AdditionalProperties::Any(false)) => None,
                    Some(AdditionalProperties::Schema(values)) => {
                        Some(self.reference(values, depth))
                    }
                    _ => Some(any_json(1)),
                };
                let extra = match extra_values {
                    Some(values) if depth > 0 => prop::collection::btree_map(
                        "x_[a-z]{1,8}|[a-z]{1,6}\\.[a-z]{1,6}",
                        values,
                        0..2,
                    )
                    .boxed(),
                    _ => Just(Default::default()).boxed(),
                };
                (members, extra)
                    .prop_map(|(members, extra)| {
                        let mut map: Map<String, Value> = members.into_iter().flatten().collect();
                        map.extend(extra);
                        Value::Object(map)
                    })
                    .boxed()
            }
            SchemaKind::OneOf { one_of } | SchemaKind::AnyOf { any_of: one_of } => {
                Union::new(one_of.iter().map(|branch| self.reference(branch, depth))).boxed()
            }
            SchemaKind::AllOf { all_of } if all_of.len() == 1 => self.reference(&all_of[0], depth),
            SchemaKind::Any(any)
                if any.typ.is_none() && any.properties.is_empty() && any.enumeration.is_empty() =>
            {
                any_json(2)
            }
            other => panic!("the instance generator does not know {other:?}"),
        };
        if schema.schema_data.nullable {
            prop_oneof![1 => Just(Value::Null), 4 => strategy].boxed()
        } else {
            strategy
        }
    }
}
