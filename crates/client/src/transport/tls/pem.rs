//! Certificates and keys in PEM, given as text or as files, and read without ever quoting what
//! they hold: a key's bytes must not reach an error, and neither must a secret typed where a path
//! belongs.

use std::fmt;
use std::io::Read as _;
use std::path::{Path, PathBuf};

use rustls::pki_types::pem::{self, PemObject as _};
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

use super::super::urls::redacted_url_text;

/// The most read from a PEM file. A CA bundle of every public root is about 250 KiB; a path such
/// as `/dev/zero` must end in an error, not in memory running out.
const MAX_PEM_FILE: u64 = 4 * 1024 * 1024;

/// PEM text, or the file that holds it, read when the client is built.
#[derive(Clone, PartialEq, Eq)]
pub(crate) enum Pem {
    /// The text itself.
    Text(Vec<u8>),
    /// A file to read it from.
    File(PathBuf),
}

impl Pem {
    /// Where the PEM came from, fit for an error: the path (see [`shown_path`]), or `(PEM text)`.
    pub(crate) fn origin(&self) -> String {
        match self {
            Self::Text(_) => "(PEM text)".to_string(),
            Self::File(path) => shown_path(path),
        }
    }

    /// The bytes, or why they cannot be had (without the path, which [`origin`](Self::origin)
    /// gives).
    fn bytes(&self) -> Result<Vec<u8>, String> {
        let path = match self {
            Self::Text(text) => return Ok(text.clone()),
            Self::File(path) => path,
        };
        let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
        let mut bytes = Vec::new();
        file.take(MAX_PEM_FILE + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| e.to_string())?;
        if bytes.len() as u64 > MAX_PEM_FILE {
            return Err(format!(
                "it is larger than {} MiB, which no PEM file of certificates or keys is",
                MAX_PEM_FILE >> 20
            ));
        }
        Ok(bytes)
    }

    /// Every certificate (`-----BEGIN CERTIFICATE-----` section) in the PEM; other sections, such
    /// as a key in the same file, are skipped. At least one, or an error that says why not.
    pub(crate) fn certificates(&self) -> Result<Vec<CertificateDer<'static>>, String> {
        let bytes = self.bytes()?;
        let certificates = CertificateDer::pem_slice_iter(&bytes)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| not_pem(&e))?;
        if certificates.is_empty() {
            return Err(format!(
                "it holds no certificate: expected PEM, with -----BEGIN CERTIFICATE----- \
                 sections{}",
                what_else(&bytes)
            ));
        }
        Ok(certificates)
    }

    /// The first private key in the PEM (PKCS#8, PKCS#1 RSA or SEC1 EC), or an error that says
    /// why there is none, never what the PEM holds.
    pub(crate) fn private_key(&self) -> Result<PrivateKeyDer<'static>, String> {
        let bytes = self.bytes()?;
        if contains(&bytes, b"ENCRYPTED PRIVATE KEY") || contains(&bytes, b"Proc-Type: 4,ENCRYPTED")
        {
            return Err(
                "the key is encrypted, which is not supported: decrypt it first, such as with \
                 `openssl pkey -in encrypted.key -out client.key`"
                    .to_string(),
            );
        }
        match PrivateKeyDer::from_pem_slice(&bytes) {
            Ok(key) => Ok(key),
            Err(pem::Error::NoItemsFound) => Err(format!(
                "it holds no private key: expected PEM, with a -----BEGIN PRIVATE KEY----- (or \
                 RSA PRIVATE KEY, or EC PRIVATE KEY) section{}",
                what_else(&bytes)
            )),
            Err(e) => Err(not_pem(&e)),
        }
    }
}

impl fmt::Debug for Pem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Text(text) => write!(f, "Text({} bytes)", text.len()),
            Self::File(path) => f.debug_tuple("File").field(&shown_path(path)).finish(),
        }
    }
}

/// PEM that holds a private key. Its `Debug` shows no byte of it.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct KeyPem(pub(crate) Pem);

impl fmt::Debug for KeyPem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Pem::Text(_) => f.write_str("KeyPem([REDACTED])"),
            file => f.debug_tuple("KeyPem").field(file).finish(),
        }
    }
}

/// A path as an error may show it. A value that cannot be a path, such as PEM text or anything
/// with a line break (a key pasted where its path belongs), is not shown at all; in any other,
/// whatever could be the `user:password@` part of a URL given by mistake is replaced by
/// `[REDACTED]`.
pub(crate) fn shown_path(path: &Path) -> String {
    let text = path.to_string_lossy();
    if text.contains("-----") || text.chars().any(char::is_control) || text.len() > 1024 {
        return "(a value that is not a file path, not shown)".to_string();
    }
    redacted_url_text(&text)
}

/// Why PEM did not parse, in words that quote none of it: the parser's own errors can hold a
/// line of the input.
fn not_pem(error: &pem::Error) -> String {
    let why = match error {
        pem::Error::MissingSectionEnd { .. } => "a section has no -----END line",
        pem::Error::IllegalSectionStart { .. } => "a -----BEGIN line is malformed",
        pem::Error::Base64Decode(_) => "a section is not valid base64",
        pem::Error::Io(_) => "it cannot be read",
        pem::Error::SectionTooLarge => "a section is too large",
        _ => "it does not parse",
    };
    format!("it is not valid PEM: {why}")
}

/// A hint at what a file that holds no PEM section of the wanted kind holds instead.
fn what_else(bytes: &[u8]) -> &'static str {
    if bytes.first() == Some(&0x30) {
        // An ASN.1 SEQUENCE: DER, or a PKCS#12 keystore such as Elasticsearch's http.p12.
        "; this looks like binary DER or PKCS#12 (a .p12 keystore): convert it to PEM, such as \
         with `openssl pkcs12 -in http.p12 -nokeys -out http_ca.pem`"
    } else {
        ""
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_that_are_not_paths_are_not_shown() {
        assert_eq!(shown_path(Path::new("/etc/es/ca.crt")), "/etc/es/ca.crt");
        assert_eq!(
            shown_path(Path::new("https://admin:pw@host/ca.crt")),
            "https://[REDACTED]@host/ca.crt"
        );
        for pasted in [
            "-----BEGIN PRIVATE KEY-----\nMIIEvQ==\n-----END PRIVATE KEY-----",
            "line\nbreak",
        ] {
            assert!(shown_path(Path::new(pasted)).contains("not shown"));
        }
    }

    #[test]
    fn pem_errors_quote_nothing_of_the_input() {
        let secret = "c2VjcmV0LWtleS1ieXRlcw";
        for text in [
            format!("-----BEGIN PRIVATE KEY-----\n{secret}\n"),
            format!("-----BEGIN PRIVATE KEY-----\n{secret}!!\n-----END PRIVATE KEY-----\n"),
            format!("{secret}\n"),
        ] {
            let pem = KeyPem(Pem::Text(text.into_bytes()));
            let error = pem.0.private_key().unwrap_err();
            assert!(!error.contains(secret), "{error}");
            assert!(!format!("{pem:?}").contains(secret));
        }
    }

    #[test]
    fn endless_files_are_cut_short() {
        let error = Pem::File("/dev/zero".into()).certificates().unwrap_err();
        assert!(error.contains("larger than"), "{error}");
    }
}
