//! `canvass demo`: the product's story on the embedded default. It grows with every capability; today it seeds
//! a synthetic audience over real US ZIPs, imports a region layer, shows targeting by geography and issue, and
//! sends through every kind of carrier connection to the built-in simulator.

use super::contacts::{import_file, print_summary};
use super::regions::import_layer;
use super::{demo_campaign, demo_carriers};
use super::{load, overrides};
use crate::args::{DemoArgs, Global};
use crate::output::{count_table, thousands};
use anyhow::Context;
use canvass_audience::import::Encoding;
use canvass_audience::synth::{SynthOptions, metro_areas_geojson, write_synthetic_csv};
use canvass_server::{App, Overrides};
use canvass_store::Breakdown;
use canvass_types::TenantId;
use std::process::ExitCode;
use std::time::Instant;

/// Recipients per thousand with the simulator's fault numbers: handsets without RCS, landlines, throttling.
const FAULTS_PER_MILLE: u32 = 60;

/// Segments that show what the expression language does, from broad to the issue's full example.
const EXAMPLES: [&str; 6] = [
    r#"state in ("PA", "OH") and "healthcare" in issues"#,
    r#""social security" in issues and attr.age >= 65"#,
    r#"within_miles("19103", 25) and not opted_out"#,
    r#"region.metro_area = "Chicago" and any_issue("climate", "housing")"#,
    r#"attr.party = "I" and starts_with(zip, "85")"#,
    r#"state in ("PA", "OH") and "healthcare" in issues and region.metro_area = "Philadelphia"
       and within_miles("19103", 25) and not opted_out and attr.age >= 30"#,
];

pub async fn run(g: &Global, tenant: TenantId, args: DemoArgs) -> anyhow::Result<ExitCode> {
    let config = load(&Overrides {
        http: args.http.clone(),
        ..overrides(g)
    })?;
    canvass_server::telemetry::init_logging(config.log_json);
    let demo_dir = config.data_dir.join("demo");
    let app = App::open(config).await?;
    std::fs::create_dir_all(&demo_dir)
        .with_context(|| format!("cannot create {}", demo_dir.display()))?;

    println!("Canvass demo — data in {}\n", app.config.data_dir.display());
    // The file name records what the generator was asked for, so a changed option never reuses a stale file.
    let voters = demo_dir.join(format!("voters-{}-f{FAULTS_PER_MILLE}.csv", args.contacts));
    if !voters.exists() {
        println!(
            "1. Writing a synthetic voter file of {} people over real US ZIP codes…",
            thousands(args.contacts as i64)
        );
        let file = std::fs::File::create(&voters)?;
        write_synthetic_csv(
            file,
            SynthOptions {
                rows: args.contacts,
                seed: 2026,
                bad_row_every: 400,
                faults_per_mille: FAULTS_PER_MILLE,
            },
        )?;
    } else {
        println!("1. Reusing the synthetic voter file {}", voters.display());
    }

    println!("2. Importing a region layer: 16 metro areas (30-mile circles)…");
    let metros = demo_dir.join("metro_areas.geojson");
    std::fs::write(&metros, metro_areas_geojson())?;
    import_layer(&app, tenant, &metros, "metro_area", "name").await?;

    println!(
        "3. Importing {} (E.164 phones, ZIP → county, time zone, regions)…",
        voters.display()
    );
    let rejects = demo_dir.join("voters.rejects.csv");
    let started = Instant::now();
    let summary = import_file(
        &app,
        tenant,
        &voters,
        Vec::new(),
        Encoding::Auto,
        &rejects,
        true,
    )
    .await?;
    print_summary(&summary, &rejects, started.elapsed().as_secs_f64());

    let store = &app.store;
    let total = store.count_segment(tenant, None).await?;
    println!("\nAudience: {} contacts\n", thousands(total));
    count_table(
        "By state (top 10):",
        &store
            .segment_breakdown(tenant, None, Breakdown::State)
            .await?,
        total,
        10,
    );
    println!();
    count_table(
        "By issue:",
        &store
            .segment_breakdown(tenant, None, Breakdown::Issue)
            .await?,
        total,
        20,
    );
    println!("\nSegments:");
    for expr in EXAMPLES {
        let checked = super::segments::compile(store, tenant, expr).await?;
        let started = Instant::now();
        let n = store.count_segment(tenant, Some(&checked)).await?;
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        println!("  {:>9}  {:>5.0} ms  {}", thousands(n), ms, checked.expr());
    }
    println!("\nTry your own: canvass segments count '\"economy\" in issues and state = \"TX\"'");

    carriers().await?;

    let sim = demo_carriers::start_simulator().await?;
    demo_campaign::run(&app, tenant, &demo_dir, &sim).await?;
    drop(sim);

    if args.exit {
        store.close().await;
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "\nServing on http://{}  (health: /healthz, metrics: /metrics; Ctrl-C to stop)",
        app.config.http
    );
    canvass_server::serve(app, std::sync::Arc::new(canvass_types::SystemClock)).await?;
    Ok(ExitCode::SUCCESS)
}

/// Every connector against the built-in simulator, as a table; the simulator stops afterwards.
async fn carriers() -> anyhow::Result<()> {
    let sim = demo_carriers::start_simulator().await?;
    let started = Instant::now();
    let rows = demo_carriers::tour(&sim).await?;
    println!("\n{}", demo_carriers::title(&sim));
    demo_carriers::print_table(&rows);
    println!(
        "  {}  (tour took {} ms)",
        demo_carriers::stats_line(&sim),
        started.elapsed().as_millis()
    );
    println!("Run the simulator on its own, on fixed ports: canvass sim");
    Ok(())
}
