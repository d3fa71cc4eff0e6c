//! tmp
use elastic_apikeys_models::elasticsearch::GetApiKeyResponse;
use elastic_apikeys_tests::bodies::{self, Mix};
#[inline(never)]
fn decode(body: &str) -> GetApiKeyResponse {
    serde_json::from_str(body).unwrap()
}
#[inline(never)]
fn dropit(v: GetApiKeyResponse) {
    drop(v)
}
fn main() {
    let worst = std::env::args().nth(1).as_deref() == Some("worst");
    let body = if worst {
        bodies::elasticsearch_body(20_000, &Mix::worst_case())
    } else {
        bodies::elasticsearch_body(100_000, &Mix::default())
    };
    let mut d = std::time::Duration::ZERO;
    for _ in 0..8 {
        let t = std::time::Instant::now();
        let v = decode(&body);
        d += t.elapsed();
        dropit(v);
    }
    eprintln!("{:?} per decode", d / 8);
}
