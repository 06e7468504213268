//! The MMSC's HTTP listener. It is hyper driven by hand rather than `axum::serve`, so that a handler can
//! drop its connection without answering (the unbind-on-submit personality), as a crashed MMSC would.

use std::sync::Arc;

use axum::{Router, extract::Request};
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use tokio::{
    net::{TcpListener, TcpStream},
    sync::{Notify, watch},
};
use tracing::{debug, warn};

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
                tokio::spawn(connection(stream, router.clone(), for_connections.clone()));
            }
            Err(error) => {
                // Out of file descriptors, usually: pause rather than spin.
                warn!(%error, "MMSC accept failed");
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            }
        }
    }
}

async fn connection(stream: TcpStream, router: Router, mut shutdown: watch::Receiver<bool>) {
    if let Err(error) = stream.set_nodelay(true) {
        debug!(%error, "cannot set TCP_NODELAY");
    }
    let hangup = Hangup::default();
    let service = {
        let hangup = hangup.clone();
        hyper::service::service_fn(move |mut request: Request<Incoming>| {
            request.extensions_mut().insert(hangup.clone());
            let mut router = router.clone();
            async move { tower_service::Service::call(&mut router, request).await }
        })
    };
    let served =
        hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(stream), service);
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
