//! The status-callback outbox and its notifier: a change of status makes a callback due, the notifier posts
//! it once, signed, to a local receiver, and a failed post (an error answer, or a refused address) is retried
//! after the backoff instead of being lost or repeated.

mod support;

use std::sync::atomic::{AtomicU16, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use canvass_api::callbacks::Notifier;
use canvass_connectors::fetch::{AllowRule, FetchPolicy, Fetcher};
use canvass_connectors::http::verify_twilio_signature;
use canvass_dispatch::ports::{Queue, ReceiptUpdate};
use canvass_store::ApiMessage;
use canvass_types::{Clock, MessageStatus};
use support::{Call, Fixture, Party, at_offset, backends};

/// One post the receiver took: its headers and form.
#[derive(Debug, Clone)]
struct Post {
    headers: HeaderMap,
    form: Vec<(String, String)>,
}

impl Post {
    fn field(&self, name: &str) -> Option<&str> {
        self.form
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A developer's callback endpoint on 127.0.0.1, answering `answer`.
#[derive(Clone)]
struct Receiver {
    posts: Arc<Mutex<Vec<Post>>>,
    answer: Arc<AtomicU16>,
    url: String,
}

impl Receiver {
    async fn start() -> Receiver {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("address");
        let receiver = Receiver {
            posts: Arc::default(),
            answer: Arc::new(AtomicU16::new(200)),
            url: format!("http://{addr}/status?route=a"),
        };
        let app = Router::new()
            .route("/status", post(take))
            .with_state(receiver.clone());
        tokio::spawn(async move { axum::serve(listener, app).await });
        receiver
    }

    fn posts(&self) -> Vec<Post> {
        self.posts.lock().expect("posts").clone()
    }

    fn answer(&self, status: u16) {
        self.answer.store(status, Ordering::SeqCst);
    }
}

async fn take(State(r): State<Receiver>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let form = form_urlencoded::parse(&body)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    r.posts.lock().expect("posts").push(Post { headers, form });
    StatusCode::from_u16(r.answer.load(Ordering::SeqCst)).expect("status")
}

fn local_policy() -> FetchPolicy {
    FetchPolicy {
        allow: vec![AllowRule::parse("127.0.0.1").expect("rule")],
        timeout: Duration::from_secs(5),
        ..FetchPolicy::default()
    }
}

fn notifier(f: &Fixture, policy: FetchPolicy) -> Notifier {
    let clock: Arc<dyn Clock> = f.clock.clone();
    Notifier::new(
        f.store.clone(),
        f.key.clone(),
        Arc::new(Fetcher::new(policy).expect("fetcher")),
        clock,
    )
}

async fn stored(f: &Fixture, party: &Party, sid: &str) -> ApiMessage {
    f.store
        .api_message(party.account.tenant, sid)
        .await
        .expect("read")
        .expect("the message exists")
}

/// Creates a message with `callback`, claims it and settles it sent; returns its sid.
async fn sent_message(f: &Fixture, callback: &str) -> String {
    let a = &f.agency;
    let m = f.create(a, &[("StatusCallback", callback)]).await;
    let sid = m["sid"].as_str().expect("sid").to_owned();
    let id = f.id_of(a, &sid).await;
    assert_eq!(f.claim_all().await.len(), 1);
    f.settle_sent(id, &a.number).await;
    sid
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_status_change_is_posted_once_signed_with_the_accounts_token() {
    for b in backends("cb_posted").await {
        let f = Fixture::new(&b.store).await;
        let a = &f.agency;
        let receiver = Receiver::start().await;
        let notifier = notifier(&f, local_policy());
        let m = f
            .create(a, &[("StatusCallback", receiver.url.as_str())])
            .await;
        let sid = m["sid"].as_str().expect("sid").to_owned();
        let id = f.id_of(a, &sid).await;
        // The creation's own answer said `queued`: nothing is owed yet.
        assert!(
            f.store
                .claim_callbacks(f.now_ms(), 10, 0)
                .await
                .expect("claim")
                .is_empty(),
            "{}: nothing due after creation",
            b.name
        );
        assert_eq!(notifier.once().await.expect("once"), 0);

        // Claimed by a worker: `sending` is a change, but one Twilio does not post.
        assert_eq!(f.claim_all().await.len(), 1);
        assert_eq!(notifier.once().await.expect("once"), 1);
        assert!(receiver.posts().is_empty(), "{}: sending is silent", b.name);

        f.settle_sent(id, &a.number).await;
        // Due now. (A lease of 0 leaves it due for the notifier at this same instant.)
        let due = f
            .store
            .claim_callbacks(f.now_ms(), 10, 0)
            .await
            .expect("claim");
        assert_eq!(due.len(), 1, "{}: due once sent", b.name);
        assert_eq!(due[0].message.sid, sid);
        assert_eq!(due[0].message.status, "sent");

        assert_eq!(notifier.once().await.expect("once"), 1);
        let posts = receiver.posts();
        assert_eq!(posts.len(), 1, "{}: one post", b.name);
        let post = &posts[0];
        assert_eq!(post.field("MessageSid"), Some(sid.as_str()));
        assert_eq!(post.field("SmsSid"), Some(sid.as_str()));
        assert_eq!(post.field("MessageStatus"), Some("sent"));
        assert_eq!(post.field("SmsStatus"), Some("sent"));
        assert_eq!(post.field("AccountSid"), Some(a.account.sid.as_str()));
        assert_eq!(post.field("From"), Some(a.number.as_str()));
        assert_eq!(post.field("To"), Some(support::RECIPIENT));
        assert_eq!(post.field("ApiVersion"), Some("2010-04-01"));
        assert_eq!(post.field("ErrorCode"), None);
        assert_eq!(
            post.headers
                .get("content-type")
                .and_then(|v| v.to_str().ok()),
            Some("application/x-www-form-urlencoded")
        );
        let signature = post
            .headers
            .get("x-twilio-signature")
            .and_then(|v| v.to_str().ok())
            .expect("X-Twilio-Signature");
        let token = f.key.auth_token(&a.account.sid);
        assert_eq!(token.expose(), a.token, "the token the account was given");
        assert!(
            verify_twilio_signature(token.expose(), &receiver.url, &post.form, signature),
            "{}: the signature verifies under the account's token",
            b.name
        );
        assert!(
            !verify_twilio_signature(&f.other.token, &receiver.url, &post.form, signature),
            "and not under another's"
        );
        let row = stored(&f, a, &sid).await;
        assert_eq!(row.notified_status.as_deref(), Some("sent"));
        assert_eq!(row.callback_attempts, 0);

        // Nothing more to post until the status moves again.
        assert_eq!(notifier.once().await.expect("once"), 0);
        f.advance_ms(60_000);
        assert_eq!(notifier.once().await.expect("once"), 0);
        assert_eq!(receiver.posts().len(), 1, "{}: posted once", b.name);

        // The receipt moves it on.
        let tally = Queue::apply_receipts(
            &f.store,
            &[ReceiptUpdate {
                carrier_id: format!("carrier-{}", id.0),
                status: MessageStatus::Delivered,
                error_code: None,
                at: f.now_ms(),
            }],
        )
        .await
        .expect("receipt");
        assert_eq!(tally.applied, 1);
        assert_eq!(notifier.once().await.expect("once"), 1);
        let posts = receiver.posts();
        assert_eq!(posts.len(), 2, "{}", b.name);
        assert_eq!(posts[1].field("MessageStatus"), Some("delivered"));
        assert_eq!(notifier.once().await.expect("once"), 0);
        b.cleanup().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_receiver_answering_500_gets_the_callback_again_after_the_backoff() {
    for b in backends("cb_retry").await {
        let f = Fixture::new(&b.store).await;
        let a = &f.agency;
        let receiver = Receiver::start().await;
        receiver.answer(500);
        let notifier = notifier(&f, local_policy());
        let sid = sent_message(&f, &receiver.url).await;

        assert_eq!(notifier.once().await.expect("once"), 1);
        assert_eq!(receiver.posts().len(), 1, "{}: tried", b.name);
        let row = stored(&f, a, &sid).await;
        assert_eq!(row.callback_attempts, 1, "{}", b.name);
        assert_eq!(
            row.notified_status, None,
            "{}: not recorded as posted",
            b.name
        );

        // Not due again before the first backoff (5 s).
        assert_eq!(notifier.once().await.expect("once"), 0);
        assert!(
            f.store
                .claim_callbacks(f.now_ms() + 4_999, 10, 0)
                .await
                .expect("claim")
                .is_empty(),
            "{}: not due before 5 s",
            b.name
        );
        f.advance_ms(4_999);
        assert_eq!(notifier.once().await.expect("once"), 0);
        assert_eq!(receiver.posts().len(), 1);

        f.advance_ms(1);
        receiver.answer(204);
        assert_eq!(notifier.once().await.expect("once"), 1);
        let posts = receiver.posts();
        assert_eq!(posts.len(), 2, "{}: retried once", b.name);
        assert_eq!(posts[1].field("MessageStatus"), Some("sent"));
        assert_eq!(posts[1].form, posts[0].form, "the same callback again");
        let row = stored(&f, a, &sid).await;
        assert_eq!(row.callback_attempts, 0);
        assert_eq!(row.notified_status.as_deref(), Some("sent"));
        f.advance_ms(3_600_000);
        assert_eq!(notifier.once().await.expect("once"), 0);
        assert_eq!(receiver.posts().len(), 2);
        b.cleanup().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn callbacks_are_given_up_after_the_last_retry() {
    for b in backends("cb_give_up").await {
        let f = Fixture::new(&b.store).await;
        let a = &f.agency;
        let receiver = Receiver::start().await;
        receiver.answer(503);
        let notifier = notifier(&f, local_policy());
        let sid = sent_message(&f, &receiver.url).await;
        // The first try and five retries, 5 s, 30 s, 2 min, 10 min and 30 min apart.
        for (attempt, wait_s) in [0, 5, 30, 120, 600, 1800].into_iter().enumerate() {
            f.advance_ms(wait_s * 1000);
            assert_eq!(
                notifier.once().await.expect("once"),
                1,
                "{}: try {attempt}",
                b.name
            );
        }
        assert_eq!(receiver.posts().len(), 6, "{}", b.name);
        let row = stored(&f, a, &sid).await;
        assert_eq!(row.callback_attempts, 0, "{}: given up", b.name);
        f.advance_ms(24 * 3_600_000);
        assert_eq!(notifier.once().await.expect("once"), 0);
        assert_eq!(receiver.posts().len(), 6);
        b.cleanup().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_default_policy_refuses_a_loopback_callback_and_retries_it_later() {
    for b in backends("cb_refused").await {
        let f = Fixture::new(&b.store).await;
        let a = &f.agency;
        let receiver = Receiver::start().await;
        let notifier = notifier(&f, FetchPolicy::default());
        let sid = sent_message(&f, &receiver.url).await;
        assert_eq!(notifier.once().await.expect("once"), 1);
        let row = stored(&f, a, &sid).await;
        assert_eq!(row.callback_attempts, 1, "{}: counted as a failure", b.name);
        assert_eq!(notifier.once().await.expect("once"), 0, "not due yet");
        f.advance_ms(5_000);
        assert_eq!(
            notifier.once().await.expect("once"),
            1,
            "{}: retried",
            b.name
        );
        assert_eq!(stored(&f, a, &sid).await.callback_attempts, 2);
        assert!(
            receiver.posts().is_empty(),
            "{}: never posted to 127.0.0.1",
            b.name
        );
        b.cleanup().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_canceled_message_posts_canceled_to_its_services_callback() {
    for b in backends("cb_canceled").await {
        let f = Fixture::new(&b.store).await;
        let a = &f.agency;
        let receiver = Receiver::start().await;
        let notifier = notifier(&f, local_policy());
        let mg = f.service(a, Some(&receiver.url)).await;
        let send_at = at_offset(f.now_ms(), 3600);
        let m = f
            .create(
                a,
                &[
                    ("MessagingServiceSid", &mg),
                    ("ScheduleType", "fixed"),
                    ("SendAt", &send_at),
                ],
            )
            .await;
        let sid = m["sid"].as_str().expect("sid").to_owned();
        assert_eq!(
            stored(&f, a, &sid).await.status_callback.as_deref(),
            Some(receiver.url.as_str()),
            "{}: the service's callback is the message's",
            b.name
        );
        assert_eq!(notifier.once().await.expect("once"), 0);
        let canceled = Call::post(&a.message(&sid))
            .auth(&a.auth())
            .form(&[("Status", "canceled")])
            .send(&f.router)
            .await;
        assert_eq!(canceled.status, 200, "{}", canceled.text);
        assert_eq!(notifier.once().await.expect("once"), 1);
        let posts = receiver.posts();
        assert_eq!(posts.len(), 1, "{}", b.name);
        assert_eq!(posts[0].field("MessageStatus"), Some("canceled"));
        assert_eq!(posts[0].field("MessagingServiceSid"), Some(mg.as_str()));
        b.cleanup().await;
    }
}

/// `callback_attempts` counts the tries of the current status (its doc in canvass_store::ApiMessage): a new
/// status starts from the first backoff, not from where the last status's retries had got to.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_status_starts_its_retries_afresh() {
    for b in backends("cb_attempts_reset").await {
        let f = Fixture::new(&b.store).await;
        let a = &f.agency;
        let receiver = Receiver::start().await;
        receiver.answer(500);
        let notifier = notifier(&f, local_policy());
        let sid = sent_message(&f, &receiver.url).await;
        let id = f.id_of(a, &sid).await;
        assert_eq!(notifier.once().await.expect("once"), 1);
        assert_eq!(stored(&f, a, &sid).await.callback_attempts, 1);
        Queue::apply_receipts(
            &f.store,
            &[ReceiptUpdate {
                carrier_id: format!("carrier-{}", id.0),
                status: MessageStatus::Delivered,
                error_code: None,
                at: f.now_ms(),
            }],
        )
        .await
        .expect("receipt");
        assert_eq!(
            stored(&f, a, &sid).await.callback_attempts,
            0,
            "{}: delivered has not been tried yet",
            b.name
        );
        b.cleanup().await;
    }
}

/// `date_updated` follows the API's clock, as `date_created` and `date_sent` do.
#[tokio::test]
async fn date_updated_follows_the_api_clock() {
    for b in backends("cb_date_updated").await {
        let f = Fixture::new(&b.store).await;
        let a = &f.agency;
        let receiver = Receiver::start().await;
        let mg = f.service(a, Some(&receiver.url)).await;
        let send_at = at_offset(f.now_ms(), 3600);
        let m = f
            .create(
                a,
                &[
                    ("MessagingServiceSid", &mg),
                    ("ScheduleType", "fixed"),
                    ("SendAt", &send_at),
                ],
            )
            .await;
        let sid = m["sid"].as_str().expect("sid").to_owned();
        f.advance_ms(600_000);
        let canceled = Call::post(&a.message(&sid))
            .auth(&a.auth())
            .form(&[("Status", "canceled")])
            .send(&f.router)
            .await;
        assert_eq!(canceled.status, 200, "{}", canceled.text);
        assert_eq!(
            canceled.body["date_updated"], "Tue, 10 Mar 2026 15:10:00 +0000",
            "{}: {}",
            b.name, canceled.text
        );
        b.cleanup().await;
    }
}
