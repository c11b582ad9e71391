//! Handlers: parse, call one service, shape the answer.

pub(crate) mod branches;
pub(crate) mod reports;
pub(crate) mod sync;
pub(crate) mod transactions;

use axum::extract::{OriginalUri, State};
use axum::http::{Method, StatusCode};
use serde_json::json;

use crate::{ApiError, CloudState};
use kh_http_common::Success;

/// `GET /health`: 200 when the database answers, 503 when it does not.
pub(crate) async fn health(
    State(state): State<CloudState>,
) -> Result<Success<serde_json::Value>, ApiError> {
    match state.ledger.ping().await {
        Ok(()) => Ok(Success::ok(
            "OK",
            json!({ "status": "ok", "database": "ok" }),
        )),
        Err(error) => {
            tracing::warn!(error.cause = %error, "health check: database unreachable");
            Err(ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                "The HQ database is unreachable; the server cannot take or show entries right now",
            ))
        }
    }
}

/// Any path the API does not have.
pub(crate) async fn not_found(method: Method, OriginalUri(uri): OriginalUri) -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "not_found",
        format!("There is no {method} {} in this API", uri.path()),
    )
}

/// A known path with the wrong method.
pub(crate) async fn method_not_allowed(method: Method, OriginalUri(uri): OriginalUri) -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        format!("{method} is not allowed on {}", uri.path()),
    )
}
