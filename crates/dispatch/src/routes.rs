//! The connectors dispatch can use, by name, with the route table that picks among them.

use crate::routing::{RouteQuery, RouteTable};
use canvass_connectors::Connector;
use canvass_types::Channel;
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// One named connector.
pub struct Route {
    /// Its name (a route in the route table).
    pub name: String,
    /// The connector.
    pub connector: Arc<dyn Connector>,
    healthy: AtomicBool,
}

impl std::fmt::Debug for Route {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Route")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

impl Route {
    /// Whether the last health check (or submit) found it working.
    pub fn is_healthy(&self) -> bool {
        self.healthy.load(Ordering::Relaxed)
    }

    /// Records the connector's health.
    pub fn set_healthy(&self, healthy: bool) {
        self.healthy.store(healthy, Ordering::Relaxed);
    }
}

/// Every route, and the table choosing among them.
#[derive(Debug)]
pub struct Routes {
    by_name: HashMap<String, Arc<Route>>,
    order: Vec<Arc<Route>>,
    table: Option<RouteTable>,
}

impl Routes {
    /// Routes over `connectors` (named by [`Connector::name`]); `table` picks among them, or, without one, the
    /// first connector that carries the channel.
    pub fn new(connectors: Vec<Arc<dyn Connector>>, table: Option<RouteTable>) -> Self {
        let order: Vec<Arc<Route>> = connectors
            .into_iter()
            .map(|connector| {
                Arc::new(Route {
                    name: connector.name().to_owned(),
                    connector,
                    healthy: AtomicBool::new(true),
                })
            })
            .collect();
        let by_name = order.iter().map(|r| (r.name.clone(), r.clone())).collect();
        Routes {
            by_name,
            order,
            table,
        }
    }

    /// A route by name.
    pub fn get(&self, name: &str) -> Option<&Arc<Route>> {
        self.by_name.get(name)
    }

    /// Every route.
    pub fn all(&self) -> &[Arc<Route>] {
        &self.order
    }

    /// The routes to try for a message, in order: healthy ones first, then the rest (a route marked unhealthy
    /// may have recovered; trying it beats failing the message).
    pub fn candidates(&self, query: &RouteQuery<'_>) -> Vec<Arc<Route>> {
        let names: Vec<String> = match &self.table {
            // Every route of the deciding rule, healthy or not (the sort below puts the healthy first): a rule whose
            // routes all failed a moment ago must leave its messages to retry, not fail them for want of a route.
            Some(table) => table.candidates(query, |name| self.by_name.contains_key(name)),
            None => self
                .order
                .iter()
                .filter(|r| r.connector.capabilities().carries(query.channel))
                .map(|r| r.name.clone())
                .collect(),
        };
        let mut routes: Vec<Arc<Route>> = names
            .iter()
            .filter_map(|n| self.by_name.get(n).cloned())
            .filter(|r| r.connector.capabilities().carries(query.channel))
            .collect();
        routes.sort_by_key(|r| !r.is_healthy());
        routes
    }

    /// Whether any route carries `channel`.
    pub fn carries(&self, channel: Channel) -> bool {
        self.order
            .iter()
            .any(|r| r.connector.capabilities().carries(channel))
    }
}
