//! Handlers: parse, call one service, shape the answer.

pub(crate) mod dashboard;
pub(crate) mod exports;
pub(crate) mod people;
pub(crate) mod shifts;
pub(crate) mod system;
pub(crate) mod transactions;

use axum::Extension;
use axum::extract::State;
use kh_http_common::openapi::OpenApiJson;
use kh_http_common::{Envelope, ErrorBody, HealthDto};

use crate::{ApiError, AppState};
use kh_http_common::Success;

/// `GET /health`: 200 when the cash book can be read, 503 `unavailable` when it cannot.
#[utoipa::path(get, path = "/health", tag = "system",
    responses(
        (status = 200, description = "The cash book can be read", body = Envelope<HealthDto>),
        (status = 503, description = "`unavailable`: it cannot", body = ErrorBody),
    ))]
pub(crate) async fn health(State(state): State<AppState>) -> Result<Success<HealthDto>, ApiError> {
    state.ledger.health().await?;
    Ok(Success::ok("OK", HealthDto::OK))
}

/// `GET /openapi.json`: this API described in OpenAPI 3.1, generated from the code.
#[utoipa::path(get, path = "/openapi.json", tag = "system",
    responses((status = 200, description = "This document", content_type = "application/json", body = Object)))]
pub(crate) async fn openapi(Extension(doc): Extension<OpenApiJson>) -> OpenApiJson {
    doc
}

pub(crate) use kh_http_common::web::{method_not_allowed, not_found};
