use axum::extract::State;

use kh_domain::chrono::Utc;

use crate::dto::{ActivateRequest, RequeuedDto, StatusDto};
use crate::{ApiError, AppState};
use kh_http_common::SettingsDto;
use kh_http_common::{Envelope, ErrorBody, JsonBody, Success};
use kh_ports::services::SyncStatus;

/// `GET /system/settings`: what the app needs to show times and dates as the branch does.
#[utoipa::path(get, path = "/system/settings", tag = "system",
    responses((status = 200, description = "The branch's time zone", body = Envelope<SettingsDto>)))]
pub(crate) async fn settings(State(state): State<AppState>) -> Success<SettingsDto> {
    Success::ok("OK", SettingsDto::new(&state.calendar, Utc::now()))
}

/// `GET /system/status`.
#[utoipa::path(get, path = "/system/status", tag = "system",
    responses(
        (status = 200, description = "The state of sync", body = Envelope<StatusDto>),
        (status = 503, description = "`unavailable`", body = ErrorBody),
    ))]
pub(crate) async fn status(State(state): State<AppState>) -> Result<Success<StatusDto>, ApiError> {
    let status = state.system.status().await?;
    Ok(Success::ok("OK", StatusDto::from(&status)))
}

/// `POST /system/sync`: wakes the worker; the answer does not wait for it.
#[utoipa::path(post, path = "/system/sync", tag = "system",
    responses(
        (status = 202, description = "Sync requested; the status as it is now", body = Envelope<StatusDto>),
        (status = 503, description = "`unavailable`", body = ErrorBody),
    ))]
pub(crate) async fn sync(State(state): State<AppState>) -> Result<Success<StatusDto>, ApiError> {
    let status = state.system.request_sync().await?;
    let message = if status.status == SyncStatus::Unconfigured {
        "Sync requested, but this PC is not activated yet: activate it with HQ's address and the branch key"
    } else {
        "Sync requested"
    };
    Ok(Success::accepted(message, StatusDto::from(&status)))
}

/// `POST /system/sync/retry-rejected`: returns quarantined entries to the outbox.
#[utoipa::path(post, path = "/system/sync/retry-rejected", tag = "system",
    responses(
        (status = 202, description = "The rejected entries are queued again", body = Envelope<RequeuedDto>),
        (status = 503, description = "`unavailable`", body = ErrorBody),
    ))]
pub(crate) async fn retry_rejected(
    State(state): State<AppState>,
) -> Result<Success<RequeuedDto>, ApiError> {
    let count = state.system.retry_rejected().await?;
    tracing::info!(count, "rejected entries returned to the outbox");
    Ok(Success::accepted(
        format!("{count} rejected entries will be sent again"),
        RequeuedDto { requeued: count },
    ))
}

/// `POST /system/activate`.
#[utoipa::path(post, path = "/system/activate", tag = "system",
    request_body = ActivateRequest,
    responses(
        (status = 200, description = "Activated; the new status", body = Envelope<StatusDto>),
        (status = 401, description = "`unauthorized`: HQ does not know the key", body = ErrorBody),
        (status = 403, description = "`forbidden`: HQ disabled the key's branch", body = ErrorBody),
        (status = 404, description = "`not_found`: HQ has no such branch", body = ErrorBody),
        (status = 409, description = "`branch_change_unconfirmed` (send again with `confirm_branch_change: true`) or `conflict`", body = ErrorBody),
        (status = 503, description = "`unavailable`: HQ or the database cannot be reached", body = ErrorBody),
    ))]
pub(crate) async fn activate(
    State(state): State<AppState>,
    JsonBody(body): JsonBody<ActivateRequest>,
) -> Result<Success<StatusDto>, ApiError> {
    let status = state
        .system
        .activate(&body.cloud_url, &body.api_key, body.confirm_branch_change)
        .await?;
    tracing::info!(
        branch.code = status
            .identity
            .as_ref()
            .map(|i| i.code.as_str())
            .unwrap_or(""),
        "PC activated"
    );
    Ok(Success::ok(
        "Activated: this PC now syncs to HQ",
        StatusDto::from(&status),
    ))
}
