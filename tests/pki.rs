//! Certificates made at run time for the TLS tests: a CA in the image of the one Elasticsearch
//! makes when it first starts, a server certificate it signs for `localhost` and `127.0.0.1`, a
//! client certificate for PKI authentication, and a second, unrelated CA. Each is written to a
//! temporary directory as PEM, for clients and servers that read files.

use std::path::{Path, PathBuf};

use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, ExtendedKeyUsagePurpose, IsCa,
    KeyPair, KeyUsagePurpose,
};

/// A certificate and its key, in PEM and DER, and the files that hold them.
pub struct Issued {
    /// The certificate, PEM.
    pub cert_pem: String,
    /// The certificate, DER.
    pub cert_der: Vec<u8>,
    /// The private key, PEM (PKCS#8).
    pub key_pem: String,
    /// The file that holds `cert_pem`.
    pub cert_file: PathBuf,
    /// The file that holds `key_pem`.
    pub key_file: PathBuf,
}

impl Issued {
    /// The SHA-256 fingerprint of the certificate as Elasticsearch prints it: lowercase hex.
    pub fn fingerprint(&self) -> String {
        fingerprint(&self.cert_der)
    }

    /// The same, as `openssl x509 -fingerprint -sha256` prints it: uppercase pairs and colons.
    pub fn fingerprint_with_colons(&self) -> String {
        self.fingerprint()
            .as_bytes()
            .chunks(2)
            .map(|pair| String::from_utf8_lossy(pair).to_ascii_uppercase())
            .collect::<Vec<_>>()
            .join(":")
    }
}

/// The certificates of one test, in a directory of their own that is removed when this is
/// dropped.
pub struct Pki {
    /// The CA, "Elasticsearch security auto-configuration HTTP CA".
    pub ca: Issued,
    /// The server's certificate, for `localhost`, `127.0.0.1` and `::1`, signed by `ca`.
    pub server: Issued,
    /// A client certificate, `CN=apikeys-client`, signed by `ca`.
    pub client: Issued,
    /// Another CA, which signed nothing the server shows.
    pub other_ca: Issued,
    /// A server certificate for `localhost` and `127.0.0.1` signed by `other_ca`: what a server
    /// in the middle could show.
    pub impostor: Issued,
    /// A server certificate signed by `ca` for another host only, `es.example`.
    pub wrong_host: Issued,
    /// A file holding the server's certificate and then the CA's: the chain the server sends.
    pub server_chain_file: PathBuf,
    dir: tempfile::TempDir,
}

/// Every certificate is valid from 2000 to 4096, so that the TLS tests pass whatever the clock
/// says: CI runs the suite a second time with the clock years ahead.
fn valid_whatever_the_clock(params: &mut CertificateParams) {
    params.not_before = rcgen::date_time_ymd(2000, 1, 1);
    params.not_after = rcgen::date_time_ymd(4096, 1, 1);
}

impl Pki {
    /// Makes every certificate, with fresh keys.
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let ca_key = KeyPair::generate().unwrap();
        let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
        valid_whatever_the_clock(&mut ca_params);
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca_params.key_usages = vec![
            KeyUsagePurpose::KeyCertSign,
            KeyUsagePurpose::CrlSign,
            KeyUsagePurpose::DigitalSignature,
        ];
        ca_params.distinguished_name.push(
            DnType::CommonName,
            "Elasticsearch security auto-configuration HTTP CA",
        );
        let ca = CertifiedIssuer::self_signed(ca_params.clone(), ca_key).unwrap();

        let mut other_params = ca_params;
        other_params.distinguished_name = rcgen::DistinguishedName::new();
        other_params
            .distinguished_name
            .push(DnType::CommonName, "Some other CA");
        let other =
            CertifiedIssuer::self_signed(other_params, KeyPair::generate().unwrap()).unwrap();

        let leaf = |names: &[&str], purpose: ExtendedKeyUsagePurpose, cn: &str| {
            let mut params =
                CertificateParams::new(names.iter().map(|n| n.to_string()).collect::<Vec<_>>())
                    .unwrap();
            valid_whatever_the_clock(&mut params);
            params.distinguished_name.push(DnType::CommonName, cn);
            params.extended_key_usages = vec![purpose];
            params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
            params
        };
        let server_names = ["localhost", "127.0.0.1", "::1"];
        let server_params = leaf(&server_names, ExtendedKeyUsagePurpose::ServerAuth, "es01");
        let client_params = leaf(&[], ExtendedKeyUsagePurpose::ClientAuth, "apikeys-client");
        let wrong_params = leaf(&["es.example"], ExtendedKeyUsagePurpose::ServerAuth, "es02");

        let issue =
            |name: &str, params: &CertificateParams, issuer: &rcgen::Issuer<'_, KeyPair>| {
                let key = KeyPair::generate().unwrap();
                let cert = params.signed_by(&key, issuer).unwrap();
                write(
                    dir.path(),
                    name,
                    cert.pem(),
                    cert.der().to_vec(),
                    key.serialize_pem(),
                )
            };
        let server = issue("server", &server_params, &ca);
        let client = issue("client", &client_params, &ca);
        let impostor = issue("impostor", &server_params, &other);
        let wrong_host = issue("wrong-host", &wrong_params, &ca);
        let ca = write(
            dir.path(),
            "ca",
            ca.pem(),
            ca.der().to_vec(),
            ca.key().serialize_pem(),
        );
        let other_ca = write(
            dir.path(),
            "other-ca",
            other.pem(),
            other.der().to_vec(),
            other.key().serialize_pem(),
        );
        let server_chain_file = dir.path().join("server-chain.crt");
        std::fs::write(
            &server_chain_file,
            format!("{}{}", server.cert_pem, ca.cert_pem),
        )
        .unwrap();
        Self {
            ca,
            server,
            client,
            other_ca,
            impostor,
            wrong_host,
            server_chain_file,
            dir,
        }
    }

    /// The directory that holds the files.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }
}

impl Default for Pki {
    fn default() -> Self {
        Self::new()
    }
}

fn write(dir: &Path, name: &str, cert_pem: String, cert_der: Vec<u8>, key_pem: String) -> Issued {
    let cert_file = dir.join(format!("{name}.crt"));
    let key_file = dir.join(format!("{name}.key"));
    std::fs::write(&cert_file, &cert_pem).unwrap();
    std::fs::write(&key_file, &key_pem).unwrap();
    Issued {
        cert_pem,
        cert_der,
        key_pem,
        cert_file,
        key_file,
    }
}

/// The SHA-256 of `der`, lowercase hex.
pub fn fingerprint(der: &[u8]) -> String {
    aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, der)
        .as_ref()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}
