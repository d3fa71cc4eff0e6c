//! URLs as errors and traces may show them: never with credentials.

/// `text`, a URL as someone typed it, with everything that could be a `user:password@` part
/// replaced by `[REDACTED]`: from the end of the scheme's `://` (or the start) to the last `@`.
///
/// This reads the text, not a parse of it, so that it holds for URLs that do not parse (a bad
/// port, a space in the host) and for those that parse otherwise than meant (a `#` or `/` in a
/// password makes the rest a fragment or a path). It may hide more than the credentials, never
/// less.
pub(crate) fn redacted_url_text(text: &str) -> String {
    let Some(at) = text.rfind('@') else {
        return text.to_string();
    };
    let start = text
        .find("://")
        .map(|scheme_end| scheme_end + 3)
        .filter(|&start| start <= at)
        .unwrap_or(0);
    format!("{}[REDACTED]@{}", &text[..start], &text[at + 1..])
}

/// `text`, a URL as someone typed it (in a flag, a variable or a config file), as it may be
/// shown: everything that could be a `user:password@` part is replaced by `[REDACTED]`, whether
/// the text parses as a URL or not. The client's errors show URLs this way.
pub fn redacted_url(text: &str) -> String {
    redacted_url_text(text)
}

/// `url` without a `user:password@` part, should one have been given.
pub(crate) fn without_credentials(url: &str) -> String {
    match reqwest::Url::parse(url) {
        Ok(mut parsed) if !parsed.username().is_empty() || parsed.password().is_some() => {
            let _ = parsed.set_username("");
            let _ = parsed.set_password(None);
            parsed.to_string()
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_urls_lose_whatever_could_be_credentials() {
        for (typed, shown) in [
            (
                "http://admin:PW@127.0.0.1:99999",
                "http://[REDACTED]@127.0.0.1:99999",
            ),
            ("http://admin:P#W@[::1:9200", "http://[REDACTED]@[::1:9200"),
            ("http://admin:P/W@host name", "http://[REDACTED]@host name"),
            ("admin:PW@127.0.0.1:9200", "[REDACTED]@127.0.0.1:9200"),
            ("http://a@b:PW@host", "http://[REDACTED]@host"),
            ("admin:PW@http://host", "[REDACTED]@http://host"),
            ("http://127.0.0.1:9200", "http://127.0.0.1:9200"),
            ("", ""),
        ] {
            assert_eq!(redacted_url_text(typed), shown, "{typed}");
        }
    }

    #[test]
    fn urls_lose_their_credentials() {
        assert_eq!(
            without_credentials("https://elastic:s3cr3t@es.example:9200/_security/api_key?id=a"),
            "https://es.example:9200/_security/api_key?id=a"
        );
        assert_eq!(
            without_credentials("http://localhost:9200/"),
            "http://localhost:9200/"
        );
    }
}
