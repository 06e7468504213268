//! Booting a node: migrations run and the built-in carrier profiles are seeded, without touching an operator's edit.

use canvass_media::profile::defaults::{DEFAULT_PROFILE_NAMES, profile_from_spec};
use canvass_server::{App, Config, Overrides};

#[tokio::test]
async fn open_seeds_the_built_in_carrier_profiles_and_keeps_edits_across_restarts() {
    let dir = tempfile::tempdir().expect("tempdir");
    let overrides = Overrides {
        data_dir: Some(dir.path().to_path_buf()),
        database_url: Some(format!("sqlite://{}", dir.path().join("boot.db").display())),
        ..Overrides::default()
    };
    let config = Config::load(&overrides).expect("valid config");
    let app = App::open(config.clone()).await.expect("open");
    let stored = app.store.list_carrier_profiles().await.expect("list");
    let mut names: Vec<&str> = stored.iter().map(|p| p.name.as_str()).collect();
    let mut wanted = DEFAULT_PROFILE_NAMES.to_vec();
    names.sort_unstable();
    wanted.sort_unstable();
    assert_eq!(names, wanted);
    for row in &stored {
        assert!(row.builtin, "{}", row.name);
        profile_from_spec(&row.name, &row.spec)
            .expect("every seeded spec reads back and validates");
    }

    let mut edited = stored[0].spec.clone();
    edited["max_message_bytes"] = serde_json::json!(250_000);
    app.store
        .upsert_carrier_profile(&stored[0].name, &edited)
        .await
        .expect("operator edit");
    app.store.close().await;

    let app = App::open(config).await.expect("reopen");
    let again = app
        .store
        .carrier_profile(&stored[0].name)
        .await
        .expect("get")
        .expect("still there");
    assert_eq!(
        again.spec["max_message_bytes"],
        serde_json::json!(250_000),
        "a restart keeps the edit"
    );
    assert_eq!(
        app.store.list_carrier_profiles().await.expect("list").len(),
        12
    );
    app.store.close().await;
}
