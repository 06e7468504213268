//! The MMSC's HTTP listener. It is hyper driven by hand rather than `axum::serve`, so that a handler can
//! drop its connection without answering (the unbind-on-submit personality), as a crashed MMSC would.
//! With a TLS acceptor every connection is https.

use std::sync::Arc;

use axum::{Router, extract::Request};
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use tokio::{
    io::{AsyncRead, AsyncWrite},
    net::{TcpListener, TcpStream},
    sync::{Notify, watch},
};
use tokio_rustls::TlsAcceptor;
use tracing::{debug, warn};

use super::rate::ConnectionRate;

/// How long a client may take over its TLS handshake.
const HANDSHAKE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// Put into every request's extensions: notifying it closes the connection at once, unanswered.
#[derive(Clone, Default)]
pub(crate) struct Hangup(Arc<Notify>);

impl Hangup {
    pub(crate) fn now(&self) {
        self.0.notify_one();
    }
}

/// Accepts until `shutdown` turns true; TCP_NODELAY on every connection.
pub(crate) async fn serve(
    listener: TcpListener,
    router: Router,
    tls: Option<TlsAcceptor>,
    mut shutdown: watch::Receiver<bool>,
) {
    let for_connections = shutdown.clone();
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            _ = shutdown.wait_for(|stop| *stop) => return,
        };
        match accepted {
            Ok((stream, _)) => {
                tokio::spawn(accept(
                    stream,
                    tls.clone(),
                    router.clone(),
                    for_connections.clone(),
                ));
            }
            Err(error) => {
                // Out of file descriptors, usually: pause rather than spin.
                warn!(%error, "MMSC accept failed");
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            }
        }
    }
}

/// TCP_NODELAY, then the TLS handshake when the listener has TLS, then HTTP.
async fn accept(
    stream: TcpStream,
    tls: Option<TlsAcceptor>,
    router: Router,
    shutdown: watch::Receiver<bool>,
) {
    if let Err(error) = stream.set_nodelay(true) {
        debug!(%error, "cannot set TCP_NODELAY");
    }
    let Some(tls) = tls else {
        return connection(stream, router, shutdown).await;
    };
    match tokio::time::timeout(HANDSHAKE_TIMEOUT, tls.accept(stream)).await {
        Ok(Ok(stream)) => connection(stream, router, shutdown).await,
        Ok(Err(error)) => debug!(%error, "MMSC TLS handshake failed"),
        Err(_) => debug!("MMSC TLS handshake timed out"),
    }
}

async fn connection<Io>(io: Io, router: Router, mut shutdown: watch::Receiver<bool>)
where
    Io: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let hangup = Hangup::default();
    let rate = ConnectionRate::default();
    let service = {
        let hangup = hangup.clone();
        hyper::service::service_fn(move |mut request: Request<Incoming>| {
            request.extensions_mut().insert(hangup.clone());
            request.extensions_mut().insert(rate.clone());
            let mut router = router.clone();
            async move { tower_service::Service::call(&mut router, request).await }
        })
    };
    let served =
        hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(io), service);
    tokio::select! {
        result = served => {
            if let Err(error) = result {
                debug!(%error, "MMSC connection ended");
            }
        }
        () = hangup.0.notified() => debug!("MMSC dropped a connection unanswered"),
        _ = shutdown.wait_for(|stop| *stop) => {}
    }
}
