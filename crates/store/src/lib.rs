//! Storage: SQLite (embedded default) and PostgreSQL behind one interface, with the same migrations and the same
//! behaviour, plus a content-addressed blob store on the filesystem.
//!
//! The backends are an enum rather than a trait object: every query is written once per dialect in named SQL
//! (see [`sql`]), and callers never see which one they hold.
#![forbid(unsafe_code)]

#[macro_use]
mod tx;
mod accounts;
pub mod api_messages;
mod blob;
mod bulk;
mod callbacks;
mod campaign_reports;
mod campaigns;
mod carriers;
mod consent;
mod contacts;
mod error;
mod expand;
mod handsets;
mod inbound;
mod queue;
mod queue_claim;
mod queue_settle;
mod regions;
mod routes;
mod segments;
mod services;
pub mod sql;

pub use api_messages::{ApiMessage, IdempotentAnswer, MessageQuery, NewApiMessage, Queued};
pub use blob::{BlobKey, BlobStore};
pub use callbacks::DueCallback;
pub use carriers::{SeedSummary, StoredCarrierProfile};
pub use consent::{InboxRow, LedgerRow};
pub use contacts::{ContactRow, ContactWriter};
pub use error::StoreError;
pub use handsets::{CapabilitySource, StoredHandset};
pub use inbound::DueInbound;
pub use regions::{LayerSummary, RegionAssignmentCounts};
pub use routes::StoredRoute;
pub use segments::{Breakdown, SavedSegment};
pub use services::{MessagingService, NewService};

use sqlx::postgres::{PgPoolOptions, Postgres};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, SqlitePool};
use std::str::FromStr;
use std::time::Duration;

/// The database a deployment runs on.
#[derive(Clone, Debug)]
pub enum Store {
    /// Embedded SQLite in WAL mode.
    Sqlite(SqlitePool),
    /// PostgreSQL, for deployments that outgrow one machine.
    Postgres(PgPool),
}

/// Which SQL dialect a store speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// SQLite.
    Sqlite,
    /// PostgreSQL.
    Postgres,
}

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

impl Store {
    /// Opens a store: `postgres://…` selects PostgreSQL, `sqlite:…` (or a bare path) SQLite, created if missing.
    pub async fn open(url: &str) -> Result<Store, StoreError> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let pool = PgPoolOptions::new()
                .max_connections(8)
                .acquire_timeout(Duration::from_secs(10))
                .connect(url)
                .await
                .map_err(|e| StoreError::Connect {
                    url: redact(url),
                    source: e,
                })?;
            return Ok(Store::Postgres(pool));
        }
        let url = if url.starts_with("sqlite:") {
            url.to_owned()
        } else {
            format!("sqlite://{url}")
        };
        let options = SqliteConnectOptions::from_str(&url)
            .map_err(|e| StoreError::Connect {
                url: url.clone(),
                source: e,
            })?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // NORMAL in WAL mode is durable against process crashes; only an OS crash can lose the last commits.
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10))
            .pragma("cache_size", "-32768")
            .pragma("temp_store", "memory");
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options)
            .await
            .map_err(|e| StoreError::Connect {
                url: url.clone(),
                source: e,
            })?;
        Ok(Store::Sqlite(pool))
    }

    /// The dialect of this store.
    pub fn backend(&self) -> Backend {
        match self {
            Store::Sqlite(_) => Backend::Sqlite,
            Store::Postgres(_) => Backend::Postgres,
        }
    }

    /// Applies pending migrations; safe to run on every start.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        match self {
            Store::Sqlite(pool) => SQLITE_MIGRATIONS.run(pool).await?,
            Store::Postgres(pool) => POSTGRES_MIGRATIONS.run(pool).await?,
        }
        self.ensure_secondary_indexes().await
    }

    /// Checks that the database answers.
    pub async fn ping(&self) -> Result<(), StoreError> {
        match self {
            Store::Sqlite(pool) => {
                sqlx::query("SELECT 1").execute(pool).await?;
            }
            Store::Postgres(pool) => {
                sqlx::query("SELECT 1").execute(pool).await?;
            }
        }
        Ok(())
    }

    /// Refreshes planner statistics; run after bulk imports so segment counts pick the selective index.
    pub async fn analyze(&self) -> Result<(), StoreError> {
        match self {
            Store::Sqlite(pool) => {
                sqlx::query("ANALYZE").execute(pool).await?;
            }
            Store::Postgres(pool) => {
                sqlx::query("ANALYZE contacts, contact_issues, contact_regions, issues")
                    .execute(pool)
                    .await?;
            }
        }
        Ok(())
    }

    /// Closes all connections, checkpointing SQLite's WAL.
    pub async fn close(&self) {
        match self {
            Store::Sqlite(pool) => pool.close().await,
            Store::Postgres(pool) => pool.close().await,
        }
    }

    /// The PostgreSQL pool, for code that only runs there.
    pub fn postgres(&self) -> Option<&sqlx::Pool<Postgres>> {
        match self {
            Store::Postgres(pool) => Some(pool),
            Store::Sqlite(_) => None,
        }
    }
}

/// Hides a password in a database URL before it reaches a log or an error.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn redacts_passwords() {
        assert_eq!(
            super::redact("postgres://u:secret@h/db"),
            "postgres://u:***@h/db"
        );
        assert_eq!(super::redact("postgres://h/db"), "postgres://h/db");
    }
}
