//! A loopback HTTP server that misbehaves on purpose: it answers each connection with the next
//! step of a script, which can be a response, a reset, a truncated body or silence. The typed
//! mock server cannot break a connection; this one exists for the fault tests.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What the server does with one connection.
#[derive(Debug, Clone)]
pub enum Step {
    /// Sends this status, these extra headers and this body, then closes.
    Respond {
        /// The status line's code and reason, such as `200 OK`.
        status: &'static str,
        /// Extra header lines, such as `Retry-After: 1`.
        headers: Vec<String>,
        /// The body.
        body: Vec<u8>,
    },
    /// Resets the connection without answering.
    Reset,
    /// Sends the head with `Content-Length: declared`, then only `body`, then closes.
    Truncate {
        /// The length the head promises.
        declared: usize,
        /// What is actually sent.
        body: Vec<u8>,
    },
    /// Reads the request and then says nothing, for this long.
    Stall(Duration),
    /// Sends a `200 OK` with a chunked body that never ends: an `api_keys` list that goes on
    /// until the client hangs up.
    Endless,
    /// Sends a `200 OK` with this JSON body in chunks of `chunk` bytes, one every `interval`.
    Trickle {
        /// The body.
        body: Vec<u8>,
        /// Bytes per write.
        chunk: usize,
        /// The pause between writes.
        interval: Duration,
    },
}

impl Step {
    /// A `200 OK` with a JSON body.
    pub fn json(status: &'static str, body: &serde_json::Value) -> Self {
        Self::Respond {
            status,
            headers: vec!["Content-Type: application/json".to_string()],
            body: body.to_string().into_bytes(),
        }
    }
}

/// A running server and what it received.
pub struct RawServer {
    url: String,
    requests: Arc<Mutex<Vec<String>>>,
}

impl RawServer {
    /// Starts a server on a free loopback port that plays `script`, one step per connection; after
    /// the last step it keeps repeating it.
    pub async fn start(script: Vec<Step>) -> Self {
        Self::start_with(script).await
    }

    /// [`RawServer::start`], for tests that are not async: the server runs on a runtime of its
    /// own, on a thread of its own, until the process ends.
    pub fn start_in_background(script: Vec<Step>) -> Self {
        crate::background::on_own_runtime(Self::start_with(script))
    }

    /// [`RawServer::start_in_background`] as a cluster older than 7.15, which has no query API:
    /// a request to `/_security/_query/api_key` is answered 400 ("no handler found"), as such a
    /// cluster answers it, without taking a step. For tests of what `GET /_security/api_key`
    /// does, from programs that try the query API first.
    pub fn without_query_api(script: Vec<Step>) -> Self {
        crate::background::on_own_runtime(Self::start_script(script, true))
    }

    async fn start_with(script: Vec<Step>) -> Self {
        Self::start_script(script, false).await
    }

    async fn start_script(script: Vec<Step>, without_query_api: bool) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let requests = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&requests);
        tokio::spawn(async move {
            let mut index = 0;
            loop {
                let Ok((mut stream, _)) = listener.accept().await else {
                    return;
                };
                if without_query_api {
                    // Read the head here, to see where it goes; `play` then has it.
                    let Ok(head) = read_head(&mut stream).await else {
                        continue;
                    };
                    let line = String::from_utf8_lossy(&head).into_owned();
                    if line
                        .split_whitespace()
                        .nth(1)
                        .is_some_and(|target| target.starts_with("/_security/_query/api_key"))
                    {
                        let seen = Arc::clone(&seen);
                        tokio::spawn(async move {
                            seen.lock().unwrap().push(line);
                            let body = br#"{"error":"no handler found for uri [/_security/_query/api_key] and method [POST]","status":400}"#;
                            let head = format!(
                                "HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                                body.len()
                            );
                            let _ = stream.write_all(head.as_bytes()).await;
                            let _ = stream.write_all(body).await;
                            let _ = stream.shutdown().await;
                        });
                        continue;
                    }
                    let step = script[index.min(script.len() - 1)].clone();
                    index += 1;
                    let seen = Arc::clone(&seen);
                    tokio::spawn(async move {
                        let _ = play_after(stream, head, step, seen).await;
                    });
                    continue;
                }
                let step = script[index.min(script.len() - 1)].clone();
                index += 1;
                let seen = Arc::clone(&seen);
                tokio::spawn(async move {
                    let _ = play(stream, step, seen).await;
                });
            }
        });
        Self { url, requests }
    }

    /// The server's base URL, `http://127.0.0.1:<port>`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The head (request line and headers) of every request received so far.
    pub fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }

    /// How many requests were received so far.
    pub fn count(&self) -> usize {
        self.requests.lock().unwrap().len()
    }
}

/// The head of the request on `stream` (and whatever of the body came with it).
async fn read_head(stream: &mut TcpStream) -> std::io::Result<Vec<u8>> {
    let mut head = Vec::new();
    let mut buffer = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        let read = stream.read(&mut buffer).await?;
        if read == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        head.extend_from_slice(&buffer[..read]);
    }
    Ok(head)
}

async fn play(
    mut stream: TcpStream,
    step: Step,
    seen: Arc<Mutex<Vec<String>>>,
) -> std::io::Result<()> {
    let Ok(head) = read_head(&mut stream).await else {
        return Ok(());
    };
    play_after(stream, head, step, seen).await
}

async fn play_after(
    mut stream: TcpStream,
    head: Vec<u8>,
    step: Step,
    seen: Arc<Mutex<Vec<String>>>,
) -> std::io::Result<()> {
    seen.lock()
        .unwrap()
        .push(String::from_utf8_lossy(&head).into_owned());
    match step {
        Step::Respond {
            status,
            headers,
            body,
        } => {
            let mut response = format!(
                "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n",
                body.len()
            );
            for header in headers {
                response.push_str(&header);
                response.push_str("\r\n");
            }
            response.push_str("\r\n");
            stream.write_all(response.as_bytes()).await?;
            stream.write_all(&body).await?;
            stream.shutdown().await
        }
        Step::Reset => {
            stream.set_zero_linger()?;
            drop(stream);
            Ok(())
        }
        Step::Truncate { declared, body } => {
            let response = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {declared}\r\nConnection: close\r\n\r\n"
            );
            stream.write_all(response.as_bytes()).await?;
            stream.write_all(&body).await?;
            stream.flush().await?;
            stream.set_zero_linger()?;
            Ok(())
        }
        Step::Trickle {
            body,
            chunk,
            interval,
        } => {
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            stream.write_all(head.as_bytes()).await?;
            for part in body.chunks(chunk) {
                stream.write_all(part).await?;
                stream.flush().await?;
                tokio::time::sleep(interval).await;
            }
            stream.shutdown().await
        }
        Step::Endless => {
            let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
            stream.write_all(head.as_bytes()).await?;
            let key = br#"{"id":"k","name":"endless","creation":1,"invalidated":false,"username":"u","realm":"r"},"#;
            let chunk = |data: &[u8]| {
                let mut chunk = format!("{:x}\r\n", data.len()).into_bytes();
                chunk.extend_from_slice(data);
                chunk.extend_from_slice(b"\r\n");
                chunk
            };
            stream.write_all(&chunk(b"{\"api_keys\":[")).await?;
            let keys = chunk(&key.repeat(64 * 1024 / key.len()));
            // Until the client hangs up, which ends this with an error.
            loop {
                stream.write_all(&keys).await?;
            }
        }
        Step::Stall(duration) => {
            tokio::time::sleep(duration).await;
            Ok(())
        }
    }
}

/// Starts a keep-alive server that answers every request with `200 OK` and `body` (JSON), for
/// benchmarks: connections are reused, as a client's pool reuses them. Returns its base URL.
pub async fn serve_keep_alive(body: Vec<u8>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let body: Arc<[u8]> = body.into();
    tokio::spawn(async move {
        loop {
            let Ok((mut stream, _)) = listener.accept().await else {
                return;
            };
            // The head and the body go out in two writes: with Nagle's algorithm on, a small
            // body would wait for the client's delayed ACK (40 ms on Linux), and every request
            // would measure that instead of the client.
            let _ = stream.set_nodelay(true);
            let body = Arc::clone(&body);
            tokio::spawn(async move {
                let head = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
                    body.len()
                );
                let mut pending = Vec::new();
                let mut buffer = [0u8; 8192];
                loop {
                    while let Some(end) = pending.windows(4).position(|w| w == b"\r\n\r\n") {
                        pending.drain(..end + 4);
                        if stream.write_all(head.as_bytes()).await.is_err()
                            || stream.write_all(&body).await.is_err()
                        {
                            return;
                        }
                    }
                    match stream.read(&mut buffer).await {
                        Ok(0) | Err(_) => return,
                        Ok(read) => pending.extend_from_slice(&buffer[..read]),
                    }
                }
            });
        }
    });
    url
}
