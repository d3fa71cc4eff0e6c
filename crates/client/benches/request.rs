//! Per-request time of the client against a loopback server, and of the same request made with
//! bare reqwest + serde_json into the same models, measured in the same run: once with reqwest's
//! defaults, once with the client's default timeouts. The second ratio is the client's own cost
//! (hooks, request rules, typed errors); the difference between the two is the cost of the read
//! timeout that ends a stalled request.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use elastic_apikeys_client::elasticsearch::{Client, types::GetApiKeyResponse};
use elastic_apikeys_client::{Error, RetryPolicy};
use elastic_apikeys_tests::{bodies, raw_server};
use futures_util::StreamExt;
use std::hint::black_box;
use std::time::Duration;

/// The request as code without the client would make it: reqwest, then serde_json into the models.
async fn bare_request(client: &reqwest::Client, endpoint: &str) -> GetApiKeyResponse {
    let response = client
        .get(endpoint)
        .header("authorization", "Basic ZWxhc3RpYzpjaGFuZ2VtZQ==")
        .send()
        .await
        .unwrap();
    let bytes = response.bytes().await.unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

fn requests(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    for (keys, label) in [(0usize, "empty"), (1_000, "1k")] {
        let body = bodies::elasticsearch_keys(keys);
        let url = runtime.block_on(raw_server::serve_keep_alive(body.clone().into_bytes()));
        let client = Client::builder()
            .base_url(&url)
            .basic_auth("elastic", "changeme")
            .retry(RetryPolicy::none())
            .build()
            .unwrap();
        let bare = reqwest::Client::new();
        // The same stall protection as the client's defaults: a reset timer on every read.
        let bare_with_timeouts = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .read_timeout(Duration::from_secs(60))
            .build()
            .unwrap();
        let endpoint = format!("{url}/_security/api_key?owner=true");

        let mut group = c.benchmark_group(format!("request/{label}"));
        group.throughput(Throughput::Bytes(body.len() as u64));
        for (name, bare) in [
            ("bare_reqwest", &bare),
            ("bare_reqwest_read_timeout", &bare_with_timeouts),
        ] {
            group.bench_function(name, |b| {
                b.to_async(&runtime)
                    .iter(|| async { black_box(bare_request(bare, &endpoint).await) })
            });
        }
        group.bench_function("client", |b| {
            b.to_async(&runtime).iter(|| async {
                black_box(
                    client
                        .security_get_api_key()
                        .owner(true)
                        .send()
                        .await
                        .unwrap(),
                )
            })
        });
        group.bench_function("client_streaming", |b| {
            b.to_async(&runtime).iter(|| async {
                let response = client
                    .security_get_api_key()
                    .owner(true)
                    .send_stream()
                    .await
                    .unwrap();
                let keys: Vec<Result<_, Error>> = response.into_inner().collect().await;
                black_box(keys)
            })
        });
        group.finish();
    }
}

criterion_group!(benches, requests);
criterion_main!(benches);
