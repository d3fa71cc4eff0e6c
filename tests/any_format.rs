//! The models decode from every serde format, not only serde_json: a varied key list goes through
//! serde_json, a second JSON parser (sonic-rs), CBOR (ciborium) and YAML (serde_norway), and comes
//! back equal, unknown fields included, with equal `limited_by` roles still shared.
//!
//! Downstream crates store keys in formats of their own, and faster JSON parsers hand the models
//! a deserializer that is not serde_json's: a model that needs serde_json's `RawValue` fails there.

use elastic_apikeys_models::cloud::ApiKeysResponse;
use elastic_apikeys_models::elasticsearch::GetApiKeyResponse;
use elastic_apikeys_tests::bodies::{self, Mix};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// The formats the models must round-trip through.
#[derive(Debug, Clone, Copy)]
enum Format {
    SerdeJson,
    SonicRs,
    Cbor,
    Yaml,
}

impl Format {
    const ALL: [Format; 4] = [Self::SerdeJson, Self::SonicRs, Self::Cbor, Self::Yaml];

    fn encode(self, value: &impl Serialize) -> Vec<u8> {
        match self {
            Self::SerdeJson => serde_json::to_vec(value).expect("serde_json encodes the models"),
            Self::SonicRs => sonic_rs::to_vec(value).expect("sonic-rs encodes the models"),
            Self::Cbor => {
                let mut out = Vec::new();
                ciborium::into_writer(value, &mut out).expect("ciborium encodes the models");
                out
            }
            Self::Yaml => serde_norway::to_string(value)
                .expect("serde_norway encodes the models")
                .into_bytes(),
        }
    }

    fn decode<T: DeserializeOwned>(self, bytes: &[u8]) -> Result<T, String> {
        match self {
            Self::SerdeJson => serde_json::from_slice(bytes).map_err(|e| e.to_string()),
            Self::SonicRs => sonic_rs::from_slice(bytes).map_err(|e| e.to_string()),
            Self::Cbor => ciborium::from_reader(bytes).map_err(|e| e.to_string()),
            Self::Yaml => serde_norway::from_slice(bytes).map_err(|e| e.to_string()),
        }
    }
}

/// Encodes `original` in every format, decodes it back, and checks it is the same value and
/// re-encodes to the same JSON.
fn round_trip<T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(
    what: &str,
    original: &T,
    check: impl Fn(Format, &T),
) {
    let json = serde_json::to_string(original).unwrap();
    for format in Format::ALL {
        let bytes = format.encode(original);
        let back: T = format.decode(&bytes).unwrap_or_else(|e| {
            panic!(
                "{what} encoded with {format:?} does not decode back: {e}. Every model must \
                 decode from any self-describing serde format: do not depend on one \
                 deserializer's private features"
            )
        });
        assert!(
            back == *original,
            "{what} changed on a round trip through {format:?}"
        );
        assert_eq!(
            serde_json::to_string(&back).unwrap(),
            json,
            "{what} through {format:?} re-encodes differently"
        );
        check(format, &back);
    }
}

/// Keys whose `limited_by` roles are equal share one decoded copy, whatever the format.
fn shares_limited_by(format: Format, list: &GetApiKeyResponse) {
    let roles: Vec<_> = list
        .api_keys
        .iter()
        .filter_map(|key| key.limited_by.as_ref()?.first())
        .collect();
    let mut equal_pairs = 0;
    for (i, a) in roles.iter().enumerate() {
        for b in &roles[i + 1..] {
            if **a == **b {
                equal_pairs += 1;
                assert!(
                    a.shares_with(b),
                    "two equal limited_by roles decoded from {format:?} are two copies"
                );
            }
        }
    }
    assert!(
        equal_pairs > 0,
        "the list has no repeated limited_by to share"
    );
}

#[test]
fn elasticsearch_key_lists_round_trip_through_every_format() {
    for (what, mix) in [
        ("the default mix", Mix::default()),
        ("the worst case", Mix::worst_case()),
        (
            "a half-shared mix",
            Mix {
                shared_limited_by: 50,
                ..Mix::worst_case()
            },
        ),
        (
            "names and labels in other scripts than ASCII",
            Mix {
                non_ascii_rate: 100,
                ..Mix::default()
            },
        ),
    ] {
        let body = bodies::elasticsearch_body(120, &mix);
        assert_eq!(
            body.is_ascii(),
            mix.non_ascii_rate == 0,
            "{what}: the body's script"
        );
        let list: GetApiKeyResponse = serde_json::from_str(&body).unwrap();
        assert_eq!(list.api_keys.len(), 120);
        // Unknown fields and `_sort` are part of what must survive.
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&serde_json::to_string(&list).unwrap())
                .unwrap(),
            serde_json::from_str::<serde_json::Value>(&body).unwrap(),
            "{what}: the models lose or change what the server sent"
        );
        round_trip(what, &list, |format, back| {
            if mix.shared_limited_by > 0 {
                shares_limited_by(format, back);
            }
        });
    }
}

#[test]
fn a_second_json_parser_decodes_the_server_body_itself() {
    let body = bodies::elasticsearch_body(200, &Mix::worst_case());
    let reference: GetApiKeyResponse = serde_json::from_str(&body).unwrap();
    let sonic: GetApiKeyResponse = sonic_rs::from_str(&body).unwrap();
    assert!(sonic == reference, "sonic-rs decodes the body differently");
}

#[test]
fn cloud_key_lists_round_trip_through_every_format() {
    let list: ApiKeysResponse = serde_json::from_str(&bodies::cloud_keys(80)).unwrap();
    assert_eq!(list.keys.len(), 80);
    round_trip("a Cloud key list", &list, |_, _| {});
}
