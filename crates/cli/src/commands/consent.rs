//! `canvass consent export|import`: the consent ledger as CSV (phone, kind, source, evidence, at), so it can be
//! kept outside Canvass, audited, and carried to another system. Times are RFC 3339 in UTC.

use super::open;
use crate::args::{ConsentCommand, Global};
use anyhow::{Context, bail};
use canvass_dispatch::ports::ConsentChange;
use canvass_types::TenantId;
use std::io::Write;
use std::process::ExitCode;

const HEADER: [&str; 5] = ["phone", "kind", "source", "evidence", "at"];

pub async fn run(g: &Global, tenant: TenantId, cmd: ConsentCommand) -> anyhow::Result<ExitCode> {
    let app = open(g).await?;
    match cmd {
        ConsentCommand::Export { output, phone } => {
            let rows = app.store.consent_ledger(tenant, phone.as_deref()).await?;
            let sink: Box<dyn Write> = match &output {
                Some(path) => Box::new(
                    std::fs::File::create(path)
                        .with_context(|| format!("cannot create {}", path.display()))?,
                ),
                None => Box::new(std::io::stdout().lock()),
            };
            let mut csv = csv::Writer::from_writer(sink);
            csv.write_record(HEADER)?;
            for r in &rows {
                let at = jiff::Timestamp::from_millisecond(r.at)?.to_string();
                csv.write_record([
                    r.phone.as_str(),
                    if r.opt_in { "opt_in" } else { "opt_out" },
                    r.source.as_str(),
                    r.evidence.as_deref().unwrap_or(""),
                    at.as_str(),
                ])?;
            }
            csv.flush()?;
            if output.is_some() {
                eprintln!("{} ledger rows written", rows.len());
            }
        }
        ConsentCommand::Import { file } => {
            let mut reader = csv::Reader::from_path(&file)
                .with_context(|| format!("cannot read {}", file.display()))?;
            let headers = reader.headers()?.clone();
            if headers.iter().collect::<Vec<_>>() != HEADER {
                bail!(
                    "{}: the header must be {}",
                    file.display(),
                    HEADER.join(",")
                );
            }
            let mut changes = Vec::new();
            let mut problems = Vec::new();
            for (i, record) in reader.records().enumerate() {
                let line = i + 2;
                let record = match record {
                    Ok(r) => r,
                    Err(e) => {
                        problems.push(format!("line {line}: {e}"));
                        continue;
                    }
                };
                let field = |n: usize| record.get(n).unwrap_or_default();
                let phone = match canvass_audience::phone::parse_phone(field(0)) {
                    Ok(p) => p.msisdn.to_string(),
                    Err(e) => {
                        problems.push(format!("line {line}: phone {:?}: {e}", field(0)));
                        continue;
                    }
                };
                let opt_in = match field(1) {
                    "opt_in" => true,
                    "opt_out" => false,
                    other => {
                        problems.push(format!(
                            "line {line}: kind {other:?} is not opt_in or opt_out"
                        ));
                        continue;
                    }
                };
                let at = match field(4).parse::<jiff::Timestamp>() {
                    Ok(t) => t.as_millisecond(),
                    Err(e) => {
                        problems.push(format!("line {line}: at {:?}: {e}", field(4)));
                        continue;
                    }
                };
                if field(2).is_empty() {
                    problems.push(format!("line {line}: source is empty"));
                    continue;
                }
                changes.push(ConsentChange {
                    tenant,
                    phone,
                    opt_in,
                    source: field(2).to_owned(),
                    evidence: Some(field(3).to_owned()).filter(|e| !e.is_empty()),
                    at,
                });
            }
            // Good rows land even when others are bad; every bad one is named.
            let added = app.store.import_consent(&changes).await?;
            for p in &problems {
                eprintln!("{}: {p}", file.display());
            }
            println!(
                "{added} ledger rows added ({} already there), {} refused",
                changes.len() as u64 - added,
                problems.len()
            );
            if !problems.is_empty() {
                app.store.close().await;
                return Ok(ExitCode::from(2));
            }
        }
    }
    app.store.close().await;
    Ok(ExitCode::SUCCESS)
}
