//! A loopback HTTP proxy for the proxy tests: `CONNECT` tunnels (for `https` URLs) and requests
//! in absolute form (for `http` URLs), relayed to the loopback servers they name. It records
//! what it was asked and counts the bytes it relayed, so a test can tell that a request went
//! through it. With credentials set, it answers `407` to requests without them.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// What the proxy was asked, one entry per request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relayed {
    /// The request line, such as `CONNECT localhost:9200 HTTP/1.1`.
    pub request_line: String,
    /// The `Proxy-Authorization` header, if any.
    pub authorization: Option<String>,
}

/// A running proxy, on a thread and a runtime of its own, until the process ends.
pub struct ProxyServer {
    port: u16,
    relayed: Arc<Mutex<Vec<Relayed>>>,
    bytes: Arc<AtomicU64>,
}

impl ProxyServer {
    /// Starts a proxy. With `required_authorization` (a whole `Proxy-Authorization` value, such
    /// as `Basic dTpw`), requests without it get `407 Proxy Authentication Required`.
    pub fn start(required_authorization: Option<String>) -> Self {
        let relayed = Arc::new(Mutex::new(Vec::new()));
        let bytes = Arc::new(AtomicU64::new(0));
        let (seen, counted) = (Arc::clone(&relayed), Arc::clone(&bytes));
        let port = crate::background::serve_connections(move |client| {
            let (seen, counted, required) = (
                Arc::clone(&seen),
                Arc::clone(&counted),
                required_authorization.clone(),
            );
            async move {
                let _ = relay(client, seen, counted, required).await;
            }
        });
        Self {
            port,
            relayed,
            bytes,
        }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// What it was asked so far.
    pub fn relayed(&self) -> Vec<Relayed> {
        self.relayed.lock().unwrap().clone()
    }

    /// How many bytes it passed on, both ways, after the requests' heads.
    pub fn bytes(&self) -> u64 {
        self.bytes.load(Ordering::SeqCst)
    }
}

async fn relay(
    mut client: TcpStream,
    seen: Arc<Mutex<Vec<Relayed>>>,
    counted: Arc<AtomicU64>,
    required: Option<String>,
) -> std::io::Result<()> {
    let mut head = Vec::new();
    let mut buffer = [0u8; 4096];
    let end = loop {
        if let Some(end) = head.windows(4).position(|w| w == b"\r\n\r\n") {
            break end + 4;
        }
        let read = client.read(&mut buffer).await?;
        if read == 0 {
            return Ok(());
        }
        head.extend_from_slice(&buffer[..read]);
    };
    let text = String::from_utf8_lossy(&head[..end]).into_owned();
    let mut lines = text.split("\r\n");
    let request_line = lines.next().unwrap_or_default().to_string();
    let authorization = lines
        .clone()
        .filter_map(|line| line.split_once(':'))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("proxy-authorization"))
        .map(|(_, value)| value.trim().to_string());
    seen.lock().unwrap().push(Relayed {
        request_line: request_line.clone(),
        authorization: authorization.clone(),
    });
    if required.is_some() && authorization != required {
        client
            .write_all(
                b"HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"test\"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            )
            .await?;
        return client.shutdown().await;
    }
    let mut parts = request_line.split(' ');
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    if method == "CONNECT" {
        let mut server = TcpStream::connect(resolve(target)).await?;
        client
            .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
            .await?;
        // Whatever came after the head is the client's first TLS bytes.
        server.write_all(&head[end..]).await?;
        counted.fetch_add((head.len() - end) as u64, Ordering::SeqCst);
        return pump(client, server, counted).await;
    }
    // An absolute-form request (`GET http://host:port/path HTTP/1.1`): sent on in origin form,
    // without the proxy's credentials.
    let rest = target.strip_prefix("http://").unwrap_or(target).to_string();
    let (authority, path) = match rest.find('/') {
        Some(slash) => (&rest[..slash], &rest[slash..]),
        None => (rest.as_str(), "/"),
    };
    let mut server = TcpStream::connect(resolve(authority)).await?;
    let mut forwarded = format!("{method} {path} HTTP/1.1\r\n");
    for line in lines.filter(|line| !line.is_empty()) {
        if !line
            .to_ascii_lowercase()
            .starts_with("proxy-authorization:")
        {
            forwarded.push_str(line);
            forwarded.push_str("\r\n");
        }
    }
    forwarded.push_str("\r\n");
    server.write_all(forwarded.as_bytes()).await?;
    server.write_all(&head[end..]).await?;
    counted.fetch_add((head.len() - end) as u64, Ordering::SeqCst);
    pump(client, server, counted).await
}

/// Copies both ways until either side closes, counting as it goes (a client may keep its end
/// open long after the answer has passed).
async fn pump(
    client: TcpStream,
    server: TcpStream,
    counted: Arc<AtomicU64>,
) -> std::io::Result<()> {
    let (mut client_read, mut client_write) = client.into_split();
    let (mut server_read, mut server_write) = server.into_split();
    let up = copy(&mut client_read, &mut server_write, &counted);
    let down = copy(&mut server_read, &mut client_write, &counted);
    tokio::select! {
        result = up => result,
        result = down => result,
    }
}

async fn copy(
    from: &mut (impl tokio::io::AsyncRead + Unpin),
    to: &mut (impl tokio::io::AsyncWrite + Unpin),
    counted: &AtomicU64,
) -> std::io::Result<()> {
    let mut buffer = [0u8; 16 * 1024];
    loop {
        let read = from.read(&mut buffer).await?;
        if read == 0 {
            return to.shutdown().await;
        }
        // Counted before it is passed on, so that a client that has the bytes finds them
        // counted.
        counted.fetch_add(read as u64, Ordering::SeqCst);
        to.write_all(&buffer[..read]).await?;
    }
}

/// `localhost:<port>` is 127.0.0.1: the proxy never leaves loopback.
fn resolve(authority: &str) -> String {
    match authority.rsplit_once(':') {
        Some((_, port)) => format!("127.0.0.1:{port}"),
        None => "127.0.0.1:80".to_string(),
    }
}
