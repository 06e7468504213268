//! Accounts, keys and numbers, on SQLite and on PostgreSQL: agencies own clients, credentials verify only with
//! their own secret and are stored hashed, numbers belong to one account.

mod support;

use canvass_accounts::{AccountSid, KeySid, Scope, Scopes, TokenKey, may_act_on};
use canvass_store::StoreError;

fn key() -> TokenKey {
    TokenKey::new(b"accounts suite server secret, 32b")
}

#[tokio::test]
async fn agencies_own_clients_and_tokens_verify_only_their_own_account() {
    for b in support::backends("accounts").await {
        let store = &b.store;
        let agency = store
            .create_account("Agency", None, &key(), 1_000)
            .await
            .expect("agency");
        let client = store
            .create_account("Client", Some(&agency.sid), &key(), 2_000)
            .await
            .expect("client");
        let other = store
            .create_account("Other", None, &key(), 3_000)
            .await
            .expect("other");

        let agency_row = store
            .account(&agency.sid)
            .await
            .expect("read")
            .expect("exists");
        let client_row = store
            .account(&client.sid)
            .await
            .expect("read")
            .expect("exists");
        let other_row = store
            .account(&other.sid)
            .await
            .expect("read")
            .expect("exists");
        assert_eq!(agency_row.name, "Agency", "{}", b.name);
        assert_eq!(client_row.parent.as_ref(), Some(&agency.sid), "{}", b.name);
        assert_eq!(agency_row.parent, None);
        assert_ne!(
            agency_row.tenant, client_row.tenant,
            "each account is its own tenant"
        );
        assert!(may_act_on(&agency_row, &client_row));
        assert!(!may_act_on(&other_row, &client_row), "{}", b.name);

        let children = store.accounts(Some(&agency.sid)).await.expect("children");
        assert_eq!(
            children.iter().map(|a| &a.sid).collect::<Vec<_>>(),
            vec![&client.sid]
        );
        assert_eq!(
            store.accounts(None).await.expect("all").len(),
            3,
            "{}",
            b.name
        );

        let ok = store
            .authenticate_account(&agency.sid, agency.secret.expose())
            .await
            .expect("verify");
        assert_eq!(ok.map(|a| a.sid), Some(agency.sid.clone()), "{}", b.name);
        let crossed = store
            .authenticate_account(&client.sid, agency.secret.expose())
            .await
            .expect("verify");
        assert!(
            crossed.is_none(),
            "{}: a token opens only its own account",
            b.name
        );

        let unknown = AccountSid::generate().expect("random");
        let missing_parent = store
            .create_account("Orphan", Some(&unknown), &key(), 4_000)
            .await
            .expect_err("unknown parent");
        assert!(
            matches!(missing_parent, StoreError::NotFound(_)),
            "{missing_parent}"
        );
        assert!(store.account(&unknown).await.expect("read").is_none());
        b.cleanup().await;
    }
}

#[tokio::test]
async fn keys_carry_scopes_verify_with_their_secret_and_stop_when_revoked() {
    for b in support::backends("api_keys").await {
        let store = &b.store;
        let issued = store
            .create_account("Agency", None, &key(), 1_000)
            .await
            .expect("account");
        let account = store
            .account(&issued.sid)
            .await
            .expect("read")
            .expect("exists");
        let scopes = Scopes::parse_list("send,read").expect("scopes");
        let key = store
            .create_key(&account, "ci", &scopes, 2_000)
            .await
            .expect("key");
        let listed = store.keys(&account).await.expect("keys");
        assert_eq!(listed.len(), 1, "{}", b.name);
        assert_eq!(listed[0].sid, key.sid);
        assert_eq!(listed[0].scopes, scopes);
        assert!(listed[0].scopes.allow(Scope::Send) && !listed[0].scopes.allow(Scope::Admin));

        let (found, owner) = store
            .authenticate_key(&key.sid, key.secret.expose())
            .await
            .expect("verify")
            .expect("the right secret opens the key");
        assert_eq!(
            (found.sid, owner.sid),
            (key.sid.clone(), issued.sid.clone()),
            "{}",
            b.name
        );
        assert!(
            store
                .authenticate_key(&key.sid, issued.secret.expose())
                .await
                .expect("verify")
                .is_none(),
            "{}: the account's token is not the key's secret",
            b.name
        );
        let stranger = KeySid::generate().expect("random");
        assert!(
            store
                .authenticate_key(&stranger, key.secret.expose())
                .await
                .expect("verify")
                .is_none()
        );

        assert!(
            store
                .revoke_key(&account, &key.sid, 3_000)
                .await
                .expect("revoke")
        );
        assert!(
            !store
                .revoke_key(&account, &key.sid, 4_000)
                .await
                .expect("again")
        );
        assert!(
            store.keys(&account).await.expect("keys").is_empty(),
            "{}",
            b.name
        );
        assert!(
            store
                .authenticate_key(&key.sid, key.secret.expose())
                .await
                .expect("verify")
                .is_none(),
            "{}: a revoked key opens nothing",
            b.name
        );
        b.cleanup().await;
    }
}

#[tokio::test]
async fn a_number_belongs_to_one_account() {
    for b in support::backends("numbers").await {
        let store = &b.store;
        let first = store
            .create_account("First", None, &key(), 1_000)
            .await
            .expect("first");
        let second = store
            .create_account("Second", None, &key(), 1_000)
            .await
            .expect("second");
        let first = store
            .account(&first.sid)
            .await
            .expect("read")
            .expect("exists");
        let second = store
            .account(&second.sid)
            .await
            .expect("read")
            .expect("exists");
        store
            .add_number(&first, "+12025550100", 2_000)
            .await
            .expect("add");
        store
            .add_number(&first, "+12025550100", 2_500)
            .await
            .expect("adding it again to the same account changes nothing");
        let refused = store
            .add_number(&second, "+12025550100", 3_000)
            .await
            .expect_err("another account's number");
        assert!(
            matches!(refused, StoreError::Conflict(_)),
            "{}: {refused}",
            b.name
        );
        assert!(refused.to_string().contains("+12025550100"), "{refused}");
        assert!(
            !refused.to_string().contains(first.sid.as_str()),
            "the owner is not disclosed"
        );
        assert_eq!(
            store.number_owner("+12025550100").await.expect("owner"),
            Some(first.tenant)
        );
        assert_eq!(
            store.number_owner("+12025550199").await.expect("owner"),
            None
        );
        assert_eq!(
            store.numbers(&first).await.expect("numbers"),
            vec!["+12025550100"]
        );
        assert!(
            store.numbers(&second).await.expect("numbers").is_empty(),
            "{}",
            b.name
        );
        b.cleanup().await;
    }
}
