//! `regions import|list`.

use super::open;
use crate::args::{Global, RegionsCommand};
use crate::output::{self, thousands};
use anyhow::Context;
use canvass_audience::regions::read_layer;
use canvass_server::App;
use canvass_store::RegionAssignmentCounts;
use canvass_types::TenantId;
use std::path::Path;
use std::process::ExitCode;

pub async fn run(g: &Global, tenant: TenantId, cmd: RegionsCommand) -> anyhow::Result<ExitCode> {
    let app = open(g).await?;
    match cmd {
        RegionsCommand::Import {
            file,
            kind,
            name_field,
            json,
        } => {
            let (regions, warnings, counts) =
                import_layer(&app, tenant, &file, &kind, &name_field).await?;
            if json {
                output::json(&serde_json::json!({
                    "kind": kind, "regions": regions, "warnings": warnings, "assigned": counts,
                }))?;
            } else {
                for w in &warnings {
                    eprintln!("warning: {w}");
                }
                println!(
                    "layer {kind}: {} regions; contacts assigned {} by their own point, {} by ZIP centroid, {} outside",
                    thousands(regions as i64),
                    thousands(counts.by_point as i64),
                    thousands(counts.by_zip_centroid as i64),
                    thousands(counts.outside as i64)
                );
            }
        }
        RegionsCommand::List { json } => {
            let layers = app.store.region_layers(tenant).await?;
            if json {
                output::json(&layers)?;
            } else {
                for l in layers {
                    println!(
                        "{:<28} {:>6} regions {:>12} contacts  {}",
                        l.kind,
                        l.regions,
                        thousands(l.contacts),
                        l.source
                    );
                }
            }
        }
    }
    app.store.close().await;
    Ok(ExitCode::SUCCESS)
}

/// Reads, stores and assigns one layer; returns (regions, warnings, assignment counts).
pub async fn import_layer(
    app: &App,
    tenant: TenantId,
    file: &Path,
    kind: &str,
    name_field: &str,
) -> anyhow::Result<(usize, Vec<String>, RegionAssignmentCounts)> {
    let layer = read_layer(file, kind, name_field)?;
    let source = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let layer_id = app
        .store
        .replace_region_layer(tenant, &layer, &source)
        .await?;
    let index = app
        .store
        .region_indexes(tenant)
        .await?
        .into_iter()
        .find(|(id, _)| *id == layer_id)
        .map(|(_, index)| index)
        .context("the layer just stored is missing")?;
    let counts = app.store.assign_regions(tenant, layer_id, &index).await?;
    Ok((
        layer.regions.len(),
        layer.warnings.iter().map(ToString::to_string).collect(),
        counts,
    ))
}
