//! A message's life on the Twilio surface: created and fetched, listed in pages with filters, scheduled and
//! canceled, redacted, deleted once finished, and its media listed.

mod support;

use std::collections::BTreeSet;

use canvass_types::MessageStatus;
use serde_json::Value;
use support::{Call, Fixture, Party, RECIPIENT, RECIPIENT_2, at_offset, backends, counts, form};

const ENVELOPE: [&str; 9] = [
    "end",
    "first_page_uri",
    "messages",
    "next_page_uri",
    "page",
    "page_size",
    "previous_page_uri",
    "start",
    "uri",
];

fn keys(v: &Value) -> Vec<String> {
    let mut k: Vec<String> = v.as_object().expect("object").keys().cloned().collect();
    k.sort();
    k
}

async fn list(f: &Fixture, party: &Party, query: &[(&str, &str)]) -> Value {
    let uri = if query.is_empty() {
        party.messages()
    } else {
        format!("{}?{}", party.messages(), form(query))
    };
    let reply = Call::get(&uri).auth(&party.auth()).send(&f.router).await;
    assert_eq!(reply.status, 200, "{uri}: {}", reply.text);
    reply.body
}

fn sids(page: &Value) -> Vec<String> {
    page["messages"]
        .as_array()
        .expect("messages")
        .iter()
        .map(|m| m["sid"].as_str().expect("sid").to_owned())
        .collect()
}

async fn scheduling_service(f: &Fixture) -> String {
    f.service(&f.agency, None).await
}

#[tokio::test]
async fn a_created_message_is_fetched_as_queued_with_twilios_fields() {
    for b in backends("life_fetch").await {
        let f = Fixture::new(&b.store).await;
        let a = &f.agency;
        let created = f.create(a, &[("Body", "Hello there")]).await;
        let sid = created["sid"].as_str().expect("sid");
        assert!(sid.starts_with("SM") && sid.len() == 34, "{sid}");
        let fetched = Call::get(&a.message(sid))
            .auth(&a.auth())
            .send(&f.router)
            .await;
        assert_eq!(fetched.status, 200, "{}", fetched.text);
        let m = &fetched.body;
        assert_eq!(m, &created, "{}: fetch reads what create answered", b.name);
        assert_eq!(m["status"], "queued");
        assert_eq!(m["account_sid"], a.account.sid.as_str());
        assert_eq!(m["to"], RECIPIENT);
        assert_eq!(m["from"], a.number.as_str());
        assert_eq!(m["body"], "Hello there");
        assert_eq!(m["direction"], "outbound-api");
        assert_eq!(m["api_version"], "2010-04-01");
        assert_eq!(m["num_media"], "0");
        assert_eq!(m["num_segments"], "1");
        assert_eq!(m["date_sent"], Value::Null);
        assert_eq!(m["error_code"], Value::Null);
        assert_eq!(m["date_created"], "Tue, 10 Mar 2026 15:00:00 +0000");
        assert_eq!(m["uri"], a.message(sid).as_str());
        assert_eq!(m["subresource_uris"]["media"], a.media(sid).as_str());
        // A sid that is not there, and a path that is not `.json`.
        let missing = Call::get(&a.message("SM0123456789abcdef0123456789abcdef"))
            .auth(&a.auth())
            .send(&f.router)
            .await;
        missing.assert_error(404, 20404, "unknown sid");
        let no_suffix = Call::get(&format!(
            "/2010-04-01/Accounts/{}/Messages/{sid}",
            a.account.sid
        ))
        .auth(&a.auth())
        .send(&f.router)
        .await;
        no_suffix.assert_error(404, 20404, "no .json");
        b.cleanup().await;
    }
}

#[tokio::test]
async fn a_list_pages_newest_first_by_next_page_uri_without_repeats() {
    for b in backends("life_paging").await {
        let f = Fixture::new(&b.store).await;
        let a = &f.agency;
        let mut created = Vec::new();
        for i in 0..7 {
            let m = f.create(a, &[("Body", &format!("message {i}"))]).await;
            created.push(m["sid"].as_str().expect("sid").to_owned());
        }
        let newest_first: Vec<String> = created.iter().rev().cloned().collect();

        let mut page = list(&f, a, &[("PageSize", "3")]).await;
        let mut seen: Vec<String> = Vec::new();
        let mut sizes = Vec::new();
        let mut pages: i64 = 0;
        loop {
            assert_eq!(keys(&page), ENVELOPE, "{}: envelope", b.name);
            assert_eq!(page["page"], pages);
            assert_eq!(page["page_size"], 3);
            assert_eq!(page["start"], pages * 3);
            let n = page["messages"].as_array().expect("messages").len() as i64;
            assert_eq!(page["end"], pages * 3 + n - 1);
            assert_eq!(page["previous_page_uri"], Value::Null);
            let first = page["first_page_uri"].as_str().expect("first page");
            assert!(first.starts_with(&a.messages()), "{first}");
            assert!(
                page["uri"]
                    .as_str()
                    .expect("uri")
                    .starts_with("/2010-04-01/")
            );
            sizes.push(n);
            seen.extend(sids(&page));
            pages += 1;
            match page["next_page_uri"].as_str() {
                None => break,
                Some(next) => {
                    assert!(next.starts_with("/2010-04-01/Accounts/"), "{next}");
                    let reply = Call::get(next).auth(&a.auth()).send(&f.router).await;
                    assert_eq!(reply.status, 200, "{next}: {}", reply.text);
                    page = reply.body;
                }
            }
            assert!(pages < 10, "paging does not end");
        }
        assert_eq!(sizes, [3, 3, 1], "{}", b.name);
        assert_eq!(seen, newest_first, "{}: newest first, each once", b.name);

        // A page asked for exactly the rest has no next page.
        let all = list(&f, a, &[("PageSize", "7")]).await;
        assert_eq!(all["next_page_uri"], Value::Null);
        assert_eq!(sids(&all), newest_first);
        let default = list(&f, a, &[]).await;
        assert_eq!(default["page_size"], 50);
        // Messages that arrive while paging do not shift the pages already handed out.
        let page1 = list(&f, a, &[("PageSize", "3")]).await;
        let next = page1["next_page_uri"].as_str().expect("next").to_owned();
        f.create(a, &[("Body", "late")]).await;
        let page2 = Call::get(&next).auth(&a.auth()).send(&f.router).await;
        assert_eq!(sids(&page2.body), newest_first[3..6], "{}", b.name);

        for bad in ["0", "1001", "x"] {
            let reply = Call::get(&format!("{}?PageSize={bad}", a.messages()))
                .auth(&a.auth())
                .send(&f.router)
                .await;
            reply.assert_error(400, 20001, &format!("PageSize={bad}"));
        }
        let reply = Call::get(&format!("{}?PageToken=nope", a.messages()))
            .auth(&a.auth())
            .send(&f.router)
            .await;
        reply.assert_error(400, 20001, "PageToken");
        b.cleanup().await;
    }
}

#[tokio::test]
async fn to_and_from_filter_the_list_and_next_page_uri_keeps_them() {
    for b in backends("life_filters").await {
        let f = Fixture::new(&b.store).await;
        let a = &f.agency;
        let second_number = "+12155550110";
        f.store
            .add_number(&a.account, second_number, f.now_ms())
            .await
            .expect("second number");
        let mut to_two = BTreeSet::new();
        let mut from_second = BTreeSet::new();
        for i in 0..6 {
            let to = if i % 2 == 0 { RECIPIENT } else { RECIPIENT_2 };
            let from = if i < 3 {
                a.number.as_str()
            } else {
                second_number
            };
            let m = f.create(a, &[("To", to), ("From", from)]).await;
            let sid = m["sid"].as_str().expect("sid").to_owned();
            if to == RECIPIENT_2 {
                to_two.insert(sid.clone());
            }
            if from == second_number {
                from_second.insert(sid);
            }
        }
        let by_to = list(&f, a, &[("To", RECIPIENT_2)]).await;
        assert_eq!(sids(&by_to).into_iter().collect::<BTreeSet<_>>(), to_two);
        // Written nationally, the number is the same.
        let national = list(&f, a, &[("To", "(215) 555-0198")]).await;
        assert_eq!(sids(&national).into_iter().collect::<BTreeSet<_>>(), to_two);
        let by_from = list(&f, a, &[("From", second_number)]).await;
        assert_eq!(
            sids(&by_from).into_iter().collect::<BTreeSet<_>>(),
            from_second
        );
        let both = list(&f, a, &[("To", RECIPIENT_2), ("From", second_number)]).await;
        let expected: BTreeSet<String> = to_two.intersection(&from_second).cloned().collect();
        assert_eq!(sids(&both).into_iter().collect::<BTreeSet<_>>(), expected);
        let nobody = list(&f, a, &[("To", "+12155550111")]).await;
        assert_eq!(sids(&nobody), Vec::<String>::new());
        assert_eq!(nobody["end"], 0);

        // The next page carries the filter.
        let first = list(&f, a, &[("To", RECIPIENT_2), ("PageSize", "2")]).await;
        let next = first["next_page_uri"].as_str().expect("next");
        let rest = Call::get(next).auth(&a.auth()).send(&f.router).await;
        let mut paged: BTreeSet<String> = sids(&first).into_iter().collect();
        paged.extend(sids(&rest.body));
        assert_eq!(paged, to_two, "{}: {next}", b.name);
        b.cleanup().await;
    }
}

/// Three messages: created on 10 March (unsent), created on 11 March 09:00 (unsent), created on 10 March and
/// sent on 12 March. Returns their sids in that order.
async fn dated_messages(f: &Fixture) -> [String; 3] {
    let a = &f.agency;
    let day1 = f.create(a, &[("Body", "day one")]).await;
    let sent = f.create(a, &[("Body", "sent later")]).await;
    let sent_sid = sent["sid"].as_str().expect("sid").to_owned();
    let sent_id = f.id_of(a, &sent_sid).await;
    // 12 March 10:00: claim both queued ones, send one, put the other back.
    f.advance_ms(43 * 3_600_000);
    let claimed = f.claim_all().await;
    assert_eq!(claimed.len(), 2);
    f.settle_sent(sent_id, &a.number).await;
    let other = claimed
        .iter()
        .find(|c| c.id != sent_id)
        .expect("the other")
        .id;
    canvass_dispatch::ports::Queue::settle(
        &f.store,
        &[canvass_dispatch::ports::Settlement::Retry {
            id: other,
            due_at: f.now_ms() + 86_400_000,
            channel: None,
            error_code: None,
            detail: None,
            counts: false,
        }],
        f.now_ms(),
    )
    .await
    .expect("retry");
    // Back to 11 March 09:00 for the third.
    f.clock
        .set("2026-03-11T09:00:00Z".parse().expect("instant"));
    let day2 = f.create(a, &[("Body", "day two")]).await;
    f.clock
        .set("2026-03-12T12:00:00Z".parse().expect("instant"));
    [
        day1["sid"].as_str().expect("sid").to_owned(),
        day2["sid"].as_str().expect("sid").to_owned(),
        sent_sid,
    ]
}

fn set(page: &Value) -> BTreeSet<String> {
    sids(page).into_iter().collect()
}

fn of(items: &[&String]) -> BTreeSet<String> {
    items.iter().map(|s| (*s).clone()).collect()
}

#[tokio::test]
async fn date_sent_filters_date_unsent_messages_by_creation() {
    for b in backends("life_datesent").await {
        let f = Fixture::new(&b.store).await;
        let a = &f.agency;
        let [day1, day2, sent] = dated_messages(&f).await;
        let fetched = Call::get(&a.message(&sent))
            .auth(&a.auth())
            .send(&f.router)
            .await;
        assert_eq!(fetched.body["status"], "sent");
        assert_eq!(fetched.body["date_sent"], "Thu, 12 Mar 2026 10:00:00 +0000");

        for (query, expected) in [
            (vec![("DateSent", "2026-03-10")], of(&[&day1])),
            (vec![("DateSent", "2026-03-11")], of(&[&day2])),
            (vec![("DateSent", "2026-03-12")], of(&[&sent])),
            (vec![("DateSent", "2026-03-13")], of(&[])),
            (vec![("DateSent", "2026-03-12T10:00:00Z")], of(&[&sent])),
            (
                vec![("DateSent>", "2026-03-11T00:00:00Z")],
                of(&[&day2, &sent]),
            ),
            (vec![("DateSent<", "2026-03-11T00:00:00Z")], of(&[&day1])),
            (
                vec![
                    ("DateSent>", "2026-03-10T23:00:00Z"),
                    ("DateSent<", "2026-03-12T00:00:00Z"),
                ],
                of(&[&day2]),
            ),
        ] {
            let page = list(&f, a, &query).await;
            assert_eq!(set(&page), expected, "{}: {query:?}", b.name);
        }
        let reply = Call::get(&format!("{}?DateSent=yesterday", a.messages()))
            .auth(&a.auth())
            .send(&f.router)
            .await;
        reply.assert_error(400, 20001, "DateSent=yesterday");
        b.cleanup().await;
    }
}

/// `DateSent>=YYYY-MM-DD` (as curl and the SDKs write it, `DateSent%3E=…`: the key `DateSent>`) takes
/// messages on or after midnight of that day, as Twilio documents; `DateSent<=YYYY-MM-DD` takes the whole
/// day, as the comment in list.rs says.
#[tokio::test]
async fn date_sent_day_bounds_include_the_day() {
    for b in backends("life_datesent_day").await {
        let f = Fixture::new(&b.store).await;
        let a = &f.agency;
        let [day1, day2, sent] = dated_messages(&f).await;
        let after = list(&f, a, &[("DateSent>", "2026-03-11")]).await;
        assert_eq!(set(&after), of(&[&day2, &sent]), "{}: DateSent>=", b.name);
        let before = list(&f, a, &[("DateSent<", "2026-03-11")]).await;
        assert_eq!(set(&before), of(&[&day1, &day2]), "{}: DateSent<=", b.name);
        b.cleanup().await;
    }
}

#[tokio::test]
async fn a_scheduled_message_is_canceled_once_and_a_queued_one_not_at_all() {
    for b in backends("life_cancel").await {
        let f = Fixture::new(&b.store).await;
        let a = &f.agency;
        let mg = scheduling_service(&f).await;
        let send_at = at_offset(f.now_ms(), 3600);
        let scheduled = f
            .create(
                a,
                &[
                    ("MessagingServiceSid", &mg),
                    ("ScheduleType", "fixed"),
                    ("SendAt", &send_at),
                ],
            )
            .await;
        assert_eq!(scheduled["status"], "scheduled", "{}", b.name);
        assert_eq!(scheduled["messaging_service_sid"], mg.as_str());
        assert_eq!(scheduled["from"], a.number.as_str());
        let sid = scheduled["sid"].as_str().expect("sid");
        let fetched = Call::get(&a.message(sid))
            .auth(&a.auth())
            .send(&f.router)
            .await;
        assert_eq!(fetched.body["status"], "scheduled");
        // Not claimed before its time.
        assert!(f.claim_all().await.is_empty(), "{}", b.name);

        let canceled = Call::post(&a.message(sid))
            .auth(&a.auth())
            .form(&[("Status", "canceled")])
            .send(&f.router)
            .await;
        assert_eq!(canceled.status, 200, "{}: {}", b.name, canceled.text);
        assert_eq!(canceled.body["status"], "canceled");
        assert_eq!(canceled.body["error_code"], Value::Null);
        let fetched = Call::get(&a.message(sid))
            .auth(&a.auth())
            .send(&f.router)
            .await;
        assert_eq!(fetched.body["status"], "canceled");
        let again = Call::post(&a.message(sid))
            .auth(&a.auth())
            .form(&[("Status", "canceled")])
            .send(&f.router)
            .await;
        again.assert_error(400, 30409, "cancel twice");
        // Past its time, a canceled message is not sent.
        f.advance_ms(2 * 3_600_000);
        assert!(f.claim_all().await.is_empty(), "{}: canceled stays", b.name);

        let queued = f.create(a, &[]).await;
        let queued_sid = queued["sid"].as_str().expect("sid");
        let refused = Call::post(&a.message(queued_sid))
            .auth(&a.auth())
            .form(&[("Status", "canceled")])
            .send(&f.router)
            .await;
        refused.assert_error(400, 30409, "cancel a queued message");
        let other_status = Call::post(&a.message(queued_sid))
            .auth(&a.auth())
            .form(&[("Status", "delivered")])
            .send(&f.router)
            .await;
        other_status.assert_error(400, 20001, "Status=delivered");
        let unknown = Call::post(&a.message(queued_sid))
            .auth(&a.auth())
            .form(&[("To", RECIPIENT)])
            .send(&f.router)
            .await;
        unknown.assert_error(400, 20001, "To on update");
        let still = Call::get(&a.message(queued_sid))
            .auth(&a.auth())
            .send(&f.router)
            .await;
        assert_eq!(still.body["status"], "queued");
        b.cleanup().await;
    }
}

#[tokio::test]
async fn redaction_blanks_the_body_and_nothing_else_is_taken() {
    for b in backends("life_redact").await {
        let f = Fixture::new(&b.store).await;
        let a = &f.agency;
        let m = f.create(a, &[("Body", "a secret")]).await;
        let sid = m["sid"].as_str().expect("sid");
        let refused = Call::post(&a.message(sid))
            .auth(&a.auth())
            .form(&[("Body", "x")])
            .send(&f.router)
            .await;
        refused.assert_error(400, 20001, "Body=x");
        let unchanged = Call::get(&a.message(sid))
            .auth(&a.auth())
            .send(&f.router)
            .await;
        assert_eq!(unchanged.body["body"], "a secret");

        let redacted = Call::post(&a.message(sid))
            .auth(&a.auth())
            .form(&[("Body", "")])
            .send(&f.router)
            .await;
        assert_eq!(redacted.status, 200, "{}: {}", b.name, redacted.text);
        assert_eq!(redacted.body["body"], "");
        assert_eq!(redacted.body["status"], "queued");
        let fetched = Call::get(&a.message(sid))
            .auth(&a.auth())
            .send(&f.router)
            .await;
        assert_eq!(fetched.body["body"], "");
        let listed = list(&f, a, &[]).await;
        assert_eq!(listed["messages"][0]["body"], "");
        let stored = f
            .store
            .api_message(a.account.tenant, sid)
            .await
            .expect("read")
            .expect("there");
        assert_eq!(stored.body, "", "{}: blank in the store", b.name);
        b.cleanup().await;
    }
}

#[tokio::test]
async fn a_message_is_deleted_only_once_finished() {
    for b in backends("life_delete").await {
        let f = Fixture::new(&b.store).await;
        let a = &f.agency;
        let m = f.create(a, &[]).await;
        let sid = m["sid"].as_str().expect("sid");
        let early = Call::delete(&a.message(sid))
            .auth(&a.auth())
            .send(&f.router)
            .await;
        early.assert_error(409, 20009, "delete queued");
        let id = f.id_of(a, sid).await;
        assert_eq!(f.claim_all().await.len(), 1);
        let sending = Call::delete(&a.message(sid))
            .auth(&a.auth())
            .send(&f.router)
            .await;
        sending.assert_error(409, 20009, "delete sending");
        f.settle_done(id, MessageStatus::Failed).await;
        let failed = Call::get(&a.message(sid))
            .auth(&a.auth())
            .send(&f.router)
            .await;
        assert_eq!(failed.body["status"], "failed");
        assert_eq!(failed.body["error_code"], 30008);

        let deleted = Call::delete(&a.message(sid))
            .auth(&a.auth())
            .send(&f.router)
            .await;
        assert_eq!(deleted.status, 204, "{}: {}", b.name, deleted.text);
        assert!(deleted.text.is_empty());
        let gone = Call::get(&a.message(sid))
            .auth(&a.auth())
            .send(&f.router)
            .await;
        gone.assert_error(404, 20404, "fetch after delete");
        let again = Call::delete(&a.message(sid))
            .auth(&a.auth())
            .send(&f.router)
            .await;
        again.assert_error(404, 20404, "delete twice");
        assert_eq!(counts(&f.store).await, (0, 0), "{}: both rows gone", b.name);

        // A canceled scheduled message is finished too.
        let mg = scheduling_service(&f).await;
        let send_at = at_offset(f.now_ms(), 3600);
        let scheduled = f
            .create(
                a,
                &[
                    ("MessagingServiceSid", &mg),
                    ("ScheduleType", "fixed"),
                    ("SendAt", &send_at),
                ],
            )
            .await;
        let sid = scheduled["sid"].as_str().expect("sid");
        let canceled = Call::post(&a.message(sid))
            .auth(&a.auth())
            .form(&[("Status", "canceled")])
            .send(&f.router)
            .await;
        assert_eq!(canceled.status, 200, "{}", canceled.text);
        let deleted = Call::delete(&a.message(sid))
            .auth(&a.auth())
            .send(&f.router)
            .await;
        assert_eq!(deleted.status, 204, "{}: {}", b.name, deleted.text);
        b.cleanup().await;
    }
}

#[tokio::test]
async fn media_json_lists_one_item_per_media_url() {
    for b in backends("life_media").await {
        let f = Fixture::new(&b.store).await;
        let a = &f.agency;
        let urls = [
            ("https://media.example/a.JPG", "image/jpeg"),
            ("https://media.example/b.png?size=large#top", "image/png"),
            ("https://media.example/c.gif", "image/gif"),
            ("https://media.example/d.mp4", "video/mp4"),
            ("https://media.example/e.vcf", "text/vcard"),
            ("https://media.example/f.pdf", "application/pdf"),
            ("https://media.example/g", "application/octet-stream"),
        ];
        let params: Vec<(&str, &str)> = urls.iter().map(|(u, _)| ("MediaUrl", *u)).collect();
        let m = f.create(a, &params).await;
        let sid = m["sid"].as_str().expect("sid");
        assert!(sid.starts_with("MM"), "{sid}");
        assert_eq!(m["num_media"], "7");
        let reply = Call::get(&a.media(sid))
            .auth(&a.auth())
            .send(&f.router)
            .await;
        assert_eq!(reply.status, 200, "{}: {}", b.name, reply.text);
        let body = &reply.body;
        let mut envelope = ENVELOPE.map(String::from).to_vec();
        envelope[2] = "media_list".into();
        envelope.sort();
        assert_eq!(keys(body), envelope, "{}", b.name);
        let items = body["media_list"].as_array().expect("media_list");
        assert_eq!(items.len(), urls.len());
        let mut media_sids = BTreeSet::new();
        for (item, (url, content_type)) in items.iter().zip(urls) {
            let media_sid = item["sid"].as_str().expect("sid");
            assert!(
                media_sid.starts_with("ME") && media_sid.len() == 34,
                "{media_sid}"
            );
            media_sids.insert(media_sid.to_owned());
            assert_eq!(item["parent_sid"], sid);
            assert_eq!(item["account_sid"], a.account.sid.as_str());
            assert_eq!(item["content_type"], content_type, "{url}");
            assert_eq!(
                item["uri"],
                format!(
                    "/2010-04-01/Accounts/{}/Messages/{sid}/Media/{media_sid}.json",
                    a.account.sid
                )
            );
        }
        assert_eq!(media_sids.len(), urls.len(), "distinct media sids");
        // Stable across reads.
        let again = Call::get(&a.media(sid))
            .auth(&a.auth())
            .send(&f.router)
            .await;
        assert_eq!(&again.body, body);

        let text_only = f.create(a, &[]).await;
        let none = Call::get(&a.media(text_only["sid"].as_str().expect("sid")))
            .auth(&a.auth())
            .send(&f.router)
            .await;
        assert_eq!(none.status, 200);
        assert_eq!(none.body["media_list"], serde_json::json!([]));
        b.cleanup().await;
    }
}
