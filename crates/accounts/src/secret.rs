//! Auth tokens and key secrets: generated from the system's random source, shown once, and stored only as an
//! argon2id hash (PHC string with its own salt).

use argon2::{
    Argon2,
    password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString},
};

use crate::AccountError;

/// A secret to hand to its owner once: 32 lowercase hex digits, the shape of a Twilio auth token.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// A new random secret (128 bits).
    pub fn generate() -> Result<Self, AccountError> {
        let mut bytes = [0u8; 16];
        getrandom::fill(&mut bytes).map_err(|e| AccountError::Random(e.to_string()))?;
        Ok(Self(hex::encode(bytes)))
    }

    /// A secret computed from a key (see [`crate::TokenKey`]) rather than drawn at random.
    pub(crate) fn from_derived(hex: String) -> Self {
        Self(hex)
    }

    /// The secret's text, to print or send once.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never in logs.
        f.write_str("Secret(…)")
    }
}

/// The argon2id hash to store for `secret`.
pub fn hash_secret(secret: &str) -> Result<String, AccountError> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| AccountError::Random(e.to_string()))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| AccountError::Random(e.to_string()))?;
    Argon2::default()
        .hash_password(secret.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| AccountError::BadHash(e.to_string()))
}

/// Whether `secret` matches the stored `hash`. A hash that cannot be read is an error, not a mismatch, so that a
/// damaged row is noticed.
pub fn verify_secret(secret: &str, hash: &str) -> Result<bool, AccountError> {
    let parsed = PasswordHash::new(hash).map_err(|e| AccountError::BadHash(e.to_string()))?;
    Ok(Argon2::default()
        .verify_password(secret.as_bytes(), &parsed)
        .is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_secret_only_and_salts_differ() {
        let secret = Secret::generate().expect("random");
        assert_eq!(secret.expose().len(), 32);
        let first = hash_secret(secret.expose()).expect("hash");
        let second = hash_secret(secret.expose()).expect("hash");
        assert!(first.starts_with("$argon2id$"), "{first}");
        assert_ne!(first, second, "each hash has its own salt");
        assert!(!first.contains(secret.expose()));
        assert_eq!(verify_secret(secret.expose(), &first), Ok(true));
        assert_eq!(verify_secret(secret.expose(), &second), Ok(true));
        assert_eq!(verify_secret("not-the-secret", &first), Ok(false));
        assert!(matches!(
            verify_secret(secret.expose(), "plaintext"),
            Err(AccountError::BadHash(_))
        ));
        assert_eq!(format!("{secret:?}"), "Secret(…)");
    }
}
