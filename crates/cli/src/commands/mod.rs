//! One module per command group; each turns arguments into calls on the server, store and domain crates.

mod accounts;
mod bench;
mod bench_campaign;
mod bench_smpp;
mod campaigns;
mod campaigns_follow;
mod codecs;
mod consent;
mod contacts;
mod demo;
mod demo_campaign;
mod demo_carriers;
mod media;
mod media_adapt;
mod media_render;
mod media_target;
mod mm7_encode;
mod mms_encode;
mod ops;
mod regions;
mod routes;
mod segments;
mod sim;
mod sim_child;

use crate::args::{Cli, Command, Global};
use anyhow::bail;
use canvass_server::{App, Config, Overrides};
use canvass_types::TenantId;
use std::process::ExitCode;

/// Runs the parsed command line.
pub async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let g = &cli.global;
    let tenant = TenantId(g.tenant);
    match cli.command {
        Command::Demo(args) => demo::run(g, tenant, args).await,
        Command::Serve(args) => ops::serve(g, args).await,
        Command::Healthcheck { http } => ops::healthcheck(g, http).await,
        Command::Migrate => ops::migrate(g).await,
        Command::Openapi => {
            println!("{}", canvass_api::native::openapi().to_pretty_json()?);
            Ok(std::process::ExitCode::SUCCESS)
        }
        Command::Config(cmd) => ops::config(g, cmd),
        Command::Contacts(cmd) => contacts::run(g, tenant, cmd).await,
        Command::Segments(cmd) => segments::run(g, tenant, cmd).await,
        Command::Regions(cmd) => regions::run(g, tenant, cmd).await,
        Command::Media(cmd) => media::run(g, tenant, cmd).await,
        Command::Campaigns(cmd) => campaigns::run(g, tenant, cmd).await,
        Command::Routes(cmd) => routes::run(g, cmd).await,
        Command::Consent(cmd) => consent::run(g, tenant, cmd).await,
        Command::Accounts(cmd) => accounts::accounts(g, cmd).await,
        Command::Numbers(cmd) => accounts::numbers(g, cmd).await,
        Command::Keys(cmd) => accounts::keys(g, cmd).await,
        Command::Services(cmd) => accounts::services(g, cmd).await,
        Command::Mms(cmd) => codecs::mms(cmd),
        Command::Mm7(cmd) => codecs::mm7(cmd),
        Command::Synth {
            rows,
            seed,
            bad_row_every,
            output,
        } => {
            let file = std::fs::File::create(&output)?;
            let options = canvass_audience::synth::SynthOptions {
                rows,
                seed,
                bad_row_every,
                faults_per_mille: 0,
            };
            canvass_audience::synth::write_synthetic_csv(file, options)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Sim(args) => sim::run(args).await,
        Command::Bench(cmd) => bench::run(cmd).await,
    }
}

/// The overrides every command shares.
fn overrides(g: &Global) -> Overrides {
    Overrides {
        config_file: g.config.clone(),
        data_dir: g.data_dir.clone(),
        database_url: g.database_url.clone(),
        ..Overrides::default()
    }
}

/// Loads configuration, printing every issue when it is invalid.
fn load(overrides: &Overrides) -> anyhow::Result<Config> {
    match Config::load(overrides) {
        Ok(config) => Ok(config),
        Err(issues) => {
            for issue in &issues {
                eprintln!("config error: {issue}");
            }
            bail!("the configuration has {} problem(s)", issues.len())
        }
    }
}

/// Loads configuration and opens the store (migrating it).
async fn open(g: &Global) -> anyhow::Result<App> {
    let config = load(&overrides(g))?;
    canvass_server::telemetry::init_logging(config.log_json);
    App::open(config).await
}

/// The wall clock, or one that reads `at` now and moves on in real time.
fn clock_at(at: Option<jiff::Timestamp>) -> std::sync::Arc<dyn canvass_types::Clock> {
    match at {
        Some(at) => std::sync::Arc::new(canvass_types::OffsetClock::to(at)),
        None => std::sync::Arc::new(canvass_types::SystemClock),
    }
}
