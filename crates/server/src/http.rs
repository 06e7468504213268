//! The HTTP surface: health and metrics for now; the API and dashboard routers mount here.

use crate::App;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use canvass_types::metric_names;
use metrics_exporter_prometheus::PrometheusHandle;

#[derive(Clone)]
struct HttpState {
    app: App,
    metrics: PrometheusHandle,
}

/// All routes of the node.
pub fn router(app: App, metrics: PrometheusHandle) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/metrics", get(render_metrics))
        .with_state(HttpState { app, metrics })
}

/// 200 when the database answers, 503 otherwise; load balancers and `canvass healthcheck` use it.
async fn healthz(State(state): State<HttpState>) -> Response {
    metrics::counter!(metric_names::HTTP_REQUESTS, "route" => "/healthz").increment(1);
    match state.app.store.ping().await {
        Ok(()) => Json(serde_json::json!({ "status": "ok", "role": state.app.config.role }))
            .into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "health check failed");
            let body = serde_json::json!({ "status": "unavailable", "error": { "code": "database_unavailable",
                "message": "the database does not answer" } });
            (StatusCode::SERVICE_UNAVAILABLE, Json(body)).into_response()
        }
    }
}

async fn render_metrics(State(state): State<HttpState>) -> impl IntoResponse {
    metrics::counter!(metric_names::HTTP_REQUESTS, "route" => "/metrics").increment(1);
    (
        [("content-type", "text/plain; version=0.0.4")],
        state.metrics.render(),
    )
}
