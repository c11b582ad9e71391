use axum::extract::State;
use serde_json::json;

use crate::dto::{ActivateRequest, StatusDto};
use crate::{ApiError, AppState};
use kh_http_common::JsonBody;
use kh_http_common::Success;

/// `GET /system/status`.
pub(crate) async fn status(State(state): State<AppState>) -> Result<Success<StatusDto>, ApiError> {
    let status = state.system.status().await?;
    Ok(Success::ok("OK", StatusDto::from(&status)))
}

/// `POST /system/sync`: wakes the worker; the answer does not wait for it.
pub(crate) async fn sync(State(state): State<AppState>) -> Result<Success<StatusDto>, ApiError> {
    let status = state.system.request_sync().await?;
    let message = if status.status == "unconfigured" {
        "Sync requested, but this PC is not activated yet: activate it with HQ's address and the branch key"
    } else {
        "Sync requested"
    };
    Ok(Success::accepted(message, StatusDto::from(&status)))
}

/// `POST /system/sync/retry-rejected`: returns quarantined entries to the outbox.
pub(crate) async fn retry_rejected(
    State(state): State<AppState>,
) -> Result<Success<serde_json::Value>, ApiError> {
    let count = state.system.retry_rejected().await?;
    tracing::info!(count, "rejected entries returned to the outbox");
    Ok(Success::accepted(
        format!("{count} rejected entries will be sent again"),
        json!({ "requeued": count }),
    ))
}

/// `POST /system/activate`.
pub(crate) async fn activate(
    State(state): State<AppState>,
    JsonBody(body): JsonBody<ActivateRequest>,
) -> Result<Success<StatusDto>, ApiError> {
    let status = state
        .system
        .activate(&body.cloud_url, &body.api_key)
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
