use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::middleware;
use axum::routing::{get, post};
use axum::{Extension, Router};
use kh_http_common::{BodyLimit, with_common_layers};

use crate::AppState;
use crate::guard::{SecurityPolicy, enforce};
use crate::handlers::{self, dashboard, system, transactions};

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
    let outer = outer
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(Extension(BodyLimit(MAX_BODY_BYTES)))
        .layer(middleware::from_fn_with_state(Arc::new(policy), enforce));
    with_common_layers(outer)
}
