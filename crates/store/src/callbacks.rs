//! The status-callback outbox of API messages. A trigger sets `callback_due_ms = 0` whenever the queue moves a
//! message's status (migration 0007); the API's notifier claims due rows under a lease, posts the callback, and
//! clears the mark only if no newer change came in meanwhile (the lease value is the claim's token).

use crate::api_messages::{ApiMessage, COLUMNS, api_message};
use crate::sql::{Statement, Value};
use crate::{Backend, Store, StoreError};
use sqlx::Row;

fn int(value: i64) -> Value {
    Value::Int(Some(value))
}

/// A callback to post, claimed until `lease`.
#[derive(Debug, Clone, PartialEq)]
pub struct DueCallback {
    /// The message as it is now.
    pub message: ApiMessage,
    /// The claim's token: the lease's end, ms.
    pub lease: i64,
}

impl Store {
    /// Claims up to `limit` messages whose callback is due at `now`, until `now + lease_ms`.
    pub async fn claim_callbacks(
        &self,
        now: i64,
        limit: i64,
        lease_ms: i64,
    ) -> Result<Vec<DueCallback>, StoreError> {
        let lease = now + lease_ms;
        let mut s = Statement::new(self.backend());
        s.push("UPDATE api_messages SET callback_due_ms = ")
            .bind(int(lease));
        s.push(
            " WHERE message_id IN (SELECT message_id FROM api_messages WHERE callback_due_ms IS NOT NULL \
             AND callback_due_ms <= ",
        )
        .bind(int(now));
        s.push(" ORDER BY callback_due_ms LIMIT ").bind(int(limit));
        if self.backend() == Backend::Postgres {
            // Two notifiers take disjoint rows instead of posting the same callback twice.
            s.push(" FOR UPDATE SKIP LOCKED");
        }
        s.push(") RETURNING message_id");
        let ids: Vec<i64> = fetch_all!(self, s, r => r.try_get(0)?)?;
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut read = Statement::new(self.backend());
        read.push(&format!(
            "SELECT {COLUMNS} FROM api_messages a JOIN messages m ON m.id = a.message_id WHERE a.message_id IN ("
        ));
        for (i, id) in ids.iter().enumerate() {
            if i > 0 {
                read.push(", ");
            }
            read.bind(int(*id));
        }
        read.push(") ORDER BY a.message_id");
        let messages = fetch_all!(self, read, r => api_message!(r))?;
        Ok(messages
            .into_iter()
            .map(|message| DueCallback { message, lease })
            .collect())
    }

    /// Records that `status` was posted (or given up on) for the claim `lease`. A change of status after the
    /// claim left the row due again, and it stays due.
    pub async fn callback_done(&self, id: i64, lease: i64, status: &str) -> Result<(), StoreError> {
        let mut s = Statement::new(self.backend());
        s.push("UPDATE api_messages SET notified_status = ")
            .bind(Value::Text(Some(status.to_owned())));
        s.push(", callback_attempts = 0, callback_due_ms = CASE WHEN callback_due_ms = ")
            .bind(int(lease));
        s.push(" THEN NULL ELSE callback_due_ms END WHERE message_id = ")
            .bind(int(id));
        crate::execute!(self, s)?;
        Ok(())
    }

    /// Records a failed post of the claim `lease`: try again at `due_at`, unless a newer change is due sooner.
    pub async fn callback_failed(
        &self,
        id: i64,
        lease: i64,
        due_at: i64,
    ) -> Result<(), StoreError> {
        let mut s = Statement::new(self.backend());
        s.push(
            "UPDATE api_messages SET callback_attempts = callback_attempts + 1, callback_due_ms = \
             CASE WHEN callback_due_ms = ",
        )
        .bind(int(lease));
        s.push(" THEN ")
            .bind(int(due_at))
            .push(" ELSE callback_due_ms END WHERE message_id = ");
        s.bind(int(id));
        crate::execute!(self, s)?;
        Ok(())
    }
}
