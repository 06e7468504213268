//! The store's one error type.

/// A storage failure.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database could not be opened or reached.
    #[error("cannot open database {url}: {source}")]
    Connect {
        /// The URL, password redacted.
        url: String,
        /// The driver's error.
        source: sqlx::Error,
    },
    /// A migration failed.
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A query failed.
    #[error("database error: {0}")]
    Query(#[from] sqlx::Error),
    /// The blob store failed.
    #[error("blob store error at {path}: {source}")]
    Blob {
        /// The file involved.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// Stored data could not be read back (a bug or a hand-edited row).
    #[error("corrupt stored data: {0}")]
    Corrupt(String),
    /// A named thing does not exist.
    #[error("{0} not found")]
    NotFound(String),
    /// The change would break a rule of the data (a number another account owns).
    #[error("{0}")]
    Conflict(String),
    /// A write shared with other requests failed (the database did not take the batch); retrying may succeed.
    #[error("the database did not take the write: {0}")]
    Unavailable(String),
    /// Making or checking a credential failed.
    #[error(transparent)]
    Credentials(#[from] canvass_accounts::AccountError),
}
