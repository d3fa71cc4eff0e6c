//! Decoding and re-encoding key lists, against two baselines measured in the same run:
//! serde_json into `IgnoredAny` (the parse floor) and into `serde_json::Value` (what untyped
//! clients hand their users). `cargo xtask bench` turns the results into the ratios of
//! BENCHMARKS.md.
//!
//! `decode/*` times the decode alone: the decoded list is dropped outside the timer
//! (`BatchSize::PerIteration`, one list in memory at a time). Dropping a `Value` tree of 13×
//! its body is slow, so a timer around decode and drop together flatters the models;
//! `decode_and_drop/*` times both, as a figure of its own.

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use elastic_apikeys_models::cloud::ApiKeysResponse;
use elastic_apikeys_models::elasticsearch::{self, GetApiKeyResponse};
use elastic_apikeys_tests::bodies;
use serde::de::IgnoredAny;
use std::hint::black_box;

const SIZES: [(usize, &str); 3] = [(1_000, "1k"), (10_000, "10k"), (100_000, "100k")];

fn elasticsearch_lists(c: &mut Criterion) {
    for (keys, label) in SIZES {
        let body = bodies::elasticsearch_keys(keys);
        let mut group = c.benchmark_group(format!("elasticsearch/{label}"));
        group.throughput(Throughput::Bytes(body.len() as u64));
        if keys >= 100_000 {
            group.sample_size(10);
        }
        group.bench_function("decode/ignored_any", |b| {
            b.iter(|| serde_json::from_str::<IgnoredAny>(black_box(&body)).unwrap())
        });
        group.bench_function("decode/value", |b| {
            b.iter_batched(
                || (),
                |()| serde_json::from_str::<serde_json::Value>(black_box(&body)).unwrap(),
                BatchSize::PerIteration,
            )
        });
        group.bench_function("decode/models", |b| {
            b.iter_batched(
                || (),
                |()| serde_json::from_str::<GetApiKeyResponse>(black_box(&body)).unwrap(),
                BatchSize::PerIteration,
            )
        });
        group.bench_function("decode_and_drop/value", |b| {
            b.iter(|| {
                drop(serde_json::from_str::<serde_json::Value>(black_box(&body)).unwrap());
            })
        });
        group.bench_function("decode_and_drop/models", |b| {
            b.iter(|| {
                drop(serde_json::from_str::<GetApiKeyResponse>(black_box(&body)).unwrap());
            })
        });
        group.bench_function("decode/models_streaming", |b| {
            b.iter(|| {
                for key in elasticsearch::ApiKeyReader::new(black_box(body.as_bytes())) {
                    black_box(key.unwrap());
                }
            })
        });
        let value: serde_json::Value = serde_json::from_str(&body).unwrap();
        let models: GetApiKeyResponse = serde_json::from_str(&body).unwrap();
        group.bench_function("encode/value", |b| {
            b.iter(|| serde_json::to_vec(black_box(&value)).unwrap())
        });
        group.bench_function("encode/models", |b| {
            b.iter(|| serde_json::to_vec(black_box(&models)).unwrap())
        });
        group.finish();
    }
}

fn cloud_list(c: &mut Criterion) {
    let body = bodies::cloud_keys(500);
    let mut group = c.benchmark_group("cloud/500");
    group.throughput(Throughput::Bytes(body.len() as u64));
    group.bench_function("decode/ignored_any", |b| {
        b.iter(|| serde_json::from_str::<IgnoredAny>(black_box(&body)).unwrap())
    });
    group.bench_function("decode/value", |b| {
        b.iter_batched(
            || (),
            |()| serde_json::from_str::<serde_json::Value>(black_box(&body)).unwrap(),
            BatchSize::PerIteration,
        )
    });
    group.bench_function("decode/models", |b| {
        b.iter_batched(
            || (),
            |()| serde_json::from_str::<ApiKeysResponse>(black_box(&body)).unwrap(),
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

criterion_group!(benches, elasticsearch_lists, cloud_list);
criterion_main!(benches);
