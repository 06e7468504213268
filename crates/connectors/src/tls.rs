//! TLS for every HTTP connector (MM7, RBM, Twilio-compatible upstreams): rustls with the ring provider, handed to
//! reqwest ready-made so that no other crypto backend (aws-lc) is built. Trusted roots are the Mozilla set
//! (webpki-roots) plus the route's own PEM certificates, for carriers behind a private CA.

use std::sync::Arc;

use rustls::{
    ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme,
    client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier},
    crypto::{WebPkiSupportedAlgorithms, ring},
};
use rustls_pki_types::{CertificateDer, ServerName, UnixTime, pem::PemObject};

/// Installs ring as the process's default rustls provider, unless one is installed already.
///
/// Our own clients do not need it (they carry their TLS settings), but reqwest is built with
/// `rustls-no-provider`, so any other `reqwest::Client` built in a process that links this crate panics
/// without a default provider: binaries call this once at startup.
pub fn install_default_crypto_provider() {
    // Err only means a provider is installed already, which is all we want.
    let _ = ring::default_provider().install_default();
}

/// The TLS settings of a route's HTTP client: the Mozilla roots plus `extra_roots_pem`, or, only when
/// `accept_invalid_certs`, any certificate.
pub(crate) fn client_config(
    extra_roots_pem: &[String],
    accept_invalid_certs: bool,
) -> Result<ClientConfig, String> {
    let provider = Arc::new(ring::default_provider());
    let builder = ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|error| format!("TLS versions: {error}"))?;
    let builder = if accept_invalid_certs {
        builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(AcceptAnyCertificate(
                provider.signature_verification_algorithms,
            )))
    } else {
        builder.with_root_certificates(roots(extra_roots_pem)?)
    };
    let mut tls = builder.with_no_client_auth();
    // reqwest speaks HTTP/1.1 only in this build; say so, for servers that negotiate.
    tls.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(tls)
}

/// The Mozilla roots and every certificate in `extra` (each entry a PEM text with one or more).
fn roots(extra: &[String]) -> Result<RootCertStore, String> {
    let mut store = RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    for (index, pem) in extra.iter().enumerate() {
        let number = index + 1;
        let mut found = 0;
        for cert in CertificateDer::pem_slice_iter(pem.as_bytes()) {
            let cert = cert.map_err(|error| format!("extra root certificate {number}: {error}"))?;
            store
                .add(cert)
                .map_err(|error| format!("extra root certificate {number}: {error}"))?;
            found += 1;
        }
        if found == 0 {
            return Err(format!(
                "extra root certificate {number}: no CERTIFICATE block in the PEM text"
            ));
        }
    }
    Ok(store)
}

/// Takes any server certificate (signatures are still checked, so the handshake is sound, but anyone can
/// pose as the carrier). Only when a route's settings ask for it.
#[derive(Debug)]
struct AcceptAnyCertificate(WebPkiSupportedAlgorithms);

impl ServerCertVerifier for AcceptAnyCertificate {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.0)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.0)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.supported_schemes()
    }
}

/// Whether the carrier's certificate was refused: trying again cannot help until the route's settings change.
pub(crate) fn is_certificate_error(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut cause = Some(error);
    while let Some(current) = cause {
        if let Some(rustls::Error::InvalidCertificate(_)) = current.downcast_ref() {
            return true;
        }
        cause = match current.downcast_ref::<std::io::Error>() {
            // io::Error's source() skips its inner error (tokio-rustls puts rustls's there): step into it.
            Some(io) => io
                .get_ref()
                .map(|inner| inner as &(dyn std::error::Error + 'static)),
            None => current.source(),
        };
    }
    false
}

/// An error with its causes, `a: b: c`: reqwest's own text ("error sending request") hides the cause that
/// matters, such as an unknown certificate issuer.
pub(crate) fn error_chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pem_without_certificates_is_a_configuration_error() {
        let error = client_config(&["not a certificate".into()], false).expect_err("refused");
        assert!(error.contains("no CERTIFICATE block"), "{error}");
    }

    #[test]
    fn the_default_trusts_the_mozilla_roots_and_checks_certificates() {
        let config = crate::mm7::Mm7Config::new("t", "https://mmsc.example/mm7");
        assert!(!config.danger_accept_invalid_certs);
        client_config(&config.tls_roots_pem, false).expect("builds");
    }
}
