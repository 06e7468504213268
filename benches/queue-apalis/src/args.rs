//! Command-line options, parsed by hand to keep this crate's dependencies to what it measures.

use anyhow::{Context, Result, bail};
use std::path::PathBuf;

/// Which side to run; both when absent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Ours,
    Apalis,
}

#[derive(Debug, Clone)]
pub struct Args {
    /// Jobs enqueued and drained per run.
    pub jobs: usize,
    /// Runs per side; the report gives medians.
    pub runs: usize,
    /// Where the fresh database files go.
    pub dir: PathBuf,
    pub side: Option<Side>,
    /// apalis: futures in flight in the worker (`WorkerBuilder::concurrency`).
    pub apalis_concurrency: usize,
    /// apalis: rows fetched per poll (`Config::batch_size`).
    pub apalis_batch: usize,
    /// apalis: whether each task is marked `Running` before it runs (`Config::lock_tasks`, on by default).
    pub apalis_lock: bool,
    /// apalis: run `ANALYZE` after enqueueing, untimed (its `setup` only optimises the empty database).
    pub apalis_analyze: bool,
}

const USAGE: &str = "options: --jobs N (200000) --runs N (3) --dir PATH (/tmp/queue-apalis) --only ours|apalis \
                     --apalis-concurrency N (512) --apalis-batch N (512) --apalis-lock true|false (true) \
                     --apalis-analyze true|false (true)";

impl Args {
    pub fn parse() -> Result<Args> {
        let mut a = Args {
            jobs: 200_000,
            runs: 3,
            dir: PathBuf::from("/tmp/queue-apalis"),
            side: None,
            apalis_concurrency: 512,
            apalis_batch: 512,
            apalis_lock: true,
            apalis_analyze: true,
        };
        let mut it = std::env::args().skip(1);
        while let Some(flag) = it.next() {
            if flag == "--help" || flag == "-h" {
                println!("{USAGE}");
                std::process::exit(0);
            }
            let value = it
                .next()
                .with_context(|| format!("{flag} needs a value; {USAGE}"))?;
            let num = || {
                value
                    .parse::<usize>()
                    .with_context(|| format!("{flag} {value}"))
            };
            match flag.as_str() {
                "--jobs" => a.jobs = num()?,
                "--runs" => a.runs = num()?,
                "--dir" => a.dir = PathBuf::from(&value),
                "--apalis-concurrency" => a.apalis_concurrency = num()?.max(1),
                "--apalis-batch" => a.apalis_batch = num()?.max(1),
                "--apalis-lock" => {
                    a.apalis_lock = value.parse().with_context(|| format!("{flag} {value}"))?
                }
                "--apalis-analyze" => {
                    a.apalis_analyze = value.parse().with_context(|| format!("{flag} {value}"))?
                }
                "--only" => {
                    a.side = Some(match value.as_str() {
                        "ours" => Side::Ours,
                        "apalis" => Side::Apalis,
                        _ => bail!("--only ours|apalis"),
                    })
                }
                _ => bail!("unknown option {flag}; {USAGE}"),
            }
        }
        if a.jobs == 0 || a.runs == 0 {
            bail!("--jobs and --runs must be positive");
        }
        Ok(a)
    }
}
