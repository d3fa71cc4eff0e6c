//! TLS: what the client trusts, the certificate it shows, and what a failed handshake is reported
//! as.
//!
//! The client builds its rustls configuration itself and hands it to reqwest, so that every
//! trust setting goes through one place. By default it is what reqwest's `rustls` feature builds:
//! the aws-lc-rs provider (or the process's default provider, if one was installed) and the
//! platform's verifier, which trusts the operating system's roots.

/// The handshake-signature methods of a `ServerCertVerifier`, checked with the signature
/// algorithms of `self.provider`. Whatever a verifier decides of the certificate, the server must
/// still prove that it holds the certificate's key. Defined before the modules that use it.
macro_rules! provider_signature_checks {
    () => {
        fn verify_tls12_signature(
            &self,
            message: &[u8],
            cert: &::rustls::pki_types::CertificateDer<'_>,
            dss: &::rustls::DigitallySignedStruct,
        ) -> Result<::rustls::client::danger::HandshakeSignatureValid, ::rustls::Error> {
            ::rustls::crypto::verify_tls12_signature(
                message,
                cert,
                dss,
                &self.provider.signature_verification_algorithms,
            )
        }

        fn verify_tls13_signature(
            &self,
            message: &[u8],
            cert: &::rustls::pki_types::CertificateDer<'_>,
            dss: &::rustls::DigitallySignedStruct,
        ) -> Result<::rustls::client::danger::HandshakeSignatureValid, ::rustls::Error> {
            ::rustls::crypto::verify_tls13_signature(
                message,
                cert,
                dss,
                &self.provider.signature_verification_algorithms,
            )
        }

        fn supported_verify_schemes(&self) -> Vec<::rustls::SignatureScheme> {
            self.provider
                .signature_verification_algorithms
                .supported_schemes()
        }
    };
}

mod fingerprint;
mod insecure;
mod pem;

use std::sync::Arc;

use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::ServerCertVerifier;
use rustls::crypto::CryptoProvider;
use rustls::{ClientConfig, RootCertStore};

use super::build_error::BuildError;
pub(crate) use pem::{KeyPem, Pem};

/// What failed in a TLS handshake, for programs that word the advice their own way (naming
/// their own flags, say): the `kind` of [`Error::Tls`](crate::Error::Tls).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TlsFailure {
    /// The server's certificate is not signed by a CA the client trusts.
    UntrustedCertificate,
    /// The server's certificate does not name the host of the URL.
    CertificateNotForHost,
    /// The server's certificate is outside its validity period.
    CertificateExpired,
    /// No certificate of the server's chain has the pinned fingerprint, or the one that has it
    /// did not sign the server's certificate.
    FingerprintMismatch,
    /// The server refused the connection over certificates: it wants a client certificate, or
    /// refuses the one given.
    ClientCertificateRefused,
    /// Anything else the TLS library reported.
    Other,
}

/// A failed handshake: what failed, rustls's words for it, and what to do about it.
pub(crate) struct HandshakeFailure {
    pub(crate) kind: TlsFailure,
    pub(crate) reason: String,
    pub(crate) advice: &'static str,
}

/// The TLS settings of a client builder, checked and read when the client is built.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct TlsOptions {
    /// CA certificates to trust besides (or, with `only_given_roots`, instead of) the platform's.
    pub(crate) ca_certificates: Vec<Pem>,
    /// Whether the platform's roots are left out.
    pub(crate) only_given_roots: bool,
    /// The SHA-256 fingerprint of a certificate of the server's chain, as typed.
    pub(crate) ca_fingerprint: Option<String>,
    /// The client's certificate and key, for PKI authentication.
    pub(crate) client_identity: Option<(Pem, KeyPem)>,
    /// No check of the server's certificate at all.
    pub(crate) accept_invalid_certs: bool,
}

/// The rustls configuration `options` describe, or why there is none. Files are read here.
pub(crate) fn client_config(options: &TlsOptions) -> Result<ClientConfig, BuildError> {
    let provider = CryptoProvider::get_default()
        .cloned()
        .unwrap_or_else(|| Arc::new(rustls::crypto::aws_lc_rs::default_provider()));
    let verifier = verifier(options, &provider)?;
    let builder = ClientConfig::builder_with_provider(Arc::clone(&provider))
        .with_safe_default_protocol_versions()
        .map_err(|e| BuildError::Http(e.to_string()))?
        .dangerous()
        .with_custom_certificate_verifier(verifier);
    let mut config = match &options.client_identity {
        None => builder.with_no_client_auth(),
        Some((certificate, key)) => {
            let chain =
                certificate
                    .certificates()
                    .map_err(|reason| BuildError::ClientCertificate {
                        from: certificate.origin(),
                        reason,
                    })?;
            let key_error = |reason| BuildError::ClientKey {
                from: key.0.origin(),
                reason,
            };
            let private_key = key.0.private_key().map_err(key_error)?;
            // rustls's words, which name the problem (a key of another certificate, of an
            // unsupported type) and never the key.
            builder
                .with_client_auth_cert(chain, private_key)
                .map_err(|e| {
                    key_error(match e {
                        rustls::Error::InconsistentKeys(_) => format!(
                            "it is not the key of the certificate {}",
                            certificate.origin()
                        ),
                        other => format!(
                            "it cannot be used with the certificate {}: {other}",
                            certificate.origin()
                        ),
                    })
                })?
        }
    };
    // What reqwest offers when it builds the configuration itself.
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(config)
}

/// Who decides whether the server's certificate is trusted.
fn verifier(
    options: &TlsOptions,
    provider: &Arc<CryptoProvider>,
) -> Result<Arc<dyn ServerCertVerifier>, BuildError> {
    let conflict = |reason: &str| Err(BuildError::ConflictingTls(reason.to_string()));
    let given_trust = !options.ca_certificates.is_empty() || options.ca_fingerprint.is_some();
    if options.accept_invalid_certs {
        if given_trust {
            return conflict(
                "danger_accept_invalid_certs(true) checks no certificate, so the CA certificate \
                 or fingerprint given would have no effect; give one or the other",
            );
        }
        return Ok(Arc::new(insecure::AcceptAnyCertificate::new(Arc::clone(
            provider,
        ))));
    }
    if let Some(text) = &options.ca_fingerprint {
        if !options.ca_certificates.is_empty() {
            return conflict(
                "a CA fingerprint replaces every other source of trust, so the CA certificate \
                 given would have no effect; give one or the other",
            );
        }
        let pinned =
            fingerprint::parse(text).map_err(|reason| BuildError::InvalidFingerprint { reason })?;
        return Ok(Arc::new(fingerprint::PinnedCertificate::new(
            pinned,
            Arc::clone(provider),
        )));
    }
    let roots = ca_certificates(&options.ca_certificates)?;
    if options.only_given_roots {
        if roots.is_empty() {
            return conflict(
                "only_given_roots(true) without a CA certificate would trust no server; give \
                 the CA's certificate",
            );
        }
        let mut store = RootCertStore::empty();
        store.add_parsable_certificates(roots);
        return WebPkiServerVerifier::builder_with_provider(Arc::new(store), Arc::clone(provider))
            .build()
            .map(|verifier| verifier as Arc<dyn ServerCertVerifier>)
            .map_err(|e| BuildError::Http(e.to_string()));
    }
    let platform = if roots.is_empty() {
        rustls_platform_verifier::Verifier::new(Arc::clone(provider))
    } else {
        rustls_platform_verifier::Verifier::new_with_extra_roots(roots, Arc::clone(provider))
    };
    platform
        .map(|verifier| Arc::new(verifier) as Arc<dyn ServerCertVerifier>)
        .map_err(|e| {
            BuildError::Http(format!(
                "cannot load the platform's trusted CA certificates ({e}); give the CA's \
                 certificate, and only_given_roots(true)"
            ))
        })
}

/// Every certificate of every PEM given, each checked to be usable as a root, so that a bad one
/// is reported with the file it came from.
fn ca_certificates(
    given: &[Pem],
) -> Result<Vec<rustls::pki_types::CertificateDer<'static>>, BuildError> {
    let mut roots = Vec::new();
    for pem in given {
        let invalid = |reason| BuildError::CaCertificate {
            from: pem.origin(),
            reason,
        };
        let certificates = pem.certificates().map_err(invalid)?;
        for (index, certificate) in certificates.into_iter().enumerate() {
            RootCertStore::empty()
                .add(certificate.clone())
                .map_err(|e| {
                    invalid(format!("certificate {} of it is unusable: {e}", index + 1))
                })?;
            roots.push(certificate);
        }
    }
    Ok(roots)
}

/// Why `error` is a TLS handshake that failed, with what to do about it; `None` for any other
/// failure.
pub(crate) fn handshake_failure(error: &reqwest::Error) -> Option<HandshakeFailure> {
    rustls_error(error).map(classify)
}

/// rustls's own error, somewhere in the chain of sources of `error`. It often sits inside an
/// `io::Error`, or an `io::Error` inside another, and an `io::Error`'s `source()` skips the
/// error it wraps: those are read with `get_ref()`.
fn rustls_error<'a>(error: &'a (dyn std::error::Error + 'static)) -> Option<&'a rustls::Error> {
    if let Some(tls) = error.downcast_ref::<rustls::Error>() {
        return Some(tls);
    }
    let wrapped = error
        .downcast_ref::<std::io::Error>()
        .and_then(std::io::Error::get_ref)
        .map(|inner| inner as &(dyn std::error::Error + 'static));
    wrapped
        .and_then(rustls_error)
        .or_else(|| error.source().and_then(rustls_error))
}

/// What failed, rustls's reason, and what to do about it. The words fit a program's users as
/// well as its developers: they name what to give the client, not the builder method that takes
/// it.
fn classify(error: &rustls::Error) -> HandshakeFailure {
    use rustls::{AlertDescription as Alert, CertificateError as Certificate, Error};
    let failure = |kind, advice| HandshakeFailure {
        kind,
        reason: error.to_string(),
        advice,
    };
    match error {
        Error::InvalidCertificate(Certificate::UnknownIssuer | Certificate::BadSignature) => {
            failure(
                TlsFailure::UntrustedCertificate,
                "the server's certificate is not signed by a CA this client trusts; trust the \
             cluster's CA with its certificate or its SHA-256 fingerprint (a self-managed \
             cluster keeps it in config/certs/http_ca.crt, and prints the fingerprint when it \
             first starts)",
            )
        }
        Error::InvalidCertificate(
            Certificate::NotValidForName | Certificate::NotValidForNameContext { .. },
        ) => failure(
            TlsFailure::CertificateNotForHost,
            "the server's certificate does not name the host of the URL; use a host name the \
             certificate names",
        ),
        Error::InvalidCertificate(
            Certificate::Expired
            | Certificate::ExpiredContext { .. }
            | Certificate::NotValidYet
            | Certificate::NotValidYetContext { .. },
        ) => failure(
            TlsFailure::CertificateExpired,
            "the server's certificate is outside its validity period (or this machine's clock \
             is wrong)",
        ),
        Error::InvalidCertificate(Certificate::Other(other)) => {
            match other.0.downcast_ref::<fingerprint::FingerprintMismatch>() {
                Some(mismatch) => HandshakeFailure {
                    kind: TlsFailure::FingerprintMismatch,
                    reason: mismatch.to_string(),
                    advice: "check the fingerprint (Elasticsearch prints its CA's when it first \
                             starts; `openssl x509 -noout -fingerprint -sha256 -in \
                             config/certs/http_ca.crt` prints it again), and that the server \
                             sends its CA's certificate in its chain",
                },
                None => failure(TlsFailure::Other, ""),
            }
        }
        Error::AlertReceived(
            Alert::CertificateRequired
            | Alert::BadCertificate
            | Alert::UnknownCA
            | Alert::CertificateUnknown
            | Alert::UnsupportedCertificate
            | Alert::CertificateExpired
            | Alert::CertificateRevoked
            | Alert::AccessDenied,
        ) => failure(
            TlsFailure::ClientCertificateRefused,
            "the server refused the connection over certificates; it may want a client \
             certificate signed by a CA it trusts, or refuse the one given",
        ),
        _ => failure(TlsFailure::Other, ""),
    }
}
