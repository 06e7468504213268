//! Auth tokens derived from one server secret. Twilio signs every webhook with the account's auth token, so the
//! server must be able to produce the token again long after it was shown, while the database keeps only its
//! argon2id hash: the token is an HMAC of the account id under a secret that lives outside the database (the
//! bootstrap config or the data dir). A copy of the database alone yields no token.

use hmac::{KeyInit, Mac};
use sha2::Sha256;

use crate::{AccountSid, Secret};

type HmacSha256 = hmac::Hmac<Sha256>;

/// Separates this use of the server secret from any other.
const DOMAIN: &[u8] = b"canvass auth token v1\0";

/// Derives auth tokens; one per deployment, shared by every node.
#[derive(Clone)]
pub struct TokenKey {
    mac: HmacSha256,
}

impl std::fmt::Debug for TokenKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenKey { .. }")
    }
}

impl TokenKey {
    /// A key over `secret`; use at least 32 random bytes.
    pub fn new(secret: &[u8]) -> Self {
        let mac = <HmacSha256 as KeyInit>::new_from_slice(secret)
            .unwrap_or_else(|_| unreachable!("HMAC accepts keys of any length"));
        TokenKey { mac }
    }

    /// The auth token of `account`: 32 lowercase hex digits (128 bits of the tag), Twilio's shape.
    pub fn auth_token(&self, account: &AccountSid) -> Secret {
        let mut mac = self.mac.clone();
        mac.update(DOMAIN);
        mac.update(account.as_str().as_bytes());
        let tag = mac.finalize().into_bytes();
        Secret::from_derived(hex::encode(&tag[..16]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_is_stable_per_account_and_secret_and_differs_otherwise() {
        let key = TokenKey::new(b"0123456789abcdef0123456789abcdef");
        let a = AccountSid::generate().expect("random");
        let b = AccountSid::generate().expect("random");
        let token = key.auth_token(&a);
        assert_eq!(token.expose().len(), 32);
        assert!(token.expose().bytes().all(|c| c.is_ascii_hexdigit()));
        assert_eq!(key.auth_token(&a), token, "the same again");
        assert_ne!(key.auth_token(&b), token, "another account");
        let other = TokenKey::new(b"another secret of enough length!");
        assert_ne!(other.auth_token(&a), token, "another deployment");
        assert_eq!(format!("{key:?}"), "TokenKey { .. }");
    }
}
