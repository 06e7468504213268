//! Bulk loads on SQLite: secondary indexes are dropped while a large import runs and rebuilt once at its end.
//!
//! Keeping five secondary indexes current row by row cost SQLite ~40 % of an import's database time (measured
//! on 300k rows): each row lands on a random page of each index. `CREATE INDEX` afterwards sorts once. Only
//! indexes that no constraint needs are deferred; `(tenant_id, phone)`, which the merge relies on, stays.
//!
//! If the process dies mid-import, [`Store::migrate`](crate::Store::migrate) recreates any missing index at the
//! next start, so a crash costs speed for a while, never correctness.

use crate::{Store, StoreError};

/// The deferrable indexes, exactly as the 0001 migration creates them (`IF NOT EXISTS` added).
const DEFERRABLE: [(&str, &str); 5] = [
    (
        "contacts_state",
        "CREATE INDEX IF NOT EXISTS contacts_state ON contacts (tenant_id, state)",
    ),
    (
        "contacts_zip",
        "CREATE INDEX IF NOT EXISTS contacts_zip ON contacts (tenant_id, zip)",
    ),
    (
        "contacts_lat",
        "CREATE INDEX IF NOT EXISTS contacts_lat ON contacts (tenant_id, lat)",
    ),
    (
        "contact_issues_by_issue",
        "CREATE INDEX IF NOT EXISTS contact_issues_by_issue ON contact_issues (issue_id, contact_id)",
    ),
    (
        "contact_regions_by_region",
        "CREATE INDEX IF NOT EXISTS contact_regions_by_region ON contact_regions (region_id, contact_id)",
    ),
];

/// Below this many existing contacts, rebuilding the indexes after an import costs less than a second, so a
/// large import always defers them.
pub(crate) const SMALL_TABLE: i64 = 100_000;

/// Drops the deferrable indexes (SQLite only; a no-op on PostgreSQL).
pub(crate) async fn drop_secondary_indexes(
    conn: &mut sqlx::SqliteConnection,
) -> Result<(), StoreError> {
    for (name, _) in DEFERRABLE {
        // The names are constants above, never input.
        sqlx::query(sqlx::AssertSqlSafe(format!("DROP INDEX IF EXISTS {name}")))
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Creates whichever deferrable indexes are missing.
pub(crate) async fn create_secondary_indexes(
    conn: &mut sqlx::SqliteConnection,
) -> Result<(), StoreError> {
    for (_, create) in DEFERRABLE {
        sqlx::query(create).execute(&mut *conn).await?;
    }
    Ok(())
}

impl Store {
    /// Recreates indexes a bulk load left dropped (after a crash). Cheap when they all exist.
    pub(crate) async fn ensure_secondary_indexes(&self) -> Result<(), StoreError> {
        if let Store::Sqlite(pool) = self {
            let mut conn = pool.acquire().await?;
            create_secondary_indexes(&mut conn).await?;
        }
        Ok(())
    }
}
