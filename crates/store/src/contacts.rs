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
        }
    }

    fn upsert_statement(&self, tenant: TenantId, batch: &[ContactRecord]) -> Statement {
        let backend = self.store.backend();
        let mut s = Statement::new(backend);
        s.push("INSERT INTO contacts (")
            .push(&CONTACT_COLUMNS.join(", "))
            .push(") VALUES ");
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
            s.bind(Value::Text(c.consent.evidence.clone())).push(")");
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
                sets.push("updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')".into());
            }
            Backend::Postgres => {
                sets.push("attrs = contacts.attrs || excluded.attrs".into());
                sets.push("opted_out = contacts.opted_out OR excluded.opted_out".into());
                sets.push("updated_at = now()".into());
            }
        }
        s.push(&sets.join(", ")).push(" RETURNING id, phone");
        s
    }

    async fn write(
        &mut self,
        tenant: TenantId,
        mut batch: Vec<ContactRecord>,
    ) -> Result<BatchOutcome, StoreError> {
        if batch.is_empty() {
            return Ok(BatchOutcome::default());
        }
        // Inserting in ZIP order keeps the state, ZIP and latitude indexes' writes on neighbouring pages; in file
        // order every row lands on a random page of each index, and the import slows as the table grows.
        batch.sort_unstable_by(|a, b| a.zip.cmp(&b.zip).then_with(|| a.phone.cmp(&b.phone)));
        self.ensure_issues(tenant, &batch).await?;
        let mut max_before = Statement::new(self.store.backend());
        max_before.push("SELECT COALESCE(MAX(id), 0) FROM contacts");

        // One transaction per batch: a crash leaves whole batches, never half a contact's issues. Large batches
        // matter on SQLite, where every transaction rewrites each index page it touched into the WAL.
        macro_rules! in_transaction {
            ($tx:expr, $dialect:ident) => {{
                let tx = &mut $tx;
                let before: i64 = max_before
                    .$dialect()
                    .fetch_one(&mut **tx)
                    .await?
                    .try_get(0)?;
                let mut ids: Vec<(i64, String)> = Vec::with_capacity(batch.len());
                // SQLite binds at most 32,766 values per statement: 18 columns × 1,000 rows stays under it. The
                // next chunk's statement is built while the database runs the current one (the driver works on
                // its own thread), and no more than two exist at once, so a batch is never copied whole.
                let chunks: Vec<&[ContactRecord]> = batch.chunks(1000).collect();
                let mut next = chunks.first().map(|c| self.upsert_statement(tenant, c));
                let mut following = chunks.iter().skip(1);
                while let Some(upsert) = next.take() {
                    let (rows, built) = tokio::join!(upsert.$dialect().fetch_all(&mut **tx), async {
                        following.next().map(|c| self.upsert_statement(tenant, c))
                    });
                    for r in rows? {
                        ids.push((r.try_get(0)?, r.try_get(1)?));
                    }
                    next = built;
                }
                for stmt in self.link_statements(&batch, &ids) {
                    stmt.$dialect().execute(&mut **tx).await?;
                }
                (before, ids)
            }};
        }
        let (before, returned) = match &self.store {
            Store::Sqlite(pool) => {
                let mut conn = match self.sqlite_conn.take() {
                    Some(conn) => conn,
                    None => {
                        // Measured: the writer gains nothing from a large page cache, which only adds to an
                        // import's resident set, while counting queries need it. So the importer's connection
                        // leaves the pool with a small cache and closes when the import ends.
                        let mut conn = pool.acquire().await?.detach();
                        sqlx::query("PRAGMA cache_size = -8192")
                            .execute(&mut conn)
                            .await?;
                        // SQLite copies the WAL back into the database every 1,000 pages by default; an import
                        // rewrites the same index pages batch after batch, so checkpointing every ~64 MB
                        // writes each page back once instead of many times. Readers are unaffected.
                        sqlx::query("PRAGMA wal_autocheckpoint = 16384")
                            .execute(&mut conn)
                            .await?;

                        // A full first batch means a large import: into a small table, it defers the
                        // secondary indexes.
                        if batch.len() >= BULK_BATCH
                            && self.store.contact_count_all().await? < crate::bulk::SMALL_TABLE
                        {
                            crate::bulk::drop_secondary_indexes(&mut conn).await?;
                            self.deferred_indexes = true;
                        }
                        conn
                    }
                };
                let mut tx = sqlx::Connection::begin(&mut conn).await?;
                let result = in_transaction!(tx, sqlite);
                tx.commit().await?;
                self.sqlite_conn = Some(conn);
                result
            }
            Store::Postgres(pool) => {
                let mut tx = pool.begin().await?;
                let result = in_transaction!(tx, postgres);
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

    /// Issue and region links for the contacts just written.
    fn link_statements(&self, batch: &[ContactRecord], ids: &[(i64, String)]) -> Vec<Statement> {
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
            if self.replace_regions && c.lat.is_some() {
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
    async fn ensure_issues(
        &mut self,
        tenant: TenantId,
        batch: &[ContactRecord],
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
            let id: i64 = match &self.store {
                Store::Sqlite(pool) => s.sqlite().fetch_one(pool).await?.try_get(0)?,
                Store::Postgres(pool) => s.postgres().fetch_one(pool).await?.try_get(0)?,
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
