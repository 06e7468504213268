//! Carrier profiles: the limits content is adapted to, kept in the database so operators can edit them.
//!
//! The store deals in a profile's name and its spec as JSON; `canvass-media` owns the spec's shape and validates
//! it. Rows seeded from the shipped defaults are marked `builtin`; an operator's edit clears the mark, and from then
//! on seeding never touches that row again.

use crate::sql::{Statement, Value};
use crate::{Backend, Store, StoreError};
use sqlx::Row;

/// A carrier profile as stored.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct StoredCarrierProfile {
    /// Its name, e.g. `att-long-code`.
    pub name: String,
    /// The profile as JSON (the shape `canvass_media::profile::CarrierProfile` reads).
    pub spec: serde_json::Value,
    /// Still the shipped default (seeding may refresh it); `false` once an operator has edited it.
    pub builtin: bool,
    /// When the row last changed, RFC 3339 in UTC.
    pub updated_at: String,
}

/// What seeding the defaults did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct SeedSummary {
    /// Defaults that were missing and were added.
    pub inserted: u64,
    /// Untouched built-in rows brought up to the shipped spec.
    pub refreshed: u64,
    /// Rows an operator has edited, left as they are.
    pub kept_edited: u64,
}

/// The current time as the column default writes it.
pub(crate) fn now(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
        Backend::Postgres => "now()",
    }
}

/// A timestamp column read back as RFC 3339 text in UTC, the same on both backends.
pub(crate) fn timestamp_text(backend: Backend, column: &str) -> String {
    match backend {
        Backend::Sqlite => column.to_owned(),
        Backend::Postgres => {
            format!("to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')")
        }
    }
}

/// Parses a JSON text column, naming the row when it is not JSON.
pub(crate) fn json_column(what: &str, text: &str) -> Result<serde_json::Value, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt(format!("{what}: {e}")))
}

impl Store {
    /// Every carrier profile, by name.
    pub async fn list_carrier_profiles(&self) -> Result<Vec<StoredCarrierProfile>, StoreError> {
        self.select_profiles(None).await
    }

    /// One carrier profile by name, if it exists.
    pub async fn carrier_profile(
        &self,
        name: &str,
    ) -> Result<Option<StoredCarrierProfile>, StoreError> {
        Ok(self.select_profiles(Some(name)).await?.into_iter().next())
    }

    /// Creates or replaces a profile as an operator's edit: the row stops being built-in, so seeding at boot will
    /// never overwrite it. The caller validates the spec first (`canvass_media::profile::defaults::profile_from_spec`).
    pub async fn upsert_carrier_profile(
        &self,
        name: &str,
        spec: &serde_json::Value,
    ) -> Result<(), StoreError> {
        let backend = self.backend();
        let mut s = Statement::new(backend);
        s.push("INSERT INTO carrier_profiles (name, spec, builtin) VALUES (")
            .bind(Value::Text(Some(name.to_owned())))
            .push(", ")
            .bind(Value::Text(Some(spec.to_string())))
            .push(", ")
            .bind(Value::Bool(false));
        s.push(") ON CONFLICT (name) DO UPDATE SET spec = excluded.spec, builtin = excluded.builtin, updated_at = ");
        s.push(now(backend));
        crate::execute!(self, s)?;
        Ok(())
    }

    /// Adds the shipped defaults that are missing, and refreshes built-in rows whose shipped spec changed; a row
    /// an operator has edited is never overwritten. Safe to run at every start, from several nodes at once.
    pub async fn seed_carrier_profiles(
        &self,
        defaults: &[(String, serde_json::Value)],
    ) -> Result<SeedSummary, StoreError> {
        let backend = self.backend();
        let mut summary = SeedSummary::default();
        for (name, spec) in defaults {
            let spec = spec.to_string();
            let mut insert = Statement::new(backend);
            insert
                .push("INSERT INTO carrier_profiles (name, spec, builtin) VALUES (")
                .bind(Value::Text(Some(name.clone())))
                .push(", ")
                .bind(Value::Text(Some(spec.clone())))
                .push(", ")
                .bind(Value::Bool(true))
                .push(") ON CONFLICT (name) DO NOTHING");
            if crate::execute!(self, insert)? > 0 {
                summary.inserted += 1;
                continue;
            }
            let mut refresh = Statement::new(backend);
            refresh
                .push("UPDATE carrier_profiles SET spec = ")
                .bind(Value::Text(Some(spec.clone())))
                .push(", updated_at = ")
                .push(now(backend))
                .push(" WHERE name = ")
                .bind(Value::Text(Some(name.clone())))
                .push(" AND builtin AND spec <> ")
                .bind(Value::Text(Some(spec)));
            if crate::execute!(self, refresh)? > 0 {
                summary.refreshed += 1;
            } else if self
                .carrier_profile(name)
                .await?
                .is_some_and(|p| !p.builtin)
            {
                summary.kept_edited += 1;
            }
        }
        Ok(summary)
    }

    async fn select_profiles(
        &self,
        name: Option<&str>,
    ) -> Result<Vec<StoredCarrierProfile>, StoreError> {
        let backend = self.backend();
        let mut s = Statement::new(backend);
        s.push("SELECT name, spec, builtin, ")
            .push(&timestamp_text(backend, "updated_at"))
            .push(" FROM carrier_profiles");
        if let Some(name) = name {
            s.push(" WHERE name = ")
                .bind(Value::Text(Some(name.to_owned())));
        }
        s.push(" ORDER BY name");
        macro_rules! profiles {
            ($rows:expr) => {
                $rows
                    .iter()
                    .map(|r| {
                        let name: String = r.try_get(0)?;
                        let spec: String = r.try_get(1)?;
                        Ok(StoredCarrierProfile {
                            spec: json_column(&format!("carrier profile {name}"), &spec)?,
                            name,
                            builtin: r.try_get(2)?,
                            updated_at: r.try_get(3)?,
                        })
                    })
                    .collect::<Result<Vec<_>, StoreError>>()
            };
        }
        match self {
            Store::Sqlite(pool) => profiles!(s.sqlite().fetch_all(pool).await?),
            Store::Postgres(pool) => profiles!(s.postgres().fetch_all(pool).await?),
        }
    }
}
