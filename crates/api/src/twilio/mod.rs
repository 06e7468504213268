//! The Twilio-compatible surface: `Accounts` (the caller and its sub-accounts), `Messages.json` (create, list), one message (fetch, cancel or redact, delete)
//! and its `Media.json`. Form-encoded in, Twilio's JSON and error bodies out.

pub mod accounts;
pub mod create;
pub mod error;
pub mod form;
pub mod list;
pub mod message;
pub mod resource;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::get;

use crate::ApiState;

/// The routes under `/2010-04-01`.
pub fn router(state: ApiState) -> Router {
    Router::new()
        .route(
            "/2010-04-01/Accounts.json",
            get(accounts::list).post(accounts::create),
        )
        .route("/2010-04-01/Accounts/{account}", get(accounts::fetch))
        .route(
            "/2010-04-01/Accounts/{account}/Messages.json",
            get(list::list).post(create::create),
        )
        .route(
            "/2010-04-01/Accounts/{account}/Messages/{file}",
            get(message::fetch)
                .post(message::update)
                .delete(message::delete),
        )
        .route(
            "/2010-04-01/Accounts/{account}/Messages/{sid}/Media.json",
            get(message::media),
        )
        .route(
            "/2010-04-01/Accounts/{account}/Messages/{sid}/Media/{media}",
            get(message::media_content),
        )
        .layer(DefaultBodyLimit::max(form::MAX_FORM_BYTES))
        .with_state(state)
}
