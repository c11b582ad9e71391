use axum::extract::State;
use kh_http_common::{Envelope, ErrorBody, JsonBytes, Success};

use crate::auth::AuthedBranch;
use crate::dto::{PushResultDto, WhoamiDto, read_push};
use crate::{ApiError, CloudState};

/// `GET /sync/whoami`: the branch this key belongs to.
#[utoipa::path(get, path = "/sync/whoami", tag = "sync",
    responses(
        (status = 200, description = "The key's branch", body = Envelope<WhoamiDto>),
        (status = 503, description = "`unavailable`", body = ErrorBody),
    ))]
pub(crate) async fn whoami(
    State(state): State<CloudState>,
    AuthedBranch(branch): AuthedBranch,
) -> Result<Success<WhoamiDto>, ApiError> {
    let branch = state.sync.whoami(branch).await?;
    tracing::info!(
        branch.code = branch.code.as_str(),
        "branch identified itself"
    );
    Ok(Success::ok("OK", WhoamiDto::from(&branch)))
}

/// `POST /sync/push`: stores what it can, and says for every id what happened.
#[utoipa::path(post, path = "/sync/push", tag = "sync",
    // The router puts the batch size in (crate::dto::push_body); PushRow describes one row.
    request_body(content = Vec<crate::dto::PushRow>, description = "The rows; each is judged on its own"),
    responses(
        (status = 200, description = "Every id of the request in exactly one list; the batch is committed", body = Envelope<PushResultDto>),
        (status = 503, description = "`unavailable`", body = ErrorBody),
    ))]
pub(crate) async fn push(
    State(state): State<CloudState>,
    AuthedBranch(branch): AuthedBranch,
    JsonBytes(bytes): JsonBytes,
) -> Result<Success<PushResultDto>, ApiError> {
    let items = read_push(&bytes, state.max_batch)?;
    let result = state.sync.push(&branch, items).await?;
    let (accepted, duplicates, rejected) = (
        result.accepted.len(),
        result.duplicates.len(),
        result.rejected.len(),
    );
    tracing::info!(
        branch.code = branch.code.as_str(),
        accepted,
        duplicates,
        rejected,
        "push received"
    );
    Ok(Success::ok(
        format!("{accepted} accepted, {duplicates} already stored, {rejected} rejected"),
        PushResultDto::from(result),
    ))
}
