//! TLS for the simulated MMSC (rustls with ring): an https listener for VASPs to test against, and the
//! TLS settings of the MMSC's own client for reports to an https VASP.

use std::{io, sync::Arc};

use rustls::{
    ClientConfig, RootCertStore, ServerConfig,
    crypto::ring,
    pki_types::{CertificateDer, PrivateKeyDer, pem::PemObject},
};
use tokio_rustls::TlsAcceptor;

/// The certificate chain and private key, both PEM, of an MMSC served over https.
#[derive(Debug, Clone)]
pub struct MmscTls {
    /// The server certificate, then any intermediates.
    pub cert_chain_pem: String,
    /// The certificate's private key (PKCS#8, PKCS#1 or SEC1).
    pub key_pem: String,
}

impl MmscTls {
    /// The identity in `cert_chain_pem` and `key_pem`.
    pub fn new(cert_chain_pem: impl Into<String>, key_pem: impl Into<String>) -> Self {
        Self {
            cert_chain_pem: cert_chain_pem.into(),
            key_pem: key_pem.into(),
        }
    }

    /// The acceptor for the listener; an unreadable certificate or key is an `InvalidInput` error.
    pub(crate) fn acceptor(&self) -> io::Result<TlsAcceptor> {
        let invalid = |what: &str, error: &dyn std::fmt::Display| {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("MMSC TLS {what}: {error}"),
            )
        };
        let chain = CertificateDer::pem_slice_iter(self.cert_chain_pem.as_bytes())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|error| invalid("certificate", &error))?;
        if chain.is_empty() {
            return Err(invalid(
                "certificate",
                &"no CERTIFICATE block in the PEM text",
            ));
        }
        let key = PrivateKeyDer::from_pem_slice(self.key_pem.as_bytes())
            .map_err(|error| invalid("key", &error))?;
        let config = ServerConfig::builder_with_provider(Arc::new(ring::default_provider()))
            .with_safe_default_protocol_versions()
            .map_err(|error| invalid("versions", &error))?
            .with_no_client_auth()
            .with_single_cert(chain, key)
            .map_err(|error| invalid("certificate and key", &error))?;
        Ok(TlsAcceptor::from(Arc::new(config)))
    }
}

/// Installs ring as the process's default rustls provider, unless one is installed already. reqwest is
/// built with `rustls-no-provider`, so a `reqwest::Client` built without its own TLS settings panics
/// without one: binaries and tests that build such clients call this first.
pub fn install_default_crypto_provider() {
    // Err only means a provider is installed already.
    let _ = ring::default_provider().install_default();
}

/// The MMSC's client TLS: the Mozilla roots, ring. Built here rather than by reqwest, which is compiled
/// without a default crypto provider.
pub(crate) fn client_config() -> io::Result<ClientConfig> {
    let roots = RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    let mut config = ClientConfig::builder_with_provider(Arc::new(ring::default_provider()))
        .with_safe_default_protocol_versions()
        .map_err(io::Error::other)?
        .with_root_certificates(roots)
        .with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}
