//! `contacts import`.

use super::open;
use crate::args::{ContactsCommand, Global};
use crate::output::{self, thousands};
use anyhow::Context;
use canvass_audience::import::{Encoding, ImportOptions, ImportSummary, import_csv};
use canvass_server::App;
use canvass_store::ContactWriter;
use canvass_types::{TenantId, metric_names};
use indicatif::{ProgressBar, ProgressStyle};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

pub async fn run(g: &Global, tenant: TenantId, cmd: ContactsCommand) -> anyhow::Result<ExitCode> {
    let ContactsCommand::Import {
        file,
        map,
        encoding,
        rejects,
        json,
    } = cmd;
    let encoding: Encoding = encoding.parse().map_err(anyhow::Error::msg)?;
    let app = open(g).await?;
    let rejects = rejects.unwrap_or_else(|| rejects_path(&file));
    let started = Instant::now();
    let summary = import_file(&app, tenant, &file, map, encoding, &rejects, !json).await?;
    let seconds = started.elapsed().as_secs_f64();
    app.store.close().await;
    if json {
        output::json(&serde_json::json!({
            "summary": summary,
            "rejects_file": (summary.rejected > 0).then(|| rejects.display().to_string()),
            "seconds": seconds,
            "rows_per_second": summary.rows as f64 / seconds.max(1e-9),
            "peak_rss_bytes": output::peak_rss_bytes(),
        }))?;
    } else {
        print_summary(&summary, &rejects, seconds);
    }
    Ok(ExitCode::SUCCESS)
}

/// `voters.csv` → `voters.rejects.csv`, beside the input.
pub fn rejects_path(file: &Path) -> PathBuf {
    let stem = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "import".into());
    file.with_file_name(format!("{stem}.rejects.csv"))
}

/// Imports one file with a progress bar, and returns the totals.
pub async fn import_file(
    app: &App,
    tenant: TenantId,
    file: &Path,
    mapping: Vec<String>,
    encoding: Encoding,
    rejects: &Path,
    progress: bool,
) -> anyhow::Result<ImportSummary> {
    let input =
        std::fs::File::open(file).with_context(|| format!("cannot open {}", file.display()))?;
    let size = input.metadata().map(|m| m.len()).unwrap_or(0);
    let rejects_file = std::fs::File::create(rejects)
        .with_context(|| format!("cannot create {}", rejects.display()))?;
    let locator = app.store.region_locator(tenant).await?;
    let mut writer = ContactWriter::new(app.store.clone(), locator.is_some());
    let options = ImportOptions {
        tenant,
        mapping,
        encoding,
        locator,
        ..ImportOptions::default()
    };
    let bar = if progress {
        ProgressBar::new(size)
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} importing [{bar:40}] {bytes}/{total_bytes} {msg} ({eta})",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    let started = Instant::now();
    let summary = import_csv(
        std::io::BufReader::with_capacity(1 << 20, input),
        rejects_file,
        options,
        &mut writer,
        |s| {
            bar.set_position(s.bytes);
            let rate = s.rows as f64 / started.elapsed().as_secs_f64().max(1e-9);
            bar.set_message(format!(
                "{} rows, {} rows/s",
                thousands(s.rows as i64),
                thousands(rate as i64)
            ));
        },
    )
    .await
    .with_context(|| format!("importing {}", file.display()))?;
    bar.finish_and_clear();
    app.store.analyze().await?;
    metrics::counter!(metric_names::CONTACTS_IMPORTED).increment(summary.imported);
    metrics::counter!(metric_names::CONTACTS_MERGED).increment(summary.merged);
    metrics::counter!(metric_names::CONTACTS_REJECTED).increment(summary.rejected);
    if summary.rejected == 0 {
        let _ = std::fs::remove_file(rejects);
    }
    Ok(summary)
}

pub fn print_summary(summary: &ImportSummary, rejects: &Path, seconds: f64) {
    println!(
        "imported {}, merged {}, rejected {} of {} rows in {:.1} s ({} rows/s)",
        thousands(summary.imported as i64),
        thousands(summary.merged as i64),
        thousands(summary.rejected as i64),
        thousands(summary.rows as i64),
        seconds,
        thousands((summary.rows as f64 / seconds.max(1e-9)) as i64),
    );
    if summary.rejected > 0 {
        println!(
            "rejected rows, with line numbers and reasons: {}",
            rejects.display()
        );
    }
}
