//! What a run trusts the server's certificate by, and what a TLS failure tells the user to do
//! about it, in this command line's terms.

use elastic_apikeys_client::TlsFailure;

/// The service a connection goes to, for naming its settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Service {
    Elasticsearch,
    Cloud,
}

/// What the server's certificate is trusted by on this run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Given {
    /// The system's roots only.
    Nothing,
    /// A CA certificate file, and the system's roots.
    CaCert,
    /// The SHA-256 fingerprint of the CA's certificate.
    Fingerprint,
    /// Nothing is checked (`--insecure`).
    Insecure,
}

/// A run's TLS trust, and the advice that goes with a failure of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Trust {
    pub(crate) service: Service,
    pub(crate) given: Given,
}

impl Trust {
    /// The message for a request that failed with `Error::Tls`: `kind`, the TLS library's
    /// `reason` and the client's `advice`. A certificate the client does not trust gets advice
    /// that names this command line's settings; any other failure (a host name the certificate
    /// does not hold, a fingerprint that does not match, a refused client certificate) is shown
    /// as the client words it.
    pub(crate) fn tls_failure(
        self,
        url: &str,
        kind: TlsFailure,
        reason: &str,
        advice: &str,
    ) -> String {
        if kind != TlsFailure::UntrustedCertificate {
            return if advice.is_empty() {
                format!("TLS with {url} failed: {reason}")
            } else {
                format!("TLS with {url} failed: {reason}: {advice}")
            };
        }
        let advice = match (self.service, self.given) {
            (Service::Elasticsearch, Given::Nothing | Given::Insecure) => {
                "the server's certificate is not signed by a CA that apikeys trusts. Give \
                 apikeys the cluster's CA certificate with --ca-cert PATH (or \
                 ELASTICSEARCH_CA_CERT), or its SHA-256 fingerprint with --ca-fingerprint HEX \
                 (or ELASTICSEARCH_CA_FINGERPRINT); a self-managed cluster keeps it in \
                 config/certs/http_ca.crt, and prints the fingerprint when it first starts"
            }
            (Service::Elasticsearch, Given::CaCert) => {
                "the server's certificate is signed neither by the CA of --ca-cert \
                 (ELASTICSEARCH_CA_CERT) nor by one this system trusts; check that the file \
                 holds the cluster's CA certificate (config/certs/http_ca.crt on a self-managed \
                 cluster)"
            }
            (Service::Elasticsearch, Given::Fingerprint) => {
                "the server presented the certificate whose fingerprint --ca-fingerprint \
                 (ELASTICSEARCH_CA_FINGERPRINT) gives, but it did not sign the server's own \
                 certificate: another server may be answering in the cluster's place"
            }
            (Service::Cloud, Given::CaCert) => {
                "the server's certificate is signed neither by the CA of --ca-cert nor by one \
                 this system trusts; check that the file holds the installation's CA certificate"
            }
            (Service::Cloud, _) => {
                "the server's certificate is not signed by a CA that apikeys trusts; for an \
                 Elastic Cloud Enterprise installation with a private CA, give its certificate \
                 with --ca-cert PATH"
            }
        };
        format!("TLS with {url} failed: {reason}: {advice}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const REASON: &str = "invalid peer certificate: UnknownIssuer";

    #[test]
    fn an_untrusted_certificate_names_the_settings_that_fix_it() {
        let trust = Trust {
            service: Service::Elasticsearch,
            given: Given::Nothing,
        };
        let message = trust.tls_failure(
            "https://es:9200/_security/api_key",
            TlsFailure::UntrustedCertificate,
            REASON,
            "the client's own advice",
        );
        assert!(
            message.starts_with(&format!("TLS with https://es:9200/_security/api_key failed: {REASON}: the server's certificate is not signed by a CA that apikeys trusts. Give apikeys")),
            "{message}"
        );
        for setting in [
            "--ca-cert PATH",
            "ELASTICSEARCH_CA_CERT",
            "--ca-fingerprint HEX",
            "ELASTICSEARCH_CA_FINGERPRINT",
        ] {
            assert!(message.contains(setting), "{message}");
        }
        assert!(!message.contains("client's own advice"));
    }

    #[test]
    fn other_failures_are_shown_as_the_client_words_them() {
        let trust = Trust {
            service: Service::Elasticsearch,
            given: Given::CaCert,
        };
        let reason = "certificate not valid for name \"x\"";
        let advice = "use a host name it names";
        assert_eq!(
            trust.tls_failure(
                "https://x:9200",
                TlsFailure::CertificateNotForHost,
                reason,
                advice
            ),
            format!("TLS with https://x:9200 failed: {reason}: {advice}")
        );
    }
}
