//! Twilio's Account resource: an agency lists and makes its clients; a client sees itself only, makes no
//! sub-accounts, and a key needs the admin scope to make one.

mod support;

use std::sync::Arc;

use canvass_api::ApiState;
use canvass_types::Clock;
use support::{Call, Fixture, backends};

const ACCOUNTS: &str = "/2010-04-01/Accounts.json";

#[tokio::test]
async fn an_agency_makes_and_lists_its_clients_and_nothing_else_crosses() {
    for b in backends("api_accounts").await {
        let f = Fixture::new(&b.store).await;
        let clock: Arc<dyn Clock> = f.clock.clone();
        let router = canvass_api::router(
            ApiState::new(f.store.clone(), clock).with_token_key(f.key.clone()),
        );
        let made = Call::post(ACCOUNTS)
            .auth(&f.agency.auth())
            .form(&[("FriendlyName", "Client C")])
            .send(&router)
            .await;
        assert_eq!(made.status, 201, "{}: {}", b.name, made.text);
        let sid = made.body["sid"].as_str().expect("sid").to_owned();
        assert_eq!(
            made.body["owner_account_sid"],
            f.agency.account.sid.as_str()
        );
        let token = made.body["auth_token"].as_str().expect("token").to_owned();
        assert_eq!(
            made.body["auth_token"].as_str().map(str::len),
            Some(32),
            "{}: shown once, here",
            b.name
        );

        let listed = Call::get(ACCOUNTS)
            .auth(&f.agency.auth())
            .send(&router)
            .await;
        assert_eq!(listed.status, 200, "{}: {}", b.name, listed.text);
        let sids: Vec<&str> = listed.body["accounts"]
            .as_array()
            .expect("accounts")
            .iter()
            .filter_map(|a| a["sid"].as_str())
            .collect();
        assert!(sids.contains(&sid.as_str()) && sids.contains(&f.client.account.sid.as_str()));
        assert!(
            !sids.contains(&f.other.account.sid.as_str()),
            "{}: another agency is not listed",
            b.name
        );
        assert!(
            listed.body["accounts"]
                .as_array()
                .is_some_and(|a| a.iter().all(|x| x["auth_token"].is_null()))
        );

        // The new client's own token works, for itself only.
        let own = support::basic(&sid, &token);
        let me = Call::get(&format!("/2010-04-01/Accounts/{sid}.json"))
            .auth(&own)
            .send(&router)
            .await;
        assert_eq!(me.status, 200, "{}: {}", b.name, me.text);
        for (who, target) in [
            (&own, f.agency.account.sid.to_string()),
            (&f.client.auth(), f.sibling.account.sid.to_string()),
            (&f.other.auth(), sid.clone()),
        ] {
            let read = Call::get(&format!("/2010-04-01/Accounts/{target}.json"))
                .auth(who)
                .send(&router)
                .await;
            read.assert_error(403, 20003, &format!("reading {target}"));
        }
        // A client makes no sub-accounts; a key needs the admin scope.
        let nested = Call::post(ACCOUNTS)
            .auth(&f.client.auth())
            .form(&[("FriendlyName", "nested")])
            .send(&router)
            .await;
        nested.assert_error(403, 20003, "a client's sub-account");
        assert!(
            nested.message().contains("cannot make sub-accounts"),
            "{}",
            nested.text
        );
        let (send_key, _) = f.key_auth(&f.agency, "send,read").await;
        let by_key = Call::post(ACCOUNTS)
            .auth(&send_key)
            .form(&[("FriendlyName", "by key")])
            .send(&router)
            .await;
        by_key.assert_error(403, 20003, "a send key");
        assert!(by_key.message().contains("admin key"), "{}", by_key.text);
        let (admin_key, _) = f.key_auth(&f.agency, "admin").await;
        let by_admin = Call::post(ACCOUNTS)
            .auth(&admin_key)
            .form(&[("FriendlyName", "by admin key")])
            .send(&router)
            .await;
        assert_eq!(by_admin.status, 201, "{}: {}", b.name, by_admin.text);
        b.cleanup().await;
    }
}
