use axum::extract::State;

use kh_domain::chrono::Utc;

use crate::dto::{ActivateRequest, RequeuedDto, StatusDto};
use crate::handlers::people::AtThePc;
use crate::{ApiError, AppState};
use kh_http_common::SettingsDto;
use kh_http_common::{Envelope, ErrorBody, JsonBody, Success};
use kh_ports::services::SyncStatus;

/// `GET /system/settings`: the branch's time zone and the rules HQ set for every branch.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub(crate) struct BranchSettingsDto {
    #[serde(flatten)]
    zone: SettingsDto,
    /// A closing difference beyond this (rupiah, either way) needs a supervisor.
    cash_difference_threshold: i64,
    /// The cashier counts the drawer without seeing the expected amount.
    blind_close: bool,
    /// When the business day starts, `HH:MM` (entries before it belong to the day before).
    business_day_starts_at: String,
}

/// `GET /system/settings`: what the app needs to show times and dates as the branch does,
/// and the rules of the cash drawer.
#[utoipa::path(get, path = "/system/settings", tag = "system",
    responses(
        (status = 200, description = "The branch's time zone and HQ's rules", body = Envelope<BranchSettingsDto>),
        (status = 503, description = "`unavailable`", body = ErrorBody),
    ))]
pub(crate) async fn settings(
    State(state): State<AppState>,
) -> Result<Success<BranchSettingsDto>, ApiError> {
    let rules = state.shifts.rules().await?;
    Ok(Success::ok(
        "OK",
        BranchSettingsDto {
            zone: SettingsDto::new(&state.calendar, Utc::now()),
            cash_difference_threshold: rules.cash_difference_threshold,
            blind_close: rules.blind_close,
            // The day start in force: the one this process started with.
            business_day_starts_at: format!(
                "{:02}:{:02}",
                state.calendar.day_start_minutes() / 60,
                state.calendar.day_start_minutes() % 60
            ),
        },
    ))
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
        (status = 401, description = "`unauthorized`: HQ does not know the key, or the branch has staff and nobody is signed in at the PC", body = ErrorBody),
        (status = 403, description = "`forbidden`: HQ disabled the key's branch", body = ErrorBody),
        (status = 404, description = "`not_found`: HQ has no such branch", body = ErrorBody),
        (status = 409, description = "`branch_change_unconfirmed` (send again with `confirm_branch_change: true`) or `conflict`", body = ErrorBody),
        (status = 503, description = "`unavailable`: HQ or the database cannot be reached", body = ErrorBody),
    ))]
pub(crate) async fn activate(
    State(state): State<AppState>,
    // Once the branch has staff, only somebody signed in may point the PC at an HQ: the HQ it
    // syncs with sends its staff, its lists and its entries.
    AtThePc(who): AtThePc,
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
        staff.id = who.member().map(|m| m.id.to_string()),
        "PC activated"
    );
    Ok(Success::ok(
        "Activated: this PC now syncs to HQ",
        StatusDto::from(&status),
    ))
}
