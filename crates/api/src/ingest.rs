//! Group commit for accepted messages. Each request's message must be durably queued before its 201, and on
//! SQLite every commit takes the one write lock: one transaction per request caps the API at the commit rate.
//! Requests hand their message to one writer task, which takes every message waiting (up to [`BATCH`]) and
//! commits them together; each request then gets its own outcome. A lone request waits for no one.

use canvass_store::{IdempotentAnswer, NewApiMessage, Queued, Store, StoreError};
use tokio::sync::{mpsc, oneshot};

/// Messages committed together at most.
pub const BATCH: usize = 256;

type Reply = oneshot::Sender<Result<Queued, String>>;

/// The writer's inbox.
#[derive(Clone)]
pub struct Ingest {
    jobs: mpsc::Sender<(NewApiMessage, Option<IdempotentAnswer>, Reply)>,
}

impl Ingest {
    /// Starts the writer over `store` (on the current Tokio runtime).
    pub fn start(store: Store) -> Self {
        let (jobs, inbox) = mpsc::channel(BATCH * 8);
        tokio::spawn(write(store, inbox));
        Ingest { jobs }
    }

    /// Queues `message` (with its idempotency answer) and waits for the commit that holds it.
    pub async fn queue(
        &self,
        message: NewApiMessage,
        answer: Option<IdempotentAnswer>,
    ) -> Result<Queued, StoreError> {
        let (reply, outcome) = oneshot::channel();
        let gone = || StoreError::Corrupt("the API's writer stopped".into());
        self.jobs
            .send((message, answer, reply))
            .await
            .map_err(|_| gone())?;
        outcome
            .await
            .map_err(|_| gone())?
            .map_err(StoreError::Unavailable)
    }
}

async fn write(
    store: Store,
    mut inbox: mpsc::Receiver<(NewApiMessage, Option<IdempotentAnswer>, Reply)>,
) {
    while let Some(first) = inbox.recv().await {
        let mut jobs = vec![first];
        while jobs.len() < BATCH {
            match inbox.try_recv() {
                Ok(job) => jobs.push(job),
                Err(_) => break,
            }
        }
        let (batch, replies): (Vec<_>, Vec<_>) = jobs
            .into_iter()
            .map(|(message, answer, reply)| ((message, answer), reply))
            .unzip();
        match store.queue_api_messages(&batch).await {
            Ok(outcomes) => {
                for (reply, outcome) in replies.into_iter().zip(outcomes) {
                    let _ = reply.send(Ok(outcome));
                }
            }
            Err(e) => {
                // The whole transaction rolled back: nothing of the batch is queued, and each request says so.
                tracing::warn!(error = %e, messages = batch.len(), "queuing API messages failed");
                for reply in replies {
                    let _ = reply.send(Err(e.to_string()));
                }
            }
        }
    }
}
