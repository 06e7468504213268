//! `segments count|preview|breakdown|save|list|fields`.

use super::open;
use crate::args::{Global, SegmentsCommand};
use crate::output::{self, thousands};
use anyhow::bail;
use canvass_audience::geo;
use canvass_audience::segment::{self, Checked, Schema, SegmentError};
use canvass_store::{Breakdown, Store};
use canvass_types::TenantId;
use std::process::ExitCode;

pub async fn run(g: &Global, tenant: TenantId, cmd: SegmentsCommand) -> anyhow::Result<ExitCode> {
    if let SegmentsCommand::Fields = cmd {
        for f in segment::fields() {
            println!("{:<28} {:<10} {}", f.name, f.ty.describe(), f.description);
        }
        for f in segment::functions() {
            println!("{:<28} {}", f.signature, f.description);
        }
        return Ok(ExitCode::SUCCESS);
    }
    let app = open(g).await?;
    let store = &app.store;
    match cmd {
        SegmentsCommand::Count { expr, json } => {
            let (source, checked) = resolve(store, tenant, &expr).await?;
            let started = std::time::Instant::now();
            let n = store.count_segment(tenant, Some(&checked)).await?;
            let ms = started.elapsed().as_secs_f64() * 1000.0;
            if json {
                output::json(
                    &serde_json::json!({ "expression": source, "count": n, "milliseconds": ms }),
                )?;
            } else {
                println!("{} contacts ({ms:.0} ms)", thousands(n));
            }
        }
        SegmentsCommand::Preview { expr, limit, json } => {
            let (_, checked) = resolve(store, tenant, &expr).await?;
            let rows = store.preview_segment(tenant, Some(&checked), limit).await?;
            if json {
                output::json(&rows)?;
            } else {
                for c in rows {
                    let name = [c.given_name.as_deref(), c.family_name.as_deref()]
                        .into_iter()
                        .flatten();
                    println!(
                        "{:<14} {:<24} {:<5} {:<2} {:<20} {}",
                        c.phone,
                        name.collect::<Vec<_>>().join(" "),
                        c.zip.as_deref().unwrap_or("-"),
                        c.state.as_deref().unwrap_or("-"),
                        c.county_name.as_deref().unwrap_or("-"),
                        c.issues.join(", ")
                    );
                }
            }
        }
        SegmentsCommand::Breakdown { expr, by, json } => {
            let by = match by.as_str() {
                "state" => Breakdown::State,
                "issue" => Breakdown::Issue,
                other => bail!("--by {other:?}: use state or issue"),
            };
            let (_, checked) = resolve(store, tenant, &expr).await?;
            let rows = store.segment_breakdown(tenant, Some(&checked), by).await?;
            if json {
                output::json(&rows)?;
            } else {
                let total = store.count_segment(tenant, Some(&checked)).await?;
                output::count_table("", &rows, total, usize::MAX);
            }
        }
        SegmentsCommand::Save { name, expr } => {
            let checked = compile(store, tenant, &expr).await?;
            store
                .save_segment(tenant, &name, &checked.expr().to_string())
                .await?;
            println!("saved segment {name:?}: {}", checked.expr());
        }
        SegmentsCommand::List { json } => {
            let list = store.list_segments(tenant).await?;
            if json {
                output::json(&list)?;
            } else {
                for s in list {
                    println!("{:<24} {}", s.name, s.expression);
                }
            }
        }
        SegmentsCommand::Fields => {}
    }
    store.close().await;
    Ok(ExitCode::SUCCESS)
}

/// An expression, or `@name` for a saved one; returns the source text and its checked form.
async fn resolve(store: &Store, tenant: TenantId, expr: &str) -> anyhow::Result<(String, Checked)> {
    let source = match expr.strip_prefix('@') {
        Some(name) => store.segment_expression(tenant, name).await?,
        None => expr.to_owned(),
    };
    let checked = compile(store, tenant, &source).await?;
    Ok((source, checked))
}

/// Compiles against the tenant's schema, printing errors with a caret under the spot.
pub async fn compile(store: &Store, tenant: TenantId, expr: &str) -> anyhow::Result<Checked> {
    let kinds = store.region_kinds(tenant).await?;
    let centroid = |zip: &str| geo::zip_info(zip).map(|z| (z.lat, z.lon));
    segment::compile(
        expr,
        &Schema {
            region_kinds: kinds,
            zip_centroid: &centroid,
        },
    )
    .map_err(|e| anyhow::anyhow!("{}", pointed(expr, &e)))
}

/// `line 1, column 9: …` followed by the offending line and a caret.
pub fn pointed(expr: &str, error: &SegmentError) -> String {
    let line = expr
        .lines()
        .nth(error.line.saturating_sub(1) as usize)
        .unwrap_or_default();
    let pad = " ".repeat(error.column.saturating_sub(1) as usize);
    format!("{error}\n  {line}\n  {pad}^")
}
