//! Every model of the crates, reachable by the name of its schema.

use std::fmt::Debug;

use schemars::JsonSchema;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// What the tests need of a model: decoding, encoding, comparison and its JSON Schema.
pub trait Model:
    DeserializeOwned + Serialize + JsonSchema + PartialEq + Debug + Clone + 'static
{
}

impl<T: DeserializeOwned + Serialize + JsonSchema + PartialEq + Debug + Clone + 'static> Model
    for T
{
}

/// Something to do with one model type, chosen at run time by [`visit_model`].
pub trait ModelVisitor {
    /// What the visit returns.
    type Output;
    /// Does the job for the model `T`.
    fn visit<T: Model>(self) -> Self::Output;
}

/// The models of each service, by schema name: written by `cargo xtask codegen` from the spec
/// (`xtask/src/codegen/model_table.rs`), so that a schema added to the spec is in every test
/// that runs over the models once the code is generated.
#[rustfmt::skip]
#[path = "generated/cloud_models.rs"]
mod cloud_models;
#[rustfmt::skip]
#[path = "generated/elasticsearch_models.rs"]
mod elasticsearch_models;

/// The names of the properties a round trip through the models may write otherwise for the same
/// meaning, from every spec: date-times (another offset, other fraction digits), and optional
/// properties of any JSON type whose `null` comes back absent. `normalise` undoes both.
pub(crate) fn date_times() -> impl Iterator<Item = &'static str> {
    [cloud_models::DATE_TIMES, elasticsearch_models::DATE_TIMES]
        .into_iter()
        .flatten()
        .copied()
}

/// See [`date_times`].
pub(crate) fn null_means_absent() -> impl Iterator<Item = &'static str> {
    [
        cloud_models::NULL_MEANS_ABSENT,
        elasticsearch_models::NULL_MEANS_ABSENT,
    ]
    .into_iter()
    .flatten()
    .copied()
}

/// Each service's module and its table.
const SERVICES: [(&str, &[&str]); 2] = [
    ("cloud", cloud_models::SCHEMAS),
    ("elasticsearch", elasticsearch_models::SCHEMAS),
];

/// Every `(module, schema)` that has a model, in the specs' order.
pub fn model_names() -> impl Iterator<Item = (&'static str, &'static str)> {
    SERVICES
        .into_iter()
        .flat_map(|(module, schemas)| schemas.iter().map(move |schema| (module, *schema)))
}

/// Runs `visitor` with the model of `module`'s schema `schema`, or returns `None` if there is no
/// such model.
pub fn visit_model<V: ModelVisitor>(module: &str, schema: &str, visitor: V) -> Option<V::Output> {
    match module {
        "cloud" => cloud_models::visit(schema, visitor),
        "elasticsearch" => elasticsearch_models::visit(schema, visitor),
        _ => None,
    }
}
