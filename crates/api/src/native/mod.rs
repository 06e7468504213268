//! The native surface (`/v1`): JSON in and out, `{"error": {"code", "message"}}` errors with stable codes,
//! cursor pages, `Idempotency-Key` on POSTs, and its OpenAPI 3.1 document generated from the handlers
//! (`/openapi.json`, `canvass openapi`). Credentials are the same as Twilio's surface (Basic `AC…:token` or
//! `SK…:secret`); `Canvass-Account: AC…` acts for a sub-account.

pub mod error;
pub mod messages;
pub mod request;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use utoipa::OpenApi;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::ApiState;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Canvass API",
        description = "Personalised multimedia messaging campaigns and a wholesale MMS gateway. \
                       The Twilio-compatible Messages API lives under /2010-04-01 (see docs/api.md).",
        license(name = "AGPL-3.0-or-later")
    ),
    modifiers(&BasicAuth),
    tags((name = "messages", description = "Send and follow messages"))
)]
struct ApiDoc;

struct BasicAuth;

impl utoipa::Modify for BasicAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "basic",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Basic)
                    .description(Some("AC…:auth token, or SK…:key secret"))
                    .build(),
            ),
        );
    }
}

fn parts() -> (Router<ApiState>, utoipa::openapi::OpenApi) {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(messages::create, messages::list))
        .routes(routes!(messages::fetch))
        .routes(routes!(messages::cancel))
        .split_for_parts()
}

/// The OpenAPI document of the native surface.
pub fn openapi() -> utoipa::openapi::OpenApi {
    parts().1
}

/// The `/v1` routes and `/openapi.json`.
pub fn router(state: ApiState) -> Router {
    let (router, doc) = parts();
    let doc = std::sync::Arc::new(doc);
    router
        .route(
            "/openapi.json",
            axum::routing::get(move || {
                let doc = doc.clone();
                async move { axum::Json(doc.as_ref().clone()) }
            }),
        )
        .layer(DefaultBodyLimit::max(request::MAX_JSON_BYTES))
        .with_state(state)
}
