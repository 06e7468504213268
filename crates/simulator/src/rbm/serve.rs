//! An HTTP server whose handlers can drop their own connection, for the `unbind-on-submit` personality: axum's
//! `serve` gives a handler no way to do that, so each connection gets its own [`DropConnection`] handle.

use std::{net::SocketAddr, sync::Arc};

use axum::{Extension, Router};
use hyper_util::{rt::TokioIo, service::TowerToHyperService};
use tokio::{net::TcpListener, sync::Notify, task::JoinHandle};

/// Lets a handler close the TCP connection its request came on, without an answer.
#[derive(Clone, Default)]
pub struct DropConnection(Arc<Notify>);

impl DropConnection {
    /// Closes the connection; the handler should then wait forever (it is dropped with the connection).
    pub fn now(&self) {
        self.0.notify_one();
    }
}

/// Serves `router` on `listener` until the returned task is aborted.
pub fn spawn(listener: TcpListener, router: Router) -> JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            let Ok((stream, _peer)) = listener.accept().await else {
                // Out of file descriptors or similar: pause rather than spin.
                tokio::time::sleep(std::time::Duration::from_millis(10)).await;
                continue;
            };
            let _ = stream.set_nodelay(true);
            let dropper = DropConnection::default();
            let service =
                TowerToHyperService::new(router.clone().layer(Extension(dropper.clone())));
            tokio::spawn(async move {
                let connection = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service);
                tokio::select! {
                    _ = connection => {}
                    () = dropper.0.notified() => {}
                }
            });
        }
    })
}

/// Binds `addr` and serves `router` there; returns the bound address and the server task.
pub async fn bind(
    addr: SocketAddr,
    router: Router,
) -> std::io::Result<(SocketAddr, JoinHandle<()>)> {
    let listener = TcpListener::bind(addr).await?;
    let local = listener.local_addr()?;
    Ok((local, spawn(listener, router)))
}
