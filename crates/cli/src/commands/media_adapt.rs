//! `canvass media adapt IN (--profile NAME | --max-bytes N) [--handset +1…] -o OUT`: one file of any supported
//! type adapted to a carrier profile, with JSON facts about the output on stdout.

use super::media_target;
use super::open;
use crate::args::{Global, MediaAdaptArgs};
use crate::media_compose::adapt_file;
use crate::output;
use anyhow::Context;
use canvass_types::TenantId;
use std::process::ExitCode;

pub async fn run(g: &Global, tenant: TenantId, args: MediaAdaptArgs) -> anyhow::Result<ExitCode> {
    let app = open(g).await?;
    let target = media_target::resolve(&app, tenant, &args.target).await;
    app.store.close().await;
    let target = target?;
    let input = args.input.clone();
    let (profile, budget) = (target.profile.clone(), target.budget);
    let adapted = tokio::task::spawn_blocking(move || adapt_file(&input, &profile, budget))
        .await
        .context("the adapter thread failed")??;
    std::fs::write(&args.output, &adapted.content)
        .with_context(|| format!("cannot write {}", args.output.display()))?;
    let mut facts = serde_json::to_value(&adapted)?;
    if let Some(object) = facts.as_object_mut() {
        let mut steps = target.notes;
        steps.extend(adapted.steps);
        object.insert("steps".into(), serde_json::json!(steps));
        object.insert("input".into(), serde_json::json!(args.input));
        object.insert("output".into(), serde_json::json!(args.output));
        object.insert("budget_bytes".into(), serde_json::json!(budget));
        object.insert("profile".into(), serde_json::to_value(&target.profile)?);
        object.insert("handset".into(), serde_json::to_value(&target.handset)?);
    }
    output::json(&facts)?;
    Ok(ExitCode::SUCCESS)
}
