//! The one way the simulator makes HTTP clients (MM7 reports, RBM events, Twilio callbacks, handset fetches):
//! TCP_NODELAY, and TLS settings of its own, because reqwest is built without a default crypto provider.

use std::{io, time::Duration};

/// A client with `timeout` per request.
pub(crate) fn http_client(timeout: Duration) -> io::Result<reqwest::Client> {
    reqwest::Client::builder()
        .tls_backend_preconfigured(crate::mmsc::tls_client_config()?)
        .tcp_nodelay(true)
        .timeout(timeout)
        .build()
        .map_err(io::Error::other)
}
