//! Trust by the SHA-256 fingerprint of a CA certificate, as Elasticsearch prints it when it first
//! starts and configures TLS itself ("HTTP CA certificate SHA-256 fingerprint").
//!
//! Elastic's own clients (Python's `ssl_assert_fingerprint`, JavaScript's `caFingerprint`, Go's
//! `CertificateFingerprint`) accept a connection when a certificate of the chain the server
//! presents has that fingerprint. A CA's certificate is public, though: a server that appends it
//! to a chain of its own would pass that test. So here the pinned certificate must also have
//! signed the server's certificate, directly or through the other certificates presented (or be
//! the server's certificate itself), within their validity; the handshake then proves that the
//! server holds the key of its certificate. As in those clients, the host name is not checked: an
//! auto-configured cluster's certificate names only the addresses it knew of when it was made.

use std::fmt;
use std::sync::Arc;

use rustls::client::danger::{ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::server::ParsedCertificate;
use rustls::{CertificateError, Error, OtherError, RootCertStore};

/// A SHA-256 fingerprint.
pub(crate) type Fingerprint = [u8; 32];

/// Reads a fingerprint written as hex, in either case, with or without colons between the bytes
/// (`openssl x509 -fingerprint -sha256` writes `SHA256 Fingerprint=AB:CD:..`, which is accepted
/// whole). The error says what is wrong without repeating the value.
pub(crate) fn parse(text: &str) -> Result<Fingerprint, String> {
    let text = text.trim();
    let text = match text.split_once('=') {
        Some((label, value)) if label.trim().eq_ignore_ascii_case("sha256 fingerprint") => value,
        _ => text,
    };
    let digits: Vec<u8> = text.bytes().filter(|&b| b != b':').collect();
    if let Some(bad) = digits.iter().find(|b| !b.is_ascii_hexdigit()) {
        return Err(if bad.is_ascii_whitespace() {
            "it holds whitespace; write the hex digits together, or separated by colons".to_string()
        } else {
            "it holds a character that is neither a hex digit nor a colon".to_string()
        });
    }
    match digits.len() {
        64 => {}
        40 => {
            return Err(
                "it has 40 hex digits, the length of a SHA-1 fingerprint; give the SHA-256 one \
                 (64 digits)"
                    .to_string(),
            );
        }
        0 => return Err("it is empty".to_string()),
        n => return Err(format!("it has {n} hex digits, where SHA-256 has 64")),
    }
    let mut fingerprint = [0u8; 32];
    for (byte, pair) in fingerprint.iter_mut().zip(digits.chunks(2)) {
        let pair = std::str::from_utf8(pair).expect("hex digits are ASCII");
        *byte = u8::from_str_radix(pair, 16).expect("two hex digits");
    }
    Ok(fingerprint)
}

/// The SHA-256 of a certificate's DER encoding.
pub(crate) fn of(certificate: &[u8]) -> Fingerprint {
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, certificate);
    digest
        .as_ref()
        .try_into()
        .expect("SHA-256 digests are 32 bytes")
}

/// Trusts the chains that hold the pinned certificate, as the module says.
#[derive(Debug)]
pub(crate) struct PinnedCertificate {
    fingerprint: Fingerprint,
    provider: Arc<CryptoProvider>,
}

impl PinnedCertificate {
    pub(crate) fn new(fingerprint: Fingerprint, provider: Arc<CryptoProvider>) -> Self {
        Self {
            fingerprint,
            provider,
        }
    }
}

/// Why a chain was refused: no certificate of it has the pinned fingerprint.
#[derive(Debug)]
pub(crate) struct FingerprintMismatch {
    /// How many certificates the server presented.
    pub(crate) presented: usize,
}

impl fmt::Display for FingerprintMismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "none of the {} certificates the server presented has the CA fingerprint given",
            self.presented
        )
    }
}

impl std::error::Error for FingerprintMismatch {}

impl ServerCertVerifier for PinnedCertificate {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, Error> {
        if of(end_entity) == self.fingerprint {
            // The server's own certificate: the handshake signature proves the server holds its
            // key.
            return Ok(ServerCertVerified::assertion());
        }
        let Some(pinned) = intermediates
            .iter()
            .find(|certificate| of(certificate) == self.fingerprint)
        else {
            return Err(Error::InvalidCertificate(CertificateError::Other(
                OtherError(Arc::new(FingerprintMismatch {
                    presented: 1 + intermediates.len(),
                })),
            )));
        };
        let mut roots = RootCertStore::empty();
        roots.add(pinned.clone().into_owned())?;
        let end_entity = ParsedCertificate::try_from(end_entity)?;
        rustls::client::verify_server_cert_signed_by_trust_anchor(
            &end_entity,
            &roots,
            intermediates,
            now,
            self.provider.signature_verification_algorithms.all,
        )?;
        Ok(ServerCertVerified::assertion())
    }

    provider_signature_checks!();
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEX: &str = "6a1b0c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b";

    #[test]
    fn fingerprints_read_as_elasticsearch_and_openssl_write_them() {
        let expected = parse(HEX).unwrap();
        assert_eq!(expected[0], 0x6a);
        assert_eq!(expected[31], 0x0b);
        let colons = HEX
            .as_bytes()
            .chunks(2)
            .map(|pair| std::str::from_utf8(pair).unwrap().to_ascii_uppercase())
            .collect::<Vec<_>>()
            .join(":");
        for text in [
            HEX.to_string(),
            HEX.to_ascii_uppercase(),
            colons.clone(),
            format!(" {colons}\n"),
            format!("SHA256 Fingerprint={colons}"),
            format!("sha256 Fingerprint={HEX}"),
        ] {
            assert_eq!(parse(&text), Ok(expected), "{text}");
        }
    }

    #[test]
    fn other_text_is_refused_without_being_repeated() {
        for (text, why) in [
            ("", "empty"),
            (&HEX[..40], "SHA-1"),
            (&HEX[..62], "62 hex digits"),
            ("6a1b 0c2d", "whitespace"),
            ("hunter2-xyzzy42-not-hex", "neither a hex digit"),
        ] {
            let error = parse(text).unwrap_err();
            assert!(error.contains(why), "{text}: {error}");
            assert!(text.is_empty() || !error.contains(text), "{error}");
        }
    }
}
