//! Exact path matching in the generated `httpmock` extension.
//!
//! progenitor's mock matches a path parameter by formatting its raw value into a regular
//! expression: `^/users/auth/keys/{}$` with `a.b` matches `a_b` too (`.` is "any character"), and
//! an id with `/`, `?`, `#`, `%` or a space never matches, because the client percent-encodes it
//! and the server sees the encoded path. The value is instead percent-encoded the way the client
//! encodes it, then escaped, so the mock matches exactly the path the client sends.

use proc_macro2::{TokenStream, TokenTree};
use syn::visit_mut::{self, VisitMut};

/// Whether an operation of `spec` has a path parameter, which the mock matches.
pub(crate) fn expected(spec: &openapiv3::OpenAPI) -> bool {
    super::schema_walk::parameters(spec)
        .any(|parameter| matches!(parameter, openapiv3::Parameter::Path { .. }))
}

/// Rewrites every path-parameter matcher of `mock` to match its value exactly; returns how many
/// it rewrote.
pub(crate) fn match_exactly(mock: &mut syn::File) -> usize {
    let mut pass = Rewrite(0);
    pass.visit_file_mut(mock);
    pass.0
}

struct Rewrite(usize);

impl VisitMut for Rewrite {
    fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
        if mac.path.is_ident("format")
            && let Some(rewritten) = exact_value(&mac.tokens)
        {
            mac.tokens = rewritten;
            self.0 += 1;
        }
        visit_mut::visit_macro_mut(self, mac);
    }
}

/// `"<regex>", value.to_string()` becomes
/// `"<regex>", ::regex::escape(&::progenitor_client::encode_path(&value.to_string()))`.
fn exact_value(tokens: &TokenStream) -> Option<TokenStream> {
    let trees: Vec<TokenTree> = tokens.clone().into_iter().collect();
    let [
        TokenTree::Literal(pattern),
        TokenTree::Punct(comma),
        rest @ ..,
    ] = trees.as_slice()
    else {
        return None;
    };
    let value: TokenStream = rest.iter().cloned().collect();
    if comma.as_char() != ',' || value.to_string().replace(' ', "") != "value.to_string()" {
        return None;
    }
    Some(quote_tokens(pattern))
}

fn quote_tokens(pattern: &proc_macro2::Literal) -> TokenStream {
    let file: syn::Expr = syn::parse_quote! {
        format!(#pattern, ::regex::escape(&::progenitor_client::encode_path(&value.to_string())))
    };
    match file {
        syn::Expr::Macro(m) => m.mac.tokens,
        _ => unreachable!("format! parses as a macro"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_values_are_encoded_and_escaped() {
        let mut file: syn::File = syn::parse_quote! {
            fn api_key_id(self, value: &str) -> Self {
                let re = regex::Regex::new(&format!("^/users/auth/keys/{}$", value.to_string())).unwrap();
                let other = format!("{}", value.len());
                Self(self.0.path_matches(re))
            }
        };
        match_exactly(&mut file);
        // prettyplease spaces out macro tokens; compare without whitespace.
        let text: String = prettyplease::unparse(&file).split_whitespace().collect();
        assert!(
            text.contains("::regex::escape(&::progenitor_client::encode_path(&value.to_string()))"),
            "{text}"
        );
        assert!(text.contains(r#"format!("{}",value.len())"#), "{text}");
    }
}
