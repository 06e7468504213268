//! What the API suites share: the same tests on SQLite always, and on PostgreSQL when `CANVASS_TEST_POSTGRES` is
//! set (to a URL, or to `1` for the local test database), each Postgres test in its own schema, dropped
//! afterwards; a fixture of accounts (an agency, two of its clients, an unrelated account) with a number each;
//! and requests driven through the router in-process.

// Each test binary uses a different part of this module.
#![allow(dead_code)]

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use canvass_accounts::{Account, Scopes, TokenKey};
use canvass_api::ApiState;
use canvass_dispatch::ports::{Claimed, Queue, Settlement};
use canvass_store::Store;
use canvass_types::{Channel, Clock, FixedClock, MessageId, MessageStatus};
use http_body_util::BodyExt;
use jiff::Timestamp;
use serde_json::Value;
use tower::ServiceExt;

/// The instant every fixture starts at: a Tuesday afternoon, UTC.
pub const START: &str = "2026-03-10T15:00:00Z";
/// The server secret auth tokens are derived from.
pub const TOKEN_SECRET: &[u8] = b"canvass api test token key, 32+ bytes long";
/// A recipient nobody owns.
pub const RECIPIENT: &str = "+12155550199";
/// Another recipient.
pub const RECIPIENT_2: &str = "+12155550198";

// SQLite, and Postgres when asked (`backends(test)`: `test` names the Postgres schema, so it must be unique per
// test): the store suite's own helper, shared by path.
#[path = "../../../store/tests/support/mod.rs"]
mod store_backends;
pub use store_backends::backends;

/// One number from a statement such as `SELECT COUNT(*) …`.
pub async fn scalar(store: &Store, sql: &'static str) -> i64 {
    match store {
        Store::Sqlite(pool) => sqlx::query_scalar::<_, i64>(sql)
            .fetch_one(pool)
            .await
            .expect(sql),
        Store::Postgres(pool) => sqlx::query_scalar::<_, i64>(sql)
            .fetch_one(pool)
            .await
            .expect(sql),
    }
}

/// Rows in the queue (`messages`) and in `api_messages`.
pub async fn counts(store: &Store) -> (i64, i64) {
    (
        scalar(store, "SELECT COUNT(*) FROM messages").await,
        scalar(store, "SELECT COUNT(*) FROM api_messages").await,
    )
}

/// `Authorization: Basic …` for `user:secret`.
pub fn basic(user: &str, secret: &str) -> String {
    format!("Basic {}", STANDARD.encode(format!("{user}:{secret}")))
}

/// An account of the fixture, with its auth token and its one number.
pub struct Party {
    pub account: Account,
    pub token: String,
    pub number: String,
}

impl Party {
    /// The account's own credentials.
    pub fn auth(&self) -> String {
        basic(self.account.sid.as_str(), &self.token)
    }

    /// `/2010-04-01/Accounts/{sid}/Messages.json`.
    pub fn messages(&self) -> String {
        format!("/2010-04-01/Accounts/{}/Messages.json", self.account.sid)
    }

    /// `/2010-04-01/Accounts/{sid}/Messages/{message}.json`.
    pub fn message(&self, message: &str) -> String {
        format!(
            "/2010-04-01/Accounts/{}/Messages/{message}.json",
            self.account.sid
        )
    }

    /// `/2010-04-01/Accounts/{sid}/Messages/{message}/Media.json`.
    pub fn media(&self, message: &str) -> String {
        format!(
            "/2010-04-01/Accounts/{}/Messages/{message}/Media.json",
            self.account.sid
        )
    }
}

/// An agency with two clients (siblings of each other) and an unrelated account, over one store and a stopped
/// clock.
pub struct Fixture {
    pub store: Store,
    pub clock: Arc<FixedClock>,
    pub key: TokenKey,
    pub state: ApiState,
    pub router: Router,
    pub agency: Party,
    pub client: Party,
    pub sibling: Party,
    pub other: Party,
}

impl Fixture {
    pub async fn new(store: &Store) -> Fixture {
        let clock = Arc::new(FixedClock::new(START.parse().expect("start")));
        let key = TokenKey::new(TOKEN_SECRET);
        let now = clock.now().as_millisecond();
        let party = |name: &'static str, parent: Option<Account>, number: &'static str| {
            let store = store.clone();
            let key = key.clone();
            async move {
                let issued = store
                    .create_account(name, parent.as_ref().map(|p| &p.sid), &key, now)
                    .await
                    .expect("create account");
                let account = store
                    .account(&issued.sid)
                    .await
                    .expect("read account")
                    .expect("the account exists");
                store
                    .add_number(&account, number, now)
                    .await
                    .expect("add number");
                Party {
                    account,
                    token: issued.secret.expose().to_owned(),
                    number: number.to_owned(),
                }
            }
        };
        let agency = party("agency", None, "+12155550100").await;
        let client = party("client", Some(agency.account.clone()), "+12155550101").await;
        let sibling = party("sibling", Some(agency.account.clone()), "+12155550102").await;
        let other = party("other", None, "+12155550103").await;
        let dyn_clock: Arc<dyn Clock> = clock.clone();
        let state = ApiState::new(store.clone(), dyn_clock);
        Fixture {
            store: store.clone(),
            router: canvass_api::router(state.clone()),
            state,
            clock,
            key,
            agency,
            client,
            sibling,
            other,
        }
    }

    pub fn now_ms(&self) -> i64 {
        self.clock.now().as_millisecond()
    }

    /// Moves the clock `ms` on.
    pub fn advance_ms(&self, ms: i64) {
        let at = Timestamp::from_millisecond(self.now_ms() + ms).expect("instant");
        self.clock.set(at);
    }

    /// A router over a new state, with no remembered credentials.
    pub fn fresh_router(&self) -> Router {
        let clock: Arc<dyn Clock> = self.clock.clone();
        canvass_api::router(ApiState::new(self.store.clone(), clock))
    }

    /// A Messaging Service of `party` with its number as the pool (and `callback` as its status callback):
    /// its `MG…` sid.
    pub async fn service(&self, party: &Party, callback: Option<&str>) -> String {
        let service = self
            .store
            .create_service(
                party.account.tenant,
                &canvass_store::NewService {
                    friendly_name: "pool".into(),
                    sticky_sender: true,
                    area_code_geomatch: false,
                    status_callback: callback.map(str::to_owned),
                    inbound_request_url: None,
                },
                self.now_ms(),
            )
            .await
            .expect("service");
        self.store
            .add_service_number(party.account.tenant, &service.sid, &party.number)
            .await
            .expect("service number");
        service.sid.to_string()
    }

    /// An API key of `party` with `scopes` (`read`, `send,read`, …): `Basic` header and its sid.
    pub async fn key_auth(
        &self,
        party: &Party,
        scopes: &str,
    ) -> (String, canvass_accounts::KeySid) {
        let issued = self
            .store
            .create_key(
                &party.account,
                scopes,
                &Scopes::parse_list(scopes).expect("scopes"),
                self.now_ms(),
            )
            .await
            .expect("create key");
        (
            basic(issued.sid.as_str(), issued.secret.expose()),
            issued.sid,
        )
    }

    /// `POST Messages.json` on `party`'s path with its own credentials, from its number to [`RECIPIENT`]
    /// unless `params` say otherwise; must answer 201. Returns the message.
    pub async fn create(&self, party: &Party, params: &[(&str, &str)]) -> Value {
        let mut form: Vec<(&str, &str)> = Vec::new();
        if !params.iter().any(|(k, _)| *k == "To") {
            form.push(("To", RECIPIENT));
        }
        if !params
            .iter()
            .any(|(k, _)| *k == "From" || *k == "MessagingServiceSid")
        {
            form.push(("From", &party.number));
        }
        if !params.iter().any(|(k, _)| *k == "Body" || *k == "MediaUrl") {
            form.push(("Body", "hello"));
        }
        form.extend_from_slice(params);
        let reply = Call::post(&party.messages())
            .auth(&party.auth())
            .form(&form)
            .send(&self.router)
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "create: {}", reply.text);
        reply.body
    }

    /// Claims every due message for a worker, as dispatch does.
    pub async fn claim_all(&self) -> Vec<Claimed> {
        Queue::claim(&self.store, "test-worker", 1000, self.now_ms(), 60_000)
            .await
            .expect("claim")
    }

    /// Settles `id` as handed to a carrier now.
    pub async fn settle_sent(&self, id: MessageId, sender: &str) {
        let sent = Settlement::Sent {
            id,
            channel: Channel::Sms,
            route: "test".into(),
            sender: sender.into(),
            carrier_id: Some(format!("carrier-{}", id.0)),
            segments: 1,
            receipt_deadline: self.now_ms() + 3_600_000,
        };
        Queue::settle(&self.store, &[sent], self.now_ms())
            .await
            .expect("settle sent");
    }

    /// Settles `id` as finished with `status` (failed, expired, suppressed).
    pub async fn settle_done(&self, id: MessageId, status: MessageStatus) {
        let done = Settlement::Done {
            id,
            status,
            error_code: Some("30008".into()),
            detail: Some("test".into()),
        };
        Queue::settle(&self.store, &[done], self.now_ms())
            .await
            .expect("settle done");
    }

    /// The queue id of message `sid` of `party`.
    pub async fn id_of(&self, party: &Party, sid: &str) -> MessageId {
        MessageId(
            self.store
                .api_message(party.account.tenant, sid)
                .await
                .expect("read")
                .expect("the message exists")
                .id,
        )
    }
}

/// The answer to a request.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub text: String,
    /// The body as JSON; `Null` when it is not JSON.
    pub body: Value,
}

impl Reply {
    /// Asserts a Twilio error body with exactly its four keys, `status` and `code`.
    pub fn assert_error(&self, status: u16, code: u64, what: &str) {
        assert_eq!(self.status.as_u16(), status, "{what}: {}", self.text);
        let object = self
            .body
            .as_object()
            .unwrap_or_else(|| panic!("{what}: not a JSON object: {}", self.text));
        let mut keys: Vec<&str> = object.keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(
            keys,
            ["code", "message", "more_info", "status"],
            "{what}: {}",
            self.text
        );
        assert_eq!(self.body["code"], code, "{what}: {}", self.text);
        assert_eq!(self.body["status"], status, "{what}: {}", self.text);
        assert_eq!(
            self.body["more_info"],
            format!("https://www.twilio.com/docs/errors/{code}"),
            "{what}"
        );
    }

    pub fn message(&self) -> &str {
        self.body["message"].as_str().unwrap_or("")
    }
}

/// A request to the router.
pub struct Call {
    request: axum::http::request::Builder,
    body: Vec<u8>,
}

impl Call {
    pub fn new(method: Method, uri: &str) -> Call {
        Call {
            request: Request::builder().method(method).uri(uri),
            body: Vec::new(),
        }
    }

    pub fn get(uri: &str) -> Call {
        Call::new(Method::GET, uri)
    }

    pub fn post(uri: &str) -> Call {
        Call::new(Method::POST, uri)
    }

    pub fn delete(uri: &str) -> Call {
        Call::new(Method::DELETE, uri)
    }

    pub fn auth(self, value: &str) -> Call {
        self.header("authorization", value)
    }

    pub fn header(mut self, name: &str, value: &str) -> Call {
        self.request = self.request.header(name, value);
        self
    }

    /// A form body, `application/x-www-form-urlencoded`.
    pub fn form(self, pairs: &[(&str, &str)]) -> Call {
        let encoded = form(pairs);
        self.header("content-type", "application/x-www-form-urlencoded")
            .raw(encoded.into_bytes())
    }

    /// A body as given, without a content type.
    pub fn raw(mut self, body: Vec<u8>) -> Call {
        self.body = body;
        self
    }

    pub async fn send(self, router: &Router) -> Reply {
        let request = self.request.body(Body::from(self.body)).expect("request");
        let response = router.clone().oneshot(request).await.expect("infallible");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Reply {
            status,
            headers,
            text,
            body,
        }
    }
}

/// `pairs` form-encoded (also a query string).
pub fn form(pairs: &[(&str, &str)]) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        s.append_pair(k, v);
    }
    s.finish()
}

/// An RFC 3339 instant `s` seconds from `now_ms`.
pub fn at_offset(now_ms: i64, s: i64) -> String {
    Timestamp::from_millisecond(now_ms + s * 1000)
        .expect("instant")
        .to_string()
}
