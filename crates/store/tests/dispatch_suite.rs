//! Campaign expansion and the dispatch queue, checked on SQLite and on PostgreSQL.

mod support;

use canvass_audience::geo;
use canvass_audience::import::{ImportOptions, import_csv};
use canvass_audience::regions::read_geojson;
use canvass_audience::segment::{Checked, Schema, compile};
use canvass_campaigns::ports::{
    CampaignState, CampaignStore, CompiledRule, ExpandedChunk, ExpansionPlan, FrequencyCap,
};
use canvass_dispatch::ports::{
    ConsentChange, InboundRecord, Queue, ReceiptTally, ReceiptUpdate, Settlement,
};
use canvass_store::{ContactWriter, Store};
use canvass_types::{CampaignId, Channel, MessageId, MessageStatus, TenantId};
use std::io::Cursor;

const T: TenantId = TenantId::DEFAULT;
const DAY: i64 = 86_400_000;

async fn import(store: &Store, csv: &str) {
    let locator = store.region_locator(T).await.expect("locator");
    let options = ImportOptions {
        locator: locator.clone(),
        ..ImportOptions::default()
    };
    let mut writer = ContactWriter::new(store.clone(), locator.is_some());
    let s = import_csv(
        Cursor::new(csv.as_bytes().to_vec()),
        std::io::sink(),
        options,
        &mut writer,
        |_| {},
    )
    .await
    .expect("import");
    assert_eq!(s.rejected, 0, "{s:?}");
}

async fn segment(store: &Store, expr: &str) -> Checked {
    let kinds = store.region_kinds(T).await.expect("kinds");
    let centroid = |zip: &str| geo::zip_info(zip).map(|z| (z.lat, z.lon));
    let schema = Schema {
        region_kinds: kinds,
        zip_centroid: &centroid,
    };
    compile(expr, &schema).expect("valid segment")
}

async fn contact_id(store: &Store, phone: &str) -> i64 {
    let c = store.contact_by_phone(T, phone).await.expect("query");
    c.expect("contact").id
}

/// `(phone, variant, status, error_code, due_at)` of every message, by id: the suite's window on the table.
type Row = (String, String, String, Option<String>, Option<i64>);

async fn messages(store: &Store) -> Vec<Row> {
    let sql = "SELECT phone, variant, status, error_code, due_at FROM messages ORDER BY id";
    match store {
        Store::Sqlite(p) => sqlx::query_as(sql).fetch_all(p).await.expect("rows"),
        Store::Postgres(p) => sqlx::query_as(sql).fetch_all(p).await.expect("rows"),
    }
}

/// `(status, attempts, due_at, error_code, carrier_id)` of one message.
async fn message(
    store: &Store,
    id: i64,
) -> (String, i64, Option<i64>, Option<String>, Option<String>) {
    let sql = format!(
        "SELECT status, attempts, due_at, error_code, carrier_id FROM messages WHERE id = {id}"
    );
    let sql = sqlx::AssertSqlSafe(sql);
    match store {
        Store::Sqlite(p) => sqlx::query_as(sql).fetch_one(p).await.expect("row"),
        Store::Postgres(p) => sqlx::query_as(sql).fetch_one(p).await.expect("row"),
    }
}

fn find<'a>(rows: &'a [Row], phone: &str) -> &'a Row {
    rows.iter()
        .find(|r| r.0 == phone)
        .expect("a message for the number")
}

async fn launch(store: &Store, name: &str) -> CampaignId {
    let c = store
        .create_campaign(T, name, "{}", 0)
        .await
        .expect("create");
    let moved = store
        .transition(c.id, CampaignState::Draft, CampaignState::Running, None, 1)
        .await
        .expect("launch");
    assert!(moved);
    c.id
}

fn plan(campaign: CampaignId, due_at: i64, now: i64) -> ExpansionPlan {
    ExpansionPlan {
        campaign,
        tenant: T,
        segment: None,
        rules: Vec::new(),
        default_variant: "a".into(),
        due_at,
        expires_at: None,
        frequency_cap: None,
        now,
    }
}

async fn expand_all(store: &Store, plan: &ExpansionPlan, chunk: usize) -> Vec<ExpandedChunk> {
    let mut out = Vec::new();
    loop {
        let c = store.expand_chunk(plan, chunk).await.expect("expand");
        out.push(c);
        if c.done {
            return out;
        }
        assert!(out.len() < 100, "expansion never finished");
    }
}

const PEOPLE: &str = "phone,first_name,zip,issues,opted_out,age\n\
2155550101,Ana,19103,healthcare;economy,no,34\n\
2155550102,Ben,19104,healthcare,no,61\n\
6145550104,Eve,43215,economy,no,45\n\
6145550105,Fay,43215,,yes,50\n\
8085550107,Hal,96813,education,no,52\n\
4125550103,Dee,15222,climate,no,29\n";

#[tokio::test]
async fn expansion_follows_the_cursor_bound_rules_and_suppressions() {
    for b in support::backends("expand").await {
        let s = &b.store;
        import(s, PEOPLE).await;
        // Dee already got a message today (frequency cap 1/day); Eve's number said STOP.
        let other = launch(s, "earlier").await;
        s.enqueue_single(other, T, "+14125550103", "x", 0, 1_000)
            .await
            .expect("enqueue");
        let stop = ConsentChange {
            tenant: T,
            phone: "+16145550104".into(),
            opt_in: false,
            source: "sms_keyword".into(),
            evidence: Some("STOP".into()),
            at: 5,
        };
        assert!(s.record_consent(&stop).await.expect("stop"));

        let id = launch(s, "spring").await;
        let bound = s
            .campaign(id)
            .await
            .expect("get")
            .expect("campaign")
            .frozen_through;
        let ids = [
            "+12155550101",
            "+12155550102",
            "+16145550104",
            "+16145550105",
            "+18085550107",
            "+14125550103",
        ];
        let mut cids = Vec::new();
        for p in ids {
            cids.push(contact_id(s, p).await);
        }
        cids.sort_unstable();
        assert_eq!(
            bound,
            cids.last().copied(),
            "{}: launch freezes the highest contact id",
            b.name
        );
        // Imported after launch: beyond the bound, never expanded.
        import(s, "phone,zip\n2155550199,19103\n").await;

        let mut p = plan(id, 2_000, 2_000);
        p.segment = Some(segment(s, r#"state != "HI""#).await);
        p.rules = vec![
            CompiledRule {
                when: segment(s, r#"state = "PA""#).await,
                variant: "pa".into(),
            },
            CompiledRule {
                when: segment(s, r#""healthcare" in issues or "economy" in issues"#).await,
                variant: "issues".into(),
            },
        ];
        p.frequency_cap = Some(FrequencyCap {
            max: 1,
            within_ms: DAY,
        });
        let chunks = expand_all(s, &p, 2).await;
        let throughs: Vec<i64> = chunks.iter().map(|c| c.through).collect();
        assert_eq!(
            throughs,
            vec![cids[1], cids[3], cids[5]],
            "{}: keyset chunks of two",
            b.name
        );
        let queued: u64 = chunks.iter().map(|c| c.queued).sum();
        let suppressed: u64 = chunks.iter().map(|c| c.suppressed).sum();
        assert_eq!((queued, suppressed), (2, 3), "{}: {chunks:?}", b.name);

        let rows: Vec<Row> = messages(s).await.into_iter().skip(1).collect();
        assert_eq!(
            rows.len(),
            5,
            "{}: Hal (HI) and the late import are out: {rows:?}",
            b.name
        );
        let ana = find(&rows, "+12155550101");
        assert_eq!(
            (ana.1.as_str(), ana.2.as_str(), ana.4),
            ("pa", "queued", Some(2_000))
        );
        assert_eq!(
            find(&rows, "+12155550102").1,
            "pa",
            "{}: the first rule wins",
            b.name
        );
        let eve = find(&rows, "+16145550104");
        assert_eq!((eve.1.as_str(), eve.2.as_str()), ("issues", "suppressed"));
        assert_eq!((eve.3.as_deref(), eve.4), (Some("opted_out"), None));
        let fay = find(&rows, "+16145550105");
        assert_eq!((fay.1.as_str(), fay.3.as_deref()), ("a", Some("opted_out")));
        let dee = find(&rows, "+14125550103");
        assert_eq!(
            (dee.2.as_str(), dee.3.as_deref()),
            ("suppressed", Some("frequency_cap"))
        );

        // Running again after the cursor reached the bound inserts nothing.
        let again = s.expand_chunk(&p, 2).await.expect("again");
        assert_eq!(
            (again.queued, again.suppressed, again.done),
            (0, 0, true),
            "{}",
            b.name
        );
        assert_eq!(messages(s).await.len(), 6);
        let counts = s.message_counts_by_status(id).await.expect("counts");
        assert_eq!(counts, vec![("queued".into(), 2), ("suppressed".into(), 3)]);
        let report = s.campaign_counts(id).await.expect("report");
        let pa_queued = report
            .iter()
            .find(|r| r.variant == "pa" && r.status == "queued");
        assert_eq!(
            pa_queued.map(|r| (r.state.as_deref(), r.count)),
            Some((Some("PA"), 2))
        );
        b.cleanup().await;
    }
}

#[tokio::test]
async fn a_chunk_resumes_from_the_committed_cursor() {
    for b in support::backends("resume").await {
        let s = &b.store;
        import(s, PEOPLE).await;
        let id = launch(s, "c").await;
        let p = plan(id, 0, 0);
        let first = s.expand_chunk(&p, 4).await.expect("first");
        assert_eq!(
            (first.queued + first.suppressed, first.done),
            (4, false),
            "{}",
            b.name
        );
        // A worker that restarts with the same plan continues after the cursor instead of repeating the chunk.
        let second = s.expand_chunk(&p, 4).await.expect("second");
        assert_eq!(
            (second.queued + second.suppressed, second.done),
            (2, true),
            "{}",
            b.name
        );
        let mut phones: Vec<String> = messages(s).await.into_iter().map(|r| r.0).collect();
        phones.sort();
        phones.dedup();
        assert_eq!(phones.len(), 6, "{}: every contact once", b.name);
        b.cleanup().await;
    }
}

/// Two boxes splitting Pennsylvania at 77.5°W.
const PA_HALVES: &str = r#"{"type":"FeatureCollection","features":[
 {"type":"Feature","properties":{"NAME":"PA-EAST"},"geometry":{"type":"Polygon","coordinates":[[[-77.5,39.7],[-74.6,39.7],[-74.6,42.3],[-77.5,42.3],[-77.5,39.7]]]}},
 {"type":"Feature","properties":{"NAME":"PA-WEST"},"geometry":{"type":"Polygon","coordinates":[[[-80.6,39.7],[-77.5,39.7],[-77.5,42.3],[-80.6,42.3],[-80.6,39.7]]]}}]}"#;

#[tokio::test]
async fn claims_take_due_work_in_due_order_with_contact_fields() {
    for b in support::backends("claim").await {
        let s = &b.store;
        import(s, PEOPLE).await;
        let layer =
            read_geojson(Cursor::new(PA_HALVES), "pa.geojson", "district", "NAME").expect("layer");
        let layer_id = s
            .replace_region_layer(T, &layer, "pa.geojson")
            .await
            .expect("layer");
        let index = s.region_indexes(T).await.expect("indexes").remove(0).1;
        s.assign_regions(T, layer_id, &index).await.expect("assign");

        let c = launch(s, "c").await;
        let q = |phone: &'static str, due: i64| async move {
            s.enqueue_single(c, T, phone, "a", due, 0)
                .await
                .expect("enqueue")
        };
        let ana = q("+12155550101", 300).await;
        let ben = q("+12155550102", 100).await;
        let stranger = q("+19995550000", 200).await;
        let later = q("+14125550103", 5_000).await;
        // A paused campaign's messages wait, however due.
        let held = launch(s, "held").await;
        s.enqueue_single(held, T, "+16145550104", "a", 50, 0)
            .await
            .expect("enqueue");
        assert!(
            s.transition(
                held,
                CampaignState::Running,
                CampaignState::Paused,
                None,
                60
            )
            .await
            .expect("pause")
        );
        s.record_consent(&ConsentChange {
            tenant: T,
            phone: "+19995550000".into(),
            opt_in: false,
            source: "api".into(),
            evidence: None,
            at: 1,
        })
        .await
        .expect("stop");

        let got = s.claim("w1", 10, 1_000, 500).await.expect("claim");
        let order: Vec<i64> = got.iter().map(|m| m.id.0).collect();
        assert_eq!(
            order,
            vec![ben, stranger, ana],
            "{}: due order; not-yet-due and held stay",
            b.name
        );
        assert!(got.iter().all(|m| m.attempts == 1 && m.campaign == Some(c)));
        let a = &got[2];
        let fields = a.contact.as_ref().expect("Ana is a contact");
        assert_eq!(fields.issues, vec!["economy", "healthcare"], "{}", b.name);
        assert_eq!(
            fields.regions,
            vec![("district".to_owned(), "PA-EAST".to_owned())]
        );
        assert_eq!(fields.attrs["age"], serde_json::json!(34));
        assert_eq!((fields.state.as_deref(), a.opted_out), (Some("PA"), false));
        assert!(
            got[1].contact.is_none() && got[1].opted_out,
            "{}: listed non-contact",
            b.name
        );

        assert!(
            s.claim("w2", 10, 1_200, 500)
                .await
                .expect("claim")
                .is_empty(),
            "{}: leased",
            b.name
        );
        let limited = s.claim("w2", 1, 1_600, 500).await.expect("reclaim");
        assert_eq!(limited.len(), 1, "{}", b.name);
        assert!(
            [ana, ben, stranger].contains(&limited[0].id.0),
            "{}: a lapsed lease",
            b.name
        );
        assert_eq!(limited[0].attempts, 2, "{}", b.name);
        let rest = s.claim("w2", 10, 6_000, 500).await.expect("reclaim");
        let mut ids: Vec<i64> = rest.iter().map(|m| m.id.0).collect();
        ids.sort_unstable();
        let mut want = vec![ana, stranger, later, ben];
        want.sort_unstable();
        assert_eq!(ids, want, "{}: the due one and every lapsed lease", b.name);
        b.cleanup().await;
    }
}

#[tokio::test]
async fn settlements_respect_the_lease_and_receipts_find_their_message() {
    for b in support::backends("settle").await {
        let s = &b.store;
        let c = launch(s, "c").await;
        let mut ids = Vec::new();
        for phone in [
            "+12155550101",
            "+12155550102",
            "+12155550103",
            "+12155550104",
        ] {
            ids.push(
                s.enqueue_single(c, T, phone, "a", 0, 0)
                    .await
                    .expect("enqueue"),
            );
        }
        s.claim("w1", 10, 0, 100).await.expect("claim");
        // w1 stalls; w2 takes the lapsed lease of the first message and sends it.
        let taken = s.claim("w2", 1, 200, 100).await.expect("take over");
        let t = taken[0].id.0;
        let others: Vec<i64> = ids.iter().copied().filter(|&i| i != t).collect();
        let sent = |id: i64, carrier: &str| Settlement::Sent {
            id: MessageId(id),
            channel: Channel::Sms,
            route: "smpp".into(),
            sender: "+15550001".into(),
            carrier_id: Some(carrier.into()),
            segments: 1,
            receipt_deadline: 1_000,
        };
        s.settle(&[sent(t, "c0")], 210).await.expect("settle w2");
        let stale = Settlement::Done {
            id: MessageId(t),
            status: MessageStatus::Failed,
            error_code: Some("timeout".into()),
            detail: None,
        };
        let retry = Settlement::Retry {
            id: MessageId(others[1]),
            due_at: 900,
            channel: Some(Channel::Sms),
            error_code: None,
            detail: None,
            counts: false,
        };
        s.settle(&[stale, sent(others[0], "c1"), retry], 220)
            .await
            .expect("settle w1");
        let first = message(s, t).await;
        assert_eq!(
            (first.0.as_str(), first.4.as_deref()),
            ("sent", Some("c0")),
            "{}: stale ignored",
            b.name
        );
        let third = message(s, others[1]).await;
        assert_eq!(
            (third.0.as_str(), third.1, third.2),
            ("queued", 0, Some(900)),
            "{}: pacing is free",
            b.name
        );

        let receipt = |carrier: &str, at: i64| ReceiptUpdate {
            carrier_id: carrier.into(),
            status: MessageStatus::Delivered,
            error_code: None,
            at,
        };
        let tally = s
            .apply_receipts(&[receipt("c0", 300), receipt("c0", 301), receipt("zz", 302)])
            .await;
        let want = ReceiptTally {
            applied: 1,
            ignored: 1,
            unknown: vec!["zz".to_owned()],
        };
        assert_eq!(tally.expect("receipts"), want, "{}", b.name);

        assert_eq!(
            s.expire_unreceipted(2_000, 10).await.expect("expire"),
            1,
            "{}",
            b.name
        );
        let expired = message(s, others[0]).await;
        assert_eq!(
            (expired.0.as_str(), expired.3.as_deref(), expired.2),
            ("expired", Some("no_receipt"), None)
        );
        let late = s
            .apply_receipts(&[receipt("c1", 2_500)])
            .await
            .expect("late");
        assert_eq!(
            late.applied, 1,
            "{}: a late receipt corrects the expiry",
            b.name
        );
        let corrected = message(s, others[0]).await;
        assert_eq!((corrected.0.as_str(), corrected.3), ("delivered", None));
        b.cleanup().await;
    }
}

#[tokio::test]
async fn pause_resume_and_cancel_move_queued_messages() {
    for b in support::backends("lifecycle").await {
        let s = &b.store;
        import(s, PEOPLE).await;
        let id = launch(s, "c").await;
        expand_all(s, &plan(id, 0, 0), 100).await;
        assert!(
            s.transition(
                id,
                CampaignState::Running,
                CampaignState::Paused,
                Some("hold"),
                10
            )
            .await
            .expect("pause")
        );
        assert!(
            !s.transition(id, CampaignState::Running, CampaignState::Paused, None, 11)
                .await
                .expect("again")
        );
        assert!(
            s.claim("w", 10, 100, 50).await.expect("claim").is_empty(),
            "{}: paused",
            b.name
        );
        assert!(
            s.transition(id, CampaignState::Paused, CampaignState::Running, None, 200)
                .await
                .expect("resume")
        );
        let got = s.claim("w", 2, 200, 50).await.expect("claim");
        assert_eq!(got.len(), 2, "{}: resumed rows are due", b.name);
        assert!(
            s.transition(
                id,
                CampaignState::Running,
                CampaignState::Cancelled,
                None,
                300
            )
            .await
            .expect("cancel")
        );
        let rows = messages(s).await;
        let cancelled = rows
            .iter()
            .filter(|r| r.3.as_deref() == Some("cancelled"))
            .count();
        let opted = rows
            .iter()
            .filter(|r| r.3.as_deref() == Some("opted_out"))
            .count();
        assert_eq!(
            (cancelled, opted),
            (3, 1),
            "{}: queued rows suppressed, sending ones left",
            b.name
        );
        assert!(rows.iter().all(|r| r.2 != "queued"));
        let events = s.campaign_events(id).await.expect("events");
        let path: Vec<_> = events.iter().map(|e| (e.from, e.to)).collect();
        use CampaignState::*;
        assert_eq!(
            path,
            vec![
                (None, Draft),
                (Some(Draft), Running),
                (Some(Running), Paused),
                (Some(Paused), Running),
                (Some(Running), Cancelled)
            ]
        );
        assert_eq!(events[2].note.as_deref(), Some("hold"));
        b.cleanup().await;
    }
}

#[tokio::test]
async fn consent_ledger_inbox_and_links() {
    for b in support::backends("consent").await {
        let s = &b.store;
        import(s, PEOPLE).await;
        let change = |phone: &str, opt_in: bool, at: i64| ConsentChange {
            tenant: T,
            phone: phone.into(),
            opt_in,
            source: "sms_keyword".into(),
            evidence: Some(if opt_in { "START" } else { "STOP" }.into()),
            at,
        };
        let ana = "+12155550101";
        assert!(
            s.record_consent(&change(ana, false, 1))
                .await
                .expect("stop")
        );
        assert!(
            !s.record_consent(&change(ana, false, 2))
                .await
                .expect("stop again"),
            "{}",
            b.name
        );
        assert!(
            s.contact_by_phone(T, ana)
                .await
                .expect("q")
                .expect("ana")
                .opted_out
        );
        assert!(
            s.record_consent(&change(ana, true, 3))
                .await
                .expect("start")
        );
        assert!(
            !s.contact_by_phone(T, ana)
                .await
                .expect("q")
                .expect("ana")
                .opted_out
        );
        // Fay was imported opted out: a STOP changes nothing, START clears the flag.
        assert!(
            !s.record_consent(&change("+16145550105", false, 4))
                .await
                .expect("stop")
        );
        let ledger = s.consent_ledger(T, Some(ana)).await.expect("ledger");
        let kinds: Vec<bool> = ledger.iter().map(|r| r.opt_in).collect();
        assert_eq!(
            kinds,
            vec![false, false, true],
            "{}: every change kept",
            b.name
        );

        let history = [
            change("+13125550000", false, 10),
            change("+13125550000", true, 5),
        ];
        assert_eq!(s.import_consent(&history).await.expect("import"), 2);
        assert_eq!(
            s.import_consent(&history).await.expect("import"),
            0,
            "{}: idempotent",
            b.name
        );
        let c = launch(s, "c").await;
        s.enqueue_single(c, T, "+13125550000", "a", 0, 0)
            .await
            .expect("enqueue");
        let got = s.claim("w", 10, 0, 10).await.expect("claim");
        assert!(
            got[0].opted_out,
            "{}: the latest imported change (out) holds",
            b.name
        );
        assert_eq!(s.purge_consent_before(5).await.expect("purge"), 4);
        assert_eq!(s.consent_ledger(T, None).await.expect("all").len(), 2);

        let inbound = |from: &str| InboundRecord {
            tenant: T,
            from: from.into(),
            to: "+15550001".into(),
            body: Some("hi".into()),
            media: vec![("image/jpeg".into(), "abc".into())],
            keyword: None,
            carrier_id: Some("mo1".into()),
            at: 50,
        };
        s.record_inbound(&inbound(ana)).await.expect("inbound");
        s.record_inbound(&inbound("+19995550000"))
            .await
            .expect("inbound");
        let rows = s.inbox(T, ana).await.expect("inbox");
        assert_eq!(
            rows[0].contact_id,
            Some(contact_id(s, ana).await),
            "{}",
            b.name
        );
        assert_eq!(
            rows[0].media,
            vec![("image/jpeg".to_owned(), "abc".to_owned())]
        );
        assert_eq!(
            s.inbox(T, "+19995550000").await.expect("inbox")[0].contact_id,
            None
        );

        let msg = got[0].id;
        s.record_link_event(msg, "click", Some("UA"), 60)
            .await
            .expect("click");
        s.record_link_event(msg, "click", None, 61)
            .await
            .expect("click");
        assert_eq!(
            s.link_target(msg).await.expect("target"),
            Some((Some(c), "a".to_owned(), T))
        );
        assert_eq!(
            s.link_counts(c).await.expect("counts"),
            vec![("a".into(), "click".into(), 2)]
        );
        b.cleanup().await;
    }
}

#[tokio::test]
async fn the_route_table_is_one_document_replaced_whole() {
    for b in support::backends("route_rules").await {
        let s = &b.store;
        assert_eq!(s.route_rules().await.expect("read"), None, "{}", b.name);
        let first = serde_json::json!({"rules": [{"prefix": "+1215", "routes": ["a", "b"]}, {"routes": ["c"]}]});
        s.put_route_rules(&first, 1).await.expect("put");
        assert_eq!(
            s.route_rules().await.expect("read"),
            Some(first),
            "{}",
            b.name
        );
        let second = serde_json::json!({"rules": [{"routes": ["b"], "mode": "round_robin"}]});
        s.put_route_rules(&second, 2).await.expect("replace");
        assert_eq!(
            s.route_rules().await.expect("read"),
            Some(second),
            "{}",
            b.name
        );
        assert!(s.clear_route_rules().await.expect("clear"), "{}", b.name);
        assert!(
            !s.clear_route_rules().await.expect("clear again"),
            "{}",
            b.name
        );
        assert_eq!(s.route_rules().await.expect("read"), None, "{}", b.name);
        b.cleanup().await;
    }
}
