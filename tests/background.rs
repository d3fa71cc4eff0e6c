//! Loopback servers for tests that are not async: each runs on a runtime of its own, on a thread
//! of its own, until the process ends.

use std::future::Future;

use tokio::net::{TcpListener, TcpStream};

/// Listens on a free port of 127.0.0.1 and hands every connection to `serve`, in a task of its
/// own. Returns the port once the server is listening.
pub fn serve_connections<F, Fut>(serve: F) -> u16
where
    F: Fn(TcpStream) -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
            sender.send(listener.local_addr().unwrap().port()).unwrap();
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve(stream));
            }
        });
    });
    receiver.recv().unwrap()
}
