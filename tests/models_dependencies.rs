//! `elastic-apikeys-models` pulls in no HTTP stack: crates that only need the types can depend on
//! it without a client, a TLS library or an async runtime. The client's TLS is rustls, never
//! OpenSSL.

use std::process::Command;

use elastic_apikeys_tests::workspace_root;

/// Crates that belong to an HTTP client or server, or to the async runtime under them.
const HTTP_STACK: &[&str] = &[
    "reqwest",
    "hyper",
    "hyper-util",
    "hyper-rustls",
    "h2",
    "h3",
    "http",
    "http-body",
    "tokio",
    "tokio-rustls",
    "rustls",
    "native-tls",
    "openssl",
    "ureq",
    "surf",
    "isahc",
    "progenitor-client",
];

/// The normal (not dev, not build) dependencies of a package, one name per line.
fn normal_dependencies(package: &str) -> Vec<String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let output = Command::new(cargo)
        .current_dir(workspace_root())
        .args(["tree", "--locked", "--edges", "normal", "--prefix", "none"])
        .args(["--format", "{p}", "--package", package])
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "cargo tree failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .map(str::to_string)
        .collect()
}

#[test]
fn the_models_crate_has_no_http_stack() {
    let dependencies = normal_dependencies("elastic-apikeys-models");
    for expected in ["serde", "serde_json", "chrono", "schemars"] {
        assert!(
            dependencies.iter().any(|d| d == expected),
            "{expected} missing: the check is not reading the tree"
        );
    }
    let http: Vec<&String> = dependencies
        .iter()
        .filter(|d| HTTP_STACK.contains(&d.as_str()))
        .collect();
    assert!(http.is_empty(), "the models crate depends on {http:?}");
}

#[test]
fn the_check_sees_the_clients_http_stack() {
    // The same check on the client must find reqwest, or it proves nothing about the models.
    let dependencies = normal_dependencies("elastic-apikeys-client");
    assert!(dependencies.iter().any(|d| d == "reqwest"));
    assert!(dependencies.iter().any(|d| d == "hyper"));
}

#[test]
fn the_client_speaks_tls_with_rustls_and_never_openssl() {
    let dependencies = normal_dependencies("elastic-apikeys-client");
    assert!(
        dependencies.iter().any(|d| d == "rustls"),
        "no rustls: {dependencies:?}"
    );
    for native in ["openssl", "openssl-sys", "native-tls", "hyper-tls"] {
        assert!(
            !dependencies.iter().any(|d| d == native),
            "the client depends on {native}"
        );
    }
}
