//! `canvass accounts|numbers|keys`: the operator's tools for tenants and their credentials. Secrets are printed
//! once, at creation, and never again: the store keeps only their hashes.

use super::open;
use crate::args::{AccountsCommand, Global, KeysCommand, NumbersCommand, ServicesCommand};
use crate::output;
use anyhow::{Context, anyhow};
use canvass_accounts::{Account, AccountSid, KeySid, Scope, Scopes};
use canvass_audience::phone::parse_phone;
use canvass_store::Store;
use serde_json::json;
use std::process::ExitCode;

fn now_ms() -> i64 {
    jiff::Timestamp::now().as_millisecond()
}

async fn account(store: &Store, sid: &str) -> anyhow::Result<Account> {
    let sid = AccountSid::parse(sid)?;
    store
        .account(&sid)
        .await?
        .ok_or_else(|| anyhow!("no account {sid}"))
}

pub async fn accounts(g: &Global, cmd: AccountsCommand) -> anyhow::Result<ExitCode> {
    let app = open(g).await?;
    match cmd {
        AccountsCommand::Create { name, parent, json } => {
            let parent = parent.as_deref().map(AccountSid::parse).transpose()?;
            let key = app.token_key()?;
            let issued = app
                .store
                .create_account(&name, parent.as_ref(), &key, now_ms())
                .await
                .with_context(|| format!("creating account {name:?}"))?;
            if json {
                output::json(&json!({
                    "account_sid": issued.sid,
                    "auth_token": issued.secret.expose(),
                }))?;
            } else {
                println!("Account {name} created.");
                println!("  account sid: {}", issued.sid);
                println!(
                    "  auth token:  {} (shown once; keep it safe)",
                    issued.secret.expose()
                );
            }
        }
        AccountsCommand::List { parent, json } => {
            let parent = parent.as_deref().map(AccountSid::parse).transpose()?;
            let list = app.store.accounts(parent.as_ref()).await?;
            if json {
                output::json(&list)?;
            } else if list.is_empty() {
                println!("No accounts yet: `canvass accounts create NAME`.");
            } else {
                for a in &list {
                    let parent = a.parent.as_ref().map(|p| format!(" (client of {p})"));
                    println!("{}  {}{}", a.sid, a.name, parent.unwrap_or_default());
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub async fn numbers(g: &Global, cmd: NumbersCommand) -> anyhow::Result<ExitCode> {
    let app = open(g).await?;
    match cmd {
        NumbersCommand::Add {
            phone,
            account: sid,
            sms_url,
        } => {
            let owner = account(&app.store, &sid).await?;
            let parsed = parse_phone(&phone).with_context(|| format!("{phone:?}"))?;
            let e164 = parsed.msisdn.to_string();
            app.store.add_number(&owner, &e164, now_ms()).await?;
            if let Some(url) = &sms_url {
                let lower = url.to_ascii_lowercase();
                if !(lower.starts_with("http://") || lower.starts_with("https://")) {
                    return Err(anyhow!("--sms-url {url:?} is not an http(s) URL"));
                }
                app.store
                    .set_number_webhook(&owner, &e164, Some(url))
                    .await?;
            }
            println!("{e164} is a sender of {}.", owner.sid);
        }
        NumbersCommand::List { account: sid, json } => {
            let owner = account(&app.store, &sid).await?;
            let list = app.store.numbers(&owner).await?;
            if json {
                output::json(&list)?;
            } else {
                list.iter().for_each(|n| println!("{n}"));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub async fn keys(g: &Global, cmd: KeysCommand) -> anyhow::Result<ExitCode> {
    let app = open(g).await?;
    match cmd {
        KeysCommand::Create {
            account: sid,
            scope,
            name,
            json,
        } => {
            let owner = account(&app.store, &sid).await?;
            let scopes = Scopes::new(
                scope
                    .iter()
                    .map(|s| s.parse::<Scope>())
                    .collect::<Result<Vec<_>, _>>()?,
            )?;
            let issued = app
                .store
                .create_key(&owner, &name, &scopes, now_ms())
                .await?;
            if json {
                output::json(&json!({
                    "sid": issued.sid,
                    "secret": issued.secret.expose(),
                    "account_sid": owner.sid,
                    "scopes": scopes,
                }))?;
            } else {
                println!("API key created for {} with scopes {scopes}.", owner.sid);
                println!("  key sid: {}", issued.sid);
                println!(
                    "  secret:  {} (shown once; keep it safe)",
                    issued.secret.expose()
                );
            }
        }
        KeysCommand::List { account: sid, json } => {
            let owner = account(&app.store, &sid).await?;
            let list = app.store.keys(&owner).await?;
            if json {
                output::json(&list)?;
            } else {
                for k in &list {
                    println!("{}  {}  {}", k.sid, k.scopes, k.name);
                }
            }
        }
        KeysCommand::Revoke { account: sid, key } => {
            let owner = account(&app.store, &sid).await?;
            let key = KeySid::parse(&key)?;
            if app.store.revoke_key(&owner, &key, now_ms()).await? {
                println!("Key {key} revoked.");
            } else {
                return Err(anyhow!("{} has no live key {key}", owner.sid));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub async fn services(g: &Global, cmd: ServicesCommand) -> anyhow::Result<ExitCode> {
    let app = open(g).await?;
    match cmd {
        ServicesCommand::Create {
            name,
            account: sid,
            numbers,
            sticky_sender,
            area_code_geomatch,
            status_callback,
            json,
        } => {
            let owner = account(&app.store, &sid).await?;
            let new = canvass_store::NewService {
                friendly_name: name,
                sticky_sender,
                area_code_geomatch,
                status_callback,
                inbound_request_url: None,
            };
            let service = app
                .store
                .create_service(owner.tenant, &new, now_ms())
                .await?;
            for number in &numbers {
                let e164 = parse_phone(number)
                    .with_context(|| format!("{number:?}"))?
                    .msisdn
                    .to_string();
                app.store
                    .add_service_number(owner.tenant, &service.sid, &e164)
                    .await?;
            }
            let service = app
                .store
                .service(owner.tenant, &service.sid)
                .await?
                .ok_or_else(|| anyhow!("the new service vanished"))?;
            if json {
                output::json(&service)?;
            } else {
                println!(
                    "Messaging Service {} created with {} number(s).",
                    service.sid,
                    service.numbers.len()
                );
            }
        }
        ServicesCommand::List { account: sid, json } => {
            let owner = account(&app.store, &sid).await?;
            let list = app.store.services(owner.tenant).await?;
            if json {
                output::json(&list)?;
            } else {
                for s in &list {
                    println!("{}  {}  {}", s.sid, s.friendly_name, s.numbers.join(","));
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
