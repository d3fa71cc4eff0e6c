//! Loopback servers for tests that are not async: each runs on a runtime of its own, on a thread
//! of its own, until the process ends.

use std::future::Future;

use tokio::net::{TcpListener, TcpStream};

/// Runs `start` on a runtime of its own, on a thread of its own, and returns what it gives. The
/// runtime goes on running afterwards, so that the tasks `start` spawned (a server's) keep going.
pub fn on_own_runtime<T, F>(start: F) -> T
where
    T: Send + 'static,
    F: Future<Output = T> + Send + 'static,
{
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            sender.send(start.await).unwrap();
            std::future::pending::<()>().await;
        });
    });
    receiver.recv().unwrap()
}

/// Listens on a free port of 127.0.0.1 and hands every connection to `serve`, in a task of its
/// own. Returns the port once the server is listening.
pub fn serve_connections<F, Fut>(serve: F) -> u16
where
    F: Fn(TcpStream) -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    on_own_runtime(async move {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve(stream));
            }
        });
        port
    })
}
