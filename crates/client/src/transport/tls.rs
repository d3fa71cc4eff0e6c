//! TLS: what the client trusts, and what a failed handshake is reported as.

/// Why `error` is a TLS handshake that failed, with what to do about it; `None` for any other
/// failure. rustls's own error sits somewhere in the chain of sources of reqwest's, often inside
/// an `io::Error`, whose `source()` skips the error it wraps: that one is read with `get_ref()`.
pub(crate) fn handshake_failure(error: &reqwest::Error) -> Option<String> {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(current) = cause {
        let wrapped = current
            .downcast_ref::<std::io::Error>()
            .and_then(std::io::Error::get_ref)
            .map(|inner| inner as &(dyn std::error::Error + 'static));
        for candidate in [Some(current), wrapped].into_iter().flatten() {
            if let Some(tls) = candidate.downcast_ref::<rustls::Error>() {
                return Some(advice(tls));
            }
        }
        cause = current.source();
    }
    None
}

/// rustls's reason, and for a certificate that is not trusted, how to trust it.
fn advice(error: &rustls::Error) -> String {
    match error {
        rustls::Error::InvalidCertificate(rustls::CertificateError::UnknownIssuer)
        | rustls::Error::InvalidCertificate(rustls::CertificateError::BadSignature) => format!(
            "{error}: the server's certificate is not signed by a trusted CA; give the client the \
             CA's certificate (for a self-managed cluster, config/certs/http_ca.crt)"
        ),
        rustls::Error::InvalidCertificate(rustls::CertificateError::NotValidForName)
        | rustls::Error::InvalidCertificate(rustls::CertificateError::NotValidForNameContext {
            ..
        }) => format!(
            "{error}: the server's certificate does not name the host of the URL; use a host name \
             the certificate names"
        ),
        other => other.to_string(),
    }
}
