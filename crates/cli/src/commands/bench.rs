//! `canvass bench audience`: import throughput as a ratio to SQLite's batched-insert ceiling on the same rows,
//! peak memory of the import, and segment-count latency on SQLite and PostgreSQL, all measured in one run.

use crate::args::BenchCommand;
use crate::output::{peak_rss_bytes, thousands};
use anyhow::Context;
use canvass_audience::import::{ImportOptions, import_csv};
use canvass_audience::regions::read_geojson;

use canvass_audience::synth::{SynthOptions, metro_areas_geojson, write_synthetic_csv};
use canvass_store::sql::{Statement, Value};
use canvass_store::{Backend, ContactWriter, Store};
use canvass_types::TenantId;
use sqlx::Row;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

const T: TenantId = TenantId::DEFAULT;

/// The segment the issue names (state + issue + radius + region), and its parts for context.
const QUERIES: [(&str, &str); 4] = [
    (
        "state+issue+radius+region",
        r#"state in ("PA", "OH") and "healthcare" in issues and within_miles("19103", 25) and region.metro_area = "Philadelphia""#,
    ),
    (
        "state+issue",
        r#"state in ("PA", "OH") and "healthcare" in issues"#,
    ),
    ("issue (broad)", r#""economy" in issues"#),
    ("radius 50 mi", r#"within_miles("60601", 50)"#),
];

pub async fn run(cmd: BenchCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        BenchCommand::Audience {
            rows,
            runs,
            postgres,
            dir,
        } => audience(rows, runs, postgres, dir).await,
        BenchCommand::Smpp {
            messages,
            latency_ms,
            binds,
            window,
            seconds,
            skip_kannel,
        } => {
            let settings = super::bench_smpp::Settings {
                messages,
                latencies_ms: latency_ms,
                binds,
                windows: window,
                seconds_per_run: seconds,
                skip_kannel,
            };
            super::bench_smpp::run(settings).await
        }
        BenchCommand::Campaign(args) => super::bench_campaign::run(args).await,
    }
}

async fn audience(
    rows: u64,
    runs: usize,
    postgres: Option<String>,
    dir: Option<std::path::PathBuf>,
) -> anyhow::Result<ExitCode> {
    let tmp = tempfile::tempdir()?;
    let dir = dir.unwrap_or_else(|| tmp.path().to_path_buf());
    std::fs::create_dir_all(&dir)?;
    let csv = dir.join("bench-voters.csv");
    eprintln!(
        "writing {} synthetic rows to {}",
        thousands(rows as i64),
        csv.display()
    );
    write_synthetic_csv(
        std::fs::File::create(&csv)?,
        SynthOptions {
            rows,
            seed: 1,
            bad_row_every: 0,
            faults_per_mille: 0,
        },
    )?;

    let ours_path = dir.join("ours.db");
    let _ = std::fs::remove_file(&ours_path);
    let ours = open_sqlite(&ours_path).await?;
    let import_secs = import(&ours, &csv).await?;
    let rss = peak_rss_bytes().unwrap_or(0);
    let ours_rate = rows as f64 / import_secs;

    // Both peers insert the same statements, read from our import once.
    let statements = ceiling_statements(&ours).await?;
    let ceiling_secs = ceiling_insert(&statements, &dir, false).await?;
    let ceiling_rate = rows as f64 / ceiling_secs;
    let deferred_secs = ceiling_insert(&statements, &dir, true).await?;
    let deferred_rate = rows as f64 / deferred_secs;
    drop(statements);

    println!(
        "import of {} rows (E.164 + ZIP enrichment + issues + regions), SQLite:",
        thousands(rows as i64)
    );
    println!(
        "  canvass contacts import        {:>10} rows/s  ({import_secs:.1} s)",
        thousands(ours_rate as i64)
    );
    println!(
        "  SQLite batched-insert ceiling  {:>10} rows/s  ({ceiling_secs:.1} s)",
        thousands(ceiling_rate as i64)
    );
    println!(
        "  ratio                          {:>10.2}",
        ours_rate / ceiling_rate
    );
    println!(
        "  ceiling, indexes built after   {:>10} rows/s  ({deferred_secs:.1} s)",
        thousands(deferred_rate as i64)
    );
    println!(
        "  ratio                          {:>10.2}",
        ours_rate / deferred_rate
    );
    println!(
        "  peak RSS during import         {:>10} MB",
        rss / (1 << 20)
    );

    ours.analyze().await?;
    println!("segment count, median of {runs} runs (ms):");
    println!(
        "  {:<28} {:>8} {:>10} {:>10}",
        "query", "sqlite", "postgres", "matches"
    );
    let pg = match &postgres {
        Some(url) => Some(open_postgres(url, &csv).await?),
        None => None,
    };
    for (label, expr) in QUERIES {
        let (sqlite_ms, n) = median_count(&ours, expr, runs).await?;
        let pg_ms = match &pg {
            Some((store, _)) => {
                let (ms, pg_n) = median_count(store, expr, runs).await?;
                anyhow::ensure!(pg_n == n, "{label}: postgres counted {pg_n}, sqlite {n}");
                format!("{ms:.1}")
            }
            None => "-".to_owned(),
        };
        println!(
            "  {label:<28} {sqlite_ms:>8.1} {pg_ms:>10} {:>10}",
            thousands(n)
        );
    }
    if let Some((store, schema)) = pg {
        if let Some(pool) = store.postgres() {
            sqlx::query(sqlx::AssertSqlSafe(format!("DROP SCHEMA {schema} CASCADE")))
                .execute(pool)
                .await?;
        }
        store.close().await;
    }
    ours.close().await;
    Ok(ExitCode::SUCCESS)
}

async fn open_sqlite(path: &Path) -> anyhow::Result<Store> {
    let store = Store::open(&format!("sqlite://{}", path.display())).await?;
    store.migrate().await?;
    Ok(store)
}

/// Imports the metro layer, then the CSV; returns the import's seconds.
pub(super) async fn import(store: &Store, csv: &Path) -> anyhow::Result<f64> {
    let layer = read_geojson(
        metro_areas_geojson().as_bytes(),
        "metro_areas",
        "metro_area",
        "name",
    )?;
    store
        .replace_region_layer(T, &layer, "metro_areas.geojson")
        .await?;
    let locator = store.region_locator(T).await?;
    let mut writer = ContactWriter::new(store.clone(), locator.is_some());
    let options = ImportOptions {
        locator,
        ..ImportOptions::default()
    };
    let input = std::io::BufReader::with_capacity(1 << 20, std::fs::File::open(csv)?);
    let started = Instant::now();
    let summary = import_csv(input, std::io::sink(), options, &mut writer, |_| {}).await?;
    let secs = started.elapsed().as_secs_f64();
    anyhow::ensure!(
        summary.rejected == 0,
        "the synthetic file had {} rejects",
        summary.rejected
    );
    Ok(secs)
}

/// The already-normalised rows of `from` as plain multi-row INSERTs of 1,000 rows: the ceiling's workload.
async fn ceiling_statements(from: &Store) -> anyhow::Result<Vec<Statement>> {
    let Store::Sqlite(src) = from else {
        anyhow::bail!("the ceiling runs on SQLite")
    };
    let cols = "id, tenant_id, phone, given_name, family_name, zip, state, county_fips, county_name, lat, lon, \
                geo_source, time_zone, attrs, opted_out, consent_source, consent_at, consent_evidence";
    let contacts = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {cols} FROM contacts ORDER BY id"
    )))
    .fetch_all(src)
    .await?;
    let issues = sqlx::query("SELECT id, tenant_id, name FROM issues")
        .fetch_all(src)
        .await?;
    let links = sqlx::query("SELECT contact_id, issue_id FROM contact_issues")
        .fetch_all(src)
        .await?;
    let regions =
        sqlx::query("SELECT contact_id, layer_id, region_id, method FROM contact_regions")
            .fetch_all(src)
            .await?;
    let layers = sqlx::query("SELECT id, tenant_id, kind, source FROM region_layers")
        .fetch_all(src)
        .await?;
    let shapes = sqlx::query(
        "SELECT id, layer_id, name, geometry, min_lon, min_lat, max_lon, max_lat FROM regions",
    )
    .fetch_all(src)
    .await?;
    let value = |r: &sqlx::sqlite::SqliteRow, i: usize| -> Value {
        if let Ok(v) = r.try_get::<Option<i64>, _>(i) {
            return Value::Int(v);
        }
        if let Ok(v) = r.try_get::<Option<f64>, _>(i) {
            return Value::Float(v);
        }
        Value::Text(r.try_get::<Option<String>, _>(i).ok().flatten())
    };
    let mut statements = Vec::new();
    for (table, columns, rows) in [
        ("region_layers", "id, tenant_id, kind, source", &layers),
        (
            "regions",
            "id, layer_id, name, geometry, min_lon, min_lat, max_lon, max_lat",
            &shapes,
        ),
        ("issues", "id, tenant_id, name", &issues),
        ("contacts", cols, &contacts),
        ("contact_issues", "contact_id, issue_id", &links),
        (
            "contact_regions",
            "contact_id, layer_id, region_id, method",
            &regions,
        ),
    ] {
        let width = columns.split(',').count();
        for chunk in rows.chunks(1000) {
            let mut s = Statement::new(Backend::Sqlite);
            s.push(&format!("INSERT INTO {table} ({columns}) VALUES "));
            for (n, row) in chunk.iter().enumerate() {
                s.push(if n == 0 { "(" } else { ", (" });
                for i in 0..width {
                    if i > 0 {
                        s.push(", ");
                    }
                    s.bind(value(row, i));
                }
                s.push(")");
            }
            statements.push(s);
        }
    }
    Ok(statements)
}

/// Runs `statements` in one transaction on a fresh database with our schema in `dir`: what SQLite itself can
/// absorb through the same driver, with no parsing, lookup or merge. With `deferred`, the secondary indexes are
/// dropped first and built after the rows, inside the timing, as our import does for a large first load: the
/// best plain insert of these rows known here. Returns the seconds taken.
async fn ceiling_insert(
    statements: &[Statement],
    dir: &Path,
    deferred: bool,
) -> anyhow::Result<f64> {
    let path = dir.join("ceiling.db");
    let _ = std::fs::remove_file(&path);
    let ceiling = open_sqlite(&path).await?;
    let Store::Sqlite(dst) = &ceiling else {
        anyhow::bail!("the ceiling runs on SQLite")
    };
    let indexes: Vec<(String, String)> = if deferred {
        sqlx::query(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL \
             AND tbl_name IN ('contacts', 'contact_issues', 'contact_regions')",
        )
        .fetch_all(dst)
        .await?
        .iter()
        .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
        .collect::<Result<_, sqlx::Error>>()?
    } else {
        Vec::new()
    };
    for (name, _) in &indexes {
        // Names read back from the schema itself.
        sqlx::query(sqlx::AssertSqlSafe(format!("DROP INDEX {name}")))
            .execute(dst)
            .await?;
    }
    let started = Instant::now();
    let mut tx = dst.begin().await?;
    // The migration's default tenant and its rows already exist in both; only the data is copied.
    for s in statements {
        s.sqlite()
            .execute(&mut *tx)
            .await
            .context("ceiling insert")?;
    }
    for (_, create) in &indexes {
        sqlx::query(sqlx::AssertSqlSafe(create.clone()))
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    let secs = started.elapsed().as_secs_f64();
    ceiling.close().await;
    Ok(secs)
}

async fn open_postgres(url: &str, csv: &Path) -> anyhow::Result<(Store, String)> {
    let schema = format!("bench_{}", std::process::id());
    let admin = sqlx::PgPool::connect(url)
        .await
        .context("connecting to postgres")?;
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
        .execute(&admin)
        .await?;
    admin.close().await;
    let sep = if url.contains('?') { '&' } else { '?' };
    let store = Store::open(&format!("{url}{sep}options=-c%20search_path%3D{schema}")).await?;
    store.migrate().await?;
    eprintln!("importing the same file into PostgreSQL (schema {schema})…");
    let secs = import(&store, csv).await?;
    eprintln!("postgres import: {:.1} s", secs);
    store.analyze().await?;
    Ok((store, schema))
}

async fn median_count(store: &Store, expr: &str, runs: usize) -> anyhow::Result<(f64, i64)> {
    let checked = super::segments::compile(store, T, expr).await?;
    let mut times = Vec::with_capacity(runs);
    let mut n = store.count_segment(T, Some(&checked)).await?; // warm the cache once, untimed
    for _ in 0..runs.max(1) {
        let started = Instant::now();
        n = store.count_segment(T, Some(&checked)).await?;
        times.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    Ok((times[times.len() / 2], n))
}
