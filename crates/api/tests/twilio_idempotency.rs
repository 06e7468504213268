//! `Idempotency-Key` on `POST Messages.json`: a replay gets the first answer and queues nothing more, a replay
//! with other parameters is refused, a storm of retries queues one message, and keys are per account.

mod support;

use std::collections::BTreeSet;

use support::{Call, Fixture, Party, RECIPIENT, RECIPIENT_2, backends, counts};

/// The same request, from `path_of`'s number on its path, with `caller`'s credentials and `key`.
async fn send(f: &Fixture, caller: &Party, path_of: &Party, key: &str) -> support::Reply {
    Call::post(&path_of.messages())
        .auth(&caller.auth())
        .header("idempotency-key", key)
        .form(&[
            ("To", RECIPIENT),
            ("From", &path_of.number),
            ("Body", "same"),
        ])
        .send(&f.router)
        .await
}

fn keyed(party: &Party, key: &str, params: &[(&str, &str)]) -> Call {
    Call::post(&party.messages())
        .auth(&party.auth())
        .header("idempotency-key", key)
        .form(params)
}

#[tokio::test]
async fn a_replay_gets_the_first_answer_and_queues_nothing() {
    for b in backends("idem_replay").await {
        let f = Fixture::new(&b.store).await;
        let a = &f.agency;
        let params = [
            ("To", RECIPIENT),
            ("From", a.number.as_str()),
            ("Body", "once"),
        ];
        let first = keyed(a, "order-1", &params).send(&f.router).await;
        assert_eq!(first.status, 201, "{}: {}", b.name, first.text);
        assert!(first.headers.get("idempotent-replayed").is_none());
        f.advance_ms(5_000);
        let second = keyed(a, "order-1", &params).send(&f.router).await;
        assert_eq!(second.status, 201, "{}: {}", b.name, second.text);
        assert_eq!(second.body, first.body, "{}: the same answer", b.name);
        assert_eq!(
            second
                .headers
                .get("idempotent-replayed")
                .and_then(|v| v.to_str().ok()),
            Some("true")
        );
        assert_eq!(
            second
                .headers
                .get("content-type")
                .and_then(|v| v.to_str().ok()),
            Some("application/json")
        );
        // The same parameters in another order are the same request.
        let reordered = [params[2], params[0], params[1]];
        let third = keyed(a, "order-1", &reordered).send(&f.router).await;
        assert_eq!(third.status, 201, "{}", third.text);
        assert_eq!(third.body["sid"], first.body["sid"]);
        assert_eq!(counts(&f.store).await, (1, 1), "{}: one message", b.name);
        b.cleanup().await;
    }
}

#[tokio::test]
async fn a_replay_with_other_parameters_is_422() {
    for b in backends("idem_conflict").await {
        let f = Fixture::new(&b.store).await;
        let a = &f.agency;
        let first = keyed(
            a,
            "k",
            &[("To", RECIPIENT), ("From", &a.number), ("Body", "one")],
        )
        .send(&f.router)
        .await;
        assert_eq!(first.status, 201, "{}", first.text);
        for (what, params) in [
            (
                "another body",
                vec![
                    ("To", RECIPIENT),
                    ("From", a.number.as_str()),
                    ("Body", "two"),
                ],
            ),
            (
                "another recipient",
                vec![
                    ("To", RECIPIENT_2),
                    ("From", a.number.as_str()),
                    ("Body", "one"),
                ],
            ),
            (
                "one more parameter",
                vec![
                    ("To", RECIPIENT),
                    ("From", a.number.as_str()),
                    ("Body", "one"),
                    ("ValidityPeriod", "60"),
                ],
            ),
        ] {
            let reply = keyed(a, "k", &params).send(&f.router).await;
            reply.assert_error(422, 20422, &format!("{}: {what}", b.name));
            assert!(reply.message().contains("\"k\""), "{}", reply.text);
        }
        assert_eq!(counts(&f.store).await, (1, 1), "{}", b.name);
        // An invalid request with a used key is refused for what it is, not replayed.
        let bad = keyed(a, "k", &[("From", &a.number), ("Body", "one")])
            .send(&f.router)
            .await;
        bad.assert_error(400, 21604, "invalid with a used key");
        // A malformed key is refused.
        let long = "k".repeat(256);
        let overlong = keyed(
            a,
            &long,
            &[("To", RECIPIENT), ("From", &a.number), ("Body", "one")],
        )
        .send(&f.router)
        .await;
        overlong.assert_error(400, 20001, "256-character key");
        assert_eq!(counts(&f.store).await, (1, 1), "{}", b.name);
        b.cleanup().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_storm_of_fifty_identical_requests_queues_one_message() {
    for b in backends("idem_storm").await {
        let f = Fixture::new(&b.store).await;
        let a = &f.agency;
        let params = vec![
            ("To".to_owned(), RECIPIENT.to_owned()),
            ("From".to_owned(), a.number.clone()),
            ("Body".to_owned(), "storm".to_owned()),
        ];
        let tasks: Vec<_> = (0..50)
            .map(|_| {
                let router = f.router.clone();
                let path = a.messages();
                let auth = a.auth();
                let params = params.clone();
                tokio::spawn(async move {
                    let pairs: Vec<(&str, &str)> = params
                        .iter()
                        .map(|(k, v)| (k.as_str(), v.as_str()))
                        .collect();
                    Call::post(&path)
                        .auth(&auth)
                        .header("idempotency-key", "storm-1")
                        .form(&pairs)
                        .send(&router)
                        .await
                })
            })
            .collect();
        let replies = futures::future::join_all(tasks).await;
        let mut sids = BTreeSet::new();
        let mut replayed = 0;
        for reply in replies {
            let reply = reply.expect("task");
            assert_eq!(reply.status, 201, "{}: {}", b.name, reply.text);
            sids.insert(reply.body["sid"].as_str().expect("sid").to_owned());
            if reply.headers.contains_key("idempotent-replayed") {
                replayed += 1;
            }
        }
        assert_eq!(sids.len(), 1, "{}: one sid: {sids:?}", b.name);
        assert_eq!(replayed, 49, "{}: all but the first are replays", b.name);
        assert_eq!(counts(&f.store).await, (1, 1), "{}: one row", b.name);
        let sid = sids.into_iter().next().expect("one");
        assert!(
            f.store
                .api_message(a.account.tenant, &sid)
                .await
                .expect("read")
                .is_some(),
            "{}: the answered sid is the stored one",
            b.name
        );
        b.cleanup().await;
    }
}

#[tokio::test]
async fn different_keys_queue_different_messages_and_keys_are_per_account() {
    for b in backends("idem_scope").await {
        let f = Fixture::new(&b.store).await;
        let a = &f.agency;
        let one = send(&f, a, a, "key-1").await;
        let two = send(&f, a, a, "key-2").await;
        assert_eq!((one.status.as_u16(), two.status.as_u16()), (201, 201));
        assert_ne!(one.body["sid"], two.body["sid"], "{}", b.name);
        assert!(!two.headers.contains_key("idempotent-replayed"));

        // The same key in another account is another request.
        let theirs = send(&f, &f.other, &f.other, "key-1").await;
        assert_eq!(theirs.status, 201, "{}", theirs.text);
        assert!(!theirs.headers.contains_key("idempotent-replayed"));
        assert_ne!(theirs.body["sid"], one.body["sid"]);
        // And the agency on its client's path: the key belongs to the client's account.
        let on_client = send(&f, a, &f.client, "key-1").await;
        assert_eq!(on_client.status, 201, "{}", on_client.text);
        assert!(!on_client.headers.contains_key("idempotent-replayed"));
        assert_eq!(on_client.body["account_sid"], f.client.account.sid.as_str());
        // The client, using that key on its own path with the same parameters, gets the agency's answer.
        let client_replay = send(&f, &f.client, &f.client, "key-1").await;
        assert_eq!(client_replay.status, 201, "{}", client_replay.text);
        assert_eq!(client_replay.body["sid"], on_client.body["sid"]);
        assert_eq!(counts(&f.store).await, (4, 4), "{}", b.name);
        b.cleanup().await;
    }
}

#[tokio::test]
async fn a_redacted_message_is_redacted_in_its_replays_too() {
    for b in backends("idem_redact").await {
        let f = Fixture::new(&b.store).await;
        let a = &f.agency;
        let params = [
            ("To", RECIPIENT),
            ("From", a.number.as_str()),
            ("Body", "my one-time code is 493817"),
        ];
        let first = keyed(a, "otp-1", &params).send(&f.router).await;
        assert_eq!(first.status, 201, "{}: {}", b.name, first.text);
        let sid = first.body["sid"].as_str().expect("sid").to_owned();
        let redacted = Call::post(&a.message(&sid))
            .auth(&a.auth())
            .form(&[("Body", "")])
            .send(&f.router)
            .await;
        assert_eq!(redacted.status, 200, "{}: {}", b.name, redacted.text);
        let replay = keyed(a, "otp-1", &params).send(&f.router).await;
        assert_eq!(replay.status, 201, "{}: {}", b.name, replay.text);
        assert_eq!(
            replay.body["sid"],
            sid.as_str(),
            "{}: still the same message",
            b.name
        );
        assert_eq!(
            replay.body["body"], "",
            "{}: the text is gone from the kept answer",
            b.name
        );
        assert!(
            !replay.text.contains("493817"),
            "{}: {}",
            b.name,
            replay.text
        );
        b.cleanup().await;
    }
}

#[tokio::test]
async fn keys_past_their_24_hours_are_purged_and_newer_ones_kept() {
    for b in backends("idem_purge").await {
        let f = Fixture::new(&b.store).await;
        let a = &f.agency;
        let params = [
            ("To", RECIPIENT),
            ("From", a.number.as_str()),
            ("Body", "x"),
        ];
        assert_eq!(keyed(a, "old", &params).send(&f.router).await.status, 201);
        f.advance_ms(25 * 3600 * 1000);
        assert_eq!(keyed(a, "new", &params).send(&f.router).await.status, 201);
        let cutoff = f.now_ms() - canvass_store::api_messages::IDEMPOTENCY_WINDOW_MS;
        assert_eq!(
            b.store
                .purge_idempotency_before(cutoff)
                .await
                .expect("purge"),
            1,
            "{}",
            b.name
        );
        let kept = |key: &'static str| b.store.idempotent_answer(a.account.tenant, key);
        assert!(kept("old").await.expect("read").is_none(), "{}", b.name);
        assert!(kept("new").await.expect("read").is_some(), "{}", b.name);
        b.cleanup().await;
    }
}
