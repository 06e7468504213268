//! Queue benchmark for issue 6: apalis 1.0 on SQLite (`apalis-sqlite`) against Canvass's table queue
//! (`canvass-store`), each on a fresh SQLite file in WAL mode. Both enqueue the same M jobs (a message id, a phone
//! number and a variant) and then drain them with a worker that only acknowledges each job; throughput is jobs per
//! second of wall time, the median of the runs.
//!
//! ```text
//! cargo run --release --manifest-path benches/queue-apalis/Cargo.toml -- --jobs 200000 --runs 3
//! ```
#![forbid(unsafe_code)]

mod apalis_side;
mod args;
mod ours;

use anyhow::Result;
use args::Args;
use std::path::PathBuf;

/// One run's figures, in jobs per second.
#[derive(Debug, Clone, Copy)]
pub struct Rates {
    pub enqueue: f64,
    pub drain: f64,
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    let n = xs.len();
    if n == 0 {
        return f64::NAN;
    }
    if n % 2 == 1 {
        xs[n / 2]
    } else {
        (xs[n / 2 - 1] + xs[n / 2]) / 2.0
    }
}

/// A fresh database path for one run; the file and its WAL are removed first.
fn fresh(dir: &std::path::Path, name: &str) -> Result<PathBuf> {
    let path = dir.join(format!("{name}.db"));
    for suffix in ["", "-wal", "-shm"] {
        let p = PathBuf::from(format!("{}{suffix}", path.display()));
        if p.exists() {
            std::fs::remove_file(&p)?;
        }
    }
    Ok(path)
}

fn report(label: &str, runs: &[Rates]) -> Rates {
    let e = median(runs.iter().map(|r| r.enqueue).collect());
    let d = median(runs.iter().map(|r| r.drain).collect());
    let each: Vec<String> = runs
        .iter()
        .map(|r| format!("{:.0}/{:.0}", r.enqueue, r.drain))
        .collect();
    println!(
        "{label:<40} enqueue {e:>9.0} jobs/s   drain {d:>9.0} jobs/s   (runs enqueue/drain: {})",
        each.join(", ")
    );
    Rates {
        enqueue: e,
        drain: d,
    }
}

#[tokio::main]
async fn main() -> Result<()> {
    let args = Args::parse()?;
    std::fs::create_dir_all(&args.dir)?;
    println!(
        "jobs {} runs {} dir {} apalis: concurrency {} batch {} lock_tasks {} analyze {}",
        args.jobs,
        args.runs,
        args.dir.display(),
        args.apalis_concurrency,
        args.apalis_batch,
        args.apalis_lock,
        args.apalis_analyze
    );
    let mut ours_runs = Vec::new();
    let mut apalis_runs = Vec::new();
    // Interleaved, so that a change in the machine's load falls on both sides alike.
    for run in 0..args.runs {
        if args.side != Some(args::Side::Apalis) {
            let path = fresh(&args.dir, "ours")?;
            let r = ours::run(&path, args.jobs).await?;
            println!(
                "run {run} ours:   enqueue {:.0}/s drain {:.0}/s",
                r.enqueue, r.drain
            );
            ours_runs.push(r);
            fresh(&args.dir, "ours")?;
        }
        if args.side != Some(args::Side::Ours) {
            let path = fresh(&args.dir, "apalis")?;
            let r = apalis_side::run(&path, args.jobs, &args).await?;
            println!(
                "run {run} apalis: enqueue {:.0}/s drain {:.0}/s",
                r.enqueue, r.drain
            );
            apalis_runs.push(r);
            fresh(&args.dir, "apalis")?;
        }
    }
    println!();
    let o = (!ours_runs.is_empty()).then(|| report("table queue (canvass-store)", &ours_runs));
    let a = (!apalis_runs.is_empty()).then(|| report("apalis-sqlite 1.0", &apalis_runs));
    if let (Some(o), Some(a)) = (o, a) {
        println!(
            "ratio ours/apalis: enqueue {:.2}x  drain {:.2}x",
            o.enqueue / a.enqueue,
            o.drain / a.drain
        );
    }
    Ok(())
}
