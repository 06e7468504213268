//! Campaign rows, their lifecycle log, and the counts reports read: [`CampaignStore`] on both backends.
//! Expansion into the message queue lives in [`crate::expand`].

use crate::sql::{Statement, Value};
use crate::{Backend, Store, StoreError};
use canvass_campaigns::ports::{
    CampaignEvent, CampaignRecord, CampaignState, CampaignStore, CountRow, ExpandedChunk,
    ExpansionPlan, StoreFailure,
};
use canvass_types::{CampaignId, TenantId};
use sqlx::Row;

impl From<StoreError> for StoreFailure {
    fn from(e: StoreError) -> Self {
        StoreFailure(e.to_string())
    }
}

const COLUMNS: &str = "id, tenant_id, name, definition, state, frozen_through, expanded_through, created_at, \
                       updated_at";

fn parse_state(s: &str) -> Result<CampaignState, StoreError> {
    s.parse().map_err(StoreError::Corrupt)
}

/// A [`CampaignRecord`] from a row selected with [`COLUMNS`].
macro_rules! record {
    ($r:expr) => {
        CampaignRecord {
            id: CampaignId($r.try_get(0)?),
            tenant: TenantId($r.try_get(1)?),
            name: $r.try_get(2)?,
            definition: $r.try_get(3)?,
            state: parse_state(&$r.try_get::<String, _>(4)?)?,
            frozen_through: $r.try_get(5)?,
            expanded_through: $r.try_get(6)?,
            created_at: $r.try_get(7)?,
            updated_at: $r.try_get(8)?,
        }
    };
}

async fn select_campaigns(store: &Store, s: &Statement) -> Result<Vec<CampaignRecord>, StoreError> {
    fetch_all!(store, s, r => record!(r))
}

fn text(s: &str) -> Value {
    Value::Text(Some(s.to_owned()))
}

fn int(i: i64) -> Value {
    Value::Int(Some(i))
}

async fn transition(
    store: &Store,
    id: CampaignId,
    from: CampaignState,
    to: CampaignState,
    note: Option<&str>,
    now: i64,
) -> Result<bool, StoreError> {
    let backend = store.backend();
    let mut change = Statement::new(backend);
    change
        .push("UPDATE campaigns SET state = ")
        .bind(text(to.as_str()));
    change.push(", updated_at = ").bind(int(now));
    if from == CampaignState::Draft && to == CampaignState::Running {
        // The bound is fixed here, so contacts imported after launch never join the campaign.
        change.push(
            ", frozen_through = COALESCE(frozen_through, \
             (SELECT COALESCE(MAX(c.id), 0) FROM contacts c WHERE c.tenant_id = campaigns.tenant_id))",
        );
    }
    change.push(" WHERE id = ").bind(int(id.0));
    change.push(" AND state = ").bind(text(from.as_str()));

    let mut event = Statement::new(backend);
    event
        .push("INSERT INTO campaign_events (campaign_id, at, from_state, to_state, note) VALUES (");
    event.bind(int(id.0)).push(", ").bind(int(now)).push(", ");
    event
        .bind(text(from.as_str()))
        .push(", ")
        .bind(text(to.as_str()));
    event
        .push(", ")
        .bind(Value::Text(note.map(str::to_owned)))
        .push(")");

    // What the change does to the campaign's queued messages, if anything.
    let mut effect = Statement::new(backend);
    match (from, to) {
        // Held rows leave the due index (due_at NULL), so claims never see them.
        (_, CampaignState::Paused) => {
            effect.push("UPDATE messages SET due_at = NULL");
        }
        (CampaignState::Paused, CampaignState::Running) => {
            effect.push("UPDATE messages SET due_at = ").bind(int(now));
        }
        (_, CampaignState::Cancelled) => {
            effect.push(
                "UPDATE messages SET status = 'suppressed', error_code = 'cancelled', due_at = NULL, done_at = ",
            );
            effect.bind(int(now));
        }
        _ => {}
    }
    if !effect.sql.is_empty() {
        effect.push(" WHERE campaign_id = ").bind(int(id.0));
        effect.push(" AND status = 'queued'");
        if (from, to) == (CampaignState::Paused, CampaignState::Running) {
            effect.push(" AND due_at IS NULL");
        }
    }

    macro_rules! body {
        ($tx:ident, $d:ident) => {{
            let moved = change.$d().execute(&mut *$tx).await?.rows_affected() > 0;
            if moved {
                event.$d().execute(&mut *$tx).await?;
                if !effect.sql.is_empty() {
                    effect.$d().execute(&mut *$tx).await?;
                }
            }
            moved
        }};
    }
    Ok(in_transaction!(store, body))
}

async fn create(
    store: &Store,
    tenant: TenantId,
    name: &str,
    definition: &str,
    now: i64,
) -> Result<CampaignRecord, StoreError> {
    let backend = store.backend();
    let mut insert = Statement::new(backend);
    insert.push("INSERT INTO campaigns (tenant_id, name, definition, state, created_at, updated_at) VALUES (");
    insert
        .bind(int(tenant.0))
        .push(", ")
        .bind(text(name))
        .push(", ");
    insert.bind(text(definition)).push(", ");
    insert.bind(text(CampaignState::Draft.as_str())).push(", ");
    insert.bind(int(now)).push(", ").bind(int(now));
    insert.push(") RETURNING ").push(COLUMNS);
    let mut event = Statement::new(backend);
    event.push("INSERT INTO campaign_events (campaign_id, at, to_state) VALUES (");
    macro_rules! body {
        ($tx:ident, $d:ident) => {{
            let r = insert.$d().fetch_one(&mut *$tx).await?;
            let rec = record!(r);
            event
                .bind(int(rec.id.0))
                .push(", ")
                .bind(int(now))
                .push(", ");
            event.bind(text(CampaignState::Draft.as_str())).push(")");
            event.$d().execute(&mut *$tx).await?;
            rec
        }};
    }
    Ok(in_transaction!(store, body))
}

impl CampaignStore for Store {
    async fn create_campaign(
        &self,
        tenant: TenantId,
        name: &str,
        definition: &str,
        now: i64,
    ) -> Result<CampaignRecord, StoreFailure> {
        Ok(create(self, tenant, name, definition, now).await?)
    }

    async fn update_definition(
        &self,
        id: CampaignId,
        definition: &str,
        now: i64,
    ) -> Result<(), StoreFailure> {
        let mut s = Statement::new(self.backend());
        s.push("UPDATE campaigns SET definition = ")
            .bind(text(definition));
        s.push(", updated_at = ").bind(int(now));
        s.push(" WHERE id = ").bind(int(id.0));
        s.push(" AND state = 'draft'");
        let changed = crate::execute!(self, s).map_err(StoreError::from)?;
        if changed == 0 {
            return Err(StoreFailure(format!(
                "campaign {} is not a draft (or does not exist)",
                id.0
            )));
        }
        Ok(())
    }

    async fn campaign_by_name(
        &self,
        tenant: TenantId,
        name: &str,
    ) -> Result<Option<CampaignRecord>, StoreFailure> {
        let mut s = Statement::new(self.backend());
        s.push("SELECT ")
            .push(COLUMNS)
            .push(" FROM campaigns WHERE tenant_id = ");
        s.bind(int(tenant.0)).push(" AND name = ").bind(text(name));
        Ok(select_campaigns(self, &s).await?.pop())
    }

    async fn campaign(&self, id: CampaignId) -> Result<Option<CampaignRecord>, StoreFailure> {
        let mut s = Statement::new(self.backend());
        s.push("SELECT ")
            .push(COLUMNS)
            .push(" FROM campaigns WHERE id = ");
        s.bind(int(id.0));
        Ok(select_campaigns(self, &s).await?.pop())
    }

    async fn campaigns(&self, tenant: TenantId) -> Result<Vec<CampaignRecord>, StoreFailure> {
        let mut s = Statement::new(self.backend());
        s.push("SELECT ")
            .push(COLUMNS)
            .push(" FROM campaigns WHERE tenant_id = ");
        s.bind(int(tenant.0))
            .push(" ORDER BY created_at DESC, id DESC");
        Ok(select_campaigns(self, &s).await?)
    }

    async fn running_campaigns(&self) -> Result<Vec<CampaignRecord>, StoreFailure> {
        let mut s = Statement::new(self.backend());
        s.push("SELECT ")
            .push(COLUMNS)
            .push(" FROM campaigns WHERE state = 'running' ORDER BY id");
        Ok(select_campaigns(self, &s).await?)
    }

    async fn transition(
        &self,
        id: CampaignId,
        from: CampaignState,
        to: CampaignState,
        note: Option<&str>,
        now: i64,
    ) -> Result<bool, StoreFailure> {
        Ok(transition(self, id, from, to, note, now).await?)
    }

    async fn campaign_events(&self, id: CampaignId) -> Result<Vec<CampaignEvent>, StoreFailure> {
        let mut s = Statement::new(self.backend());
        s.push("SELECT at, from_state, to_state, note FROM campaign_events WHERE campaign_id = ");
        s.bind(int(id.0)).push(" ORDER BY id");
        let rows = fetch_all!(self, s, r => {
            let from: Option<String> = r.try_get(1)?;
            CampaignEvent {
                at: r.try_get(0)?,
                from: from.as_deref().map(parse_state).transpose()?,
                to: parse_state(&r.try_get::<String, _>(2)?)?,
                note: r.try_get(3)?,
            }
        })?;
        Ok(rows)
    }

    async fn expand_chunk(
        &self,
        plan: &ExpansionPlan,
        chunk: usize,
    ) -> Result<ExpandedChunk, StoreFailure> {
        Ok(crate::expand::expand_chunk(self, plan, chunk).await?)
    }

    async fn campaign_counts(&self, id: CampaignId) -> Result<Vec<CountRow>, StoreFailure> {
        let mut s = Statement::new(self.backend());
        s.push(
            "SELECT m.variant, c.state, m.status, count(*) FROM messages m \
             LEFT JOIN contacts c ON c.id = m.contact_id WHERE m.campaign_id = ",
        );
        s.bind(int(id.0));
        s.push(" GROUP BY m.variant, c.state, m.status ORDER BY m.variant, c.state, m.status");
        let rows = fetch_all!(self, s, r => CountRow {
            variant: r.try_get(0)?,
            state: r.try_get(1)?,
            status: r.try_get(2)?,
            count: r.try_get(3)?,
        })?;
        Ok(rows)
    }

    async fn enqueue_single(
        &self,
        campaign: CampaignId,
        tenant: TenantId,
        phone: &str,
        variant: &str,
        due_at: i64,
        now: i64,
    ) -> Result<i64, StoreFailure> {
        let mut s = Statement::new(self.backend());
        s.push(
            "INSERT INTO messages (tenant_id, campaign_id, contact_id, phone, variant, status, due_at, created_at) \
             VALUES (",
        );
        s.bind(int(tenant.0)).push(", ").bind(int(campaign.0));
        s.push(", (SELECT id FROM contacts WHERE tenant_id = ")
            .bind(int(tenant.0));
        s.push(" AND phone = ").bind(text(phone)).push("), ");
        s.bind(text(phone)).push(", ").bind(text(variant));
        s.push(", 'queued', ")
            .bind(int(due_at))
            .push(", ")
            .bind(int(now));
        s.push(") RETURNING id");
        let id = fetch_optional!(self, s, r => r.try_get::<i64, _>(0)?)?;
        id.ok_or_else(|| StoreFailure("insert returned no id".to_owned()))
    }
}

impl Store {
    /// A campaign's messages counted by status, for progress bars (reads the `messages_campaign` index only).
    pub async fn message_counts_by_status(
        &self,
        campaign: CampaignId,
    ) -> Result<Vec<(String, i64)>, StoreError> {
        let mut s = Statement::new(self.backend());
        s.push("SELECT status, count(*) FROM messages WHERE campaign_id = ");
        s.bind(int(campaign.0))
            .push(" GROUP BY status ORDER BY status");
        fetch_all!(self, s, r => (r.try_get(0)?, r.try_get(1)?))
    }
}

/// `true`/`false` literals: SQLite has no boolean type.
pub(crate) fn bool_literal(backend: Backend, b: bool) -> &'static str {
    match (backend, b) {
        (Backend::Sqlite, true) => "1",
        (Backend::Sqlite, false) => "0",
        (Backend::Postgres, true) => "true",
        (Backend::Postgres, false) => "false",
    }
}
