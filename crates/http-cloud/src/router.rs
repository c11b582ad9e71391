use axum::extract::DefaultBodyLimit;
use axum::middleware;
use axum::routing::{get, post};
use axum::{Extension, Router};
use kh_http_common::{BodyLimit, with_common_layers};

use crate::CloudState;
use crate::auth::{require_admin, require_branch};
use crate::handlers::{self, branches, reports, sync, transactions};

/// The largest request body accepted (a full push; DESIGN 6).
pub const MAX_BODY_BYTES: usize = 2 * 1024 * 1024;

/// The HQ API under `/api/v1`. Serve it with `into_make_service_with_connect_info::<SocketAddr>`
/// so failed authentications are counted per client address (otherwise all clients share one
/// count).
pub fn router(state: CloudState) -> Router {
    let branch_api = Router::new()
        .route("/sync/whoami", get(sync::whoami))
        .route("/sync/push", post(sync::push))
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            require_branch,
        ));
    let admin_api = Router::new()
        .route("/branches", get(branches::list).post(branches::create))
        .route("/branches/{id}/rotate-key", post(branches::rotate_key))
        .route("/branches/{id}/disable", post(branches::disable))
        .route("/branches/{id}/enable", post(branches::enable))
        .route("/transactions", get(transactions::list))
        .route("/reports/summary", get(reports::summary))
        .route("/reports/daily", get(reports::daily))
        .route_layer(middleware::from_fn_with_state(state.clone(), require_admin));
    let api = Router::new()
        .route("/health", get(handlers::health))
        .merge(branch_api)
        .merge(admin_api)
        .fallback(handlers::not_found)
        .method_not_allowed_fallback(handlers::method_not_allowed)
        .with_state(state);

    let outer = Router::new()
        .nest("/api/v1", api)
        .fallback(handlers::not_found)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(Extension(BodyLimit(MAX_BODY_BYTES)));
    with_common_layers(outer)
}
