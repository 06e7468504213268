//! serve, healthcheck, migrate, config check.

use super::{load, open, overrides};
use crate::args::{ConfigCommand, Global, ServeArgs};
use crate::output;
use anyhow::{Context, bail};
use canvass_server::{App, Overrides};
use std::process::ExitCode;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

pub async fn serve(g: &Global, args: ServeArgs) -> anyhow::Result<ExitCode> {
    let overrides = Overrides {
        http: args.http,
        smpp: args.smpp,
        mm7: args.mm7,
        nats_url: args.nats_url,
        role: args.role,
        ..overrides(g)
    };
    let config = load(&overrides)?;
    canvass_server::telemetry::init_logging(config.log_json);
    let app = App::open(config).await?;
    canvass_server::serve(app, super::clock_at(args.clock)).await?;
    Ok(ExitCode::SUCCESS)
}

/// A plain HTTP/1.1 GET, so the check needs nothing but a socket (it runs in minimal containers).
pub async fn healthcheck(g: &Global, http: Option<String>) -> anyhow::Result<ExitCode> {
    let config = load(&Overrides {
        http,
        ..overrides(g)
    })?;
    let mut addr = config.http;
    if addr.ip().is_unspecified() {
        addr.set_ip(std::net::Ipv4Addr::LOCALHOST.into());
    }
    let check = async {
        let mut stream = tokio::net::TcpStream::connect(addr).await?;
        stream
            .write_all(b"GET /healthz HTTP/1.1\r\nHost: canvass\r\nConnection: close\r\n\r\n")
            .await?;
        let mut response = Vec::new();
        stream.read_to_end(&mut response).await?;
        Ok::<_, std::io::Error>(response)
    };
    let response = tokio::time::timeout(Duration::from_secs(5), check)
        .await
        .with_context(|| format!("no answer from {addr} within 5 s"))?
        .with_context(|| format!("cannot reach {addr}"))?;
    let text = String::from_utf8_lossy(&response);
    let status = text.lines().next().unwrap_or_default();
    if status.split_whitespace().nth(1) == Some("200") {
        println!("ok: {addr} is healthy");
        Ok(ExitCode::SUCCESS)
    } else {
        bail!("{addr} is unhealthy: {status}")
    }
}

pub async fn migrate(g: &Global) -> anyhow::Result<ExitCode> {
    let app = open(g).await?;
    println!(
        "migrations applied to {}",
        canvass_store::redact(&app.config.database_url())
    );
    app.store.close().await;
    Ok(ExitCode::SUCCESS)
}

pub fn config(g: &Global, cmd: ConfigCommand) -> anyhow::Result<ExitCode> {
    let ConfigCommand::Check { json } = cmd;
    match canvass_server::Config::load(&overrides(g)) {
        Ok(mut config) => {
            config.database_url = Some(canvass_store::redact(&config.database_url()));
            if json {
                output::json(&serde_json::json!({ "ok": true, "config": config }))?;
            } else {
                println!("configuration is valid:");
                println!("{}", serde_json::to_string_pretty(&config)?);
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(issues) => {
            if json {
                output::json(&serde_json::json!({ "ok": false, "issues": issues }))?;
            } else {
                eprintln!("configuration has {} problem(s):", issues.len());
                for issue in &issues {
                    eprintln!("  {issue}");
                }
            }
            Ok(ExitCode::FAILURE)
        }
    }
}
