//! Tracked links and landing pages, served by the HTTP listener:
//! - `GET /r/{token}`: records a click and redirects to the campaign's link;
//! - `GET /l/{token}`: the mobile landing page for a message whose media went as an SMS link; records a view;
//! - `GET /l/{token}/media`: the media itself (also what RCS cards fetch).
//!
//! Tokens are signed message ids, so a guessed or altered token is a plain 404 and nothing is looked up.

use super::context::template_context;
use super::plans::{CampaignPlan, CampaignPlans, LinkBase};
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use canvass_campaigns::definition::CampaignDefinition;
use canvass_dispatch::ports::Claimed;
use canvass_store::Store;
use canvass_types::MessageId;
use std::sync::Arc;

#[derive(Clone)]
struct LinkState {
    store: Store,
    links: LinkBase,
    plans: Arc<CampaignPlans>,
}

/// The link routes, to merge into the node's router.
pub fn router(store: Store, links: LinkBase, plans: Arc<CampaignPlans>) -> Router {
    Router::new()
        .route("/r/{token}", get(redirect))
        .route("/l/{token}", get(landing))
        .route("/l/{token}/media", get(media))
        .with_state(LinkState {
            store,
            links,
            plans,
        })
}

fn not_found() -> Response {
    (StatusCode::NOT_FOUND, "no such link").into_response()
}

fn user_agent(headers: &HeaderMap) -> Option<String> {
    headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(|s| s.chars().take(256).collect())
}

fn now_ms() -> i64 {
    jiff::Timestamp::now().as_millisecond()
}

async fn record(state: &LinkState, id: i64, kind: &str, headers: &HeaderMap) {
    if let Err(e) = state
        .store
        .record_link_event(
            MessageId(id),
            kind,
            user_agent(headers).as_deref(),
            now_ms(),
        )
        .await
    {
        tracing::warn!(message = id, error = %e, "recording a link event failed");
    }
}

async fn redirect(
    State(state): State<LinkState>,
    Path(token): Path<String>,
    headers: HeaderMap,
) -> Response {
    let Some(id) = state.links.signer.verify(&token) else {
        return not_found();
    };
    let Ok(Some((Some(campaign), _variant, _tenant))) =
        state.store.link_target(MessageId(id)).await
    else {
        return not_found();
    };
    let Ok(Some(stored)) =
        canvass_campaigns::ports::CampaignStore::campaign(&state.store, campaign).await
    else {
        return not_found();
    };
    let Some(target) = CampaignDefinition::from_json_str(&stored.definition)
        .ok()
        .and_then(|d| d.link)
    else {
        return not_found();
    };
    record(&state, id, "click", &headers).await;
    Redirect::to(&target).into_response()
}

async fn landing(
    State(state): State<LinkState>,
    Path(token): Path<String>,
    headers: HeaderMap,
) -> Response {
    let Some((id, message, plan)) = resolve(&state, &token).await else {
        return not_found();
    };
    let Some(variant) = plan.variant_named(&message.variant) else {
        return not_found();
    };
    record(&state, id, "view", &headers).await;
    let context = template_context(&message, None);
    let text = variant.text.render(&context).unwrap_or_default();
    let media_url = format!("/l/{token}/media");
    let is_video = matches!(
        variant.media,
        Some(canvass_campaigns::definition::Media::Video { .. })
    );
    let media = if is_video {
        format!(r#"<video src="{media_url}" controls playsinline style="width:100%"></video>"#)
    } else {
        format!(r#"<img src="{media_url}" alt="" style="width:100%">"#)
    };
    Html(format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Message</title></head><body style=\"margin:0 auto;max-width:640px;font-family:sans-serif\">{media}<p style=\"padding:0 1em\">{}</p></body></html>",
        escape(&text)
    ))
    .into_response()
}

async fn media(State(state): State<LinkState>, Path(token): Path<String>) -> Response {
    let Some((_, message, plan)) = resolve(&state, &token).await else {
        return not_found();
    };
    let Some(variant) = plan.variant_named(&message.variant) else {
        return not_found();
    };
    let context = template_context(&message, None);
    match plan.attachment(variant, &context).await {
        Ok(Some(a)) => (
            [(header::CONTENT_TYPE, a.content_type.clone())],
            a.bytes.clone(),
        )
            .into_response(),
        _ => not_found(),
    }
}

/// The message behind a token, with its campaign's plan; `None` for a forged token or a message without one.
async fn resolve(state: &LinkState, token: &str) -> Option<(i64, Claimed, Arc<CampaignPlan>)> {
    let id = state.links.signer.verify(token)?;
    let message = state.store.message_for_render(MessageId(id)).await.ok()??;
    let plan = state.plans.load(message.campaign?).await.ok()?;
    Some((id, message, plan))
}

/// Minimal HTML escaping for text placed in an element.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
