//! The HTTP API. `twilio`: the Twilio-compatible Messages surface (`/2010-04-01/Accounts/{AC…}/…`), which the
//! official SDKs use with only their base URL changed. `callbacks`: the notifier that posts status callbacks,
//! signed with `X-Twilio-Signature`. `native`: the JSON surface under `/v1`, with its OpenAPI document. Every query is scoped by the account in the path, once the caller is shown
//! to act for it ([`auth`]).

#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod auth;
pub mod callbacks;
pub mod ingest;
pub mod limits;
pub mod native;
pub mod send;
pub mod twilio;

use std::sync::Arc;

use axum::Router;
use canvass_store::Store;
use canvass_types::Clock;

/// What every handler shares.
#[derive(Clone)]
pub struct ApiState {
    /// The database.
    pub store: Store,
    /// Checks credentials.
    pub auth: Arc<auth::Authenticator>,
    /// The clock messages are stamped with.
    pub clock: Arc<dyn Clock>,
    /// Where inbound media were rehosted, to serve them at the URLs their webhooks named.
    pub blobs: Option<canvass_store::BlobStore>,
    /// Commits accepted messages in groups.
    pub ingest: ingest::Ingest,
    /// Derives new sub-accounts' auth tokens; without it a node makes no accounts.
    pub token_key: Option<canvass_accounts::TokenKey>,
}

impl ApiState {
    /// State over `store`, with the default per-credential rate limit.
    pub fn new(store: Store, clock: Arc<dyn Clock>) -> Self {
        Self::with_limit(store, clock, limits::RateLimit::default())
    }

    /// State over `store`, holding each credential to `limit`. Starts the message writer, so it must be called
    /// on a Tokio runtime.
    pub fn with_limit(store: Store, clock: Arc<dyn Clock>, limit: limits::RateLimit) -> Self {
        ApiState {
            auth: Arc::new(auth::Authenticator::new(store.clone(), limit)),
            ingest: ingest::Ingest::start(store.clone()),
            store,
            clock,
            blobs: None,
            token_key: None,
        }
    }

    /// Lets this node make sub-accounts, their tokens derived by `key`.
    pub fn with_token_key(mut self, key: canvass_accounts::TokenKey) -> Self {
        self.token_key = Some(key);
        self
    }

    /// Serves inbound media from `blobs`.
    pub fn with_blobs(mut self, blobs: canvass_store::BlobStore) -> Self {
        self.blobs = Some(blobs);
        self
    }

    /// Now, ms since the epoch.
    pub fn now_ms(&self) -> i64 {
        self.clock.now().as_millisecond()
    }
}

/// Every API route.
pub fn router(state: ApiState) -> Router {
    twilio::router(state.clone()).merge(native::router(state))
}
