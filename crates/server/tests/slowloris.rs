//! A client that trickles its request headers is cut off once the header timeout passes, while a normal client
//! on the same listener is served.

use axum::Router;
use axum::routing::get;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

#[tokio::test]
async fn trickled_headers_are_cut_off_and_normal_requests_served() {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let router = Router::new().route("/ping", get(|| async { "pong" }));
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(canvass_server::http_serve::serve_with(
        listener,
        router,
        async {
            let _ = stopped.await;
        },
        Duration::from_millis(300),
    ));

    let mut slow = TcpStream::connect(addr).await.expect("connect");
    slow.write_all(b"GET /ping HTTP/1.1\r\nHost: x\r\n")
        .await
        .expect("first header");
    // Keep trickling header bytes; the server must hang up on its own well before this loop ends.
    let mut cut_off = false;
    for _ in 0..50 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        if slow.write_all(b"X-Slow: 1\r\n").await.is_err() {
            cut_off = true;
            break;
        }
        let mut buf = [0u8; 256];
        match tokio::time::timeout(Duration::from_millis(1), slow.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => {
                cut_off = true;
                break;
            }
            Ok(Ok(n)) => {
                let text = String::from_utf8_lossy(&buf[..n]);
                assert!(
                    text.starts_with("HTTP/1.1 408"),
                    "only a timeout answer: {text}"
                );
                cut_off = true;
                break;
            }
            Err(_) => {}
        }
    }
    assert!(cut_off, "the trickling client was never cut off");

    let mut fast = TcpStream::connect(addr).await.expect("connect");
    fast.write_all(b"GET /ping HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .await
        .expect("request");
    let mut answer = String::new();
    fast.read_to_string(&mut answer).await.expect("answer");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.ends_with("pong"), "{answer}");
    let _ = stop.send(());
    server.await.expect("the server stops");
}
