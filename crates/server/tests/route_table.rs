//! The stored route table decides, through a real worker and the simulator: a rule for Philadelphia numbers that
//! names only a route this worker does not run leaves those messages without a route (the rule decides; they
//! never fall through to the catch-all), while every other number goes by the catch-all.

mod support;

use canvass_dispatch::worker::DispatchConfig;
use std::time::Duration;

const CAMPAIGN: &str = r#"{
  "channels": ["sms"],
  "sender": "+12025550100",
  "variants": [{"name": "default", "text": "Polls open at 7am."}]
}"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_stored_route_table_decides_which_route_carries_a_number() {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = support::open_app(dir.path()).await;
    let philly = ["+12158675309", "+12158675310"];
    let chicago = ["+13128675309", "+13128675310"];
    let mut csv = String::from("phone,zip\n");
    for number in philly.iter().chain(&chicago) {
        csv.push_str(&format!("{number},20001\n"));
    }
    support::import(&app, csv).await;
    app.store
        .put_route_rules(
            &serde_json::json!({"rules": [
                {"prefix": "+1215", "routes": ["sim-philly-only"]},
                {"routes": ["sim-sms"]}
            ]}),
            0,
        )
        .await
        .expect("route table");

    let (sim, routes) = support::simulator().await;
    let config = DispatchConfig {
        owner: "route-table".into(),
        receipt_timeout: Duration::from_secs(5),
        ..DispatchConfig::default()
    };
    let campaign = support::send_campaign(
        &app,
        "routed",
        CAMPAIGN,
        routes,
        config,
        Duration::from_secs(60),
    )
    .await;

    let outcomes = app
        .store
        .message_outcomes(campaign)
        .await
        .expect("outcomes");
    assert_eq!(outcomes.len(), 4, "{outcomes:?}");
    for (phone, status, _) in outcomes {
        let want = if philly.contains(&phone.as_str()) {
            "failed"
        } else {
            "delivered"
        };
        assert_eq!(status, want, "{phone}");
    }
    drop(sim);
}
