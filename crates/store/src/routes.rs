//! Carrier routes as stored: a name and a spec (JSON) that the server turns into a connector; and the route table,
//! the ordered rules (JSON, the shape `canvass_dispatch::routing::RoutingConfig` reads) that choose among them.

use crate::carriers::json_column;
use crate::sql::{Statement, Value};
use crate::{Store, StoreError};
use sqlx::Row;

/// A stored route.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct StoredRoute {
    /// Unique name; also the connector's name and the prefix of its carrier ids.
    pub name: String,
    /// The route's settings (the shape `canvass_server::sending::RouteSpec` reads).
    pub spec: serde_json::Value,
    /// Whether dispatch may use it.
    pub enabled: bool,
}

impl Store {
    /// Adds a route, or replaces the one with the same name.
    pub async fn put_route(
        &self,
        name: &str,
        spec: &serde_json::Value,
        now_ms: i64,
    ) -> Result<(), StoreError> {
        let mut s = Statement::new(self.backend());
        s.push("INSERT INTO routes (name, spec, enabled, updated_at) VALUES (")
            .bind(Value::Text(Some(name.to_owned())))
            .push(", ")
            .bind(Value::Text(Some(spec.to_string())))
            .push(", ")
            .bind(Value::Bool(true))
            .push(", ")
            .bind(Value::Int(Some(now_ms)))
            .push(") ON CONFLICT (name) DO UPDATE SET spec = excluded.spec, enabled = excluded.enabled, updated_at = excluded.updated_at");
        crate::execute!(self, s)?;
        Ok(())
    }

    /// Removes a route; returns whether it existed.
    pub async fn delete_route(&self, name: &str) -> Result<bool, StoreError> {
        let mut s = Statement::new(self.backend());
        s.push("DELETE FROM routes WHERE name = ")
            .bind(Value::Text(Some(name.to_owned())));
        Ok(match self {
            Store::Sqlite(pool) => s.sqlite().execute(pool).await?.rows_affected(),
            Store::Postgres(pool) => s.postgres().execute(pool).await?.rows_affected(),
        } > 0)
    }

    /// Every route, by name.
    pub async fn routes(&self) -> Result<Vec<StoredRoute>, StoreError> {
        let mut s = Statement::new(self.backend());
        s.push("SELECT name, spec, enabled FROM routes ORDER BY name");
        fetch_all!(self, s, r => {
            let name: String = r.try_get(0)?;
            let spec: String = r.try_get(1)?;
            StoredRoute {
                spec: json_column(&format!("route {name}"), &spec)?,
                name,
                enabled: r.try_get(2)?,
            }
        })
    }
}

impl Store {
    /// Replaces the route table with `rules` (checked by the caller; stored as given).
    pub async fn put_route_rules(
        &self,
        rules: &serde_json::Value,
        now_ms: i64,
    ) -> Result<(), StoreError> {
        let mut s = Statement::new(self.backend());
        s.push("INSERT INTO route_rules (id, rules, updated_at) VALUES (1, ")
            .bind(Value::Text(Some(rules.to_string())))
            .push(", ")
            .bind(Value::Int(Some(now_ms)))
            .push(") ON CONFLICT (id) DO UPDATE SET rules = excluded.rules, updated_at = excluded.updated_at");
        crate::execute!(self, s)?;
        Ok(())
    }

    /// The route table, if one is stored; without one, dispatch uses the first route that carries a channel.
    pub async fn route_rules(&self) -> Result<Option<serde_json::Value>, StoreError> {
        let mut s = Statement::new(self.backend());
        s.push("SELECT rules FROM route_rules WHERE id = 1");
        let text = fetch_optional!(self, s, r => r.try_get::<String, _>(0)?)?;
        text.map(|t| json_column("the route table", &t)).transpose()
    }

    /// Removes the route table; returns whether one was stored.
    pub async fn clear_route_rules(&self) -> Result<bool, StoreError> {
        let mut s = Statement::new(self.backend());
        s.push("DELETE FROM route_rules WHERE id = 1");
        Ok(match self {
            Store::Sqlite(pool) => s.sqlite().execute(pool).await?.rows_affected(),
            Store::Postgres(pool) => s.postgres().execute(pool).await?.rows_affected(),
        } > 0)
    }
}
