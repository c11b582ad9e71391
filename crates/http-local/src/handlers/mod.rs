//! Handlers: parse, call one service, shape the answer.

pub(crate) mod dashboard;
pub(crate) mod system;
pub(crate) mod transactions;

use axum::extract::OriginalUri;
use axum::http::{Method, StatusCode};
use serde_json::json;

use crate::ApiError;
use kh_http_common::Success;

/// `GET /health`.
pub(crate) async fn health() -> Success<serde_json::Value> {
    Success::ok("OK", json!({ "status": "ok" }))
}

/// Any path the API does not have.
pub(crate) async fn not_found(method: Method, OriginalUri(uri): OriginalUri) -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "not_found",
        format!(
            "There is no {method} {} in this API; see docs/api.md",
            uri.path()
        ),
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
