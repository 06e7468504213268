//! Part 1: expansion against SQLite's own `INSERT … SELECT` of the same rows into a table with the same columns
//! (the messages table's own DDL, without its indexes). Each run starts from empty tables.

use super::median;
use super::setup::{T, campaign_toml, launch};
use anyhow::Context;
use canvass_campaigns::expansion::{CHUNK, expand};
use canvass_campaigns::lifecycle::CampaignState;
use canvass_campaigns::ports::CampaignStore;
use canvass_server::App;
use canvass_server::sending::plans::compile_stored;
use canvass_store::Store;
use std::time::Instant;

/// One run of each side.
#[derive(Debug, Clone, Copy, serde::Serialize)]
pub struct Run {
    pub rows: u64,
    pub ours_secs: f64,
    pub ceiling_secs: f64,
}

/// Medians over the runs.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Expansion {
    pub runs: Vec<Run>,
    pub ours_per_sec: f64,
    pub ceiling_per_sec: f64,
    pub ratio: f64,
}

pub async fn run(app: &App, runs: usize, now: i64) -> anyhow::Result<Expansion> {
    let Store::Sqlite(pool) = &app.store else {
        anyhow::bail!("the expansion ceiling runs on SQLite")
    };
    let ddl: String = sqlx::query_scalar("SELECT sql FROM sqlite_master WHERE name = 'messages'")
        .fetch_one(pool)
        .await?;
    let ceiling_ddl = ddl.replacen("messages", "ceiling_messages", 1);
    anyhow::ensure!(
        ceiling_ddl.starts_with("CREATE TABLE ceiling_messages"),
        "unexpected messages DDL: {ddl}"
    );
    let mut all = Vec::new();
    for n in 0..runs.max(1) {
        // The ceiling: the same columns, the same rows, constant variant and status, one statement.
        sqlx::query("DROP TABLE IF EXISTS ceiling_messages")
            .execute(pool)
            .await?;
        sqlx::query(sqlx::AssertSqlSafe(ceiling_ddl.clone()))
            .execute(pool)
            .await?;
        let started = Instant::now();
        let ceiling_rows = sqlx::query(
            "INSERT INTO ceiling_messages (tenant_id, campaign_id, contact_id, phone, variant, status, due_at, \
             error_code, expires_at, created_at) \
             SELECT tenant_id, NULL, id, phone, 'default', 'queued', ?1, NULL, NULL, ?1 FROM contacts \
             WHERE tenant_id = ?2",
        )
        .bind(now)
        .bind(T.0)
        .execute(pool)
        .await
        .context("the ceiling insert")?
        .rows_affected();
        let ceiling_secs = started.elapsed().as_secs_f64();
        sqlx::query("DROP TABLE ceiling_messages")
            .execute(pool)
            .await?;

        // Ours: a campaign launched and expanded with its compiled plan, exactly as the driver does.
        let record = launch(
            app,
            &format!("bench-expand-{n}"),
            &campaign_toml("sms", None),
            now,
        )
        .await?;
        let compiled = compile_stored(&app.store, T, &record.definition)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        let mut plan = compiled.expansion_plan(record.id, T, now);
        plan.now = now;
        let started = Instant::now();
        let totals = expand(&app.store, &plan, CHUNK, || true, |_| {}).await?;
        let ours_secs = started.elapsed().as_secs_f64();
        let rows = totals.queued + totals.suppressed;
        anyhow::ensure!(
            rows == ceiling_rows,
            "expansion wrote {rows} messages, the ceiling {ceiling_rows}"
        );
        // Out of the way of the sending parts: the campaign ends and its messages go.
        app.store
            .transition(
                record.id,
                CampaignState::Running,
                CampaignState::Cancelled,
                Some("bench run over"),
                now,
            )
            .await?;
        sqlx::query("DELETE FROM messages WHERE campaign_id = ?1")
            .bind(record.id.0)
            .execute(pool)
            .await?;
        eprintln!(
            "expansion run {}: ours {ours_secs:.2} s, ceiling {ceiling_secs:.2} s ({rows} rows)",
            n + 1
        );
        all.push(Run {
            rows,
            ours_secs,
            ceiling_secs,
        });
    }
    let rate = |secs: f64, rows: u64| rows as f64 / secs.max(1e-9);
    let ours_per_sec = median(all.iter().map(|r| rate(r.ours_secs, r.rows)).collect());
    let ceiling_per_sec = median(all.iter().map(|r| rate(r.ceiling_secs, r.rows)).collect());
    Ok(Expansion {
        runs: all,
        ours_per_sec,
        ceiling_per_sec,
        ratio: ours_per_sec / ceiling_per_sec.max(1e-9),
    })
}
