//! Handlers: parse, call one service, shape the answer.

pub(crate) mod auth;
pub(crate) mod branches;
pub(crate) mod exports;
pub(crate) mod lists;
pub(crate) mod people;
pub(crate) mod reports;
pub(crate) mod shifts;
pub(crate) mod sync;
pub(crate) mod transactions;

use axum::Extension;
use axum::extract::State;
use kh_http_common::openapi::OpenApiJson;
use kh_http_common::{Envelope, ErrorBody, ErrorCode, HealthDto};

use crate::{ApiError, CloudState};
use kh_http_common::Success;

/// `GET /health`: 200 when the database answers, 503 when it does not.
#[utoipa::path(get, path = "/health", tag = "system",
    responses(
        (status = 200, description = "The database answers", body = Envelope<HealthDto>),
        (status = 503, description = "`unavailable`: it does not", body = ErrorBody),
    ))]
pub(crate) async fn health(
    State(state): State<CloudState>,
) -> Result<Success<HealthDto>, ApiError> {
    match state.ledger.ping().await {
        Ok(()) => Ok(Success::ok("OK", HealthDto::OK)),
        Err(error) => {
            tracing::warn!(error.cause = %error, "health check: database unreachable");
            Err(ApiError::new(
                ErrorCode::Unavailable,
                "The HQ database is unreachable; the server cannot take or show entries right now",
            ))
        }
    }
}

/// `GET /openapi.json`: this API described in OpenAPI 3.1, generated from the code.
#[utoipa::path(get, path = "/openapi.json", tag = "system",
    responses((status = 200, description = "This document", content_type = "application/json", body = Object)))]
pub(crate) async fn openapi(Extension(doc): Extension<OpenApiJson>) -> OpenApiJson {
    doc
}

pub(crate) use kh_http_common::web::{method_not_allowed, not_found};

/// `GET /settings`: HQ's business time zone and when the console calls a branch quiet.
#[utoipa::path(get, path = "/settings", tag = "reports", operation_id = "hq_settings",
    responses((status = 200, description = "HQ's time zone (KH_TIMEZONE) and KH_STALE_HOURS", body = kh_http_common::Envelope<crate::dto::HqSettingsDto>)))]
pub(crate) async fn settings(
    State(state): State<CloudState>,
) -> Success<crate::dto::HqSettingsDto> {
    Success::ok(
        "OK",
        crate::dto::HqSettingsDto::new(&state.calendar, state.stale_hours, &state.branch_settings),
    )
}
