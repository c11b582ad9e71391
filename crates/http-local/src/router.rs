use std::sync::Arc;
use std::time::Duration;

use axum::extract::DefaultBodyLimit;
use axum::http::Request;
use axum::middleware;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::{Extension, Router};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::trace::TraceLayer;

use crate::guard::{SecurityPolicy, enforce};
use crate::handlers::{self, dashboard, system, transactions};
use crate::{ApiError, AppState};
use kh_http_common::BodyLimit;

/// The largest request body accepted (DESIGN 5.1).
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// The `/api/v1` router with its protections. `ui`, if given, serves every other path.
pub fn router(state: AppState, policy: SecurityPolicy, ui: Option<Router>) -> Router {
    let api = Router::new()
        .route("/health", get(handlers::health))
        .route(
            "/transactions",
            post(transactions::create).get(transactions::list),
        )
        .route("/transactions/{id}", get(transactions::get))
        .route("/transactions/{id}/void", post(transactions::void))
        .route("/dashboard/summary", get(dashboard::summary))
        .route("/dashboard/daily", get(dashboard::daily))
        .route("/dashboard/categories", get(dashboard::categories))
        .route("/categories", get(dashboard::suggestions))
        .route("/system/status", get(system::status))
        .route("/system/sync", post(system::sync))
        .route("/system/sync/retry-rejected", post(system::retry_rejected))
        .route("/system/activate", post(system::activate))
        .fallback(handlers::not_found)
        .method_not_allowed_fallback(handlers::method_not_allowed)
        .with_state(state);

    let outer = Router::new().nest("/api/v1", api);
    let outer = match ui {
        Some(ui) => outer.merge(ui),
        None => outer.fallback(handlers::not_found),
    };
    outer
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(Extension(BodyLimit(MAX_BODY_BYTES)))
        .layer(middleware::from_fn_with_state(Arc::new(policy), enforce))
        .layer(CatchPanicLayer::custom(
            |_: Box<dyn std::any::Any + Send>| {
                tracing::error!("a request handler panicked");
                ApiError::internal().into_response()
            },
        ))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|req: &Request<_>| {
                    tracing::info_span!(
                        "request",
                        method = %req.method(),
                        path = %req.uri().path(),
                        request_id = %uuid::Uuid::new_v4().simple(),
                    )
                })
                .on_response(
                    |res: &axum::http::Response<_>, latency: Duration, _span: &tracing::Span| {
                        tracing::info!(
                            status = res.status().as_u16(),
                            latency_ms = latency.as_millis() as u64,
                            "response"
                        );
                    },
                ),
        )
}
