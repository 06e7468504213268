//! One transaction on whichever backend, for the campaign and queue code.

/// Runs `$body!(tx, dialect)` inside one transaction and commits it; `$body` is a local macro that writes
/// `stmt.$dialect().execute(&mut *$tx)`. An early `?` drops the transaction, which rolls it back.
///
/// On SQLite the transaction begins `IMMEDIATE`, taking the write lock at once: a deferred transaction that reads
/// before it writes fails with `SQLITE_BUSY` (no waiting) when another connection committed in between, and the
/// pool's connections do write concurrently (claims, settlements, expansion).
macro_rules! in_transaction {
    ($store:expr, $body:ident) => {
        match $store {
            $crate::Store::Sqlite(pool) => {
                let mut tx = pool
                    .begin_with("BEGIN IMMEDIATE")
                    .await
                    .map_err($crate::StoreError::from)?;
                let out = $body!(tx, sqlite);
                tx.commit().await.map_err($crate::StoreError::from)?;
                out
            }
            $crate::Store::Postgres(pool) => {
                let mut tx = pool.begin().await.map_err($crate::StoreError::from)?;
                let out = $body!(tx, postgres);
                tx.commit().await.map_err($crate::StoreError::from)?;
                out
            }
        }
    };
}

/// Fetches every row of `$stmt` and maps each with `$row => $map`, where `$map` may use `?` on `try_get`.
macro_rules! fetch_all {
    ($store:expr, $stmt:expr, $row:ident => $map:expr) => {
        match $store {
            $crate::Store::Sqlite(pool) => $stmt
                .sqlite()
                .fetch_all(pool)
                .await
                .map_err($crate::StoreError::from)?
                .iter()
                .map(|$row| -> Result<_, $crate::StoreError> { Ok($map) })
                .collect::<Result<Vec<_>, $crate::StoreError>>(),
            $crate::Store::Postgres(pool) => $stmt
                .postgres()
                .fetch_all(pool)
                .await
                .map_err($crate::StoreError::from)?
                .iter()
                .map(|$row| -> Result<_, $crate::StoreError> { Ok($map) })
                .collect::<Result<Vec<_>, $crate::StoreError>>(),
        }
    };
}

/// Fetches at most one row of `$stmt` and maps it with `$row => $map`.
macro_rules! fetch_optional {
    ($store:expr, $stmt:expr, $row:ident => $map:expr) => {
        match $store {
            $crate::Store::Sqlite(pool) => $stmt
                .sqlite()
                .fetch_optional(pool)
                .await
                .map_err($crate::StoreError::from)?
                .map(|$row| -> Result<_, $crate::StoreError> { Ok($map) })
                .transpose(),
            $crate::Store::Postgres(pool) => $stmt
                .postgres()
                .fetch_optional(pool)
                .await
                .map_err($crate::StoreError::from)?
                .map(|$row| -> Result<_, $crate::StoreError> { Ok($map) })
                .transpose(),
        }
    };
}
