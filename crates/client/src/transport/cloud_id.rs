//! Elastic Cloud IDs: the deployment's address as the Elastic Cloud console shows it.
//!
//! A Cloud ID is `name:base64(host$es_uuid$kibana_uuid)`, the `name:` part optional. The host may
//! carry a `:port`, the default of the Elasticsearch and Kibana UUIDs, and each UUID may carry its
//! own, as Beats reads them (`libbeat/cloudid` in elastic/beats). The Elasticsearch address is
//! `https://<es_uuid>.<host>:<port>`, port 443 unless one is given. For instance
//! `staging:dXMtZWFzdC0xLmF3cy5mb3VuZC5pbyRjZWM2ZjI2MWE3NGJmMjRjZTMzYmI4ODExYjg0Mjk0ZiRjNmMyY2E2ZDA0MjI0OWFmMGNjN2Q3YTllOTYyNTc0Mw==`,
//! the example of Elastic's Beats documentation, names
//! `https://cec6f261a74bf24ce33bb8811b84294f.us-east-1.aws.found.io:443`.
//!
//! Errors say what is wrong without repeating the ID or what it decodes to: a secret pasted into
//! the wrong setting (an encoded API key is base64 too) must not end up in a log.

use base64::Engine as _;

/// The Elasticsearch base URL a Cloud ID names, or what is wrong with the ID.
pub(crate) fn elasticsearch_url(cloud_id: &str) -> Result<String, String> {
    let cloud_id = cloud_id.trim();
    if cloud_id.is_empty() {
        return Err("it is empty".to_string());
    }
    // base64 has no `:`, so the last one ends the name, whatever the name holds.
    let encoded = cloud_id
        .rsplit_once(':')
        .map_or(cloud_id, |(_name, encoded)| encoded);
    let decoded = base64::engine::general_purpose::STANDARD_PAD_INDIFFERENT
        .decode(encoded)
        .map_err(|_| "the part after `name:` is not base64".to_string())?;
    let decoded = String::from_utf8(decoded)
        .map_err(|_| "the part after `name:` does not decode to text".to_string())?;
    let mut parts = decoded.split('$');
    let (Some(host), Some(es_uuid)) = (parts.next(), parts.next()) else {
        return Err(
            "the part after `name:` does not decode to host$es_uuid$kibana_uuid".to_string(),
        );
    };
    let (host, host_port) = with_port(host, "host")?;
    let (es_uuid, es_port) = with_port(es_uuid, "Elasticsearch UUID")?;
    if !is_dns_name(host) {
        return Err("its host is not a DNS name".to_string());
    }
    if es_uuid.is_empty() {
        return Err("it holds no Elasticsearch UUID (host$es_uuid$kibana_uuid)".to_string());
    }
    if !is_dns_label(es_uuid) {
        return Err(
            "its Elasticsearch UUID is not made of letters, digits and hyphens".to_string(),
        );
    }
    let port = es_port.or(host_port).unwrap_or(443);
    Ok(format!("https://{es_uuid}.{host}:{port}"))
}

/// `name` and its `:port`, if it has one.
fn with_port<'a>(text: &'a str, what: &str) -> Result<(&'a str, Option<u16>), String> {
    let Some((name, port)) = text.rsplit_once(':') else {
        return Ok((text, None));
    };
    match port.parse::<u16>() {
        Ok(port) if port > 0 => Ok((name, Some(port))),
        _ => Err(format!(
            "the port of its {what} is not a number from 1 to 65535"
        )),
    }
}

/// Letters, digits and hyphens in dot-separated labels: nothing that would change how the URL
/// made of it parses (`/`, `@`, `?`, `#`, whitespace).
fn is_dns_name(host: &str) -> bool {
    !host.is_empty() && host.split('.').all(is_dns_label)
}

fn is_dns_label(label: &str) -> bool {
    !label.is_empty()
        && label.len() <= 63
        && label
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encode(text: &str) -> String {
        base64::engine::general_purpose::STANDARD.encode(text)
    }

    #[test]
    fn the_documented_example() {
        let id = "staging:dXMtZWFzdC0xLmF3cy5mb3VuZC5pbyRjZWM2ZjI2MWE3NGJmMjRjZTMzYmI4ODExYjg0Mjk0ZiRjNmMyY2E2ZDA0MjI0OWFmMGNjN2Q3YTllOTYyNTc0Mw==";
        let expected = "https://cec6f261a74bf24ce33bb8811b84294f.us-east-1.aws.found.io:443";
        assert_eq!(elasticsearch_url(id).as_deref(), Ok(expected));
        // Without its name, without padding, with the spaces of a copy.
        let bare = id.trim_start_matches("staging:");
        assert_eq!(elasticsearch_url(bare).as_deref(), Ok(expected));
        let unpadded = bare.trim_end_matches('=');
        assert_eq!(elasticsearch_url(unpadded).as_deref(), Ok(expected));
        assert_eq!(
            elasticsearch_url(&format!(" {id}\n")).as_deref(),
            Ok(expected)
        );
    }

    #[test]
    fn ports_come_from_the_host_or_the_uuid() {
        for (decoded, expected) in [
            ("host.example$es$kb", "https://es.host.example:443"),
            ("host.example:9243$es$kb", "https://es.host.example:9243"),
            (
                "host.example:9243$es:9200$kb",
                "https://es.host.example:9200",
            ),
            (
                "host.example$es:9200$kb:5601",
                "https://es.host.example:9200",
            ),
            ("host.example$es", "https://es.host.example:443"),
            ("host.example$es$", "https://es.host.example:443"),
            // A loopback address, for tests: the UUID is the address's first byte.
            ("0.0.1:9200$127$kb", "https://127.0.0.1:9200"),
        ] {
            let id = format!("my:deploy:{}", encode(decoded));
            assert_eq!(elasticsearch_url(&id).as_deref(), Ok(expected), "{decoded}");
        }
    }

    #[test]
    fn malformed_ids_say_why_without_repeating_them() {
        for (id, why) in [
            (String::new(), "empty"),
            ("name:not base64!".to_string(), "not base64"),
            (format!("n:{}", encode("hunter2-no-dollar")), "host$es_uuid"),
            (format!("n:{}", encode("$es$kb")), "not a DNS name"),
            (format!("n:{}", encode("host$$kb")), "no Elasticsearch UUID"),
            (format!("n:{}", encode("host:0$es$kb")), "port of its host"),
            (format!("n:{}", encode("host:99999$es")), "port of its host"),
            (
                format!("n:{}", encode("host$es:x$kb")),
                "Elasticsearch UUID is not",
            ),
            (format!("n:{}", encode("u:hunter2@host$es")), "its host"),
            (format!("n:{}", encode("host/path$es")), "not a DNS name"),
            (format!("n:{}", encode("host$e/s")), "not made of"),
            // An encoded API key, base64(id:api_key), pasted in the wrong place.
            (encode("VuaCfGcBCdbkQm-e5aOx:hunter2"), "host$es_uuid"),
        ] {
            let error = elasticsearch_url(&id).unwrap_err();
            assert!(error.contains(why), "{id}: {error}");
            assert!(!error.contains("hunter2"), "{error}");
        }
    }
}
