//! Merging imported contacts by phone number, and reading them back.

use crate::sql::{Statement, Value};
use crate::{Backend, Store, StoreError};
use canvass_audience::contact::ContactRecord;
use canvass_audience::ports::{BatchOutcome, ContactSink, PortError};
use canvass_types::TenantId;
use sqlx::Row;
use std::collections::HashMap;

const CONTACT_COLUMNS: [&str; 18] = [
    "tenant_id",
    "phone",
    "given_name",
    "family_name",
    "street",
    "zip",
    "state",
    "county_fips",
    "county_name",
    "lat",
    "lon",
    "geo_source",
    "time_zone",
    "attrs",
    "opted_out",
    "consent_source",
    "consent_at",
    "consent_evidence",
];

/// Columns that describe where a contact is; they change together, never one at a time.
const GEO_COLUMNS: [&str; 8] = [
    "zip",
    "state",
    "county_fips",
    "county_name",
    "lat",
    "lon",
    "geo_source",
    "time_zone",
];

/// A first batch this large marks an import worth deferring indexes for (the importer's batches hold 10,000).
const BULK_BATCH: usize = 5_000;

/// Contacts per merge statement: SQLite binds at most 32,766 values, and a contact takes 20.
const UPSERT_CHUNK: usize = 1_000;

/// Rows a bulk import keeps in one SQLite transaction before committing.
///
/// The unique `(tenant_id, phone)` index is the one index a merge cannot defer, and phones arrive in random
/// order, so every batch touches pages all over it; SQLite rewrites each page a transaction touched into the WAL
/// at its commit. Measured with the sqlite3 shell on 1M upserts in phone-sorted 10k-row batches
/// (docs/benchmarks.md): 10.2 s with a commit per batch, 5.2 s with a commit every 200k rows. Crash safety is
/// unchanged in kind: whole batches land or none, and a re-run merges by phone.
const BULK_COMMIT_ROWS: usize = 200_000;

/// Writes contact batches into a store: the [`ContactSink`] the importer drives.
pub struct ContactWriter {
    store: Store,
    /// One SQLite connection for the whole import: its page cache stays warm, where a pool would hand each batch
    /// a connection whose cache the previous batch's writes invalidated.
    sqlite_conn: Option<sqlx::SqliteConnection>,
    issue_ids: HashMap<String, i64>,
    replace_regions: bool,
    /// Whether this import dropped the secondary indexes (see `bulk`); `finish` rebuilds them.
    deferred_indexes: bool,
    /// Rows written inside the SQLite transaction still open on `sqlite_conn` (bulk imports commit every
    /// [`BULK_COMMIT_ROWS`]); `None` when no transaction is open.
    uncommitted: Option<usize>,
}

impl ContactWriter {
    /// A writer; `replace_regions` drops a merged contact's old region memberships (set it when the import
    /// computes regions, i.e. when the tenant has region layers).
    pub fn new(store: Store, replace_regions: bool) -> Self {
        ContactWriter {
            store,
            sqlite_conn: None,
            issue_ids: HashMap::new(),
            replace_regions,
            deferred_indexes: false,
            uncommitted: None,
        }
    }

    /// The merge of up to 1,000 contacts; `now` stamps new rows (bound once per row: SQLite would otherwise run
    /// the columns' `strftime` default twice for every row).
    fn upsert_statement(&self, tenant: TenantId, batch: &[ContactRecord], now: &str) -> Statement {
        let backend = self.store.backend();
        let mut s = Statement::new(backend);
        s.push("INSERT INTO contacts (")
            .push(&CONTACT_COLUMNS.join(", "))
            .push(", created_at, updated_at) VALUES ");
        for (i, c) in batch.iter().enumerate() {
            s.push(if i == 0 { "(" } else { ", (" });
            s.bind(Value::Int(Some(tenant.0))).push(", ");
            s.bind(Value::Text(Some(c.phone.as_str().to_owned())))
                .push(", ");
            for text in [
                &c.given_name,
                &c.family_name,
                &c.street,
                &c.zip,
                &c.state,
                &c.county_fips,
                &c.county_name,
            ] {
                s.bind(Value::Text(text.clone())).push(", ");
            }
            s.bind(Value::Float(c.lat))
                .push(", ")
                .bind(Value::Float(c.lon))
                .push(", ");
            s.bind(Value::Text(c.geo_source.map(|g| g.as_str().to_owned())))
                .push(", ");
            s.bind(Value::Text(c.time_zone.clone())).push(", ");
            let attrs = serde_json::to_string(&c.attrs).unwrap_or_else(|_| "{}".to_owned());
            s.bind_cast(Value::Text(Some(attrs)), "jsonb").push(", ");
            s.bind(Value::Bool(c.opted_out)).push(", ");
            s.bind(Value::Text(c.consent.source.clone())).push(", ");
            s.bind_cast(
                Value::Text(c.consent.at.map(|t| t.to_string())),
                "timestamptz",
            )
            .push(", ");
            s.bind(Value::Text(c.consent.evidence.clone())).push(", ");
            s.bind_cast(Value::Text(Some(now.to_owned())), "timestamptz")
                .push(", ")
                .bind_cast(Value::Text(Some(now.to_owned())), "timestamptz")
                .push(")");
        }
        s.push(" ON CONFLICT (tenant_id, phone) DO UPDATE SET ");
        let mut sets: Vec<String> = Vec::new();
        for col in [
            "given_name",
            "family_name",
            "street",
            "consent_source",
            "consent_at",
            "consent_evidence",
        ] {
            sets.push(format!("{col} = COALESCE(excluded.{col}, contacts.{col})"));
        }
        // A row that only knows the area code must not overwrite a ZIP or a geocoded point from an earlier file.
        let take_new_geo = "excluded.geo_source IS NOT NULL AND NOT (excluded.geo_source = 'area_code' \
                            AND contacts.geo_source IN ('zip', 'point'))";
        for col in GEO_COLUMNS {
            sets.push(format!(
                "{col} = CASE WHEN {take_new_geo} THEN excluded.{col} ELSE contacts.{col} END"
            ));
        }
        match backend {
            Backend::Sqlite => {
                sets.push("attrs = json_patch(contacts.attrs, excluded.attrs)".into());
                sets.push("opted_out = max(contacts.opted_out, excluded.opted_out)".into());
            }
            Backend::Postgres => {
                sets.push("attrs = contacts.attrs || excluded.attrs".into());
                sets.push("opted_out = contacts.opted_out OR excluded.opted_out".into());
            }
        }
        sets.push("updated_at = excluded.updated_at".into());
        s.push(&sets.join(", ")).push(" RETURNING id, phone");
        s
    }

    /// The importer's own SQLite connection, opened on the first batch: a large first batch into a small table
    /// makes this a bulk import, which defers the secondary indexes and commits every [`BULK_COMMIT_ROWS`].
    async fn sqlite_connection(
        &mut self,
        pool: &sqlx::SqlitePool,
        first_batch: usize,
    ) -> Result<sqlx::SqliteConnection, StoreError> {
        if let Some(conn) = self.sqlite_conn.take() {
            return Ok(conn);
        }
        // Measured: the writer gains nothing from a large page cache, which only adds to an import's resident
        // set, while counting queries need it. So the importer's connection leaves the pool with a small cache
        // and closes when the import ends.
        let mut conn = pool.acquire().await?.detach();
        sqlx::query("PRAGMA cache_size = -8192")
            .execute(&mut conn)
            .await?;
        // SQLite copies the WAL back into the database every 1,000 pages by default; an import rewrites the same
        // index pages batch after batch, so checkpointing every ~64 MB writes each page back once instead of many
        // times. Readers are unaffected.
        sqlx::query("PRAGMA wal_autocheckpoint = 16384")
            .execute(&mut conn)
            .await?;
        if first_batch >= BULK_BATCH
            && self.store.contact_count_all().await? < crate::bulk::SMALL_TABLE
        {
            crate::bulk::drop_secondary_indexes(&mut conn).await?;
            self.deferred_indexes = true;
        }
        Ok(conn)
    }

    async fn write(
        &mut self,
        tenant: TenantId,
        mut batch: Vec<ContactRecord>,
    ) -> Result<BatchOutcome, StoreError> {
        if batch.is_empty() {
            return Ok(BatchOutcome::default());
        }
        let now = jiff::Timestamp::now()
            .strftime("%Y-%m-%dT%H:%M:%S%.3fZ")
            .to_string();
        let mut max_before = Statement::new(self.store.backend());
        max_before.push("SELECT COALESCE(MAX(id), 0) FROM contacts");

        macro_rules! merge {
            ($conn:expr, $dialect:ident, $owned:ident) => {{
                let before: i64 = max_before
                    .$dialect()
                    .fetch_one(&mut *$conn)
                    .await?
                    .try_get(0)?;
                let mut ids: Vec<(i64, String)> = Vec::with_capacity(batch.len());
                // SQLite binds at most 32,766 values per statement: 20 columns × 1,000 rows stays under it. The
                // next chunk's statement is built while the database runs the current one (the driver works on
                // its own thread), and no more than two exist at once, so a batch is never copied whole.
                let chunks: Vec<&[ContactRecord]> = batch.chunks(UPSERT_CHUNK).collect();
                let mut next = chunks.first().map(|c| (self.upsert_statement(tenant, c, &now), c.len()));
                let mut following = chunks.iter().skip(1);
                while let Some((upsert, len)) = next.take() {
                    // Only full chunks share one SQL text: a prepared 20,000-parameter insert holds a megabyte or
                    // two, and caching every odd-sized last chunk would keep a hundred of them.
                    let query = upsert.$owned().persistent(len == UPSERT_CHUNK);
                    let (rows, built) = tokio::join!(query.fetch_all(&mut *$conn), async {
                        following.next().map(|c| (self.upsert_statement(tenant, c, &now), c.len()))
                    });
                    for r in rows? {
                        ids.push((r.try_get(0)?, r.try_get(1)?));
                    }
                    next = built;
                }
                for stmt in self.link_statements(&batch, &ids, before) {
                    // Link inserts vary in length: none is worth a place in the statement cache.
                    stmt.$owned().persistent(false).execute(&mut *$conn).await?;
                }
                (before, ids)
            }};
        }
        let (before, returned) = match self.store.clone() {
            Store::Sqlite(pool) => {
                let mut conn = self.sqlite_connection(&pool, batch.len()).await?;
                // Bulk imports insert in phone order: the unique phone index is the one being written all over,
                // and sorted keys reach each of its pages once per batch. Otherwise the state, ZIP and latitude
                // indexes are live too, and ZIP order keeps their writes on neighbouring pages.
                if self.deferred_indexes {
                    batch.sort_unstable_by(|a, b| a.phone.as_str().cmp(b.phone.as_str()));
                } else {
                    batch.sort_unstable_by(|a, b| {
                        a.zip.cmp(&b.zip).then_with(|| a.phone.cmp(&b.phone))
                    });
                }
                let result = match self.begin_batch(tenant, &batch, &mut conn).await {
                    Ok(()) => {
                        let merged = {
                            let conn = &mut conn;
                            async { Ok::<_, StoreError>(merge!(conn, sqlite, into_sqlite)) }.await
                        };
                        let ended = self.end_batch(&mut conn, merged.is_ok(), batch.len()).await;
                        // The merge's own error says more than any from rolling back after it.
                        merged.and_then(|merged| ended.map(|()| merged))
                    }
                    Err(e) => Err(e),
                };
                self.sqlite_conn = Some(conn);
                result?
            }
            Store::Postgres(pool) => {
                batch
                    .sort_unstable_by(|a, b| a.zip.cmp(&b.zip).then_with(|| a.phone.cmp(&b.phone)));
                self.ensure_issues(tenant, &batch, None).await?;
                let mut tx = pool.begin().await?;
                let result = merge!(tx, postgres, into_postgres);
                tx.commit().await?;
                result
            }
        };
        // Ids only grow, and batches are written one at a time, so an id above the old maximum is a new row.
        let inserted = returned.iter().filter(|(id, _)| *id > before).count() as u64;
        Ok(BatchOutcome {
            inserted,
            merged: returned.len() as u64 - inserted,
        })
    }

    /// Opens the import's transaction if none is open, creates the batch's new issues in it, and opens a
    /// savepoint for the batch's rows: a failed batch is rolled back whole while the batches before it stay.
    async fn begin_batch(
        &mut self,
        tenant: TenantId,
        batch: &[ContactRecord],
        conn: &mut sqlx::SqliteConnection,
    ) -> Result<(), StoreError> {
        if self.uncommitted.is_none() {
            sqlx::query("BEGIN IMMEDIATE").execute(&mut *conn).await?;
            self.uncommitted = Some(0);
        }
        self.ensure_issues(tenant, batch, Some(&mut *conn)).await?;
        sqlx::query("SAVEPOINT import_batch")
            .execute(&mut *conn)
            .await?;
        Ok(())
    }

    /// Releases (or rolls back) the batch's savepoint, and commits when the transaction holds enough rows: every
    /// batch when the indexes are live (other writers wait on an open transaction), every [`BULK_COMMIT_ROWS`]
    /// in a bulk import.
    async fn end_batch(
        &mut self,
        conn: &mut sqlx::SqliteConnection,
        ok: bool,
        rows: usize,
    ) -> Result<(), StoreError> {
        let Some(open) = self.uncommitted else {
            return Ok(());
        };
        if !ok {
            sqlx::query("ROLLBACK TO import_batch")
                .execute(&mut *conn)
                .await?;
            sqlx::query("RELEASE import_batch")
                .execute(&mut *conn)
                .await?;
            return Ok(());
        }
        sqlx::query("RELEASE import_batch")
            .execute(&mut *conn)
            .await?;
        let open = open + rows;
        if !self.deferred_indexes || open >= BULK_COMMIT_ROWS {
            self.commit(conn).await
        } else {
            self.uncommitted = Some(open);
            Ok(())
        }
    }

    async fn commit(&mut self, conn: &mut sqlx::SqliteConnection) -> Result<(), StoreError> {
        if self.uncommitted.take().is_some() {
            sqlx::query("COMMIT").execute(&mut *conn).await?;
        }
        Ok(())
    }

    /// Issue and region links for the contacts just written.
    /// `before` is the highest contact id before the batch: contacts above it are new and have no old regions.
    fn link_statements(
        &self,
        batch: &[ContactRecord],
        ids: &[(i64, String)],
        before: i64,
    ) -> Vec<Statement> {
        let backend = self.store.backend();
        let by_phone: HashMap<&str, i64> = ids
            .iter()
            .map(|(id, phone)| (phone.as_str(), *id))
            .collect();
        let mut issue_pairs = Vec::new();
        let mut region_rows = Vec::new();
        let mut relocated = Vec::new();
        for c in batch {
            let Some(&id) = by_phone.get(c.phone.as_str()) else {
                continue;
            };
            issue_pairs.extend(
                c.issues
                    .iter()
                    .filter_map(|i| self.issue_ids.get(i))
                    .map(|&issue| (id, issue)),
            );
            if self.replace_regions && c.lat.is_some() && id <= before {
                relocated.push(id);
            }
            region_rows.extend(
                c.regions
                    .iter()
                    .map(|r| (id, r.layer_id, r.region_id, r.method.as_str())),
            );
        }
        let mut out = Vec::new();
        // SQLite allows 32766 parameters per statement; stay well under it.
        for chunk in relocated.chunks(5000) {
            let mut s = Statement::new(backend);
            s.push("DELETE FROM contact_regions WHERE contact_id IN (");
            for (i, id) in chunk.iter().enumerate() {
                if i > 0 {
                    s.push(", ");
                }
                s.bind(Value::Int(Some(*id)));
            }
            s.push(")");
            out.push(s);
        }
        for chunk in issue_pairs.chunks(5000) {
            let mut s = Statement::new(backend);
            s.push("INSERT INTO contact_issues (contact_id, issue_id) VALUES ");
            for (i, (contact, issue)) in chunk.iter().enumerate() {
                s.push(if i == 0 { "(" } else { ", (" });
                s.bind(Value::Int(Some(*contact)))
                    .push(", ")
                    .bind(Value::Int(Some(*issue)))
                    .push(")");
            }
            s.push(" ON CONFLICT DO NOTHING");
            out.push(s);
        }
        for chunk in region_rows.chunks(4000) {
            let mut s = Statement::new(backend);
            s.push("INSERT INTO contact_regions (contact_id, layer_id, region_id, method) VALUES ");
            for (i, (contact, layer, region, method)) in chunk.iter().enumerate() {
                s.push(if i == 0 { "(" } else { ", (" });
                s.bind(Value::Int(Some(*contact)))
                    .push(", ")
                    .bind(Value::Int(Some(*layer)))
                    .push(", ");
                s.bind(Value::Int(Some(*region)))
                    .push(", ")
                    .bind(Value::Text(Some((*method).to_owned())))
                    .push(")");
            }
            s.push(" ON CONFLICT (contact_id, layer_id) DO UPDATE SET region_id = excluded.region_id, ");
            s.push("method = excluded.method");
            out.push(s);
        }
        out
    }

    /// Makes sure every issue named in the batch has an id, creating new ones.
    ///
    /// On SQLite the importer's own connection writes them: it holds the write lock across batches, so another
    /// connection of the pool would wait for it until the busy timeout.
    async fn ensure_issues(
        &mut self,
        tenant: TenantId,
        batch: &[ContactRecord],
        mut conn: Option<&mut sqlx::SqliteConnection>,
    ) -> Result<(), StoreError> {
        let mut missing: Vec<&str> = Vec::new();
        for issue in batch.iter().flat_map(|c| &c.issues) {
            if !self.issue_ids.contains_key(issue) && !missing.contains(&issue.as_str()) {
                missing.push(issue);
            }
        }
        for name in missing {
            let mut s = Statement::new(self.store.backend());
            s.push("INSERT INTO issues (tenant_id, name) VALUES (")
                .bind(Value::Int(Some(tenant.0)))
                .push(", ");
            s.bind(Value::Text(Some(name.to_owned())));
            s.push(
                ") ON CONFLICT (tenant_id, name) DO UPDATE SET name = excluded.name RETURNING id",
            );
            let id: i64 = match (&self.store, conn.as_deref_mut()) {
                (_, Some(conn)) => s.sqlite().fetch_one(conn).await?.try_get(0)?,
                (Store::Sqlite(pool), None) => s.sqlite().fetch_one(pool).await?.try_get(0)?,
                (Store::Postgres(pool), None) => s.postgres().fetch_one(pool).await?.try_get(0)?,
            };
            self.issue_ids.insert(name.to_owned(), id);
        }
        Ok(())
    }
}

impl ContactWriter {
    /// Ends the import: rebuilds deferred indexes, checkpoints, and closes the importer's own connection.
    async fn finish_import(&mut self) -> Result<(), StoreError> {
        if let Some(mut conn) = self.sqlite_conn.take() {
            self.commit(&mut conn).await?;
            if self.deferred_indexes {
                // The pool keeps temporary data in memory (statement journals stay off the disk), but the
                // rebuild sorts every row: on disk, that sort stays within the page cache's memory.
                sqlx::query("PRAGMA temp_store = FILE")
                    .execute(&mut conn)
                    .await?;
                crate::bulk::create_secondary_indexes(&mut conn).await?;
                self.deferred_indexes = false;
            }
            sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
                .execute(&mut conn)
                .await?;
            sqlx::Connection::close(conn).await?;
        }
        Ok(())
    }
}

impl ContactSink for ContactWriter {
    async fn write_batch(
        &mut self,
        tenant: TenantId,
        batch: Vec<ContactRecord>,
    ) -> Result<BatchOutcome, PortError> {
        self.write(tenant, batch)
            .await
            .map_err(|e| Box::new(e) as PortError)
    }

    async fn finish(&mut self) -> Result<(), PortError> {
        self.finish_import()
            .await
            .map_err(|e| Box::new(e) as PortError)
    }
}

/// A contact as listed in previews.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ContactRow {
    /// Primary key.
    pub id: i64,
    /// E.164 phone.
    pub phone: String,
    /// Given name.
    pub given_name: Option<String>,
    /// Family name.
    pub family_name: Option<String>,
    /// ZIP.
    pub zip: Option<String>,
    /// State.
    pub state: Option<String>,
    /// County name.
    pub county_name: Option<String>,
    /// Time zone.
    pub time_zone: Option<String>,
    /// How the location was found.
    pub geo_source: Option<String>,
    /// Issue tags, sorted.
    pub issues: Vec<String>,
    /// Custom attributes.
    pub attrs: serde_json::Value,
    /// Opted out of all messages.
    pub opted_out: bool,
}

impl Store {
    /// Contacts of every tenant: what a bulk load's index rebuild will have to sort.
    async fn contact_count_all(&self) -> Result<i64, StoreError> {
        let mut s = Statement::new(self.backend());
        s.push("SELECT count(*) FROM contacts");
        Ok(match self {
            Store::Sqlite(pool) => s.sqlite().fetch_one(pool).await?.try_get(0)?,
            Store::Postgres(pool) => s.postgres().fetch_one(pool).await?.try_get(0)?,
        })
    }

    /// Total contacts of a tenant.
    pub async fn contact_count(&self, tenant: TenantId) -> Result<i64, StoreError> {
        let mut s = Statement::new(self.backend());
        s.push("SELECT count(*) FROM contacts WHERE tenant_id = ")
            .bind(Value::Int(Some(tenant.0)));
        Ok(match self {
            Store::Sqlite(pool) => s.sqlite().fetch_one(pool).await?.try_get(0)?,
            Store::Postgres(pool) => s.postgres().fetch_one(pool).await?.try_get(0)?,
        })
    }

    /// One contact by phone, for tests and support.
    pub async fn contact_by_phone(
        &self,
        tenant: TenantId,
        phone: &str,
    ) -> Result<Option<ContactRow>, StoreError> {
        let mut s = Statement::new(self.backend());
        s.push(&crate::segments::preview_select(self.backend()));
        s.push(" FROM contacts c WHERE c.tenant_id = ")
            .bind(Value::Int(Some(tenant.0)));
        s.push(" AND c.phone = ")
            .bind(Value::Text(Some(phone.to_owned())));
        let mut rows = crate::segments::fetch_contact_rows(self, &s).await?;
        Ok(rows.pop())
    }
}
