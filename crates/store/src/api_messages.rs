//! Messages sent through the API: the queue's row (`messages`) plus what the developer asked for
//! (`api_messages`), written together, with the answer to an `Idempotency-Key` in the same transaction so that a
//! storm of retries queues one message.

use canvass_types::TenantId;
use sqlx::Row;

use crate::sql::{Statement, Value};
use crate::{Store, StoreError};

/// How long an idempotency key's first answer is kept.
pub const IDEMPOTENCY_WINDOW_MS: i64 = 24 * 3600 * 1000;

/// A message to queue.
#[derive(Debug, Clone, PartialEq)]
pub struct NewApiMessage {
    /// The account.
    pub tenant: TenantId,
    /// Its public id (`SM…`/`MM…`).
    pub sid: String,
    /// The sender, E.164, already checked to belong to the account.
    pub from: String,
    /// The recipient, E.164.
    pub to: String,
    /// Text (may be empty when there is media).
    pub body: String,
    /// Media URLs, fetched when the message is composed.
    pub media: Vec<String>,
    /// The Messaging Service it was sent through.
    pub messaging_service: Option<String>,
    /// Where status changes are posted.
    pub status_callback: Option<String>,
    /// Seconds the message may wait in the queue and at the carrier.
    pub validity_s: Option<i64>,
    /// A scheduled send time (ms); `None` sends now.
    pub send_at: Option<i64>,
    /// Send as MMS even without media.
    pub send_as_mms: bool,
    /// SMS segments the body takes.
    pub segments: u32,
    /// Now, ms.
    pub now_ms: i64,
}

/// The first answer to a request, to keep under its idempotency key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotentAnswer {
    /// The key the client sent.
    pub key: String,
    /// A digest of the request's parameters: a replay with other parameters is refused.
    pub request_hash: String,
    /// HTTP status.
    pub status: u16,
    /// The response body.
    pub response: String,
}

/// What queuing a message did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Queued {
    /// Queued now, as `messages.id`.
    New(i64),
    /// The key was used within the window: the first answer, with the digest of its request.
    Replay(IdempotentAnswer),
}

/// An API message as stored, with the queue's view of it.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiMessage {
    /// `messages.id`.
    pub id: i64,
    /// The account.
    pub tenant: TenantId,
    /// `SM…`/`MM…`.
    pub sid: String,
    /// `outbound-api` or `inbound`.
    pub direction: String,
    /// Sender.
    pub from: String,
    /// Recipient.
    pub to: String,
    /// Text; empty once redacted.
    pub body: String,
    /// Media URLs.
    pub media: Vec<String>,
    /// Messaging Service sid.
    pub messaging_service: Option<String>,
    /// Status callback URL.
    pub status_callback: Option<String>,
    /// Validity, seconds.
    pub validity_s: Option<i64>,
    /// Scheduled send time, ms.
    pub send_at: Option<i64>,
    /// Send as MMS even without media.
    pub send_as_mms: bool,
    /// The queue's status.
    pub status: String,
    /// The queue's error code (ours or the carrier's).
    pub error_code: Option<String>,
    /// Details of the error.
    pub error_detail: Option<String>,
    /// Segments.
    pub segments: Option<i64>,
    /// Created, ms.
    pub created_ms: i64,
    /// Last changed, ms.
    pub updated_ms: i64,
    /// Handed to a carrier, ms.
    pub sent_ms: Option<i64>,
    /// Finished (final status, or canceled), ms.
    pub done_ms: Option<i64>,
    /// The status last posted to the callback.
    pub notified_status: Option<String>,
    /// Callback attempts for the current status.
    pub callback_attempts: i64,
}

/// Filters and a page of the list, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MessageQuery {
    /// Only to this number.
    pub to: Option<String>,
    /// Only from this number.
    pub from: Option<String>,
    /// Sent (or created, when not sent yet) at or after, ms.
    pub sent_after: Option<i64>,
    /// Sent (or created) before, ms.
    pub sent_before: Option<i64>,
    /// Only messages older than this id (the page token).
    pub before_id: Option<i64>,
    /// At most this many.
    pub limit: i64,
}

pub(crate) const COLUMNS: &str = "a.message_id, a.tenant_id, a.sid, a.direction, a.from_number, a.to_number, \
     a.body, a.media, a.messaging_service, a.status_callback, a.validity_s, a.send_at, a.send_as_mms, m.status, \
     m.error_code, m.error_detail, m.segments, a.created_ms, a.updated_ms, m.sent_at, a.notified_status, \
     a.callback_attempts, m.done_at";

fn text(value: &str) -> Value {
    Value::Text(Some(value.to_owned()))
}

fn int(value: i64) -> Value {
    Value::Int(Some(value))
}

macro_rules! api_message {
    ($r:expr) => {{
        let media: String = $r.try_get(7)?;
        ApiMessage {
            id: $r.try_get(0)?,
            tenant: canvass_types::TenantId($r.try_get(1)?),
            sid: $r.try_get(2)?,
            direction: $r.try_get(3)?,
            from: $r.try_get(4)?,
            to: $r.try_get(5)?,
            body: $r.try_get(6)?,
            media: serde_json::from_str(&media).map_err(|e| StoreError::Corrupt(e.to_string()))?,
            messaging_service: $r.try_get(8)?,
            status_callback: $r.try_get(9)?,
            validity_s: $r.try_get(10)?,
            send_at: $r.try_get(11)?,
            send_as_mms: $r.try_get(12)?,
            status: $r.try_get(13)?,
            error_code: $r.try_get(14)?,
            error_detail: $r.try_get(15)?,
            segments: $r.try_get(16)?,
            created_ms: $r.try_get(17)?,
            updated_ms: $r.try_get(18)?,
            sent_ms: $r.try_get(19)?,
            notified_status: $r.try_get(20)?,
            callback_attempts: $r.try_get(21)?,
            done_ms: $r.try_get(22)?,
        }
    }};
}
pub(crate) use api_message;

fn insert_message(store: &Store, m: &NewApiMessage) -> Statement {
    let due = m.send_at.unwrap_or(m.now_ms);
    let expires = m.validity_s.map(|s| due + s * 1000);
    let mut s = Statement::new(store.backend());
    s.push(
        "INSERT INTO messages (tenant_id, contact_id, phone, variant, sender, status, due_at, expires_at, \
         segments, created_at) VALUES (",
    );
    s.bind(int(m.tenant.0))
        .push(", (SELECT id FROM contacts WHERE tenant_id = ")
        .bind(int(m.tenant.0));
    s.push(" AND phone = ").bind(text(&m.to)).push("), ");
    s.bind(text(&m.to)).push(", 'api', ").bind(text(&m.from));
    s.push(", 'queued', ").bind(int(due)).push(", ");
    s.bind(Value::Int(expires)).push(", ");
    s.bind(int(i64::from(m.segments)))
        .push(", ")
        .bind(int(m.now_ms));
    s.push(") RETURNING id");
    s
}

fn insert_details(store: &Store, id: i64, m: &NewApiMessage) -> Result<Statement, StoreError> {
    let media = serde_json::to_string(&m.media).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let mut s = Statement::new(store.backend());
    s.push(
        "INSERT INTO api_messages (message_id, tenant_id, sid, direction, from_number, to_number, body, media, \
         messaging_service, status_callback, validity_s, send_at, send_as_mms, created_ms, updated_ms, \
         callback_due_ms) VALUES (",
    );
    s.bind(int(id)).push(", ").bind(int(m.tenant.0)).push(", ");
    s.bind(text(&m.sid)).push(", 'outbound-api', ");
    s.bind(text(&m.from))
        .push(", ")
        .bind(text(&m.to))
        .push(", ");
    s.bind(text(&m.body))
        .push(", ")
        .bind(Value::Text(Some(media)))
        .push(", ");
    s.bind(Value::Text(m.messaging_service.clone())).push(", ");
    s.bind(Value::Text(m.status_callback.clone())).push(", ");
    s.bind(Value::Int(m.validity_s))
        .push(", ")
        .bind(Value::Int(m.send_at));
    s.push(", ").bind(Value::Bool(m.send_as_mms)).push(", ");
    s.bind(int(m.now_ms)).push(", ").bind(int(m.now_ms));
    // Nothing is owed until the status moves: the creation's own answer says `queued`.
    s.push(", NULL)");
    Ok(s)
}

fn claim_key(
    store: &Store,
    message: &NewApiMessage,
    answer: &IdempotentAnswer,
    now: i64,
) -> [Statement; 2] {
    let tenant = message.tenant;
    let mut expired = Statement::new(store.backend());
    expired
        .push("DELETE FROM idempotency_keys WHERE tenant_id = ")
        .bind(int(tenant.0));
    expired.push(" AND key = ").bind(text(&answer.key));
    expired
        .push(" AND created_ms < ")
        .bind(int(now - IDEMPOTENCY_WINDOW_MS));
    let mut insert = Statement::new(store.backend());
    insert
        .push(
            "INSERT INTO idempotency_keys (tenant_id, key, request_hash, status, response, message_sid, \
             created_ms) VALUES (",
        )
        .bind(int(tenant.0));
    insert.push(", ").bind(text(&answer.key)).push(", ");
    insert.bind(text(&answer.request_hash)).push(", ");
    insert.bind(int(i64::from(answer.status))).push(", ");
    insert.bind(text(&answer.response)).push(", ");
    insert.bind(text(&message.sid)).push(", ").bind(int(now));
    insert.push(") ON CONFLICT (tenant_id, key) DO NOTHING");
    [expired, insert]
}

impl Store {
    /// Queues `message`; with `answer`, only if its key is unused in the window, keeping the answer with it.
    pub async fn queue_api_message(
        &self,
        message: &NewApiMessage,
        answer: Option<&IdempotentAnswer>,
    ) -> Result<Queued, StoreError> {
        let mut out = self
            .queue_api_messages(&[(message.clone(), answer.cloned())])
            .await?;
        out.pop()
            .ok_or_else(|| StoreError::Corrupt("a batch of one queued nothing".into()))
    }

    /// Queues a batch in one transaction (one commit for many requests: the API's group commit), each message
    /// only if its idempotency key is unused in the window. Concurrent requests with one key queue one message:
    /// the key's row is written first, in the same transaction, and the loser reads the winner's answer — a key
    /// twice in one batch included.
    pub async fn queue_api_messages(
        &self,
        batch: &[(NewApiMessage, Option<IdempotentAnswer>)],
    ) -> Result<Vec<Queued>, StoreError> {
        let statements: Vec<(Option<[Statement; 2]>, Statement)> = batch
            .iter()
            .map(|(message, answer)| {
                (
                    answer
                        .as_ref()
                        .map(|a| claim_key(self, message, a, message.now_ms)),
                    insert_message(self, message),
                )
            })
            .collect();
        let backend_store = self.clone();
        macro_rules! body {
            ($tx:ident, $d:ident) => {{
                let mut ids = Vec::with_capacity(batch.len());
                for ((message, _), (keyed, insert)) in batch.iter().zip(&statements) {
                    let mut fresh = true;
                    if let Some([expired, claim]) = keyed {
                        expired.$d().execute(&mut *$tx).await?;
                        fresh = claim.$d().execute(&mut *$tx).await?.rows_affected() == 1;
                    }
                    if fresh {
                        let id: i64 = insert.$d().fetch_one(&mut *$tx).await?.try_get(0)?;
                        insert_details(&backend_store, id, message)?
                            .$d()
                            .execute(&mut *$tx)
                            .await?;
                        ids.push(Some(id));
                    } else {
                        ids.push(None);
                    }
                }
                ids
            }};
        }
        let ids: Vec<Option<i64>> = in_transaction!(self, body);
        let mut out = Vec::with_capacity(ids.len());
        for (id, (message, answer)) in ids.into_iter().zip(batch) {
            out.push(match (id, answer) {
                (Some(id), _) => Queued::New(id),
                (None, Some(answer)) => Queued::Replay(
                    self.idempotent_answer(message.tenant, &answer.key)
                        .await?
                        .ok_or_else(|| {
                            StoreError::Corrupt("an idempotency key vanished while read".into())
                        })?,
                ),
                (None, None) => {
                    return Err(StoreError::Corrupt(
                        "a message without a key was not queued".into(),
                    ));
                }
            });
        }
        Ok(out)
    }

    /// The answer kept for `key`, if any.
    pub async fn idempotent_answer(
        &self,
        tenant: TenantId,
        key: &str,
    ) -> Result<Option<IdempotentAnswer>, StoreError> {
        let mut s = Statement::new(self.backend());
        s.push(
            "SELECT key, request_hash, status, response FROM idempotency_keys WHERE tenant_id = ",
        )
        .bind(int(tenant.0));
        s.push(" AND key = ").bind(text(key));
        fetch_optional!(self, s, r => {
            let status: i64 = r.try_get(2)?;
            IdempotentAnswer {
                key: r.try_get(0)?,
                request_hash: r.try_get(1)?,
                status: u16::try_from(status).map_err(|e| StoreError::Corrupt(e.to_string()))?,
                response: r.try_get(3)?,
            }
        })
    }

    /// Forgets idempotency keys older than `at` (ms); returns how many.
    pub async fn purge_idempotency_before(&self, at: i64) -> Result<u64, StoreError> {
        let mut s = Statement::new(self.backend());
        s.push("DELETE FROM idempotency_keys WHERE created_ms < ")
            .bind(int(at));
        Ok(crate::execute!(self, s)?)
    }

    /// `tenant`'s API message `sid`; another account's is not found.
    pub async fn api_message(
        &self,
        tenant: TenantId,
        sid: &str,
    ) -> Result<Option<ApiMessage>, StoreError> {
        let mut s = Statement::new(self.backend());
        s.push(&format!(
            "SELECT {COLUMNS} FROM api_messages a JOIN messages m ON m.id = a.message_id WHERE a.sid = "
        ))
        .bind(text(sid));
        s.push(" AND a.tenant_id = ").bind(int(tenant.0));
        fetch_optional!(self, s, r => api_message!(r))
    }

    /// The API message queued as `messages.id = id` (what a worker composes from).
    pub async fn api_message_by_id(&self, id: i64) -> Result<Option<ApiMessage>, StoreError> {
        let mut s = Statement::new(self.backend());
        s.push(&format!(
            "SELECT {COLUMNS} FROM api_messages a JOIN messages m ON m.id = a.message_id WHERE a.message_id = "
        ))
        .bind(int(id));
        fetch_optional!(self, s, r => api_message!(r))
    }

    /// A page of `tenant`'s API messages, newest first.
    pub async fn api_messages(
        &self,
        tenant: TenantId,
        query: &MessageQuery,
    ) -> Result<Vec<ApiMessage>, StoreError> {
        let mut s = Statement::new(self.backend());
        s.push(&format!(
            "SELECT {COLUMNS} FROM api_messages a JOIN messages m ON m.id = a.message_id WHERE a.tenant_id = "
        ))
        .bind(int(tenant.0));
        if let Some(to) = &query.to {
            s.push(" AND a.to_number = ").bind(text(to));
        }
        if let Some(from) = &query.from {
            s.push(" AND a.from_number = ").bind(text(from));
        }
        if let Some(after) = query.sent_after {
            s.push(" AND COALESCE(m.sent_at, a.created_ms) >= ")
                .bind(int(after));
        }
        if let Some(before) = query.sent_before {
            s.push(" AND COALESCE(m.sent_at, a.created_ms) < ")
                .bind(int(before));
        }
        if let Some(id) = query.before_id {
            s.push(" AND a.message_id < ").bind(int(id));
        }
        s.push(" ORDER BY a.message_id DESC LIMIT ")
            .bind(int(query.limit));
        fetch_all!(self, s, r => api_message!(r))
    }

    /// Cancels a scheduled message that is still waiting; returns whether it was.
    pub async fn cancel_api_message(&self, id: i64, now_ms: i64) -> Result<bool, StoreError> {
        let mut s = Statement::new(self.backend());
        s.push(
            "UPDATE messages SET status = 'suppressed', error_code = 'canceled', due_at = NULL, done_at = ",
        )
        .bind(int(now_ms));
        s.push(" WHERE status = 'queued' AND id = ").bind(int(id));
        s.push(" AND EXISTS (SELECT 1 FROM api_messages WHERE message_id = ")
            .bind(int(id));
        s.push(" AND send_at IS NOT NULL)");
        Ok(crate::execute!(self, s)? == 1)
    }

    /// Blanks a message's text (Twilio's redaction), in its row and in the answers kept for replays of its
    /// creation; the queue keeps sending what it has already composed.
    pub async fn redact_api_message(&self, id: i64, now_ms: i64) -> Result<(), StoreError> {
        let mut s = Statement::new(self.backend());
        s.push("UPDATE api_messages SET body = '', updated_ms = ")
            .bind(int(now_ms));
        s.push(" WHERE message_id = ").bind(int(id));
        crate::execute!(self, s)?;
        let mut kept = Statement::new(self.backend());
        kept.push(
            "SELECT k.tenant_id, k.key, k.response FROM idempotency_keys k JOIN api_messages a \
             ON a.sid = k.message_sid WHERE a.message_id = ",
        )
        .bind(int(id));
        let answers: Vec<(i64, String, String)> =
            fetch_all!(self, kept, r => (r.try_get(0)?, r.try_get(1)?, r.try_get(2)?))?;
        for (tenant, key, response) in answers {
            // Both surfaces answer with the message as a JSON object whose `body` is the text.
            let mut value: serde_json::Value = serde_json::from_str(&response)
                .map_err(|e| StoreError::Corrupt(format!("a kept answer is not JSON: {e}")))?;
            if let Some(body) = value.get_mut("body") {
                *body = serde_json::Value::String(String::new());
            }
            let mut s = Statement::new(self.backend());
            s.push("UPDATE idempotency_keys SET response = ")
                .bind(text(&value.to_string()));
            s.push(" WHERE tenant_id = ").bind(int(tenant));
            s.push(" AND key = ").bind(text(&key));
            crate::execute!(self, s)?;
        }
        Ok(())
    }

    /// Deletes a finished message and its details; returns whether it was finished (and so deleted).
    pub async fn delete_api_message(&self, id: i64) -> Result<bool, StoreError> {
        let mut s = Statement::new(self.backend());
        s.push("DELETE FROM messages WHERE id = ").bind(int(id));
        s.push(
            " AND status IN ('delivered', 'undelivered', 'failed', 'expired', 'suppressed') \
             AND EXISTS (SELECT 1 FROM api_messages WHERE message_id = ",
        )
        .bind(int(id))
        .push(")");
        Ok(crate::execute!(self, s)? == 1)
    }
}
