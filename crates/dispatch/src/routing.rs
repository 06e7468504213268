//! Which route (named connector) carries a message: an ordered list of rules, each matching on the destination's
//! prefix, the tenant, the channel and the recipient's carrier, and naming the routes to use.
//!
//! Rules are tried in the order written and the **first matching rule decides**: put the most specific rules
//! first and a catch-all (a rule with no conditions) last. When every route of the deciding rule is unhealthy
//! there is no route, on purpose: a rule may exist to keep a tenant on its own registered numbers, and falling
//! through to a shared route would break that. List a backup route inside the rule to have one.
//!
//! ```toml
//! [[rules]]
//! prefix = "+1215"
//! channel = "sms"
//! routes = ["smpp-philly", "smpp-backup"]      # failover: the first healthy one
//!
//! [[rules]]
//! routes = ["smpp-a", "smpp-b"]
//! mode = "round_robin"                          # rotate among the healthy ones
//! ```

use std::sync::atomic::{AtomicUsize, Ordering};

use canvass_types::{Channel, TenantId};
use serde::Deserialize;

/// How a rule picks among its routes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// The first healthy route in the order listed.
    #[default]
    Failover,
    /// Each message to the next healthy route in turn.
    RoundRobin,
}

/// One routing rule. Conditions left out match everything.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RouteRule {
    /// Destination prefix in E.164, e.g. `+1215`.
    #[serde(default)]
    pub prefix: Option<String>,
    /// Only this tenant's messages.
    #[serde(default)]
    pub tenant: Option<TenantId>,
    /// Only messages on this channel.
    #[serde(default)]
    pub channel: Option<Channel>,
    /// Only recipients on this carrier (by the name number lookup gives; compared ignoring case).
    #[serde(default)]
    pub carrier: Option<String>,
    /// Route names, in failover order.
    pub routes: Vec<String>,
    /// How to pick among them.
    #[serde(default)]
    pub mode: Mode,
}

impl RouteRule {
    /// Whether the rule applies to `query`.
    pub fn matches(&self, query: &RouteQuery<'_>) -> bool {
        self.prefix
            .as_deref()
            .is_none_or(|prefix| query.to.starts_with(prefix))
            && self.tenant.is_none_or(|tenant| tenant == query.tenant)
            && self.channel.is_none_or(|channel| channel == query.channel)
            && self.carrier.as_deref().is_none_or(|carrier| {
                query
                    .carrier
                    .is_some_and(|theirs| theirs.eq_ignore_ascii_case(carrier))
            })
    }
}

/// What routing looks at in a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RouteQuery<'a> {
    /// The recipient, E.164.
    pub to: &'a str,
    /// The message's tenant.
    pub tenant: TenantId,
    /// The channel about to be tried.
    pub channel: Channel,
    /// The recipient's carrier, when a number lookup named it.
    pub carrier: Option<&'a str>,
}

/// A rule that cannot work as written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RoutingError {
    /// A rule names no route.
    #[error("routing rule {0} names no route")]
    NoRoutes(usize),
    /// A prefix that no E.164 number starts with.
    #[error("routing rule {index}: prefix {prefix:?} is not `+` and digits")]
    BadPrefix {
        /// The rule's position, from 0.
        index: usize,
        /// The prefix written.
        prefix: String,
    },
}

/// The rules as written in configuration: `rules = [...]` (or `[[rules]]` tables in TOML).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoutingConfig {
    /// The rules, tried in order.
    #[serde(default, alias = "rule")]
    pub rules: Vec<RouteRule>,
}

/// Checked rules, with the round-robin positions. Shared by a process's workers.
#[derive(Debug)]
pub struct RouteTable {
    rules: Vec<RouteRule>,
    /// One rotation counter per rule (unused by failover rules).
    turns: Vec<AtomicUsize>,
}

impl TryFrom<RoutingConfig> for RouteTable {
    type Error = RoutingError;
    fn try_from(config: RoutingConfig) -> Result<Self, RoutingError> {
        Self::new(config.rules)
    }
}

impl<'de> Deserialize<'de> for RouteTable {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let config = RoutingConfig::deserialize(deserializer)?;
        Self::try_from(config).map_err(serde::de::Error::custom)
    }
}

impl RouteTable {
    /// Checks `rules`: each names a route, and each prefix is `+` and digits.
    pub fn new(rules: Vec<RouteRule>) -> Result<Self, RoutingError> {
        for (index, rule) in rules.iter().enumerate() {
            if rule.routes.is_empty() {
                return Err(RoutingError::NoRoutes(index));
            }
            if let Some(prefix) = &rule.prefix {
                let digits = prefix.strip_prefix('+').unwrap_or("");
                if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(RoutingError::BadPrefix {
                        index,
                        prefix: prefix.clone(),
                    });
                }
            }
        }
        let turns = rules.iter().map(|_| AtomicUsize::new(0)).collect();
        Ok(Self { rules, turns })
    }

    /// The rules, in order.
    pub fn rules(&self) -> &[RouteRule] {
        &self.rules
    }

    /// The rule that decides for `query`: the first that matches.
    pub fn rule_for(&self, query: &RouteQuery<'_>) -> Option<&RouteRule> {
        self.position(query).map(|i| &self.rules[i])
    }

    fn position(&self, query: &RouteQuery<'_>) -> Option<usize> {
        self.rules.iter().position(|rule| rule.matches(query))
    }

    /// The route for the next message matching `query`, or `None` when no rule matches or all the deciding
    /// rule's routes are unhealthy. A round-robin rule moves on by one with each call.
    pub fn select(
        &self,
        query: &RouteQuery<'_>,
        is_healthy: impl Fn(&str) -> bool,
    ) -> Option<String> {
        let index = self.position(query)?;
        let rule = &self.rules[index];
        let healthy: Vec<&String> = rule.routes.iter().filter(|r| is_healthy(r)).collect();
        if healthy.is_empty() {
            return None;
        }
        let pick = match rule.mode {
            Mode::Failover => 0,
            Mode::RoundRobin => self.turns[index].fetch_add(1, Ordering::Relaxed) % healthy.len(),
        };
        Some(healthy[pick].clone())
    }

    /// Every healthy route of the deciding rule, in the order to try them: listed order for failover, and for
    /// round robin starting where the rotation stands (without moving it). After a failed submit on one, try
    /// the next one not yet tried.
    pub fn candidates(
        &self,
        query: &RouteQuery<'_>,
        is_healthy: impl Fn(&str) -> bool,
    ) -> Vec<String> {
        let Some(index) = self.position(query) else {
            return Vec::new();
        };
        let rule = &self.rules[index];
        let mut healthy: Vec<String> = rule
            .routes
            .iter()
            .filter(|r| is_healthy(r))
            .cloned()
            .collect();
        if rule.mode == Mode::RoundRobin && !healthy.is_empty() {
            let start = self.turns[index].load(Ordering::Relaxed) % healthy.len();
            healthy.rotate_left(start);
        }
        healthy
    }
}

#[cfg(test)]
#[path = "routing_tests.rs"]
mod tests;
