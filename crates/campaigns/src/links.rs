//! Tracked links: each message's link carries a short token that names the message, so a click is counted for the
//! right recipient without a lookup table. The token is the message id plus a truncated HMAC-SHA256 tag, base64url
//! without padding: 12 characters for ids under 256, 16 under 2³², 22 at most. A guessed or altered token
//! fails the tag check and is treated as no token, never as someone else's click.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{KeyInit, Mac};
use sha2::Sha256;

type HmacSha256 = hmac::Hmac<Sha256>;

/// Bytes of the tag kept: 64 bits, so forging a token takes on the order of 2⁶³ tries against the server.
const TAG_LEN: usize = 8;

/// Separates this use of the secret from any other the tenant's key might be put to.
const DOMAIN: &[u8] = b"canvass link v1\0";

/// Makes and checks link tokens under one secret.
#[derive(Clone)]
pub struct LinkSigner {
    mac: HmacSha256,
}

impl std::fmt::Debug for LinkSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The keyed state is the secret in another form: never print it.
        f.write_str("LinkSigner { .. }")
    }
}

impl LinkSigner {
    /// A signer keyed by `secret`; use at least 32 random bytes.
    pub fn new(secret: &[u8]) -> Self {
        let mac = <HmacSha256 as KeyInit>::new_from_slice(secret)
            .unwrap_or_else(|_| unreachable!("HMAC accepts keys of any length"));
        LinkSigner { mac }
    }

    /// The token for `message_id`.
    pub fn token(&self, message_id: i64) -> String {
        let payload = id_bytes(message_id);
        let tag = self.tag(&payload);
        let mut raw = payload;
        raw.extend_from_slice(&tag[..TAG_LEN]);
        URL_SAFE_NO_PAD.encode(raw)
    }

    /// The message id a token names, or `None` for a token this signer did not make (garbage, truncated, altered,
    /// or signed with another secret). The tag is compared in constant time.
    pub fn verify(&self, token: &str) -> Option<i64> {
        // Longer than any token we make: refuse before decoding an attacker's megabyte.
        if token.len() > 24 {
            return None;
        }
        let raw = URL_SAFE_NO_PAD.decode(token).ok()?;
        if raw.len() <= TAG_LEN || raw.len() > TAG_LEN + 8 {
            return None;
        }
        let (payload, tag) = raw.split_at(raw.len() - TAG_LEN);
        let mut mac = self.mac.clone();
        mac.update(DOMAIN);
        mac.update(payload);
        mac.verify_truncated_left(tag).ok()?;
        let mut be = [0u8; 8];
        be[8 - payload.len()..].copy_from_slice(payload);
        Some(i64::from_be_bytes(be))
    }

    fn tag(&self, payload: &[u8]) -> Vec<u8> {
        let mut mac = self.mac.clone();
        mac.update(DOMAIN);
        mac.update(payload);
        mac.finalize().into_bytes().to_vec()
    }
}

/// The id's big-endian bytes without leading zero bytes (at least one byte), so small ids make short tokens.
fn id_bytes(id: i64) -> Vec<u8> {
    let be = id.to_be_bytes();
    let skip = be.iter().take(7).take_while(|b| **b == 0).count();
    be[skip..].to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn signer() -> LinkSigner {
        LinkSigner::new(b"0123456789abcdef0123456789abcdef")
    }

    #[test]
    fn tokens_are_short_and_url_safe() {
        let s = signer();
        assert_eq!(s.token(7).len(), 12);
        assert_eq!(s.token(4_000_000_000).len(), 16);
        assert_eq!(s.token(-1).len(), 22);
        assert_eq!(s.token(i64::MAX).len(), 22);
        let t = s.token(123_456_789);
        assert!(
            t.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'),
            "{t}"
        );
    }

    #[test]
    fn another_secret_and_garbage_are_refused() {
        let token = signer().token(42);
        assert_eq!(LinkSigner::new(b"another secret").verify(&token), None);
        for garbage in [
            "",
            "a",
            "!!!!!!!!!!!!",
            "AAAAAAAAAAAA",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "é",
        ] {
            assert_eq!(signer().verify(garbage), None, "{garbage:?}");
        }
        assert!(!format!("{:?}", signer()).contains("0123"));
    }

    proptest! {
        #[test]
        fn tokens_round_trip(id in any::<i64>()) {
            let s = signer();
            prop_assert_eq!(s.verify(&s.token(id)), Some(id));
        }

        #[test]
        fn a_changed_character_is_refused(id in any::<i64>(), at in any::<prop::sample::Index>(), with in "[A-Za-z0-9_-]") {
            let s = signer();
            let token = s.token(id);
            let i = at.index(token.len());
            let mut altered = token.clone();
            altered.replace_range(i..=i, &with);
            prop_assume!(altered != token);
            // The last character carries unused low bits; a change there that decodes to the same bytes is
            // rejected as non-canonical, so every change is refused.
            prop_assert_eq!(s.verify(&altered), None);
        }

        #[test]
        fn truncated_or_extended_tokens_are_refused(id in any::<i64>(), cut in 1usize..4, extra in "[A-Za-z0-9_-]{1,4}") {
            let s = signer();
            let token = s.token(id);
            prop_assert_eq!(s.verify(&token[..token.len() - cut]), None);
            prop_assert_eq!(s.verify(&format!("{token}{extra}")), None);
        }

        #[test]
        fn arbitrary_input_is_refused_without_panic(input in "\\PC{0,40}") {
            prop_assert_eq!(signer().verify(&input), None);
        }
    }
}
