//! `canvass routes add|sim|list|remove|rules`: the carrier connections dispatch sends through, and the route table
//! that chooses among them.

use super::open;
use crate::args::{Global, RoutesCommand, RulesCommand};
use crate::output;
use anyhow::{Context, bail};
use canvass_dispatch::routing::RouteTable;
use canvass_server::sending::RouteSpec;
use canvass_store::Store;
use serde_json::json;
use std::process::ExitCode;

pub async fn run(g: &Global, cmd: RoutesCommand) -> anyhow::Result<ExitCode> {
    let app = open(g).await?;
    let now = jiff::Timestamp::now().as_millisecond();
    match cmd {
        RoutesCommand::Add { name, spec } => {
            let text = match spec.strip_prefix('@') {
                Some(path) => {
                    std::fs::read_to_string(path).with_context(|| format!("cannot read {path}"))?
                }
                None => spec,
            };
            let parsed: RouteSpec = serde_json::from_str(&text)
                .with_context(|| format!("route {name}: not a route spec"))?;
            app.store
                .put_route(&name, &serde_json::to_value(&parsed)?, now)
                .await?;
            println!("Route {name} stored.");
        }
        RoutesCommand::Sim {
            smpp,
            mm7,
            rbm,
            control,
            mm7_receiver,
            rbm_webhook,
            without,
        } => {
            let skip = |c: &str| without.iter().any(|w| w.eq_ignore_ascii_case(c));
            let client = reqwest::Client::builder()
                .timeout(std::time::Duration::from_secs(5))
                .build()?;
            let mut added = Vec::new();
            if !skip("sms") {
                let spec = RouteSpec::Smpp {
                    address: smpp,
                    system_id: "canvass".into(),
                    password: "canvass".into(),
                    binds: Some(2),
                    window: None,
                };
                app.store
                    .put_route("sim-sms", &serde_json::to_value(&spec)?, now)
                    .await?;
                added.push("sim-sms");
            }
            if !skip("mms") {
                let receiver: std::net::SocketAddr =
                    mm7_receiver.parse().context("--mm7-receiver")?;
                let spec = RouteSpec::Mm7 {
                    url: mm7,
                    vasp_id: Some("canvass".into()),
                    username: None,
                    password: None,
                    receiver: Some(receiver),
                };
                app.store
                    .put_route("sim-mms", &serde_json::to_value(&spec)?, now)
                    .await?;
                point(&client, &format!("{control}/sim/mm7-reports"), json!({"url": format!("http://{receiver}{}", canvass_connectors::mm7::RECEIVER_PATH)})).await?;
                added.push("sim-mms");
            }
            if !skip("rcs") {
                let webhook: std::net::SocketAddr = rbm_webhook.parse().context("--rbm-webhook")?;
                let token = "canvass-sim-client-token";
                let spec = RouteSpec::Rcs {
                    base_url: rbm,
                    agent_id: "canvass".into(),
                    token: "canvass-sim".into(),
                    client_token: Some(token.into()),
                    webhook: Some(webhook),
                };
                app.store
                    .put_route("sim-rcs", &serde_json::to_value(&spec)?, now)
                    .await?;
                point(
                    &client,
                    &format!("{control}/sim/rbm-webhook"),
                    json!({"url": format!("http://{webhook}{}", canvass_connectors::rcs::WEBHOOK_PATH), "client_token": token}),
                )
                .await?;
                added.push("sim-rcs");
            }
            println!("Routes stored: {}", added.join(", "));
        }
        RoutesCommand::List { json } => {
            let routes = app.store.routes().await?;
            if json {
                output::json(&routes)?;
            } else {
                for r in routes {
                    let kind = r.spec.get("kind").and_then(|k| k.as_str()).unwrap_or("?");
                    println!(
                        "{:<16} {:<6} {}",
                        r.name,
                        kind,
                        if r.enabled { "enabled" } else { "disabled" }
                    );
                }
            }
        }
        RoutesCommand::Remove { name } => {
            if !app.store.delete_route(&name).await? {
                bail!("no route named {name:?}");
            }
            println!("Route {name} removed.");
        }
        RoutesCommand::Rules(cmd) => rules(&app.store, cmd, now).await?,
    }
    app.store.close().await;
    Ok(ExitCode::SUCCESS)
}

/// Tells the simulator where to send its reports.
async fn point(client: &reqwest::Client, url: &str, body: serde_json::Value) -> anyhow::Result<()> {
    let answer = client.post(url).json(&body).send().await.with_context(|| {
        format!("the simulator's control at {url} does not answer (is `canvass sim` running?)")
    })?;
    if !answer.status().is_success() {
        bail!("{url}: {}", answer.status());
    }
    Ok(())
}

async fn rules(store: &Store, cmd: RulesCommand, now: i64) -> anyhow::Result<()> {
    match cmd {
        RulesCommand::Set { file } => {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("cannot read {}", file.display()))?;
            let value = parse_rules(&file, &text)?;
            let table: RouteTable = serde_json::from_value(value.clone())
                .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
            let stored: Vec<String> = store.routes().await?.into_iter().map(|r| r.name).collect();
            let unknown: Vec<String> = table
                .rules()
                .iter()
                .enumerate()
                .flat_map(|(i, rule)| rule.routes.iter().map(move |name| (i, name)))
                .filter(|(_, name)| !stored.contains(name))
                .map(|(i, name)| format!("rule {i}: no route named {name:?}"))
                .collect();
            if !unknown.is_empty() {
                bail!(
                    "{}: {} (see `canvass routes list`)",
                    file.display(),
                    unknown.join("; ")
                );
            }
            store.put_route_rules(&value, now).await?;
            println!(
                "Route table stored: {} rules. Workers read it when they start.",
                table.rules().len()
            );
        }
        RulesCommand::Show { json } => {
            let Some(value) = store.route_rules().await? else {
                if json {
                    output::json(&serde_json::Value::Null)?;
                } else {
                    println!(
                        "No route table: each message takes the first route that carries its channel."
                    );
                }
                return Ok(());
            };
            if json {
                output::json(&value)?;
                return Ok(());
            }
            let table: RouteTable =
                serde_json::from_value(value).context("the stored route table")?;
            for (i, rule) in table.rules().iter().enumerate() {
                let mut when = Vec::new();
                if let Some(p) = &rule.prefix {
                    when.push(format!("prefix {p}"));
                }
                if let Some(t) = rule.tenant {
                    when.push(format!("tenant {}", t.0));
                }
                if let Some(c) = rule.channel {
                    when.push(format!("channel {c}"));
                }
                if let Some(c) = &rule.carrier {
                    when.push(format!("carrier {c}"));
                }
                let when = if when.is_empty() {
                    "everything".to_owned()
                } else {
                    when.join(", ")
                };
                println!("{i}. {when} → {} ({:?})", rule.routes.join(", "), rule.mode);
            }
        }
        RulesCommand::Clear => {
            if store.clear_route_rules().await? {
                println!("Route table removed.");
            } else {
                println!("There was no route table.");
            }
        }
    }
    Ok(())
}

/// A rules file as JSON: `.json` files are JSON, anything else TOML.
fn parse_rules(file: &std::path::Path, text: &str) -> anyhow::Result<serde_json::Value> {
    if file
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
    {
        serde_json::from_str(text).map_err(|e| anyhow::anyhow!("{}: not JSON: {e}", file.display()))
    } else {
        toml::from_str(text).map_err(|e| anyhow::anyhow!("{}: not TOML: {e}", file.display()))
    }
}
