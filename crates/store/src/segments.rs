//! Counting, previewing and breaking down segments, and saving them by name.

use crate::contacts::ContactRow;
use crate::sql::{Statement, Value};
use crate::{Backend, Store, StoreError};
use canvass_audience::segment::{Checked, Dialect, to_sql};
use canvass_types::TenantId;
use sqlx::Row;

/// A saved, named segment.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SavedSegment {
    /// Its name, unique per tenant.
    pub name: String,
    /// The expression as written.
    pub expression: String,
}

/// What to group a segment's contacts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Breakdown {
    /// USPS state.
    State,
    /// Issue tag (a contact with several issues counts once under each).
    Issue,
}

fn dialect(backend: Backend) -> Dialect {
    match backend {
        Backend::Sqlite => Dialect::Sqlite,
        Backend::Postgres => Dialect::Postgres,
    }
}

/// `FROM contacts c WHERE c.tenant_id = ?1 AND (<segment>)`, with the segment's values bound after the tenant.
fn segment_filter(
    s: &mut Statement,
    tenant: TenantId,
    segment: Option<&Checked>,
    backend: Backend,
) {
    s.push(" FROM contacts c WHERE c.tenant_id = ")
        .bind(Value::Int(Some(tenant.0)));
    if let Some(checked) = segment {
        let filter = to_sql(checked, dialect(backend), tenant.0, s.next_param());
        s.push(" AND (");
        s.push_fragment(&filter.sql, filter.params.iter().map(Value::from));
        s.push(")");
    }
}

/// The select list of [`ContactRow`], over `contacts c` (the caller adds the FROM clause).
pub(crate) fn preview_select(backend: Backend) -> String {
    let issues = match backend {
        Backend::Sqlite => {
            "(SELECT group_concat(name, '|') FROM (SELECT i.name FROM contact_issues ci \
                            JOIN issues i ON i.id = ci.issue_id WHERE ci.contact_id = c.id ORDER BY i.name))"
        }
        Backend::Postgres => {
            "(SELECT string_agg(i.name, '|' ORDER BY i.name) FROM contact_issues ci \
                              JOIN issues i ON i.id = ci.issue_id WHERE ci.contact_id = c.id)"
        }
    };
    let attrs = match backend {
        Backend::Sqlite => "c.attrs",
        Backend::Postgres => "c.attrs::text",
    };
    format!(
        "SELECT c.id, c.phone, c.given_name, c.family_name, c.zip, c.state, c.county_name, c.time_zone, \
         c.geo_source, {issues} AS issues, {attrs} AS attrs, c.opted_out"
    )
}

pub(crate) async fn fetch_contact_rows(
    store: &Store,
    s: &Statement,
) -> Result<Vec<ContactRow>, StoreError> {
    macro_rules! rows {
        ($rows:expr) => {
            $rows
                .iter()
                .map(|r| {
                    let issues: Option<String> = r.try_get(9)?;
                    let attrs: String = r.try_get(10)?;
                    Ok(ContactRow {
                        id: r.try_get(0)?,
                        phone: r.try_get(1)?,
                        given_name: r.try_get(2)?,
                        family_name: r.try_get(3)?,
                        zip: r.try_get(4)?,
                        state: r.try_get(5)?,
                        county_name: r.try_get(6)?,
                        time_zone: r.try_get(7)?,
                        geo_source: r.try_get(8)?,
                        issues: issues
                            .map(|s| s.split('|').map(str::to_owned).collect())
                            .unwrap_or_default(),
                        attrs: serde_json::from_str(&attrs)
                            .map_err(|e| StoreError::Corrupt(e.to_string()))?,
                        opted_out: r.try_get(11)?,
                    })
                })
                .collect::<Result<Vec<_>, StoreError>>()
        };
    }
    match store {
        Store::Sqlite(pool) => rows!(s.sqlite().fetch_all(pool).await?),
        Store::Postgres(pool) => rows!(s.postgres().fetch_all(pool).await?),
    }
}

impl Store {
    /// The kinds of region layer a tenant has imported: the region fields its segments may use.
    pub async fn region_kinds(&self, tenant: TenantId) -> Result<Vec<String>, StoreError> {
        let mut s = Statement::new(self.backend());
        s.push("SELECT kind FROM region_layers WHERE tenant_id = ")
            .bind(Value::Int(Some(tenant.0)));
        s.push(" ORDER BY kind");
        Ok(match self {
            Store::Sqlite(pool) => s
                .sqlite()
                .fetch_all(pool)
                .await?
                .iter()
                .map(|r| r.try_get(0))
                .collect::<Result<_, _>>()?,
            Store::Postgres(pool) => s
                .postgres()
                .fetch_all(pool)
                .await?
                .iter()
                .map(|r| r.try_get(0))
                .collect::<Result<_, _>>()?,
        })
    }

    /// How many of a tenant's contacts match a segment (all contacts when `segment` is `None`).
    pub async fn count_segment(
        &self,
        tenant: TenantId,
        segment: Option<&Checked>,
    ) -> Result<i64, StoreError> {
        let mut s = Statement::new(self.backend());
        s.push("SELECT count(*)");
        segment_filter(&mut s, tenant, segment, self.backend());
        Ok(match self {
            Store::Sqlite(pool) => s.sqlite().fetch_one(pool).await?.try_get(0)?,
            Store::Postgres(pool) => s.postgres().fetch_one(pool).await?.try_get(0)?,
        })
    }

    /// The first `limit` matching contacts in id order.
    pub async fn preview_segment(
        &self,
        tenant: TenantId,
        segment: Option<&Checked>,
        limit: i64,
    ) -> Result<Vec<ContactRow>, StoreError> {
        let backend = self.backend();
        let mut s = Statement::new(backend);
        s.push(&preview_select(backend));
        segment_filter(&mut s, tenant, segment, backend);
        s.push(" ORDER BY c.id LIMIT ")
            .bind(Value::Int(Some(limit)));
        fetch_contact_rows(self, &s).await
    }

    /// Matching contacts counted per state or per issue, largest first.
    pub async fn segment_breakdown(
        &self,
        tenant: TenantId,
        segment: Option<&Checked>,
        by: Breakdown,
    ) -> Result<Vec<(String, i64)>, StoreError> {
        let backend = self.backend();
        let mut s = Statement::new(backend);
        match by {
            Breakdown::State => {
                s.push("SELECT COALESCE(c.state, '?') AS k, count(*) AS n");
                segment_filter(&mut s, tenant, segment, backend);
                s.push(" GROUP BY k ORDER BY n DESC, k");
            }
            Breakdown::Issue => {
                s.push("SELECT i.name AS k, count(*) AS n FROM contact_issues ci JOIN issues i ON i.id = ci.issue_id ");
                s.push("WHERE ci.contact_id IN (SELECT c.id");
                segment_filter(&mut s, tenant, segment, backend);
                s.push(") GROUP BY i.name ORDER BY n DESC, k");
            }
        }
        macro_rules! pairs {
            ($rows:expr) => {
                $rows
                    .iter()
                    .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
                    .collect::<Result<Vec<_>, sqlx::Error>>()?
            };
        }
        Ok(match self {
            Store::Sqlite(pool) => pairs!(s.sqlite().fetch_all(pool).await?),
            Store::Postgres(pool) => pairs!(s.postgres().fetch_all(pool).await?),
        })
    }

    /// Saves (or replaces) a named segment. The caller checks the expression first.
    pub async fn save_segment(
        &self,
        tenant: TenantId,
        name: &str,
        expression: &str,
    ) -> Result<(), StoreError> {
        let mut s = Statement::new(self.backend());
        s.push("INSERT INTO segments (tenant_id, name, expression) VALUES (")
            .bind(Value::Int(Some(tenant.0)));
        s.push(", ")
            .bind(Value::Text(Some(name.to_owned())))
            .push(", ")
            .bind(Value::Text(Some(expression.to_owned())));
        s.push(") ON CONFLICT (tenant_id, name) DO UPDATE SET expression = excluded.expression, updated_at = ");
        s.push(match self.backend() {
            Backend::Sqlite => "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
            Backend::Postgres => "now()",
        });
        crate::execute!(self, s)?;
        Ok(())
    }

    /// All saved segments of a tenant, by name.
    pub async fn list_segments(&self, tenant: TenantId) -> Result<Vec<SavedSegment>, StoreError> {
        let mut s = Statement::new(self.backend());
        s.push("SELECT name, expression FROM segments WHERE tenant_id = ")
            .bind(Value::Int(Some(tenant.0)));
        s.push(" ORDER BY name");
        macro_rules! segs {
            ($rows:expr) => {
                $rows
                    .iter()
                    .map(|r| {
                        Ok(SavedSegment {
                            name: r.try_get(0)?,
                            expression: r.try_get(1)?,
                        })
                    })
                    .collect::<Result<Vec<_>, sqlx::Error>>()?
            };
        }
        Ok(match self {
            Store::Sqlite(pool) => segs!(s.sqlite().fetch_all(pool).await?),
            Store::Postgres(pool) => segs!(s.postgres().fetch_all(pool).await?),
        })
    }

    /// A saved segment's expression by name.
    pub async fn segment_expression(
        &self,
        tenant: TenantId,
        name: &str,
    ) -> Result<String, StoreError> {
        self.list_segments(tenant)
            .await?
            .into_iter()
            .find(|s| s.name == name)
            .map(|s| s.expression)
            .ok_or_else(|| StoreError::NotFound(format!("segment {name:?}")))
    }
}
