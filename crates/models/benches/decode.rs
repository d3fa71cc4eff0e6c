//! Decoding and re-encoding key lists, against baselines measured in the same run: serde_json
//! into `IgnoredAny` (the parse floor), into `serde_json::Value` (what untyped clients hand their
//! users), and into progenitor's default types generated from the same spec without the SDK's
//! policy (`tests/baseline/`, what a user of progenitor alone would have). `cargo xtask bench`
//! turns the results into the ratios of BENCHMARKS.md.
//!
//! Bodies come in two mixes (`tests/bodies.rs`): the default mix, at 1k, 10k and 100k keys, and
//! the worst case for the models, at 20k keys (about the size of the default 100k body, since
//! its keys are four times larger). A third body, the default mix with names and labels in other
//! scripts than ASCII, times only what checking UTF-8 costs.
//!
//! `decode/models_sonic_rs` decodes the same models with sonic-rs instead of serde_json: the
//! models decode from any serde deserializer, and this measures whether a faster JSON parser
//! would pay off.
//!
//! `decode/*` times the decode alone: the decoded list is dropped outside the timer
//! (`BatchSize::PerIteration`, one list in memory at a time). Dropping a `Value` tree of 10× its
//! body is slow, so a timer around decode and drop together flatters the models;
//! `decode_and_drop/*` times both, as a figure of its own.

use criterion::measurement::WallTime;
use criterion::{
    BatchSize, BenchmarkGroup, Criterion, Throughput, criterion_group, criterion_main,
};
use elastic_apikeys_models::cloud::ApiKeysResponse;
use elastic_apikeys_models::elasticsearch::{self, GetApiKeyResponse};
use elastic_apikeys_tests::baseline;
use elastic_apikeys_tests::bodies::{self, Mix};
use serde::de::{DeserializeOwned, IgnoredAny};
use std::hint::black_box;

/// The bodies: group name, keys, mix.
fn bodies() -> [(&'static str, usize, Mix); 4] {
    [
        ("elasticsearch/1k", 1_000, Mix::default()),
        ("elasticsearch/10k", 10_000, Mix::default()),
        ("elasticsearch/100k", 100_000, Mix::default()),
        ("elasticsearch_worst/20k", 20_000, Mix::worst_case()),
    ]
}

/// Times decoding `body` into `T` alone, with the result dropped outside the timer.
fn decode_alone<T: DeserializeOwned>(
    group: &mut BenchmarkGroup<'_, WallTime>,
    id: &str,
    body: &str,
) {
    group.bench_function(id, |b| {
        b.iter_batched(
            || (),
            |()| serde_json::from_str::<T>(black_box(body)).unwrap(),
            BatchSize::PerIteration,
        )
    });
}

/// Times decoding `body` into `T` and dropping it.
fn decode_and_drop<T: DeserializeOwned>(
    group: &mut BenchmarkGroup<'_, WallTime>,
    id: &str,
    body: &str,
) {
    group.bench_function(id, |b| {
        b.iter(|| drop(serde_json::from_str::<T>(black_box(body)).unwrap()))
    });
}

/// Times decoding and dropping `body` from its bytes, both ways: as the client's `send()` does
/// it (`decode_and_drop/models_from_bytes`: one UTF-8 check of the whole body, then a `str`;
/// streaming reads bytes too, so this is the whole-body decode it stands in for), and as
/// serde_json does it (`decode_and_drop/models_from_slice`: each string checked as it is read,
/// what `send()` did before).
fn decodes_from_bytes(group: &mut BenchmarkGroup<'_, WallTime>, body: &str) {
    group.bench_function("decode_and_drop/models_from_bytes", |b| {
        b.iter(|| {
            let text = std::str::from_utf8(black_box(body.as_bytes())).unwrap();
            drop(serde_json::from_str::<GetApiKeyResponse>(text).unwrap())
        })
    });
    group.bench_function("decode_and_drop/models_from_slice", |b| {
        b.iter(|| {
            drop(serde_json::from_slice::<GetApiKeyResponse>(black_box(body.as_bytes())).unwrap())
        })
    });
}

fn elasticsearch_lists(c: &mut Criterion) {
    for (name, keys, mix) in bodies() {
        let body = bodies::elasticsearch_body(keys, &mix);
        let mut group = c.benchmark_group(name);
        group.throughput(Throughput::Bytes(body.len() as u64));
        if body.len() > 50_000_000 {
            group.sample_size(10);
        }
        group.bench_function("decode/ignored_any", |b| {
            b.iter(|| serde_json::from_str::<IgnoredAny>(black_box(&body)).unwrap())
        });
        decode_alone::<serde_json::Value>(&mut group, "decode/value", &body);
        decode_alone::<GetApiKeyResponse>(&mut group, "decode/models", &body);
        decode_alone::<baseline::elasticsearch::GetApiKeyResponse>(
            &mut group,
            "decode/progenitor_default",
            &body,
        );
        // The same models through a second JSON parser: whether a faster parser would pay off.
        group.bench_function("decode/models_sonic_rs", |b| {
            b.iter_batched(
                || (),
                |()| sonic_rs::from_str::<GetApiKeyResponse>(black_box(&body)).unwrap(),
                BatchSize::PerIteration,
            )
        });
        decode_and_drop::<serde_json::Value>(&mut group, "decode_and_drop/value", &body);
        decode_and_drop::<GetApiKeyResponse>(&mut group, "decode_and_drop/models", &body);
        decode_and_drop::<baseline::elasticsearch::GetApiKeyResponse>(
            &mut group,
            "decode_and_drop/progenitor_default",
            &body,
        );
        decodes_from_bytes(&mut group, &body);
        // Each key is dropped as the next one is read: streaming has no list to drop outside
        // the timer, so it compares with `decode_and_drop/*`.
        group.bench_function("decode_and_drop/models_streaming", |b| {
            b.iter(|| {
                for key in elasticsearch::ApiKeyReader::new(black_box(body.as_bytes())) {
                    black_box(key.unwrap());
                }
            })
        });
        let value: serde_json::Value = serde_json::from_str(&body).unwrap();
        let models: GetApiKeyResponse = serde_json::from_str(&body).unwrap();
        let progenitor: baseline::elasticsearch::GetApiKeyResponse =
            serde_json::from_str(&body).unwrap();
        group.bench_function("encode/value", |b| {
            b.iter(|| serde_json::to_vec(black_box(&value)).unwrap())
        });
        group.bench_function("encode/models", |b| {
            b.iter(|| serde_json::to_vec(black_box(&models)).unwrap())
        });
        group.bench_function("encode/progenitor_default", |b| {
            b.iter(|| serde_json::to_vec(black_box(&progenitor)).unwrap())
        });
        // The same encodes into `io::sink()`: the serializer's own work, with no output buffer to
        // grow and fault in. The difference from `encode/*` is what writing the bytes costs,
        // the same for both.
        group.bench_function("encode_to_sink/value", |b| {
            b.iter(|| serde_json::to_writer(std::io::sink(), black_box(&value)).unwrap())
        });
        group.bench_function("encode_to_sink/models", |b| {
            b.iter(|| serde_json::to_writer(std::io::sink(), black_box(&models)).unwrap())
        });
        group.finish();
    }
}

/// What checking UTF-8 costs on a body whose names and labels are not ASCII: the client's
/// `send()` (one pass over the whole body, then a `str`) against serde_json's `from_slice` (each
/// string checked as it is read), on the default mix with every key's name and metadata in other
/// scripts.
fn non_ascii_list(c: &mut Criterion) {
    let mix = Mix {
        non_ascii_rate: 100,
        ..Mix::default()
    };
    let body = bodies::elasticsearch_body(100_000, &mix);
    let mut group = c.benchmark_group("elasticsearch_non_ascii/100k");
    group.throughput(Throughput::Bytes(body.len() as u64));
    group.sample_size(10);
    decodes_from_bytes(&mut group, &body);
    group.finish();
}

fn cloud_list(c: &mut Criterion) {
    let body = bodies::cloud_keys(500);
    let mut group = c.benchmark_group("cloud/500");
    group.throughput(Throughput::Bytes(body.len() as u64));
    group.bench_function("decode/ignored_any", |b| {
        b.iter(|| serde_json::from_str::<IgnoredAny>(black_box(&body)).unwrap())
    });
    decode_alone::<serde_json::Value>(&mut group, "decode/value", &body);
    decode_alone::<ApiKeysResponse>(&mut group, "decode/models", &body);
    decode_alone::<baseline::cloud::ApiKeysResponse>(
        &mut group,
        "decode/progenitor_default",
        &body,
    );
    group.finish();
}

criterion_group!(benches, elasticsearch_lists, non_ascii_list, cloud_list);
criterion_main!(benches);
