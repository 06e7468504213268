//! `canvass media …`: carrier profiles (here), adapting a file to one (`media_adapt`), and rendering templates
//! (`media_render`).

use super::open;
use crate::args::{Global, MediaCommand};
use crate::media_compose::{fetch_uaprof, reported_handset};
use crate::output;
use anyhow::Context;
use canvass_media::profile::CarrierProfile;
use canvass_media::profile::defaults::profile_from_spec;
use canvass_store::{CapabilitySource, StoredCarrierProfile};
use canvass_types::TenantId;
use std::process::ExitCode;

pub async fn run(g: &Global, tenant: TenantId, cmd: MediaCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        MediaCommand::Profiles { json } => profiles(g, json).await,
        MediaCommand::Adapt(args) => super::media_adapt::run(g, tenant, args).await,
        MediaCommand::Render(args) => super::media_render::run(g, tenant, args).await,
        MediaCommand::Learn { file } => learn(g, tenant, &file).await,
    }
}

/// Lists every stored profile; a row that no longer reads as a valid profile (a bad hand edit) is shown with its
/// problem instead of being hidden, and makes the command exit non-zero.
async fn profiles(g: &Global, json: bool) -> anyhow::Result<ExitCode> {
    let app = open(g).await?;
    let rows = app.store.list_carrier_profiles().await?;
    app.store.close().await;
    let checked: Vec<(StoredCarrierProfile, Result<CarrierProfile, String>)> = rows
        .into_iter()
        .map(|row| {
            let profile = profile_from_spec(&row.name, &row.spec).map_err(|e| e.to_string());
            (row, profile)
        })
        .collect();
    let all_valid = checked.iter().all(|(_, p)| p.is_ok());
    if json {
        let items: Vec<serde_json::Value> = checked
            .iter()
            .map(|(row, profile)| {
                serde_json::json!({
                    "name": row.name,
                    "builtin": row.builtin,
                    "updated_at": row.updated_at,
                    "spec": row.spec,
                    "error": profile.as_ref().err(),
                })
            })
            .collect();
        output::json(&items)?;
    } else {
        print_table(&checked);
    }
    Ok(if all_valid {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

fn print_table(rows: &[(StoredCarrierProfile, Result<CarrierProfile, String>)]) {
    let width = rows
        .iter()
        .map(|(row, _)| row.name.chars().count())
        .max()
        .unwrap_or(0)
        .max(4);
    println!(
        "{:<width$}  {:<7}  {:>11}  {:>9}  {:<40}  types",
        "name", "origin", "max bytes", "pictures", "video"
    );
    for (row, profile) in rows {
        let origin = if row.builtin { "default" } else { "edited" };
        match profile {
            Ok(p) => {
                let video = p.video.as_ref().map_or_else(
                    || "none".to_owned(),
                    |v| {
                        format!(
                            "{:?} {}x{} {} fps {} s",
                            v.format, v.max_width, v.max_height, v.max_fps, v.max_duration_s
                        )
                    },
                );
                println!(
                    "{:<width$}  {origin:<7}  {:>11}  {:>9}  {video:<40}  {}",
                    row.name,
                    output::thousands(p.max_message_bytes),
                    format!("{}x{}", p.max_image_width, p.max_image_height),
                    p.accepted_types.len()
                );
            }
            Err(problem) => println!("{:<width$}  {origin:<7}  INVALID: {problem}", row.name),
        }
    }
}

/// Reads the message, fetches the UAProf it names, and stores the handset's limits for its number.
async fn learn(g: &Global, tenant: TenantId, file: &std::path::Path) -> anyhow::Result<ExitCode> {
    let bytes = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    let envelope = canvass_mm7::decode(&bytes)
        .with_context(|| format!("{} is not a valid MM7 message", file.display()))?;
    let Some(handset) = reported_handset(&envelope).with_context(|| file.display().to_string())?
    else {
        anyhow::bail!(
            "{}: the message carries no UACapabilities UAProf URL",
            file.display()
        );
    };
    let capabilities = fetch_uaprof(&handset.uaprof_url).await?;
    let app = open(g).await?;
    app.store
        .record_handset_capabilities(
            tenant,
            &handset.phone,
            &serde_json::to_value(&capabilities)?,
            CapabilitySource::Mm7,
            Some(&handset.uaprof_url),
        )
        .await?;
    app.store.close().await;
    output::json(&serde_json::json!({
        "phone": handset.phone.as_str(),
        "uaprof": handset.uaprof_url,
        "capabilities": capabilities,
    }))?;
    Ok(ExitCode::SUCCESS)
}
