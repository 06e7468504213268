//! `canvass routes add|sim|list|remove`: the carrier connections dispatch sends through.

use super::open;
use crate::args::{Global, RoutesCommand};
use crate::output;
use anyhow::{Context, bail};
use canvass_server::sending::RouteSpec;
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
