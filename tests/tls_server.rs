//! HTTPS servers on loopback for the TLS tests, on two TLS stacks: rustls (tokio-rustls), and
//! Python's `ssl` module (OpenSSL), so that the client is tried against a stack it does not share
//! code with. Both answer every request with an empty Elasticsearch key list,
//! `{"api_keys":[]}`, and can require a client certificate.

use std::io::BufRead as _;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_rustls::rustls::pki_types::pem::PemObject as _;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio_rustls::rustls::server::WebPkiClientVerifier;
use tokio_rustls::rustls::{self, RootCertStore, ServerConfig};

/// The body every server answers with.
pub const EMPTY_KEY_LIST: &str = r#"{"api_keys":[]}"#;

/// A running rustls server, on a thread and a runtime of its own, until the process ends.
pub struct TlsServer {
    port: u16,
    requests: Arc<Mutex<Vec<String>>>,
    handshakes_failed: Arc<Mutex<Vec<String>>>,
}

impl TlsServer {
    /// Serves `chain` (PEM: the server's certificate, then the CA's) with `key`. With
    /// `client_ca`, the handshake requires a client certificate that CA signed.
    pub fn start(chain: &str, key: &str, client_ca: Option<&str>) -> Self {
        let config = Arc::new(server_config(chain, key, client_ca));
        let requests = Arc::new(Mutex::new(Vec::new()));
        let handshakes_failed = Arc::new(Mutex::new(Vec::new()));
        let (seen, failed) = (Arc::clone(&requests), Arc::clone(&handshakes_failed));
        let acceptor = tokio_rustls::TlsAcceptor::from(config);
        let port = crate::background::serve_connections(move |stream| {
            let (acceptor, seen, failed) =
                (acceptor.clone(), Arc::clone(&seen), Arc::clone(&failed));
            async move {
                let mut tls = match acceptor.accept(stream).await {
                    Ok(tls) => tls,
                    Err(error) => {
                        failed.lock().unwrap().push(error.to_string());
                        return;
                    }
                };
                let Some(head) = read_head(&mut tls).await else {
                    return;
                };
                seen.lock().unwrap().push(head);
                let response = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{EMPTY_KEY_LIST}",
                    EMPTY_KEY_LIST.len()
                );
                let _ = tls.write_all(response.as_bytes()).await;
                let _ = tls.shutdown().await;
            }
        });
        Self {
            port,
            requests,
            handshakes_failed,
        }
    }

    /// The port it listens on, on 127.0.0.1.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// `https://<host>:<port>`, for a host that resolves to 127.0.0.1.
    pub fn url(&self, host: &str) -> String {
        format!("https://{host}:{}", self.port)
    }

    /// The heads of the requests received over a completed handshake.
    pub fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }

    /// Why each handshake that failed failed, as the server saw it.
    pub fn handshakes_failed(&self) -> Vec<String> {
        self.handshakes_failed.lock().unwrap().clone()
    }

    /// [`handshakes_failed`](Self::handshakes_failed), once the list has not changed for longer
    /// than a retry's first backoff (at most a few seconds): the server learns of a refused
    /// handshake a moment after the client gives up, and a retry would come later still.
    pub fn settled_handshakes_failed(&self) -> Vec<String> {
        let started = std::time::Instant::now();
        let mut seen = self.handshakes_failed();
        let mut unchanged_since = std::time::Instant::now();
        while started.elapsed() < std::time::Duration::from_secs(5) {
            std::thread::sleep(std::time::Duration::from_millis(50));
            let now = self.handshakes_failed();
            if now.len() != seen.len() {
                seen = now;
                unchanged_since = std::time::Instant::now();
            } else if !seen.is_empty()
                && unchanged_since.elapsed() > std::time::Duration::from_millis(600)
            {
                break;
            }
        }
        seen
    }
}

fn server_config(chain: &str, key: &str, client_ca: Option<&str>) -> ServerConfig {
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let chain = CertificateDer::pem_slice_iter(chain.as_bytes())
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    let key = PrivateKeyDer::from_pem_slice(key.as_bytes()).unwrap();
    let builder = ServerConfig::builder_with_provider(Arc::clone(&provider))
        .with_safe_default_protocol_versions()
        .unwrap();
    let builder = match client_ca {
        None => builder.with_no_client_auth(),
        Some(ca) => {
            let mut roots = RootCertStore::empty();
            for cert in CertificateDer::pem_slice_iter(ca.as_bytes()) {
                roots.add(cert.unwrap()).unwrap();
            }
            let verifier = WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider)
                .build()
                .unwrap();
            builder.with_client_cert_verifier(verifier)
        }
    };
    builder.with_single_cert(chain, key).unwrap()
}

async fn read_head<S: tokio::io::AsyncRead + Unpin>(stream: &mut S) -> Option<String> {
    let mut head = Vec::new();
    let mut buffer = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buffer).await {
            Ok(0) | Err(_) => return None,
            Ok(read) => head.extend_from_slice(&buffer[..read]),
        }
    }
    Some(String::from_utf8_lossy(&head).into_owned())
}

/// A running Python `ssl` server (see `servers/https_server.py`), killed when this is dropped.
pub struct PythonTlsServer {
    port: u16,
    child: Child,
}

impl PythonTlsServer {
    /// Serves the chain and key of these files; with `client_ca`, requires a client certificate
    /// that CA signed. Panics when `python3` cannot be run: CI machines have it.
    pub fn start(
        chain: &std::path::Path,
        key: &std::path::Path,
        client_ca: Option<&std::path::Path>,
    ) -> Self {
        let mut command = Command::new("python3");
        command
            .arg("-c")
            .arg(include_str!("servers/https_server.py"))
            .arg(chain)
            .arg(key)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        if let Some(ca) = client_ca {
            command.arg(ca);
        }
        let mut child = command.spawn().expect("python3 runs");
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().expect("a piped stdout"))
            .read_line(&mut line)
            .expect("the server prints its port");
        let port = line
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("the Python server did not start: {line:?}"));
        Self { port, child }
    }

    /// The port it listens on, on 127.0.0.1.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// `https://<host>:<port>`, for a host that resolves to 127.0.0.1.
    pub fn url(&self, host: &str) -> String {
        format!("https://{host}:{}", self.port)
    }
}

impl Drop for PythonTlsServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
