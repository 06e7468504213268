//! The demo's tables: before launch (audience, variants, previews, sizes) and after (by variant, state and
//! status; the STOP replies and what they did).

use crate::output::thousands;
use canvass_campaigns::ports::CampaignStore;
use canvass_server::App;
use canvass_simulator::Simulator;
use canvass_types::{CampaignId, MessageStatus};
use serde_json::Value;
use std::collections::BTreeMap;

pub fn print_preflight(summary: &Value) {
    println!(
        "   audience {} contacts; channels {}",
        thousands(summary["audience"].as_i64().unwrap_or(0)),
        summary["channels"]
    );
    for v in summary["variants"].as_array().into_iter().flatten() {
        let media = v["mms_media_bytes"]
            .as_u64()
            .map(|b| format!(", media {} KB", b / 1024))
            .unwrap_or_default();
        println!(
            "   {:<16} {:>8} recipients, SMS {} segment(s){media}",
            v["name"].as_str().unwrap_or("?"),
            thousands(v["recipients"].as_i64().unwrap_or(0)),
            v["sms_segments"],
        );
        println!("      “{}”", v["preview"].as_str().unwrap_or_default());
    }
}

/// Status columns in the machine's order.
fn columns() -> Vec<&'static str> {
    MessageStatus::ALL.iter().map(|s| s.as_str()).collect()
}

fn table(title: &str, rows: &BTreeMap<String, BTreeMap<String, i64>>, limit: usize) {
    println!("\n{title}");
    let cols = columns();
    print!("   {:<16}", "");
    for c in &cols {
        print!(" {:>11}", c);
    }
    println!();
    let mut ordered: Vec<_> = rows.iter().collect();
    ordered.sort_by_key(|(_, counts)| -counts.values().sum::<i64>());
    for (key, counts) in ordered.into_iter().take(limit) {
        print!("   {key:<16}");
        for c in &cols {
            print!(" {:>11}", thousands(counts.get(*c).copied().unwrap_or(0)));
        }
        println!();
    }
}

pub async fn print_results(
    app: &App,
    id: CampaignId,
    sim: &Simulator,
    slowest_stop_ms: u64,
) -> anyhow::Result<()> {
    let rows = app.store.campaign_counts(id).await?;
    let mut by_variant: BTreeMap<String, BTreeMap<String, i64>> = BTreeMap::new();
    let mut by_state: BTreeMap<String, BTreeMap<String, i64>> = BTreeMap::new();
    for r in &rows {
        *by_variant
            .entry(r.variant.clone())
            .or_default()
            .entry(r.status.clone())
            .or_default() += r.count;
        let state = r.state.clone().unwrap_or_else(|| "?".into());
        *by_state
            .entry(state)
            .or_default()
            .entry(r.status.clone())
            .or_default() += r.count;
    }
    table("By variant:", &by_variant, 20);
    table("By state (top 10):", &by_state, 10);
    let channels = app.store.channel_counts(id).await?;
    println!(
        "\nBy channel: {}",
        channels
            .iter()
            .map(|(c, n)| format!("{c} {}", thousands(*n)))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let stops = app
        .store
        .inbox_keywords(canvass_types::TenantId::DEFAULT, "stop")
        .await?;
    println!(
        "\nSTOP replies honoured ({}; each an opt-out in the store within {slowest_stop_ms} ms of the handset sending it):",
        stops.len()
    );
    for (phone, body, status) in stops {
        let ledger = app
            .store
            .consent_ledger(canvass_types::TenantId::DEFAULT, Some(&phone))
            .await?;
        let state = match ledger.last() {
            Some(row) if !row.opt_in => format!("opted out (ledger: {})", row.source),
            _ => "NOT opted out".to_owned(),
        };
        println!("   {phone:<14} said {body:<14} → {state}; their message: {status}");
    }
    let stats = sim.stats().snapshot();
    println!(
        "\nSimulator: {} accepted submits, {} distinct messages to {} recipients, {} duplicates",
        thousands(stats.accepted_total as i64),
        thousands(stats.distinct_messages as i64),
        thousands(stats.by_recipient.len() as i64),
        thousands(stats.duplicates as i64)
    );
    Ok(())
}
