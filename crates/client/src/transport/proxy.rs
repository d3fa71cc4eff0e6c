//! Which proxy, if any, the client goes through.
//!
//! By default the environment decides, with curl's variables and rules, read when the client is
//! built:
//! - `https_proxy` or `HTTPS_PROXY` for an `https` base URL; `http_proxy` or `HTTP_PROXY` for an
//!   `http` one; `all_proxy` or `ALL_PROXY` for either when the first is unset. The lowercase
//!   form wins, as in curl. Unlike curl, `HTTP_PROXY` in capitals counts too (Go, Python and
//!   reqwest read it), except when `REQUEST_METHOD` is set: in a CGI program, a request's
//!   `Proxy:` header arrives as `HTTP_PROXY` ("httpoxy").
//! - `no_proxy` or `NO_PROXY`: the hosts reached directly. A comma-separated list of host names
//!   (each matching itself and its subdomains, with or without a leading dot), IP addresses and
//!   CIDR ranges, or `*` for every host.
//! - A value without a scheme is an `http://` proxy; an empty value counts as unset.
//!
//! Neither API redirects (and redirects are not followed), so every request of a client goes to
//! its base URL's host: the decision is made once, when the client is built, and a value that
//! does not parse is an error then rather than a proxy silently bypassed.
//!
//! A proxy URL may hold the proxy's `user:password@`; it is sent to the proxy
//! (`Proxy-Authorization`) and never shown: errors and events show it redacted.

use std::fmt;
use std::net::IpAddr;

use reqwest::Url;

use super::build_error::BuildError;
use super::urls::redacted_url_text;

/// Whether and how requests go through a proxy.
#[derive(Clone, Default, PartialEq, Eq)]
pub(crate) enum ProxySetting {
    /// As the environment says (see the module).
    #[default]
    FromEnvironment,
    /// Through this proxy, whatever the environment says.
    Url(String),
    /// Directly, whatever the environment says.
    Off,
}

impl fmt::Debug for ProxySetting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::FromEnvironment => f.write_str("FromEnvironment"),
            Self::Url(url) => f.debug_tuple("Url").field(&redacted_url_text(url)).finish(),
            Self::Off => f.write_str("Off"),
        }
    }
}

/// A proxy chosen for a base URL, and where it came from (`proxy()` or a variable's name).
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Chosen {
    url: Url,
    from: &'static str,
}

impl fmt::Debug for Chosen {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} (from {})",
            redacted_url_text(self.url.as_str()),
            self.from
        )
    }
}

/// The proxy `setting` gives for requests to `base`, reading variables with `var`.
pub(crate) fn choose(
    setting: &ProxySetting,
    base: &Url,
    var: impl Fn(&str) -> Option<String>,
) -> Result<Option<Chosen>, BuildError> {
    let (text, from) = match setting {
        ProxySetting::Off => return Ok(None),
        ProxySetting::Url(url) => (url.clone(), "proxy()"),
        ProxySetting::FromEnvironment => {
            let set = |name: &'static str| {
                var(name)
                    .filter(|value| !value.trim().is_empty())
                    .map(|value| (value, name))
            };
            let cgi = var("REQUEST_METHOD").is_some();
            let for_scheme = match base.scheme() {
                "https" => set("https_proxy").or_else(|| set("HTTPS_PROXY")),
                _ => set("http_proxy").or_else(|| if cgi { None } else { set("HTTP_PROXY") }),
            };
            let Some(found) = for_scheme
                .or_else(|| set("all_proxy"))
                .or_else(|| set("ALL_PROXY"))
            else {
                return Ok(None);
            };
            let no_proxy = set("no_proxy").or_else(|| set("NO_PROXY"));
            if let (Some(host), Some((list, _))) = (base.host_str(), &no_proxy)
                && bypassed(host, list)
            {
                return Ok(None);
            }
            found
        }
    };
    parse(&text, from).map(Some)
}

/// Configures `http` to use the proxy chosen, or none: reqwest must not read the environment
/// again by rules of its own.
pub(crate) fn apply(
    http: reqwest::ClientBuilder,
    chosen: Option<&Chosen>,
) -> Result<reqwest::ClientBuilder, BuildError> {
    let http = http.no_proxy();
    let Some(chosen) = chosen else {
        return Ok(http);
    };
    // reqwest takes the `user:password@` of the URL as the proxy's credentials.
    let proxy = reqwest::Proxy::all(chosen.url.as_str()).map_err(|e| invalid(chosen, &e))?;
    tracing::debug!(
        proxy = %redacted_url_text(chosen.url.as_str()),
        from = %chosen.from,
        "requests go through a proxy"
    );
    Ok(http.proxy(proxy))
}

fn invalid(chosen: &Chosen, error: &dyn std::error::Error) -> BuildError {
    BuildError::InvalidProxy {
        url: redacted_url_text(chosen.url.as_str()),
        from: chosen.from.to_string(),
        reason: without_url(&error.to_string()),
    }
}

/// An error's text with anything URL-like cut, since reqwest may quote the URL it was given.
fn without_url(reason: &str) -> String {
    match reason.find("://") {
        Some(_) => "not a proxy URL reqwest accepts".to_string(),
        None => reason.to_string(),
    }
}

/// Reads a proxy URL as curl does: trimmed, `http://` when it has no scheme.
fn parse(text: &str, from: &'static str) -> Result<Chosen, BuildError> {
    let text = text.trim();
    let text = if text.contains("://") {
        text.to_string()
    } else {
        format!("http://{text}")
    };
    let error = |reason: &str| BuildError::InvalidProxy {
        url: redacted_url_text(&text),
        from: from.to_string(),
        reason: reason.to_string(),
    };
    let url = Url::parse(&text).map_err(|e| error(&e.to_string()))?;
    match url.scheme() {
        "http" | "https" => {}
        "socks4" | "socks4a" | "socks5" | "socks5h" => {
            return Err(error("SOCKS proxies are not supported; use an HTTP proxy"));
        }
        _ => return Err(error("the scheme must be http or https")),
    }
    if url.host().is_none() {
        return Err(error("it names no host"));
    }
    Ok(Chosen { url, from })
}

/// Whether `no_proxy` (curl's `NO_PROXY` list) names `host`, a URL's host (IPv6 in brackets).
fn bypassed(host: &str, no_proxy: &str) -> bool {
    let address = host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .parse::<IpAddr>()
        .ok();
    no_proxy
        .split([',', ' ', '\t'])
        .map(str::trim)
        .filter(|entry| !entry.is_empty())
        .any(|entry| {
            entry == "*"
                || match address {
                    Some(ip) => ip_matches(ip, entry),
                    None => domain_matches(host, entry),
                }
        })
}

/// `example.com` and `.example.com` both name `example.com` and every name under it.
fn domain_matches(name: &str, entry: &str) -> bool {
    let name = name.trim_end_matches('.');
    let entry = entry.trim_start_matches('.').trim_end_matches('.');
    if entry.is_empty() {
        return false;
    }
    name.eq_ignore_ascii_case(entry)
        || (name.len() > entry.len()
            && name.as_bytes()[name.len() - entry.len() - 1] == b'.'
            && name[name.len() - entry.len()..].eq_ignore_ascii_case(entry))
}

/// An address, or a CIDR range such as `10.0.0.0/8`; IPv6 may be in brackets.
fn ip_matches(ip: IpAddr, entry: &str) -> bool {
    let (address, bits) = match entry.split_once('/') {
        Some((address, bits)) => match bits.parse::<u8>() {
            Ok(bits) => (address, Some(bits)),
            Err(_) => return false,
        },
        None => (entry, None),
    };
    let address = address.trim_start_matches('[').trim_end_matches(']');
    let Ok(network) = address.parse::<IpAddr>() else {
        return false;
    };
    match (ip, network) {
        (IpAddr::V4(ip), IpAddr::V4(network)) => {
            prefix_matches(&ip.octets(), &network.octets(), bits.unwrap_or(32))
        }
        (IpAddr::V6(ip), IpAddr::V6(network)) => {
            prefix_matches(&ip.octets(), &network.octets(), bits.unwrap_or(128))
        }
        _ => false,
    }
}

fn prefix_matches(ip: &[u8], network: &[u8], bits: u8) -> bool {
    let bits = usize::from(bits);
    if bits > ip.len() * 8 {
        return false;
    }
    let (whole, rest) = (bits / 8, bits % 8);
    if ip[..whole] != network[..whole] {
        return false;
    }
    rest == 0 || {
        let mask = 0xffu8 << (8 - rest);
        ip[whole] & mask == network[whole] & mask
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chosen(base: &str, env: &[(&str, &str)]) -> Option<String> {
        let base = Url::parse(base).unwrap();
        let var = |name: &str| {
            env.iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| value.to_string())
        };
        choose(&ProxySetting::FromEnvironment, &base, var)
            .unwrap()
            .map(|chosen| format!("{chosen:?}"))
    }

    #[test]
    fn the_variable_follows_the_scheme_and_lowercase_wins() {
        let env = [
            ("https_proxy", "http://lower:3128"),
            ("HTTPS_PROXY", "http://upper:3128"),
            ("HTTP_PROXY", "plain:8080"),
            ("ALL_PROXY", "http://all:1080"),
        ];
        assert_eq!(
            chosen("https://es:9200", &env).as_deref(),
            Some("http://lower:3128/ (from https_proxy)")
        );
        assert_eq!(
            chosen("http://es:9200", &env).as_deref(),
            Some("http://plain:8080/ (from HTTP_PROXY)")
        );
        assert_eq!(
            chosen("https://es:9200", &[("ALL_PROXY", "http://all:1080")]).as_deref(),
            Some("http://all:1080/ (from ALL_PROXY)")
        );
        assert_eq!(chosen("https://es:9200", &[("HTTP_PROXY", "p:1")]), None);
        assert_eq!(chosen("https://es:9200", &[("HTTPS_PROXY", " ")]), None);
    }

    #[test]
    fn cgi_programs_ignore_http_proxy_in_capitals() {
        let env = [("REQUEST_METHOD", "GET"), ("HTTP_PROXY", "http://evil:1")];
        assert_eq!(chosen("http://es:9200", &env), None);
        let env = [("REQUEST_METHOD", "GET"), ("http_proxy", "http://ok:1")];
        assert!(chosen("http://es:9200", &env).is_some());
    }

    #[test]
    fn no_proxy_follows_curl() {
        let via = [("HTTPS_PROXY", "http://proxy:3128")];
        let with = |no_proxy: &str, base: &str| {
            let env = [via[0], ("NO_PROXY", no_proxy)];
            chosen(base, &env).is_none()
        };
        assert!(with("example.com", "https://example.com"));
        assert!(with("example.com", "https://es.EXAMPLE.com:9200"));
        assert!(with(".example.com", "https://es.example.com"));
        assert!(with(".example.com", "https://example.com"));
        assert!(!with("example.com", "https://notexample.com"));
        assert!(with("a.b, localhost", "https://localhost:9200"));
        assert!(with("*", "https://anything"));
        assert!(with("10.0.0.0/8", "https://10.1.2.3"));
        assert!(!with("10.0.0.0/8", "https://11.1.2.3"));
        assert!(with("127.0.0.1", "https://127.0.0.1:9200"));
        assert!(with("::1", "https://[::1]:9200"));
        assert!(with("[fd00::]/8", "https://[fd12::1]"));
        assert!(!with("127.0.0.1", "https://localhost"));
        assert!(!with("", "https://localhost"));
        // The lowercase list wins.
        let env = [via[0], ("no_proxy", "other"), ("NO_PROXY", "es")];
        assert!(chosen("https://es", &env).is_some());
    }

    #[test]
    fn bad_proxies_are_errors_that_show_no_password() {
        let base = Url::parse("https://es:9200").unwrap();
        for (url, why) in [
            ("socks5://u:hunter2@proxy:1080", "SOCKS"),
            ("ftp://u:hunter2@proxy", "scheme"),
            ("http://u:hunter2@[::1:3128", "invalid"),
        ] {
            let error = choose(&ProxySetting::Url(url.to_string()), &base, |_| None).unwrap_err();
            let text = format!("{error} {error:?}");
            assert!(text.contains(why), "{text}");
            assert!(!text.contains("hunter2"), "{text}");
        }
        let setting = ProxySetting::Url("http://u:hunter2@proxy:3128".into());
        assert!(!format!("{setting:?}").contains("hunter2"));
        let chosen = choose(&setting, &base, |_| None).unwrap().unwrap();
        assert!(!format!("{chosen:?}").contains("hunter2"));
    }
}
