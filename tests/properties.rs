//! Property tests over every model:
//! - instances of each schema, generated from the spec (with unknown fields and unknown enum
//!   values), decode; re-encoding gives the same document; the decoded value decodes back to
//!   itself, in stable bytes;
//! - arbitrary bytes, arbitrary JSON and damaged instances fed to every decoder give a value or
//!   an error, never a panic.

use elastic_apikeys_tests::instances::{any_json, instance, mutate};
use elastic_apikeys_tests::{Model, ModelVisitor, load_spec, model_names, normalise, visit_model};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use xtask::codegen::SERVICES;

/// Cases per model and property; every model has its own run, so the total is large.
const CASES: u32 = 48;

fn runner() -> TestRunner {
    TestRunner::new(Config {
        cases: CASES,
        failure_persistence: None,
        ..Config::default()
    })
}

fn spec_of(module: &str) -> openapiv3::OpenAPI {
    let service = SERVICES.iter().find(|s| s.module == module).unwrap();
    load_spec(*service)
}

struct RoundTrip(serde_json::Value);

impl ModelVisitor for RoundTrip {
    type Output = Result<(), TestCaseError>;

    fn visit<T: Model>(self) -> Self::Output {
        let text = self.0.to_string();
        let model: T = serde_json::from_str(&text).map_err(|e| {
            TestCaseError::fail(format!("a valid instance does not decode: {e}\n{text}"))
        })?;
        let encoded = serde_json::to_string(&model).unwrap();
        let written: serde_json::Value = serde_json::from_str(&encoded).unwrap();
        prop_assert_eq!(
            normalise(&written),
            normalise(&self.0),
            "re-encoding changed the document"
        );
        let again: T = serde_json::from_str(&encoded).map_err(|e| {
            TestCaseError::fail(format!("its own output does not decode: {e}\n{encoded}"))
        })?;
        prop_assert_eq!(&again, &model, "decode(encode(value)) differs from value");
        prop_assert_eq!(
            serde_json::to_string(&again).unwrap(),
            encoded,
            "bytes not stable"
        );
        Ok(())
    }
}

/// Decodes and drops: the only outcome tested is "no panic".
struct Decode<'a>(&'a [u8]);

impl ModelVisitor for Decode<'_> {
    type Output = ();

    fn visit<T: Model>(self) {
        if let Ok(model) = serde_json::from_slice::<T>(self.0) {
            // Whatever decodes must also encode.
            serde_json::to_vec(&model).unwrap();
        }
    }
}

#[test]
fn every_component_schema_has_a_model_and_is_tested_here() {
    for service in SERVICES {
        let spec = load_spec(service);
        for name in spec.components.unwrap().schemas.keys() {
            assert!(
                model_names().any(|model| model == (service.module, name.as_str())),
                "{}::{name} has no model in the tests' tables: run `cargo xtask codegen` (a new \
                 service also needs its table, tests/generated/<module>_models.rs, in \
                 tests/models.rs)",
                service.module
            );
        }
    }
}

#[test]
fn generated_values_of_every_model_round_trip() {
    for (module, name) in model_names() {
        let strategy = instance(&spec_of(module), name);
        runner()
            .run(&strategy, |value| {
                visit_model(module, name, RoundTrip(value)).unwrap()
            })
            .unwrap_or_else(|e| panic!("{module}::{name}: {e}"));
    }
}

#[test]
fn arbitrary_bytes_never_panic_a_decoder() {
    let strategy = prop::collection::vec(any::<u8>(), 0..256);
    runner()
        .run(&strategy, |bytes| {
            for (module, name) in model_names() {
                visit_model(module, name, Decode(&bytes)).unwrap();
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn arbitrary_json_never_panics_a_decoder() {
    runner()
        .run(&any_json(4), |value| {
            let bytes = serde_json::to_vec(&value).unwrap();
            for (module, name) in model_names() {
                visit_model(module, name, Decode(&bytes)).unwrap();
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn damaged_instances_never_panic_their_decoder() {
    for (module, name) in model_names() {
        let strategy = (
            instance(&spec_of(module), name),
            any::<prop::sample::Index>(),
            any_json(2),
        )
            .prop_map(|(value, index, replacement)| mutate(value, index, replacement));
        runner()
            .run(&strategy, |value| {
                let bytes = serde_json::to_vec(&value).unwrap();
                visit_model(module, name, Decode(&bytes)).unwrap();
                Ok(())
            })
            .unwrap_or_else(|e| panic!("{module}::{name}: {e}"));
    }
}
