//! No type of the HTTP or TLS library under the client is part of its public API, so that
//! upgrading reqwest or rustls is not a breaking change for every user. The one exception is the
//! named escape hatch, `reqwest_client()`, which lives in the builders' shared macro.
//!
//! The check reads the client crate's sources (hand-written and generated) with `syn`: every
//! item a user can reach (`pub`, not `pub(crate)`), with its signature, fields, variants and trait
//! impls, must not mention them. Impls marked `#[doc(hidden)]` are left out: the generated
//! clients implement progenitor's `ClientInfo`, which the operations need.

use std::path::Path;

use quote::ToTokens;
use syn::visit::Visit;

/// The crates whose types must stay inside.
const LIBRARIES: [&str; 5] = ["reqwest", "rustls", "http", "hyper", "progenitor_client"];

#[test]
fn no_http_library_type_is_part_of_the_clients_public_api() {
    let root = elastic_apikeys_tests::workspace_root().join("crates/client/src");
    let mut findings = Vec::new();
    visit_dir(&root, &mut findings);
    assert!(
        findings.is_empty(),
        "public items of the client mention the HTTP library; wrap them in the client's own types \
         (as StatusCode and Headers do) or make them pub(crate):\n{}",
        findings.join("\n")
    );
}

fn visit_dir(dir: &Path, findings: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            visit_dir(&path, findings);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).unwrap();
            let file = syn::parse_file(&text).unwrap_or_else(|e| panic!("{path:?}: {e}"));
            let mut scan = Scan {
                file: path.display().to_string(),
                findings: Vec::new(),
            };
            scan.visit_file(&file);
            findings.extend(scan.findings);
        }
    }
}

struct Scan {
    file: String,
    findings: Vec<String>,
}

impl Scan {
    fn check(&mut self, what: &str, tokens: &impl ToTokens) {
        let text = tokens.to_token_stream().to_string();
        let words: Vec<&str> = text
            .split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .collect();
        if let Some(library) = LIBRARIES.iter().find(|library| words.contains(library)) {
            self.findings
                .push(format!("{}: {what} mentions {library}: {text}", self.file));
        }
    }
}

fn is_public(visibility: &syn::Visibility) -> bool {
    matches!(visibility, syn::Visibility::Public(_))
}

fn is_hidden(attrs: &[syn::Attribute]) -> bool {
    attrs
        .iter()
        .any(|a| a.path().is_ident("doc") && a.to_token_stream().to_string().contains("hidden"))
}

impl<'ast> Visit<'ast> for Scan {
    fn visit_item_fn(&mut self, item: &'ast syn::ItemFn) {
        if is_public(&item.vis) {
            self.check(&format!("fn {}", item.sig.ident), &item.sig);
        }
    }

    fn visit_item_struct(&mut self, item: &'ast syn::ItemStruct) {
        for field in &item.fields {
            if is_public(&item.vis) && is_public(&field.vis) {
                self.check(&format!("a field of {}", item.ident), &field.ty);
            }
        }
    }

    fn visit_item_enum(&mut self, item: &'ast syn::ItemEnum) {
        if is_public(&item.vis) {
            for variant in &item.variants {
                self.check(
                    &format!("{}::{}", item.ident, variant.ident),
                    &variant.fields,
                );
            }
        }
    }

    fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
        if is_public(&item.vis) {
            self.check("a re-export", &item.tree);
        }
    }

    fn visit_item_type(&mut self, item: &'ast syn::ItemType) {
        if is_public(&item.vis) {
            self.check(&format!("type {}", item.ident), &item.ty);
        }
    }

    fn visit_item_trait(&mut self, item: &'ast syn::ItemTrait) {
        if is_public(&item.vis) {
            self.check(&format!("trait {}", item.ident), item);
        }
    }

    fn visit_item_impl(&mut self, item: &'ast syn::ItemImpl) {
        if is_hidden(&item.attrs) {
            return;
        }
        if let Some((path, _)) = &item.trait_ {
            // A trait impl is as public as the trait and the type.
            self.check("a trait impl", path);
            self.check("a trait impl's type", &item.self_ty);
            return;
        }
        for member in &item.items {
            if let syn::ImplItem::Fn(method) = member
                && is_public(&method.vis)
            {
                self.check(&format!("method {}", method.sig.ident), &method.sig);
            }
        }
    }
}

#[test]
fn the_scan_sees_what_it_looks_for() {
    let sample: syn::File = syn::parse_quote! {
        pub use progenitor_client::{ByteStream, ClientInfo};
        pub enum Error { UnexpectedResponse(reqwest::Response), Fine(String) }
        impl Client {
            pub fn new_with_client(url: &str, client: reqwest::Client) -> Self { todo!() }
            pub(crate) fn inside(client: reqwest::Client) {}
        }
        impl From<reqwest::Error> for Error { fn from(e: reqwest::Error) -> Self { todo!() } }
        #[doc(hidden)]
        impl ClientInfo<()> for Client { fn client(&self) -> &reqwest::Client { todo!() } }
        pub mod builder { pub fn nested(r: rustls::ClientConfig) {} }
    };
    let mut scan = Scan {
        file: "sample".into(),
        findings: Vec::new(),
    };
    scan.visit_file(&sample);
    let found: Vec<&str> = scan
        .findings
        .iter()
        .map(|f| f.split(" mentions").next().unwrap())
        .collect();
    assert_eq!(
        found,
        [
            "sample: a re-export",
            "sample: Error::UnexpectedResponse",
            "sample: method new_with_client",
            "sample: a trait impl",
            "sample: fn nested",
        ]
    );
}

/// The modules of the client's runtime (`transport/`) that each one uses (`use super::x`).
fn transport_dependencies() -> std::collections::BTreeMap<String, Vec<String>> {
    let dir = elastic_apikeys_tests::workspace_root().join("crates/client/src/transport");
    let mut graph = std::collections::BTreeMap::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let module = path.file_stem().unwrap().to_string_lossy().into_owned();
        let file = syn::parse_file(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let mut uses = Vec::new();
        for item in &file.items {
            if let syn::Item::Use(item) = item
                && let syn::UseTree::Path(path) = &item.tree
                && path.ident == "super"
                && let syn::UseTree::Path(target) = &*path.tree
            {
                uses.push(target.ident.to_string());
            }
        }
        graph.insert(module, uses);
    }
    graph
}

#[test]
fn the_modules_of_the_runtime_depend_on_one_another_without_a_cycle() {
    let graph = transport_dependencies();
    assert!(graph.len() > 10, "the scan found {graph:?}");
    // Depth-first search from every module; a module met again on its own path is a cycle.
    fn visit(
        module: &str,
        graph: &std::collections::BTreeMap<String, Vec<String>>,
        path: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        if let Some(start) = path.iter().position(|m| m == module) {
            let mut cycle = path[start..].to_vec();
            cycle.push(module.to_string());
            return Some(cycle);
        }
        path.push(module.to_string());
        for next in graph.get(module).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, path) {
                return Some(cycle);
            }
        }
        path.pop();
        None
    }
    for module in graph.keys() {
        if let Some(cycle) = visit(module, &graph, &mut Vec::new()) {
            panic!(
                "the runtime's modules use one another in a cycle: {}; move what both need \
                 into a module of its own",
                cycle.join(" -> ")
            );
        }
    }
}
