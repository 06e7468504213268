//! The store suite: one set of behaviours, checked on SQLite and on PostgreSQL.

mod support;

use canvass_audience::geo;
use canvass_audience::import::{ImportOptions, ImportSummary, import_csv};
use canvass_audience::regions::read_geojson;
use canvass_audience::segment::{Checked, Schema, compile};
use canvass_store::{Breakdown, ContactWriter, Store};
use canvass_types::TenantId;
use std::io::Cursor;
use std::sync::{Arc, Mutex};

const T: TenantId = TenantId::DEFAULT;

/// Imports `csv` and returns the summary and the rejects file.
async fn import(store: &Store, csv: &[u8], mapping: &[&str]) -> (ImportSummary, String) {
    let rejects = SharedBuf::default();
    let locator = store.region_locator(T).await.expect("locator");
    let options = ImportOptions {
        mapping: mapping.iter().map(|s| s.to_string()).collect(),
        batch_size: 3,
        locator: locator.clone(),
        ..ImportOptions::default()
    };
    let mut writer = ContactWriter::new(store.clone(), locator.is_some());
    let summary = import_csv(
        Cursor::new(csv.to_vec()),
        rejects.clone(),
        options,
        &mut writer,
        |_| {},
    )
    .await
    .expect("import");
    let text = String::from_utf8(rejects.0.lock().expect("lock").clone()).expect("utf8 rejects");
    (summary, text)
}

#[derive(Clone, Default)]
struct SharedBuf(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for SharedBuf {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("lock").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

async fn segment(store: &Store, expr: &str) -> Checked {
    let kinds = store.region_kinds(T).await.expect("kinds");
    let centroid = |zip: &str| geo::zip_info(zip).map(|z| (z.lat, z.lon));
    compile(
        expr,
        &Schema {
            region_kinds: kinds,
            zip_centroid: &centroid,
        },
    )
    .expect("valid segment")
}

async fn count(store: &Store, expr: &str) -> i64 {
    let checked = segment(store, expr).await;
    store.count_segment(T, Some(&checked)).await.expect("count")
}

const VOTERS: &str = "\u{feff}Cell Phone,First Name,Last Name,ZIP,Issues,issue_housing,Age,Party\r\n\
(215) 555-0101,Ana,Lopez,19103,healthcare;economy,no,34,D\r\n\
215-555-0102,Ben,Okafor,19104,economy,yes,61,R\r\n\
not a phone,Cy,Nope,19103,,no,40,D\r\n\
(412) 555-0103,Dee,Marsh,15222,climate,no,29,I\r\n\
(614) 555-0104,Eve,Stone,43215,healthcare,yes,45,D\r\n\
(614) 555-0105,Fay,Hill,4321X,healthcare,no,50,D\r\n\
(602) 555-0106,Gus,Ray,,healthcare,no,70\r\n\
(808) 555-0107,Hal,Kim,96813,education,no,52,R\r\n";

#[tokio::test]
async fn import_keeps_good_rows_rejects_bad_ones_and_enriches() {
    for b in support::backends("import").await {
        let (summary, rejects) = import(&b.store, VOTERS.as_bytes(), &[]).await;
        assert_eq!(
            (summary.rows, summary.imported, summary.rejected),
            (8, 5, 3),
            "{}: {summary:?}",
            b.name
        );
        let lines: Vec<&str> = rejects.lines().collect();
        assert_eq!(
            lines[0],
            "line,reason,Cell Phone,First Name,Last Name,ZIP,Issues,issue_housing,Age,Party"
        );
        assert!(
            lines[1].starts_with("4,\"bad phone:"),
            "{}: {}",
            b.name,
            lines[1]
        );
        assert!(
            lines[2].starts_with("7,\"bad ZIP:"),
            "{}: {}",
            b.name,
            lines[2]
        );
        assert!(
            lines[3].starts_with("8,\"wrong column count: expected 8, found 7\""),
            "{}: {}",
            b.name,
            lines[3]
        );

        let ana = b
            .store
            .contact_by_phone(T, "+12155550101")
            .await
            .expect("query")
            .expect("Ana imported");
        assert_eq!(ana.given_name.as_deref(), Some("Ana"));
        assert_eq!(ana.state.as_deref(), Some("PA"));
        assert_eq!(ana.county_name.as_deref(), Some("Philadelphia County"));
        assert_eq!(ana.time_zone.as_deref(), Some("America/New_York"));
        assert_eq!(ana.issues, vec!["economy", "healthcare"]);
        assert_eq!(ana.attrs["age"], serde_json::json!(34));
        assert_eq!(ana.attrs["party"], serde_json::json!("D"));
        let ben = b
            .store
            .contact_by_phone(T, "+12155550102")
            .await
            .expect("query")
            .expect("Ben");
        assert_eq!(ben.issues, vec!["economy", "housing"]);
        b.cleanup().await;
    }
}

#[tokio::test]
async fn reimport_merges_by_phone_and_never_clears_an_opt_out() {
    for b in support::backends("merge").await {
        let first =
            "phone,first_name,zip,issues,opted_out,score\n2155550101,Ana,19103,healthcare,yes,1\n";
        let (s1, _) = import(&b.store, first.as_bytes(), &[]).await;
        assert_eq!((s1.imported, s1.merged), (1, 0), "{}", b.name);
        // The same person again (another format), a repeat inside the file, and a new person.
        let second = "phone,last_name,issues,opted_out,score\n\
                      +1 215 555 0101,Lopez,economy,no,2\n\
                      215.555.0101,,climate,,\n\
                      2155550199,,,,\n";
        let (s2, _) = import(&b.store, second.as_bytes(), &[]).await;
        assert_eq!(
            (s2.imported, s2.merged, s2.rejected),
            (1, 2, 0),
            "{}: {s2:?}",
            b.name
        );
        let ana = b
            .store
            .contact_by_phone(T, "+12155550101")
            .await
            .expect("query")
            .expect("Ana");
        assert_eq!(
            (ana.given_name.as_deref(), ana.family_name.as_deref()),
            (Some("Ana"), Some("Lopez"))
        );
        assert_eq!(
            ana.zip.as_deref(),
            Some("19103"),
            "{}: a row without a ZIP keeps the old one",
            b.name
        );
        assert_eq!(ana.issues, vec!["climate", "economy", "healthcare"]);
        assert!(ana.opted_out, "{}: an import must not re-subscribe", b.name);
        assert_eq!(ana.attrs["score"], serde_json::json!(2));
        assert_eq!(b.store.contact_count(T).await.expect("count"), 2);
        b.cleanup().await;
    }
}

#[tokio::test]
async fn latin1_and_crlf_files_import() {
    for b in support::backends("latin1").await {
        let csv = b"phone,first_name\r\n2155550101,Jos\xe9\r\n";
        let (s, _) = import(&b.store, csv, &[]).await;
        assert_eq!(s.imported, 1);
        let jose = b
            .store
            .contact_by_phone(T, "+12155550101")
            .await
            .expect("query")
            .expect("imported");
        assert_eq!(jose.given_name.as_deref(), Some("José"), "{}", b.name);
        b.cleanup().await;
    }
}

#[tokio::test]
async fn segments_count_preview_and_break_down_the_same_on_both_backends() {
    for b in support::backends("segments").await {
        import(&b.store, VOTERS.as_bytes(), &[]).await;
        let s = &b.store;
        assert_eq!(count(s, r#"state in ("PA", "OH")"#).await, 4, "{}", b.name);
        assert_eq!(count(s, r#""healthcare" in issues"#).await, 2, "{}", b.name);
        assert_eq!(
            count(s, r#""healthcare" not in issues"#).await,
            3,
            "{}",
            b.name
        );
        assert_eq!(
            count(s, r#"any_issue("climate", "education")"#).await,
            2,
            "{}",
            b.name
        );
        assert_eq!(
            count(s, "attr.age >= 45 and not opted_out").await,
            3,
            "{}",
            b.name
        );
        assert_eq!(count(s, r#"state != "PA""#).await, 2, "{}", b.name);
        assert_eq!(
            count(s, r#"within_miles("19103", 10)"#).await,
            2,
            "{}",
            b.name
        );
        assert_eq!(
            count(s, r#"within_miles("19103", 450)"#).await,
            4,
            "{}",
            b.name
        );
        assert_eq!(
            count(s, r#"starts_with(zip, "191")"#).await,
            2,
            "{}",
            b.name
        );

        let pa = segment(s, r#"state = "pa""#).await;
        let preview = s.preview_segment(T, Some(&pa), 10).await.expect("preview");
        let mut names: Vec<_> = preview
            .iter()
            .filter_map(|c| c.given_name.as_deref())
            .collect();
        // Ids follow the store's insertion order (ZIP order within a batch), not the file's.
        assert!(
            preview.windows(2).all(|w| w[0].id < w[1].id),
            "{}: preview is in id order",
            b.name
        );
        names.sort_unstable();
        assert_eq!(names, vec!["Ana", "Ben", "Dee"], "{}", b.name);
        let by_state = s
            .segment_breakdown(T, None, Breakdown::State)
            .await
            .expect("by state");
        assert_eq!(by_state[0], ("PA".to_owned(), 3), "{}", b.name);
        let by_issue = s
            .segment_breakdown(T, Some(&pa), Breakdown::Issue)
            .await
            .expect("by issue");
        assert_eq!(by_issue[0], ("economy".to_owned(), 2), "{}", b.name);

        s.save_segment(T, "pa-health", r#"state = "PA" and "healthcare" in issues"#)
            .await
            .expect("save");
        s.save_segment(T, "pa-health", r#"state = "PA""#)
            .await
            .expect("replace");
        assert_eq!(
            s.segment_expression(T, "pa-health").await.expect("get"),
            r#"state = "PA""#
        );
        assert!(s.segment_expression(T, "missing").await.is_err());
        b.cleanup().await;
    }
}

/// Two boxes splitting Pennsylvania at 77.5°W: east (Philadelphia) and west (Pittsburgh).
const PA_HALVES: &str = r#"{"type":"FeatureCollection","features":[
 {"type":"Feature","properties":{"NAME":"PA-EAST"},"geometry":{"type":"Polygon","coordinates":[[[-77.5,39.7],[-74.6,39.7],[-74.6,42.3],[-77.5,42.3],[-77.5,39.7]]]}},
 {"type":"Feature","properties":{"NAME":"PA-WEST"},"geometry":{"type":"Polygon","coordinates":[[[-80.6,39.7],[-77.5,39.7],[-77.5,42.3],[-80.6,42.3],[-80.6,39.7]]]}}]}"#;

#[tokio::test]
async fn region_layers_assign_contacts_and_reimport_replaces_them() {
    for b in support::backends("regions").await {
        let s = &b.store;
        import(s, VOTERS.as_bytes(), &[]).await;
        let layer = read_geojson(
            Cursor::new(PA_HALVES),
            "pa.geojson",
            "congressional_district",
            "NAME",
        )
        .expect("layer");
        let id = s
            .replace_region_layer(T, &layer, "pa.geojson")
            .await
            .expect("store layer");
        let index = s.region_indexes(T).await.expect("indexes").remove(0).1;
        let counts = s.assign_regions(T, id, &index).await.expect("assign");
        assert_eq!(
            (counts.by_zip_centroid, counts.by_point),
            (3, 0),
            "{}",
            b.name
        );
        assert_eq!(count(s, r#"district = "PA-EAST""#).await, 2, "{}", b.name);
        assert_eq!(
            count(
                s,
                r#"region.congressional_district in ("PA-EAST", "PA-WEST")"#
            )
            .await,
            3
        );

        // A contact imported after the layer exists is assigned during the import, from its own point.
        let later = "phone,zip,lat,lon\n4125550199,15222,40.44,-79.99\n";
        import(s, later.as_bytes(), &[]).await;
        assert_eq!(count(s, r#"district = "PA-WEST""#).await, 2, "{}", b.name);

        // Re-importing the kind replaces the layer and its memberships.
        let east_only = read_geojson(
            Cursor::new(PA_HALVES.replace("PA-WEST", "PA-EAST")),
            "pa2.geojson",
            "congressional_district",
            "NAME",
        )
        .expect("layer");
        s.replace_region_layer(T, &east_only, "pa2.geojson")
            .await
            .expect("replace");
        assert_eq!(
            count(s, r#"district = "PA-EAST""#).await,
            0,
            "{}: memberships go with the old layer",
            b.name
        );
        let layers = s.region_layers(T).await.expect("layers");
        assert_eq!(
            (layers.len(), layers[0].regions, layers[0].source.as_str()),
            (1, 1, "pa2.geojson")
        );
        b.cleanup().await;
    }
}

#[tokio::test]
async fn migrations_are_idempotent() {
    for b in support::backends("migrate").await {
        b.store.migrate().await.expect("second run is a no-op");
        b.store.ping().await.expect("ping");
        b.cleanup().await;
    }
}
