//! A route as an operator writes it (stored as JSON in the `routes` table), and building its connector.
//! Only the settings an operator needs are here; the connectors' other knobs keep their defaults.

use anyhow::Context;
use canvass_connectors::{
    Connector, EventStream,
    mm1::{self, Mm1Config, PushSender},
    mm7::{self, Mm7Config},
    rcs::{self, RcsConfig},
    smpp::{self, SmppConfig},
};
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

/// One carrier connection.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum RouteSpec {
    /// SMS over SMPP (transceiver binds).
    Smpp {
        /// `host:port` of the SMSC.
        address: String,
        /// Bind credentials.
        system_id: String,
        /// Bind password.
        password: String,
        /// Binds to hold open (default 1).
        #[serde(default)]
        binds: Option<usize>,
        /// Outstanding submits per bind (default: the connector's).
        #[serde(default)]
        window: Option<usize>,
    },
    /// MMS to an MMSC over MM7.
    Mm7 {
        /// The MMSC's MM7 URL.
        url: String,
        /// VASP id.
        #[serde(default)]
        vasp_id: Option<String>,
        /// Basic auth user.
        #[serde(default)]
        username: Option<String>,
        /// Basic auth password.
        #[serde(default)]
        password: Option<String>,
        /// Where our receiver for delivery reports and replies listens.
        #[serde(default)]
        receiver: Option<SocketAddr>,
    },
    /// MMS as MM1: we are the MMSC; notifications go as WAP Push over SMPP.
    Mm1 {
        /// `host:port` of the SMSC carrying the push.
        address: String,
        /// Bind credentials.
        system_id: String,
        /// Bind password.
        password: String,
        /// Where our MM1 content server listens.
        listen: SocketAddr,
        /// The content server's public URL, if not `http://listen`.
        #[serde(default)]
        public_url: Option<String>,
    },
    /// RCS Business Messaging.
    Rcs {
        /// The RBM API base URL.
        base_url: String,
        /// The agent.
        agent_id: String,
        /// Bearer token.
        token: String,
        /// The webhook's client token (verifies X-Goog-Signature).
        #[serde(default)]
        client_token: Option<String>,
        /// Where our events webhook listens.
        #[serde(default)]
        webhook: Option<SocketAddr>,
    },
}

/// A built route: its connector, its event stream, and what else must stay alive with it.
pub struct BuiltRoute {
    /// The connector, named after the route.
    pub connector: Arc<dyn Connector>,
    /// Receipts, inbound, handset events.
    pub events: EventStream,
    /// Where its receiver listens, if it has one.
    pub receiver: Option<SocketAddr>,
    /// Connectors under this one (MM1's SMPP), shut down with it.
    pub underlying: Vec<Arc<dyn Connector>>,
}

fn smpp_config(name: &str, address: &str, system_id: &str, password: &str) -> SmppConfig {
    let mut config = SmppConfig::new(name, address, system_id, password);
    config.response_timeout = Duration::from_secs(10);
    config
}

impl RouteSpec {
    /// Connects the route named `name`.
    pub async fn build(&self, name: &str) -> anyhow::Result<BuiltRoute> {
        Ok(match self {
            RouteSpec::Smpp {
                address,
                system_id,
                password,
                binds,
                window,
            } => {
                let mut config = smpp_config(name, address, system_id, password);
                if let Some(b) = binds {
                    config.binds = (*b).max(1);
                }
                if let Some(w) = window {
                    config.window = (*w).max(1);
                }
                let built = smpp::build(config)
                    .await
                    .with_context(|| format!("route {name}"))?;
                BuiltRoute {
                    connector: built.connector,
                    events: built.events,
                    receiver: None,
                    underlying: Vec::new(),
                }
            }
            RouteSpec::Mm7 {
                url,
                vasp_id,
                username,
                password,
                receiver,
            } => {
                let mut config = Mm7Config::new(name, url.clone());
                config.vasp_id = vasp_id.clone();
                config.username = username.clone();
                config.password = password.clone();
                config.receiver_bind = *receiver;
                let parts = mm7::build_parts(config)
                    .await
                    .with_context(|| format!("route {name}"))?;
                BuiltRoute {
                    receiver: parts.receiver_addr,
                    connector: parts.built.connector,
                    events: parts.built.events,
                    underlying: Vec::new(),
                }
            }
            RouteSpec::Mm1 {
                address,
                system_id,
                password,
                listen,
                public_url,
            } => {
                let push = smpp::build_smpp(smpp_config(
                    &format!("{name}-push"),
                    address,
                    system_id,
                    password,
                ))
                .await
                .with_context(|| format!("route {name}: its SMPP bind"))?;
                let pusher: Arc<dyn PushSender> = push.connector.clone();
                let under: Arc<dyn Connector> = push.connector;
                let mut config = Mm1Config::new(name, *listen);
                config.public_url = public_url.clone();
                let built = mm1::build(config, pusher, push.events)
                    .await
                    .with_context(|| format!("route {name}"))?;
                BuiltRoute {
                    connector: built.connector,
                    events: built.events,
                    receiver: Some(*listen),
                    underlying: vec![under],
                }
            }
            RouteSpec::Rcs {
                base_url,
                agent_id,
                token,
                client_token,
                webhook,
            } => {
                let mut config =
                    RcsConfig::new(name, base_url.clone(), agent_id.clone(), token.clone());
                config.client_token = client_token.clone();
                config.webhook_bind = *webhook;
                let (built, addr) = rcs::build_listening(config)
                    .await
                    .with_context(|| format!("route {name}"))?;
                BuiltRoute {
                    connector: built.connector,
                    events: built.events,
                    receiver: addr,
                    underlying: Vec::new(),
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs_read_from_json_and_refuse_unknown_fields() {
        let spec: RouteSpec = serde_json::from_str(
            r#"{"kind":"smpp","address":"127.0.0.1:2776","system_id":"canvass","password":"pw","binds":2}"#,
        )
        .expect("valid spec");
        assert!(matches!(spec, RouteSpec::Smpp { binds: Some(2), .. }));
        let bad = serde_json::from_str::<RouteSpec>(
            r#"{"kind":"smpp","address":"x","system_id":"a","password":"b","typo":1}"#,
        );
        assert!(bad.expect_err("unknown field").to_string().contains("typo"));
    }
}
