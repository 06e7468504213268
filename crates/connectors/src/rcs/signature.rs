//! RBM's webhook signature: `X-Goog-Signature` is base64 of HMAC-SHA512 over the event JSON (the decoded
//! `message.data` of the push envelope), keyed with the client token the RBM console shows for the webhook.

use base64::{Engine, engine::general_purpose::STANDARD};
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha512;

fn mac(client_token: &str) -> Hmac<Sha512> {
    <Hmac<Sha512> as KeyInit>::new_from_slice(client_token.as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC accepts any key length"))
}

/// The signature RBM sends for `event_json`.
pub fn sign(client_token: &str, event_json: &[u8]) -> String {
    let mut mac = mac(client_token);
    mac.update(event_json);
    STANDARD.encode(mac.finalize().into_bytes())
}

/// Whether `signature` (the header's value) is RBM's for `event_json`; compared in constant time.
pub fn verify(client_token: &str, event_json: &[u8], signature: &str) -> bool {
    let Ok(claimed) = STANDARD.decode(signature.trim()) else {
        return false;
    };
    let mut mac = mac(client_token);
    mac.update(event_json);
    mac.verify_slice(&claimed).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_verifies_only_with_its_token_and_body() {
        let body = br#"{"eventType":"DELIVERED","messageId":"m1"}"#;
        let signature = sign("client-token", body);
        assert!(verify("client-token", body, &signature));
        assert!(!verify("other-token", body, &signature));
        assert!(!verify(
            "client-token",
            br#"{"eventType":"READ","messageId":"m1"}"#,
            &signature
        ));
        assert!(!verify("client-token", body, "not base64!"));
    }
}
