//! Clients that open a connection and never finish a request: what a server must cut off.
#![allow(clippy::expect_used, clippy::panic)]

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Opens `clients` connections to `addr`, each sending half a request's headers and nothing
/// more, and waits until the server has closed every one of them. Returns how long the last
/// took; panics after `patience` with how many were still open (a server without a header
/// read timeout keeps them forever).
pub async fn half_sent_requests_are_cut_off(
    addr: SocketAddr,
    clients: usize,
    patience: Duration,
) -> Duration {
    let started = Instant::now();
    let mut open = Vec::with_capacity(clients);
    for _ in 0..clients {
        let mut stream = TcpStream::connect(addr).await.expect("connect");
        stream
            .write_all(b"GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
            .await
            .expect("write half a request");
        open.push(stream);
    }
    let mut still_open = clients;
    for mut stream in open {
        let mut buf = [0_u8; 1024];
        let left = patience.saturating_sub(started.elapsed());
        // Whatever the server says before closing (a 408, or nothing), it must close.
        let closed = tokio::time::timeout(left, async {
            loop {
                match stream.read(&mut buf).await {
                    Ok(0) | Err(_) => break,
                    Ok(_) => {}
                }
            }
        })
        .await
        .is_ok();
        assert!(
            closed,
            "{still_open} of {clients} half-sent requests were still open after {patience:?}"
        );
        still_open -= 1;
    }
    started.elapsed()
}
