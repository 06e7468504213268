//! `canvass campaigns create|launch|status|pause|resume|cancel|test|list`.

use super::{campaigns_follow, open};
use crate::args::{CampaignsCommand, Global};
use crate::output::{self, thousands};
use anyhow::{Context, anyhow, bail};
use canvass_audience::geo;
use canvass_audience::segment::Schema;
use canvass_campaigns::definition::{CampaignDefinition, Compiled, Media};
use canvass_campaigns::lifecycle::CampaignState;
use canvass_campaigns::ports::{CampaignRecord, CampaignStore};
use canvass_campaigns::preview::render_preview;
use canvass_campaigns::sms_cost::sms_cost;
use canvass_server::App;
use canvass_store::{ContactRow, Store};
use canvass_types::TenantId;
use serde_json::{Value, json};
use std::path::Path;
use std::process::ExitCode;

pub async fn run(g: &Global, tenant: TenantId, cmd: CampaignsCommand) -> anyhow::Result<ExitCode> {
    let app = open(g).await?;
    let now = jiff::Timestamp::now().as_millisecond();
    match cmd {
        CampaignsCommand::Create { file, name, json } => {
            return create(&app, tenant, &file, name, json).await;
        }
        CampaignsCommand::Launch {
            name,
            follow,
            clock,
        } => {
            let campaign = find(&app.store, tenant, &name).await?;
            move_to(
                &app.store,
                &campaign,
                CampaignState::Draft,
                CampaignState::Running,
                "launched from the CLI",
            )
            .await?;
            println!("Campaign {name} launched.");
            if follow {
                campaigns_follow::follow(&app, campaign.id, &name, super::clock_at(clock)).await?;
            } else {
                println!(
                    "A worker sends it: `canvass serve`, or `canvass campaigns launch --follow` next time."
                );
            }
        }
        CampaignsCommand::Status { name, json } => {
            let campaign = find(&app.store, tenant, &name).await?;
            status(&app.store, &campaign, json).await?;
        }
        CampaignsCommand::Pause { name } => {
            let campaign = find(&app.store, tenant, &name).await?;
            move_to(
                &app.store,
                &campaign,
                CampaignState::Running,
                CampaignState::Paused,
                "paused from the CLI",
            )
            .await?;
            println!("Campaign {name} paused.");
        }
        CampaignsCommand::Resume { name } => {
            let campaign = find(&app.store, tenant, &name).await?;
            move_to(
                &app.store,
                &campaign,
                CampaignState::Paused,
                CampaignState::Running,
                "resumed from the CLI",
            )
            .await?;
            println!("Campaign {name} resumed.");
        }
        CampaignsCommand::Cancel { name } => {
            let campaign = find(&app.store, tenant, &name).await?;
            if !campaign.state.can_become(CampaignState::Cancelled) {
                bail!(
                    "campaign {name} is {} and cannot be cancelled",
                    campaign.state
                );
            }
            move_to(
                &app.store,
                &campaign,
                campaign.state,
                CampaignState::Cancelled,
                "cancelled from the CLI",
            )
            .await?;
            println!("Campaign {name} cancelled; messages not yet sent are suppressed.");
        }
        CampaignsCommand::Test { name } => {
            let campaign = find(&app.store, tenant, &name).await?;
            let compiled = compile_record(&app.store, &campaign).await?;
            if compiled.proof.is_empty() {
                bail!("campaign {name} has no proof list (`proof = [\"+1…\"]`)");
            }
            let mut queued = 0;
            for number in &compiled.proof {
                for variant in &compiled.variants {
                    app.store
                        .enqueue_single(
                            campaign.id,
                            tenant,
                            number.as_str(),
                            &variant.name,
                            now,
                            now,
                        )
                        .await?;
                    queued += 1;
                }
            }
            println!("Queued {queued} test messages (every variant to every proof number).");
        }
        CampaignsCommand::List { json } => {
            let campaigns = app.store.campaigns(tenant).await?;
            if json {
                let rows: Vec<Value> = campaigns
                    .iter()
                    .map(|c| json!({"id": c.id.0, "name": c.name, "state": c.state.as_str()}))
                    .collect();
                output::json(&rows)?;
            } else {
                for c in campaigns {
                    println!("{:>5}  {:<10} {}", c.id.0, c.state.as_str(), c.name);
                }
            }
        }
    }
    app.store.close().await;
    Ok(ExitCode::SUCCESS)
}

async fn find(store: &Store, tenant: TenantId, name: &str) -> anyhow::Result<CampaignRecord> {
    store
        .campaign_by_name(tenant, name)
        .await?
        .ok_or_else(|| anyhow!("no campaign named {name:?} (see `canvass campaigns list`)"))
}

async fn move_to(
    store: &Store,
    campaign: &CampaignRecord,
    from: CampaignState,
    to: CampaignState,
    note: &str,
) -> anyhow::Result<()> {
    if campaign.state != from {
        bail!(
            "campaign {} is {}, not {from}",
            campaign.name,
            campaign.state
        );
    }
    let now = jiff::Timestamp::now().as_millisecond();
    if !store
        .transition(campaign.id, from, to, Some(note), now)
        .await?
    {
        bail!(
            "campaign {} changed state meanwhile; look again with `canvass campaigns status`",
            campaign.name
        );
    }
    Ok(())
}

/// The tenant's segment schema (its region layers, and ZIP centroids for distance functions).
pub async fn schema_kinds(store: &Store, tenant: TenantId) -> anyhow::Result<Vec<String>> {
    Ok(store.region_kinds(tenant).await?)
}

/// Compiles a definition against the tenant's schema, or returns every problem.
pub async fn compile(
    store: &Store,
    tenant: TenantId,
    definition: &CampaignDefinition,
) -> anyhow::Result<Result<Compiled, Vec<String>>> {
    let kinds = schema_kinds(store, tenant).await?;
    let centroid = |zip: &str| geo::zip_info(zip).map(|z| (z.lat, z.lon));
    Ok(definition
        .compile(&Schema {
            region_kinds: kinds,
            zip_centroid: &centroid,
        })
        .map_err(|problems| problems.iter().map(ToString::to_string).collect()))
}

async fn compile_record(store: &Store, campaign: &CampaignRecord) -> anyhow::Result<Compiled> {
    let definition = CampaignDefinition::from_json_str(&campaign.definition)?;
    compile(store, campaign.tenant, &definition)
        .await?
        .map_err(|p| {
            anyhow!(
                "campaign {} no longer compiles: {}",
                campaign.name,
                p.join("; ")
            )
        })
}

/// Media paths in a definition are relative to its file; the stored definition keeps them absolute.
pub fn resolve_media(definition: &mut CampaignDefinition, base: &Path) -> anyhow::Result<()> {
    for variant in &mut definition.variants {
        if let Some(media) = &mut variant.media {
            let path = match media {
                Media::Picture { path, .. } | Media::Video { path } | Media::File { path } => path,
            };
            let full = base.join(&*path);
            let full = full
                .canonicalize()
                .with_context(|| format!("variant {}: media {}", variant.name, full.display()))?;
            *path = full.display().to_string();
        }
    }
    Ok(())
}

/// The template context of a contact as a preview sees it (the worker's context, minus the link).
fn contact_context(c: &ContactRow) -> Value {
    json!({
        "phone": c.phone,
        "first_name": c.given_name,
        "last_name": c.family_name,
        "zip": c.zip,
        "state": c.state,
        "county": c.county_name,
        "issues": c.issues,
        "attr": c.attrs,
    })
}

async fn create(
    app: &App,
    tenant: TenantId,
    file: &Path,
    name: Option<String>,
    as_json: bool,
) -> anyhow::Result<ExitCode> {
    let mut definition = CampaignDefinition::from_path(file)?;
    let base = file
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    resolve_media(&mut definition, base)?;
    let compiled = match compile(&app.store, tenant, &definition).await? {
        Ok(c) => c,
        Err(problems) => {
            for p in &problems {
                eprintln!("{}: {p}", file.display());
            }
            eprintln!("{} problem(s); nothing stored", problems.len());
            return Ok(ExitCode::from(2));
        }
    };
    let name = name.unwrap_or_else(|| {
        file.file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "campaign".into())
    });
    let now = jiff::Timestamp::now().as_millisecond();
    let stored = match app.store.campaign_by_name(tenant, &name).await? {
        Some(existing) if existing.state == CampaignState::Draft => {
            app.store
                .update_definition(existing.id, &definition.to_json(), now)
                .await?;
            existing
        }
        Some(existing) => bail!(
            "campaign {name} is already {}; give the new one another name (--name)",
            existing.state
        ),
        None => {
            app.store
                .create_campaign(tenant, &name, &definition.to_json(), now)
                .await?
        }
    };
    let summary = summarise(app, tenant, &compiled).await?;
    if as_json {
        let mut summary = summary;
        summary["id"] = json!(stored.id.0);
        summary["name"] = json!(name);
        output::json(&summary)?;
    } else {
        print_summary(&name, &summary);
    }
    app.store.close().await;
    Ok(ExitCode::SUCCESS)
}

/// Audience, variant shares, previews and sizes: what staff check before launch.
pub async fn summarise(app: &App, tenant: TenantId, compiled: &Compiled) -> anyhow::Result<Value> {
    let store = &app.store;
    let audience = store
        .count_segment(tenant, compiled.segment.as_ref())
        .await?;
    let shares = store
        .variant_breakdown(
            tenant,
            compiled.segment.as_ref(),
            &compiled.rules,
            &compiled.default_variant,
        )
        .await?;
    let samples = store
        .preview_segment(tenant, compiled.segment.as_ref(), 50)
        .await?;
    let mut variants = Vec::new();
    for variant in &compiled.variants {
        let count = shares
            .iter()
            .find(|(v, _)| *v == variant.name)
            .map_or(0, |(_, n)| *n);
        let sample = samples
            .first()
            .map(contact_context)
            .unwrap_or_else(|| json!({}));
        let preview = render_preview(compiled, &variant.name, &sample)?;
        let media_bytes = match &variant.media {
            Some(Media::Video { path } | Media::File { path }) => {
                std::fs::metadata(path).map(|m| m.len()).ok()
            }
            Some(Media::Picture { path, .. }) => Some(render_sample_picture(path, &sample)?),
            None => None,
        };
        let cost = sms_cost(&preview.text);
        variants.push(json!({
            "name": variant.name,
            "recipients": count,
            "preview": preview.text,
            "encoding": format!("{:?}", cost.encoding),
            "sms_segments": cost.segments,
            "sms_segments_total": count * cost.segments as i64,
            "mms_media_bytes": media_bytes,
        }));
    }
    Ok(json!({
        "audience": audience,
        "channels": compiled.channels.iter().map(|c| c.as_str()).collect::<Vec<_>>(),
        "variants": variants,
    }))
}

fn render_sample_picture(path: &str, sample: &Value) -> anyhow::Result<u64> {
    let template = canvass_media::render::Template::load(Path::new(path))?;
    let fields = canvass_server::sending::media::picture_fields(sample, &Default::default());
    Ok(template.render(&fields)?.bytes.len() as u64)
}

fn print_summary(name: &str, summary: &Value) {
    println!("Campaign {name} stored as a draft.");
    println!(
        "  audience: {} contacts",
        thousands(summary["audience"].as_i64().unwrap_or(0))
    );
    println!("  channels: {}", summary["channels"]);
    for v in summary["variants"].as_array().into_iter().flatten() {
        println!(
            "  variant {:<14} {:>9} recipients  SMS: {} × {} segment(s) ({}){}",
            v["name"].as_str().unwrap_or("?"),
            thousands(v["recipients"].as_i64().unwrap_or(0)),
            v["encoding"].as_str().unwrap_or("?"),
            v["sms_segments"],
            thousands(v["sms_segments_total"].as_i64().unwrap_or(0)),
            v["mms_media_bytes"]
                .as_u64()
                .map(|b| format!("  MMS media: {} bytes", thousands(b as i64)))
                .unwrap_or_default()
        );
        println!(
            "      “{}”",
            v["preview"]
                .as_str()
                .unwrap_or_default()
                .replace('\n', " ⏎ ")
        );
    }
    println!("Launch it with: canvass campaigns launch {name}");
}

async fn status(store: &Store, campaign: &CampaignRecord, as_json: bool) -> anyhow::Result<()> {
    let by_status = store.message_counts_by_status(campaign.id).await?;
    let detail = store.campaign_counts(campaign.id).await?;
    let events = store.campaign_events(campaign.id).await?;
    let links = store.link_counts(campaign.id).await?;
    if as_json {
        output::json(&json!({
            "id": campaign.id.0,
            "name": campaign.name,
            "state": campaign.state.as_str(),
            "expanded_through": campaign.expanded_through,
            "frozen_through": campaign.frozen_through,
            "by_status": by_status.iter().map(|(s, n)| (s.clone(), json!(n))).collect::<serde_json::Map<_, _>>(),
            "by_variant_state_status": detail.iter().map(|r| json!({
                "variant": r.variant, "state": r.state, "status": r.status, "count": r.count
            })).collect::<Vec<_>>(),
            "link_events": links.iter().map(|(variant, kind, count)| json!({
                "variant": variant, "kind": kind, "count": count
            })).collect::<Vec<_>>(),
            "events": events.iter().map(|e| json!({
                "at": e.at, "from": e.from.map(|s| s.as_str()), "to": e.to.as_str(), "note": e.note
            })).collect::<Vec<_>>(),
        }))?;
        return Ok(());
    }
    println!(
        "Campaign {} ({}): {}",
        campaign.name, campaign.id.0, campaign.state
    );
    let total: i64 = by_status.iter().map(|(_, n)| n).sum();
    for (status, n) in &by_status {
        println!("  {status:<12} {:>10}", thousands(*n));
    }
    println!("  {:<12} {:>10}", "total", thousands(total));
    for (variant, kind, count) in &links {
        println!("  {kind:<6} {:>9}  on variant {variant}", thousands(*count));
    }
    for e in events {
        let at = jiff::Timestamp::from_millisecond(e.at)
            .map(|t| t.to_string())
            .unwrap_or_default();
        println!(
            "  {at}  {} → {}  {}",
            e.from.map_or("-", |s| s.as_str()),
            e.to,
            e.note.unwrap_or_default()
        );
    }
    Ok(())
}
