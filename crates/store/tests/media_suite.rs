//! Carrier profiles and handset capabilities, checked on SQLite and on PostgreSQL.

mod support;

use canvass_store::{CapabilitySource, SeedSummary};
use canvass_types::{Msisdn, TenantId};
use serde_json::json;

const T: TenantId = TenantId::DEFAULT;

fn spec(name: &str, bytes: u64) -> serde_json::Value {
    json!({ "name": name, "accepted_types": ["image/jpeg"], "max_message_bytes": bytes,
            "max_image_width": 640, "max_image_height": 480 })
}

fn defaults(entries: &[(&str, u64)]) -> Vec<(String, serde_json::Value)> {
    entries
        .iter()
        .map(|(name, bytes)| (name.to_string(), spec(name, *bytes)))
        .collect()
}

#[tokio::test]
async fn seeding_adds_missing_defaults_refreshes_untouched_ones_and_never_overwrites_an_edit() {
    for b in support::backends("carriers").await {
        let s = &b.store;
        let first = s
            .seed_carrier_profiles(&defaults(&[
                ("b-two", 2000),
                ("a-one", 1000),
                ("c-three", 3000),
            ]))
            .await
            .expect("seed");
        assert_eq!(
            first,
            SeedSummary {
                inserted: 3,
                refreshed: 0,
                kept_edited: 0
            },
            "{}",
            b.name
        );

        let listed = s.list_carrier_profiles().await.expect("list");
        let names: Vec<&str> = listed.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(
            names,
            ["a-one", "b-two", "c-three"],
            "{}: sorted by name",
            b.name
        );
        assert!(listed.iter().all(|p| p.builtin), "{}", b.name);
        assert_eq!(
            listed[0].spec,
            spec("a-one", 1000),
            "{}: the spec round-trips",
            b.name
        );
        let stamp = &listed[0].updated_at;
        assert!(
            stamp.len() == 24 && stamp.as_bytes()[10] == b'T' && stamp.ends_with('Z'),
            "{}: {stamp}",
            b.name
        );

        let again = s
            .seed_carrier_profiles(&defaults(&[
                ("a-one", 1000),
                ("b-two", 2000),
                ("c-three", 3000),
            ]))
            .await
            .expect("reseed");
        assert_eq!(
            again,
            SeedSummary::default(),
            "{}: seeding twice changes nothing",
            b.name
        );

        s.upsert_carrier_profile("b-two", &spec("b-two", 1234))
            .await
            .expect("operator edit");
        let edited = s
            .carrier_profile("b-two")
            .await
            .expect("get")
            .expect("b-two exists");
        assert!(
            !edited.builtin,
            "{}: an edit clears the built-in mark",
            b.name
        );
        assert_eq!(edited.spec["max_message_bytes"], json!(1234));

        let upgrade = s
            .seed_carrier_profiles(&defaults(&[
                ("a-one", 1111),
                ("b-two", 2222),
                ("c-three", 3000),
                ("d-four", 4000),
            ]))
            .await
            .expect("seed a new release's defaults");
        assert_eq!(
            upgrade,
            SeedSummary {
                inserted: 1,
                refreshed: 1,
                kept_edited: 1
            },
            "{}",
            b.name
        );
        let get = |name: &'static str| async move {
            s.carrier_profile(name)
                .await
                .expect("get")
                .expect(name)
                .spec["max_message_bytes"]
                .clone()
        };
        assert_eq!(
            get("a-one").await,
            json!(1111),
            "{}: untouched default refreshed",
            b.name
        );
        assert_eq!(
            get("b-two").await,
            json!(1234),
            "{}: the operator's edit survives",
            b.name
        );
        assert_eq!(
            get("d-four").await,
            json!(4000),
            "{}: new default added",
            b.name
        );
        assert!(
            s.carrier_profile("nope").await.expect("get").is_none(),
            "{}",
            b.name
        );

        s.upsert_carrier_profile("e-custom", &spec("e-custom", 5000))
            .await
            .expect("operator adds one");
        assert_eq!(
            s.list_carrier_profiles().await.expect("list").len(),
            5,
            "{}",
            b.name
        );
        b.cleanup().await;
    }
}

#[tokio::test]
async fn handset_capabilities_are_remembered_per_number_and_replaced_by_newer_reports() {
    for b in support::backends("handsets").await {
        let s = &b.store;
        let phone = Msisdn::new("+12155550101").expect("valid number");
        let other = Msisdn::new("+12155550102").expect("valid number");
        assert!(
            s.handset_capabilities(T, &phone)
                .await
                .expect("get")
                .is_none(),
            "{}",
            b.name
        );

        let caps = json!({ "max_message_bytes": 307200, "max_image": [640, 480] });
        let url = "http://uaprof.example.test/ct200.xml";
        s.record_handset_capabilities(T, &phone, &caps, CapabilitySource::Mm7, Some(url))
            .await
            .expect("record");
        let stored = s
            .handset_capabilities(T, &phone)
            .await
            .expect("get")
            .expect("recorded");
        assert_eq!(stored.capabilities, caps, "{}", b.name);
        assert_eq!(stored.source, CapabilitySource::Mm7, "{}", b.name);
        assert_eq!(stored.profile_url.as_deref(), Some(url), "{}", b.name);
        assert_eq!(stored.phone, "+12155550101");
        assert!(
            stored.seen_at.ends_with('Z'),
            "{}: {}",
            b.name,
            stored.seen_at
        );
        assert!(
            s.handset_capabilities(T, &other)
                .await
                .expect("get")
                .is_none(),
            "{}",
            b.name
        );
        assert!(
            s.handset_capabilities(TenantId(2), &phone)
                .await
                .expect("get")
                .is_none(),
            "{}: capabilities are per tenant",
            b.name
        );

        let newer = json!({ "accepted_types": ["image/jpeg"] });
        s.record_handset_capabilities(T, &phone, &newer, CapabilitySource::Uaprof, None)
            .await
            .expect("record again");
        let stored = s
            .handset_capabilities(T, &phone)
            .await
            .expect("get")
            .expect("recorded");
        assert_eq!(
            stored.capabilities, newer,
            "{}: the newer report replaces the old",
            b.name
        );
        assert_eq!(stored.source, CapabilitySource::Uaprof);
        assert_eq!(stored.profile_url, None);

        let unknown_tenant = s
            .record_handset_capabilities(TenantId(999), &phone, &caps, CapabilitySource::Mm7, None)
            .await;
        assert!(unknown_tenant.is_err(), "{}: a tenant must exist", b.name);
        b.cleanup().await;
    }
}

/// The two dialects' 0002 migrations must name the same columns in the same order, table by table.
#[test]
fn media_migrations_match_column_for_column() {
    let columns = |sql: &str| -> Vec<String> {
        sql.lines()
            .map(str::trim)
            .filter(|l| !l.starts_with("--") && !l.is_empty())
            .filter_map(|l| {
                if let Some(table) = l.strip_prefix("CREATE TABLE ") {
                    return Some(format!("table {}", table.trim_end_matches(" (")));
                }
                let first = l.split_whitespace().next()?;
                (first.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
                    .then(|| first.to_owned())
            })
            .collect()
    };
    let sqlite = columns(include_str!("../migrations/sqlite/0002_media.sql"));
    let postgres = columns(include_str!("../migrations/postgres/0002_media.sql"));
    assert_eq!(sqlite, postgres);
    assert!(
        sqlite.contains(&"table carrier_profiles".to_owned())
            && sqlite.contains(&"profile_url".to_owned())
    );
}
