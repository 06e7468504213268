//! Status callbacks and inbound webhooks: the notifier posts each API message's new status to its
//! `StatusCallback`, and each message received on a number to the number's (or its service's) webhook,
//! form-encoded with the fields Twilio sends and signed with `X-Twilio-Signature` under the account's auth token.
//!
//! The outbox is the `api_messages` row itself (see `canvass_store` callbacks): the queue's every status change
//! marks it due, the notifier claims due rows under a lease, posts, and clears the mark unless a newer change
//! came meanwhile. Statuses that pass between two polls are folded into the latest, as Twilio's own callbacks
//! may arrive out of order or not at all for a short-lived state. The callback URL is fetched through the same
//! guard as media (`canvass_connectors::fetch`), so it cannot reach internal addresses.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use canvass_accounts::{AccountSid, TokenKey};
use canvass_connectors::fetch::Fetcher;
use canvass_connectors::http::twilio_signature;
use canvass_store::api_messages::IDEMPOTENCY_WINDOW_MS;
use canvass_store::{ApiMessage, DueCallback, DueInbound, Store};
use canvass_types::{Clock, TenantId};
use tokio::sync::watch;

use crate::twilio::resource::{API_VERSION, media_sid, twilio_status};

/// How often expired idempotency keys are deleted.
const PURGE_EVERY: Duration = Duration::from_secs(600);
/// How often the outbox is read when idle.
const POLL: Duration = Duration::from_millis(200);
/// Callbacks claimed per read.
const BATCH: i64 = 64;
/// How long a claim lasts: a notifier that dies leaves its callbacks to another after this.
const LEASE_MS: i64 = 30_000;
/// Waits between tries of one callback; after the last, it is given up (and logged).
const RETRY_S: [i64; 5] = [5, 30, 120, 600, 1800];

/// What became of one post.
enum Posted {
    /// Taken, or given up on after the last retry.
    Done,
    /// Failed: try again at this instant (ms).
    RetryAt(i64),
}

/// Posts status callbacks until `shutdown`.
pub struct Notifier {
    store: Store,
    key: TokenKey,
    client: Arc<Fetcher>,
    clock: Arc<dyn Clock>,
    accounts: std::sync::Mutex<HashMap<TenantId, AccountSid>>,
    public_base: String,
}

impl Notifier {
    /// A notifier over `store`, signing with tokens from `key`, posting through `client`.
    pub fn new(store: Store, key: TokenKey, client: Arc<Fetcher>, clock: Arc<dyn Clock>) -> Self {
        Notifier {
            store,
            key,
            client,
            clock,
            accounts: std::sync::Mutex::new(HashMap::new()),
            public_base: String::new(),
        }
    }

    /// Where inbound media URLs point (`http://host:port`, no trailing slash); without it they are paths.
    pub fn with_public_base(mut self, base: &str) -> Self {
        self.public_base = base.trim_end_matches('/').to_owned();
        self
    }

    /// Runs until `shutdown` turns true.
    pub async fn run(self: Arc<Self>, mut shutdown: watch::Receiver<bool>) {
        let mut purged_at = std::time::Instant::now();
        loop {
            if *shutdown.borrow() {
                return;
            }
            // The API nodes' one periodic task also forgets idempotency keys past their 24 hours; a key reused
            // after that is treated as new anyway, this only keeps the table from growing without end.
            if purged_at.elapsed() >= PURGE_EVERY {
                purged_at = std::time::Instant::now();
                let before = self.clock.now().as_millisecond() - IDEMPOTENCY_WINDOW_MS;
                match self.store.purge_idempotency_before(before).await {
                    Ok(n) if n > 0 => {
                        tracing::info!(keys = n, "expired idempotency keys forgotten")
                    }
                    Ok(_) => {}
                    Err(e) => tracing::warn!(error = %e, "cannot forget expired idempotency keys"),
                }
            }
            let busy = match self.once().await {
                Ok(n) => n > 0,
                Err(e) => {
                    tracing::warn!(error = %e, "status callbacks: cannot read the outbox");
                    false
                }
            };
            if !busy {
                tokio::select! {
                    _ = tokio::time::sleep(POLL) => {}
                    _ = shutdown.changed() => {}
                }
            }
        }
    }

    /// Posts the status callbacks and inbound webhooks due now; returns how many were claimed.
    pub async fn once(&self) -> Result<usize, canvass_store::StoreError> {
        let now = self.clock.now().as_millisecond();
        let due = self.store.claim_callbacks(now, BATCH, LEASE_MS).await?;
        let inbound = self
            .store
            .claim_inbound_webhooks(now, BATCH, LEASE_MS)
            .await?;
        let n = due.len() + inbound.len();
        let posts = due.into_iter().map(|d| self.deliver(d));
        // Side by side: one slow callback endpoint must not hold up the others' callbacks.
        for outcome in futures::future::join_all(posts).await {
            outcome?;
        }
        let posts = inbound.into_iter().map(|d| self.deliver_inbound(d));
        for outcome in futures::future::join_all(posts).await {
            outcome?;
        }
        Ok(n)
    }

    async fn deliver_inbound(&self, due: DueInbound) -> Result<(), canvass_store::StoreError> {
        let Some(account) = self.account(due.tenant).await? else {
            tracing::warn!(
                inbox = due.id,
                "inbound webhook: the number's account has no sid"
            );
            return self.store.inbound_webhook_done(due.id).await;
        };
        let form = inbound_form(&account, &due, &self.public_base);
        match self.post(&account, &due.url, &form, due.attempts).await {
            Posted::Done => self.store.inbound_webhook_done(due.id).await,
            Posted::RetryAt(at) => self.store.inbound_webhook_failed(due.id, at).await,
        }
    }

    async fn deliver(&self, due: DueCallback) -> Result<(), canvass_store::StoreError> {
        let m = &due.message;
        let now = self.clock.now().as_millisecond();
        let (status, error_code, _) = twilio_status(m, now);
        let Some(url) = m.status_callback.as_deref() else {
            return self.store.callback_done(m.id, due.lease, status).await;
        };
        // Twilio posts the states a developer acts on; queued and sending pass silently.
        let notable = matches!(
            status,
            "sent" | "delivered" | "undelivered" | "failed" | "canceled"
        );
        if !notable || m.notified_status.as_deref() == Some(status) {
            return self.store.callback_done(m.id, due.lease, status).await;
        }
        let Some(account) = self.account(m.tenant).await? else {
            tracing::warn!(
                message = m.id,
                "status callback: the message's account has no sid"
            );
            return self.store.callback_done(m.id, due.lease, status).await;
        };
        let form = callback_form(&account, m, status, error_code);
        match self.post(&account, url, &form, m.callback_attempts).await {
            Posted::Done => self.store.callback_done(m.id, due.lease, status).await,
            Posted::RetryAt(at) => self.store.callback_failed(m.id, due.lease, at).await,
        }
    }

    /// Posts `form` to `url` signed for `account`; after a failure, when to try again (or give up, logged).
    async fn post(
        &self,
        account: &AccountSid,
        url: &str,
        form: &[(String, String)],
        attempts: i64,
    ) -> Posted {
        let token = self.key.auth_token(account);
        let signature = twilio_signature(token.expose(), url, form);
        let why = match self
            .client
            .post_form(url, &[("x-twilio-signature", signature)], form)
            .await
        {
            Ok(code) if (200..300).contains(&code) => {
                tracing::debug!(url, "webhook posted");
                return Posted::Done;
            }
            Ok(code) => format!("HTTP {code}"),
            Err(e) => e.to_string(),
        };
        let attempt = usize::try_from(attempts).unwrap_or(usize::MAX);
        match RETRY_S.get(attempt) {
            Some(wait) => {
                tracing::info!(url, %why, attempt, "webhook failed; will retry");
                Posted::RetryAt(self.clock.now().as_millisecond() + wait * 1000)
            }
            None => {
                tracing::warn!(url, %why, "webhook given up");
                Posted::Done
            }
        }
    }

    async fn account(
        &self,
        tenant: TenantId,
    ) -> Result<Option<AccountSid>, canvass_store::StoreError> {
        if let Some(sid) = self.lock().get(&tenant) {
            return Ok(Some(sid.clone()));
        }
        let account = self.store.account_of_tenant(tenant).await?;
        if let Some(a) = &account {
            self.lock().insert(tenant, a.sid.clone());
        }
        Ok(account.map(|a| a.sid))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<TenantId, AccountSid>> {
        self.accounts.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// The fields Twilio posts for an inbound message, with each rehosted media file's URL and type.
pub fn inbound_form(
    account: &AccountSid,
    due: &DueInbound,
    public_base: &str,
) -> Vec<(String, String)> {
    let body = due.body.clone().unwrap_or_default();
    let segments = canvass_campaigns::sms_cost::sms_cost(&body).segments;
    let mut form = vec![
        ("MessageSid".to_owned(), due.sid.clone()),
        ("SmsSid".to_owned(), due.sid.clone()),
        ("SmsMessageSid".to_owned(), due.sid.clone()),
        ("AccountSid".to_owned(), account.to_string()),
        ("From".to_owned(), due.from.clone()),
        ("To".to_owned(), due.to.clone()),
        ("Body".to_owned(), body),
        ("NumMedia".to_owned(), due.media.len().to_string()),
        ("NumSegments".to_owned(), segments.to_string()),
        ("SmsStatus".to_owned(), "received".to_owned()),
        ("ApiVersion".to_owned(), API_VERSION.to_owned()),
    ];
    for (i, (content_type, _)) in due.media.iter().enumerate() {
        let url = format!(
            "{public_base}/{API_VERSION}/Accounts/{account}/Messages/{}/Media/{}",
            due.sid,
            media_sid(&due.sid, i)
        );
        form.push((format!("MediaUrl{i}"), url));
        form.push((format!("MediaContentType{i}"), content_type.clone()));
    }
    form
}

/// The fields Twilio posts for a status change.
pub fn callback_form(
    account: &AccountSid,
    m: &ApiMessage,
    status: &str,
    error_code: Option<u32>,
) -> Vec<(String, String)> {
    let mut form = vec![
        ("MessageSid".to_owned(), m.sid.clone()),
        ("SmsSid".to_owned(), m.sid.clone()),
        ("AccountSid".to_owned(), account.to_string()),
        ("From".to_owned(), m.from.clone()),
        ("To".to_owned(), m.to.clone()),
        ("MessageStatus".to_owned(), status.to_owned()),
        ("SmsStatus".to_owned(), status.to_owned()),
        ("ApiVersion".to_owned(), API_VERSION.to_owned()),
    ];
    if let Some(service) = &m.messaging_service {
        form.push(("MessagingServiceSid".to_owned(), service.clone()));
    }
    if let Some(code) = error_code {
        form.push(("ErrorCode".to_owned(), code.to_string()));
    }
    form
}
