//! The apalis side: `apalis-sqlite` 1.0 with its own worker.
//!
//! Enqueue is `TaskSink::push_bulk` in chunks of 20,000 jobs (one transaction each, like our expansion chunks).
//! Drain is an apalis worker with `concurrency(n)` and `Config::batch_size`, whose handler only returns `Ok`;
//! apalis then writes each job's `Done` through its own batched event path. The clock stops when every row reads
//! `Done` in the database, not when the handler has seen every job.
//!
//! Connections get the same settings as `Store::open` (WAL, `synchronous = NORMAL`, 32 MB page cache, 4
//! connections). `SqliteStorage::setup` also turns `synchronous` off on whichever connection runs it, so it runs on
//! a pool of its own that is closed before timing starts: both queues commit with the same durability.

use crate::Rates;
use crate::args::Args;
use anyhow::{Result, bail, ensure};
use apalis::prelude::*;
use apalis_sqlite::{Config, SqliteStorage};
use serde::{Deserialize, Serialize};
use sqlx::SqlitePool;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};
use tokio::sync::Notify;

const PUSH_CHUNK: usize = 20_000;

/// What each job carries: the same fields a claimed message has for sending.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Job {
    pub message_id: i64,
    pub phone: String,
    pub variant: String,
}

/// Shared by the handler and the bench: how many jobs ran, and the worker to stop once all have.
#[derive(Debug)]
pub struct Progress {
    target: usize,
    seen: AtomicUsize,
    all_seen: Notify,
    worker: OnceLock<WorkerContext>,
}

async fn ack(
    _job: Job,
    wrk: WorkerContext,
    progress: Data<Arc<Progress>>,
) -> Result<(), BoxDynError> {
    let _ = progress.worker.set(wrk);
    if progress.seen.fetch_add(1, Ordering::Relaxed) + 1 == progress.target {
        progress.all_seen.notify_one();
    }
    Ok(())
}

fn options(path: &Path) -> SqliteConnectOptions {
    SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .busy_timeout(Duration::from_secs(10))
        .pragma("cache_size", "-32768")
        .pragma("temp_store", "memory")
}

async fn done_count(pool: &SqlitePool) -> Result<i64> {
    let n: (i64,) = sqlx::query_as("SELECT count(*) FROM Jobs WHERE status = 'Done'")
        .fetch_one(pool)
        .await?;
    Ok(n.0)
}

pub async fn run(path: &Path, jobs: usize, args: &Args) -> Result<Rates> {
    let setup = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options(path))
        .await?;
    SqliteStorage::setup(&setup).await?;
    setup.close().await;
    let pool = SqlitePoolOptions::new()
        .max_connections(4)
        .connect_with(options(path))
        .await?;
    let config = Config::default()
        .queue("bench")
        .batch_size(args.apalis_batch)
        .lock_tasks(args.apalis_lock);
    let mut storage: SqliteStorage<Job> = SqliteStorage::new(&pool).with_config(config);

    // Enqueue.
    let start = Instant::now();
    let mut next = 0usize;
    while next < jobs {
        let end = (next + PUSH_CHUNK).min(jobs);
        let batch: Vec<Job> = (next..end)
            .map(|i| Job {
                message_id: i as i64 + 1,
                phone: format!("+1215{:07}", i + 1),
                variant: "a".into(),
            })
            .collect();
        storage.push_bulk(batch).await?;
        next = end;
    }
    let enqueue_s = start.elapsed().as_secs_f64();
    if args.apalis_analyze {
        // Untimed. Without planner statistics SQLite runs apalis's acknowledgement (`UPDATE Jobs … FROM
        // json_each(?)`) from the `lock_by` index, visiting every row this worker ever locked once per batch
        // entry, so the drain slows as it goes; with statistics it looks each id up by its key.
        sqlx::query("ANALYZE").execute(&pool).await?;
    }

    // Drain.
    let progress = Arc::new(Progress {
        target: jobs,
        seen: AtomicUsize::new(0),
        all_seen: Notify::new(),
        worker: OnceLock::new(),
    });
    let start = Instant::now();
    let worker = WorkerBuilder::new("bench")
        .backend(storage)
        .concurrency(args.apalis_concurrency)
        .data(progress.clone())
        .build(ack);
    let running = tokio::spawn(async move { worker.run().await });
    if std::env::var_os("BENCH_TRACE").is_some() {
        let (p, pool) = (progress.clone(), pool.clone());
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(Duration::from_millis(500)).await;
                let rows: Vec<(String, i64)> =
                    sqlx::query_as("SELECT status, count(*) FROM Jobs GROUP BY status")
                        .fetch_all(&pool)
                        .await
                        .unwrap_or_default();
                eprintln!(
                    "{:?} seen {} {rows:?}",
                    start.elapsed(),
                    p.seen.load(Ordering::Relaxed)
                );
            }
        });
    }
    progress.all_seen.notified().await;
    // Every handler has returned; the acknowledgements land in later batches.
    let mut waited = 0u32;
    let mut done = done_count(&pool).await?;
    while done < jobs as i64 {
        waited += 1;
        if waited > 6_000 {
            bail!("only {done} of {jobs} jobs reached Done");
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
        done = done_count(&pool).await?;
    }
    let drain_s = start.elapsed().as_secs_f64();
    if let Some(w) = progress.worker.get() {
        let _ = w.stop();
    }
    match tokio::time::timeout(Duration::from_secs(30), running).await {
        Ok(joined) => {
            if let Err(e) = joined? {
                eprintln!("apalis worker ended with: {e}");
            }
        }
        Err(_) => eprintln!("apalis worker did not stop within 30 s"),
    }
    ensure!(done == jobs as i64, "{done} of {jobs} jobs Done");
    pool.close().await;
    Ok(Rates {
        enqueue: jobs as f64 / enqueue_s,
        drain: jobs as f64 / drain_s,
    })
}
