//! Tenant isolation on the Twilio surface: who may act on which account's path, with which credentials, and
//! that a refused request changes nothing.

mod support;

use canvass_accounts::KeySid;
use support::{Call, Fixture, Party, RECIPIENT, backends, basic, counts};

/// Every route on `target`'s path, with `auth`, must be refused 403 20003, and leave `message` as it was.
async fn refused_everywhere(f: &Fixture, auth: &str, target: &Party, message: &str, who: &str) {
    let before = counts(&f.store).await;
    let stored = f
        .store
        .api_message(target.account.tenant, message)
        .await
        .expect("read");
    let calls = [
        (
            "POST Messages.json",
            Call::post(&target.messages()).auth(auth).form(&[
                ("To", RECIPIENT),
                ("From", &target.number),
                ("Body", "intruder"),
            ]),
        ),
        (
            "GET Messages.json",
            Call::get(&target.messages()).auth(auth),
        ),
        (
            "GET Messages/{sid}",
            Call::get(&target.message(message)).auth(auth),
        ),
        (
            "POST Messages/{sid} cancel",
            Call::post(&target.message(message))
                .auth(auth)
                .form(&[("Status", "canceled")]),
        ),
        (
            "POST Messages/{sid} redact",
            Call::post(&target.message(message))
                .auth(auth)
                .form(&[("Body", "")]),
        ),
        (
            "DELETE Messages/{sid}",
            Call::delete(&target.message(message)).auth(auth),
        ),
        (
            "GET Media.json",
            Call::get(&target.media(message)).auth(auth),
        ),
    ];
    for (route, call) in calls {
        let reply = call.send(&f.router).await;
        reply.assert_error(403, 20003, &format!("{who}: {route}"));
        assert!(
            !reply.text.contains(message),
            "{who}: {route} leaks the message: {}",
            reply.text
        );
    }
    assert_eq!(counts(&f.store).await, before, "{who}: nothing was written");
    assert_eq!(
        f.store
            .api_message(target.account.tenant, message)
            .await
            .expect("read"),
        stored,
        "{who}: the message is untouched"
    );
}

#[tokio::test]
async fn another_accounts_credentials_are_refused_on_every_route_and_touch_nothing() {
    for b in backends("iso_refused").await {
        let f = Fixture::new(&b.store).await;
        let message = f
            .create(&f.other, &[("MediaUrl", "https://media.example/a.jpg")])
            .await;
        let sid = message["sid"].as_str().expect("sid");
        // An unrelated account, an agency on an account that is not its client, and clients on it.
        refused_everywhere(&f, &f.agency.auth(), &f.other, sid, "agency on other").await;
        refused_everywhere(&f, &f.client.auth(), &f.other, sid, "client on other").await;

        let client_message = f.create(&f.client, &[]).await;
        let client_sid = client_message["sid"].as_str().expect("sid");
        refused_everywhere(
            &f,
            &f.other.auth(),
            &f.client,
            client_sid,
            "other on client",
        )
        .await;
        refused_everywhere(&f, &f.sibling.auth(), &f.client, client_sid, "sibling").await;

        let agency_message = f.create(&f.agency, &[]).await;
        let agency_sid = agency_message["sid"].as_str().expect("sid");
        refused_everywhere(
            &f,
            &f.client.auth(),
            &f.agency,
            agency_sid,
            "client on its agency",
        )
        .await;
        b.cleanup().await;
    }
}

#[tokio::test]
async fn another_accounts_message_on_ones_own_path_is_not_found() {
    for b in backends("iso_not_found").await {
        let f = Fixture::new(&b.store).await;
        let theirs = f.create(&f.other, &[]).await;
        let sid = theirs["sid"].as_str().expect("sid");
        // The agency's own path, and its client's path (which it may act on): neither holds the message.
        for (who, path_of) in [("own path", &f.agency), ("client's path", &f.client)] {
            let auth = f.agency.auth();
            let before = counts(&f.store).await;
            let calls = [
                ("GET", Call::get(&path_of.message(sid)).auth(&auth)),
                (
                    "POST cancel",
                    Call::post(&path_of.message(sid))
                        .auth(&auth)
                        .form(&[("Status", "canceled")]),
                ),
                (
                    "POST redact",
                    Call::post(&path_of.message(sid))
                        .auth(&auth)
                        .form(&[("Body", "")]),
                ),
                ("DELETE", Call::delete(&path_of.message(sid)).auth(&auth)),
                ("Media", Call::get(&path_of.media(sid)).auth(&auth)),
            ];
            for (route, call) in calls {
                let reply = call.send(&f.router).await;
                reply.assert_error(404, 20404, &format!("{}: {who}: {route}", b.name));
            }
            assert_eq!(counts(&f.store).await, before);
        }
        let untouched = f
            .store
            .api_message(f.other.account.tenant, sid)
            .await
            .expect("read")
            .expect("still there");
        assert_eq!(untouched.body, "hello", "{}: not redacted", b.name);
        assert_eq!(untouched.status, "queued", "{}", b.name);
        // And it does not show in the list of anyone else.
        let list = Call::get(&f.agency.messages())
            .auth(&f.agency.auth())
            .send(&f.router)
            .await;
        assert_eq!(list.status, 200);
        assert_eq!(list.body["messages"], serde_json::json!([]), "{}", b.name);
        b.cleanup().await;
    }
}

#[tokio::test]
async fn an_agency_acts_on_its_clients_path_with_the_clients_numbers() {
    for b in backends("iso_agency").await {
        let f = Fixture::new(&b.store).await;
        let created = Call::post(&f.client.messages())
            .auth(&f.agency.auth())
            .form(&[
                ("To", RECIPIENT),
                ("From", &f.client.number),
                ("Body", "from the agency"),
            ])
            .send(&f.router)
            .await;
        assert_eq!(created.status, 201, "{}: {}", b.name, created.text);
        let sid = created.body["sid"].as_str().expect("sid").to_owned();
        assert_eq!(created.body["account_sid"], f.client.account.sid.as_str());
        let stored = f
            .store
            .api_message(f.client.account.tenant, &sid)
            .await
            .expect("read")
            .expect("in the client's account");
        assert_eq!(stored.tenant, f.client.account.tenant);
        assert!(
            f.store
                .api_message(f.agency.account.tenant, &sid)
                .await
                .expect("read")
                .is_none(),
            "not in the agency's"
        );

        let fetched = Call::get(&f.client.message(&sid))
            .auth(&f.agency.auth())
            .send(&f.router)
            .await;
        assert_eq!(fetched.status, 200, "{}", fetched.text);
        assert_eq!(fetched.body["sid"], sid.as_str());
        let list = Call::get(&f.client.messages())
            .auth(&f.agency.auth())
            .send(&f.router)
            .await;
        assert_eq!(list.status, 200, "{}", list.text);
        assert_eq!(list.body["messages"][0]["sid"], sid.as_str());
        let media = Call::get(&f.client.media(&sid))
            .auth(&f.agency.auth())
            .send(&f.router)
            .await;
        assert_eq!(media.status, 200, "{}", media.text);

        // The agency's own number does not belong to the client.
        let foreign_from = Call::post(&f.client.messages())
            .auth(&f.agency.auth())
            .form(&[("To", RECIPIENT), ("From", &f.agency.number), ("Body", "x")])
            .send(&f.router)
            .await;
        foreign_from.assert_error(400, 21606, "agency number on the client's path");
        assert_eq!(counts(&f.store).await, (1, 1), "{}", b.name);
        b.cleanup().await;
    }
}

#[tokio::test]
async fn key_scopes_decide_what_a_key_may_do() {
    for b in backends("iso_scopes").await {
        let f = Fixture::new(&b.store).await;
        let send = [
            ("To", RECIPIENT),
            ("From", f.agency.number.as_str()),
            ("Body", "scoped"),
        ];
        let (read, _) = f.key_auth(&f.agency, "read").await;
        let refused = Call::post(&f.agency.messages())
            .auth(&read)
            .form(&send)
            .send(&f.router)
            .await;
        refused.assert_error(403, 20003, "read key POST");
        assert!(refused.message().contains("send"), "{}", refused.text);
        assert_eq!(counts(&f.store).await, (0, 0), "{}", b.name);
        let listed = Call::get(&f.agency.messages())
            .auth(&read)
            .send(&f.router)
            .await;
        assert_eq!(listed.status, 200, "{}", listed.text);

        let (sender, _) = f.key_auth(&f.agency, "send").await;
        let sent = Call::post(&f.agency.messages())
            .auth(&sender)
            .form(&send)
            .send(&f.router)
            .await;
        assert_eq!(sent.status, 201, "{}: {}", b.name, sent.text);
        let sid = sent.body["sid"].as_str().expect("sid");
        let not_read = Call::get(&f.agency.message(sid))
            .auth(&sender)
            .send(&f.router)
            .await;
        not_read.assert_error(403, 20003, "send key GET");

        let (admin, _) = f.key_auth(&f.agency, "admin").await;
        let fetched = Call::get(&f.agency.message(sid))
            .auth(&admin)
            .send(&f.router)
            .await;
        assert_eq!(fetched.status, 200, "{}", fetched.text);
        // A key of the agency acts on its clients too, under the same scopes.
        let on_client = Call::post(&f.client.messages())
            .auth(&read)
            .form(&[("To", RECIPIENT), ("From", &f.client.number), ("Body", "x")])
            .send(&f.router)
            .await;
        on_client.assert_error(403, 20003, "read key on the client");
        // A client's key does not reach its agency.
        let (client_admin, _) = f.key_auth(&f.client, "admin").await;
        let up = Call::get(&f.agency.messages())
            .auth(&client_admin)
            .send(&f.router)
            .await;
        up.assert_error(403, 20003, "client key on the agency");
        assert_eq!(counts(&f.store).await, (1, 1), "{}", b.name);
        b.cleanup().await;
    }
}

#[tokio::test]
async fn a_revoked_key_is_refused_once_the_credential_memory_is_gone() {
    for b in backends("iso_revoked").await {
        let f = Fixture::new(&b.store).await;
        let (auth, sid): (String, KeySid) = f.key_auth(&f.agency, "send,read").await;
        let before = Call::get(&f.agency.messages())
            .auth(&auth)
            .send(&f.router)
            .await;
        assert_eq!(before.status, 200, "{}", before.text);
        assert!(
            f.store
                .revoke_key(&f.agency.account, &sid, f.now_ms())
                .await
                .expect("revoke")
        );
        // A new node (or this one after its minute) checks the key again.
        let fresh = f.fresh_router();
        let after = Call::get(&f.agency.messages())
            .auth(&auth)
            .send(&fresh)
            .await;
        after.assert_error(401, 20003, "revoked key, fresh router");
        let post = Call::post(&f.agency.messages())
            .auth(&auth)
            .form(&[("To", RECIPIENT), ("From", &f.agency.number), ("Body", "x")])
            .send(&fresh)
            .await;
        post.assert_error(401, 20003, "revoked key POST");
        // On the node that remembered it, forgetting is immediate.
        f.state.auth.forget();
        let forgotten = Call::get(&f.agency.messages())
            .auth(&auth)
            .send(&f.router)
            .await;
        forgotten.assert_error(401, 20003, "revoked key after forget");
        assert_eq!(counts(&f.store).await, (0, 0), "{}", b.name);
        b.cleanup().await;
    }
}

#[tokio::test]
async fn bad_or_missing_credentials_are_401() {
    for b in backends("iso_401").await {
        let f = Fixture::new(&b.store).await;
        let a = &f.agency;
        let wrong_token = basic(a.account.sid.as_str(), "0123456789abcdef0123456789abcdef");
        // Another account's token with this account's sid.
        let crossed = basic(a.account.sid.as_str(), &f.other.token);
        let not_a_sid = basic("ACnot-an-account", &a.token);
        let unknown_user = basic("bob", &a.token);
        let cases: Vec<(&str, Option<String>)> = vec![
            ("wrong token", Some(wrong_token)),
            ("another account's token", Some(crossed)),
            ("malformed sid", Some(not_a_sid)),
            ("neither AC nor SK", Some(unknown_user)),
            ("no Authorization", None),
            ("Bearer", Some(format!("Bearer {}", a.token))),
            ("not base64", Some("Basic !!!not base64!!!".into())),
            (
                "no colon",
                Some(format!(
                    "Basic {}",
                    base64::Engine::encode(
                        &base64::engine::general_purpose::STANDARD,
                        a.account.sid.as_str()
                    )
                )),
            ),
            ("empty Basic", Some("Basic ".into())),
            ("overlong", Some(format!("Basic {}", "QUFB".repeat(200)))),
        ];
        for (what, auth) in cases {
            for method in ["GET", "POST"] {
                let mut call = if method == "GET" {
                    Call::get(&a.messages())
                } else {
                    Call::post(&a.messages()).form(&[
                        ("To", RECIPIENT),
                        ("From", &a.number),
                        ("Body", "x"),
                    ])
                };
                if let Some(auth) = &auth {
                    call = call.auth(auth);
                }
                let reply = call.send(&f.router).await;
                reply.assert_error(401, 20003, &format!("{}: {what}: {method}", b.name));
            }
        }
        // Good credentials still work after the refusals were remembered.
        let ok = Call::get(&a.messages())
            .auth(&a.auth())
            .send(&f.router)
            .await;
        assert_eq!(ok.status, 200, "{}", ok.text);
        assert_eq!(counts(&f.store).await, (0, 0), "{}", b.name);
        b.cleanup().await;
    }
}

#[tokio::test]
async fn a_path_that_names_no_account_is_refused_like_any_other() {
    for b in backends("iso_bad_path").await {
        let f = Fixture::new(&b.store).await;
        for account in [
            "ACnope",
            "AC0123456789abcdef0123456789abcdef",
            "SK0123456789abcdef0123456789abcdef",
        ] {
            let reply = Call::get(&format!("/2010-04-01/Accounts/{account}/Messages.json"))
                .auth(&f.agency.auth())
                .send(&f.router)
                .await;
            reply.assert_error(403, 20003, account);
        }
        // The path's sid in upper case is the same account.
        let upper = format!(
            "AC{}",
            f.agency.account.sid.as_str()[2..].to_ascii_uppercase()
        );
        let reply = Call::get(&format!("/2010-04-01/Accounts/{upper}/Messages.json"))
            .auth(&f.agency.auth())
            .send(&f.router)
            .await;
        assert_eq!(reply.status, 200, "{}: {}", b.name, reply.text);
        b.cleanup().await;
    }
}
