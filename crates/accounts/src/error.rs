//! What can be wrong with account input.

/// An account, key or scope that cannot be taken as given.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AccountError {
    /// Not an id of the expected kind.
    #[error("{given:?} is not a {kind} id: expected {prefix} followed by 32 hexadecimal digits")]
    BadSid {
        /// What the id should be (account, API key).
        kind: &'static str,
        /// The prefix it needs.
        prefix: &'static str,
        /// What was given.
        given: String,
    },
    /// A scope name we do not know.
    #[error("unknown scope {given:?}: expected one of {}", crate::Scope::NAMES.join(", "))]
    UnknownScope {
        /// What was given.
        given: String,
    },
    /// A key needs at least one scope.
    #[error("an API key needs at least one scope")]
    NoScopes,
    /// A stored hash that is not an argon2 PHC string.
    #[error("stored credential hash is unreadable: {0}")]
    BadHash(String),
    /// The system's random source failed.
    #[error("no randomness available: {0}")]
    Random(String),
}
