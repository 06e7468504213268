//! What the worker tests share: an app on a fresh data dir, an import, the in-process simulator with the three
//! routes to it (`sim-rcs`, `sim-mms`, `sim-sms`), its reports pointed back at them, and a campaign sent through a
//! real worker until it completes.

use canvass_audience::import::{ImportOptions, import_csv};
use canvass_campaigns::lifecycle::CampaignState;
use canvass_campaigns::ports::CampaignStore;
use canvass_dispatch::worker::DispatchConfig;
use canvass_server::sending::BuiltRoute;
use canvass_server::sending::sim_routes::{self, CLIENT_TOKEN, SimAddrs};
use canvass_server::{App, Config, Overrides};
use canvass_simulator::{SimConfig, Simulator};
use canvass_store::ContactWriter;
use canvass_types::{CampaignId, Clock, OffsetClock, TenantId};
use std::sync::Arc;
use std::time::{Duration, Instant};

pub async fn open_app(dir: &std::path::Path) -> App {
    let config = Config::load(&Overrides {
        data_dir: Some(dir.to_owned()),
        ..Overrides::default()
    })
    .expect("config");
    App::open(config).await.expect("app")
}

pub async fn import(app: &App, csv: String) {
    let mut writer = ContactWriter::new(app.store.clone(), false);
    let summary = import_csv(
        std::io::Cursor::new(csv.into_bytes()),
        std::io::sink(),
        ImportOptions::default(),
        &mut writer,
        |_| {},
    )
    .await
    .expect("import");
    assert_eq!(
        summary.rejected, 0,
        "every test number imports: {summary:?}"
    );
}

/// The simulator (keep it alive for the test) and the routes to it.
pub async fn simulator() -> (Simulator, Vec<BuiltRoute>) {
    let sim = Simulator::start(SimConfig {
        slow_latency: Duration::from_millis(200),
        ..SimConfig::ephemeral()
    })
    .await
    .expect("simulator");
    let (smsc, mmsc, rbm) = (
        sim.smsc.clone().expect("smsc"),
        sim.mmsc.clone().expect("mmsc"),
        sim.rbm.clone().expect("rbm"),
    );
    let (routes, receivers) = sim_routes::build(&SimAddrs {
        smpp: smsc.local_addr(),
        mm7_url: mmsc.url(),
        rbm_url: rbm.base_url(),
        smpp_binds: 1,
    })
    .await
    .expect("routes");
    mmsc.set_report_url(receivers.mm7_report_url);
    rbm.set_webhook(receivers.rbm_webhook_url, CLIENT_TOKEN);
    (sim, routes)
}

/// Creates and launches the campaign `definition` (JSON), sends it through a worker over `routes` on a clock set
/// to a weekday afternoon in every US zone, and stops the worker once the campaign completes or `within` passes.
pub async fn send_campaign(
    app: &App,
    name: &str,
    definition: &str,
    routes: Vec<BuiltRoute>,
    config: DispatchConfig,
    within: Duration,
) -> CampaignId {
    let now = jiff::Timestamp::now().as_millisecond();
    let campaign = app
        .store
        .create_campaign(TenantId::DEFAULT, name, definition, now)
        .await
        .expect("campaign");
    assert!(
        app.store
            .transition(
                campaign.id,
                CampaignState::Draft,
                CampaignState::Running,
                None,
                now
            )
            .await
            .expect("launch")
    );
    // Not before the launch, so every message is already due, and quiet hours allow every send.
    let clock: Arc<dyn Clock> = Arc::new(OffsetClock::to(
        canvass_campaigns::compliance::next_open_afternoon(jiff::Timestamp::now()),
    ));
    let worker = canvass_server::sending::start(app, config, routes, clock)
        .await
        .expect("worker");
    let deadline = Instant::now() + within;
    loop {
        let state = app
            .store
            .campaign(campaign.id)
            .await
            .expect("read")
            .expect("exists")
            .state;
        if state == CampaignState::Completed || Instant::now() > deadline {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    worker.stop().await;
    campaign.id
}
